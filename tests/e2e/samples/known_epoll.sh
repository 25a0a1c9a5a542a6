#!/bin/sh
# SPDX-License-Identifier: MIT
# Known answer, epoll mode (one event-loop thread, per-connection rebuilding).
# The fault lock is never contended with one thread: no futex check here.
. "$TOP/tests/e2e/samples/serving.lib"
require_bpf
record_load kepoll 2000 4 normal:80,config:10,enrich:10 --mode epoll --all-faults
$CHECK kepoll/report.json kepoll/loadgen.json kepoll/stats.json \
	fsync=on small_reads=on lock=on downstream=on
