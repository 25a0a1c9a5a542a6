#!/bin/sh
# SPDX-License-Identifier: MIT
# Never overwrites without --force, never writes through a symlink, leaves
# nothing behind on failure, usage errors exit 2.
. "$TOP/tests/e2e/redact/redact.inc"
"$O/tests/ana-gentrace" evloop 200 t.ebt >/dev/null || die "gen"
echo precious >out.ebt
$RED -q --key "$KEY" t.ebt out.ebt 2>err && die "overwrote without --force"
[ "$(cat out.ebt)" = precious ] || die "out.ebt changed"
grep -q "exists; add --force" err || die "message: $(cat err)"
$RED -q --key "$KEY" --force t.ebt out.ebt || die "--force"
"$BIN/ebpf-analyze" info out.ebt >/dev/null || die "forced output unreadable"
echo victim >victim
ln -s victim link.ebt
$RED -q --key "$KEY" t.ebt link.ebt 2>/dev/null && die "wrote through a symlink"
$RED -q --key "$KEY" --force t.ebt link.ebt || die "--force on a symlink"
[ "$(cat victim)" = victim ] && [ ! -L link.ebt ] || die "symlink followed"
$RED -q --key "$KEY" missing.ebt new.ebt 2>/dev/null
[ $? = 1 ] || die "missing input: want exit 1"
echo "not a trace" >bad.ebt
$RED -q --key "$KEY" bad.ebt new.ebt 2>/dev/null && die "bad input accepted"
[ -e new.ebt ] && die "output left after a failure"
ls | grep -q tmp && die "temporary file left: $(ls)"
$RED t.ebt 2>err
[ $? = 2 ] || die "one file: want exit 2"
grep -q "^Try 'ebpf-analyze redact --help'.$" err || die "usage hint: $(cat err)"
$RED --what bogus t.ebt x.ebt 2>/dev/null
[ $? = 2 ] || die "bad --what: want exit 2"
$RED --key 0011 t.ebt x.ebt 2>/dev/null
[ $? = 2 ] || die "short key: want exit 2 (a bad option value)"
echo ok
