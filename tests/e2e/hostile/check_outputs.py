# SPDX-License-Identifier: MIT
"""Checks ebpf-analyze outputs of a hostile trace with real parsers.

  check_outputs.py json FILE [--manifest M] [--min-strings N] [--no-schema]
  check_outputs.py csv FILE_OR_DIR [--manifest M] [--min-strings N]
  check_outputs.py sqlite DB [--manifest M] [--json REPORT] [--min-strings N]
  check_outputs.py text FILE [--manifest M] [--md | --color]
  check_outputs.py html FILE [--manifest M] [--min-strings N] [--scripts N]
  check_outputs.py folded FILE

Structure first (strict JSON, RFC 4180 CSV with equal row widths, SQLite
integrity and schema, text without control characters or forged lines, Markdown
tables whose rows keep their cell count), then, given the generator's
manifest, that the planted strings are present as data: decoded values equal
the originals up to the documented replacements (invalid UTF-8 -> U+FFFD, a
CSV formula prefix gets a leading quote, text shows control characters as
visible escapes) and truncation of long names (a kept prefix, maybe ending
in an ellipsis). Prints one line per problem; exit 1 if any.
"""
import argparse
import csv
import io
import json
import os
import re
import sqlite3
import sys
from html.parser import HTMLParser

FFFD = "\ufffd"
ELLIPSES = ("\u2026", "...")
MIN_PREFIX = 32          # a truncated value must keep at least this much
FORMULA = "=+-@\t\r"
NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def invisible(cp):
    """Code points that change how the text around them displays without
    showing themselves (bidi controls, line/paragraph separators, zero-width
    and format characters, BOM, noncharacters): never raw in text outputs;
    ana_esc_text shows them as \\u{XXXX}."""
    return (0x80 <= cp < 0xA0 or cp in (0xAD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4,
                                         0x17B5, 0x3164, 0xFEFF, 0xFFA0)
            or 0x180B <= cp <= 0x180F or 0x200B <= cp <= 0x200F
            or 0x2028 <= cp <= 0x202E or 0x2060 <= cp <= 0x206F
            or 0xFE00 <= cp <= 0xFE0F or 0xFFF0 <= cp <= 0xFFFB
            or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE
            or 0xE0000 <= cp <= 0xE0FFF)
problems = []
MAX_SAME = 3             # print at most this many problems of one kind


def problem(msg, kind=None):
    """Records a finding; kind groups repeats (only the first few print)."""
    problems.append(kind or msg)
    same = problems.count(kind) if kind else 1
    if same <= MAX_SAME:
        print("FAIL " + msg)
    elif same == MAX_SAME + 1:
        print("FAIL ... more of: %s" % kind)


def note(msg):
    print("note " + msg)


def load_manifest(path):
    if not path:
        return []
    with open(path) as f:
        return [bytes.fromhex(s["hex"]) for s in json.load(f)["strings"]]


def collapse(s):
    return re.sub(FFFD + "+", FFFD, s)


def decoded(b):
    """What a JSON/CSV/SQLite consumer should see for original bytes b."""
    return collapse(b.decode("utf-8", "replace"))


def strip_trunc(v):
    for e in ELLIPSES:
        if v.endswith(e):
            v = v[: -len(e)]
            break
    return v.rstrip(FFFD)


def matches(expected, value):
    """value holds expected, or is a long enough kept prefix of it."""
    value = collapse(value)
    if expected in value:
        return True
    kept = strip_trunc(value)
    return len(kept) >= min(MIN_PREFIX, len(expected)) and expected.startswith(kept) \
        and len(kept) > 0


def nul_shown(b):
    """The analyzer keeps a NUL byte inside a name visible as U+2400 (its
    outputs are C strings: a NUL must not cut the name)."""
    return b.replace(b"\x00", "\u2400".encode())


def check_presence(strings, values, what, min_strings, expect=None):
    """Each planted string must appear among values, in the form expect(bytes)
    gives (default: decoded()), NUL bytes shown as U+2400."""
    expect = expect or decoded
    values = [collapse(v) for v in values]
    found = 0
    for i, b in enumerate(strings):
        want = collapse(expect(nul_shown(b)))
        ok = any(matches(want, v) for v in values)
        if ok:
            found += 1
        elif i < min_strings:
            problem("%s: planted string %d (%r) not found intact" % (what, i, want[:60]))
    print("%s: %d of %d planted strings found intact" % (what, found, len(strings)))


