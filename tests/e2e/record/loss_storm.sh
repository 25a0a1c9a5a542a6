# SPDX-License-Identifier: MIT
# A tiny ring buffer under a syscall storm: events are lost, the loss is
# recorded, and recorded + lost equals the syscalls made.
. "$TOP/tests/e2e/record/common.inc"
"$BIN/ebpf-record" -q --buffer-size 4K -s getppid -o t.ebt -- "$H/sysloop" -n 300000 >own.txt ||
	die "recorder failed"
"$H/ebt-count" t.ebt -v >got.txt || die "trace unreadable"
made=$(awk '$1=="getppid"{print $2}' own.txt)
rec=$(awk '$1=="sys" && $2=="getppid"{print $3}' got.txt)
lost=$(awk '$1=="lost"{print $2}' got.txt)
other=$(awk '$1=="sys" && $2!="getppid"' got.txt)
[ -z "$other" ] || die "syscall filter leaked: $other"
[ "${lost:-0}" -gt 0 ] || die "no loss recorded with a 4K buffer (recorded ${rec:-0})"
grep -q "^rec loss source=1" got.txt || die "no ring-buffer LOSS record"
[ $((rec + lost)) = "$made" ] || die "recorded $rec + lost $lost != made $made"
[ -x "$BIN/ebpf-analyze" ] || die "ebpf-analyze not built"
"$BIN/ebpf-analyze" t.ebt --report json >t.json || die "ebpf-analyze failed"
alost=$(json t.json "j['trace']['lost_events']")
[ "$alost" = "$lost" ] || die "ebpf-analyze reports $alost lost, the trace holds $lost"
echo ok
