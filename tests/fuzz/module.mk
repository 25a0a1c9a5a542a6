# SPDX-License-Identifier: MIT
# libFuzzer target for the .ebt reader: make fuzz (FUZZ_TIME seconds, default
# 600), make fuzz-smoke (20 s; part of make check). Needs clang; without it
# both say so and do nothing. Findings land in $(O)/fuzz/ (crash-*, leak-*).
FUZZ_CC ?= clang
FUZZ_TIME ?= 600
FUZZ_SMOKE_TIME ?= 20
FUZZ_DIR := $(O)/fuzz
FUZZ_READER := $(FUZZ_DIR)/fuzz_reader
FUZZ_MKSEEDS := $(FUZZ_DIR)/mkseeds
FUZZ_FLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -I. -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
HAVE_FUZZ_CC = command -v $(FUZZ_CC) >/dev/null 2>&1

$(FUZZ_READER): tests/fuzz/fuzz_reader.c $(FORMAT_SRCS) $(wildcard format/*.h)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_reader.c $(FORMAT_SRCS) -o $@ \
		$(call pc,libzstd) -lpthread

$(FUZZ_MKSEEDS): $(call obj,tests/fuzz/mkseeds.c) $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS)

$(FUZZ_DIR)/seeds/.done: $(FUZZ_MKSEEDS)
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)$(FUZZ_MKSEEDS) $(@D)
	$(Q)touch $@

# run_fuzz SECONDS: grows $(FUZZ_DIR)/corpus from the seeds.
define run_fuzz
	$(Q)if ! $(HAVE_FUZZ_CC); then echo "fuzz: skipped, no $(FUZZ_CC)"; else \
	$(MAKE) --no-print-directory $(FUZZ_READER) $(FUZZ_DIR)/seeds/.done && \
	mkdir -p $(FUZZ_DIR)/corpus && \
	echo "  FUZZ     $(FUZZ_READER) for $(1) s" && \
	$(FUZZ_READER) -max_total_time=$(1) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ \
		$(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds 2>$(FUZZ_DIR)/last.log || \
		{ tail -n 60 $(FUZZ_DIR)/last.log >&2; exit 1; }; \
	grep -E '^stat::(number_of_executed_units|new_units_added)' $(FUZZ_DIR)/last.log; fi
endef

fuzz::
	$(call run_fuzz,$(FUZZ_TIME))

fuzz-smoke::
	$(call run_fuzz,$(FUZZ_SMOKE_TIME))
