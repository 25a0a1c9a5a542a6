#!/bin/sh
# SPDX-License-Identifier: MIT
# Exit status of every verb and mode (docs/USAGE.md, "Exit status"): 2 for a
# usage error (one line plus the hint on stderr, nothing on stdout), 1 for a
# failure (a file that cannot be read or written, a port that cannot be
# bound), 0 otherwise.
. "$TOP/tests/e2e/lib.sh"
S=$TOP/samples/serving.ebt
A=$BIN/ebpf-analyze
KEY=00112233445566778899aabbccddeeff

# want CODE ARGS...: runs ebpf-analyze ARGS, checks its status and output.
want() {
	code=$1
	shift
	timeout 20 "$A" "$@" >out 2>err </dev/null
	rc=$?
	[ "$rc" = "$code" ] || die "'$*': exit $rc, want $code: $(cat err)"
	hint=$(tail -n 1 err)
	case $code in
	2)
		[ "$(wc -l <err)" = 2 ] || die "'$*': stderr is not two lines: $(cat err)"
		case $hint in
		"Try 'ebpf-analyze --help'." | "Try 'ebpf-analyze redact --help'.") ;;
		*) die "'$*': no hint: $(cat err)" ;;
		esac
		[ -s out ] && die "'$*': wrote to stdout"
		;;
	1)
		[ -s err ] || die "'$*': failed without a message"
		case $hint in Try*) die "'$*': a failure is not a usage error: $(cat err)" ;; esac
		;;
	esac
	return 0
}

# the analysis
want 2 --bogus "$S"
want 2 "$S" --top 0
want 2 --config "$PWD/none.yaml" "$S"
want 1 "$PWD/none.ebt"
want 1 "$S" -o "$PWD/no/such/dir/report.txt"
: >taken.db
want 1 "$S" --sqlite taken.db
# live and serve modes
want 2 --follow "$S" "$S"
want 2 --follow "$S" --report html
want 2 "$S" --linger 1
want 2 "$S" --listen 127.0.0.1:99999
want 2 "$S" --listen abc
python3 -c 'import socket,sys,time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open("port", "w").write(str(s.getsockname()[1])); sys.stdout.flush(); time.sleep(30)' &
holder=$!
i=0
while [ ! -s port ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
want 1 "$S" --listen "127.0.0.1:$(cat port)" --linger 0
kill "$holder"
wait "$holder" 2>/dev/null
# info
want 0 info "$S"
want 2 info
want 2 info --bogus "$S"
want 2 info "$S" -o info.txt
want 2 info "$S" --sqlite info.db
want 1 info "$PWD/none.ebt"
# diff
want 0 diff "$S" "$S"
want 2 diff
want 2 diff "$S"
want 2 diff "$S" "$S" "$S"
want 2 diff "$S" "$S" --report csv
want 2 diff "$S" "$S" --report prometheus
want 2 diff "$S" "$S" --export folded
want 2 diff "$S" "$S" --sqlite diff.db
want 2 diff "$S" "$S" --csv-dir csv
want 2 diff "$S" "$S" --listen 9464
want 1 diff "$S" "$PWD/none.ebt"
# redact
want 0 redact -q --key "$KEY" "$S" red.ebt
want 2 redact
want 2 redact "$S"
want 2 redact --bogus "$S" x.ebt
want 2 redact --key zz "$S" x.ebt
want 2 redact --key "$KEY" --key-file k "$S" x.ebt
want 1 redact -q --key "$KEY" "$S" red.ebt
want 1 redact -q --key "$KEY" "$PWD/none.ebt" y.ebt
want 1 redact -q -k "$PWD/none.key" "$S" y.ebt
[ -e info.txt ] || [ -e info.db ] || [ -e diff.db ] || [ -e csv ] || [ -e x.ebt ] ||
	[ -e y.ebt ] || exit 0
die "a rejected command left a file behind"
