# SPDX-License-Identifier: MIT
# Hostile traces (issue 8): the generator $(O)/tests/hostile/ebt-hostile, used
# by tests/e2e/hostile/*.sh, and fuzz_analyze, a libFuzzer target that runs the
# whole analysis (every report, CSV tables, SQLite) on each input.
HOSTILE_GEN := $(O)/tests/hostile/ebt-hostile
HOSTILE_GEN_SRCS := tests/hostile/main.c tests/hostile/hw.c tests/hostile/gen_names.c \
	tests/hostile/gen_counts.c tests/hostile/gen_raw.c

$(HOSTILE_GEN): $(call obj,$(HOSTILE_GEN_SRCS)) $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS)

.PHONY: hostile
hostile: $(HOSTILE_GEN)
e2e: $(HOSTILE_GEN)

# ---------------------------------------------------------------- fuzz
# make fuzz runs it FUZZ_TIME seconds, make fuzz-smoke FUZZ_SMOKE_TIME (both
# from tests/fuzz/module.mk); seeds are the first 24 KiB of small hostile
# traces (a torn tail is fine). Needs clang.
FUZZ_ANA_DIR := $(O)/fuzz-analyze
FUZZ_ANA := $(FUZZ_ANA_DIR)/fuzz_analyze
FUZZ_ANA_SRCS := tests/hostile/fuzz_analyze.c $(filter-out analyze/main.c,$(ANALYZE_SRCS)) \
	$(FORMAT_SRCS) $(COMMON_SRCS)

$(FUZZ_ANA): $(FUZZ_ANA_SRCS) $(wildcard analyze/*.h format/*.h common/*.h)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_ANA_SRCS) -o $@ $(ANALYZE_LIBS) $(FORMAT_LIBS)

$(FUZZ_ANA_DIR)/seeds/.done: $(HOSTILE_GEN)
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)for m in names unknown loss hugelen time; do \
		$(HOSTILE_GEN) $$m $(@D)/$$m.full $(@D)/$$m.manifest || exit 1; \
		head -c 24576 $(@D)/$$m.full >$(@D)/$$m.ebt; done
	$(Q)rm -f $(@D)/*.manifest $(@D)/*.full
	$(Q)touch $@

# run_fuzz_ana SECONDS: grows $(FUZZ_ANA_DIR)/corpus from the seeds.
define run_fuzz_ana
	$(Q)if ! $(HAVE_FUZZ_CC); then echo "fuzz-analyze: skipped, no $(FUZZ_CC)"; else \
	$(MAKE) --no-print-directory $(FUZZ_ANA) $(FUZZ_ANA_DIR)/seeds/.done && \
	mkdir -p $(FUZZ_ANA_DIR)/corpus && \
	echo "  FUZZ     $(FUZZ_ANA) for $(1) s" && \
	$(FUZZ_ANA) -max_total_time=$(1) -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_ANA_DIR)/ \
		$(FUZZ_ANA_DIR)/corpus $(FUZZ_ANA_DIR)/seeds 2>$(FUZZ_ANA_DIR)/last.log || \
		{ tail -n 60 $(FUZZ_ANA_DIR)/last.log >&2; exit 1; }; \
	grep -E '^stat::(number_of_executed_units|new_units_added)' $(FUZZ_ANA_DIR)/last.log; fi
endef

fuzz::
	$(call run_fuzz_ana,$(FUZZ_TIME))

fuzz-smoke::
	$(call run_fuzz_ana,$(FUZZ_SMOKE_TIME))
