// SPDX-License-Identifier: MIT
/*
 * The data of the HTML report: one JSON document, written with the JSON
 * writer (RFC 8259 escaping) and embedded by report_html.c through
 * ana_esc_json_script(). Everything here is already aggregated: its size
 * depends on the caps below, not on the number of events.
 */
#include "analyze/report_html_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/report_util.h"
#include "analyze/units.h"

#define MAX_LEAVES 20000	/* flame graph leaves drawn */
#define MAX_HIST 24		/* syscalls with a histogram */

static void hist_log2(struct ana_jw *w, const struct ana_hist *h)
{
	uint64_t bins[64] = { 0 };

	for (uint32_t p = 0; p < ANA_HIST_PAGES; p++) {
		for (uint32_t j = 0; h->pages[p] && j < ANA_HIST_SUB; j++) {
			uint64_t lo = ana_hist_bucket_low(p * ANA_HIST_SUB + j);

			bins[lo ? 63 - __builtin_clzll(lo) : 0] += h->pages[p][j];
		}
	}
	ana_jw_arr(w, "hist");
	for (uint32_t b = 0; b < 64; b++) {
		if (!bins[b])
			continue;
		ana_jw_arr(w, NULL);
		ana_jw_u64(w, NULL, b);
		ana_jw_u64(w, NULL, bins[b]);
		ana_jw_end_arr(w);
	}
	ana_jw_end_arr(w);
}

static void stats(struct ana_jw *w, const struct ana_hist *h, uint64_t errors)
{
	ana_jw_u64(w, "count", h->count);
	ana_jw_u64(w, "errors", errors);
	ana_json_stats(w, h, &ana_json_html_keys.stats);
}

