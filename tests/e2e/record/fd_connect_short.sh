# SPDX-License-Identifier: MIT
# Sockets connected and closed at once, many times, faster than /proc can
# be read: every connect() still gets its peer, taken from the address the
# program passed (the syscall's argument, read in the kernel at its exit),
# and so does every accepted socket (its peer read from the kernel's socket).
. "$TOP/tests/e2e/record/common.inc"
command -v python3 >/dev/null || { echo "no python3" >&2; exit 77; }
cat >burst.py <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1024)
port = s.getsockname()[1]
n = 0
for i in range(300):
    c = socket.socket()
    c.connect(("127.0.0.1", port))
    c.close()
    a, _ = s.accept()
    a.close()
    n += 1
print(port, n)
PY
"$R" -q -o t.ebt -- python3 burst.py >own.txt || die "recorder failed"
read -r port n <own.txt
[ "$n" = 300 ] || die "the program made $n connections, want 300"
"$H/ebt-count" t.ebt -v >got.txt || die "trace unreadable"
got=$(grep -c "^rec fd ev=4 socket .* peer=127.0.0.1:$port\$" got.txt)
[ "$got" -ge 300 ] || die "$got of 300 short-lived connects have their peer"
got=$(grep -c "^rec fd ev=2 socket .* peer=127.0.0.1:[0-9]*\$" got.txt)
[ "$got" -ge 300 ] || die "$got of 300 short-lived accepted sockets have their peer"
echo ok
