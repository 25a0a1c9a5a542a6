# SPDX-License-Identifier: MIT
# Helpers for e2e cases: . "$TOP/tests/e2e/lib.sh"
# Cases run in a scratch cwd; $BIN holds the tools, $O the build dir.

die() { echo "$*" >&2; exit 1; }

# Exit 77 (SKIP) with a reason unless this machine can run real eBPF.
require_bpf() {
	why=""
	if [ "$(id -u)" != 0 ]; then why="not root"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then why="no kernel BTF"
	elif [ ! -x "$BIN/ebpf-record" ]; then why="ebpf-record not built"
	fi
	if [ -n "$why" ]; then
		echo "needs eBPF: $why" >&2
		exit 77
	fi
}

# json FILE EXPR: evaluate a Python expression over the parsed JSON file
# (bound to j) and print the result.
json() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
