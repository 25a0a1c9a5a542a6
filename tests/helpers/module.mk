# SPDX-License-Identifier: MIT
# Small test programs: tests/helpers/<name>.c -> $(O)/tests/helpers/<name>
# (underscores become dashes: ebt_count.c -> ebt-count). ebt-count reads
# traces through format/ebt.h; the others need only libc and pthreads.
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(patsubst tests/helpers/%.c,$(O)/tests/helpers/%,$(subst _,-,$(HELPER_SRCS)))

$(O)/tests/helpers/ebt-count: $(O)/obj/tests/helpers/ebt_count.o $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS)

$(O)/tests/helpers/sysloop: $(O)/obj/tests/helpers/sysloop.o
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ -lpthread

.PHONY: helpers
helpers: $(HELPER_BINS)
e2e: $(HELPER_BINS)
