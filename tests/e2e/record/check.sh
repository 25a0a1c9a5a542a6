# SPDX-License-Identifier: MIT
# `ebpf-record check` passes on a machine that can record.
. "$TOP/tests/e2e/record/common.inc"
"$BIN/ebpf-record" check >out.txt || { cat out.txt >&2; die "check failed"; }
grep -q "all checks passed" out.txt || die "no verdict"
grep -q "^ok   raw tracepoint attach" out.txt || die "raw tracepoint line missing"
grep -q "^ok   batch flush on one CPU" out.txt || die "batch flush line missing"
echo ok
