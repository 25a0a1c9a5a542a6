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

/*
 * The two JSON documents written from the same results: the report
 * (docs/REPORT.md, a stable schema) and the data of the HTML page (read only
 * by the page's script). The rows below (report_json_rows.c) write the same
 * values in the same order under either's key names; a NULL key in
 * ana_json_stat_keys, or a NULL rank, kind or weight, leaves the value out.
 */
struct ana_json_stat_keys {
	const char *total, *mean, *min, *p50, *p90, *p99, *p999, *max;
};

struct ana_json_keys {
	struct ana_json_stat_keys stats;	/* of a syscall or a category */
	struct ana_json_stat_keys req_stats;	/* of all requests */
	const char *hot_basis, *basis_in_request, *basis_non_idle;
	const char *rank;		/* of hotspots and suggestions, from 1 */
	const char *kind;		/* of outliers: "request" or "syscall" */
	const char *dur, *req_id;	/* of outliers */
	const char *weight;		/* of suggestions, in ns */
	bool wall_text;			/* wall clocks as text (null if unknown), else ns */
};

extern const struct ana_json_keys ana_json_report_keys, ana_json_html_keys;

/* Unix ns as text (null when 0) or as a number. */
void ana_json_wall(struct ana_jw *w, const char *key, uint64_t ns, bool text);
/* total, mean, min, p50, p90, p99, p999, max of h, those k names. */
void ana_json_stats(struct ana_jw *w, const struct ana_hist *h,
		    const struct ana_json_stat_keys *k);
/* count, incomplete, lossy and the req_stats of all requests. */
void ana_json_request_counts(struct ana_jw *w, const struct ana_engine *e,
			     const struct ana_json_keys *k);
/* The basis key, then the "hotspots", "outliers", "suggestions" arrays. */
void ana_json_hotspots(struct ana_jw *w, const struct ana_engine *e,
		       const struct ana_json_keys *k);
void ana_json_outliers(struct ana_jw *w, const struct ana_engine *e,
		       const struct ana_json_keys *k);
void ana_json_suggestions(struct ana_jw *w, const struct ana_engine *e,
			  const struct ana_json_keys *k);

/* processes, threads, fds, peers, loss, windows. */
void ana_report_json_entities(struct ana_jw *w, const struct ana_engine *e);
void ana_report_text_entities(const struct ana_engine *e, FILE *f, bool md, bool color);

#endif
