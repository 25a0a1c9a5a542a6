#!/bin/sh
# SPDX-License-Identifier: MIT
# --follow --listen on a trace that grows slice by slice (no BPF needed):
# scrapes stay valid and fast with silent, half-sent and garbage clients
# attached, counts grow while the trace is open, each scrape while open
# equals the offline report of the bytes written so far, and after the
# footer the scrape (and the textfile) carry the offline JSON report's
# counts and percentiles. SIGTERM then ends the server with status 0.
. "$TOP/tests/e2e/prom/common.inc"
"$O/tests/ana-gentrace" random 200000 src.ebt >/dev/null || die "gen failed"
"$A" src.ebt --report json -o want.json || die "offline report failed"
serve --follow g.ebt --listen 127.0.0.1:0 --linger 60 --report prometheus -o final.prom
python3 "$LIVE" "$URL" . --grow src.ebt g.ebt || die "live scrape failed"
cmp -s src.ebt g.ebt || die "grown copy differs"
# the scrapes of an open trace against offline reports of the same prefix
compared=0 seen=" "
for sc in scrape-*.prom; do
	k=${sc#scrape-}
	k=${k%.prom}
	got=$(python3 "$PP" get "$sc" ebpf_trace_events_total)
	case "$seen" in *" $got "*) continue ;; esac
	"$A" -q "prefix-$k.ebt" --report json -o "prefix-$k.json" || die "prefix $k: report failed"
	ev=$(json "prefix-$k.json" "j['trace']['events']")
	[ "$ev" -gt 0 ] || continue
	# the scrape may predate the analyzer catching up with the last slice
	[ "$got" = "$ev" ] || continue
	seen="$seen$got "
	python3 "$PP" check "$sc" --json "prefix-$k.json" --open ||
		die "scrape $k differs from the report of the same prefix"
	compared=$((compared + 1))
done
[ $compared -ge 2 ] || die "only $compared open scrapes could be compared"
echo "open scrapes equal to their prefix's report: $compared"
python3 "$PP" check mid.prom || die "mid-recording scrape invalid"
python3 "$PP" check last.prom --json want.json --events 200000 || die "final scrape differs"
promtool_check mid.prom
promtool_check last.prom
[ -f final.prom ] || die "no textfile at the footer"
cmp -s final.prom last.prom || die "textfile and final scrape differ"
stop_analyzer
echo ok
