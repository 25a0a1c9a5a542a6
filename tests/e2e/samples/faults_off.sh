#!/bin/sh
# SPDX-License-Identifier: MIT
# The same load as known_pool with every fault switched off: each finding
# disappears, and the request count still matches.
. "$TOP/tests/e2e/samples/serving.lib"
require_bpf
record_load kpool_off 3000 4 normal:80,config:10,enrich:10 --mode pool
$CHECK kpool_off/report.json kpool_off/loadgen.json kpool_off/stats.json \
	fsync=off small_reads=off futex=off lock=off downstream=off
