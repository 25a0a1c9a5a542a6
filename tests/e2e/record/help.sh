# SPDX-License-Identifier: MIT
# The help text is part of the interface (golden: help.stdout).
"$BIN/ebpf-record" --help
