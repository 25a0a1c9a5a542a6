# SPDX-License-Identifier: MIT
# redis-server (an event loop) under redis-benchmark: one request per
# command the benchmark sends, rebuilt per connection.
. "$TOP/tests/e2e/servers/common.inc"
need redis-server redis-benchmark python3
port=$(free_port)
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
	--daemonize no --logfile "" >redis.log 2>&1 &
srv=$!
pids=$srv
wait_port "$port"
record_start $srv t.ebt
redis-benchmark -h 127.0.0.1 -p "$port" -n 3000 -c 6 -t set,get -q >bench.txt 2>&1 ||
	die "redis-benchmark failed: $(cat bench.txt)"
record_stop
"$BIN/ebpf-analyze" t.ebt --report json -o t.json || die "ebpf-analyze failed"
[ "$(json t.json "j['requests']['method'].split()[0]")" = auto ] || die "method"
# 6000 commands; the benchmark adds a CONFIG GET or two at its start
requests_between t.json 6000 6010
[ "$(json t.json "sum(r['pid'] == $srv for r in j['requests']['slowest'])")" -ge 1 ] ||
	die "slowest requests are not the server's"
echo ok