# ---------------------------------------------------------------- JSON

def no_dupes(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        problem("json: duplicate key in object: %r" % keys)
    return dict(pairs)


def bad_constant(c):
    problem("json: non-standard constant %s" % c)
    return None


def walk_strings(o, out):
    if isinstance(o, str):
        out.append(o)
    elif isinstance(o, dict):
        for k, v in o.items():
            out.append(k)
            walk_strings(v, out)
    elif isinstance(o, list):
        for v in o:
            walk_strings(v, out)


def check_json(path, strings, min_strings, schema=True):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem("json: not valid UTF-8: %s" % e)
        return None
    try:
        j = json.loads(text, strict=True, object_pairs_hook=no_dupes,
                       parse_constant=bad_constant)
    except ValueError as e:
        problem("json: does not parse: %s" % e)
        return None
    for key in ("trace", "syscalls", "categories", "requests", "hotspots",
                "outliers", "patterns", "suggestions") if schema else ():
        if key not in j:
            problem("json: top-level key %r missing" % key)
    for s in j.get("syscalls", []) if schema else ():
        for k in ("name", "category", "count", "errors", "total_ns", "p50_ns",
                  "p99_ns", "max_ns"):
            if k not in s:
                problem("json: syscalls entry lacks %r" % k)
    values = []
    walk_strings(j, values)
    if strings:
        check_presence(strings, values, "json", min_strings)
    return j


# ---------------------------------------------------------------- CSV

def check_csv_file(path, values):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem("csv %s: not valid UTF-8: %s" % (path, e))
        return
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows:
        problem("csv %s: empty (no header)" % path)
        return
    width = len(rows[0])
    for n, row in enumerate(rows[1:], 2):
        if len(row) != width:
            problem("csv %s: row %d has %d cells, header has %d" % (path, n, len(row), width),
                    "csv width %s" % path)
        for cell in row:
            if cell[:1] and cell[0] in FORMULA and not NUMBER.match(cell):
                problem("csv %s: row %d: cell starts a formula: %r" % (path, n, cell[:40]),
                        "csv formula %s" % path)
            values.append(cell)


def unformula(b):
    s = decoded(b)
    return "'" + s if s[:1] and s[0] in FORMULA else s


def check_csv(path, strings, min_strings):
    values = []
    files = [os.path.join(path, f) for f in sorted(os.listdir(path))
             if f.endswith(".csv")] if os.path.isdir(path) else [path]
    if not files:
        problem("csv: no .csv file in %s" % path)
    for f in files:
        check_csv_file(f, values)
    if strings:
        check_presence(strings, values, "csv", min_strings, expect=unformula)


# ---------------------------------------------------------------- SQLite

SQL_TABLES = ("events", "syscall_stats", "requests", "processes", "threads", "fds",
              "hotspots", "outliers", "trace_info")


def check_sqlite(path, strings, min_strings, report):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    db.text_factory = bytes
    ok = db.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != b"ok":
        problem("sqlite: integrity_check: %r" % ok)
    names = {r[0].decode() for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    for t in SQL_TABLES:
        if t not in names:
            problem("sqlite: table %s missing (schema damaged?)" % t)
    for t in names:
        if "drop" in t.lower() or ";" in t or "'" in t:
            problem("sqlite: suspicious object name %r" % t)
    values = []
    tables = {r[0].decode() for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    for t in sorted(tables):
        cur = db.execute('SELECT * FROM "%s"' % t)
        for row in cur:
            for v in row:
                if isinstance(v, bytes):
                    values.append(v)
    if report is not None and "events" in names:
        n = db.execute("SELECT count(*) FROM events").fetchone()[0]
        want = report["trace"].get("events_analyzed", report["trace"].get("events"))
        if n != want:
            problem("sqlite: %d events rows, the JSON report analysed %s" % (n, want))
    if strings:
        # TEXT may hold the bytes as given or with U+FFFD replacements.
        texts = [v.decode("utf-8", "replace") for v in values]
        check_presence(strings, texts, "sqlite", min_strings)
    db.close()


# ---------------------------------------------------------------- text, md

def text_escape(b):
    """Model of ana_esc_text(): the visible form of original bytes b."""
    out, i = [], 0
    while i < len(b):
        n, cp = utf8_one(b, i)
        if n == 0:
            out.append("\\x%02x" % b[i])
            i += 1
            continue
        ch = chr(cp)
        if ch == "\\":
            out.append("\\\\")
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif cp < 0x20 or cp == 0x7F:
            out.append("\\x%02x" % cp)
        elif invisible(cp):
            out.append("\\u{%04x}" % cp)
        else:
            out.append(ch)
        i += n
    return "".join(out)


def md_visible(b):
    """Model of ana_esc_md() after Markdown unescaping: control characters
    and invalid bytes as \\xNN, bidi controls as \\u{NNNN}."""
    out, i = [], 0
    while i < len(b):
        n, cp = utf8_one(b, i)
        if n == 0 or cp < 0x20 or cp == 0x7F or 0x80 <= cp < 0xA0:
            out.append("\\x%02x" % cp)
        elif invisible(cp):
            out.append("\\u{%04x}" % cp)
        else:
            out.append(chr(cp))
        i += n or 1
    return "".join(out)


def utf8_one(b, i):
    for n in (1, 2, 3, 4):
        try:
            s = b[i:i + n].decode("utf-8")
            if len(s) == 1:
                return n, ord(s)
        except UnicodeDecodeError:
            pass
    return 0, b[i]


def check_text_common(path, what, color=False):
    raw = open(path, "rb").read()
    if color:       # the report's own SGR colors; anything else stays suspect
        raw = re.sub(rb"\x1b\[[0-9;]*m", b"", raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem("%s: not valid UTF-8: %s" % (what, e))
        text = raw.decode("utf-8", "replace")
    for n, line in enumerate(text.split("\n"), 1):
        for ch in line:
            cp = ord(ch)
            if cp < 0x20 or cp == 0x7F or invisible(cp):
                problem("%s: line %d holds raw control character U+%04X" % (what, n, cp),
                        "%s raw U+%04X" % (what, cp))
                break
        if re.match(r"^\s*(FORGED|# HELP forged)", line):
            problem("%s: line %d is forged by trace content: %r" % (what, n, line[:60]),
                    "%s forged line" % what)
    return text


def md_cells(line):
    """Splits a Markdown table row at unescaped pipes."""
    cells, cur, i = [], [], 0
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line):
            cur.append(line[i:i + 2])
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur))
    return cells


def check_md_tables(text):
    width = None
    for n, line in enumerate(text.split("\n"), 1):
        if not line.startswith("|"):
            width = None
            continue
        cells = md_cells(line)
        if width is None:
            width = len(cells)
        elif len(cells) != width:
            problem("md: line %d has %d cells, its table %d" % (n, len(cells), width),
                    "md cells")
        for c in cells:
            if re.search(r"(?<!\\)`", c):
                problem("md: line %d: unescaped backtick in a cell" % n, "md backtick")
            if re.search(r"<(script|img|b)\b", c):
                problem("md: line %d: raw HTML tag in a cell" % n, "md html")


def md_unescape(s):
    """CommonMark: a backslash escapes ASCII punctuation only."""
    s = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s)
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def check_text(path, strings, md, min_strings, color=False):
    what = "md" if md else "text"
    text = check_text_common(path, what, color)
    if md:
        check_md_tables(text)
    if not strings:
        return
    if md:
        values = [md_unescape(c.strip()) for line in text.split("\n")
                  if line.startswith("|") for c in md_cells(line)]
        values += [md_unescape(line) for line in text.split("\n")]
        check_presence(strings, values, what, min_strings, expect=md_visible)
        return
    # Text columns are cut to fit 80 columns: look for the visible form's
    # first 8 characters (or all of a shorter string).
    found = 0
    for i, b in enumerate(strings):
        want = text_escape(nul_shown(b))[:8]
        if want and want in text:
            found += 1
        elif i < min_strings:
            problem("text: planted string %d not found as %r" % (i, want))
    print("text: %d of %d planted strings found in visible form" % (found, len(strings)))


