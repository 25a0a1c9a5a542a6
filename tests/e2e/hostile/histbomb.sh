#!/bin/sh
# SPDX-License-Identifier: MIT
# 200k threads (under the thread cap), each with durations over 12 powers
# of two: per-thread and per-process histograms must not need GiBs.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" histbomb hb.ebt || die "generator failed"
all_outputs hb.ebt histbomb
json_is histbomb "j['trace']['events']" 2400000
finish
