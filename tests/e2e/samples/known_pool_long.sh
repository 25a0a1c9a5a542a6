#!/bin/sh
# SPDX-License-Identifier: MIT
# Known answer at a larger scale: pool mode, all faults, 8,000 requests,
# about 1,100 short-lived downstream connections. Every finding must survive
# many short-lived fds (an analyzer that keeps per-fd facts in a bounded
# table must not lose the long-lived ones).
. "$TOP/tests/e2e/samples/serving.lib"
require_bpf
record_load kpool_long 8000 4 normal:80,config:10,enrich:10 --mode pool --all-faults
$CHECK kpool_long/report.json kpool_long/loadgen.json kpool_long/stats.json \
	fsync=on small_reads=on futex=on lock=on downstream=on
