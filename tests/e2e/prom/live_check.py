#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Scrapes ebpf-analyze --follow --listen while its trace grows.

  live_check.py URL OUTDIR [--grow SRC DST] [--timeout SEC]

With --grow, appends SRC to DST in slices (the way a recorder grows a trace,
no BPF needed); otherwise something else (ebpf-record) writes the trace.
Meanwhile it keeps hostile clients attached (silent connections, a request
cut in half, garbage) and scrapes every 0.4 s. It checks that every scrape
is valid, fast (< 1.5 s) and never shrinks, that the counts grow while the
trace is open, and stops once ebpf_trace_closed is 1. It leaves the first
scrape with events in OUTDIR/mid.prom and the one after the footer in
OUTDIR/last.prom; with --grow also, for each scrape while the trace is open,
OUTDIR/prefix-K.ebt (the bytes written so far) and OUTDIR/scrape-K.prom, so
that a scrape can be compared with the offline report of the same prefix.
Exit 0 ok, 1 failed (reason on stderr).
"""
import os
import socket
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promparse  # noqa: E402


def fail(msg):
    print('live_check: ' + msg, file=sys.stderr)
    sys.exit(1)


def scrape(url):
    t0 = time.monotonic()
    with urllib.request.urlopen(url, timeout=5) as r:
        ctype = r.headers.get('Content-Type', '')
        text = r.read().decode('utf-8')
    took = time.monotonic() - t0
    if not ctype.startswith('text/plain; version=0.0.4'):
        fail('Content-Type %r' % ctype)
    if took > 1.5:
        fail('a scrape took %.2f s with hostile clients attached' % took)
    fams = promparse.parse(text)
    promparse.check_structure(fams)
    total = sum(v for n, l, v in fams['ebpf_syscall_duration_seconds']['samples']
                if n.endswith('_count'))
    return text, total, promparse.value(fams, 'ebpf_trace_closed')


def hostile(host, port):
    socks = []
    for payload in (b'', b'', b'', b'GET /metr', b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03'):
        s = socket.create_connection((host, port), timeout=5)
        if payload:
            s.sendall(payload)
        socks.append(s)
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b'BREW /pot HTCPCP/1.0\r\n\r\n')
    socks.append(s)
    return socks


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    url, outdir = argv[1], argv[2]
    args = argv[3:]
    timeout = float(args[args.index('--timeout') + 1]) if '--timeout' in args else 60
    data, slices, dst = None, [], None
    if '--grow' in args:
        src, dst = args[args.index('--grow') + 1], args[args.index('--grow') + 2]
        data = open(src, 'rb').read()
        step = max(1, (len(data) - 4096) // 12)
        slices = [data[:4096]] + [data[i:i + step] for i in range(4096, len(data), step)]
    hostport = url.split('/')[2]
    socks = hostile(hostport.rsplit(':', 1)[0], int(hostport.rsplit(':', 1)[1]))
    totals, open_totals, mid = [], [], None
    deadline = time.monotonic() + timeout
    out = None
    while time.monotonic() < deadline:
        if slices:
            with open(dst, 'ab') as f:
                f.write(slices.pop(0))
        time.sleep(0.4)
        text, total, closed = scrape(url)
        if totals and total < totals[-1]:
            fail('counts went down: %d after %d' % (total, totals[-1]))
        totals.append(total)
        if total and mid is None:
            mid = text
        if closed == 1:
            out = text
            break
        open_totals.append(total)
        if dst:
            k = len(open_totals)
            with open(os.path.join(outdir, 'prefix-%d.ebt' % k), 'wb') as f:
                f.write(open(dst, 'rb').read())
            with open(os.path.join(outdir, 'scrape-%d.prom' % k), 'w', encoding='utf-8',
                      newline='') as f:
                f.write(text)
    if out is None:
        fail('the trace was not closed within %d s (counts %s)' % (timeout, totals))
    grew = [t for t in open_totals if t > 0]
    if len(set(grew)) < 2:
        fail('counts did not grow while the trace was open: %s' % open_totals)
    for s in socks:
        s.close()
    with open(os.path.join(outdir, 'mid.prom'), 'w', encoding='utf-8', newline='') as f:
        f.write(mid)
    with open(os.path.join(outdir, 'last.prom'), 'w', encoding='utf-8', newline='') as f:
        f.write(out)
    print('scrapes %d, counts while open %s, final %d' % (len(totals), sorted(set(grew)),
                                                          totals[-1]))
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv))
    except promparse.Bad as e:
        fail('invalid exposition: %s' % e)
