# SPDX-License-Identifier: MIT
# One non-recursive Makefile. Everything generated goes under $(O).
# Each module may add to it in its own <module>/module.mk (extra libraries,
# extra programs); the rules below are generic and driven by wildcards.

O ?= build
PREFIX ?= /usr/local
DESTDIR ?=
ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
VMLINUX_H ?=
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wvla -Wformat=2 -Wundef -Wno-unused-parameter
CFLAGS ?= -O2 -g
SAN_FLAGS ?=
ALL_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) $(SAN_FLAGS) -I. -I$(O)/gen -MMD -MP \
	-D_GNU_SOURCE
LDFLAGS ?=
ALL_LDFLAGS := $(LDFLAGS) $(SAN_FLAGS)

pc = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
pcflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)

.DELETE_ON_ERROR:
.PHONY: all deps deps-build deps-bpf deps-test test unit e2e bench check fuzz fuzz-smoke lint \
	clean install demo samples analyze record

all: record analyze

# ---------------------------------------------------------------- packages
# Missing Debian packages are installed when root, named otherwise. The
# check runs at every make (a dpkg query, well under a second): a build
# directory carried to a new machine must not trust an old stamp. Objects
# wait for it (order-only), so it never forces a rebuild.
DEPS_STAMP = $(O)/.deps
.PHONY: FORCE
$(DEPS_STAMP)-%: .ci/install-deps.sh FORCE
	$(Q)mkdir -p $(O)
	$(Q)sh .ci/install-deps.sh $*
	$(Q)touch $@
deps: $(DEPS_STAMP)-all
deps-build: $(DEPS_STAMP)-build
deps-bpf: $(DEPS_STAMP)-bpf
deps-test: $(DEPS_STAMP)-test

# ---------------------------------------------------------------- sources
COMMON_SRCS := $(wildcard common/*.c)
FORMAT_SRCS := $(wildcard format/*.c)
ANALYZE_SRCS := $(wildcard analyze/*.c)
RECORD_SRCS := $(wildcard record/*.c)
BPF_SRCS := $(wildcard bpf/*.bpf.c)

obj = $(patsubst %.c,$(O)/obj/%.o,$(1))
COMMON_OBJS := $(call obj,$(COMMON_SRCS))
FORMAT_OBJS := $(call obj,$(FORMAT_SRCS))
ANALYZE_OBJS := $(call obj,$(ANALYZE_SRCS))
RECORD_OBJS := $(call obj,$(RECORD_SRCS))
# Objects of a tool without its main(), for unit tests.
ANALYZE_LIB_OBJS := $(filter-out $(O)/obj/analyze/main.o,$(ANALYZE_OBJS))
RECORD_LIB_OBJS := $(filter-out $(O)/obj/record/main.o,$(RECORD_OBJS))

LIBCOMMON := $(O)/lib/libcommon.a
LIBEBT := $(O)/lib/libebt.a

# Recursive (=): pkg-config runs when a recipe needs the flags, after the
# $(DEPS_STAMP)-* prerequisites installed any missing package.
FORMAT_LIBS = $(call pc,libzstd) -lpthread
ANALYZE_LIBS = $(call pc,sqlite3) -lcsv $(call pc,yaml-0.1) -lm
RECORD_LIBS = $(call pc,libbpf) $(call pc,libelf) $(call pc,yaml-0.1) -lz
TEST_LIBS = $(call pc,criterion)

# Module fragments may extend the variables above and add targets.
-include $(wildcard */module.mk */*/module.mk */*/*/module.mk)

# ---------------------------------------------------------------- compile
$(O)/obj/%.o: %.c | $(DEPS_STAMP)-build
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBCOMMON): $(COMMON_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBEBT): $(FORMAT_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---------------------------------------------------------------- BPF
ifneq ($(VMLINUX_H),)
$(O)/gen/vmlinux.h: $(VMLINUX_H)
	$(Q)mkdir -p $(@D) && cp $< $@
else
$(O)/gen/vmlinux.h: | $(DEPS_STAMP)-bpf
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)test -r $(VMLINUX_BTF) || { echo "no kernel BTF at $(VMLINUX_BTF);" \
		"set VMLINUX_H=path/to/vmlinux.h" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@
endif

$(O)/gen/%.bpf.o: bpf/%.bpf.c $(O)/gen/vmlinux.h $(wildcard bpf/*.h) | $(DEPS_STAMP)-bpf
	$(call msg,BPF,$<)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
		-I. -I$(O)/gen -c $< -o $@

$(O)/gen/%.skel.h: $(O)/gen/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

BPF_SKELS := $(patsubst bpf/%.bpf.c,$(O)/gen/%.skel.h,$(BPF_SRCS))
# Keep the BPF objects: they are the skeletons' inputs, not throwaway files.
.SECONDARY: $(patsubst bpf/%.bpf.c,$(O)/gen/%.bpf.o,$(BPF_SRCS))
# A first build has no .d files: every record object waits for the skeletons.
$(RECORD_OBJS): $(BPF_SKELS)
$(RECORD_OBJS): | $(DEPS_STAMP)-bpf

# ---------------------------------------------------------------- tools
$(O)/bin/ebpf-analyze: $(ANALYZE_OBJS) $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(ANALYZE_LIBS) $(FORMAT_LIBS)

$(O)/bin/ebpf-record: $(RECORD_OBJS) $(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(RECORD_LIBS) $(FORMAT_LIBS)

analyze: $(O)/bin/ebpf-analyze
record: $(O)/bin/ebpf-record

# ---------------------------------------------------------------- unit tests
# tests/unit/<module>/*.c -> $(O)/tests/unit-<module>, linked with the module.
UNIT_MODULES := $(notdir $(wildcard tests/unit/*))
UNIT_BINS := $(patsubst %,$(O)/tests/unit-%,$(UNIT_MODULES))
unit_objs = $(call obj,$(wildcard tests/unit/$(1)/*.c))
UNIT_DEPS_common := $(LIBCOMMON)
UNIT_DEPS_format := $(LIBEBT) $(LIBCOMMON)
UNIT_DEPS_analyze := $(ANALYZE_LIB_OBJS) $(LIBEBT) $(LIBCOMMON)
UNIT_DEPS_record := $(RECORD_LIB_OBJS) $(LIBEBT) $(LIBCOMMON)
UNIT_LIBS_common :=
UNIT_LIBS_format = $(FORMAT_LIBS)
UNIT_LIBS_analyze = $(ANALYZE_LIBS) $(FORMAT_LIBS) $(call pc,jansson)
UNIT_LIBS_record = $(RECORD_LIBS) $(FORMAT_LIBS)

.SECONDEXPANSION:
$(O)/tests/unit-%: $$(call unit_objs,$$*) $$(UNIT_DEPS_$$*) | $(DEPS_STAMP)-test
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(UNIT_LIBS_$*) $(TEST_LIBS)

$(call obj,$(wildcard tests/unit/*/*.c)): | $(DEPS_STAMP)-test

