# SPDX-License-Identifier: MIT
# Benchmark of ebpf-analyze (make bench): report and SQLite throughput, memory.
BENCH_ANALYZE := $(O)/tests/bench-analyze
BENCH_ANALYZE_OBJS := $(call obj,tests/bench/analyze/bench_analyze.c tests/unit/analyze/gen.c)

$(BENCH_ANALYZE): $(BENCH_ANALYZE_OBJS) $(ANALYZE_LIB_OBJS) $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(ANALYZE_LIBS) $(FORMAT_LIBS)

bench:: $(BENCH_ANALYZE)
	$(Q)$(BENCH_ANALYZE) $(BENCH_ANALYZE_ARGS)

# Generated traces with known answers for the e2e cases.
ANA_GENTRACE := $(O)/tests/ana-gentrace
$(ANA_GENTRACE): $(call obj,tests/bench/analyze/gentrace.c tests/unit/analyze/gen.c) \
		$(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS) -lm

e2e: $(ANA_GENTRACE)
