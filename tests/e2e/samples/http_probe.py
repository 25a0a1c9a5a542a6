# SPDX-License-Identifier: MIT
"""Protocol checks of the serving sample: usage: http_probe.py PORT.
Exit 1 with a message on the first wrong answer. Prints the number of
inference answers (200 to POST /infer) it got, for the counter checks."""
import json
import socket
import sys

port = int(sys.argv[1])


def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s, s.makefile("rb")


def post(cls, inp=None, extra=""):
    body = json.dumps({"class": cls, "input": inp if inp is not None else [0.5] * 128})
    return ("POST /infer HTTP/1.1\r\nHost: x\r\n%sContent-Length: %d\r\n\r\n%s"
            % (extra, len(body), body)).encode()


def answer(f):
    status = f.readline()
    assert status.startswith(b"HTTP/1.1 "), status
    code = int(status.split()[1])
    hdrs = {}
    while True:
        line = f.readline().strip()
        if not line:
            break
        k, v = line.split(b":", 1)
        hdrs[k.strip().lower()] = v.strip()
    body = f.read(int(hdrs[b"content-length"]))
    return code, hdrs, json.loads(body)


def expect(cond, what):
    if not cond:
        print("http_probe: " + what, file=sys.stderr)
        sys.exit(1)


s, f = conn()
# keep-alive, and two pipelined requests in one write answered in order
s.sendall(post("normal") + post("config"))
c1, h1, b1 = answer(f)
c2, h2, b2 = answer(f)
expect(c1 == 200 and c2 == 200, "pipelined requests: %d %d" % (c1, c2))
expect(b1["class"] == "normal" and b2["class"] == "config", "order: %s %s" % (b1, b2))
expect(b2["id"] == b1["id"] + 1, "ids not consecutive: %s %s" % (b1, b2))
expect(b2["config_sum"] != 0, "class config read no side file: %s" % b2)
expect(h1[b"connection"] == b"keep-alive", "not keep-alive: %s" % h1)
# same input, same model: same answer
s.sendall(post("normal"))
c3, _, b3 = answer(f)
expect((b3["label"], b3["score"]) == (b1["label"], b1["score"]), "not deterministic")
# a request split over two writes
req = post("normal", [1.0] * 10)
s.sendall(req[:30])
s.sendall(req[30:])
c4, _, b4 = answer(f)
expect(c4 == 200, "split request: %d" % c4)
s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
c5, _, b5 = answer(f)
expect(c5 == 200 and b5["status"] == "ok", "health: %d %s" % (c5, b5))
s.sendall(b"GET /nope HTTP/1.1\r\n\r\n")
expect(answer(f)[0] == 404, "unknown path is not 404")
s.sendall(b"GET /infer HTTP/1.1\r\n\r\n")
expect(answer(f)[0] == 405, "GET /infer is not 405")
s.sendall(post("normal", [1] * 129))
expect(answer(f)[0] == 400, "129 inputs is not 400")
bad = b'{"class": "a\\"b", "input": []}'
s.sendall(b"POST /infer HTTP/1.1\r\nContent-Length: %d\r\n\r\n%s" % (len(bad), bad))
expect(answer(f)[0] == 400, "a class with a quote is not 400")
s.sendall(post("normal", extra="Connection: close\r\n"))
c6, h6, _ = answer(f)
expect(c6 == 200 and h6[b"connection"] == b"close", "Connection: close not honoured")
expect(f.read(1) == b"", "connection still open after Connection: close")
s.close()
# malformed request line: 400 and the connection is closed
s, f = conn()
s.sendall(b"NONSENSE\r\n\r\n")
expect(answer(f)[0] == 400, "malformed request is not 400")
expect(f.read(1) == b"", "connection open after a malformed request")
s.close()
# oversized headers: 413
s, f = conn()
s.sendall(b"GET /health HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n")
expect(answer(f)[0] == 413, "oversized request is not 413")
s.close()
# 60,000 pipelined requests (5 MB of answers, a 4 KiB receive buffer) sent while nothing is read: the server's socket
# buffer fills, so the epoll loop must wait for EPOLLOUT and resume, and the
# answers must still come back complete and in order.
import threading
N = 60000
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.settimeout(20)
s.connect(("127.0.0.1", port))
f = s.makefile("rb")
t = threading.Thread(target=s.sendall, args=(b"GET /health HTTP/1.1\r\n\r\n" * N,))
t.start()
import time
time.sleep(0.5)
for i in range(N):
    code, _, body = answer(f)
    expect(code == 200 and body["status"] == "ok", "pipelined answer %d: %d %s" % (i, code, body))
t.join()
s.close()
# Hostile input: mutated requests and random bytes, each on its own
# connection. Every one gets an answer or a close, and the server lives on.
import random
rng = random.Random(7)
infers = 5  # the good POST /infer requests above
base = post("config", [0.25] * 8)
for i in range(300):
    b = bytearray(base)
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    if i % 3 == 0:
        b = bytes(rng.randrange(256) for _ in range(rng.randint(1, 600))) + b"\r\n\r\n"
    s, f = conn()
    s.settimeout(5)
    try:
        s.sendall(bytes(b))
        s.shutdown(socket.SHUT_WR)
        out = f.read()
        # a mutation may leave a valid inference request: count its answers
        infers += out.count(b'{"id":')
    except (ConnectionError, socket.timeout):
        pass
    s.close()
s, f = conn()
s.sendall(b"GET /health HTTP/1.1\r\n\r\n")
expect(answer(f)[0] == 200, "server unhealthy after hostile input")
s.close()
print(infers)
