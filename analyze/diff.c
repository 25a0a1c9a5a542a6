// SPDX-License-Identifier: MIT
/* `ebpf-analyze diff`: two analyses compared row by row, with a noise rule. */
#include "analyze/diff.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/output.h"
#include "common/alloc.h"
#include "common/log.h"

#define REL_MIN 0.10		/* counts */
#define REL_LAT 0.25		/* times: run-to-run spread of a real system */
#define COUNT_MIN 10.0
#define TIME_FLOOR_NS 1000000ull
#define PCT_FLOOR_NS 1000.0
#define P50_MIN_N 20
#define P99_MIN_N 100

const char ana_diff_rule[] =
	"flagged only beyond noise: count |b-a| > 3*sqrt(a+b), > 10% and >= 10 calls, "
	"unless mostly idle on both sides; "
	"busy time |b-a| > 3*sqrt(sum of squared durations), > 25% and "
	">= max(1 ms, 1% of the larger busy total); "
	"p50/p99: 3-sigma rank intervals disjoint and change > max(25%, 6/256), "
	"p99 at least doubled or halved; "
	"p50/p99 change >= 1 us, with >= 20 (p50) / 100 (p99) calls a side";

const char *ana_diff_verdict_name(enum ana_diff_verdict v)
{
	static const char *const n[] = { "same", "regression", "improvement", "mixed",
					 "new", "gone" };

	return (unsigned int)v < 6 ? n[v] : "?";
}

const char *ana_diff_verdict_short(enum ana_diff_verdict v)
{
	static const char *const n[] = { "same", "worse", "better", "mixed", "new", "gone" };

	return (unsigned int)v < 6 ? n[v] : "?";
}

const char *ana_diff_metric_name(enum ana_diff_metric m)
{
	static const char *const n[] = { "count", "busy_ns", "p50_ns", "p99_ns" };

	return (unsigned int)m < ANA_DM__N ? n[m] : "?";
}

static int sign(double d)
{
	return d > 0 ? 1 : -1;
}

static int flag_count(double a, double b)
{
	double d = b - a, ad = fabs(d);

	if (ad < COUNT_MIN || ad <= REL_MIN * a || ad <= 3.0 * sqrt(a + b))
		return 0;
	return sign(d);
}

static int flag_time(const struct ana_diff_row *r, double floor)
{
	double a = (double)r->a.v[ANA_DM_TIME], b = (double)r->b.v[ANA_DM_TIME];
	double d = b - a, ad = fabs(d);

	if (ad < floor || ad <= REL_LAT * a || ad <= 3.0 * sqrt(r->a.sumsq + r->b.sumsq))
		return 0;
	return sign(d);
}

static int flag_pct(const struct ana_diff_row *r, int m, uint64_t min_n)
{
	double rel = fmax(REL_LAT, 6.0 * ANA_HIST_REL_ERROR);
	double a = (double)r->a.v[m], b = (double)r->b.v[m];
	double d = b - a, ad = fabs(d);

	if (r->a.v[ANA_DM_COUNT] < min_n || r->b.v[ANA_DM_COUNT] < min_n ||
	    ad < PCT_FLOOR_NS || ad <= rel * a)
		return 0;
	/* a tail swings by half between runs of the same program */
	if (m == ANA_DM_P99 && b < 2.0 * a && 2.0 * b > a)
		return 0;
	if (d > 0 ? r->b.lo[m] <= r->a.hi[m] : r->b.hi[m] >= r->a.lo[m])
		return 0;
	return sign(d);
}

