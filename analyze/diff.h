/* SPDX-License-Identifier: MIT */
/*
 * `ebpf-analyze diff BEFORE AFTER`: both traces analyzed separately, then
 * compared per syscall, per category and for requests on count, busy time
 * (syscall time minus idle time: waiting for work is not a cost), p50 and
 * p99. A change is flagged only beyond noise (docs/REPORT.md, "diff"):
 *  - count: |b - a| > 3 sqrt(a + b) (two Poisson counts, 3 sigma), over
 *    10% of a and at least 10 calls, unless over half the time of the row
 *    is idle on both sides (how often a program waits for work follows
 *    the load, it is not a cost);
 *  - time: |b - a| > 3 sqrt(sum of squared durations of both sides) (the
 *    spread of a sum of a Poisson number of calls), over 25% of a (the
 *    run-to-run spread of latency on a real machine) and at
 *    least max(1 ms, 1% of the larger busy total of the two traces);
 *  - p50, p99: 3-sigma confidence intervals of the two percentiles (by
 *    rank, from the histograms) apart, the change over max(25%, 6 x the
 *    histogram error bound) and at least 1 us, with at least 20 (p50) or
 *    100 (p99) calls on both sides; a p99 must also double or halve (tails
 *    of the same program swing that much from run to run).
 * Counts are compared as they are: record the same workload (for example
 * a fixed number of requests) on both sides.
 */
#ifndef ANALYZE_DIFF_H
#define ANALYZE_DIFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/engine.h"

enum ana_diff_metric { ANA_DM_COUNT = 0, ANA_DM_TIME, ANA_DM_P50, ANA_DM_P99, ANA_DM__N };
enum ana_diff_kind { ANA_DK_SYSCALL = 0, ANA_DK_CATEGORY, ANA_DK_REQUESTS };
enum ana_diff_verdict {
	ANA_DV_SAME = 0, ANA_DV_REGRESSION, ANA_DV_IMPROVEMENT, ANA_DV_MIXED,
	ANA_DV_NEW, ANA_DV_GONE
};

struct ana_diff_side {
	uint64_t v[ANA_DM__N];	/* count, busy ns, p50 ns, p99 ns */
	/* p50/p99: the values at ranks n q -+ 3 sqrt(n q (1 - q)), a 3-sigma
	 * confidence interval of the percentile read from the histogram */
	uint64_t lo[ANA_DM__N], hi[ANA_DM__N];
	uint64_t total_ns;	/* including idle */
	double sumsq;		/* sum of squared durations (ns^2), from buckets */
};

struct ana_diff_row {
	enum ana_diff_kind kind;
	char name[ANA_MAX_STR];
	const char *cat;
	struct ana_diff_side a, b;
	int flag[ANA_DM__N];	/* +1 worse, -1 better, 0 within noise */
	enum ana_diff_verdict verdict;
};

struct ana_diff {
	const struct ana_engine *a, *b;	/* borrowed */
	struct ana_diff_row *rows;	/* requests, categories, syscalls */
	uint32_t nrows;
	uint64_t time_floor_ns;
	uint32_t regressions, improvements;
};

/* Compares two finished engines. 0 or -ENOMEM; free with ana_diff_free(). */
int ana_diff_compute(const struct ana_engine *a, const struct ana_engine *b,
		     struct ana_diff *out);
void ana_diff_free(struct ana_diff *d);

const char *ana_diff_verdict_name(enum ana_diff_verdict v);
/* "worse", "better", ...: six columns at most, for the text table. */
const char *ana_diff_verdict_short(enum ana_diff_verdict v);
const char *ana_diff_metric_name(enum ana_diff_metric m);
/* The rule above, one line, for the reports. */
extern const char ana_diff_rule[];

/* Writers (diff_report.c, diff_html.c). 0 or -EIO. */
int ana_diff_text(const struct ana_diff *d, FILE *f, bool md);
int ana_diff_json(const struct ana_diff *d, FILE *f);
int ana_diff_html(const struct ana_diff *d, FILE *f);

/* Usage of the verb: two traces, a report it writes (text, md, json,
 * html), nothing but the report. 0, or -EINVAL with the reason in err. */
int ana_diff_check(const struct ana_opts *o, char *err, size_t errlen);

/* The verb: o passed ana_diff_check(). 0 or -errno (logged). */
int ana_diff_main(const struct ana_opts *o);

#endif
