#!/bin/sh
# SPDX-License-Identifier: MIT
# A real recording scraped live: ebpf-analyze --follow --listen serves
# /metrics while ebpf-record traces a program with known syscall counts.
# Counts grow during the recording; after it ends the scrape's _count totals
# the trace's events and its percentiles are the final report's (within the
# histogram's error bound; promparse.py also checks bucket placement).
. "$TOP/tests/e2e/prom/common.inc"
require_bpf
H="$O/tests/helpers"
serve --follow t.ebt --listen 127.0.0.1:0 --linger 60 -o report.txt
"$BIN/ebpf-record" -q -o t.ebt -- sh -c \
	"for i in \$(seq 25); do '$H/sysloop' -n 4000 -r 100 >/dev/null; sleep 0.1; done" \
	2>rec.err &
rpid=$!
python3 "$LIVE" "$URL" . --timeout 60 || { kill "$rpid"; die "live scrape failed"; }
wait "$rpid" || die "ebpf-record failed: $(cat rec.err)"
stop_analyzer
"$A" t.ebt --report json -o want.json || die "offline report failed"
events=$(json want.json "j['trace']['events']")
[ "$events" -gt 100000 ] || die "only $events events recorded"
got=$(python3 "$PP" get last.prom \
	'ebpf_syscall_duration_seconds_count{syscall="getppid",category="process"}')
want=$(json want.json "[s['count'] for s in j['syscalls'] if s['name'] == 'getppid'][0]")
# 25 x 4000 by sysloop, plus the few of sh itself
[ "$got" = "$want" ] && [ "$got" -ge 100000 ] && [ "$got" -le 100100 ] ||
	die "getppid _count $got, report $want, sysloop made 100000"
python3 "$PP" check last.prom --json want.json --events "$events" || die "final scrape differs"
promtool_check mid.prom
promtool_check last.prom
echo ok
