#!/bin/sh
# SPDX-License-Identifier: MIT
# The bundled trace (samples/serving.ebt, pool mode, all faults, from `make
# samples`) analyzes without privileges and shows every planted fault, checked
# against the known answer recorded with it (samples/serving.answer.json).
. "$TOP/tests/e2e/samples/serving.lib"
[ -x "$BIN/ebpf-analyze" ] || die "ebpf-analyze not built"
timeout 120 "$BIN/ebpf-analyze" "$TOP/samples/serving.ebt" --report json -o bundled.json ||
	die "ebpf-analyze failed on the bundled trace"
$CHECK bundled.json "$TOP/samples/serving.answer.json" \
	fsync=on small_reads=on futex=on lock=on downstream=on
