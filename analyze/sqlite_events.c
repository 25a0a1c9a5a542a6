/* SPDX-License-Identifier: MIT */
/*
 * The events table is most of the load, so events take a faster path than
 * one INSERT per row: ana_sql_event() copies each event (and its strings,
 * which the caller may free on return) into a buffer, and every EV_BUF events
 * one "INSERT INTO events SELECT * FROM ebt_load_events" moves the whole
 * buffer. ebt_load_events is an eponymous virtual table over that buffer:
 * it exists only on this connection, never in the file's schema, and its
 * columns hand sqlite the values directly, without parameter binding or a
 * statement per row.
 */
#include "analyze/sqlite_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/sqlite_internal.h"
#include "common/alloc.h"

/* One buffered event; strings are offsets into s->ev_arena. */
struct sql_pending {
	uint64_t ts_ns, wall_ns, duration_ns;
	int64_t ret, fd, request_id;
	uint32_t file_idx, pid, tid, cpu, nr, stack_id;
	int32_t err;
	uint32_t sys_len, cat_len;
	size_t sys_off, cat_off;
	const char *errno_name;	/* static storage */
	bool idle;
};

struct src_cursor {
	sqlite3_vtab_cursor base;
	struct ana_sql *s;
	unsigned int i;
};

struct src_vtab {
	sqlite3_vtab base;
	struct ana_sql *s;
};

static int src_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		       sqlite3_vtab **out, char **errmsg)
{
	struct src_vtab *t;
	int rc;

	rc = sqlite3_declare_vtab(db, "CREATE TABLE x(" SQL_EVENT_COLS ")");
	if (rc != SQLITE_OK)
		return rc;
	t = sqlite3_malloc(sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->s = aux;
	*out = &t->base;
	return SQLITE_OK;
}

static int src_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

static int src_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	info->estimatedCost = EV_BUF;
	info->estimatedRows = EV_BUF;
	return SQLITE_OK;
}

static int src_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct src_cursor *c = sqlite3_malloc(sizeof(*c));

	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->s = ((struct src_vtab *)vt)->s;
	*out = &c->base;
	return SQLITE_OK;
}

static int src_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int src_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
		      sqlite3_value **argv)
{
	((struct src_cursor *)cur)->i = 0;
	return SQLITE_OK;
}

static int src_next(sqlite3_vtab_cursor *cur)
{
	((struct src_cursor *)cur)->i++;
	return SQLITE_OK;
}

static int src_eof(sqlite3_vtab_cursor *cur)
{
	struct src_cursor *c = (struct src_cursor *)cur;

	return c->i >= c->s->ev_pending;
}

static void result_u64(sqlite3_context *ctx, uint64_t v)
{
	if (v <= INT64_MAX)
		sqlite3_result_int64(ctx, (int64_t)v);
	else
		sqlite3_result_double(ctx, (double)v);
}

static void result_text(sqlite3_context *ctx, const char *v, uint32_t len)
{
	if (v)
		sqlite3_result_text(ctx, v, (int)len, SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

/* Columns in SQL_EVENT_COLS order. */
static int src_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct src_cursor *c = (const struct src_cursor *)cur;
	const struct sql_pending *p = &c->s->ev_buf[c->i];
	const char *arena = c->s->ev_arena;

	switch (col) {
	case 0: sqlite3_result_int64(ctx, p->file_idx); break;
	case 1: result_u64(ctx, p->ts_ns); break;
	case 2: result_u64(ctx, p->wall_ns); break;
	case 3: sqlite3_result_int64(ctx, p->pid); break;
	case 4: sqlite3_result_int64(ctx, p->tid); break;
	case 5: sqlite3_result_int64(ctx, p->cpu); break;
	case 6: sqlite3_result_int64(ctx, p->nr); break;
	case 7: result_text(ctx, arena + p->sys_off, p->sys_len); break;
	case 8: result_text(ctx, arena + p->cat_off, p->cat_len); break;
	case 9: result_u64(ctx, p->duration_ns); break;
	case 10: sqlite3_result_int64(ctx, p->ret); break;
	case 11: sqlite3_result_int(ctx, p->err); break;
	case 12: result_text(ctx, p->errno_name, p->errno_name ? strlen(p->errno_name) : 0);
		break;
	case 13: p->fd < 0 ? sqlite3_result_null(ctx) : sqlite3_result_int64(ctx, p->fd);
		break;
	case 14: p->request_id < 0 ? sqlite3_result_null(ctx)
				   : sqlite3_result_int64(ctx, p->request_id);
		break;
	case 15: sqlite3_result_int(ctx, p->idle); break;
	default: p->stack_id ? sqlite3_result_int64(ctx, p->stack_id) : sqlite3_result_null(ctx);
	}
	return SQLITE_OK;
}

static int src_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *out)
{
	*out = ((struct src_cursor *)cur)->i;
	return SQLITE_OK;
}

