# SPDX-License-Identifier: MIT
# `make bench`: the recorder's cost on a getppid loop and a 1-byte
# read/write loop, against untraced and `perf stat` runs; --stacks on that
# loop and on the sample server (req/s untraced, recorded, with --stacks).
# Plain -O2, never sanitized: it measures syscalls, nothing else.
$(O)/tests/bench/bench-loop: tests/bench/record/bench_loop.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 $(WARN) -D_GNU_SOURCE $< -o $@

bench:: $(O)/tests/bench/bench-loop $(O)/bin/ebpf-record $(SAMPLE_BINS) | $(DEPS_STAMP)-bench
	$(Q)O=$(O) sh tests/bench/record/run.sh
