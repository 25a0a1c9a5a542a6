# SPDX-License-Identifier: MIT
# Attach by pid to a running multi-threaded program: all threads, and the
# recorder stops by itself when the process exits.
. "$TOP/tests/e2e/record/common.inc"
"$H/sysloop" -w -t 4 -n 3000 -r 20 >own.txt &
hp=$!
wait_for ready own.txt
"$BIN/ebpf-record" -o t.ebt -p "$hp" 2>rec.err &
rp=$!
for i in $(seq 50); do grep -q recording rec.err && break; sleep 0.1; done
grep -q recording rec.err || { cat rec.err >&2; kill $hp $rp; die "recorder did not start"; }
kill -USR1 $hp
wait $hp
timeout 10 sh -c "while kill -0 $rp 2>/dev/null; do sleep 0.1; done" || die "recorder did not stop"
wait $rp || die "recorder failed: $(cat rec.err)"
"$H/ebt-count" t.ebt >got.txt || die "trace unreadable"
want "sys getppid 12000" got.txt
want "task snapshot 1" got.txt
want "task thread 4" got.txt
want "task exit 5" got.txt
want "lost 0" got.txt
want "footer 1" got.txt
want "disorder 0" got.txt
awk '$1=="rw_read"{print "sysfd read", $2, $3}' own.txt >fds.txt
[ "$(wc -l <fds.txt)" = 4 ] || die "helper reported $(wc -l <fds.txt) pipes"
while read -r line; do want "$line" got.txt; done <fds.txt
"$BIN/ebpf-analyze" t.ebt --report json >t.json || die "ebpf-analyze failed"
got=$(json t.json "[(p['threads'], p['comm']) for p in j['processes'] if p['pid'] == $hp][0]")
[ "$got" = "(5, 'sysloop')" ] || die "ebpf-analyze sees $got, want (5, 'sysloop')"
echo ok
