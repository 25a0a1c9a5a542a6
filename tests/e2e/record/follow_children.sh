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
echo ok