/* xCreate NULL: eponymous-only, usable without CREATE VIRTUAL TABLE. */
static const sqlite3_module src_module = {
	.iVersion = 1,
	.xConnect = src_connect,
	.xBestIndex = src_best_index,
	.xDisconnect = src_disconnect,
	.xOpen = src_open,
	.xClose = src_close,
	.xFilter = src_filter,
	.xNext = src_next,
	.xEof = src_eof,
	.xColumn = src_column,
	.xRowid = src_rowid,
};

int sql_events_init(struct ana_sql *s)
{
	int rc;

	s->ev_buf = calloc(EV_BUF, sizeof(*s->ev_buf));
	if (!s->ev_buf)
		return sql_fail(s, SQLITE_NOMEM, "event buffer");
	rc = sqlite3_create_module_v2(s->db, "ebt_load_events", &src_module, s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(s->db,
					"INSERT INTO events (" SQL_EVENT_COLS ")"
					" SELECT * FROM ebt_load_events",
					-1, SQLITE_PREPARE_PERSISTENT, &s->stmt[SQ_EVENT], NULL);
	if (rc != SQLITE_OK)
		return sql_fail(s, rc, "prepare events");
	return 0;
}

void sql_events_free(struct ana_sql *s)
{
	free(s->ev_buf);
	free(s->ev_arena);
	s->ev_buf = NULL;
	s->ev_arena = NULL;
}

int sql_events_flush(struct ana_sql *s)
{
	int err;

	if (!s->ev_pending)
		return 0;
	err = sql_step(s, SQ_EVENT, "insert into events");
	s->ev_pending = 0;
	s->ev_arena_len = 0;
	return err;
}

/* Appends str to the arena; its offset and length go to *off, *len. */
static int arena_add(struct ana_sql *s, const char *str, size_t *off, uint32_t *len)
{
	size_t n = strnlen(str, INT32_MAX);
	int err;

	err = alloc_grow((void **)&s->ev_arena, &s->ev_arena_cap, s->ev_arena_len + n, 1);
	if (err)
		return sql_fail(s, SQLITE_NOMEM, "event buffer");
	memcpy(s->ev_arena + s->ev_arena_len, str, n);
	*off = s->ev_arena_len;
	*len = (uint32_t)n;
	s->ev_arena_len += n;
	return 0;
}

int ana_sql_event(struct ana_sql *s, const struct ana_sql_event *ev)
{
	struct sql_pending *p;
	int err;

	if (!s || !ev || !ev->syscall || !ev->category)
		return sql_invalid(s, "ana_sql_event");
	if (s->failed)
		return -EIO;
	p = &s->ev_buf[s->ev_pending];
	err = arena_add(s, ev->syscall, &p->sys_off, &p->sys_len);
	if (!err)
		err = arena_add(s, ev->category, &p->cat_off, &p->cat_len);
	if (err)
		return err;
	p->file_idx = ev->file_idx;
	p->ts_ns = ev->ts_ns;
	p->wall_ns = ev->wall_ns;
	p->duration_ns = ev->duration_ns;
	p->pid = ev->pid;
	p->tid = ev->tid;
	p->cpu = ev->cpu;
	p->nr = ev->nr;
	p->ret = ev->ret;
	p->err = ev->err;
	p->errno_name = ev->err ? ana_sql_errno_name(ev->err) : NULL;
	p->fd = ev->fd;
	p->request_id = ev->request_id;
	p->idle = ev->idle;
	p->stack_id = ev->stack_id;
	if (++s->ev_pending < EV_BUF)
		return 0;
	return sql_events_flush(s);
}
