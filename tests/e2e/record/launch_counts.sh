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
want "disorder 0" got.txt
want "task exec 1" got.txt
want "task exit 1" got.txt
want "pids 1" got.txt
[ "$(stat -c %a t.ebt)" = 600 ] || die "trace mode $(stat -c %a t.ebt), want 600"
# the analyzer sees the same counts and knows the pipes
[ -x "$BIN/ebpf-analyze" ] || die "ebpf-analyze not built"
"$BIN/ebpf-analyze" t.ebt --report json >t.json || die "ebpf-analyze failed"
got=$(json t.json "[s['count'] for s in j['syscalls'] if s['name'] == 'getppid'][0]")
[ "$got" = 5000 ] || die "ebpf-analyze counts $got getppid, want 5000"
[ "$(json t.json "j['trace']['lost_events']")" = 0 ] || die "ebpf-analyze reports loss"
rfd=$(awk '$1=="rw_read"{print $2}' own.txt)
got=$(json t.json "[(f['kind'], f['reads']) for f in j['fds'] if f['fd'] == $rfd][0]")
[ "$got" = "('pipe', 300)" ] || die "ebpf-analyze fd $rfd: $got, want ('pipe', 300)"
echo ok
