#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile names (script, HTML, quotes, controls, invalid UTF-8, 64 KiB) in
# the visual outputs (and impossible times and ids in Perfetto's): the HTML
# report in headless Chromium runs no script
# of the trace (no console message, no extra script element or handler)
# and shows the strings as text; the Perfetto JSON stays valid; folded
# lines keep five frames; the diff page keeps its structure.
. "$TOP/tests/e2e/viz/viz.inc"
GEN="$O/tests/hostile/ebt-hostile"
[ -x "$GEN" ] || die "ebt-hostile not built (make O=$O hostile)"
"$GEN" names names.ebt names.manifest >/dev/null || die "generator failed"
"$ANA" names.ebt --export perfetto -o p.json 2>/dev/null || die "perfetto export failed"
$PCHECK p.json >/dev/null || die "perfetto JSON of hostile names invalid"
# impossible times and thread ids: still valid (times dropped and counted,
# a tid seen under two pids re-homed to a track of its own)
for m in time unknown threads; do
	"$GEN" $m $m.ebt >/dev/null || die "generator failed ($m)"
	"$ANA" $m.ebt --export perfetto -o $m.json 2>/dev/null || die "perfetto export ($m)"
	$PCHECK $m.json >/dev/null || die "perfetto JSON of the $m trace invalid"
done
"$ANA" names.ebt --export folded -o f.txt 2>/dev/null || die "folded export failed"
line='^[^;]+;[^;]+;(request|idle|other);[a-z]+;[^;]+(;[^;]+)* [0-9]+$'
awk -v re="$line" '$0 !~ re { bad=1 } END { exit bad }' f.txt ||
	die "folded: a name broke a line's frames"
"$ANA" diff names.ebt names.ebt --report html -o d.html 2>/dev/null || die "diff html failed"
[ "$(grep -c '<script' d.html)" = 0 ] || die "diff page holds a script element"
"$ANA" names.ebt --report html -o names.html 2>/dev/null || die "html report failed"
[ "$(grep -ci '<script' names.html)" = 2 ] || die "page source holds an extra script element"
need_browser
browse names.html hostile
$HCHECK hostile.dom hostile.log --min-rows 1 \
	--text '</script><script>alert(1)</script>' ||
	die "hostile page: check failed"
echo ok
