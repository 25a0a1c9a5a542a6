# SPDX-License-Identifier: MIT
# `ebpf-analyze redact`: its own unit binary (analyze/redact*.c without the
# engine), a tiny driver, $(O)/tests/redact-driver, that runs the verb
# (tests/e2e/redact use it when ebpf-analyze does not list the verb), and
# $(O)/tests/ebt-payloads for the e2e byte checks.
REDACT_OBJS := $(call obj,$(wildcard analyze/redact*.c))
UNIT_DEPS_redact := $(REDACT_OBJS) $(LIBEBT) $(LIBCOMMON)
UNIT_LIBS_redact = $(FORMAT_LIBS)

$(O)/tests/redact-driver: $(call obj,tests/unit/redact/driver/main.c) $(REDACT_OBJS) \
		$(LIBEBT) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS)

# ebt-payloads FILE: decompressed chunk payloads, for byte checks in e2e.
$(O)/tests/ebt-payloads: $(call obj,tests/unit/redact/payloads/main.c)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(FORMAT_LIBS)

e2e: $(O)/tests/redact-driver $(O)/tests/ebt-payloads

# test_file.c also redacts the bundled real trace, read from the tree.
$(call obj,tests/unit/redact/test_file.c): ALL_CFLAGS += \
	-DSAMPLE_TRACE='"$(CURDIR)/samples/serving.ebt"'
