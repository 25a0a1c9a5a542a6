#!/bin/sh
# SPDX-License-Identifier: MIT
# --syscalls CATEGORY keeps the events the category tables count in it:
# read()/write() on the sample's sockets are network time, and a name keeps
# every event of that syscall, whatever its descriptor.
. "$TOP/tests/e2e/lib.sh"
T=$TOP/samples/serving.ebt
"$BIN/ebpf-analyze" "$T" --report json -o all.json || die "analyze"
"$BIN/ebpf-analyze" "$T" --syscalls network --report json -o net.json || die "network"
"$BIN/ebpf-analyze" "$T" -s file --report json -o file.json || die "file"
"$BIN/ebpf-analyze" "$T" -s read --report json -o read.json || die "read"
python3 - <<'PY' || exit 1
import json, sys
L = {n: json.load(open(n + ".json")) for n in ("all", "net", "file", "read")}
cats = {n: {c["name"]: c for c in d["categories"] if c["count"]} for n, d in L.items()}
rows = {n: {s["name"]: s for s in d["syscalls"]} for n, d in L.items()}
def check(what, ok):
    if not ok:
        sys.exit("syscalls_category: " + what)
for n, cat in (("net", "network"), ("file", "file")):
    check(f"{n}: categories {sorted(cats[n])}", sorted(cats[n]) == [cat])
    for k in ("count", "total_ns", "max_ns"):
        check(f"{cat} {k}", cats[n][cat][k] == cats["all"][cat][k])
# the socket reads and writes are in the network selection, not in file's
check("no read() in --syscalls network", rows["net"].get("read", {}).get("count", 0) > 0)
check("no write() in --syscalls network", rows["net"].get("write", {}).get("count", 0) > 0)
check("read() split", rows["net"]["read"]["count"] + rows["file"]["read"]["count"] ==
      rows["all"]["read"]["count"])
check("read by name", rows["read"]["read"]["count"] == rows["all"]["read"]["count"]
      and list(rows["read"]) == ["read"])
check("peers under network", L["net"]["peers"] == L["all"]["peers"])
print("network: read %d of %d, write %d of %d" % (
    rows["net"]["read"]["count"], rows["all"]["read"]["count"],
    rows["net"]["write"]["count"], rows["all"]["write"]["count"]))
PY
