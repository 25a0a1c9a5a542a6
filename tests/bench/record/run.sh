#!/bin/sh
# SPDX-License-Identifier: MIT
# Cost of ebpf-record to the traced process, side by side in one run:
# untraced, under ebpf-record, and under the kernel's own counting of the
# same tracepoints (perf stat -e raw_syscalls:*, the floor of any syscall
# tracer here). Rounds alternate the three; medians are printed as ratios.
# Usage: O=build ROUNDS=5 N=2000000 sh tests/bench/record/run.sh
# With nginx and wrk installed, also nginx under wrk (requests/s kept).
set -u
O=${O:-build}
ROUNDS=${ROUNDS:-5}
N=${N:-2000000}
BIN=$O/bin
B=$O/tests/bench/bench-loop
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$(id -u)" != 0 ]; then
	echo "record bench: needs root (eBPF); skipped"
	exit 0
fi
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
perf_ok=0
if command -v perf >/dev/null &&
	perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o /dev/null true 2>/dev/null; then
	perf_ok=1
else
	echo "record bench: perf or its tracepoints unavailable; no floor column" >&2
fi

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}
ns_of() { awk '$1 == "ns_per_call" { print $2 }' "$1"; }

bench() { # loop
	loop=$1
	: >"$tmp/base" && : >"$tmp/ours" && : >"$tmp/perf" && : >"$tmp/lost" && : >"$tmp/cpu"
	for r in $(seq "$ROUNDS"); do
		"$B" "$loop" "$N" >"$tmp/out" && ns_of "$tmp/out" >>"$tmp/base"
		"$BIN/ebpf-record" -f -o "$tmp/t.ebt" -- "$B" "$loop" "$N" >"$tmp/out" 2>"$tmp/err" ||
			{ cat "$tmp/err" >&2; return 1; }
		ns_of "$tmp/out" >>"$tmp/ours"
		sed -n 's/.* recorded, \([0-9]*\) lost .*/\1/p' "$tmp/err" >>"$tmp/lost"
		sed -n 's/.*, \([0-9.]*\)% of a core per 1M events\/s.*/\1/p' "$tmp/err" >>"$tmp/cpu"
		if [ $perf_ok = 1 ]; then
			perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o /dev/null -- \
				"$B" "$loop" "$N" >"$tmp/out" && ns_of "$tmp/out" >>"$tmp/perf"
		fi
	done
	base=$(median <"$tmp/base")
	ours=$(median <"$tmp/ours")
	floor=$(median <"$tmp/perf")
	lost=$(sort -n "$tmp/lost" | tail -n 1)
	cpu=$(median <"$tmp/cpu")
	awk -v l="$loop" -v b="$base" -v o="$ours" -v f="$floor" -v lost="$lost" -v cpu="$cpu" \
		-v perf="$perf_ok" 'BEGIN {
		ro = o / b; rf = (perf && f > 0) ? f / b : 0
		printf "%-8s untraced %6.0f ns | ebpf-record %6.0f ns %5.2fx", l, b, o, ro
		if (rf > 0) printf " | perf stat %6.0f ns %5.2fx | ours/floor %4.2f", f, rf, ro / rf
		printf " | lost(max) %s | recorder CPU %s%% of a core per 1M events/s\n", lost, cpu
		if (l == "getppid") {
			if (rf > 0) printf "  target ours/floor <= 1.30: %s\n", (ro / rf <= 1.3) ? "met" : "MISSED"
			printf "  target zero loss at the default buffer: %s\n", (lost == 0) ? "met" : "MISSED"
			printf "  target recorder CPU < 20%% per 1M events/s: %s\n", (cpu < 20) ? "met" : "MISSED"
		}
	}'
}

# nginx (2 workers) under wrk on 127.0.0.1: requests/s kept, relative to
# untraced, when the master is recorded (workers followed) and when perf
# counts the same tracepoints in the master and its workers.
nginx_bench() {
	port=$((18000 + $$ % 1000))
	mkdir -p "$tmp/ngx"
	printf '%s\n' "worker_processes 2;" "daemon off;" "pid $tmp/ngx/nginx.pid;" \
		"error_log $tmp/ngx/error.log;" "events { worker_connections 1024; }" \
		"http { access_log off; server { listen 127.0.0.1:$port;" \
		"location / { return 200 \"hi\\n\"; } } }" >"$tmp/ngx/nginx.conf"
	nginx -c "$tmp/ngx/nginx.conf" -p "$tmp/ngx" &
	np=$!
	sleep 0.5
	url=http://127.0.0.1:$port/
	: >"$tmp/nb" && : >"$tmp/no" && : >"$tmp/np"
	for r in $(seq "$ROUNDS"); do
		rps 3 "$url" >>"$tmp/nb"
		"$BIN/ebpf-record" -q -f -o "$tmp/n.ebt" -p $np -d 4.5 &
		rp=$!
		sleep 0.7
		rps 3 "$url" >>"$tmp/no"
		wait $rp
		if [ $perf_ok = 1 ]; then
			perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o /dev/null \
				-p "$np,$(pgrep -d, -P $np)" -- sleep 4.5 &
			pp=$!
			sleep 0.7
			rps 3 "$url" >>"$tmp/np"
			wait $pp
		fi
	done
	kill $np
	wait $np 2>/dev/null
	awk -v b="$(median <"$tmp/nb")" -v o="$(median <"$tmp/no")" -v f="$(median <"$tmp/np")" \
		'BEGIN {
		printf "nginx    untraced %6.0f req/s | ebpf-record %6.0f req/s %4.2f", b, o, o / b
		if (f > 0) printf " | perf stat %6.0f req/s %4.2f", f, f / b
		printf "\n" }'
}

rps() { wrk -t2 -c32 -d"$1"s "$2" | awk '/Requests\/sec/ { print $2 }'; }

echo "record bench: $ROUNDS rounds of $N iterations, $(nproc) CPUs, $(uname -r)"
bench getppid
bench rw
if command -v nginx >/dev/null && command -v wrk >/dev/null; then
	nginx_bench
else
	echo "nginx    skipped: nginx or wrk missing (sh .ci/install-deps.sh bench)"
fi
