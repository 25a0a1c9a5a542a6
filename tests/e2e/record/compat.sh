# SPDX-License-Identifier: MIT
# 32-bit (compat) syscalls of a 64-bit process (int $0x80): recorded as
# compat, named with the i386 table (i386 20 is getpid, not x86_64's
# writev), and no native rule (fd argument, connect, pipe) applied to them.
. "$TOP/tests/e2e/record/common.inc"
[ "$(uname -m)" = x86_64 ] || { echo "x86_64 only" >&2; exit 77; }
"$H/sysloop" -c 1 >/dev/null 2>&1 || { echo "no IA32 emulation in this kernel" >&2; exit 77; }
"$R" -q -o c.ebt -- "$H/sysloop" -n 10 -c 300 >own.txt || die "recording failed"
grep -qx "compat_getpid 300" own.txt || die "helper: $(cat own.txt)"
"$H/ebt-count" c.ebt >got.txt || die "trace unreadable"
want "sys32 getpid 300" got.txt
want "sys getpid 300" got.txt	# the helper checks each answer with getpid()
want "lost 0" got.txt
grep -q "^sys writev" got.txt && { cat got.txt >&2; die "compat getpid named writev"; }
"$BIN/ebpf-analyze" c.ebt --report json >c.json || die "ebpf-analyze failed"
got=$(json c.json "[s['count'] for s in j['syscalls'] if s['name'] == 'getpid'][0]")
[ "$got" = 600 ] || die "ebpf-analyze counts $got getpid, want 600 (300 compat + 300 native)"
echo ok
