# SPDX-License-Identifier: MIT
# HTML report, Perfetto and folded exports, diff: their own unit binary, with
# the analyze test fixtures (generated traces with known answers).
UNIT_DEPS_viz = $(ANALYZE_LIB_OBJS) \
	$(call obj,tests/unit/analyze/gen.c tests/unit/analyze/util.c) $(LIBEBT) $(LIBCOMMON)
UNIT_LIBS_viz = $(ANALYZE_LIBS) $(FORMAT_LIBS) $(call pc,jansson)
