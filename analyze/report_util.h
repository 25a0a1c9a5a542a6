/* SPDX-License-Identifier: MIT */
/* Facts every report states, computed once from the engine. */
#ifndef ANALYZE_REPORT_UTIL_H
#define ANALYZE_REPORT_UTIL_H

#include "analyze/engine.h"
#include "analyze/jsonw.h"

struct ana_trace_sum {
	char host[256], kernel[256];	/* raw bytes from the trace: escape them */
	uint64_t duration_ns, lost, damaged_events, sample_every;
	bool damaged;
};

void ana_trace_summary(const struct ana_engine *e, struct ana_trace_sum *out);
double ana_share(uint64_t part, uint64_t whole);
/* "connection", "thread", "auto (connection: 2 processes, thread: 1)", "none". */
const char *ana_method_summary(const struct ana_engine *e, char *buf, size_t len);
const char *ana_loss_source_name(uint32_t source);
uint64_t ana_peer_total_ns(const struct ana_engine *e);
/* Whether window i overlaps a loss window of any file. */
bool ana_window_lossy(const struct ana_engine *e, uint32_t i);

/* processes, threads, fds, peers, loss, windows. */
void ana_report_json_entities(struct ana_jw *w, const struct ana_engine *e);
void ana_report_text_entities(const struct ana_engine *e, FILE *f, bool md, bool color);

#endif
