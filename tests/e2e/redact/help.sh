#!/bin/sh
# SPDX-License-Identifier: MIT
# `ebpf-analyze redact --help` is golden (docs/REDACT.md quotes it).
. "$TOP/tests/e2e/redact/redact.inc"
$RED --help
