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

# Never sanitized: the sanitizer runtime makes syscalls of its own (LSan's
# getppid, clone, ptrace), which would spoil the exact counts.
$(O)/tests/helpers/sysloop: tests/helpers/sysloop.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 -g $(WARN) -D_GNU_SOURCE $< -o $@ -lpthread

.PHONY: helpers
helpers: $(HELPER_BINS)
e2e: $(HELPER_BINS)

# Known call paths for --stacks: frame pointers, nothing inlined, so that
# the kernel's unwinder sees main -> run_* -> slow_*_path.
$(O)/tests/helpers/stackprog: tests/helpers/stackprog.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O1 -g -fno-omit-frame-pointer -fno-inline $(WARN) \
		-D_GNU_SOURCE $< -o $@ -lpthread

$(O)/tests/helpers/ebt-stacks: $(O)/obj/tests/helpers/ebt_stacks.o $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS)
