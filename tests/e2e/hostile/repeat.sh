#!/bin/sh
# SPDX-License-Identifier: MIT
# Raw-crafted: one META chunk 20000 times and one EVENTS chunk 400 times with
# the same seq (26M events from 6 MiB): reports finish within the bound with a
# warning; SQLite gets a 10-copy variant (655k events).
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" repeat r.ebt 400 || die "generator failed"
for k in json md csv; do
	run_bounded repeat-$k "$ANA" r.ebt --report $k -o repeat.$k
done
[ -f repeat.json ] && check json repeat.json
[ -f repeat.md ] && check text repeat.md --md
[ -f repeat.csv ] && check csv repeat.csv
warned repeat-json "sequence"
"$GEN" repeat r10.ebt 10 || die "generator failed"
all_outputs r10.ebt repeat10
finish
