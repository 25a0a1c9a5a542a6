#!/bin/sh
# SPDX-License-Identifier: MIT
# 200k threads, each with durations over 4 powers of two 2^12 apart:
# per-thread and per-process histograms must not need GiBs.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" histbomb hb.ebt || die "generator failed"
all_outputs hb.ebt histbomb
json_is histbomb "j['trace']['events']" 800000
warned histbomb-json "cap"
finish
