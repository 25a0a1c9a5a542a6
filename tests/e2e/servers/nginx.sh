# SPDX-License-Identifier: MIT
# nginx (master and 2 event-loop workers, followed) under wrk: the requests
# rebuilt equal the requests wrk completed.
. "$TOP/tests/e2e/servers/common.inc"
need nginx wrk python3
port=$(free_port)
mkdir -p ngx
printf '%s\n' "worker_processes 2;" "daemon off;" "pid $scratch/ngx/nginx.pid;" \
	"error_log $scratch/ngx/error.log;" "events { worker_connections 256; }" \
	"http { access_log off; server { listen 127.0.0.1:$port;" \
	"location / { return 200 \"hi\\n\"; } } }" >ngx/nginx.conf
nginx -c "$scratch/ngx/nginx.conf" -p "$scratch/ngx" &
srv=$!
pids=$srv
wait_port "$port"
record_start $srv t.ebt
wrk -t2 -c8 -d2s "http://127.0.0.1:$port/" >wrk.txt || die "wrk failed"
sleep 0.3	# the last responses' writes reach the ring
record_stop
n=$(awk '/requests in/ { print $1 }' wrk.txt)
[ "${n:-0}" -gt 1000 ] || die "wrk completed ${n:-0} requests: $(cat wrk.txt)"
"$BIN/ebpf-analyze" t.ebt --report json -o t.json || die "ebpf-analyze failed"
# wrk counts completed responses; up to one per connection may be cut by
# wrk's own stop (sent, its response not read)
requests_between t.json "$n" $((n + 8))
echo ok
