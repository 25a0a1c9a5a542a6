#!/bin/sh
# SPDX-License-Identifier: MIT
# 4000 processes whose comm, exe, cmdline and fd path are 64 KiB each
# (1 GiB of names from a 400 KiB file): names kept capped.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" longnames ln.ebt || die "generator failed"
all_outputs ln.ebt longnames
json_is longnames "j['trace']['events']" 4000
finish
