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
finish
