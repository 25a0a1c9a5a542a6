#!/bin/sh
# SPDX-License-Identifier: MIT
# `info` on a generated trace: metadata and counts, without an analysis.
. "$TOP/tests/e2e/lib.sh"
"$O/tests/ana-gentrace" evloop 1000 t.ebt >truth || die "cannot generate"
events=$(awk '$1 == "events" { print $2 }' truth)
"$BIN/ebpf-analyze" info t.ebt >out || die "info failed"
grep -q "^host  *gen-host$" out || die "host: $(cat out)"
grep -q "^kernel  *6.18.0-gen$" out || die "kernel"
grep -q "^events  *$(printf "%'d" "$events" 2>/dev/null || echo "$events")$" out ||
	grep -q "^events  *$(echo "$events" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')$" out ||
	die "events: want $events: $(grep events out)"
grep -q "^damage  *none$" out || die "damage"
grep -q "^closed cleanly  *yes$" out || die "footer"
grep -q "^processes  *1 processes" out || die "processes: $(grep processes out)"
# a torn copy still answers, and says so
head -c $(( $(wc -c <t.ebt) / 2 )) t.ebt >torn.ebt
"$BIN/ebpf-analyze" info torn.ebt >out2 2>err2 || die "info on a torn trace failed"
grep -q "^damage  *yes$" out2 || die "torn trace not reported: $(cat out2)"
echo ok
