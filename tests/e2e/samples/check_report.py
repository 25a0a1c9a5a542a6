# SPDX-License-Identifier: MIT
"""Known-answer checks of an ebpf-analyze JSON report of the serving sample.

usage: check_report.py REPORT.json LOADGEN.json STATS.json [fault=on|off ...]
       check_report.py REPORT.json ANSWER.json [fault=on|off ...]
ANSWER.json is {"loadgen": LOADGEN, "server": STATS} (samples/serving.answer.json
for the bundled trace). faults: fsync, small_reads, futex (pool mode), lock, downstream.
Always checked: the rebuilt request count is within 1% of the requests
loadgen got answers to, and server-side request p50/p90/p99 are never above
loadgen's; latency_max=on checks the maximum too.
Prints one line per check on stderr; exit 1 if any failed.
"""
import json
import re
import sys

STUB_HOST = "127.0.0.2"  # samples/serving/serving.h SRV_STUB_ADDR
failed = []


def check(ok, what, detail):
    print("%s %s: %s" % ("ok  " if ok else "FAIL", what, detail), file=sys.stderr)
    if not ok:
        failed.append(what)


def text_of(obj):
    return json.dumps(obj, sort_keys=True).lower()


def suggestions(rep):
    out = []
    for s in rep.get("suggestions") or []:
        if isinstance(s, dict):
            out.append(" ".join(str(v) for v in s.values() if isinstance(v, (str, int, float))))
        else:
            out.append(str(s))
    return out


def numbers(text):
    """Every number in text: 12345, 12,345, 12.3k, 1.2M, 12 345."""
    vals = []
    for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)\s*([kKmM](?![a-z]))?", text):
        try:
            v = float(m.group(1).replace(",", ""))
        except ValueError:
            continue
        suf = (m.group(2) or "").lower()
        vals.append(v * {"": 1, "k": 1e3, "m": 1e6}[suf])
    return vals


def walk(obj):
    yield obj
    if isinstance(obj, dict):
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


def peer_tables(rep):
    """The report's network-time-per-peer table ("peers"), else any list of
    objects keyed by a peer/host address with a time in ns."""
    if isinstance(rep.get("peers"), list):
        yield rep["peers"]
        return
    for node in walk(rep):
        if not (isinstance(node, list) and node and all(isinstance(x, dict) for x in node)):
            continue
        keys = set(node[0])
        if keys & {"peer", "host", "address", "remote"} and any(k.endswith("ns") for k in keys):
            yield node


def ns_of(entry):
    for k in ("net_ns", "network_ns", "total_ns", "time_ns", "ns", "syscall_ns"):
        if isinstance(entry.get(k), (int, float)):
            return entry[k]
    return max((v for k, v in entry.items() if k.endswith("ns") and isinstance(v, (int, float))),
               default=0)


def syscall_count(rep, name):
    return sum(x.get("count", 0) for x in rep.get("syscalls") or [] if x.get("name") == name)


def check_exact(rep, st, want):
    """The recording spans the whole load, so with no event lost the trace
    holds exactly the syscalls only a fault makes: fsync (the fsync fault),
    pwrite64 (the lock's snapshot), connect (the downstream calls)."""
    lost = (rep.get("trace") or {}).get("lost_events")
    check(lost == 0, "no event lost", "lost_events %s" % lost)
    if lost != 0:
        return
    for fault, name, key in (("fsync", "fsync", "fsyncs"), ("lock", "pwrite64", "lock_writes"),
                             ("downstream", "connect", "downstream")):
        if fault not in want:
            continue
        exp = st[key] + (st["downstream_errors"] if key == "downstream" else 0)
        got = syscall_count(rep, name)
        check(got == exp, "exact %s count" % name, "trace %d, server %d" % (got, exp))


def check_count(rep, lg):
    got = (rep.get("requests") or {}).get("count")
    want = lg["ok"]
    ok = isinstance(got, int) and want > 0 and abs(got - want) <= 0.01 * want
    check(ok, "request count", "rebuilt %s, loadgen answered %d (1%% = %.0f)"
          % (got, want, 0.01 * want))


