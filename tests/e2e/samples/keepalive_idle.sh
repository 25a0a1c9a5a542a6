#!/bin/sh
# SPDX-License-Identifier: MIT
# Keep-alive clients that stay idle 300 ms after their last answer before
# closing (loadgen --linger), in both modes: the idle time and the final EOF
# read belong to no request, so no rebuilt request may last longer than the
# slowest one the client saw.
. "$TOP/tests/e2e/samples/serving.lib"
require_bpf
for mode in pool epoll; do
	LG_ARGS="--linger 300" record_load "idle_$mode" 600 4 normal:1 --mode "$mode"
	$CHECK "idle_$mode/report.json" "idle_$mode/loadgen.json" "idle_$mode/stats.json" \
		latency_max=on || exit 1
done
