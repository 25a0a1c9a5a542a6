/* SPDX-License-Identifier: MIT */
/* One function per table: events and requests through the row buffers,
 * the smaller tables through one prepared INSERT each, all values bound. */
#include "analyze/sqlite_out.h"

#include <errno.h>
#include <string.h>

#include "analyze/sqlite_internal.h"
#include "common/syscalls.h"

int ana_sql_process(struct ana_sql *s, const struct ana_sql_process *p)
{
	sqlite3_stmt *st;

	if (!s || !p)
		return sql_invalid(s, "ana_sql_process");
	st = s->stmt[SQ_PROCESS];
	sqlite3_bind_int64(st, 1, p->file_idx);
	sqlite3_bind_int64(st, 2, p->pid);
	sqlite3_bind_int64(st, 3, p->ppid);
	sql_bind_text(st, 4, p->comm);
	sql_bind_text(st, 5, p->exe);
	sql_bind_text(st, 6, p->cmdline);
	sql_bind_u64_or_null(st, 7, p->start_wall_ns, 0);
	sql_bind_u64_or_null(st, 8, p->exit_wall_ns, 0);
	sql_bind_i64_or_null(st, 9, p->exit_code, p->exit_code == -1);
	return sql_step(s, SQ_PROCESS, "insert into processes");
}

int ana_sql_thread(struct ana_sql *s, const struct ana_sql_thread *t)
{
	sqlite3_stmt *st;

	if (!s || !t)
		return sql_invalid(s, "ana_sql_thread");
	st = s->stmt[SQ_THREAD];
	sqlite3_bind_int64(st, 1, t->file_idx);
	sqlite3_bind_int64(st, 2, t->pid);
	sqlite3_bind_int64(st, 3, t->tid);
	sql_bind_text(st, 4, t->comm);
	sql_bind_u64_or_null(st, 5, t->start_wall_ns, 0);
	sql_bind_u64_or_null(st, 6, t->exit_wall_ns, 0);
	sql_bind_u64(st, 7, t->syscalls);
	sql_bind_u64(st, 8, t->syscall_ns);
	sql_bind_u64(st, 9, t->idle_ns);
	return sql_step(s, SQ_THREAD, "insert into threads");
}

int ana_sql_fd(struct ana_sql *s, const struct ana_sql_fd *f)
{
	sqlite3_stmt *st;

	if (!s || !f)
		return sql_invalid(s, "ana_sql_fd");
	st = s->stmt[SQ_FD];
	sqlite3_bind_int64(st, 1, f->file_idx);
	sqlite3_bind_int64(st, 2, f->pid);
	sqlite3_bind_int64(st, 3, f->fd);
	sql_bind_text(st, 4, f->kind);
	sql_bind_text(st, 5, f->path);
	sql_bind_text(st, 6, f->local);
	sql_bind_text(st, 7, f->peer);
	sql_bind_u64_or_null(st, 8, f->first_wall_ns, 0);
	sql_bind_u64_or_null(st, 9, f->last_wall_ns, 0);
	sql_bind_u64(st, 10, f->syscalls);
	sql_bind_u64(st, 11, f->syscall_ns);
	return sql_step(s, SQ_FD, "insert into fds");
}

static const struct {
	const char *scope;
	enum sql_stmt stmt;
	const char *what;
} stat_scopes[] = {
	{ "syscall", SQ_STAT_SYSCALL, "insert into syscall_stats" },
	{ "category", SQ_STAT_CATEGORY, "insert into category_stats" },
	{ "process", SQ_STAT_PROCESS, "insert into process_stats" },
	{ "thread", SQ_STAT_THREAD, "insert into thread_stats" },
	{ "window", SQ_STAT_WINDOW, "insert into window_stats" },
};

/* ?1 is the key: the INTEGER columns (pid, tid, window start) convert its
 * decimal text to an integer by column affinity, and keep any other text as
 * is rather than failing the load. ?2 is the category or window syscall. */
