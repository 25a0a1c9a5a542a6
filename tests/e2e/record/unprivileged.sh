# SPDX-License-Identifier: MIT
# Without the capabilities the recorder fails early and says which ones.
. "$TOP/tests/e2e/record/common.inc"
command -v setpriv >/dev/null || { echo "no setpriv" >&2; exit 77; }
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$BIN/ebpf-record" -o /tmp/never-$$.ebt -- true 2>err.txt
rc=$?
[ $rc = 1 ] || die "exit $rc, want 1: $(cat err.txt)"
grep -q "CAP_BPF" err.txt || die "message does not name CAP_BPF: $(cat err.txt)"
grep -q "root" err.txt || die "message does not mention root: $(cat err.txt)"
[ -e /tmp/never-$$.ebt ] && { rm -f /tmp/never-$$.ebt; die "output created anyway"; }
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$BIN/ebpf-record" check >check.txt
[ $? = 1 ] || die "check passed without privileges"
grep -q "^FAIL privileges for bpf() *missing CAP_BPF" check.txt || die "check: $(cat check.txt)"
grep -q "fix: run as root" check.txt || die "check gives no fix: $(cat check.txt)"
echo ok
