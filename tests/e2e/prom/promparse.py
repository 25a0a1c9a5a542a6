#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Strict parser and checker of the Prometheus text exposition (0.0.4) that
ebpf-analyze writes, written from the format spec (no client library).

  promparse.py check FILE [--json REPORT [--open]] [--events N]
      parse FILE ('-': stdin) and check its structure; with --json, check it
      against the JSON report of the same trace (counts, sums, errors,
      percentiles, bucket placement); --open: FILE was scraped while the
      trace was still open, so requests (closed only at the end) are not
      compared; with --events, the total _count.
  promparse.py get FILE SERIES
      print the value of one series, e.g. 'ebpf_trace_closed' or
      'ebpf_syscall_duration_seconds_count{syscall="read",category="file"}'.
Exit 0 ok, 1 a check failed (the reason on stderr), 2 usage.
"""
import json
import math
import re
import sys

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*')
LABEL = re.compile(r'[a-zA-Z_][a-zA-Z0-9_]*')
REL = 1.0 / 256       # engine histogram: reported percentile vs true value
LE_SLACK = 1.0 / 128  # ladder: le=L may hold values below L * (1 + 1/128)


class Bad(Exception):
    pass


def parse_value(s):
    if s in ('+Inf', 'Inf'):
        return math.inf
    if s == '-Inf':
        return -math.inf
    if s == 'NaN':
        return math.nan
    if re.fullmatch(r'[-+]?\d+', s):
        return int(s)  # exact: counts past 2**53 compare exactly
    if not re.fullmatch(r'[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?', s):
        raise Bad('bad value %r' % s)
    return float(s)


def parse_labels(s, i, lineno):
    """Parses '{k="v",...}' from s[i] == '{'; returns (dict, next index)."""
    labels = {}
    i += 1
    while True:
        if s[i] == '}':
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            raise Bad('line %d: bad label name at %r' % (lineno, s[i:i + 20]))
        key = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise Bad('line %d: want =" after %s' % (lineno, key))
        i += 2
        val = []
        while s[i] != '"':
            if s[i] == '\n':
                raise Bad('line %d: raw newline in a label value' % lineno)
            if s[i] == '\\':
                nxt = s[i + 1]
                if nxt not in '\\"n':
                    raise Bad('line %d: bad escape \\%s' % (lineno, nxt))
                val.append({'\\': '\\', '"': '"', 'n': '\n'}[nxt])
                i += 2
            else:
                val.append(s[i])
                i += 1
        i += 1
        if key in labels:
            raise Bad('line %d: label %s twice' % (lineno, key))
        labels[key] = ''.join(val)
        if s[i] == ',':
            i += 1
        elif s[i] != '}':
            raise Bad('line %d: want , or } after a label' % lineno)


def parse(text):
    """Returns {family: {'type', 'help', 'samples': [(name, labels, value)]}}."""
    if text and not text.endswith('\n'):
        raise Bad('the exposition does not end in a newline')
    fams, seen, cur = {}, set(), None
    for lineno, line in enumerate(text.split('\n')[:-1], 1):
        if not line:
            continue
        if line.startswith('#'):
            parts = line.split(' ', 3)
            if len(parts) >= 3 and parts[1] in ('HELP', 'TYPE'):
                name = parts[2]
                fam = fams.setdefault(name, {'type': None, 'help': None, 'samples': []})
                if parts[1] == 'TYPE':
                    if fam['type'] or fam['samples']:
                        raise Bad('line %d: TYPE of %s late or twice' % (lineno, name))
                    if parts[3] not in ('counter', 'gauge', 'histogram', 'summary',
                                        'untyped'):
                        raise Bad('line %d: unknown type %s' % (lineno, parts[3]))
                    fam['type'] = parts[3]
                else:
                    fam['help'] = parts[3] if len(parts) > 3 else ''
                cur = name
            continue
        m = NAME.match(line)
        if not m:
            raise Bad('line %d: bad metric name: %r' % (lineno, line[:40]))
        name, i = m.group(0), m.end()
        labels = {}
        if i < len(line) and line[i] == '{':
            labels, i = parse_labels(line + '\n', i, lineno)
        if line[i:i + 1] != ' ':
            raise Bad('line %d: want a space before the value' % lineno)
        rest = line[i + 1:].split(' ')
        if len(rest) not in (1, 2):
            raise Bad('line %d: trailing garbage' % lineno)
        value = parse_value(rest[0])
        fam_name = family_of(name, cur, fams)
        if fam_name is None:
            raise Bad('line %d: %s has no TYPE line before it' % (lineno, name))
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise Bad('line %d: duplicate series %s%s' % (lineno, name, labels))
        seen.add(key)
        fams[fam_name]['samples'].append((name, labels, value))
    return fams


def family_of(name, cur, fams):
    if cur is None:
        return None
    t = fams[cur]['type']
    if name == cur:
        return cur
    if t == 'histogram' and name in (cur + '_bucket', cur + '_sum', cur + '_count'):
        return cur
    if t == 'summary' and name in (cur + '_sum', cur + '_count'):
        return cur
    return None


def series_key(labels, drop):
    return tuple(sorted((k, v) for k, v in labels.items() if k != drop))


def check_histogram(name, fam):
    """Buckets cumulative, le ascending, ending in +Inf == _count."""
    groups = {}
    for sname, labels, value in fam['samples']:
        g = groups.setdefault(series_key(labels, 'le'),
                              {'buckets': [], 'sum': None, 'count': None})
        if sname.endswith('_bucket'):
            if 'le' not in labels:
                raise Bad('%s bucket without le' % name)
            g['buckets'].append((parse_value(labels['le']), value))
        elif sname.endswith('_sum'):
            g['sum'] = value
        else:
            g['count'] = value
    for key, g in groups.items():
        b = g['buckets']
        if not b or b[-1][0] != math.inf:
            raise Bad('%s%s: buckets do not end in +Inf' % (name, dict(key)))
        for (l1, c1), (l2, c2) in zip(b, b[1:]):
            if not l2 > l1:
                raise Bad('%s%s: le not ascending' % (name, dict(key)))
            if c2 < c1:
                raise Bad('%s%s: buckets not cumulative at le=%s' % (name, dict(key), l2))
        if g['count'] is None or g['sum'] is None:
            raise Bad('%s%s: _sum or _count missing' % (name, dict(key)))
        if b[-1][1] != g['count']:
            raise Bad('%s%s: +Inf %s != _count %s' % (name, dict(key), b[-1][1], g['count']))
        if g['sum'] < 0 or (g['count'] == 0 and g['sum'] != 0):
            raise Bad('%s%s: inconsistent _sum %s' % (name, dict(key), g['sum']))
    return groups


def check_summary(name, fam):
    groups = {}
    for sname, labels, value in fam['samples']:
        g = groups.setdefault(series_key(labels, 'quantile'), {'q': {}, 'sum': None,
                                                               'count': None})
        if sname == name:
            q = float(labels['quantile'])
            if not 0 <= q <= 1:
                raise Bad('%s: quantile %s' % (name, q))
            g['q'][q] = value
        elif sname.endswith('_sum'):
            g['sum'] = value
        else:
            g['count'] = value
    for key, g in groups.items():
        qs = sorted(g['q'].items())
        if g['count']:
            for (q1, v1), (q2, v2) in zip(qs, qs[1:]):
                if v2 < v1:
                    raise Bad('%s%s: quantiles decrease' % (name, dict(key)))
    return groups


def check_structure(fams):
    out = {}
    for name, fam in fams.items():
        if fam['type'] is None or fam['help'] is None:
            raise Bad('%s: HELP or TYPE missing' % name)
        if not name.startswith('ebpf_'):
            raise Bad('%s: not in the ebpf_ namespace' % name)
        if fam['type'] == 'counter':
            if not name.endswith('_total'):
                raise Bad('%s: a counter not named _total' % name)
            for _, labels, v in fam['samples']:
                if v < 0 or v != v:
                    raise Bad('%s%s: counter %s' % (name, labels, v))
        if fam['type'] == 'histogram':
            out[name] = check_histogram(name, fam)
        if fam['type'] == 'summary':
            out[name] = check_summary(name, fam)
    return out


def value(fams, name, **labels):
    for fam in fams.values():
        for sname, l, v in fam['samples']:
            if sname == name and l == labels:
                return v
    return None


def near(got, want_ns, rel=0.0):
    """got (seconds, parsed into a double) equals want_ns within rel, the
    nanosecond rounding, and the double's own precision: past 2^23 s the
    exposition's exact digits no longer fit 53 bits (4 ulps of slack)."""
    want = want_ns / 1e9
    slack = 1.5e-9 + abs(want) * 4 * sys.float_info.epsilon
    return abs(got - want) <= abs(want) * rel + slack


