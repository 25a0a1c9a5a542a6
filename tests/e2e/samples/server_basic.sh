#!/bin/sh
# SPDX-License-Identifier: MIT
# The serving sample and loadgen without eBPF, in both modes: the HTTP
# protocol, the planted faults' own counters against the access log and
# loadgen, a clean SIGTERM shutdown that leaves no process behind.
. "$TOP/tests/e2e/samples/serving.lib"

for mode in pool epoll; do
	d=basic_$mode
	start_server "$d" --mode "$mode" --all-faults --downstream-ms 1
	stub=$(awk '/^stub-pid /{print $2}' "$d/server.out")
	python3 "$TOP/tests/e2e/samples/http_probe.py" "$port" >"$d/probe.out" ||
		die "$mode: protocol"
	"$SMP/loadgen" -p "$port" -c 3 -n 600 -m normal:2,config:1,enrich:1 -q \
		--json "$d/loadgen.json" || die "$mode: loadgen failed"
	stop_server "$d"
	kill -0 "$stub" 2>/dev/null && die "$mode: stub process $stub left behind"
	python3 - "$d" <<'PY' || die "$mode: counters"
import json, re, sys
d = sys.argv[1]
lg = json.load(open(d + "/loadgen.json"))
st = json.load(open(d + "/stats.json"))
log = [dict(kv.split("=") for kv in l.split()[1:]) for l in open(d + "/data/access.log")]
ids = [int(e["id"]) for e in log]
cls = {int(e["id"]): e["class"] for e in log}
def eq(a, b, what):
    if a != b:
        sys.exit("%s: %s != %s" % (what, a, b))
eq(lg["requests"], 600, "loadgen sent")
eq(lg["ok"], 600, "loadgen ok")
eq(lg["errors"], 0, "loadgen errors")
eq(sum(lg["classes"].values()), 600, "loadgen classes")
# plus the inference answers the probe got (its 400s get no id)
eq(st["infer"], 600 + int(open(d + "/probe.out").read()), "server infer")
eq(sorted(ids), list(range(1, st["infer"] + 1)), "log ids")
eq(st["fsyncs"], st["infer"] // 10, "fsync every 10th")
cfg = sum(1 for c in cls.values() if c == "config")
eq(st["config_reads"], cfg, "config requests")
eq(st["small_reads"], cfg * 257, "one-byte reads (256 bytes + EOF)")
down = sum(1 for i, c in cls.items() if c == "enrich" or i % 20 == 0)
eq(st["downstream"] + st["downstream_errors"], down, "downstream calls")
eq(st["downstream_errors"], 0, "downstream errors")
eq(st["lock_writes"], st["infer"] // 4, "snapshot writes (every 4th request)")
lat = lg["latency_ns"]
if not 0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]:
    sys.exit("latency percentiles out of order: %s" % lat)
PY
done

# Usage errors exit 2 with a hint; --help exits 0.
"$SMP/serving" --mode nope >/dev/null 2>&1; [ $? = 2 ] || die "serving: bad mode not exit 2"
"$SMP/loadgen" -p 1 -m bad >/dev/null 2>&1; [ $? = 2 ] || die "loadgen: bad mix not exit 2"
"$SMP/loadgen" >/dev/null 2>&1; [ $? = 2 ] || die "loadgen: missing port not exit 2"
"$SMP/serving" --help | grep -q fault-fsync || die "serving --help"
"$SMP/loadgen" --help | grep -q -- --json || die "loadgen --help"
exit 0
