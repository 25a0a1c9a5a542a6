#!/bin/sh
# SPDX-License-Identifier: MIT
# 1.1M fd records with distinct paths, 5000 distinct peers, 300k events on
# distinct fds, negative fds. Bounded, capped with warnings.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" fds f.ebt || die "generator failed"
all_outputs f.ebt fds
json_is fds "j['trace']['events']" 300003
warned fds-json "cap.*file descriptor"
warned fds-json "cap.*peer"
finish