def check_bucket_places(name, key, g, q, p_ns):
    """The histogram puts rank ceil(q*count) between two bounds; the report's
    percentile of the same data must fall between them, within the error."""
    b, count = g['buckets'], g['count']
    rank = max(1, math.ceil(q * count))
    for j, (le, c) in enumerate(b):
        if c >= rank:
            lo = b[j - 1][0] if j else 0.0
            hi = le * (1 + LE_SLACK) if le != math.inf else math.inf
            p = p_ns / 1e9
            if not (lo * (1 - REL) < p or lo == 0) or not p <= hi * (1 + REL):
                raise Bad('%s%s: p%g %s s outside its bucket (%s, %s]'
                          % (name, dict(key), q * 100, p, lo, le))
            return
    raise Bad('%s%s: rank %d above every bucket' % (name, dict(key), rank))


def check_against(fams, groups, rep, still_open=False):
    h = groups['ebpf_syscall_duration_seconds']
    s = groups['ebpf_syscall_latency_seconds']
    total = 0
    for sc in rep['syscalls']:
        key = (('category', sc['category']), ('syscall', sc['name']))
        if key not in h:
            raise Bad('syscall %s missing from the histogram' % sc['name'])
        g = h[key]
        if g['count'] != sc['count']:
            raise Bad('%s: _count %s, report %s' % (sc['name'], g['count'], sc['count']))
        if not near(g['sum'], sc['total_ns']):
            raise Bad('%s: _sum %s, report %s ns' % (sc['name'], g['sum'], sc['total_ns']))
        total += g['count']
        for q, k in ((0.5, 'p50_ns'), (0.9, 'p90_ns'), (0.99, 'p99_ns'), (0.999, 'p999_ns')):
            got = s[key]['q'][q]
            if not near(got, sc[k], REL):
                raise Bad('%s: p%g %s s, report %s ns' % (sc['name'], q * 100, got, sc[k]))
            check_bucket_places('ebpf_syscall_duration_seconds', key, g, q, sc[k])
        errs = sum(v for n, l, v in fams['ebpf_syscall_errors_total']['samples']
                   if l['syscall'] == sc['name'])
        if errs != sc['errors']:
            raise Bad('%s: errors %s, report %s' % (sc['name'], errs, sc['errors']))
    if len(h) != len(rep['syscalls']):
        raise Bad('%d syscall series, report has %d' % (len(h), len(rep['syscalls'])))
    c = groups['ebpf_category_duration_seconds']
    for cat in rep['categories']:
        g = c[(('category', cat['name']),)]
        if g['count'] != cat['count'] or not near(g['sum'], cat['total_ns']):
            raise Bad('category %s: %s/%s, report %s/%s' % (cat['name'], g['count'],
                      g['sum'], cat['count'], cat['total_ns']))
    r = groups['ebpf_request_duration_seconds'][()]
    if not still_open and r['count'] != rep['requests']['count']:
        raise Bad('requests: _count %s, report %s' % (r['count'], rep['requests']['count']))
    if rep['requests']['count'] and not still_open:
        for q, k in ((0.5, 'p50_ns'), (0.99, 'p99_ns')):
            got = groups['ebpf_request_latency_seconds'][()]['q'][q]
            if not near(got, rep['requests'][k], REL):
                raise Bad('requests p%g: %s s, report %s ns' % (q * 100, got, rep['requests'][k]))
            check_bucket_places('ebpf_request_duration_seconds', (), r, q, rep['requests'][k])
    t = rep['trace']
    for metric, want in (('ebpf_trace_events_total', t['events']),
                         ('ebpf_trace_events_analyzed_total', t['events_analyzed']),
                         ('ebpf_trace_lost_events_total', t['lost_events'])):
        if value(fams, metric) != want:
            raise Bad('%s %s, report %s' % (metric, value(fams, metric), want))
    tm = rep['time']
    if not near(value(fams, 'ebpf_syscall_time_seconds_total', state='idle'), tm['idle_ns']):
        raise Bad('idle time differs from the report')
    return total


