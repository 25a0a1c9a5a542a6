#!/bin/sh
# SPDX-License-Identifier: MIT
# 3M (300k small) metadata records (2M/200k distinct FILE_INFO keys, 1M/100k
# syscall names over 1100 numbers and two ABIs, past ANA_MAX_SYS): metadata kept in bounded memory.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" metabomb mb.ebt || die "generator failed"
resource_outputs mb.ebt metabomb
json_is metabomb "j['trace']['events']" 5000
finish
