#!/bin/sh
# SPDX-License-Identifier: MIT
# 40 (10 small) chunks of 1000 events: timestamps near 2^64 (exits wrapping),
# zero and backwards time between chunks, durations of 2^64-1, 70k clock
# anchors (over ANA_MAX_ANCHORS) that are extreme and unordered.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" time tm.ebt || die "generator failed"
all_outputs tm.ebt time
json_is time "j['trace']['events']" "$(pick 40000 10000)"
finish
