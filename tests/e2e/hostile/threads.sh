#!/bin/sh
# SPDX-License-Identifier: MIT
# 300k threads: 150k from TASK records (more than the events), 150k seen
# only in events with no metadata. Bounded, capped with a warning.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" threads t.ebt || die "generator failed"
all_outputs t.ebt threads
json_is threads "j['trace']['events']" 175000
warned threads-json "cap.*thread"
finish
