#!/bin/sh
# SPDX-License-Identifier: MIT
# Raw-crafted: one META chunk 20000 (2000 small) times and one EVENTS chunk of
# 65536 events 400 (40) times, all with the same seq: the reader skips the
# copies with a warning, so every output counts the 65536 events once.
. "$TOP/tests/e2e/hostile/hostile.inc"

"$GEN" repeat r.ebt "$(pick 400 40)" || die "generator failed"
resource_outputs r.ebt repeat
warned repeat-json "duplicate"
json_is repeat "j['trace']['events']" 65536
[ -f repeat.db ] && [ "$(sqlite3 repeat.db 'SELECT count(*) FROM events')" = 65536 ] ||
	fail "sqlite: copies of the repeated chunk counted"
finish
