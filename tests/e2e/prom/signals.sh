#!/bin/sh
# SPDX-License-Identifier: MIT
# Stopping and refusing: SIGINT/SIGTERM end --follow on a trace without a
# footer (the report covers what was read, exit 0); --listen alone serves a
# finished trace until SIGTERM; bad combinations are usage errors (2); an
# address that cannot be bound is a runtime error (1).
. "$TOP/tests/e2e/prom/common.inc"
"$O/tests/ana-gentrace" random 400000 src.ebt >/dev/null || die "gen failed"
head -c $(($(wc -c <src.ebt) / 2)) src.ebt >part.ebt

# a recorder that died: no footer, follow waits until SIGINT
"$A" --follow part.ebt --report json -o part.json 2>err.txt &
p=$!
sleep 1
kill -0 $p || die "--follow did not wait for the footer"
kill -INT $p
wait $p || die "SIGINT: exit $?: $(cat err.txt)"
ev=$(json part.json "j['trace']['events']")
[ "$ev" -gt 0 ] && [ "$ev" -lt 400000 ] || die "partial trace: $ev events"
[ "$(json part.json "j['trace']['files'][0]['closed_cleanly']")" = False ] ||
	die "a trace without footer reported as closed"

# the trace does not exist yet: waits for it, SIGTERM ends the wait
"$A" --follow later.ebt --report json -o later.json 2>err.txt &
p=$!
sleep 0.5
kill -TERM $p
wait $p || die "SIGTERM while waiting: exit $?: $(cat err.txt)"
[ "$(json later.json "j['trace']['events']")" = 0 ] || die "events from nowhere"

# --listen on a finished trace serves until SIGTERM
serve src.ebt --listen 127.0.0.1:0 -o /dev/null
sleep 1
kill -0 "$apid" || die "--listen exited before SIGTERM"
python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1],
	timeout=5).read().decode())' "$URL" >scrape.prom || die "scrape failed"
python3 "$PP" check scrape.prom --events 400000 || die "scrape of a finished trace"
port=${URL#http://127.0.0.1:}
port=${port%/metrics}
"$A" src.ebt --listen "127.0.0.1:$port" -o /dev/null 2>busy.txt && die "bound a busy port"
grep -q "cannot listen on 127.0.0.1:$port: Address already in use" busy.txt ||
	die "unclear busy-port error: $(cat busy.txt)"
stop_analyzer

usage() {
	"$A" "$@" >/dev/null 2>u.txt
	rc=$?
	[ "$rc" = 2 ] || die "$*: exit $rc, want 2"
	grep -q "Try 'ebpf-analyze --help'" u.txt || die "$*: $(cat u.txt)"
}
usage --follow src.ebt part.ebt
usage src.ebt --linger 5
usage src.ebt --listen 127.0.0.1:1 --linger -1
usage --follow src.ebt --report html
usage src.ebt --listen ''
"$A" src.ebt --listen 127.0.0.1:99999 2>bad.txt && die "port 99999 accepted"
grep -q "invalid port" bad.txt || die "unclear port error: $(cat bad.txt)"
echo ok
