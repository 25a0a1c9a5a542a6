#!/bin/sh
# SPDX-License-Identifier: MIT
# Epoll mode with only fsync and small reads off, downstream still on: those
# two findings disappear while the downstream one stays.
. "$TOP/tests/e2e/samples/serving.lib"
require_bpf
record_load kepoll_one 2000 4 normal:80,config:10,enrich:10 --mode epoll \
	--fault-downstream 20 --fault-lock
$CHECK kepoll_one/report.json kepoll_one/loadgen.json kepoll_one/stats.json \
	fsync=off small_reads=off lock=on downstream=on