static void judge(struct ana_diff_row *r, uint64_t floor)
{
	const uint64_t *a = r->a.v, *b = r->b.v;
	int worse = 0, better = 0;

	r->flag[ANA_DM_COUNT] = flag_count((double)a[0], (double)b[0]);
	/* mostly waiting for work (epoll_wait, accept): how often a program
	 * waits follows the load and its timing, it is not a cost */
	if (2 * a[ANA_DM_TIME] < r->a.total_ns && 2 * b[ANA_DM_TIME] < r->b.total_ns)
		r->flag[ANA_DM_COUNT] = 0;
	r->flag[ANA_DM_TIME] = flag_time(r, (double)floor);
	r->flag[ANA_DM_P50] = flag_pct(r, ANA_DM_P50, P50_MIN_N);
	r->flag[ANA_DM_P99] = flag_pct(r, ANA_DM_P99, P99_MIN_N);
	for (int m = 0; m < ANA_DM__N; m++) {
		worse += r->flag[m] > 0;
		better += r->flag[m] < 0;
	}
	if (!a[0] && b[0] && worse)
		r->verdict = ANA_DV_NEW;
	else if (a[0] && !b[0] && better)
		r->verdict = ANA_DV_GONE;
	else if (worse && better)
		r->verdict = ANA_DV_MIXED;
	else if (worse)
		r->verdict = ANA_DV_REGRESSION;
	else if (better)
		r->verdict = ANA_DV_IMPROVEMENT;
	else
		r->verdict = ANA_DV_SAME;
}

/* The percentile's 3-sigma interval by rank: binomial spread of the rank. */
static void interval(struct ana_diff_side *s, int m, const struct ana_hist *h, double q)
{
	double n = (double)(h->count ? h->count : 1);
	double w = 3.0 * sqrt(q * (1.0 - q) / n);

	s->lo[m] = ana_hist_quantile(h, fmax(0.0, q - w));
	s->hi[m] = ana_hist_quantile(h, fmin(1.0, q + w));
}

static double sum_squares(const struct ana_hist *h)
{
	double sum = 0;

	for (uint32_t p = 0; p < ANA_HIST_PAGES; p++) {
		for (uint32_t j = 0; h->pages[p] && j < ANA_HIST_SUB; j++) {
			uint32_t idx = p * ANA_HIST_SUB + j;
			double mid = (double)ana_hist_bucket_low(idx) +
				     (double)ana_hist_bucket_width(idx) / 2.0;

			sum += (double)h->pages[p][j] * mid * mid;
		}
	}
	return sum;
}

static void side(struct ana_diff_side *s, const struct ana_hist *h, uint64_t idle)
{
	s->sumsq = sum_squares(h);
	interval(s, ANA_DM_P50, h, 0.5);
	interval(s, ANA_DM_P99, h, 0.99);
	s->v[ANA_DM_COUNT] = h->count;
	s->v[ANA_DM_TIME] = h->total > idle ? h->total - idle : 0;
	s->v[ANA_DM_P50] = ana_hist_quantile(h, 0.5);
	s->v[ANA_DM_P99] = ana_hist_quantile(h, 0.99);
	s->total_ns = h->total;
}

static const struct ana_sys *find_sys(const struct ana_engine *e, const char *name)
{
	for (uint32_t i = 0; i < e->nsys; i++) {
		if (e->sys[i]->h.count && !strcmp(e->sys[i]->name, name))
			return e->sys[i];
	}
	return NULL;
}

