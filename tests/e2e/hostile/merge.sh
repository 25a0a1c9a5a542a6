#!/bin/sh
# SPDX-License-Identifier: MIT
# Several hostile traces merged in one analysis (names, time warps, unknown
# ids, lying chunk headers, loss overflow): every output keeps its structure,
# the planted names stay data, and the event counts add up.
. "$TOP/tests/e2e/hostile/hostile.inc"

for k in names time unknown hugelen loss; do
	"$GEN" $k $k.ebt $k.manifest || die "generator failed ($k)"
done
all_outputs "names.ebt time.ebt unknown.ebt hugelen.ebt loss.ebt" merge names.manifest
json_is merge "j['trace']['events']" \
	$((1152 + $(pick 40000 10000) + $(pick 20000 5000) + 1000 + 6000))
json_is merge "len(j['trace']['files'])" 5
# Perfetto: time.ebt's absurd clock anchors (year 2554) neither set the
# time base nor drop the names trace's slices, and the note says slices
# were left out (it said "complete" with 1152 of 11152 slices missing).
run_bounded merge-pf2 "$ANA" names.ebt time.ebt --export perfetto -o pf2.json &&
	check json pf2.json --no-schema
o="j['otherData']"
[ "$(json pf2.json "$o['slices']")" = 1152 ] ||
	fail "perfetto: names slices dropped: $(json pf2.json "$o")"
[ "$(json pf2.json "$o['slices_bad_time']")" = "$(pick 40000 10000)" ] ||
	fail "perfetto: bad-time count: $(json pf2.json "$o")"
[ "$(json pf2.json "$o['note']")" != complete ] || fail "perfetto: note says complete"
case $(json pf2.json "$o['ts_base']") in 20[0-9][0-9]-*) ;; *) fail "perfetto: base day";; esac
warned merge-pf2 "time.ebt: [0-9]+ syscalls left out"
finish
