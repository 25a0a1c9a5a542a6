#!/bin/sh
# SPDX-License-Identifier: MIT
# Both sample programs' --help texts are golden (samples/README.md quotes them).
. "$TOP/tests/e2e/samples/serving.lib"
"$SMP/serving" --help || exit 1
"$SMP/loadgen" --help
