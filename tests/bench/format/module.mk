# SPDX-License-Identifier: MIT
# make bench: the .ebt library's figures on a synthetic server mix.
BENCH_FORMAT := $(O)/tests/bench-format
BENCH_FORMAT_OBJS := $(call obj,$(wildcard tests/bench/format/*.c))

$(BENCH_FORMAT): $(BENCH_FORMAT_OBJS) $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS) -lm

bench:: $(BENCH_FORMAT)
	$(Q)$(BENCH_FORMAT) $(BENCH_FORMAT_ARGS)
