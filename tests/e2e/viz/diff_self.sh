#!/bin/sh
# SPDX-License-Identifier: MIT
# diff of a trace with itself: no change in any format; diff of a trace
# with twice its workload: counts flagged, latency percentiles not.
. "$TOP/tests/e2e/viz/viz.inc"
S="$TOP/samples/serving.ebt"
"$ANA" diff "$S" "$S" >d.txt || die "diff failed"
grep -q "^0 regression(s), 0 improvement(s)" d.txt || die "self diff flags changes"
"$ANA" diff "$S" "$S" --report json -o d.json || die "diff json failed"
[ "$(json d.json "sorted(set(r['verdict'] for r in j['rows']))")" = "['same']" ] ||
	die "self diff: verdicts not all same"
[ "$(json d.json "sum(abs(v) for r in j['rows'] for v in r['flags'].values())")" = 0 ] ||
	die "self diff: flags set"
"$ANA" diff "$S" "$S" --report md -o d.md || die "diff md failed"
"$ANA" diff "$S" "$S" --report html -o d.html || die "diff html failed"
grep -q '<p id="verdict"><b>0 regression(s), 0 improvement(s)' d.html || die "html verdict"
"$GENTRACE" random 20000 a.ebt >/dev/null && "$GENTRACE" random 40000 b.ebt >/dev/null ||
	die "gentrace failed"
"$ANA" diff a.ebt b.ebt --report json -o ab.json || die "diff failed"
# (rows mostly idle are never flagged on count: waiting follows the load)
[ "$(json ab.json "set(r['flags']['count'] for r in j['rows'] if r['kind'] == 'syscall' and
	2 * r['before']['busy_ns'] >= r['before']['total_ns'])")" = "{1}" ] ||
	die "doubled counts not flagged"
[ "$(json ab.json "set(r['flags']['count'] for r in j['rows'] if r['kind'] == 'syscall' and
	2 * r['before']['busy_ns'] < r['before']['total_ns'])")" = "{0}" ] ||
	die "idle rows flagged on count"
[ "$(json ab.json "sum(abs(r['flags']['p50_ns']) for r in j['rows'])")" = 0 ] ||
	die "same distribution flagged on p50"
# usage: two traces exactly
"$ANA" diff "$S" 2>/dev/null && die "diff with one trace succeeded"
echo ok
