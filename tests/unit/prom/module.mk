# SPDX-License-Identifier: MIT
# Prometheus exposition and the /metrics server: their own unit binary, with
# the analyze test fixtures (generated traces with known answers).
UNIT_DEPS_prom = $(ANALYZE_LIB_OBJS) \
	$(call obj,tests/unit/analyze/gen.c tests/unit/analyze/util.c) $(LIBEBT) $(LIBCOMMON)
UNIT_LIBS_prom = $(ANALYZE_LIBS) $(FORMAT_LIBS)
