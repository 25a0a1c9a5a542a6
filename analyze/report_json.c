// SPDX-License-Identifier: MIT
/* The JSON report: the stable schema of docs/REPORT.md. */
#include "analyze/analyze.h"

#include <errno.h>
#include <string.h>

#include "analyze/engine.h"
#include "analyze/jsonw.h"
#include "analyze/report_util.h"
#include "analyze/stacks_report.h"
#include "analyze/units.h"

static const struct ana_json_keys *const K = &ana_json_report_keys;

static void wall(struct ana_jw *w, const char *key, uint64_t ns)
{
	ana_json_wall(w, key, ns, true);
}

static void files(struct ana_jw *w, const struct ana_engine *e)
{
	ana_jw_arr(w, "files");
	for (uint32_t i = 0; i < e->nfiles; i++) {
		const struct ana_file *f = &e->files[i];

		ana_jw_obj(w, NULL);
		ana_jw_str(w, "path", f->path);
		ana_jw_str(w, "host", f->hostname);
		ana_jw_str(w, "kernel", f->kernel);
		ana_jw_str(w, "arch", f->arch);
		ana_jw_str(w, "recorder", f->recorder);
		ana_jw_u64(w, "events", f->events);
		ana_jw_u64(w, "lost_events", f->lost);
		ana_jw_u64(w, "damaged_chunks", f->damaged_chunks);
		ana_jw_u64(w, "damaged_events", f->damaged_events);
		ana_jw_bool(w, "truncated", f->truncated);
		ana_jw_bool(w, "closed_cleanly", f->footer_seen);
		ana_jw_u64(w, "sample_every", f->sample_every);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

static void trace(struct ana_jw *w, const struct ana_engine *e)
{
	struct ana_trace_sum t;

	ana_trace_summary(e, &t);
	ana_jw_obj(w, "trace");
	ana_jw_str(w, "host", t.host);
	ana_jw_str(w, "kernel", t.kernel);
	wall(w, "start", e->ts_wall_min);
	wall(w, "end", e->ts_wall_max);
	ana_jw_u64(w, "start_wall_ns", e->ts_wall_min);
	ana_jw_u64(w, "end_wall_ns", e->ts_wall_max);
	ana_jw_u64(w, "duration_ns", t.duration_ns);
	ana_jw_u64(w, "events", e->events);
	ana_jw_u64(w, "events_analyzed", e->kept);
	ana_jw_u64(w, "lost_events", t.lost);
	ana_jw_bool(w, "damaged", t.damaged);
	ana_jw_u64(w, "sample_every", t.sample_every);
	ana_jw_bool(w, "scaled_estimates", t.sample_every > 1);
	ana_jw_dbl(w, "histogram_relative_error", ANA_HIST_REL_ERROR);
	files(w, e);
	ana_jw_end_obj(w);
	ana_jw_obj(w, "time");
	ana_jw_u64(w, "syscall_ns", e->idle_ns + e->attributed_ns + e->unattributed_ns);
	ana_jw_u64(w, "idle_ns", e->idle_ns);
	ana_jw_u64(w, "in_request_ns", e->attributed_ns);
	ana_jw_u64(w, "unattributed_ns", e->unattributed_ns);
	ana_jw_dbl(w, "unattributed_share", ana_share(e->unattributed_ns,
						      e->attributed_ns + e->unattributed_ns));
	ana_jw_end_obj(w);
}

static void errnos(struct ana_jw *w, const struct ana_sys *s)
{
	char b[32];

	ana_jw_obj(w, "errnos");
	for (uint32_t i = 0; s->errnos && i < ANA_MAX_ERRNO; i++) {
		if (s->errnos[i])
			ana_jw_u64(w, ana_errno_name(b, sizeof(b), i), s->errnos[i]);
	}
	ana_jw_end_obj(w);
}

static void syscalls(struct ana_jw *w, const struct ana_engine *e)
{
	ana_jw_arr(w, "syscalls");
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[e->sys_order[i]];

		if (!s->h.count)
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_str(w, "name", s->name);
		ana_jw_str(w, "category", syscalls_category_name(s->cat));
		ana_jw_u64(w, "count", s->h.count);
		ana_jw_u64(w, "errors", s->errors);
		errnos(w, s);
		ana_json_stats(w, &s->h, &K->stats);
		ana_jw_u64(w, "idle_ns", s->idle_ns);
		ana_jw_u64(w, "in_request_ns", s->req_ns);
		ana_jw_u64(w, "in_request_count", s->req_count);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	ana_jw_arr(w, "categories");
	for (int c = 0; c < SC__COUNT; c++) {
		if (!e->cat_h[c].count)
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_str(w, "name", syscalls_category_name(c));
		ana_jw_u64(w, "count", e->cat_h[c].count);
		ana_jw_u64(w, "errors", e->cat_errors[c]);
		ana_json_stats(w, &e->cat_h[c], &K->stats);
		ana_jw_u64(w, "in_request_ns", e->cat_req_ns[c]);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

static void cat_ns(struct ana_jw *w, const uint64_t *ns)
{
	ana_jw_obj(w, "category_ns");
	for (int c = 0; c < SC__COUNT; c++) {
		if (ns[c])
			ana_jw_u64(w, syscalls_category_name(c), ns[c]);
	}
	ana_jw_end_obj(w);
}

static void request(struct ana_jw *w, const struct ana_engine *e, const struct ana_req *r)
{
	ana_jw_obj(w, NULL);
	ana_jw_i64(w, "id", r->id);
	ana_jw_u64(w, "file", r->file);
	ana_jw_u64(w, "pid", r->pid);
	ana_jw_u64(w, "tid", r->tid);
	ana_jw_i64(w, "fd", r->fd);
	ana_jw_str(w, "peer", r->peer[0] ? r->peer : NULL);
	ana_jw_str(w, "method", r->method == ANA_REQ_CONNECTION ? "connection" : "thread");
	wall(w, "start", ana_engine_wall(e, r->file, r->start_ts));
	wall(w, "end", ana_engine_wall(e, r->file, r->end_ts));
	ana_jw_u64(w, "duration_ns", r->end_ts - r->start_ts);
	ana_jw_u64(w, "syscalls", r->syscalls);
	ana_jw_u64(w, "syscall_ns", r->syscall_ns);
	cat_ns(w, r->cat_ns);
	ana_jw_bool(w, "complete", r->complete);
	ana_jw_bool(w, "lossy", r->lossy);
	ana_jw_arr(w, "slowest_syscalls");
	for (int i = 0; i < 3; i++) {
		if (!r->top[i].dur)
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_str(w, "name", e->sys[r->top[i].sid]->name);
		ana_jw_u64(w, "duration_ns", r->top[i].dur);
		wall(w, "start", ana_engine_wall(e, r->file, r->top[i].ts));
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	ana_jw_end_obj(w);
}

static void requests(struct ana_jw *w, const struct ana_engine *e)
{
	char method[96];

	ana_jw_obj(w, "requests");
	ana_jw_str(w, "method", ana_method_summary(e, method, sizeof(method)));
	ana_jw_u64(w, "processes_connection", e->procs_conn);
	ana_jw_u64(w, "processes_thread", e->procs_thread);
	ana_jw_u64(w, "timeout_ms", e->opts->request_timeout_ns / 1000000);
	ana_json_request_counts(w, e, K);
	ana_jw_u64(w, "syscall_ns", e->attributed_ns);
	ana_jw_u64(w, "unattributed_ns", e->unattributed_ns);
	ana_jw_dbl(w, "unattributed_share", ana_share(e->unattributed_ns,
						      e->attributed_ns + e->unattributed_ns));
	ana_jw_u64(w, "max_concurrent", e->max_live);
	cat_ns(w, e->req_cat_ns);
	ana_jw_arr(w, "slowest");
	for (uint32_t i = 0; i < e->nslowest; i++)
		request(w, e, &e->slowest[i]);
	ana_jw_end_arr(w);
	ana_jw_end_obj(w);
}

static void patterns(struct ana_jw *w, const struct ana_engine *e)
{
	ana_jw_arr(w, "patterns");
	for (uint32_t i = 0; i < e->npat_order; i++) {
		uint64_t k = e->pat_order[i].key;

		ana_jw_obj(w, NULL);
		ana_jw_arr(w, "sequence");
		ana_jw_str(w, NULL, e->sys[(k >> 32 & 0xffff) - 1]->name);
		ana_jw_str(w, NULL, e->sys[(k >> 16 & 0xffff) - 1]->name);
		ana_jw_str(w, NULL, e->sys[(k & 0xffff) - 1]->name);
		ana_jw_end_arr(w);
		ana_jw_u64(w, "count", e->pat_order[i].count);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

int ana_report_json(const struct ana_engine *e, FILE *f)
{
	struct ana_jw w;

	ana_jw_init(&w, f);
	ana_jw_obj(&w, NULL);
	ana_jw_u64(&w, "schema_version", 1);
	trace(&w, e);
	syscalls(&w, e);
	requests(&w, e);
	ana_json_hotspots(&w, e, K);
	ana_json_outliers(&w, e, K);
	patterns(&w, e);
	ana_json_suggestions(&w, e, K);
	ana_report_json_entities(&w, e);
	ana_stacks_report_json(&w, e);
	ana_jw_end_obj(&w);
	return ferror(f) ? -EIO : 0;
}
