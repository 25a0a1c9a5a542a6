#!/bin/sh
# SPDX-License-Identifier: MIT
# 3M metadata records (2M distinct FILE_INFO keys, 1M syscall names over
# 1100 numbers and two ABIs): metadata kept in bounded memory.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" metabomb mb.ebt || die "generator failed"
all_outputs mb.ebt metabomb
json_is metabomb "j['trace']['events']" 5000
finish