static struct ana_diff_row *add_row(struct ana_diff *d, size_t *cap, enum ana_diff_kind k,
				    const char *name)
{
	struct ana_diff_row *r;

	if (alloc_grow((void **)&d->rows, cap, d->nrows + 1, sizeof(*d->rows)))
		return NULL;
	r = &d->rows[d->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = k;
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

/* Syscalls of a (matched in b), then those only in b. */
static int syscall_rows(struct ana_diff *d, size_t *cap)
{
	const struct ana_engine *e[2] = { d->a, d->b };

	for (int side_i = 0; side_i < 2; side_i++) {
		for (uint32_t i = 0; i < e[side_i]->nsys; i++) {
			const struct ana_sys *s = e[side_i]->sys[e[side_i]->sys_order[i]];
			const struct ana_sys *o = find_sys(e[!side_i], s->name);
			struct ana_diff_row *r;

			if (!s->h.count || (side_i && o))
				continue;
			r = add_row(d, cap, ANA_DK_SYSCALL, s->name);
			if (!r)
				return -ENOMEM;
			r->cat = syscalls_category_name(s->cat);
			side(side_i ? &r->b : &r->a, &s->h, s->idle_ns);
			if (o)
				side(&r->b, &o->h, o->idle_ns);
		}
	}
	return 0;
}

static uint64_t busy_total(const struct ana_engine *e)
{
	return e->attributed_ns + e->unattributed_ns;
}

int ana_diff_compute(const struct ana_engine *a, const struct ana_engine *b,
		     struct ana_diff *out)
{
	uint64_t big = busy_total(a) > busy_total(b) ? busy_total(a) : busy_total(b);
	struct ana_diff_row *r;
	size_t cap = 0;
	int err;

	memset(out, 0, sizeof(*out));
	out->a = a;
	out->b = b;
	out->time_floor_ns = big / 100 > TIME_FLOOR_NS ? big / 100 : TIME_FLOOR_NS;
	r = add_row(out, &cap, ANA_DK_REQUESTS, "requests");
	if (!r)
		return -ENOMEM;
	side(&r->a, &a->req_h, 0);
	side(&r->b, &b->req_h, 0);
	for (int c = 0; c < SC__COUNT; c++) {
		if (!a->cat_h[c].count && !b->cat_h[c].count)
			continue;
		r = add_row(out, &cap, ANA_DK_CATEGORY,
			    syscalls_category_name((enum syscall_category)c));
		if (!r)
			return -ENOMEM;
		side(&r->a, &a->cat_h[c], a->cat_idle_ns[c]);
		side(&r->b, &b->cat_h[c], b->cat_idle_ns[c]);
	}
	err = syscall_rows(out, &cap);
	for (uint32_t i = 0; !err && i < out->nrows; i++) {
		judge(&out->rows[i], out->time_floor_ns);
		out->regressions += out->rows[i].verdict == ANA_DV_REGRESSION ||
				    out->rows[i].verdict == ANA_DV_NEW;
		out->improvements += out->rows[i].verdict == ANA_DV_IMPROVEMENT ||
				     out->rows[i].verdict == ANA_DV_GONE;
	}
	return err;
}

void ana_diff_free(struct ana_diff *d)
{
	free(d->rows);
	d->rows = NULL;
	d->nrows = 0;
}

static int analyze_one(const struct ana_opts *o, uint32_t k, struct ana_engine **out)
{
	struct ana_opts one = *o;

	one.inputs[0] = o->inputs[k];
	one.open_path[0] = o->open_path[k];
	one.ninputs = 1;
	one.viz = NULL;
	return ana_analyze_files(&one, out);
}

static int write_diff(const struct ana_opts *o, const struct ana_diff *d, FILE *f)
{
	switch (o->report) {
	case ANA_REPORT_JSON:
		return ana_diff_json(d, f);
	case ANA_REPORT_HTML:
		return ana_diff_html(d, f);
	case ANA_REPORT_MD:
		return ana_diff_text(d, f, true);
	default:
		return ana_diff_text(d, f, false);
	}
}

int ana_diff_check(const struct ana_opts *o, char *err, size_t errlen)
{
	const char *what = NULL;

	if (o->ninputs != 2)
		what = "diff takes two traces, BEFORE and AFTER";
	else if (o->report == ANA_REPORT_CSV || o->report == ANA_REPORT_PROM)
		what = "diff writes --report text, md, json or html";
	else if (o->export_fmt || o->sqlite || o->csv_dir || o->follow || o->listen)
		what = "diff takes no --export, --sqlite, --csv-dir, --follow or --listen";
	if (what)
		snprintf(err, errlen, "%s", what);
	return what ? -EINVAL : 0;
}

int ana_diff_main(const struct ana_opts *o)
{
	struct ana_engine *a = NULL, *b = NULL;
	struct ana_diff d = { 0 };
	FILE *f = stdout;
	int err;

	err = analyze_one(o, 0, &a);
	if (!err)
		err = analyze_one(o, 1, &b);
	if (!err)
		err = ana_diff_compute(a, b, &d);
	if (!err)
		err = ana_output_open(o->output, &f);
	if (!err) {
		err = write_diff(o, &d, f);
		if (fflush(f) && !err)
			err = -EIO;
		if (err)
			log_error("cannot write the comparison: %s", strerror(-err));
	}
	if (f != stdout && fclose(f) && !err)
		err = -EIO;
	ana_diff_free(&d);
	ana_engine_free(a);
	ana_engine_free(b);
	return err;
}
