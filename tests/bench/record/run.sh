#!/bin/sh
# SPDX-License-Identifier: MIT
# Cost of ebpf-record to the traced process, side by side in one run:
# untraced, under ebpf-record, and under the kernel's own counting of the
# same tracepoints (perf stat -e raw_syscalls:*, the floor of any syscall
# tracer here). Rounds alternate the three; medians over rounds are printed
# as ratios, of each run's median 1000-call block ("median") and of its
# fastest block ("best": the intrinsic cost, robust on a busy machine).
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

# Appends a run's median-block and best-block ns per call to $1.med/$1.min.
keep() { ns_of "$tmp/out" >>"$1.med" && awk '$1 == "ns_min" { print $2 }' "$tmp/out" >>"$1.min"; }

ratios() { # loop kind(med|min) label
	awk -v l="$1" -v k="$3" -v b="$(median <"$tmp/base.$2")" -v o="$(median <"$tmp/ours.$2")" \
		-v f="$(median <"$tmp/perf.$2")" 'BEGIN {
		ro = o / b; rf = f > 0 ? f / b : 0
		printf "%-8s %-6s untraced %5.0f ns | ebpf-record %5.0f ns %5.2fx", l, k, b, o, ro
		if (rf > 0) printf " | perf stat %5.0f ns %5.2fx | ours/floor %4.2f", f, rf, ro / rf
		printf "\n"
		if (l == "getppid" && k == "median" && rf > 0)
			printf "  target ours/floor <= 1.30: %s\n", (ro / rf <= 1.3) ? "met" : "MISSED"
	}'
}

bench() { # loop
	loop=$1
	rm -f "$tmp"/*.med "$tmp"/*.min "$tmp/lost" "$tmp/cpu"
	: >"$tmp/perf.med" && : >"$tmp/perf.min"
	for r in $(seq "$ROUNDS"); do
		"$B" "$loop" "$N" >"$tmp/out" && keep "$tmp/base"
		"$BIN/ebpf-record" -f -o "$tmp/t.ebt" -- "$B" "$loop" "$N" >"$tmp/out" 2>"$tmp/err" ||
			{ cat "$tmp/err" >&2; return 1; }
		keep "$tmp/ours"
		sed -n 's/.* recorded, \([0-9]*\) lost .*/\1/p' "$tmp/err" >>"$tmp/lost"
		sed -n 's/.*, \([0-9.]*\)% of a core per 1M events\/s.*/\1/p' "$tmp/err" >>"$tmp/cpu"
		if [ $perf_ok = 1 ]; then
			perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o /dev/null -- \
				"$B" "$loop" "$N" >"$tmp/out" && keep "$tmp/perf"
		fi
	done
	ratios "$loop" med median
	ratios "$loop" min best
	lost=$(sort -n "$tmp/lost" | tail -n 1)
	cpu=$(median <"$tmp/cpu")
	echo "$loop: lost (max over runs) $lost; recorder CPU $cpu% of a core per 1M events/s"
	if [ "$loop" = getppid ]; then
		echo "  target zero loss at the default buffer: $([ "$lost" = 0 ] && echo met || echo MISSED)"
		awk -v c="$cpu" 'BEGIN { printf "  target recorder CPU < 20%% per 1M events/s: %s\n",
			(c < 20) ? "met" : "MISSED" }'
	fi
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

