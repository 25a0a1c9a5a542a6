#!/bin/sh
# SPDX-License-Identifier: MIT
# --help is golden (docs/REPORT.md quotes it).
"$BIN/ebpf-analyze" --help
