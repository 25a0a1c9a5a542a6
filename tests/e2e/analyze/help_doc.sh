#!/bin/sh
# SPDX-License-Identifier: MIT
# docs/REPORT.md quotes --help verbatim under "## ebpf-analyze command line".
. "$TOP/tests/e2e/lib.sh"
"$BIN/ebpf-analyze" --help >help.txt || die "--help failed"
awk '/^## ebpf-analyze command line/ { s = 1; next }
     s == 1 && /^```text$/ { s = 2; next }
     s == 2 && /^```$/ { exit }
     s == 2 { print }' "$TOP/docs/REPORT.md" >doc.txt
cmp -s help.txt doc.txt || { diff -u doc.txt help.txt >&2; die "docs/REPORT.md is not --help"; }
echo ok
