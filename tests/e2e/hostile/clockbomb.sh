#!/bin/sh
# SPDX-License-Identifier: MIT
# 1M (100k small, over ANA_MAX_ANCHORS) clock anchors in descending time: time stays linear in
# the file size (one bounded run; a quadratic anchor sort needs minutes).
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" clockbomb cb.ebt || die "generator failed"
run_bounded clockbomb-json "$ANA" cb.ebt --report json -o clockbomb.json &&
	check json clockbomb.json
json_is clockbomb "j['trace']['events']" 1000
finish
