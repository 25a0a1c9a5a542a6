# SPDX-License-Identifier: MIT
# `make bench`: the recorder's cost on a getppid loop and a 1-byte
# read/write loop, against untraced and `perf stat` runs.
$(O)/tests/bench/bench-loop: $(O)/obj/tests/bench/record/bench_loop.o
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@

bench:: $(O)/tests/bench/bench-loop $(O)/bin/ebpf-record
	$(Q)O=$(O) sh tests/bench/record/run.sh
