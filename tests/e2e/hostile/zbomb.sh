#!/bin/sh
# SPDX-License-Identifier: MIT
# Raw-crafted zstd bombs: frames expanding to 64 MiB under a 4 KiB declared
# size (with and without a content size), 20 (2 small) chunks at the 64 MiB cap
# (1.3 GB to decompress from a few MiB), then 1000 real events, which must all be analysed.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" zbomb z.ebt || die "generator failed"
resource_outputs z.ebt zbomb
json_is zbomb "j['trace']['events']" 1000
warned zbomb-json "skipped|damaged"
finish
