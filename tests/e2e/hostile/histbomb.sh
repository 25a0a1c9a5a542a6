#!/bin/sh
# SPDX-License-Identifier: MIT
# 200k threads (70k small, over ANA_MAX_THREADS), each with durations over
# 4 powers of two 2^12 apart:
# per-thread and per-process histograms must not need GiBs.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" histbomb hb.ebt || die "generator failed"
resource_outputs hb.ebt histbomb
json_is histbomb "j['trace']['events']" "$(pick 800000 280000)"
warned histbomb-json "cap.*thread"
finish
