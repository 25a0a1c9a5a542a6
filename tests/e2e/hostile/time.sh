#!/bin/sh
# SPDX-License-Identifier: MIT
# Timestamps near 2^64 (exits wrapping), zero and backwards time between
# chunks, durations of 2^64-1, 70k clock anchors that are extreme and unordered.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" time tm.ebt || die "generator failed"
all_outputs tm.ebt time
json_is time "j['trace']['events']" 40000
finish
