#!/bin/sh
# SPDX-License-Identifier: MIT
# --export perfetto: valid trace-event JSON (check_perfetto.py: X slices
# with dur, b/e pairs, pid/tid consistency, per-track monotonic time, names)
# for generated servers and the bundled sample; --max-events caps with a
# note; --since/--until narrow the slices.
. "$TOP/tests/e2e/viz/viz.inc"
"$GENTRACE" evloop 2000 ev.ebt >ev.truth || die "gentrace failed"
"$GENTRACE" threads 500 th.ebt >th.truth || die "gentrace failed"
ev=$(awk '$1 == "events" {print $2}' ev.truth)
th=$(awk '$1 == "events" {print $2}' th.truth)
"$ANA" ev.ebt --export perfetto -o ev.json || die "export failed"
$PCHECK ev.json slices="$ev" capped=0 requests_min=2000 >/dev/null || die "ev.json invalid"
"$ANA" th.ebt --export perfetto -o th.json || die "export failed"
$PCHECK th.json slices="$th" capped=0 requests_min=490 >/dev/null || die "th.json invalid"
"$ANA" "$TOP/samples/serving.ebt" --export perfetto -o s.json || die "export failed"
$PCHECK s.json capped=0 requests_min=3000 >/dev/null || die "s.json invalid"
# syscall args: fd and errno where they apply
json s.json "any(e.get('args', {}).get('fd') is not None for e in j['traceEvents'])" |
	grep -qx True || die "no fd argument"
"$ANA" ev.ebt --export perfetto --max-events 100 -o cap.json 2>cap.err || die "capped export"
$PCHECK cap.json slices=100 capped=1 >/dev/null || die "cap.json invalid"
grep -q "more left out" cap.err || die "no warning about the cap"
"$ANA" ev.ebt --export perfetto --since +100ms --until +200ms -o win.json || die "window"
n=$(json win.json "sum(1 for e in j['traceEvents'] if e['ph'] == 'X')")
[ "$n" -gt 0 ] && [ "$n" -lt "$ev" ] || die "--since/--until kept $n of $ev slices"
$PCHECK win.json >/dev/null || die "win.json invalid"
echo ok
