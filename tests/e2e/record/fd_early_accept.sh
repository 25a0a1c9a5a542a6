# SPDX-License-Identifier: MIT
# Attach to a server blocked in accept(): that accept's enter was never
# seen, yet the connection it returns is known (socket, local address and
# peer) and its request is rebuilt on it.
. "$TOP/tests/e2e/record/common.inc"
command -v python3 >/dev/null || { echo "no python3" >&2; exit 77; }
cat >srv.py <<'PY'
import os, socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
print("ready", os.getpid(), s.getsockname()[1], flush=True)
c, a = s.accept()
print("fd", c.fileno(), a[1], flush=True)
c.sendall(b"ok " + c.recv(100))
time.sleep(0.5)	# open long enough for /proc to be read
c.close()
PY
python3 srv.py >own.txt &
sp=$!
wait_for ready own.txt
port=$(awk '/ready/{print $3}' own.txt)
"$R" -v -o t.ebt -p $sp 2>rec.err &
rp=$!
wait_for "recording 1 process" rec.err
sleep 0.2	# the server is back inside accept(), now traced
python3 -c "import socket; c = socket.create_connection(('127.0.0.1', $port));
c.sendall(b'hello'); print(c.recv(100).decode())" >cli.txt || die "client failed"
wait $sp
wait $rp || die "recorder failed: $(cat rec.err)"
grep -qx "ok hello" cli.txt || die "server answered '$(cat cli.txt)'"
read -r _ fd cport <<EOT
$(grep '^fd ' own.txt)
EOT
grep -q "1 syscalls in progress at the start returned" rec.err ||
	{ cat rec.err >&2; die "the blocked accept's return was not seen"; }
"$H/ebt-count" t.ebt -v >got.txt || die "trace unreadable"
grep -q "^rec fd ev=[0-9] socket pid=$sp fd=$fd .* local=127.0.0.1:$port peer=127.0.0.1:$cport\$" \
	got.txt || { cat got.txt >&2; die "fd $fd of the early accept is not known"; }
"$BIN/ebpf-analyze" t.ebt --report json >t.json || die "ebpf-analyze failed"
got=$(json t.json "[(f['kind'], f['peer']) for f in j['fds'] if f['fd'] == $fd][0]")
[ "$got" = "('socket', '127.0.0.1:$cport')" ] || die "ebpf-analyze fd $fd: $got"
echo ok
