# SPDX-License-Identifier: MIT
# Descriptors created during the recording are resolved: sockets with
# family, type and addresses (connect gives the peer), pipes, socketpairs.
# A thread renaming itself (prctl) gives a RENAME record.
. "$TOP/tests/e2e/record/common.inc"
command -v python3 >/dev/null || { echo "no python3" >&2; exit 77; }
cat >net.py <<'PY'
import ctypes, os, socket, threading, time
t = threading.Thread(target=lambda: ctypes.CDLL(None).prctl(15, b"worker-x", 0, 0, 0))
t.start(); t.join()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
port = s.getsockname()[1]
c = socket.socket(); c.connect(("127.0.0.1", port))
a, _ = s.accept()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.connect(("::1", 9))
r, w = os.pipe()
x, y = socket.socketpair()
print(port, s.fileno(), c.fileno(), a.fileno(), u.fileno(), r, w, x.fileno(), y.fileno())
time.sleep(0.1)
PY
"$R" -q -o t.ebt -- python3 net.py >own.txt || die "recorder failed"
read -r port fs fc fa fu fr fw fx fy <own.txt
"$H/ebt-count" t.ebt -v >got.txt || die "trace unreadable"
has() { grep -q -- "$1" got.txt || { grep '^rec fd' got.txt | grep -v file >&2; die "no '$1'"; }; }
has "rec fd ev=4 socket pid=[0-9]* fd=$fs fam=2 type=1 .* local=127.0.0.1:$port peer="
has "rec fd ev=4 socket pid=[0-9]* fd=$fc fam=2 type=1 .* peer=127.0.0.1:$port"
has "rec fd ev=2 socket pid=[0-9]* fd=$fa fam=2 type=1 .* local=127.0.0.1:$port peer=127.0.0.1:"
has "rec fd ev=4 socket pid=[0-9]* fd=$fu fam=10 type=2 .* peer=\[::1\]:9"
has "rec fd ev=2 pipe pid=[0-9]* fd=$fr "
has "rec fd ev=2 pipe pid=[0-9]* fd=$fw "
has "rec fd ev=2 socket pid=[0-9]* fd=$fx fam=1 type=1 "
has "rec fd ev=2 socket pid=[0-9]* fd=$fy fam=1 type=1 "
has "rec task rename pid=[0-9]* tid=[0-9]* .*comm=worker-x "
grep -q "rec task rename .*comm=python" got.txt && die "exec produced a RENAME record"
echo ok
