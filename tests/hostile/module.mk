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
