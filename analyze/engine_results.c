// SPDX-License-Identifier: MIT
/* End of the analysis: ordering, outliers and patterns for the reports. */
#include "analyze/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/engine_sql.h"
#include "common/alloc.h"

static const struct ana_engine *sort_e;	/* qsort has no context argument */

static int by_sys_total(const void *a, const void *b)
{
	const struct ana_sys *x = sort_e->sys[*(const uint32_t *)a];
	const struct ana_sys *y = sort_e->sys[*(const uint32_t *)b];

	if (x->h.total != y->h.total)
		return x->h.total < y->h.total ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int by_proc_total(const void *a, const void *b)
{
	const struct ana_proc *x = *(struct ana_proc *const *)a;
	const struct ana_proc *y = *(struct ana_proc *const *)b;

	if (x->h.total != y->h.total)
		return x->h.total < y->h.total ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int by_thr_total(const void *a, const void *b)
{
	const struct ana_thread *x = *(struct ana_thread *const *)a;
	const struct ana_thread *y = *(struct ana_thread *const *)b;

	if (x->h.total != y->h.total)
		return x->h.total < y->h.total ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int by_fd_ns(const void *a, const void *b)
{
	const struct ana_fd_sum *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return x->fd - y->fd;
}

static int by_count(const void *a, const void *b)
{
	const struct ana_ngram *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int by_req_dur(const void *a, const void *b)
{
	const struct ana_req *x = a, *y = b;
	uint64_t dx = x->end_ts - x->start_ts, dy = y->end_ts - y->start_ts;

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_score(const void *a, const void *b)
{
	const struct ana_outlier *x = a, *y = b;

	if (x->ev.dur != y->ev.dur)
		return x->ev.dur < y->ev.dur ? 1 : -1;
	return x->ev.ts < y->ev.ts ? -1 : x->ev.ts > y->ev.ts;
}

static int order_tables(struct ana_engine *e)
{
	size_t np = 0, nt = 0;

	e->proc_order = alloc_array(e->procs.n + 1, sizeof(*e->proc_order));
	e->thr_order = alloc_array(e->threads.n + 1, sizeof(*e->thr_order));
	if (!e->proc_order || !e->thr_order)
		return -ENOMEM;
	for (size_t i = 0; i < e->threads.cap; i++) {
		struct ana_thread *t = e->threads.vals[i];

		if (!e->threads.keys[i] || !t->h.count)
			continue;
		if (!t->folded && t->proc)
			ana_hist_merge(&t->proc->h, &t->h);
		if (t->proc) {
			t->proc->errors += t->errors;
			t->proc->idle_ns += t->idle_ns;
			t->proc->req_ns += t->req_ns;
		}
		e->thr_order[nt++] = t;
	}
	for (size_t i = 0; i < e->procs.cap; i++) {
		struct ana_proc *p = e->procs.vals[i];

		if (e->procs.keys[i] && p->h.count)
			e->proc_order[np++] = p;
	}
	qsort(e->proc_order, np, sizeof(*e->proc_order), by_proc_total);
	qsort(e->thr_order, nt, sizeof(*e->thr_order), by_thr_total);
	e->nproc_order = (uint32_t)np;
	e->nthr_order = (uint32_t)nt;
	return 0;
}

static int by_peer_ns(const void *a, const void *b)
{
	const struct ana_peer *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return strcmp(x->host, y->host);
}

/* After this the peer map is stale: it is not used again. */
static int order_fds(struct ana_engine *e)
{
	for (size_t i = 0; i < e->fds.cap; i++) {
		if (e->fds.keys[i])
			ana_fd_summarize(e, e->fds.vals[i]);
	}
	e->fd_order = e->fd_top;
	e->nfd_order = e->nfd_top;
	qsort(e->fd_order, e->nfd_order, sizeof(*e->fd_order), by_fd_ns);
	qsort(e->peers, e->npeers, sizeof(*e->peers), by_peer_ns);
	return 0;
}

static int order_patterns(struct ana_engine *e)
{
	uint32_t n = 0;

	e->pat_order = alloc_array(e->nngrams + 1, sizeof(*e->pat_order));
	if (!e->pat_order)
		return -ENOMEM;
	for (uint32_t i = 0; i < ANA_MAX_NGRAMS; i++) {
		if (e->ngrams[i].key)
			e->pat_order[n++] = e->ngrams[i];
	}
	qsort(e->pat_order, n, sizeof(*e->pat_order), by_count);
	e->npat_order = n < e->opts->top ? n : e->opts->top;
	return 0;
}

/*
 * Outlier rules (stated in the reports): a syscall event is an outlier when
 * it is slower than both the p99.9 and 10 x the p50 of its own syscall
 * (syscalls with >= 100 calls; waits for work excluded), or slower than
 * --slow-threshold-us. A request is an outlier when it is slower than both
 * the p99.9 and 10 x the p50 of all requests (>= 20 requests).
 */
static int find_outliers(struct ana_engine *e)
{
	uint32_t cap = e->nsys * ANA_TOPK_SYS + e->nslowest + 1, n = 0;
	uint64_t thr = e->opts->slow_threshold_ns;

	e->outliers = alloc_array(cap, sizeof(*e->outliers));
	if (!e->outliers)
		return -ENOMEM;
	for (uint32_t s = 0; s < e->nsys; s++) {
		const struct ana_sys *sy = e->sys[s];
		uint64_t p999 = ana_hist_quantile(&sy->h, 0.999);
		uint64_t p50 = ana_hist_quantile(&sy->h, 0.5);
		uint64_t lim = p999 > 10 * p50 ? p999 : 10 * p50;

		for (uint32_t i = 0; i < sy->nslow; i++) {
			const struct ana_slow *v = &sy->slow[i];
			bool stat = sy->h.count >= 100 && v->dur > lim;
			bool slow = thr && v->dur >= thr;

			if (!stat && !slow)
				continue;
			e->outliers[n] = (struct ana_outlier){
				.sid = s, .ev = *v,
				.score = stat ? (double)v->dur / (double)(lim ? lim : 1)
					      : (double)v->dur / (double)thr,
				.rule = stat ? "> max(p99.9, 10 x p50) of its syscall"
					     : "> --slow-threshold-us",
			};
			n++;
		}
	}
	if (e->req_h.count >= 20) {
		uint64_t p999 = ana_hist_quantile(&e->req_h, 0.999);
		uint64_t p50 = ana_hist_quantile(&e->req_h, 0.5);
		uint64_t lim = p999 > 10 * p50 ? p999 : 10 * p50;

		for (uint32_t i = 0; i < e->nslowest; i++) {
			const struct ana_req *r = &e->slowest[i];
			uint64_t d = r->end_ts - r->start_ts;

			if (d <= lim)
				continue;
			e->outliers[n++] = (struct ana_outlier){
				.is_request = 1,
				.ev = { r->start_ts, d, r->file, r->pid, r->tid, r->id },
				.score = (double)d / (double)(lim ? lim : 1),
				.rule = "> max(p99.9, 10 x p50) of all requests",
			};
		}
	}
	qsort(e->outliers, n, sizeof(*e->outliers), by_score);
	e->noutliers = n < e->opts->top ? n : e->opts->top;
	return 0;
}

static int by_hot(const void *a, const void *b)
{
	const struct ana_hotspot *x = a, *y = b;

	if (x->is_category != y->is_category)
		return x->is_category - y->is_category;
	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return strcmp(x->name, y->name);
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

int ana_sys_cat_part(const struct ana_sys *s, int c, struct ana_sys_alt *out)
{
	const struct ana_sys_alt *a;
	int err;

	memset(out, 0, sizeof(*out));
	ana_hist_init(&out->h);
	if (c != (int)s->cat) {
		if (!s->alt || !s->alt[c].h.count)
			return 0;
		a = &s->alt[c];
		*out = (struct ana_sys_alt){ .errors = a->errors, .idle_count = a->idle_count,
					     .idle_ns = a->idle_ns, .req_count = a->req_count,
					     .req_ns = a->req_ns };
		ana_hist_init(&out->h);
		return ana_hist_merge(&out->h, &a->h);
	}
	*out = (struct ana_sys_alt){ .errors = s->errors, .idle_count = s->idle_count,
				     .idle_ns = s->idle_ns, .req_count = s->req_count,
				     .req_ns = s->req_ns };
	ana_hist_init(&out->h);
	err = ana_hist_merge(&out->h, &s->h);
	if (!s->alt)
		return err;
	for (int k = 0; k < SC__COUNT; k++) {
		a = &s->alt[k];
		if (k == (int)s->cat || !a->h.count)
			continue;
		ana_hist_sub(&out->h, &a->h);
		out->errors = sub0(out->errors, a->errors);
		out->idle_count = sub0(out->idle_count, a->idle_count);
		out->idle_ns = sub0(out->idle_ns, a->idle_ns);
		out->req_count = sub0(out->req_count, a->req_count);
		out->req_ns = sub0(out->req_ns, a->req_ns);
	}
	out->h.min = out->h.count ? s->own_min : UINT64_MAX;
	out->h.max = out->h.count ? s->own_max : 0;
	return err;
}

/* Category totals: each syscall's events counted in their event category. */
static int sum_categories(struct ana_engine *e)
{
	struct ana_sys_alt part;
	int err = 0;

	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];

		for (int c = 0; c < SC__COUNT; c++) {
			if (c != (int)s->cat && !s->alt)
				continue;
			if (!err)
				err = ana_sys_cat_part(s, c, &part);
			if (part.h.count && !err)
				err = ana_hist_merge(&e->cat_h[c], &part.h);
			ana_hist_reset(&part.h);
			e->cat_errors[c] += part.errors;
			e->cat_req_ns[c] += part.req_ns;
			e->cat_req_count[c] += part.req_count;
			e->cat_idle_ns[c] += part.idle_ns;
			e->cat_idle_count[c] += part.idle_count;
		}
	}
	return err;
}

/*
 * Hotspots rank syscalls, then categories, by their share of in-request
 * syscall time; without requests, by non-idle time (hot_in_request false).
 */
static int find_hotspots(struct ana_engine *e)
{
	uint32_t n = 0, ns = 0;

	e->hot_in_request = e->attributed_ns > 0;
	e->hot_basis_ns = e->hot_in_request ? e->attributed_ns
					    : e->attributed_ns + e->unattributed_ns;
	e->hot = alloc_array(e->nsys + SC__COUNT + 1, sizeof(*e->hot));
	if (!e->hot)
		return -ENOMEM;
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];
		uint64_t v = e->hot_in_request ? s->req_ns : s->h.total - s->idle_ns;

		if (!v)
			continue;
		e->hot[n++] = (struct ana_hotspot){
			0, i, s->name, e->hot_in_request ? s->req_count : s->h.count - s->idle_count,
			v, ana_hist_quantile(&s->h, 0.99),
			e->hot_basis_ns ? (double)v / (double)e->hot_basis_ns : 0 };
	}
	qsort(e->hot, n, sizeof(*e->hot), by_hot);
	ns = n < e->opts->top ? n : e->opts->top;
	for (int c = 0; c < SC__COUNT; c++) {
		uint64_t v = e->hot_in_request ? e->cat_req_ns[c]
					       : sub0(e->cat_h[c].total, e->cat_idle_ns[c]);
		uint64_t cnt = e->hot_in_request ? e->cat_req_count[c]
						 : sub0(e->cat_h[c].count, e->cat_idle_count[c]);

		if (!v)
			continue;
		e->hot[ns++] = (struct ana_hotspot){
			1, (uint32_t)c, syscalls_category_name(c), cnt, v,
			ana_hist_quantile(&e->cat_h[c], 0.99),
			e->hot_basis_ns ? (double)v / (double)e->hot_basis_ns : 0 };
	}
	qsort(e->hot, ns, sizeof(*e->hot), by_hot);
	e->nhot = ns;
	return 0;
}

int ana_results_compute(struct ana_engine *e)
{
	int err;

	ana_req_finish(e);
	e->sys_order = alloc_array(e->nsys + 1, sizeof(*e->sys_order));
	if (!e->sys_order)
		return -ENOMEM;
	for (uint32_t i = 0; i < e->nsys; i++)
		e->sys_order[i] = i;
	err = sum_categories(e);
	if (err)
		return err;
	sort_e = e;
	qsort(e->sys_order, e->nsys, sizeof(*e->sys_order), by_sys_total);
	qsort(e->slowest, e->nslowest, sizeof(*e->slowest), by_req_dur);
	for (uint32_t i = 0; i < e->nslowest; i++)
		e->slowest[i].lossy = ana_loss_overlaps(e, e->slowest[i].file,
							e->slowest[i].start_ts,
							e->slowest[i].end_ts);
	err = order_tables(e);
	if (!err)
		err = order_fds(e);
	if (!err)
		err = order_patterns(e);
	if (!err)
		err = find_outliers(e);
	if (!err)
		err = find_hotspots(e);
	if (!err)
		err = ana_suggest(e);
	for (uint32_t i = 0; i < e->nfiles; i++) {
		const struct ana_file *f = &e->files[i];
		uint64_t a, b;

		if (!f->have_ts)
			continue;
		a = ana_engine_wall(e, i, f->ts_first);
		b = ana_engine_wall(e, i, f->ts_last);
		if (!e->ts_wall_min || a < e->ts_wall_min)
			e->ts_wall_min = a;
		if (b > e->ts_wall_max)
			e->ts_wall_max = b;
	}
	return err;
}

int ana_engine_finish(struct ana_engine *e)
{
	int err = ana_results_compute(e);

	if (!err && e->sql)
		err = ana_sqlsink_results(e);
	return err;
}