int ana_sql_stat(struct ana_sql *s, const struct ana_sql_stat *g)
{
	const unsigned int n = sizeof(stat_scopes) / sizeof(stat_scopes[0]);
	sqlite3_stmt *st;
	unsigned int i;

	if (!s || !g || !g->scope || !g->key)
		return sql_invalid(s, "ana_sql_stat");
	for (i = 0; i < n && strcmp(g->scope, stat_scopes[i].scope); i++)
		;
	if (i == n)
		return sql_invalid(s, "ana_sql_stat: unknown scope");
	st = s->stmt[stat_scopes[i].stmt];
	sql_bind_text(st, 1, g->key);
	sql_bind_text(st, 2, stat_scopes[i].stmt == SQ_STAT_WINDOW ? g->window_syscall
								    : g->category);
	sql_bind_u64(st, 3, g->count);
	sql_bind_u64(st, 4, g->errors);
	sql_bind_u64(st, 5, g->total_ns);
	sql_bind_u64(st, 6, g->mean_ns);
	sql_bind_u64(st, 7, g->min_ns);
	sql_bind_u64(st, 8, g->max_ns);
	sql_bind_u64(st, 9, g->p50_ns);
	sql_bind_u64(st, 10, g->p90_ns);
	sql_bind_u64(st, 11, g->p99_ns);
	sql_bind_u64(st, 12, g->p999_ns);
	if (stat_scopes[i].stmt == SQ_STAT_WINDOW)
		sql_bind_u64_or_null(st, 13, g->window_ns, 0);
	return sql_step(s, stat_scopes[i].stmt, stat_scopes[i].what);
}

/* The buffered twin of sql_bind_i64_or_null(): NULL when none. */
static void val_i64_or_null(struct sql_val *v, int64_t x, bool none)
{
	if (none)
		sql_val_null(v);
	else
		sql_val_i64(v, x);
}

/* Columns in SQL_EVENT_COLS order. */
int ana_sql_event(struct ana_sql *s, const struct ana_sql_event *ev)
{
	struct sql_val *v;
	int err;

	if (!s || !ev || !ev->syscall || !ev->category)
		return sql_invalid(s, "ana_sql_event");
	if (s->failed)
		return -EIO;
	v = sql_buf_row(s->events);
	sql_val_i64(&v[0], ev->file_idx);
	sql_val_u64(&v[1], ev->ts_ns);
	sql_val_u64(&v[2], ev->wall_ns);
	sql_val_i64(&v[3], ev->pid);
	sql_val_i64(&v[4], ev->tid);
	sql_val_i64(&v[5], ev->cpu);
	sql_val_i64(&v[6], ev->nr);
	err = sql_val_text(s->events, &v[7], ev->syscall);
	if (!err)
		err = sql_val_text(s->events, &v[8], ev->category);
	if (err)
		return err;
	sql_val_u64(&v[9], ev->duration_ns);
	sql_val_i64(&v[10], ev->ret);
	sql_val_i64(&v[11], ev->err);
	sql_val_static(&v[12], ev->err ? ana_sql_errno_name(ev->err) : NULL);
	val_i64_or_null(&v[13], ev->fd, ev->fd < 0);
	val_i64_or_null(&v[14], ev->request_id, ev->request_id < 0);
	sql_val_i64(&v[15], ev->idle);
	if (ev->request_id >= 0) {
		err = sql_ranges_event(s, ev->request_id, s->next_event_id);
		if (err)
			return err;
	}
	val_i64_or_null(&v[16], ev->stack_id, !ev->stack_id);
	return sql_event_added(s, ev);
}

/* Columns in SQL_REQUEST_COLS order. */
int ana_sql_request(struct ana_sql *s, const struct ana_sql_request *r)
{
	char iso[SQL_ISO_LEN];
	uint64_t first, last;
	struct sql_val *v;
	int c, err;

	if (!s || !r || !r->category_ns)
		return sql_invalid(s, "ana_sql_request");
	if (s->failed)
		return -EIO;
	v = sql_buf_row(s->requests);
	sql_val_i64(&v[0], r->id);
	sql_val_i64(&v[1], r->file_idx);
	sql_val_i64(&v[2], r->pid);
	sql_val_i64(&v[3], r->tid);
	val_i64_or_null(&v[4], r->fd, r->fd < 0);
	err = sql_val_text(s->requests, &v[5], r->peer);
	if (!err)
		err = sql_val_text(s->requests, &v[6], r->method);
	if (!err)
		err = sql_val_text(s->requests, &v[8], sql_iso_time(r->start_wall_ns, iso));
	if (err)
		return err;
	sql_val_u64(&v[7], r->start_wall_ns);
	sql_val_u64(&v[9], r->end_wall_ns);
	sql_val_u64(&v[10], r->duration_ns);
	sql_val_u64(&v[11], r->syscall_ns);
	sql_val_u64(&v[12], r->syscalls);
	for (c = 0; c < SC__COUNT; c++)
		sql_val_u64(&v[13 + c], r->category_ns[c]);
	sql_val_i64(&v[13 + SC__COUNT], r->complete);
	sql_val_i64(&v[14 + SC__COUNT], r->lossy);
	err = sql_ranges_close(s, r->id, s->next_event_id, &first, &last);
	if (err < 0)
		return err;
	if (err) {
		sql_val_u64(&v[15 + SC__COUNT], first);
		sql_val_u64(&v[16 + SC__COUNT], last);
	} else {
		sql_val_null(&v[15 + SC__COUNT]);
		sql_val_null(&v[16 + SC__COUNT]);
	}
	s->requests_n++;
	return sql_buf_add(s->requests);
}

