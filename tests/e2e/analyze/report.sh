#!/bin/sh
# SPDX-License-Identifier: MIT
# Full analysis of generated servers: request counts in JSON, the other
# formats, a damaged copy, and the SQLite load.
. "$TOP/tests/e2e/lib.sh"
A="$BIN/ebpf-analyze"
"$O/tests/ana-gentrace" evloop 2000 ev.ebt >/dev/null || die "gen evloop"
"$O/tests/ana-gentrace" threads 3000 th.ebt >/dev/null || die "gen threads"
"$A" ev.ebt --report json -o ev.json || die "json"
[ "$(json ev.json 'j["requests"]["count"]')" = 2000 ] || die "evloop requests"
[ "$(json ev.json 'j["requests"]["processes_connection"]')" = 1 ] || die "evloop method"
"$A" th.ebt --report json >th.json || die "json stdout"
[ "$(json th.json 'j["requests"]["count"]')" = 3000 ] || die "thread requests"
[ "$(json th.json '[s["rule"] for s in j["suggestions"]][0]')" != "" ] || die "no suggestion"
json th.json '[h["name"] for h in j["hotspots"]]' | grep -q fsync || die "fsync not a hotspot"
"$A" th.ebt --report md -o th.md && grep -q "^## Hotspots" th.md || die "markdown"
"$A" th.ebt --csv-dir csv --report csv && [ -s csv/syscalls.csv ] && [ -s csv/requests.csv ] ||
	die "csv-dir"
"$A" th.ebt --report csv | head -n 1 | grep -q "^name,category,count" || die "csv stdout"
"$A" ev.ebt th.ebt --report json -o both.json || die "two files"
[ "$(json both.json 'j["requests"]["count"]')" = 5000 ] || die "merged requests"
# damaged: analyse what is intact, warn, state it
head -c $(( $(wc -c <th.ebt) * 2 / 3 )) th.ebt >torn.ebt
"$A" torn.ebt --report json -o torn.json 2>err || die "torn trace failed"
grep -q "damaged" err || die "no damage warning: $(cat err)"
[ "$(json torn.json 'j["trace"]["damaged"]')" = True ] || die "damage not in the report"
# SQLite: loads, then refuses to overwrite without --force
"$A" th.ebt --sqlite th.db -q || die "sqlite"
[ "$(sqlite3 th.db 'select count(*) from events')" = "$(json th.json 'j["trace"]["events"]')" ] ||
	die "sqlite events"
"$A" th.ebt --sqlite th.db -q 2>err && die "overwrote without --force"
grep -q -- "--force" err || die "no --force hint: $(cat err)"
"$A" th.ebt --sqlite th.db --force -q || die "--force"
echo ok
