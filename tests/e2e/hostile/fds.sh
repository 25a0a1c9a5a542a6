#!/bin/sh
# SPDX-License-Identifier: MIT
# 1.1M (300k small; ANA_MAX_FDS is 256k) fd records with distinct paths, 5000
# distinct peers (cap 4096), 300k (30k) events on distinct fds, negative fds.
# Bounded, capped with warnings.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" fds f.ebt || die "generator failed"
resource_outputs f.ebt fds
json_is fds "j['trace']['events']" "$(pick 300003 30003)"
warned fds-json "cap.*file descriptor"
warned fds-json "cap.*peer"
finish
