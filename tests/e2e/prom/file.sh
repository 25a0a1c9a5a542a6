#!/bin/sh
# SPDX-License-Identifier: MIT
# --report prometheus on the bundled real trace: a valid exposition whose
# counts, sums, errors and percentiles are the JSON report's; the textfile is
# replaced by rename (no temp file left) and equals the stdout form.
. "$TOP/tests/e2e/prom/common.inc"
S="$TOP/samples/serving.ebt"
"$A" "$S" --report json -o r.json || die "json report failed"
echo "stale" >m.prom
"$A" "$S" --report prometheus -o m.prom || die "prometheus report failed"
[ "$(ls)" = "$(printf 'm.prom\nr.json')" ] || die "files left behind: $(ls)"
"$A" "$S" --report prometheus >stdout.prom || die "prometheus to stdout failed"
cmp -s m.prom stdout.prom || die "the textfile differs from stdout"
python3 "$PP" check m.prom --json r.json --events "$(json r.json "j['trace']['events']")" ||
	die "exposition check failed"
promtool_check m.prom
# the labels are the recording machine's, as the JSON report names them
info="ebpf_trace_info{host=\"$(json r.json "j['trace']['host']")\","
info="$info"'kernel="'"$(json r.json "j['trace']['kernel']")"'",arch="x86_64",'
info="$info"'recorder_version="0.1.0"}'
[ "$(python3 "$PP" get m.prom "$info")" = 1 ] || die "no trace info series"
# a directory that does not exist: an error, exit 1
"$A" "$S" --report prometheus -o nodir/m.prom 2>err.txt && die "wrote into a missing directory"
grep -q "cannot write nodir/m.prom" err.txt || die "unclear error: $(cat err.txt)"
echo ok
