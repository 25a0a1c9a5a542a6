# SPDX-License-Identifier: MIT
# Clear, early errors; each leaves no BPF program behind.
. "$TOP/tests/e2e/record/common.inc"
before=$(progs_loaded)
R=$BIN/ebpf-record
expect() { # want-exit want-text cmd...
	want=$1 text=$2
	shift 2
	"$@" >out.txt 2>err.txt </dev/null
	rc=$?
	[ $rc = "$want" ] || die "$*: exit $rc, want $want: $(cat err.txt)"
	grep -q -- "$text" err.txt || die "$*: no '$text' in: $(cat err.txt)"
}
expect 1 "no such process: 999999" "$R" -o a.ebt -p 999999
[ -e a.ebt ] && die "output created for a missing pid"
# a zombie: 'sleep 0' exits and its parent (now 'sleep 2') never reaps it
z=$(sh -c 'sleep 0 & echo $!; exec sleep 3 >/dev/null')
sleep 0.2
expect 1 "has exited (zombie)" "$R" -o z.ebt -p "$z"
expect 127 "command not found: no-such-cmd-x" "$R" -o b.ebt -- no-such-cmd-x
[ -e b.ebt ] && die "output created for a missing command"
expect 1 "unknown user 'no-such-user-x'" "$R" -o u.ebt -u no-such-user-x -- true
[ -e u.ebt ] && die "output created for an unknown user"
touch notexec && chmod 644 notexec
expect 126 "cannot execute" "$R" -o c.ebt -- ./notexec
echo keep >exists.ebt
expect 1 "file exists" "$R" -o exists.ebt -- true
[ "$(cat exists.ebt)" = keep ] || die "existing file changed without --force"
"$R" -q -f -o exists.ebt -- true || die "--force did not replace"
ln -s target.ebt link.ebt
expect 1 "file exists" "$R" -o link.ebt -- true
"$R" -q -f -o link.ebt -- true || die "--force over a symlink failed"
[ -e target.ebt ] && die "followed a symlink"
[ -L link.ebt ] && die "--force left the symlink in place"
expect 1 "cannot create" "$R" -o no/such/dir/t.ebt -- true
expect 2 "Try 'ebpf-record --help'" "$R" --bogus
expect 2 "missing --output" "$R" -- true
expect 2 "unknown syscall or category" "$R" -o d.ebt -s nosuch -- true
expect 2 "exclude each other" "$R" -o d.ebt -p 1 -- true
"$R" -q --mode 644 -o m.ebt -- true || die "--mode run failed"
[ "$(stat -c %a m.ebt)" = 644 ] || die "--mode 644 gave $(stat -c %a m.ebt)"
progs_back_to "$before"
echo ok
