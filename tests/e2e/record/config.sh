# SPDX-License-Identifier: MIT
# A YAML config drives a recording; the analysis section is accepted;
# a bad key is rejected with its line.
. "$TOP/tests/e2e/record/common.inc"
cat >c.yaml <<'YAML'
profiler:
  buffer_size: 1M
syscalls: [getppid, pipe2]
filters:
  sample_every: 1
output:
  file: cfg.ebt
  mode: "0640"
analysis:
  top: 5
YAML
"$BIN/ebpf-record" -q -c c.yaml -- "$H/sysloop" -n 1234 -r 5 >/dev/null || die "config run failed"
[ "$(stat -c %a cfg.ebt)" = 640 ] || die "mode from config not applied"
"$H/ebt-count" cfg.ebt >got.txt || die "trace unreadable"
grep -qx "sys getppid 1234" got.txt || { cat got.txt >&2; die "getppid count"; }
grep -qx "sys pipe2 1" got.txt || die "pipe2 missing"
n=$(grep -c '^sys ' got.txt)
[ "$n" = 2 ] || die "filter let $n syscall kinds through"
printf 'profiler:\n  duration: 1\n  colour: blue\n' >bad.yaml
"$BIN/ebpf-record" -c bad.yaml -o x.ebt -- true 2>err.txt
[ $? = 2 ] || die "bad key not a usage error"
grep -q "bad.yaml:3: unknown key 'colour'" err.txt || die "message: $(cat err.txt)"
echo ok
