# SPDX-License-Identifier: MIT
# --stacks: the user stacks of slow syscalls name the functions of a program
# with known call paths, from the names written into the trace, also after
# the program's binary is deleted; fast syscalls carry no stack.
. "$TOP/tests/e2e/record/common.inc"
[ -x "$H/stackprog" ] && [ -x "$H/ebt-stacks" ] || die "helpers not built"
mkdir bin && cp "$H/stackprog" bin/stackprog || die "cannot copy stackprog"
# ebt-stacks lines by stack id, merged by syscall and frames (several raw
# stacks can name the same path)
merged() {
	"$H/ebt-stacks" "$1" | awk 'NF == 3 { n[$1 " " $3] += $2 } NF == 2 { print }
		END { for (k in n) { split(k, a, " "); print a[1], n[k], a[2] } }'
}

# Default threshold (1 ms): the 3 ms pipe reads carry stacks, the writer's
# 1-byte writes (microseconds) do not.
"$R" -q --stacks -o t.ebt -- ./bin/stackprog -n 20 >own.txt || die "recording failed"
rm -f bin/stackprog
merged t.ebt >st.txt || die "trace unreadable"
grep -q '^read [0-9]* .*;main;run_read;slow_read_path;' st.txt ||
	{ cat st.txt >&2; die "no read stack through slow_read_path"; }
n=$(awk '$1=="read" && $3 ~ /;slow_read_path;/ {n += $2} END {print n + 0}' st.txt)
[ "$n" -ge 19 ] || { cat st.txt >&2; die "$n of 20 slow reads with their stack"; }
# the threshold itself: no syscall under 1 ms carries a stack (a loaded
# machine can stretch a write past 1 ms, and that one may)
"$BIN/ebpf-analyze" t.ebt --sqlite th.db >/dev/null 2>&1 || die "sqlite load failed"
n=$(sqlite3 th.db "SELECT count(*) FROM events WHERE stack_id > 0 AND duration_ns < 1000000")
[ "$n" = 0 ] || die "$n syscalls under the 1 ms threshold carry a stack"
n=$(sqlite3 th.db "SELECT count(*) FROM events WHERE syscall = 'write' AND stack_id IS NULL")
[ "$n" -ge 18 ] || die "only $n of the writes were fast and stackless"
grep -q '^build_ids [1-9]' st.txt || die "no build id recorded"
grep -q '^maps [1-9]' st.txt || die "no mapping recorded"

# Every syscall (--stack-min-us 0): fsync through slow_fsync_path too, and
# the analyzer names both functions for their syscalls.
cp "$H/stackprog" bin/stackprog
"$R" -q --stacks --stack-min-us 0 -o all.ebt -- ./bin/stackprog -n 5 >own.txt ||
	die "recording failed"
rm -f bin/stackprog
merged all.ebt >all.txt || die "trace unreadable"
grep -q '^fsync 5 .*;main;run_fsync;slow_fsync_path;' all.txt ||
	{ cat all.txt >&2; die "no fsync stack through slow_fsync_path"; }
grep -q '^write 5 .*;main;run_fsync;slow_fsync_path;' all.txt ||
	{ cat all.txt >&2; die "no write stack through slow_fsync_path"; }
grep -q '^read 5 .*;main;run_read;slow_read_path;' all.txt ||
	{ cat all.txt >&2; die "no read stack through slow_read_path"; }

# The analyzer names them too, from the trace alone (the binary is gone).
A=$BIN/ebpf-analyze
[ -x "$A" ] || die "ebpf-analyze not built"
# frames_of TRACE SYSCALL: the frames of the top stack of that syscall's hotspot
frames_of() {
	"$A" "$1" --report json -o j.json 2>/dev/null || die "ebpf-analyze $1 failed"
	json j.json "';'.join([h['stacks'][0]['frames'] for h in j['stacks']['hotspots']
		if h['kind'] == 'syscall' and h['name'] == '$2'][0])"
}
case $(frames_of t.ebt read) in
*";main;run_read;slow_read_path;"*) ;;
*) die "analyzer: read hotspot stack is '$(frames_of t.ebt read)'" ;;
esac
case $(frames_of all.ebt fsync) in
*";main;run_fsync;slow_fsync_path;"*) ;;
*) die "analyzer: fsync hotspot stack is '$(frames_of all.ebt fsync)'" ;;
esac
"$A" t.ebt >t.txt 2>/dev/null && grep -q "run_read > slow_read_path > " t.txt ||
	die "text report names no slow_read_path"
"$A" t.ebt --report md 2>/dev/null | tr -d '\\' | grep -q "slow_read_path" ||
	die "md: no slow_read_path"
"$A" t.ebt --csv-dir csv >/dev/null 2>&1 && grep -q '"hotspot",.*,"read",.*slow_read_path' \
	csv/stacks.csv || die "csv: no read stack"
"$A" t.ebt --report html -o t.html 2>/dev/null && grep -q 'slow_read_path' t.html ||
	die "html: no slow_read_path"
"$A" all.ebt --export folded -o f.folded 2>/dev/null &&
	grep -q ';file;fsync;.*;main;run_fsync;slow_fsync_path;[^ ]* [0-9]*$' f.folded ||
	die "folded: no fsync frames"
"$A" all.ebt --export perfetto -o p.json 2>/dev/null || die "perfetto export failed"
python3 - p.json <<'PY' || die "perfetto: fsync slices do not name slow_fsync_path"
import json, sys
j = json.load(open(sys.argv[1]))
sf = j["stackFrames"]
def frames(k):
    out = []
    while k:
        out.append(sf[k]["name"]); k = sf[k].get("parent")
    return out
ev = [e for e in j["traceEvents"] if e.get("name") == "fsync" and "sf" in e]
assert len(ev) == 5 and all("slow_fsync_path" in frames(e["sf"]) for e in ev), ev
PY
rm -f t.db
"$A" all.ebt --sqlite t.db >/dev/null 2>&1 || die "sqlite output failed"
n=$(sqlite3 t.db "SELECT count(*) FROM events e JOIN stacks s ON s.file_idx = e.file_idx
	AND s.stack_id = e.stack_id WHERE e.syscall = 'fsync' AND s.frame LIKE
	'slow_fsync_path+0x%'" 2>&1)
[ "$n" = 5 ] || die "sqlite: $n fsync events joined to slow_fsync_path, want 5"

# The binary deleted while the recording still runs (the recorder names
# frames only at its end): the file it opened at the first stack still
# serves.
cp "$H/stackprog" bin/stackprog
"$R" -q --stacks -o del.ebt -- sh -c './bin/stackprog -n 5 && rm bin/stackprog && sleep 0.3' \
	>/dev/null || die "recording failed"
[ ! -e bin/stackprog ] || die "stackprog not deleted"
merged del.ebt >del.txt || die "trace unreadable"
grep -q '^read 5 .*;main;run_read;slow_read_path;' del.txt ||
	{ cat del.txt >&2; die "deleted during the recording: no slow_read_path"; }

# Without --stacks nothing changes: no stack, no mapping.
"$R" -q -o none.ebt -- "$H/stackprog" -n 2 >/dev/null || die "recording failed"
merged none.ebt >none.txt || die "trace unreadable"
grep -qx 'stacks 0' none.txt && grep -qx 'maps 0' none.txt ||
	{ cat none.txt >&2; die "stacks recorded without --stacks"; }
echo ok
