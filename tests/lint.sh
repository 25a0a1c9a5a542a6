#!/bin/sh
# SPDX-License-Identifier: MIT
# Module boundaries (../shared/STYLE.md §1) and basic hygiene. Exit 1 on any finding.
set -u
cd "$(dirname "$0")/.."
bad=0
edge() { # folder forbidden-pattern what
	hits=$(grep -nE "^#include [<\"]($2)" $1/*.c $1/*.h 2>/dev/null)
	if [ -n "$hits" ]; then echo "$1 must not include $3:"; echo "$hits"; bad=1; fi
}
edge common 'format/|record/|analyze/|bpf/|zstd|sqlite|bpf/|csv' "project modules or libraries"
edge format 'record/|analyze/|bpf/|sqlite|csv|bpf/' "libbpf, sqlite, csv, bpf/, record/, analyze/"
edge analyze 'record/|bpf/|libbpf' "bpf/, record/ or libbpf"
edge record 'analyze/' "analyze/"
for f in $(git ls-files '*.c' '*.h' '*.sh' 'Makefile' '*.mk' 2>/dev/null); do
	case "$f" in common/syscall_table.c) continue ;; esac
	head -n 3 "$f" | grep -q SPDX-License-Identifier || { echo "$f: no SPDX tag"; bad=1; }
	awk -v f="$f" 'length($0) > 100 { print f ":" NR ": over 100 columns"; e=1 } END { exit e }' \
		"$f" || bad=1
done
[ $bad = 0 ] && echo "lint: ok"
exit $bad
