#!/bin/sh
# SPDX-License-Identifier: MIT
# 300k threads (90k small): 150k (60k) from TASK records, more than the
# events, 150k (30k) seen only in events with no metadata. Bounded, capped
# with a warning (ANA_MAX_THREADS is 64k).
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" threads t.ebt || die "generator failed"
resource_outputs t.ebt threads
json_is threads "j['trace']['events']" "$(pick 175000 40000)"
warned threads-json "cap.*thread"
finish
