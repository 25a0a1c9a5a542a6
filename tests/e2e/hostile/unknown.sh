#!/bin/sh
# SPDX-License-Identifier: MIT
# 20000 (5000 small) events: syscall numbers beyond every table (up to
# 2^32-1, compat), unknown and extreme pids/tids, returns of INT64_MIN/MAX,
# cpus and stack ids of 2^32-1.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" unknown u.ebt || die "generator failed"
all_outputs u.ebt unknown
json_is unknown "j['trace']['events']" "$(pick 20000 5000)"
finish
