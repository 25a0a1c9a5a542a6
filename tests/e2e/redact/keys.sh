#!/bin/sh
# SPDX-License-Identifier: MIT
# Same input and key, same bytes; a saved key reproduces the tokens; a new
# random key (printed to stderr) does not; --what picks categories.
. "$TOP/tests/e2e/redact/redact.inc"
"$O/tests/ana-gentrace" evloop 500 t.ebt >/dev/null || die "gen"
$RED -q --key "$KEY" t.ebt a.ebt && $RED -q --key "$KEY" t.ebt b.ebt || die "redact"
cmp -s a.ebt b.ebt || die "same key, different output"
$RED t.ebt b2.ebt -q --key "$KEY" || die "options after the files"
cmp -s a.ebt b2.ebt || die "options after the files: different output"
$RED -q --save-key k.hex t.ebt c.ebt || die "save-key"
[ "$(stat -c %a k.hex)" = 600 ] || die "key file mode $(stat -c %a k.hex)"
grep -qx '[0-9a-f]\{64\}' k.hex || die "key file: $(cat k.hex)"
$RED -q --key-file k.hex t.ebt d.ebt || die "key-file"
cmp -s c.ebt d.ebt || die "saved key does not reproduce the tokens"
cmp -s a.ebt c.ebt && die "two keys, same tokens"
$RED t.ebt e.ebt >/dev/null 2>err || die "random key"
grep -q "random key .*: [0-9a-f]\{64\}$" err || die "random key not shown: $(cat err)"
# categories: hosts only keeps comm; comm only keeps the host
$RED -q --key "$KEY" --what hosts t.ebt h.ebt || die "what hosts"
"$BIN/ebpf-analyze" info h.ebt | grep -q "^host  *host:[0-9a-f]\{12\}$" || die "host kept"
"$BIN/ebpf-analyze" h.ebt --report json -o h.json || die "analyze"
grep -q '"comm": "comm:' h.json && die "comm redacted under --what hosts"
$RED -q --key "$KEY" --what comm t.ebt c2.ebt || die "what comm"
"$BIN/ebpf-analyze" info c2.ebt | grep -q "^host  *host:" && die "host redacted under --what comm"
"$BIN/ebpf-analyze" c2.ebt --report json -o c2.json || die "analyze"
grep -q '"comm": "comm:[0-9a-f]\{12\}"' c2.json || die "comm kept under --what comm"
echo ok
