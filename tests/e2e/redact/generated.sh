#!/bin/sh
# SPDX-License-Identifier: MIT
# Generated servers (known names, requests over sockets): same requests,
# same numbers after redaction, --keep-ports keeps ports, --whole-cmdline too.
. "$TOP/tests/e2e/redact/redact.inc"
G="$O/tests/ana-gentrace"
[ -x "$G" ] || die "no $G"
for shape in evloop threads; do
	"$G" $shape 2000 $shape.ebt >/dev/null || die "gen $shape"
	$RED -q --key "$KEY" --keep-ports --whole-cmdline $shape.ebt $shape-r.ebt ||
		die "redact $shape"
	check names $shape.ebt $shape-r.ebt
	same_analysis $shape.ebt $shape-r.ebt
	[ "$(json b.json 'j["requests"]["count"]')" = 2000 ] || die "$shape: requests"
done
# ports kept where asked, dropped otherwise
$RED -q --key "$KEY" evloop.ebt noports.ebt || die "redact without ports"
"$BIN/ebpf-analyze" evloop-r.ebt --report json -o kp.json || die "analyze"
"$BIN/ebpf-analyze" noports.ebt --report json -o np.json || die "analyze"
grep -q '"peer-[0-9a-f]\{12\}:[0-9]\{1,5\}"' kp.json || die "--keep-ports lost the port"
grep -q '"peer-[0-9a-f]\{12\}:[0-9]' np.json && die "port kept without --keep-ports"
grep -q '"peer-[0-9a-f]\{12\}"' np.json || die "no peer token"
echo ok
