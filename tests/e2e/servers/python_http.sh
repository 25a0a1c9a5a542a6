# SPDX-License-Identifier: MIT
# Python's threading HTTP server (a thread per connection, a connection per
# request) under a client that counts its answers.
. "$TOP/tests/e2e/servers/common.inc"
need python3
port=$(free_port)
mkdir www && echo hello >www/index.html
python3 -m http.server --bind 127.0.0.1 --directory www "$port" >srv.log 2>&1 &
srv=$!
pids=$srv
wait_port "$port"
record_start $srv t.ebt
python3 - "$port" >cli.txt <<'PY' || die "client failed"
import sys, urllib.request
n = 0
for i in range(300):
    with urllib.request.urlopen("http://127.0.0.1:%s/index.html" % sys.argv[1]) as r:
        n += r.read() == b"hello\n"
print(n)
PY
[ "$(cat cli.txt)" = 300 ] || die "the client got $(cat cli.txt) answers"
record_stop
"$BIN/ebpf-analyze" t.ebt --report json -o t.json || die "ebpf-analyze failed"
requests_between t.json 300 300
echo ok