int ana_sql_hotspot(struct ana_sql *s, const struct ana_sql_hotspot *h)
{
	sqlite3_stmt *st;

	if (!s || !h || !h->kind || !h->name)
		return sql_invalid(s, "ana_sql_hotspot");
	st = s->stmt[SQ_HOTSPOT];
	sqlite3_bind_int64(st, 1, h->rank);
	sql_bind_text(st, 2, h->kind);
	sql_bind_text(st, 3, h->name);
	sql_bind_u64(st, 4, h->count);
	sql_bind_u64(st, 5, h->total_ns);
	sqlite3_bind_double(st, 6, h->share);
	sql_bind_u64(st, 7, h->p99_ns);
	return sql_step(s, SQ_HOTSPOT, "insert into hotspots");
}

int ana_sql_outlier(struct ana_sql *s, const struct ana_sql_outlier *o)
{
	sqlite3_stmt *st;

	if (!s || !o || !o->kind)
		return sql_invalid(s, "ana_sql_outlier");
	st = s->stmt[SQ_OUTLIER];
	sql_bind_text(st, 1, o->kind);
	sql_bind_text(st, 2, o->name);
	sql_bind_u64(st, 3, o->wall_ns);
	sql_bind_u64(st, 4, o->duration_ns);
	sqlite3_bind_int64(st, 5, o->pid);
	sqlite3_bind_int64(st, 6, o->tid);
	sql_bind_i64_or_null(st, 7, o->request_id, o->request_id < 0);
	sqlite3_bind_double(st, 8, o->score);
	sql_bind_text(st, 9, o->rule);
	return sql_step(s, SQ_OUTLIER, "insert into outliers");
}

int ana_sql_loss(struct ana_sql *s, const struct ana_sql_loss *l)
{
	sqlite3_stmt *st;

	if (!s || !l || !l->source)
		return sql_invalid(s, "ana_sql_loss");
	st = s->stmt[SQ_LOSS];
	sqlite3_bind_int64(st, 1, l->file_idx);
	sql_bind_text(st, 2, l->source);
	sql_bind_u64_or_null(st, 3, l->cpu, UINT32_MAX);
	sql_bind_u64(st, 4, l->start_wall_ns);
	sql_bind_u64(st, 5, l->end_wall_ns);
	sql_bind_u64(st, 6, l->count);
	return sql_step(s, SQ_LOSS, "insert into loss");
}

int ana_sql_suggestion(struct ana_sql *s, const struct ana_sql_suggestion *g)
{
	sqlite3_stmt *st;

	if (!s || !g || !g->rule)
		return sql_invalid(s, "ana_sql_suggestion");
	st = s->stmt[SQ_SUGGESTION];
	sqlite3_bind_int64(st, 1, g->rank);
	sql_bind_text(st, 2, g->rule);
	sql_bind_text(st, 3, g->title);
	sql_bind_text(st, 4, g->evidence);
	return sql_step(s, SQ_SUGGESTION, "insert into suggestions");
}

int ana_sql_stack(struct ana_sql *s, uint32_t file_idx, uint32_t stack_id,
		  uint32_t depth, const char *const *frames)
{
	sqlite3_stmt *st;
	uint32_t i;
	int err;

	if (!s || (depth && !frames))
		return sql_invalid(s, "ana_sql_stack");
	st = s->stmt[SQ_STACK];
	for (i = 0; i < depth; i++) {
		sqlite3_bind_int64(st, 1, file_idx);
		sqlite3_bind_int64(st, 2, stack_id);
		sqlite3_bind_int64(st, 3, depth);
		sqlite3_bind_int64(st, 4, i);
		sql_bind_text(st, 5, frames[i]);
		err = sql_step(s, SQ_STACK, "insert into stacks");
		if (err)
			return err;
	}
	return 0;
}
