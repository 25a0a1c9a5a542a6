// SPDX-License-Identifier: MIT
/*
 * Rows that both JSON documents write from the same engine results, the
 * report (report_json.c) and the HTML page's data (report_html_*.c): the
 * same values in the same order, under each document's key names.
 */
#include "analyze/report_util.h"

#include "analyze/units.h"

const struct ana_json_keys ana_json_report_keys = {
	.stats = { .total = "total_ns", .mean = "mean_ns", .min = "min_ns", .p50 = "p50_ns",
		   .p90 = "p90_ns", .p99 = "p99_ns", .p999 = "p999_ns", .max = "max_ns" },
	.req_stats = { .mean = "mean_ns", .p50 = "p50_ns", .p90 = "p90_ns", .p99 = "p99_ns",
		       .p999 = "p999_ns", .max = "max_ns" },
	.hot_basis = "hotspots_basis",
	.basis_in_request = "in_request",
	.basis_non_idle = "non_idle",
	.rank = "rank",
	.kind = "kind",
	.dur = "duration_ns",
	.req_id = "request_id",
	.wall_text = true,
};

const struct ana_json_keys ana_json_html_keys = {
	.stats = { .total = "total", .mean = "mean", .p50 = "p50", .p90 = "p90", .p99 = "p99",
		   .max = "max" },
	.req_stats = { .p50 = "p50", .p90 = "p90", .p99 = "p99", .max = "max" },
	.hot_basis = "hot_basis",
	.basis_in_request = "in-request time",
	.basis_non_idle = "non-idle time",
	.dur = "dur",
	.req_id = "req",
	.weight = "weight",
};

static void put_u64(struct ana_jw *w, const char *key, uint64_t v)
{
	if (key)
		ana_jw_u64(w, key, v);
}

void ana_json_wall(struct ana_jw *w, const char *key, uint64_t ns, bool text)
{
	char b[48];

	if (!text)
		ana_jw_u64(w, key, ns);
	else if (ns)
		ana_jw_str(w, key, ana_fmt_wall(b, sizeof(b), ns));
	else
		ana_jw_null(w, key);
}

void ana_json_stats(struct ana_jw *w, const struct ana_hist *h,
		    const struct ana_json_stat_keys *k)
{
	put_u64(w, k->total, h->total);
	put_u64(w, k->mean, ana_hist_mean(h));
	put_u64(w, k->min, h->count ? h->min : 0);
	put_u64(w, k->p50, ana_hist_quantile(h, 0.5));
	put_u64(w, k->p90, ana_hist_quantile(h, 0.9));
	put_u64(w, k->p99, ana_hist_quantile(h, 0.99));
	put_u64(w, k->p999, ana_hist_quantile(h, 0.999));
	put_u64(w, k->max, h->max);
}

void ana_json_request_counts(struct ana_jw *w, const struct ana_engine *e,
			     const struct ana_json_keys *k)
{
	ana_jw_u64(w, "count", e->req_count);
	ana_jw_u64(w, "incomplete", e->req_incomplete);
	ana_jw_u64(w, "lossy", e->req_lossy);
	ana_json_stats(w, &e->req_h, &k->req_stats);
}

void ana_json_hotspots(struct ana_jw *w, const struct ana_engine *e,
		       const struct ana_json_keys *k)
{
	ana_jw_str(w, k->hot_basis, e->hot_in_request ? k->basis_in_request : k->basis_non_idle);
	ana_jw_arr(w, "hotspots");
	for (uint32_t i = 0; i < e->nhot; i++) {
		const struct ana_hotspot *h = &e->hot[i];

		ana_jw_obj(w, NULL);
		put_u64(w, k->rank, i + 1);
		ana_jw_str(w, "kind", h->is_category ? "category" : "syscall");
		ana_jw_str(w, "name", h->name);
		ana_jw_u64(w, "count", h->count);
		ana_jw_u64(w, k->stats.total, h->ns);
		ana_jw_dbl(w, "share", h->share);
		ana_jw_u64(w, k->stats.p99, h->p99_ns);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

void ana_json_outliers(struct ana_jw *w, const struct ana_engine *e,
		       const struct ana_json_keys *k)
{
	ana_jw_arr(w, "outliers");
	for (uint32_t i = 0; i < e->noutliers; i++) {
		const struct ana_outlier *o = &e->outliers[i];

		ana_jw_obj(w, NULL);
		if (k->kind)
			ana_jw_str(w, k->kind, o->is_request ? "request" : "syscall");
		ana_jw_str(w, "name", o->is_request ? "request" : e->sys[o->sid]->name);
		ana_json_wall(w, "start", ana_engine_wall(e, o->ev.file, o->ev.ts), k->wall_text);
		ana_jw_u64(w, k->dur, o->ev.dur);
		ana_jw_u64(w, "pid", o->ev.pid);
		ana_jw_u64(w, "tid", o->ev.tid);
		ana_jw_i64(w, k->req_id, o->ev.req);
		ana_jw_dbl(w, "score", o->score);
		ana_jw_str(w, "rule", o->rule);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

void ana_json_suggestions(struct ana_jw *w, const struct ana_engine *e,
			  const struct ana_json_keys *k)
{
	ana_jw_arr(w, "suggestions");
	for (uint32_t i = 0; i < e->nsugg; i++) {
		ana_jw_obj(w, NULL);
		put_u64(w, k->rank, i + 1);
		ana_jw_str(w, "rule", e->sugg[i].rule);
		ana_jw_str(w, "title", e->sugg[i].title);
		ana_jw_str(w, "evidence", e->sugg[i].evidence);
		put_u64(w, k->weight, e->sugg[i].weight_ns);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}
