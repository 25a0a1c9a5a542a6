#!/bin/sh
# SPDX-License-Identifier: MIT
# A fresh real recording (eBPF) of a program with planted names: a file, an
# argument, a thread name, a TCP peer. None survives; the numbers all do.
. "$TOP/tests/e2e/redact/redact.inc"
require_bpf
secret=planted-$(od -An -N4 -tx1 /dev/urandom | tr -d ' ')
cat >app.py <<'PY'
import ctypes, socket, sys, threading
ctypes.CDLL(None).prctl(15, sys.argv[1][:15].encode(), 0, 0, 0)
open(sys.argv[1] + ".txt", "w").write("x" * 100)
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.socket(); c.connect(s.getsockname())
a, _ = s.accept(); c.send(b"hi"); a.recv(2)
PY
"$BIN/ebpf-record" -q -o t.ebt -- python3 app.py "$secret" || die "recorder failed"
python3 - "$secret" <<'PY' || die "the planted name is not in the recording"
import subprocess, sys, os
raw = subprocess.run([os.environ["O"] + "/tests/ebt-payloads", "t.ebt"],
                     stdout=subprocess.PIPE, check=True).stdout
sys.exit(0 if sys.argv[1].encode() in raw else 1)
PY
$RED -q --key "$KEY" t.ebt r.ebt || die "redact failed"
check names t.ebt r.ebt
"$O/tests/ebt-payloads" r.ebt | grep -q "$secret" && die "$secret survived"
same_analysis t.ebt r.ebt
echo ok
