# SPDX-License-Identifier: MIT
# --stacks: the user stacks of slow syscalls name the functions of a program
# with known call paths, from the names written into the trace, also after
# the program's binary is deleted; fast syscalls carry no stack.
. "$TOP/tests/e2e/record/common.inc"
[ -x "$H/stackprog" ] && [ -x "$H/ebt-stacks" ] || die "helpers not built"
mkdir bin && cp "$H/stackprog" bin/stackprog || die "cannot copy stackprog"

# Default threshold (1 ms): the 3 ms pipe reads carry stacks, the writer's
# 1-byte writes (microseconds) do not.
"$R" -q --stacks -o t.ebt -- ./bin/stackprog -n 20 >own.txt || die "recording failed"
rm -f bin/stackprog
"$H/ebt-stacks" t.ebt >st.txt || die "trace unreadable"
grep -q '^read [0-9]* .*;main;run_read;slow_read_path;' st.txt ||
	{ cat st.txt >&2; die "no read stack through slow_read_path"; }
n=$(awk '$1=="read" && $3 ~ /;slow_read_path;/ {n += $2} END {print n + 0}' st.txt)
[ "$n" -ge 19 ] || { cat st.txt >&2; die "$n of 20 slow reads with their stack"; }
grep -q '^write ' st.txt && { cat st.txt >&2; die "fast writes carry stacks"; }
grep -q '^build_ids [1-9]' st.txt || die "no build id recorded"
grep -q '^maps [1-9]' st.txt || die "no mapping recorded"

# Every syscall (--stack-min-us 0): fsync through slow_fsync_path too, and
# the analyzer names both functions for their syscalls.
cp "$H/stackprog" bin/stackprog
"$R" -q --stacks --stack-min-us 0 -o all.ebt -- ./bin/stackprog -n 5 >own.txt ||
	die "recording failed"
rm -f bin/stackprog
"$H/ebt-stacks" all.ebt >all.txt || die "trace unreadable"
grep -q '^fsync 5 .*;main;run_fsync;slow_fsync_path;' all.txt ||
	{ cat all.txt >&2; die "no fsync stack through slow_fsync_path"; }
grep -q '^write 5 .*;main;run_fsync;slow_fsync_path;' all.txt ||
	{ cat all.txt >&2; die "no write stack through slow_fsync_path"; }
grep -q '^read 5 .*;main;run_read;slow_read_path;' all.txt ||
	{ cat all.txt >&2; die "no read stack through slow_read_path"; }

# Without --stacks nothing changes: no stack, no mapping.
"$R" -q -o none.ebt -- "$H/stackprog" -n 2 >/dev/null || die "recording failed"
"$H/ebt-stacks" none.ebt >none.txt || die "trace unreadable"
grep -qx 'stacks 0' none.txt && grep -qx 'maps 0' none.txt ||
	{ cat none.txt >&2; die "stacks recorded without --stacks"; }
echo ok
