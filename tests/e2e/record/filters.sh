# SPDX-License-Identifier: MIT
# Kernel-side filters: 1-in-N sampling keeps about 1/N and counts the rest;
# a minimum duration keeps only the slow syscalls; categories keep read(),
# write(), close() by their descriptor's kind.
. "$TOP/tests/e2e/record/common.inc"
"$R" -q --sample 10 -s getppid -o s.ebt -- "$H/sysloop" -n 100000 >/dev/null || die "sample run"
"$H/ebt-count" s.ebt -v >s.txt || die "trace unreadable"
n=$(awk '$1=="sys" && $2=="getppid"{print $3}' s.txt)
[ "${n:-0}" -ge 9000 ] && [ "$n" -le 11000 ] || die "--sample 10 kept ${n:-0} of 100000"
# the sampled-out ones are counted (informational LOSS records), not lost
f=$(awk '$1=="rec" && $2=="loss" && $3=="source=4" { sub("count=", "", $5); t += $5 }
	END { print t + 0 }' s.txt)
[ $((n + f)) = 100000 ] || die "kept $n + filtered $f != 100000"
want "lost 0" s.txt
"$R" -q --min-duration-us 100000 -o m.ebt -- sleep 0.3 || die "min-duration run"
"$H/ebt-count" m.ebt >m.txt || die "trace unreadable"
want "events 1" m.txt
grep -Eqx "sys (clock_)?nanosleep 1" m.txt ||
	{ cat m.txt >&2; die "the slow syscall is not the sleep"; }
# Categories in the kernel as in the analyzer: read()/write() follow their
# descriptor, so ipc keeps them on pipes and file does not.
"$R" -q -s ipc -o ipc.ebt -- "$H/sysloop" -n 10 -r 500 >own.txt || die "ipc run"
"$H/ebt-count" ipc.ebt >ipc.txt || die "trace unreadable"
want "sysfd write $(awk '$1=="rw_write"{print $2, $3}' own.txt)" ipc.txt
want "sysfd read $(awk '$1=="rw_read"{print $2, $3}' own.txt)" ipc.txt
grep -q "^sys getppid" ipc.txt && die "getppid kept by --syscalls ipc"
"$R" -q -s file -o file.ebt -- "$H/sysloop" -n 10 -r 500 >own.txt || die "file run"
"$H/ebt-count" file.ebt >file.txt || die "trace unreadable"
wfd=$(awk '$1=="rw_write"{print $2}' own.txt)
grep -q "^sysfd write $wfd " file.txt && die "pipe writes kept by --syscalls file"
# network: write()/read() on a socket pair, none of the interpreter's file reads
command -v python3 >/dev/null || { echo "no python3" >&2; exit 77; }
"$R" -q -s network -o net.ebt -- python3 -c "import os, socket
a, b = socket.socketpair()
for i in range(300):
    os.write(a.fileno(), b'x'); os.read(b.fileno(), 1)
print(a.fileno(), b.fileno())" >fds.txt || die "network run"
read -r fa fb <fds.txt
"$H/ebt-count" net.ebt >net.txt || die "trace unreadable"
want "sysfd write $fa 300" net.txt
want "sysfd read $fb 300" net.txt
want "sys socketpair 1" net.txt
n=$(awk '$1=="sys" && ($2=="read" || $2=="write") {t += $3} END {print t + 0}' net.txt)
[ "$n" = 600 ] || { cat net.txt >&2; die "--syscalls network kept $n reads+writes, want 600"; }
echo ok
