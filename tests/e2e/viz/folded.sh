#!/bin/sh
# SPDX-License-Identifier: MIT
# --export folded: five frames (process;thread;request|idle|other;category;
# syscall) and a count of ns per line, summing to the JSON report's total
# syscall time; request and idle time apart as in the report.
. "$TOP/tests/e2e/viz/viz.inc"
"$GENTRACE" evloop 2000 ev.ebt >/dev/null || die "gentrace failed"
for t in ev.ebt "$TOP/samples/serving.ebt"; do
	"$ANA" "$t" --export folded -o f.txt || die "export failed"
	"$ANA" "$t" --report json -o r.json || die "report failed"
	awk '!/^[^;]+;[^;]+;(request|idle|other);[a-z]+;[^; ]+ [0-9]+$/ { print; bad=1 }
		END { exit bad }' f.txt || die "$t: malformed folded lines"
	for mode in request idle; do
		key=$([ $mode = idle ] && echo idle_ns || echo in_request_ns)
		got=$(awk -F';' -v m=$mode '$3 == m { n = split($5, a, " "); s += a[n] }
			END { printf "%.0f", s }' f.txt)
		want=$(json r.json "j['time']['$key']")
		[ "$got" = "$want" ] || die "$t: $mode time $got, report says $want"
	done
	got=$(awk '{ s += $NF } END { printf "%.0f", s }' f.txt)
	want=$(json r.json "j['time']['syscall_ns']")
	[ "$got" = "$want" ] || die "$t: folded total $got, report says $want"
done
echo ok
