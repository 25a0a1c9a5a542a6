# SPDX-License-Identifier: MIT
# The sample workload (samples/serving), its load generator (samples/loadgen),
# `make demo` and `make samples` (see samples/README.md).

# samples/cli.c: the command-line pieces both programs share.
SERVING_OBJS := $(call obj,$(wildcard samples/serving/*.c) samples/cli.c)
LOADGEN_OBJS := $(call obj,$(wildcard samples/loadgen/*.c) samples/cli.c)
SAMPLE_BINS := $(O)/samples/serving $(O)/samples/loadgen
# Frame pointers, so that `ebpf-record --stacks` names every caller of a fault.
$(SERVING_OBJS): ALL_CFLAGS += -fno-omit-frame-pointer

$(O)/samples/serving: $(SERVING_OBJS) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ -lpthread

$(O)/samples/loadgen: $(LOADGEN_OBJS) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ -lpthread

.PHONY: sample-bins
sample-bins: $(SAMPLE_BINS)

# The demo records only as root; anyone else gets the bundled trace analyzed,
# which needs no BPF toolchain.
DEMO_TOOLS := $(O)/bin/ebpf-analyze \
	$(if $(filter 0,$(shell id -u)),$(O)/bin/ebpf-record $(SAMPLE_BINS))

demo: $(DEMO_TOOLS)
	$(Q)O=$(O) sh samples/demo.sh demo

samples: $(O)/bin/ebpf-record $(O)/bin/ebpf-analyze $(SAMPLE_BINS)
	$(Q)O=$(O) sh samples/demo.sh bundle samples/serving.ebt

# The samples e2e cases drive these binaries.
e2e: $(SAMPLE_BINS)
