# SPDX-License-Identifier: MIT
# Kernel-side filters: 1-in-N sampling keeps about 1/N and counts the rest;
# a minimum duration keeps only the slow syscalls.
. "$TOP/tests/e2e/record/common.inc"
"$R" -q --sample 10 -s getppid -o s.ebt -- "$H/sysloop" -n 100000 >/dev/null || die "sample run"
"$H/ebt-count" s.ebt -v >s.txt || die "trace unreadable"
n=$(awk '$1=="sys" && $2=="getppid"{print $3}' s.txt)
[ "${n:-0}" -ge 9000 ] && [ "$n" -le 11000 ] || die "--sample 10 kept ${n:-0} of 100000"
# the sampled-out ones are counted (informational LOSS records), not lost
f=$(awk '$1=="rec" && $2=="loss" && $3=="source=4" { sub("count=", "", $5); t += $5 }
	END { print t + 0 }' s.txt)
[ $((n + f)) = 100000 ] || die "kept $n + filtered $f != 100000"
want "lost 0" s.txt
"$R" -q --min-duration-us 100000 -o m.ebt -- sleep 0.3 || die "min-duration run"
"$H/ebt-count" m.ebt >m.txt || die "trace unreadable"
want "events 1" m.txt
grep -Eqx "sys (clock_)?nanosleep 1" m.txt ||
	{ cat m.txt >&2; die "the slow syscall is not the sleep"; }
echo ok
