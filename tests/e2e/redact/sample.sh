#!/bin/sh
# SPDX-License-Identifier: MIT
# The bundled real trace: no name survives (decompressed bytes), every number
# does, and the analysis is the same but for the names.
. "$TOP/tests/e2e/redact/redact.inc"
$RED --key "$KEY" "$SAMPLE" out.ebt >summary || die "redact failed"
grep -q "^redacted [1-9][0-9]* names in [0-9]* records; [0-9]* events copied$" summary ||
	die "summary: $(cat summary)"
check names "$SAMPLE" out.ebt
same_analysis "$SAMPLE" out.ebt
"$BIN/ebpf-analyze" info out.ebt >info || die "info"
grep -q "^host  *host:[0-9a-f]\{12\}$" info || die "host not a token: $(grep host info)"
echo ok
