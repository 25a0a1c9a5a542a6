# SPDX-License-Identifier: MIT
# Children forked by the traced program are followed (every syscall), and
# not with --no-follow.
. "$TOP/tests/e2e/record/common.inc"
"$BIN/ebpf-record" -q -o f.ebt -- "$H/sysloop" -f 3 -n 2000 -r 10 >/dev/null ||
	die "follow run failed"
"$H/ebt-count" f.ebt >f.txt || die "trace unreadable"
want "sys getppid 6000" f.txt
want "task fork 3" f.txt
want "task exit 4" f.txt
want "pids 4" f.txt
want "lost 0" f.txt
"$BIN/ebpf-record" -q --no-follow -o n.ebt -- "$H/sysloop" -f 3 -n 2000 >/dev/null ||
	die "no-follow run failed"
"$H/ebt-count" n.ebt >n.txt || die "trace unreadable"
grep -q "^sys getppid" n.txt && die "children traced despite --no-follow"
want "pids 1" n.txt
# attach mode: the existing children of the target are traced too
sh -c "\"$H/sysloop\" -w -f 2 -n 1000 >own.txt; echo done" &
sp=$!
wait_for ready own.txt
"$R" -o a.ebt -p $sp 2>rec.err &
rp=$!
wait_for "recording 2 processes" rec.err
kill -USR1 "$(awk '/ready/{print $2}' own.txt)"
wait $sp
wait $rp || die "attach run failed: $(cat rec.err)"
"$H/ebt-count" a.ebt >a.txt || die "trace unreadable"
want "sys getppid 2000" a.txt
want "task snapshot 2" a.txt
want "task fork 2" a.txt
echo ok
