#!/bin/sh
# SPDX-License-Identifier: MIT
# Issue 7's "done when" on the sample server: ebpf-record traces the serving
# sample (all faults on) under loadgen while ebpf-analyze --follow serves
# /metrics. Scrapes grow during the load; after the recorder stops, the
# scrape shows the final report's counts and its syscall and request
# percentiles within the histogram's error bound.
. "$TOP/tests/e2e/prom/common.inc"
require_bpf
SMP=$O/samples
[ -x "$SMP/serving" ] && [ -x "$SMP/loadgen" ] || die "samples not built (make O=$O sample-bins)"
srv="" rec="" lg="" lc=""
stop_all() {
	for p in $lc $lg $rec $srv; do kill -TERM "$p" 2>/dev/null; done
	for p in $lc $lg $rec $srv; do wait "$p" 2>/dev/null; done
	cleanup
}
trap stop_all EXIT
"$SMP/serving" --port 0 --all-faults --data-dir data -q >server.out 2>server.err &
srv=$!
for _ in $(seq 100); do grep -q '^port ' server.out && break; sleep 0.1; done
port=$(awk '/^port /{print $2}' server.out)
[ -n "$port" ] || die "the server did not start: $(cat server.err)"
serve --follow t.ebt --listen 127.0.0.1:0 --linger 60 -o report.txt
"$BIN/ebpf-record" -o t.ebt --pid "$srv" --no-follow 2>rec.err &
rec=$!
for _ in $(seq 200); do grep -q '^ebpf-record: recording ' rec.err && break; sleep 0.1; done
grep -q '^ebpf-record: recording ' rec.err || die "ebpf-record did not attach: $(cat rec.err)"
python3 "$LIVE" "$URL" . --timeout 90 >live.out 2>live.err &
lc=$!
"$SMP/loadgen" -p "$port" -c 4 -d 4 -q --json lg.json || die "loadgen failed"
kill -INT "$rec"
wait "$rec" || die "ebpf-record failed: $(cat rec.err)"
rec=""
wait "$lc" || die "live scrape failed: $(cat live.err)"
lc=""
cat live.out
kill -TERM "$srv"
wait "$srv"
srv=""
stop_analyzer
"$A" t.ebt --report json -o want.json || die "offline report failed"
want_events=$(json want.json "j['trace']['events']")
python3 "$PP" check last.prom --json want.json --events "$want_events" ||
	die "the final scrape differs from the report"
reqs=$(json want.json "j['requests']['count']")
[ "$reqs" -gt 100 ] || die "only $reqs requests rebuilt"
[ "$(python3 "$PP" get last.prom ebpf_request_duration_seconds_count)" = "$reqs" ] ||
	die "request histogram count differs"
promtool_check last.prom
echo ok