def main(argv):
    if len(argv) < 3 or argv[1] not in ('check', 'get'):
        print(__doc__, file=sys.stderr)
        return 2
    text = (sys.stdin.read() if argv[2] == '-'
            else open(argv[2], encoding='utf-8', newline='').read())
    try:
        fams = parse(text)
        if argv[1] == 'get':
            for fam in fams.values():
                for sname, l, v in fam['samples']:
                    shown = sname + ('{%s}' % ','.join('%s="%s"' % (k, l[k]) for k in l)
                                     if l else '')
                    if shown == argv[3]:
                        print(v if isinstance(v, int) else '%.17g' % v)
                        return 0
            print('no series %s' % argv[3], file=sys.stderr)
            return 1
        groups = check_structure(fams)
        total = sum(g['count'] for g in groups['ebpf_syscall_duration_seconds'].values())
        args = argv[3:]
        if '--json' in args:
            with open(args[args.index('--json') + 1], encoding='utf-8') as f:
                check_against(fams, groups, json.load(f), '--open' in args)
        if '--events' in args and total != int(args[args.index('--events') + 1]):
            raise Bad('sum of _count %d, want %s' % (total, args[args.index('--events') + 1]))
    except Bad as e:
        print('promparse: %s' % e, file=sys.stderr)
        return 1
    print('ok %d families, %d syscall events' % (len(fams), total))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
