// SPDX-License-Identifier: MIT
#include "analyze/engine_sql.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/sqlite_out.h"
#include "analyze/stacks.h"
#include "analyze/units.h"
#include "common/log.h"

static void check(struct ana_engine *e, int err)
{
	if (err && !e->sql_err) {
		e->sql_err = err;
		log_error("sqlite: %s", ana_sql_errmsg(e->sql));
	}
}

int ana_sqlsink_open(struct ana_engine *e)
{
	int err = ana_sql_open(e->opts->sqlite, e->opts->force, &e->sql);

	if (err == -EEXIST)
		log_error("%s exists; use --force to replace it", e->opts->sqlite);
	else if (err)
		log_error("cannot create %s: %s", e->opts->sqlite, strerror(-err));
	return err;
}

void ana_sqlsink_event(struct ana_engine *e, const struct ana_ev_ctx *c)
{
	const struct ebt_event *ev = c->ev;
	struct ana_sql_event s = {
		.file_idx = c->file,
		.ts_ns = ev->enter_ns,
		.wall_ns = ana_engine_wall(e, c->file, ev->enter_ns),
		.duration_ns = ev->duration_ns,
		.pid = ev->pid, .tid = ev->tid, .cpu = ev->cpu, .nr = ev->nr,
		.syscall = c->sys->name,
		.category = syscalls_category_name(c->cat),
		.ret = ev->ret,
		.err = ev->ret < 0 && ev->ret >= -4095 ? (int32_t)-ev->ret : 0,
		.fd = c->sys->fd_first && ev->arg0 <= INT32_MAX ? (int64_t)ev->arg0 : -1,
		.request_id = c->req_id,
		.idle = c->idle,
		.stack_id = ev->stack_id,
	};

	if (!e->sql_err)
		check(e, ana_sql_event(e->sql, &s));
}

void ana_sqlsink_request(struct ana_engine *e, const struct ana_req *r)
{
	struct ana_sql_request s = {
		.id = r->id, .file_idx = r->file, .pid = r->pid, .tid = r->tid,
		.fd = r->fd, .peer = r->peer[0] ? r->peer : NULL,
		.method = r->method == ANA_REQ_CONNECTION ? "connection" : "thread",
		.start_wall_ns = ana_engine_wall(e, r->file, r->start_ts),
		.end_wall_ns = ana_engine_wall(e, r->file, r->end_ts),
		.duration_ns = r->end_ts - r->start_ts,
		.syscall_ns = r->syscall_ns, .syscalls = r->syscalls,
		.category_ns = r->cat_ns, .complete = r->complete, .lossy = r->lossy,
	};

	if (!e->sql_err)
		check(e, ana_sql_request(e->sql, &s));
}

static int stat_row(struct ana_engine *e, const char *scope, const char *key,
		    const char *cat, const struct ana_hist *h, uint64_t errors)
{
	struct ana_sql_stat st = {
		.scope = scope, .key = key, .category = cat,
		.count = h->count, .errors = errors, .total_ns = h->total,
		.mean_ns = ana_hist_mean(h), .min_ns = h->count ? h->min : 0,
		.max_ns = h->max,
		.p50_ns = ana_hist_quantile(h, 0.5), .p90_ns = ana_hist_quantile(h, 0.9),
		.p99_ns = ana_hist_quantile(h, 0.99), .p999_ns = ana_hist_quantile(h, 0.999),
	};

	return ana_sql_stat(e->sql, &st);
}

static int info_rows(struct ana_engine *e)
{
	char buf[64];
	int err = 0;

	for (uint32_t i = 0; i < e->nfiles && !err; i++) {
		const struct ana_file *f = &e->files[i];

		err = ana_sql_trace_info(e->sql, i, "path", f->path);
		if (!err && f->hostname)
			err = ana_sql_trace_info(e->sql, i, "hostname", f->hostname);
		if (!err && f->kernel)
			err = ana_sql_trace_info(e->sql, i, "kernel_release", f->kernel);
		if (!err && f->arch)
			err = ana_sql_trace_info(e->sql, i, "arch", f->arch);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)f->events);
		if (!err)
			err = ana_sql_trace_info(e->sql, i, "events", buf);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)f->lost);
		if (!err)
			err = ana_sql_trace_info(e->sql, i, "lost_events", buf);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)f->sample_every);
		if (!err)
			err = ana_sql_trace_info(e->sql, i, "sample_every", buf);
		if (!err)
			err = ana_sql_trace_info(e->sql, i, "request_method",
						 ana_req_method_name(e->opts->requests));
	}
	return err;
}

static int stats_rows(struct ana_engine *e)
{
	char key[64];
	int err = 0;

	for (uint32_t i = 0; i < e->nsys && !err; i++) {
		const struct ana_sys *s = e->sys[e->sys_order[i]];

		err = stat_row(e, "syscall", s->name, syscalls_category_name(s->cat), &s->h,
			       s->errors);
	}
	for (int c = 0; c < SC__COUNT && !err; c++) {
		if (e->cat_h[c].count)
			err = stat_row(e, "category", syscalls_category_name(c), NULL,
				       &e->cat_h[c], e->cat_errors[c]);
	}
	for (uint32_t i = 0; i < e->nproc_order && !err; i++) {
		snprintf(key, sizeof(key), "%u", e->proc_order[i]->pid);
		err = stat_row(e, "process", key, NULL, &e->proc_order[i]->h,
			       e->proc_order[i]->errors);
	}
	for (uint32_t i = 0; i < e->nthr_order && !err; i++) {
		snprintf(key, sizeof(key), "%u", e->thr_order[i]->tid);
		err = stat_row(e, "thread", key, NULL, &e->thr_order[i]->h,
			       e->thr_order[i]->errors);
	}
	for (uint32_t i = 0; i < e->nwin && !err; i++) {
		snprintf(key, sizeof(key), "%llu",
			 (unsigned long long)(e->win_base + i * e->win_width));
		err = stat_row(e, "window", key, NULL, &e->win[i].h, e->win[i].errors);
	}
	return err;
}

