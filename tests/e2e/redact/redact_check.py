#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent checks for tests/e2e/redact (docs/FORMAT.md §6 parsed here).

  redact_check.py names IN OUT   no name of IN is in OUT's decompressed bytes,
                                 every redacted field of OUT is a token, every
                                 integer field of every record is unchanged
  redact_check.py json A B       two --report json outputs are equal except
                                 for strings that became tokens
Chunk payloads come from $O/tests/ebt-payloads (libzstd, no format/ code).
"""
import json
import os
import re
import struct
import subprocess
import sys

HEX = rb'[0-9a-f]{8,64}'
TOKEN = re.compile(rb'^(?:path|comm|host|id|arg|cmd):' + HEX + rb'$')
ADDR = re.compile(rb'^(?:\[(?:peer|local)-' + HEX + rb'\]|[/@]?(?:peer|local)-' + HEX +
                  rb')(?::[0-9]+)?$')
PSEUDO = re.compile(rb'^[a-z_]+:[^/]*$')
HOST_KEYS = {b'hostname', b'nodename', b'fqdn', b'domainname', b'host'}
ID_KEYS = {b'boot_id', b'machine_id'}
# (kind, tag) of string fields; everything else in a record is an integer
STRINGS = {(1, 1), (1, 2), (2, 2), (2, 3), (4, 9), (4, 10), (4, 11), (5, 9), (5, 10),
           (5, 11), (8, 4), (8, 5), (8, 6), (9, 5), (9, 6)}


def fail(msg):
    print('redact_check: ' + msg, file=sys.stderr)
    sys.exit(1)


def chunks(path):
    tool = os.path.join(os.environ['O'], 'tests', 'ebt-payloads')
    data = subprocess.run([tool, path], check=True, stdout=subprocess.PIPE).stdout
    off = 0
    while off < len(data):
        typ, count, raw = struct.unpack_from('<HII', data, off)
        off += 10
        yield typ, count, data[off:off + raw]
        off += raw


def records(path):
    for typ, count, p in chunks(path):
        if typ != 0x0010:
            continue
        off = 0
        for _ in range(count):
            kind, _, blen = struct.unpack_from('<HHI', p, off)
            body, off, fields, b = p[off + 8:off + 8 + blen], off + 8 + blen, {}, 0
            while b < len(body):
                tag, _, flen = struct.unpack_from('<HHI', body, b)
                fields[tag] = body[b + 8:b + 8 + flen]
                b += 8 + flen
            yield kind, fields


def addr_host(a):
    if a.startswith(b'['):
        return a[1:a.index(b']')] if b']' in a else a
    if a[:1] in (b'/', b'@') or a.count(b':') != 1:
        return a
    return a.split(b':')[0]


def sensitive(kind, f):
    """(field, [names]) pairs of a record of the input, --what all."""
    key = f.get(1, b'')
    if kind == 1 and (key in HOST_KEYS or key in ID_KEYS):
        return [(2, [f.get(2, b'')])]
    if kind == 1 and key == b'recorder_args':
        return [(2, re.split(rb'[ \0]', f.get(2, b'')))]
    if kind == 1 and key == b'targets' and f.get(2, b'').startswith(b'cmd:'):
        return [(2, [f[2][4:]])]
    if kind == 4:
        return [(9, [f.get(9, b'')]), (10, [f.get(10, b'')]), (11, f.get(11, b'').split(b'\0'))]
    if kind == 5:
        path = f.get(9, b'')
        return [(9, [] if PSEUDO.match(path) else [path]),
                (10, [addr_host(f.get(10, b''))]), (11, [addr_host(f.get(11, b''))])]
    if kind in (8, 9):
        return [(5, [f.get(5, b'')])]
    return []


def is_token(kind, tag, v):
    if kind == 5 and tag in (10, 11):
        return ADDR.match(v) is not None
    if TOKEN.match(v):
        return True
    if (kind == 4 and tag == 11) or (kind == 1 and b'arg:' in v):
        return all(TOKEN.match(w) or w == b'' for w in re.split(rb'[ \0]|^cmd:', v))
    return TOKEN.match(v) is not None


def own(kind, f):
    return kind == 1 and f.get(1) in (b'redacted', b'redact_key_id')


def check_names(inp, out):
    ins = list(records(inp))
    outs = [r for r in records(out) if not own(*r)]
    if len(ins) != len(outs):
        fail('%d records in, %d out' % (len(ins), len(outs)))
    raw = b''.join(p for _, _, p in chunks(out))
    meta = b''.join(p for t, _, p in chunks(out) if t == 0x0010)
    names, short, tokens = set(), set(), 0
    kept = b'\n'.join(v for k, f in ins for t, v in f.items()
                      if (k, t) in STRINGS and not any(t == st for st, _ in sensitive(k, f)))
    for (ki, fi), (ko, fo) in zip(ins, outs):
        if ki != ko:
            fail('record kinds differ: %d %d' % (ki, ko))
        for tag in set(fi) | set(fo):
            if (ki, tag) not in STRINGS and fi.get(tag, b'') != fo.get(tag, b''):
                fail('kind %d: integer field %d changed' % (ki, tag))
        for tag, vals in sensitive(ki, fi):
            vals = [v for v in vals if v]
            # numbers (pids in recorder_args, ports) are kept elsewhere on purpose
            names.update(v for v in vals if len(v) >= 4 and not v.isdigit())
            vals = [v for v in vals if v]
            # a short name is only searched as a whole field value
            short.update(struct.pack('<HHI', tag, 0, len(v)) + v for v in vals if len(v) < 4)
            if vals and not is_token(ki, tag, fo.get(tag, b'')):
                fail('kind %d field %d: %r is no token' % (ki, tag, fo.get(tag, b'')))
            tokens += bool(vals)
    for n in names:
        if n in kept:
            continue        # also a kept string of the input ("read": a syscall)
        if n in raw:
            fail('name %r survived redaction' % n)
    for n in short:
        if n in meta:
            fail('short name %r survived redaction as a field' % n[8:])
    events = [sum(c for t, c, _ in chunks(p) if t == 0x8020) for p in (inp, out)]
    if events[0] != events[1]:
        fail('events: %d in, %d out' % tuple(events))
    if not names:
        fail('no names in the input: nothing was checked')
    print('names: %d names gone, %d fields tokenised, %d records, %d events' %
          (len(names) + len(short), tokens, len(ins), events[0]))


def same_json(a, b, st):
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return False
        return all(same_json(a[k], b[k], st) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        if all(same_json(x, y, st) for x, y in zip(a, b)):
            return True
        left = list(b)              # ties sorted by name may change places
        for x in a:
            hit = next((i for i, y in enumerate(left) if same_json(x, y, dict(st))), None)
            if hit is None:
                return False
            same_json(x, left.pop(hit), st)
        return True
    if isinstance(a, str) and isinstance(b, str):
        if a == b:
            return True
        st['names'] += 1
        return re.search(r'(path|comm|host|id|arg|cmd):[0-9a-f]{8}|(peer|local)-[0-9a-f]{8}',
                         b) is not None
    if type(a) != type(b):
        return False
    st['numbers'] += isinstance(a, (int, float)) and not isinstance(a, bool)
    return a == b


def check_json(pa, pb):
    a, b = json.load(open(pa)), json.load(open(pb))
    st = {'names': 0, 'numbers': 0}
    if not same_json(a, b, st):
        fail('the analyses differ beyond names')
    if st['numbers'] < 50 or st['names'] < 1:
        fail('comparison too thin: %(numbers)d numbers, %(names)d names' % st)
    print('json: %(numbers)d numbers equal, %(names)d names differ' % st)


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'names':
        check_names(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'json':
        check_json(sys.argv[2], sys.argv[3])
    else:
        fail('usage: redact_check.py names IN OUT | json A B')