def check_latency(rep, lg, with_max):
    """Server-side request time is inside the client's, so its percentiles are
    never above the client's (up to the histogram's 0.4% and 0.1 ms of
    clock and scheduling slack). No lower bound: on a loaded machine the
    client's time also holds waits for a CPU that the server never sees."""
    req, lat = rep.get("requests") or {}, lg["latency_ns"]
    for q in ("p50", "p90", "p99", "max") if with_max else ("p50", "p90", "p99"):
        got, want = req.get(q + "_ns"), lat[q]
        ok = isinstance(got, int) and got <= want * 1.01 + 100000
        check(ok, "server-side %s within the client's" % q,
              "server %s us, client %s us" % (got and got // 1000, want // 1000))


def check_fsync(rep, st, on):
    hot = [h for h in rep.get("hotspots") or [] if "fsync" in text_of(h)]
    sug = [s for s in suggestions(rep) if "fsync" in s.lower()]
    if on:
        check(bool(hot), "fsync among hotspots", "%d of %d hotspots name fsync (server did %d)"
              % (len(hot), len(rep.get("hotspots") or []), st["fsyncs"]))
        check(bool(sug), "suggestion naming fsync", sug[0] if sug else "none")
    else:
        check(not hot and not sug, "no fsync finding with the fault off",
              "hotspots %d, suggestions %s" % (len(hot), sug))


SMALL_RE = re.compile(r"(small|tiny|1-byte|one-byte|single-byte|byte-sized|byte-by-byte|"
                      r"<= ?\d+ ?b)", re.I)


def check_small_reads(rep, st, on):
    sug = [s for s in suggestions(rep) if re.search(r"\bread", s, re.I) and SMALL_RE.search(s)]
    if not on:
        check(not sug, "no small-reads finding with the fault off", str(sug))
        return
    want = st["small_reads"]
    # Each config request makes 256 one-byte reads returning 1 and one
    # returning 0 (EOF); a rule may count either.
    lo, hi = want * 256 / 257 * 0.98, want * 1.02
    cited = [s for s in sug if any(lo <= v <= hi for v in numbers(s))]
    check(bool(cited), "suggestion naming small reads with their count",
          "server made %d one-byte reads; %s" % (want, cited[0] if cited else sug or "none"))


def check_futex(rep, on):
    hot = [h for h in rep.get("hotspots") or [] if "futex" in text_of(h)]
    slow = [r for r in (rep.get("requests") or {}).get("slowest") or []
            if re.search(r'"(futex|sync[a-z]*)(_ns)?": [1-9]', text_of(r))]
    sug = [s for s in suggestions(rep) if re.search(r"futex|\block\b|contention", s, re.I)]
    if on:
        check(bool(hot) or bool(slow), "futex waits attributed to requests",
              "%d hotspots name futex, %d slowest requests have sync time" % (len(hot), len(slow)))
    else:
        check(not sug, "no lock-contention suggestion with the fault off", str(sug))


def check_downstream(rep, st, on):
    tables = list(peer_tables(rep))
    tops = []
    for t in tables:
        ranked = sorted(t, key=ns_of, reverse=True)
        tops.append(ranked[0])
    stub_anywhere = [e for t in tables for e in t if STUB_HOST in text_of(e)]
    if on:
        check(bool(tables), "a network table per peer", "%d tables" % len(tables))
        ok = bool(tops) and STUB_HOST in text_of(tops[0])
        check(ok, "downstream stub is the top network peer by time",
              "top: %s (server made %d downstream calls)"
              % (json.dumps(tops[0]) if tops else "none", st["downstream"]))
    else:
        sug = [s for s in suggestions(rep) if STUB_HOST in s]
        check(not stub_anywhere and not sug, "no downstream peer with the fault off",
              "%d entries, %d suggestions" % (len(stub_anywhere), len(sug)))


def main(argv):
    rep = json.load(open(argv[1]))
    lg = json.load(open(argv[2]))
    if "loadgen" in lg:
        lg, st, rest = lg["loadgen"], lg["server"], argv[3:]
    else:
        st, rest = json.load(open(argv[3])), argv[4:]
    want = dict(a.split("=", 1) for a in rest)
    check_count(rep, lg)
    check_latency(rep, lg, want.get("latency_max") == "on")
    check_exact(rep, st, want)
    if "fsync" in want:
        check_fsync(rep, st, want["fsync"] == "on")
    if "small_reads" in want:
        check_small_reads(rep, st, want["small_reads"] == "on")
    if "futex" in want:
        check_futex(rep, want["futex"] == "on")
    if "downstream" in want:
        check_downstream(rep, st, want["downstream"] == "on")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
