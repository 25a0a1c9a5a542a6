#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a Chrome trace-event JSON file (ebpf-analyze --export perfetto)
against the format's rules: every event has ph/pid/tid/ts as required; X
slices have a non-negative dur; slices of one thread never overlap
unless nested and their timestamps never go back; every async b has an e
with the same (cat, id) and not before it; a tid always belongs to one pid;
every pid and tid with slices has a process_name / thread_name.
Usage: check_perfetto.py FILE [key=value...] with expectations
slices=N (X count), capped=0|1, requests_min=N. Exit 1 with a reason."""
import json
import sys


def fail(msg):
    print("check_perfetto: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    doc = json.load(open(sys.argv[1]))
    want = dict(a.split("=", 1) for a in sys.argv[2:])
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        fail("no traceEvents array")
    evs = doc["traceEvents"]
    tid_pid, last_end, last_ts = {}, {}, {}
    open_async, names_p, names_t = {}, set(), set()
    used_p, used_t = set(), set()
    nx = nreq = 0
    for i, e in enumerate(evs):
        ph = e.get("ph")
        if ph not in ("X", "M", "b", "e", "i"):
            fail("event %d: unexpected ph %r" % (i, ph))
        for k in ("pid", "tid"):
            if not isinstance(e.get(k), int):
                fail("event %d: %s is not an integer" % (i, k))
        if ph == "M":
            (names_p if e["name"] == "process_name" else names_t).add(
                e["pid"] if e["name"] == "process_name" else (e["pid"], e["tid"]))
            if not isinstance(e.get("args", {}).get("name"), str):
                fail("event %d: metadata without a name" % i)
            continue
        if not isinstance(e.get("ts"), (int, float)):
            fail("event %d: no numeric ts" % i)
        if ph == "X":
            nx += 1
            dur = e.get("dur")
            if not isinstance(dur, (int, float)) or dur < 0:
                fail("event %d: X slice without a dur >= 0" % i)
            if not isinstance(e.get("name"), str) or not e["name"]:
                fail("event %d: X slice without a name" % i)
            if tid_pid.setdefault(e["tid"], e["pid"]) != e["pid"]:
                fail("event %d: tid %d seen with pids %d and %d" %
                     (i, e["tid"], tid_pid[e["tid"]], e["pid"]))
            track = (e["pid"], e["tid"])
            used_p.add(e["pid"])
            used_t.add(track)
            if e["ts"] < last_ts.get(track, float("-inf")):
                fail("event %d: ts goes back on track %r" % (i, track))
            # 1 ns of slack: ts and dur are printed with 3 decimals of us
            if e["ts"] < last_end.get(track, float("-inf")) - 0.0015:
                fail("event %d: overlaps the previous slice of track %r" % (i, track))
            last_ts[track] = e["ts"]
            last_end[track] = e["ts"] + dur
        elif ph == "b":
            key = (e.get("cat"), e.get("id"))
            if key in open_async:
                fail("event %d: async id %r begins twice" % (i, key))
            open_async[key] = e["ts"]
        elif ph == "e":
            key = (e.get("cat"), e.get("id"))
            if key not in open_async:
                fail("event %d: async end without begin %r" % (i, key))
            if e["ts"] < open_async.pop(key):
                fail("event %d: async end before its begin" % i)
            nreq += 1
    if open_async:
        fail("%d async slices never end" % len(open_async))
    if used_p - names_p:
        fail("pids without process_name: %r" % sorted(used_p - names_p)[:5])
    if used_t - names_t:
        fail("threads without thread_name: %r" % sorted(used_t - names_t)[:5])
    other = doc.get("otherData", {})
    if "slices" in want and nx != int(want["slices"]):
        fail("%d X slices, want %s" % (nx, want["slices"]))
    if "capped" in want and (other.get("slices_not_written", 0) > 0) != (want["capped"] == "1"):
        fail("capped note %r, want capped=%s" % (other, want["capped"]))
    if "requests_min" in want and nreq < int(want["requests_min"]):
        fail("%d request slices, want >= %s" % (nreq, want["requests_min"]))
    print("slices %d requests %d" % (nx, nreq))


main()
