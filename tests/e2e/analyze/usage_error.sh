#!/bin/sh
# SPDX-License-Identifier: MIT
# A usage error prints one line plus the hint on stderr and exits 2.
. "$TOP/tests/e2e/lib.sh"
for args in "--report xml x.ebt" "--top" "--bogus x.ebt" ""; do
	# shellcheck disable=SC2086
	"$BIN/ebpf-analyze" $args >out 2>err
	rc=$?
	[ "$rc" = 2 ] || die "args '$args': exit $rc, want 2"
	[ "$(wc -l <err)" = 2 ] || die "args '$args': stderr is not two lines: $(cat err)"
	tail -n 1 err | grep -qx "Try 'ebpf-analyze --help'." || die "no hint: $(cat err)"
	[ -s out ] && die "args '$args': wrote to stdout"
done
"$BIN/ebpf-analyze" info >/dev/null 2>&1
[ $? = 2 ] || die "info without a trace must be a usage error"
exit 2
