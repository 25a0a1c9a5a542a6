# SPDX-License-Identifier: MIT
# SIGINT stops cleanly (complete trace, footer); SIGKILL leaves a readable
# trace holding what was flushed.
. "$TOP/tests/e2e/record/common.inc"
before=$(progs_loaded)
# launch mode, SIGINT: the command gets it too; exit status 130 like a shell
"$BIN/ebpf-record" -q -o i.ebt -- "$H/sysloop" -w -n 10 >own.txt 2>rec.err &
rp=$!
wait_for ready own.txt
kill -INT $rp
wait $rp
rc=$?
[ $rc = 130 ] || die "launch + SIGINT: exit $rc, want 130 ($(cat rec.err))"
"$H/ebt-count" i.ebt >i.txt || die "SIGINT trace unreadable"
grep -qx "footer 1" i.txt || die "SIGINT trace not closed cleanly"
grep -qx "sys execve 1" i.txt || die "SIGINT trace lacks the execve"
# attach mode, SIGKILL while the target keeps making syscalls
"$H/sysloop" -w -n 2000000000 >own2.txt &
hp=$!
wait_for ready own2.txt
"$BIN/ebpf-record" -o k.ebt -p $hp 2>rec2.err &
rp=$!
wait_for recording rec2.err
kill -USR1 $hp
sleep 2.5
kill -KILL $rp
wait $rp 2>/dev/null
kill -KILL $hp
wait $hp 2>/dev/null
"$H/ebt-count" k.ebt >k.txt || die "SIGKILL trace unreadable"
n=$(awk '$1=="events"{print $2}' k.txt)
[ "${n:-0}" -gt 1000 ] || { cat k.txt >&2; die "SIGKILL trace holds ${n:-0} events"; }
grep -qx "footer 0" k.txt || die "SIGKILL trace claims a clean close"
# nothing stays attached once the recorder is gone
progs_back_to "$before"
echo ok
