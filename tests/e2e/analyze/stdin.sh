# SPDX-License-Identifier: MIT
# A trace on standard input ("-") or through a pipe (a FIFO here, like
# <(ssh host cat trace.ebt)) is analysed like the file itself; --follow needs
# a real file and stdin can be read once: usage errors (exit 2).
. "$TOP/tests/e2e/lib.sh"
A=$BIN/ebpf-analyze
S=$TOP/samples/serving.ebt
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d" || exit 1
"$A" "$S" --report json -o file.json || die "file analysis failed"
"$A" - --report json -o stdin.json <"$S" || die "stdin analysis failed"
# the same analysis; only the input's name differs
python3 - file.json stdin.json <<'PY' || die "stdin and file reports differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert b["trace"]["files"][0]["path"] == "(stdin)", b["trace"]["files"][0]["path"]
for j in (a, b):
    j["trace"]["files"][0].pop("path")
assert a == b
PY
mkfifo pipe
cat "$S" >pipe &
"$A" info pipe >info.txt || die "info through a FIFO failed"
grep -q "^events  *106,802$" info.txt || { cat info.txt >&2; die "info through a FIFO"; }
wait
"$A" --follow - <"$S" 2>err.txt
[ $? = 2 ] || die "--follow on stdin: want exit 2"
grep -q "needs a trace file being written" err.txt || die "unclear: $(cat err.txt)"
"$A" - - <"$S" 2>err.txt
[ $? = 2 ] || die "stdin twice: want exit 2"
ls /tmp/ebpf-analyze-* >/dev/null 2>&1 && die "temporary files left in /tmp"
echo ok
