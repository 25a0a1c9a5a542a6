#!/bin/sh
# SPDX-License-Identifier: MIT
# Driver of `make demo` and `make samples` (run from the repo root, O=build dir).
#   demo.sh demo          record the serving sample under load (root), analyze,
#                         leave demo/trace.ebt, demo/report.md, demo/out.db;
#                         without root or BPF: analyze samples/serving.ebt
#   demo.sh bundle FILE   record a short trace with all faults on into FILE
# Every process it starts is stopped and reaped on any exit (trap).
set -u
what=${1:-demo}
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case "$O" in /*) ;; *) O="$top/$O" ;; esac
BIN=$O/bin
SMP=$O/samples
DEMO_SECS=${DEMO_SECS:-10}
BUNDLE_SECS=${BUNDLE_SECS:-2}

server_pid="" rec_pid="" lg_pid=""
cleanup() {
	for p in $lg_pid $rec_pid $server_pid; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $lg_pid $rec_pid $server_pid; do
		wait "$p" 2>/dev/null
	done
	lg_pid="" rec_pid="" server_pid=""
}
trap cleanup EXIT
trap 'echo "demo: interrupted" >&2; exit 130' INT TERM HUP

say() { printf '%s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

# Why this machine cannot record, or nothing when it can.
why_no_bpf() {
	if [ "$(id -u)" != 0 ]; then echo "not root"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then echo "no kernel BTF at /sys/kernel/btf/vmlinux"
	elif [ ! -x "$BIN/ebpf-record" ]; then echo "ebpf-record is not built"
	elif ! "$BIN/ebpf-record" check >"$1/check.out" 2>&1; then
		echo "ebpf-record check failed (see $1/check.out)"
	fi
}

# wait_for SECS CMD...: poll CMD every 0.1 s; 1 on timeout.
wait_for() {
	n=$(($1 * 10)); shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}
has_port() { grep -q '^port ' "$1" 2>/dev/null; }
# ebpf-record announces "recording N process(es) into FILE" once attached.
attached() { kill -0 "$1" 2>/dev/null && grep -q '^ebpf-record: recording ' "$2" 2>/dev/null; }

# record DIR TRACE SECS CONNS: server with all faults, recorder, loadgen.
record() {
	dir=$1 trace=$2 secs=$3 conns=$4
	rm -f "$dir/server.out" "$dir/record.err"
	"$SMP/serving" --port 0 --all-faults --data-dir "$dir/serving-data" -q \
		>"$dir/server.out" 2>"$dir/server.err" &
	server_pid=$!
	wait_for 10 has_port "$dir/server.out" || die "the server did not start: \
$(cat "$dir/server.err")"
	port=$(awk '/^port /{print $2}' "$dir/server.out")
	say "== serving sample: pid $server_pid on 127.0.0.1:$port, all faults on"
	# --no-follow: the downstream stub (the server's child) stands for a
	# service on another machine, so it stays out of the recording.
	"$BIN/ebpf-record" -o "$trace" --pid "$server_pid" --no-follow --force \
		2>"$dir/record.err" &
	rec_pid=$!
	wait_for 20 attached "$rec_pid" "$dir/record.err" || die "ebpf-record did not attach: \
$(cat "$dir/record.err")"
	say "== ebpf-record (pid $rec_pid) -> $trace; loadgen: $conns connections, ${secs} s"
	"$SMP/loadgen" -p "$port" -c "$conns" -d "$secs" --json "$dir/loadgen.json" &
	lg_pid=$!
	wait "$lg_pid" || die "loadgen failed"
	lg_pid=""
	kill -INT "$rec_pid"
	wait "$rec_pid" || die "ebpf-record failed: $(cat "$dir/record.err")"
	rec_pid=""
	say "== $(tail -n 2 "$dir/record.err" | tr '\r' '\n' | grep -v '^$' | head -n 1)"
	kill -TERM "$server_pid"
	wait "$server_pid"
	server_pid=""
	say "== server counters: $(sed -n 's/^stats //p' "$dir/server.out")"
}

analyze() {
	trace=$1 dir=$2
	say "== ebpf-analyze $trace"
	"$BIN/ebpf-analyze" "$trace" || die "ebpf-analyze failed"
	"$BIN/ebpf-analyze" "$trace" --report md -o "$dir/report.md" || die "markdown report failed"
	"$BIN/ebpf-analyze" "$trace" --sqlite "$dir/out.db" --force >/dev/null ||
		die "SQLite export failed"
	say ""
	say "Next steps:"
	say "  $dir/report.md  the same report in Markdown, ready to paste into a ticket"
	say "  $dir/out.db     sqlite3 $dir/out.db \\"
	say "                    'SELECT id, duration_ns, network_ns, sync_ns FROM requests"
	say "                     ORDER BY duration_ns DESC LIMIT 5'"
	say "  $trace   ebpf-analyze $trace --report json | python3 -m json.tool"
	say "  your own process: sudo $BIN/ebpf-record -o app.ebt --pid PID --duration 30"
}

demo() {
	cd "$top" || exit 1
	mkdir -p demo || exit 1
	why=$(why_no_bpf demo)
	if [ -n "$why" ]; then
		say "== cannot record on this machine ($why):"
		say "   analyzing the bundled trace samples/serving.ebt instead"
		say "   (as root, 'make demo' records the sample server live)"
		[ -f samples/serving.ebt ] || die "samples/serving.ebt is missing"
		analyze samples/serving.ebt demo
		return
	fi
	rm -f demo/trace.ebt demo/report.md demo/out.db
	record demo demo/trace.ebt "$DEMO_SECS" 8
	analyze demo/trace.ebt demo
}

# bundle FILE: FILE.ebt plus FILE's known answer (loadgen's and the server's
# counts) in the matching .answer.json, for tests/e2e/samples/bundled.sh.
bundle() {
	out=$1
	answer=${out%.ebt}.answer.json
	why=$(why_no_bpf "$tmp")
	[ -z "$why" ] || die "cannot record: $why (make samples needs root)"
	record "$tmp" "$tmp/serving.ebt" "$BUNDLE_SECS" 4
	"$BIN/ebpf-analyze" "$tmp/serving.ebt" --report json -o "$tmp/check.json" ||
		die "the new trace does not analyze"
	{
		printf '{"mode": "pool", "server_args": "--all-faults",\n "loadgen": '
		cat "$tmp/loadgen.json"
		printf ' ,"server": '
		sed -n 's/^stats //p' "$tmp/server.out"
		printf '}\n'
	} >"$tmp/answer.json"
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/answer.json" ||
		die "bad answer file"
	cp "$tmp/serving.ebt" "$out.tmp" && mv "$out.tmp" "$out" &&
		cp "$tmp/answer.json" "$answer" || die "cannot write $out"
	chmod 0644 "$out" "$answer"
	say "== wrote $out ($(wc -c <"$out") bytes) and $answer"
}

tmp=$(mktemp -d) || exit 1
trap 'cleanup; rm -rf "$tmp"' EXIT
case "$what" in
demo) demo ;;
bundle) [ $# -ge 2 ] || die "usage: demo.sh bundle FILE"; bundle "$2" ;;
*) die "usage: demo.sh demo | demo.sh bundle FILE" ;;
esac
