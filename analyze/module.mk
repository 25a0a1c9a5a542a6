# SPDX-License-Identifier: MIT
# ebpf-analyze --listen serves /metrics with libmicrohttpd (analyze/http.c).
ANALYZE_LIBS += $(call pc,libmicrohttpd) -lpthread