# ---------------------------------------------------------------- HTML

class Page(HTMLParser):
    """Collects what a browser would build from the page source."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.bad, self.data, self.in_data = [], [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            self.in_data = a.get("type") == "application/json"
        for k, v in a.items():
            if k.startswith("on") and v and "alert(" in v:
                self.bad.append("%s %s=%r" % (tag, k, v[:40]))
        if tag == "img" and a.get("src") == "x":
            self.bad.append("img src=x")
        if (a.get("href") or "").strip().lower().startswith("javascript:alert"):
            self.bad.append("%s href=%r" % (tag, a["href"][:40]))

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_data = False

    def handle_data(self, data):
        if self.in_data:
            self.data.append(data)
        if "alert(" in data and self.scripts and not self.in_data and \
                self.get_starttag_text() and \
                self.get_starttag_text().startswith("<script") and \
                "type=" not in self.get_starttag_text():
            self.bad.append("script text from the trace: %r" % data[:40])


def check_html(path, strings, min_strings, scripts=2):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem("html: not valid UTF-8: %s" % e)
        text = raw.decode("utf-8", "replace")
    page = Page()
    page.feed(text)
    page.close()
    for b in page.bad:
        problem("html: trace content became markup: %s" % b, "html markup")
    if len(page.scripts) != scripts:
        problem("html: %d script elements, the page writes %d" % (len(page.scripts), scripts))
    data = "".join(page.data)
    if not scripts:
        return
    if not data:
        problem("html: no embedded JSON data block")
        return
    if "</" in data.lower().replace("<\\/", ""):
        problem("html: the embedded data holds '</'")
    try:
        j = json.loads(data, strict=True, object_pairs_hook=no_dupes,
                       parse_constant=bad_constant)
    except ValueError as e:
        problem("html: embedded data does not parse as JSON: %s" % e)
        return
    values = []
    walk_strings(j, values)
    if strings:
        check_presence(strings, values, "html data", min_strings)


# ---------------------------------------------------------------- folded

def check_folded(path):
    """Folded stacks: 'frame;frame;...;frame COUNT', one stack per line:
    process;thread;request|idle|other;category;syscall, then the user stack's
    frames when the trace has stacks (at most EBT_MAX_STACK_DEPTH = 127)."""
    text = check_text_common(path, "folded")
    for n, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        m = re.match(r"^(.*) ([0-9]+)$", line)
        if not m:
            problem("folded: line %d has no count: %r" % (n, line[:60]), "folded count")
            continue
        frames = m.group(1).split(";")
        if not 5 <= len(frames) <= 5 + 127 or frames[2] not in ("request", "idle", "other") \
                or "" in frames:
            problem("folded: line %d has %d frames: %r" % (n, len(frames), line[:80]),
                    "folded frames")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=("json", "csv", "sqlite", "text", "html", "folded"))
    ap.add_argument("path")
    ap.add_argument("--manifest")
    ap.add_argument("--json", help="JSON report of the same trace (sqlite)")
    ap.add_argument("--md", action="store_true")
    ap.add_argument("--color", action="store_true",
                    help="text: the report's own SGR color sequences are allowed")
    ap.add_argument("--scripts", type=int, default=2,
                    help="html: script elements the page itself writes")
    ap.add_argument("--no-schema", action="store_true",
                    help="json: any document (not the report's schema)")
    ap.add_argument("--min-strings", type=int, default=10 ** 6,
                    help="only the first N planted strings must be found")
    a = ap.parse_args()
    strings = load_manifest(a.manifest)
    if a.kind == "json":
        check_json(a.path, strings, a.min_strings, not a.no_schema)
    elif a.kind == "csv":
        check_csv(a.path, strings, a.min_strings)
    elif a.kind == "sqlite":
        report = None
        if a.json:
            with open(a.json) as f:
                report = json.load(f)
        check_sqlite(a.path, strings, a.min_strings, report)
    elif a.kind == "html":
        check_html(a.path, strings, a.min_strings, a.scripts)
    elif a.kind == "folded":
        check_folded(a.path)
    else:
        check_text(a.path, strings, a.md, a.min_strings, a.color)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