# --stacks on the getppid loop: at the default threshold (no getppid is
# that slow: the cost must be nil), and with --stack-min-us 0, where every
# syscall carries its stack: the price of one stack, which the threshold
# keeps off the fast path.
stacks_bench() {
	rm -f "$tmp"/*.med "$tmp"/*.min
	for r in $(seq "$ROUNDS"); do
		"$B" getppid "$N" >"$tmp/out" && keep "$tmp/base"
		"$BIN/ebpf-record" -q -f -o "$tmp/t.ebt" -- "$B" getppid "$N" >"$tmp/out" &&
			keep "$tmp/ours"
		"$BIN/ebpf-record" -q -f --stacks -o "$tmp/t.ebt" -- "$B" getppid "$N" \
			>"$tmp/out" && keep "$tmp/stk"
		"$BIN/ebpf-record" -q -f --stacks --stack-min-us 0 -o "$tmp/t.ebt" -- \
			"$B" getppid "$N" >"$tmp/out" && keep "$tmp/all"
	done
	awk -v b="$(median <"$tmp/base.med")" -v o="$(median <"$tmp/ours.med")" \
		-v s="$(median <"$tmp/stk.med")" -v a="$(median <"$tmp/all.med")" 'BEGIN {
		printf "stacks   getppid median block: untraced %4.0f ns | ebpf-record %4.0f ns" \
			" | --stacks %4.0f ns (%+.0f ns) | every syscall with its stack %4.0f ns" \
			" (%+.0f ns per stack)\n", b, o, s, s - o, a, a - o }'
}

# The sample server (samples/serving, all faults, pool mode) under loadgen
# (8 connections): requests/s untraced, recorded, and recorded with
# --stacks at the default threshold. Rounds alternate the three.
serving_bench() {
	S=$O/samples
	d=$tmp/srv
	mkdir -p "$d"
	"$S/serving" --port 0 --data-dir "$d/data" -q --all-faults >"$d/out" 2>"$d/err" &
	sp=$!
	for _ in $(seq 50); do grep -q '^port ' "$d/out" && break; sleep 0.1; done
	port=$(awk '/^port /{ print $2 }' "$d/out")
	lg() { "$S/loadgen" -p "$port" -c 8 -d 3 | awk '/req\/s/ { print $(NF - 1) }'; }
	: >"$tmp/sb" && : >"$tmp/so" && : >"$tmp/ss"
	for r in $(seq "$ROUNDS"); do
		lg >>"$tmp/sb"
		for mode in so ss; do
			opt=""
			[ $mode = ss ] && opt=--stacks
			# shellcheck disable=SC2086 # opt: empty or one option
			"$BIN/ebpf-record" $opt -f -o "$tmp/s.ebt" -p "$sp" --no-follow -d 4 \
				2>"$tmp/$mode.err" &
			rp=$!
			sleep 0.7
			lg >>"$tmp/$mode"
			wait $rp || { cat "$tmp/$mode.err" >&2; kill "$sp"; return 1; }
		done
	done
	kill "$sp"
	wait "$sp" 2>/dev/null
	grep 'slow syscalls with a user stack' "$tmp/ss.err" | sed 's/^/  last --stacks run: /'
	awk -v b="$(median <"$tmp/sb")" -v o="$(median <"$tmp/so")" -v s="$(median <"$tmp/ss")" \
		'BEGIN { printf "serving  untraced %6.0f req/s | ebpf-record %6.0f req/s %4.2f" \
		" | --stacks %6.0f req/s %4.2f\n", b, o, o / b, s, s / b }'
}

# Bystanders: raw tracepoints run for every process on the machine. The
# getppid loop untraced, while ebpf-record records another (idle) process,
# and while perf stat counts the tracepoints of that other process.
bystander_bench() {
	rm -f "$tmp"/*.med "$tmp"/*.min
	: >"$tmp/perf.med" && : >"$tmp/perf.min"
	sleep 3600 &
	idle=$!
	for r in $(seq "$ROUNDS"); do
		"$B" getppid "$N" >"$tmp/out" && keep "$tmp/base"
		"$BIN/ebpf-record" -q -f -o "$tmp/b.ebt" -p $idle 2>/dev/null &
		rp=$!
		sleep 0.5
		"$B" getppid "$N" >"$tmp/out" && keep "$tmp/ours"
		kill -INT $rp
		wait $rp
		if [ $perf_ok = 1 ]; then
			perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o /dev/null \
				-p $idle &
			pp=$!
			sleep 0.5
			"$B" getppid "$N" >"$tmp/out" && keep "$tmp/perf"
			kill -INT $pp
			wait $pp
		fi
	done
	kill $idle
	wait $idle 2>/dev/null
	awk -v b="$(median <"$tmp/base.min")" -v o="$(median <"$tmp/ours.min")" \
		-v f="$(median <"$tmp/perf.min")" 'BEGIN {
		printf "bystander getppid best: alone %4.0f ns | another process recorded %4.0f ns" \
			" %4.2fx", b, o, o / b
		if (f > 0) printf " | perf stat -p another %4.0f ns %4.2fx", f, f / b
		printf "\n" }'
}

echo "record bench: $ROUNDS rounds of $N iterations, $(nproc) CPUs, $(uname -r)"
bench getppid
bench rw
bystander_bench
stacks_bench
if [ -x "$O/samples/serving" ] && [ -x "$O/samples/loadgen" ]; then
	serving_bench
else
	echo "serving  skipped: samples not built (make O=$O sample-bins)"
fi
if command -v nginx >/dev/null && command -v wrk >/dev/null; then
	nginx_bench
else
	echo "nginx    skipped: nginx or wrk missing (sh .ci/install-deps.sh bench)"
fi
