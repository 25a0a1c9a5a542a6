#!/bin/sh
# SPDX-License-Identifier: MIT
# Known answer, pool mode (thread-per-request): every planted fault shows up
# where a user looks, and the rebuilt request count matches loadgen's.
. "$TOP/tests/e2e/samples/serving.lib"
require_bpf
record_load kpool 3000 4 normal:80,config:10,enrich:10 --mode pool --all-faults
$CHECK kpool/report.json kpool/loadgen.json kpool/stats.json \
	fsync=on small_reads=on futex=on lock=on downstream=on
