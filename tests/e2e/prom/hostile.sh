#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile names (quotes, backslashes, newlines, controls, invalid UTF-8, NUL,
# label breakers) from ebt-hostile: the exposition stays valid, the host
# label decodes to the JSON report's host, and every hostile trace kind gives
# a valid exposition (or a clean error), quickly.
. "$TOP/tests/e2e/prom/common.inc"
GEN="$O/tests/hostile/ebt-hostile"
[ -x "$GEN" ] || die "ebt-hostile not built"
"$GEN" names names.ebt names.manifest >/dev/null || die "generator failed"
"$A" names.ebt --report json -o names.json || die "json report failed"
"$A" names.ebt --report prometheus -o names.prom || die "prometheus report failed"
python3 "$PP" check names.prom --json names.json || die "hostile names broke the exposition"
promtool_check names.prom
python3 - names.prom names.json "$PP" <<'PY' || die "host label differs from the JSON host"
import json, os, sys
sys.path.insert(0, os.path.dirname(sys.argv[3]))
import promparse
fams = promparse.parse(open(sys.argv[1], encoding='utf-8', newline='').read())
hosts = [l['host'] for n, l, v in fams['ebpf_trace_info']['samples']]
want = json.load(open(sys.argv[2]))['trace']['host']
sys.exit(0 if hosts == [want] else 1)
PY
# histbomb (full size: 800k events): sums of 3.5e9 s, past float precision
# at the nanosecond, checked against the JSON report's exact totals
for kind in threads histbomb time loss unknown; do
	full=0
	[ "$kind" = histbomb ] && full=1
	EBT_HOSTILE_FULL=$full "$GEN" "$kind" "$kind.ebt" >/dev/null ||
		die "generator failed ($kind)"
	timeout 60 "$A" "$kind.ebt" -q --report prometheus -o "$kind.prom"
	rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || die "$kind: exit $rc"
	[ "$rc" = 1 ] && continue
	timeout 60 "$A" "$kind.ebt" -q --report json -o "$kind.json" || die "$kind: json failed"
	python3 "$PP" check "$kind.prom" --json "$kind.json" ||
		die "$kind: invalid exposition or values that disagree with the JSON report"
done
echo ok
