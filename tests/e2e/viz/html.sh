#!/bin/sh
# SPDX-License-Identifier: MIT
# The HTML report of a generated server trace and of the bundled sample, in
# headless Chromium: no console message, every section drawn, screenshots
# kept in $O/artifacts/. The page must not reference anything outside itself.
. "$TOP/tests/e2e/viz/viz.inc"
need_browser
"$GENTRACE" evloop 3000 ev.ebt >/dev/null || die "gentrace failed"
"$ANA" ev.ebt --report html -o ev.html || die "html report failed"
"$ANA" "$TOP/samples/serving.ebt" --report html -o serving.html || die "html report failed"
for f in ev serving; do
	# self-contained: no URL to load (the SVG namespace is a name, not a load)
	grep -o 'src=\|href="http\|url(\|@import\|<link' "$f.html" && die "$f.html loads something"
	browse "$f.html" "$f"
	$HCHECK "$f.dom" "$f.log" --min-rows 3 || die "$f.html: check failed"
done
# the bundled sample: its planted faults are visible by name
$HCHECK serving.dom serving.log --text fsync --text futex --text "127.0.0.2" \
	--text config.json ||
	die "serving.html: faults not shown"
echo ok
