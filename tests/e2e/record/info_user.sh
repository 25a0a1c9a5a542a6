# SPDX-License-Identifier: MIT
# `ebpf-record info PID` lists threads and fds by type; --user runs the
# launched command without root.
. "$TOP/tests/e2e/record/common.inc"
"$H/sysloop" -w -n 1 >own.txt &
hp=$!
wait_for ready own.txt
"$BIN/ebpf-record" info $hp >info.txt || die "info failed"
kill -USR1 $hp
wait $hp
grep -q "^comm:    sysloop" info.txt || die "no comm: $(cat info.txt)"
grep -q "^threads: 1" info.txt || die "no threads: $(cat info.txt)"
grep -q "by type:.*pipe=[0-9]" info.txt || die "fds by type: $(cat info.txt)"
"$BIN/ebpf-record" info 999999 2>/dev/null && die "info on a missing pid succeeded"
uid=$("$BIN/ebpf-record" -q --user nobody -o u.ebt -- id -u) || die "--user run failed"
[ "$uid" = "$(id -u nobody)" ] || die "--user nobody ran as uid $uid"
"$H/ebt-count" u.ebt >u.txt || die "trace unreadable"
grep -q "^sys setuid\|^sys execve" u.txt || die "trace of the --user run is empty"
echo ok
