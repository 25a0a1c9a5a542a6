# SPDX-License-Identifier: MIT
# Launch mode: every syscall of a deterministic program, counted exactly,
# and the recorder exits with the program's status.
. "$TOP/tests/e2e/record/common.inc"
"$BIN/ebpf-record" -q -o t.ebt -- "$H/sysloop" -n 5000 -r 300 -x 7 >own.txt
rc=$?
[ $rc = 7 ] || die "exit status $rc, want 7 (the command's)"
"$H/ebt-count" t.ebt >got.txt || die "trace unreadable"
want "sys getppid $(awk '$1=="getppid"{print $2}' own.txt)" got.txt
want "sysfd write $(awk '$1=="rw_write"{print $2, $3}' own.txt)" got.txt
want "sysfd read $(awk '$1=="rw_read"{print $2, $3}' own.txt)" got.txt
want "sys execve 1" got.txt
want "lost 0" got.txt
want "footer 1" got.txt
want "task exec 1" got.txt
want "task exit 1" got.txt
want "pids 1" got.txt
[ "$(stat -c %a t.ebt)" = 600 ] || die "trace mode $(stat -c %a t.ebt), want 600"
echo ok
