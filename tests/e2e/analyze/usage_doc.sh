#!/bin/sh
# SPDX-License-Identifier: MIT
# docs/USAGE.md documents every long option that `ebpf-analyze --help`,
# `ebpf-analyze redact --help` and `ebpf-record --help` print, and quotes each
# of the three --help texts verbatim in a ```text block.
. "$TOP/tests/e2e/lib.sh"
doc="$TOP/docs/USAGE.md"
[ -r "$doc" ] || die "no $doc"
"$BIN/ebpf-analyze" --help >analyze.txt || die "ebpf-analyze --help failed"
"$BIN/ebpf-analyze" redact --help >redact.txt || die "ebpf-analyze redact --help failed"
[ -x "$BIN/ebpf-record" ] || die "ebpf-record not built in $BIN"
"$BIN/ebpf-record" --help >record.txt || die "ebpf-record --help failed"

# the ```text blocks of the doc, each ended by a line "@@"
awk '/^```text$/ { s = 1; next } s && /^```$/ { s = 0; print "@@"; next } s { print }' \
	"$doc" >blocks.txt

missing=""
for f in analyze.txt redact.txt record.txt; do
	# long options of the option lines (the first word after the short one)
	opts=$(sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' "$f")
	[ -n "$opts" ] || die "no long option found in $f"
	for o in $opts; do
		# in the prose or a table, outside the quoted --help blocks
		awk '/^```text$/ { s = 1; next } s && /^```$/ { s = 0; next } !s { print }' \
			"$doc" | grep -q -e "$o\([^a-z0-9-]\|\$\)" ||
			missing="$missing ${f%.txt}:$o"
	done
	# the verbatim --help text: some block of the doc equals it
	awk -v want="$(cat "$f")" '
		$0 == "@@" { if (cur == want "\n") found = 1; cur = ""; next }
		{ cur = cur $0 "\n" }
		END { exit !found }' blocks.txt ||
		missing="$missing ${f%.txt}:--help-text"
done
[ -z "$missing" ] || die "docs/USAGE.md lacks:$missing"
echo ok
