#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the HTML report as rendered by headless Chromium.
Usage: check_html.py DOM LOG [--min-rows N] [--text STRING]...
DOM is the page after its scripts ran (chromium --dump-dom), LOG the
browser's stderr. Fails (exit 1) on any console message (CONSOLE lines:
errors, exceptions, CSP violations), on a script element or event-handler
attribute the report did not write, or when a section is missing: the
flame graph (svg#flame-svg with rects), the syscall and category tables
(table.data rows, sortable headers), the heat map, the histograms, the
slowest requests; or when the page's self-test (pre#selftest, written when
opened as #selftest) shows that searching the flame graph painted nothing,
clicking a thread did not zoom it to full width, or clicking the first
header did not sort the syscall table. Each --text must appear in the
page's text (data shown as data)."""
import argparse
import html
import json
import re
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.scripts, self.handlers, self.text = [], 0, [], []
        self.count = {}

    def inside(self, ident):
        return any(a.get("id") == ident for _, a in self.stack)

    def bump(self, key):
        self.count[key] = self.count.get(key, 0) + 1

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        self.handlers += [k for k in a if k.startswith("on")]
        for sec in ("flame-graph", "heat-map", "sys-table", "cat-table", "hist-grid",
                    "req-list", "suggestions", "hotspots", "fd-table"):
            if self.inside(sec):
                self.bump(sec + ":" + tag)
        if tag not in ("br", "input", "meta", "rect", "line", "link", "img"):
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][0] in ("script", "style")):
            self.text.append(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dom")
    ap.add_argument("log")
    ap.add_argument("--min-rows", type=int, default=1)
    ap.add_argument("--text", action="append", default=[])
    args = ap.parse_args()
    errors = []
    console = [l for l in open(args.log, errors="replace") if ":CONSOLE" in l]
    errors += ["console: " + l.strip()[:300] for l in console]
    p = Page()
    p.feed(open(args.dom, encoding="utf-8", errors="strict").read())
    c = p.count
    if p.scripts != 2:
        errors.append("%d script elements, the report writes 2" % p.scripts)
    if p.handlers:
        errors.append("event-handler attributes in the page: %r" % p.handlers[:5])
    need = {"flame-graph:svg": 1, "flame-graph:rect": 6, "sys-table:th": 5,
            "sys-table:tr": args.min_rows + 1, "cat-table:tr": 2, "heat-map:rect": 1,
            "hist-grid:svg": 1, "fd-table:tr": 2}
    for k, n in need.items():
        if c.get(k, 0) < n:
            errors.append("%s: %d, want >= %d" % (k, c.get(k, 0), n))
    m = re.search(r'<pre id="selftest">(.*?)</pre>', open(args.dom, encoding="utf-8").read(),
                  re.S)
    if not m:
        errors.append("no self-test result (pre#selftest)")
    else:
        st = json.loads(html.unescape(m.group(1)))
        if not st.get("match", "").startswith("matched ") or st.get("painted", 0) < 1:
            errors.append("flame search found nothing: %r" % st)
        if not st.get("zoomed"):
            errors.append("clicking a thread did not zoom: %r" % st)
        if not st.get("sorted"):
            errors.append("clicking a header did not sort: %r" % st)
    text = "".join(p.text)
    for t in args.text:
        if t not in text:
            errors.append("text not shown: %r" % t[:80])
    for e in errors:
        print("check_html: " + e, file=sys.stderr)
    print("flame rects %d, syscall rows %d, heat cells %d, request divs %d" % (
        c.get("flame-graph:rect", 0), c.get("sys-table:tr", 0) - 1,
        c.get("heat-map:rect", 0), c.get("req-list:div", 0)))
    sys.exit(1 if errors else 0)


main()
