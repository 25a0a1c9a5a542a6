#!/bin/sh
# SPDX-License-Identifier: MIT
# Raw-crafted chunk headers (valid checks) claiming 4 GiB lengths and 2^32-1
# events, a raw length that disagrees with the payload, then 1000 real events
# and a torn 60 MiB chunk claim at the end.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" hugelen hl.ebt || die "generator failed"
all_outputs hl.ebt hugelen
json_is hugelen "j['trace']['events']" 1000
warned hugelen-json "damaged|skipped|resynchron"
# the lying counts (2^32-1, 1M on a 100-event payload) are not believed
json_is hugelen "j['trace']['files'][0]['damaged_events']" 0
finish
