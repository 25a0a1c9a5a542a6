#!/bin/sh
# SPDX-License-Identifier: MIT
# 4000 (300 small) processes whose comm, exe, cmdline and fd path are 64 KiB each
# (1 GiB, small 75 MiB, of names from a small file): names kept capped.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" longnames ln.ebt || die "generator failed"
resource_outputs ln.ebt longnames perfetto
json_is longnames "j['trace']['events']" "$(pick 4000 300)"
finish
