#!/bin/sh
# SPDX-License-Identifier: MIT
# check_outputs.py itself: each broken output below must be caught (a checker
# that cannot fail proves nothing), and the allowed forms must pass.
. "$TOP/tests/e2e/lib.sh"
C="python3 $TOP/tests/e2e/hostile/check_outputs.py"
n=0
bad() # KIND FILE ARGS...: the checker must fail
{
	n=$((n + 1))
	if $C "$@" >out.$n 2>&1; then
		echo "not caught: $* ($(head -c 200 "$2"))" >&2
		exit 1
	fi
}
good() # KIND FILE ARGS...: the checker must pass
{
	$C "$@" >out.ok 2>&1 || { cat out.ok >&2; die "rejected a valid $1: $2"; }
}
printf '{"strings": [{"id": 0, "hex": "%s"}, {"id": 1, "hex": "%s"}]}\n' \
	"$(printf '=1+1 <b>x</b>' | od -An -v -tx1 | tr -d ' \n')" \
	"$(printf 'L%.0s' $(seq 100) | od -An -v -tx1 | tr -d ' \n')" >m.json
L=$(printf 'L%.0s' $(seq 100))

s='"trace":{},"syscalls":[],"categories":[],"requests":{},"hotspots":[],'
s="$s\"outliers\":[],\"patterns\":[],\"suggestions\":[]"
printf '{%s,"x":["=1+1 <b>x</b>","%s"]}' "$s" "$L" >ok.json
good json ok.json --manifest m.json
printf '{%s,"x":["=1+1 <b>x</b>","%s\342\200\246"]}' "$s" "$(echo "$L" | cut -c1-40)" >cut.json
good json cut.json --manifest m.json
printf '{%s,"x":["=1+1 <b>x</b>","%s"]}' "$s" "$(echo "$L" | cut -c1-10)" >short.json
bad json short.json --manifest m.json
printf '{%s,"x":"a\tb"}' "$s" >ctl.json
bad json ctl.json
printf '{%s,"x":NaN}' "$s" >nan.json
bad json nan.json
printf '{%s,"x":1,"x":2}' "$s" >dup.json
bad json dup.json
printf '{"x":1}' >schema.json
bad json schema.json
printf '{%s,"x":"\377"}' "$s" >utf.json
bad json utf.json

printf 'a,b\n1,"x"\n2\n' >ragged.csv
bad csv ragged.csv
printf 'a,b\n1,"=1+1"\n' >formula.csv
bad csv formula.csv
printf 'a,b\n-5,"'"'"'=1+1 <b>x</b>"\n3,"%s"\n' "$L" >ok.csv
good csv ok.csv --manifest m.json
printf 'a,b\n-5,"=1+1 <b>x</b>"\n' >raw.csv
bad csv raw.csv

printf 'Host: \033[31mred\n' >esc.txt
bad text esc.txt
printf 'comm x\nFORGED: line\n' >forged.txt
bad text forged.txt
printf 'name \342\200\256 evil\n' >bidi.txt
bad text bidi.txt
printf 'ok \\x1b[31m \\u{202e}\n' >visible.txt
good text visible.txt

printf '| a | b |\n|---|---|\n| x | y |\n' >ok.md
good text ok.md --md
printf '| a | b |\n|---|---|\n| x|z | y |\n' >pipe.md
bad text pipe.md --md
printf '| a | b |\n|---|---|\n| x\\|z | y |\n' >escpipe.md
good text escpipe.md --md

d='<script type="application/json" id="ebt-data">{"a":"\\u003cb\\u003e"}</script>'
printf '<html><body>%s<script>f()</script></body></html>' "$d" >ok.html
good html ok.html
printf '<html><body>%s<script>f()</script><img src=x onerror=alert(2)></body></html>' \
	"$d" >img.html
bad html img.html
printf '<html><body>%s<script>f()</script><script>alert(1)</script></body></html>' \
	"$d" >script.html
bad html script.html
printf '<html><body><script type="application/json" id="ebt-data">{"a":"</b>"}</script>'\
'<script>f()</script></body></html>' >close.html
bad html close.html

printf 'p (1);t (1);request;file;read 10\n' >ok.folded
good folded ok.folded
printf 'p (1);t (1);request;file;read;main;f 10\n' >stack.folded
good folded stack.folded
printf 'p (1);t;x (1);request;file;read 10\n' >frames.folded
printf 'p (1);t (1);request;file;read;;f 10\n' >empty.folded
bad folded empty.folded
bad folded frames.folded

sqlite3 nodb.db 'CREATE TABLE x(a)' || die "sqlite3 CLI missing"
bad sqlite nodb.db
echo "checker caught all $n broken outputs"