static void syscalls(struct ana_jw *w, const struct ana_engine *e)
{
	uint32_t drawn = 0;

	ana_jw_arr(w, "syscalls");
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[e->sys_order[i]];

		if (!s->h.count)
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_str(w, "name", s->name);
		ana_jw_str(w, "cat", syscalls_category_name(s->cat));
		stats(w, &s->h, s->errors);
		ana_jw_u64(w, "idle", s->idle_ns);
		ana_jw_u64(w, "req", s->req_ns);
		if (drawn++ < MAX_HIST)
			hist_log2(w, &s->h);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	ana_jw_arr(w, "categories");
	for (int c = 0; c < SC__COUNT; c++) {
		if (!e->cat_h[c].count)
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_str(w, "name", syscalls_category_name((enum syscall_category)c));
		stats(w, &e->cat_h[c], e->cat_errors[c]);
		ana_jw_u64(w, "idle", e->cat_idle_ns[c]);
		ana_jw_u64(w, "req", e->cat_req_ns[c]);
		hist_log2(w, &e->cat_h[c]);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

static void trace(struct ana_jw *w, const struct ana_engine *e)
{
	struct ana_trace_sum t;
	char b[64];

	ana_trace_summary(e, &t);
	ana_jw_obj(w, "trace");
	ana_jw_str(w, "host", t.host);
	ana_jw_str(w, "kernel", t.kernel);
	ana_jw_str(w, "start", ana_fmt_wall(b, sizeof(b), e->ts_wall_min));
	ana_jw_u64(w, "start_wall", e->ts_wall_min);
	ana_jw_u64(w, "duration", t.duration_ns);
	ana_jw_u64(w, "events", e->events);
	ana_jw_u64(w, "analyzed", e->kept);
	ana_jw_u64(w, "lost", t.lost);
	ana_jw_bool(w, "damaged", t.damaged);
	ana_jw_u64(w, "sample_every", t.sample_every);
	ana_jw_u64(w, "syscall_ns", e->idle_ns + e->attributed_ns + e->unattributed_ns);
	ana_jw_u64(w, "idle_ns", e->idle_ns);
	ana_jw_u64(w, "req_ns", e->attributed_ns);
	ana_jw_u64(w, "other_ns", e->unattributed_ns);
	ana_jw_end_obj(w);
}

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The ns of the MAX_LEAVES-th biggest leaf: smaller ones are not drawn. */
static uint64_t leaf_floor(const struct ana_viz *v)
{
	uint64_t *ns, floor;

	if (v->n <= MAX_LEAVES)
		return 0;
	ns = malloc(v->n * sizeof(*ns));
	if (!ns)
		return UINT64_MAX;
	for (size_t i = 0; i < v->n; i++)
		ns[i] = v->leaves[i].ns;
	qsort(ns, v->n, sizeof(*ns), cmp_desc);
	floor = ns[MAX_LEAVES - 1] + 1;
	free(ns);
	return floor;
}

static void thread_row(struct ana_jw *w, const struct ana_thread *t)
{
	const char *pc = t->proc && t->proc->comm ? t->proc->comm : t->comm;

	ana_jw_arr(w, NULL);
	ana_jw_u64(w, NULL, t->pid);
	ana_jw_str(w, NULL, pc);
	ana_jw_u64(w, NULL, t->tid);
	ana_jw_str(w, NULL, t->comm);
	ana_jw_end_arr(w);
}

/* Leaves are [thread, mode, sid, count, ns]; threads [pid, pcomm, tid, comm]. */
static void flame(struct ana_jw *w, const struct ana_viz *v)
{
	uint64_t floor = leaf_floor(v), hidden_ns = v->dropped_ns, hidden = 0;
	const struct ana_thread *last = NULL;
	uint64_t nthr = 0;

	ana_jw_obj(w, "flame");
	ana_jw_arr(w, "threads");
	for (size_t i = 0; i < v->n; i++) {
		if (v->leaves[i].t != last && v->leaves[i].ns >= floor)
			thread_row(w, v->leaves[i].t);
		if (v->leaves[i].t != last && v->leaves[i].ns >= floor)
			last = v->leaves[i].t;
	}
	ana_jw_end_arr(w);
	last = NULL;
	ana_jw_arr(w, "leaves");
	for (size_t i = 0; i < v->n; i++) {
		const struct ana_viz_leaf *l = &v->leaves[i];

		if (l->ns < floor) {
			hidden_ns += l->ns;
			hidden++;
			continue;
		}
		nthr += l->t != last && last;
		last = l->t;
		ana_jw_arr(w, NULL);
		ana_jw_u64(w, NULL, nthr);
		ana_jw_u64(w, NULL, l->mode);
		ana_jw_u64(w, NULL, l->sid);
		ana_jw_u64(w, NULL, l->count);
		ana_jw_u64(w, NULL, l->ns);
		ana_jw_end_arr(w);
	}
	ana_jw_end_arr(w);
	ana_jw_u64(w, "hidden_leaves", hidden);
	ana_jw_u64(w, "hidden_ns", hidden_ns);
	ana_jw_u64(w, "max_leaves", MAX_LEAVES);
	ana_jw_end_obj(w);
}

static void sysnames(struct ana_jw *w, const struct ana_engine *e)
{
	ana_jw_arr(w, "sysnames");
	for (uint32_t i = 0; i < e->nsys; i++) {
		ana_jw_arr(w, NULL);
		ana_jw_str(w, NULL, e->sys[i]->name);
		ana_jw_str(w, NULL, syscalls_category_name(e->sys[i]->cat));
		ana_jw_end_arr(w);
	}
	ana_jw_end_arr(w);
}

static void heat(struct ana_jw *w, const struct ana_viz *v)
{
	ana_jw_obj(w, "heat");
	ana_jw_u64(w, "base", v->heat_base);
	ana_jw_u64(w, "width", v->heat_width);
	ana_jw_u64(w, "cols", ANA_VIZ_HEAT_COLS);
	ana_jw_u64(w, "rows", ANA_VIZ_HEAT_ROWS);
	ana_jw_arr(w, "cells");
	for (uint32_t c = 0; c < ANA_VIZ_HEAT_COLS; c++) {
		for (uint32_t r = 0; r < ANA_VIZ_HEAT_ROWS; r++) {
			if (!v->heat[c][r])
				continue;
			ana_jw_arr(w, NULL);
			ana_jw_u64(w, NULL, c);
			ana_jw_u64(w, NULL, r);
			ana_jw_u64(w, NULL, v->heat[c][r]);
			ana_jw_end_arr(w);
		}
	}
	ana_jw_end_arr(w);
	ana_jw_end_obj(w);
}

int ana_html_data(struct ana_jw *w, const struct ana_viz *v, const struct ana_engine *e)
{
	ana_jw_obj(w, NULL);
	trace(w, e);
	sysnames(w, e);
	syscalls(w, e);
	flame(w, v);
	heat(w, v);
	ana_html_data_requests(w, v, e);
	ana_html_data_findings(w, e);
	ana_jw_end_obj(w);
	return ferror(w->f) ? -EIO : 0;
}
