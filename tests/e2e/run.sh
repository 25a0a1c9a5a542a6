#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every tests/e2e/<area>/<case>.sh against $O/bin. A case passes when its
# exit status equals <case>.exit (default 0) and, if <case>.stdout exists, its
# standard output equals that file. Exit 77 means SKIP, unless
# EBT_REQUIRE_BPF=1 (CI), where a skip is a failure. UPDATE_GOLDEN=1 rewrites
# .stdout/.exit from the current run. Optional filter: run.sh PATTERN.
set -u
O=${O:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
case "$O" in /*) ;; *) O="$top/$O" ;; esac
export O BIN="$O/bin" TOP="$top"
pass=0 fail=0 skip=0 failed=""
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "$top"/tests/e2e/*/*.sh; do
	[ -e "$t" ] || continue
	name=${t#"$top"/tests/e2e/}
	name=${name%.sh}
	case "$name" in *${1:-}*) ;; *) continue ;; esac
	want_exit=0
	[ -f "${t%.sh}.exit" ] && want_exit=$(cat "${t%.sh}.exit")
	start=$(date +%s)
	(cd "$tmp" && sh "$t") >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ "$rc" = 77 ]; then
		if [ "${EBT_REQUIRE_BPF:-0}" = 1 ]; then
			echo "FAIL $name (skipped, but EBT_REQUIRE_BPF=1): $(tail -n 1 "$tmp/err")"
			fail=$((fail + 1)); failed="$failed $name"
		else
			echo "SKIP $name: $(tail -n 1 "$tmp/err")"
			skip=$((skip + 1))
		fi
		continue
	fi
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		[ -f "${t%.sh}.stdout" ] && cp "$tmp/out" "${t%.sh}.stdout"
		[ "$rc" != 0 ] && echo "$rc" >"${t%.sh}.exit"
	fi
	ok=1
	[ "$rc" = "$want_exit" ] || ok=0
	if [ -f "${t%.sh}.stdout" ] && ! cmp -s "$tmp/out" "${t%.sh}.stdout"; then
		ok=0
		diff -u "${t%.sh}.stdout" "$tmp/out" | head -n 40
	fi
	if [ $ok = 1 ]; then
		echo "PASS $name (${secs}s)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: exit $rc (want $want_exit) (${secs}s)"
		sed 's/^/    /' "$tmp/err" | tail -n 30
		[ -f "${t%.sh}.stdout" ] || sed 's/^/    out: /' "$tmp/out" | tail -n 10
		fail=$((fail + 1)); failed="$failed $name"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
