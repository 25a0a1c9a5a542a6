#!/bin/sh
# SPDX-License-Identifier: MIT
# --follow --listen on a trace that grows slice by slice (no BPF needed):
# scrapes stay valid and fast with silent, half-sent and garbage clients
# attached, counts grow while the trace is open, and after the footer the
# scrape (and the textfile) carry the offline JSON report's counts and
# percentiles. SIGTERM then ends the server with status 0.
. "$TOP/tests/e2e/prom/common.inc"
"$O/tests/ana-gentrace" random 200000 src.ebt >/dev/null || die "gen failed"
"$A" src.ebt --report json -o want.json || die "offline report failed"
serve --follow g.ebt --listen 127.0.0.1:0 --linger 60 --report prometheus -o final.prom
python3 "$LIVE" "$URL" . --grow src.ebt g.ebt || die "live scrape failed"
cmp -s src.ebt g.ebt || die "grown copy differs"
python3 "$PP" check mid.prom || die "mid-recording scrape invalid"
python3 "$PP" check last.prom --json want.json --events 200000 || die "final scrape differs"
promtool_check mid.prom
promtool_check last.prom
[ -f final.prom ] || die "no textfile at the footer"
cmp -s final.prom last.prom || die "textfile and final scrape differ"
stop_analyzer
echo ok
