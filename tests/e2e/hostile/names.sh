#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile strings (HTML/script, quotes, backslashes, newlines, ESC and bidi
# controls, invalid UTF-8, NUL bytes, CSV formulas, SQL, Markdown and
# Prometheus breakers, 64 KiB names) in every name a trace carries: every
# output keeps its structure and shows each string as data.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" names names.ebt names.manifest || die "generator failed"
all_outputs names.ebt names names.manifest
# each output alone too, and the one-table CSV report
run_bounded names-csv "$ANA" names.ebt --report csv -o names.csv && check csv names.csv
rm -rf alone.csvd
run_bounded names-csvdir "$ANA" names.ebt --csv-dir alone.csvd &&
	check csv alone.csvd --manifest names.manifest
run_bounded names-stdout "$ANA" names.ebt --report json && check json names-stdout.out \
	--manifest names.manifest
run_bounded names-color "$ANA" names.ebt --color always -n 100 &&
	check text names-color.out --color --manifest names.manifest
# diff against another hostile trace: structure only (rankings show a few)
"$GEN" unknown unknown.ebt || die "generator failed"
for k in text md json html; do
	run_bounded names-diff-$k "$ANA" diff names.ebt unknown.ebt --report $k -o diff.$k
done
[ -f diff.text ] && check text diff.text --manifest names.manifest --min-strings 0
[ -f diff.md ] && check text diff.md --md --manifest names.manifest --min-strings 0
[ -f diff.json ] && check json diff.json --no-schema --manifest names.manifest
[ -f diff.html ] && check html diff.html --scripts 0
json_is names "j['trace']['events']" 1152
# cmdline is argv joined by NULs: shown with its arguments, spaces between
# (only argv[0] was shown); generator: pid 1000+i has strings i+2 and i+3.
[ -f names.json ] && python3 - names.json names.manifest <<'PY' || fail "cmdline arguments cut"
import json, sys
procs = {p['pid']: p.get('cmdline') for p in json.load(open(sys.argv[1]))['processes']}
s = [bytes.fromhex(x['hex']) for x in json.load(open(sys.argv[2]))['strings']]
n = 0
for i in range(len(s) - 3):
    a, b = s[i + 2], s[i + 3]
    try:
        want = (a + b' ' + b).replace(b'\x00', b' ').decode()
    except UnicodeDecodeError:
        continue
    if len(a) + len(b) > 400 or any(c < ' ' or c == '\x7f' for c in want):
        continue
    got = procs.get(1000 + i)
    if got != want:
        sys.exit('pid %d: cmdline %r, want %r' % (1000 + i, got, want))
    n += 1
sys.exit(0 if n >= 5 else 'only %d cmdlines checked' % n)
PY
json_is names "len(j['processes'])" 24
json_is names "j['trace']['host'] == '</script><script>alert(1)</script>'" True
# the SQL fragment stayed data: the events table is whole
[ -f names.db ] && [ "$(sqlite3 names.db 'SELECT count(*) FROM events')" = 1152 ] ||
	fail "sqlite: events table damaged"
finish