unit: $(UNIT_BINS)
	$(Q)set -e; for t in $(UNIT_BINS); do \
		echo "== $$t"; $$t --jobs=2 $(UNIT_ARGS); done

# ---------------------------------------------------------------- e2e, all
E2E_PREREQS ?= $(O)/bin/ebpf-analyze $(O)/bin/ebpf-record
e2e: $(E2E_PREREQS) | $(DEPS_STAMP)-test
	$(Q)O=$(O) sh tests/e2e/run.sh

test: all
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory e2e

# ---------------------------------------------------------------- sanitizers
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check:
	$(Q)rm -rf $(O)-san/log && mkdir -p $(O)-san/log
	$(Q)ASAN_OPTIONS=log_path=$(CURDIR)/$(O)-san/log/san:detect_leaks=1 \
	UBSAN_OPTIONS=log_path=$(CURDIR)/$(O)-san/log/san:print_stacktrace=1 \
		$(MAKE) --no-print-directory O=$(O)-san SAN_FLAGS="$(SAN)" \
		CFLAGS="-O1 -g" EBT_SANITIZED=1 test fuzz-smoke
	$(Q)if ls $(O)-san/log/san* >/dev/null 2>&1; then \
		echo "sanitizer reports:" >&2; cat $(O)-san/log/san* >&2; exit 1; fi
	@echo "check: no sanitizer reports"

# ---------------------------------------------------------------- bench, fuzz
# Modules add their parts with double-colon rules in their module.mk.
bench:: all
	@echo "== benchmarks (ratios are measured side by side in one run)"
fuzz::
	@true
fuzz-smoke::
	@true

# ---------------------------------------------------------------- misc
lint:
	$(Q)sh tests/lint.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(O)/bin/ebpf-record $(O)/bin/ebpf-analyze $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf $(O) $(O)-san $(O)-fuzz

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