static int entity_rows(struct ana_engine *e)
{
	int err = 0;

	for (uint32_t i = 0; i < e->nproc_order && !err; i++) {
		const struct ana_proc *p = e->proc_order[i];
		struct ana_sql_process sp = {
			.file_idx = p->file, .pid = p->pid, .ppid = p->ppid,
			.comm = p->comm, .exe = p->exe, .cmdline = p->cmdline,
			.start_wall_ns = p->start_ts ? ana_engine_wall(e, p->file, p->start_ts) : 0,
			.exit_wall_ns = p->exit_ts ? ana_engine_wall(e, p->file, p->exit_ts) : 0,
			.exit_code = p->exit_code,
		};

		err = ana_sql_process(e->sql, &sp);
	}
	for (uint32_t i = 0; i < e->nthr_order && !err; i++) {
		const struct ana_thread *t = e->thr_order[i];
		struct ana_sql_thread st = {
			.file_idx = t->file, .pid = t->pid, .tid = t->tid, .comm = t->comm,
			.start_wall_ns = t->start_ts ? ana_engine_wall(e, t->file, t->start_ts) : 0,
			.exit_wall_ns = t->exit_ts ? ana_engine_wall(e, t->file, t->exit_ts) : 0,
			.syscalls = t->h.count, .syscall_ns = t->h.total, .idle_ns = t->idle_ns,
		};

		err = ana_sql_thread(e->sql, &st);
	}
	for (uint32_t i = 0; i < e->nfd_order && !err; i++) {
		const struct ana_fd_sum *f = &e->fd_order[i];
		struct ana_sql_fd sf = {
			.file_idx = f->file, .pid = f->pid, .fd = f->fd,
			.kind = ebt_fd_kind_name(f->kind),
			.path = f->path[0] ? f->path : NULL, .peer = f->peer[0] ? f->peer : NULL,
			.first_wall_ns = ana_engine_wall(e, f->file, f->first_ts),
			.last_wall_ns = ana_engine_wall(e, f->file, f->last_ts),
			.syscalls = f->syscalls, .syscall_ns = f->ns,
		};

		err = ana_sql_fd(e->sql, &sf);
	}
	return err;
}

static int finding_rows(struct ana_engine *e)
{
	int err = 0;

	for (uint32_t i = 0; i < e->nhot && !err; i++) {
		const struct ana_hotspot *hs = &e->hot[i];
		struct ana_sql_hotspot h = {
			.rank = i + 1, .kind = hs->is_category ? "category" : "syscall",
			.name = hs->name, .count = hs->count, .total_ns = hs->ns,
			.share = hs->share, .p99_ns = hs->p99_ns,
		};

		err = ana_sql_hotspot(e->sql, &h);
	}
	for (uint32_t i = 0; i < e->noutliers && !err; i++) {
		const struct ana_outlier *o = &e->outliers[i];
		struct ana_sql_outlier so = {
			.kind = o->is_request ? "request" : "syscall",
			.name = o->is_request ? "request" : e->sys[o->sid]->name,
			.wall_ns = ana_engine_wall(e, o->ev.file, o->ev.ts),
			.duration_ns = o->ev.dur, .pid = o->ev.pid, .tid = o->ev.tid,
			.request_id = o->ev.req, .score = o->score, .rule = o->rule,
		};

		err = ana_sql_outlier(e->sql, &so);
	}
	for (uint32_t i = 0; i < e->nloss && !err; i++) {
		static const char *const src[] = { "?", "ringbuf", "writer", "damage", "filter" };
		const struct ana_loss_win *w = &e->loss[i];
		struct ana_sql_loss sl = {
			.file_idx = w->file, .source = src[w->source < 5 ? w->source : 0],
			.cpu = w->cpu, .start_wall_ns = ana_engine_wall(e, w->file, w->start),
			.end_wall_ns = ana_engine_wall(e, w->file, w->end), .count = w->count,
		};

		err = ana_sql_loss(e->sql, &sl);
	}
	for (uint32_t i = 0; i < e->nsugg && !err; i++) {
		struct ana_sql_suggestion sg = { i + 1, e->sugg[i].rule, e->sugg[i].title,
						 e->sugg[i].evidence };

		err = ana_sql_suggestion(e->sql, &sg);
	}
	return err;
}

static int stack_row(uint32_t file, uint32_t id, uint32_t depth, const char *const *frames,
		     void *arg)
{
	return ana_sql_stack(arg, file, id, depth, frames);
}

int ana_sqlsink_results(struct ana_engine *e)
{
	int err = e->sql_err;

	if (!err)
		err = info_rows(e);
	if (!err)
		err = stats_rows(e);
	if (!err)
		err = entity_rows(e);
	if (!err)
		err = finding_rows(e);
	if (!err)
		err = ana_stacks_each(e, stack_row, e->sql);
	check(e, err);
	return err;
}

int ana_sqlsink_close(struct ana_engine *e, bool ok)
{
	int err = ana_sql_close(e->sql, ok && !e->sql_err);

	e->sql = NULL;
	if (err)
		log_error("sqlite: cannot commit %s: %s", e->opts->sqlite, strerror(-err));
	return err ? err : e->sql_err;
}
