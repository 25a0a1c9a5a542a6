#!/bin/sh
# SPDX-License-Identifier: MIT
# 6000 loss records whose counts sum far past 2^64, with backwards windows,
# unknown sources: the total saturates instead of wrapping to a small number.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" loss l.ebt || die "generator failed"
all_outputs l.ebt loss
json_is loss "j['trace']['events']" 6000
json_is loss "j['trace']['lost_events']" 18446744073709551615
finish
