// SPDX-License-Identifier: MIT
/* The SQLite output, queried back: its numbers equal the engine's. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/analyze/util.h"

static char db_path[160];

static void with_sqlite(struct ana_opts *o)
{
	snprintf(db_path, sizeof(db_path), "%s.db", o->inputs[0]);
	o->sqlite = db_path;
}

static int64_t q(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

Test(analyze_sqlite, tables_equal_the_engine)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 500, .threads = 3, .seed = 16 };
	const struct ana_sys *fx;
	struct tctx c;
	sqlite3 *db;
	char sql[256];

	tctx_run(&c, &g, with_sqlite);
	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(q(db, "select count(*) from events"), (int64_t)c.truth.events);
	cr_assert_eq(q(db, "select count(*) from requests"), (int64_t)c.e->req_count);
	cr_assert_eq(q(db, "select count(*) from events where request_id >= 0"),
		     (int64_t)c.e->attributed_count);
	cr_assert_eq(q(db, "select sum(duration_ns) from events where request_id >= 0"),
		     (int64_t)c.e->attributed_ns);
	fx = find_sys(c.e, "futex");
	cr_assert_eq(q(db, "select count from syscall_stats where syscall = 'futex'"),
		     (int64_t)fx->h.count);
	snprintf(sql, sizeof(sql), "select p99_ns from syscall_stats where syscall = 'futex'");
	cr_assert_eq(q(db, sql), (int64_t)ana_hist_quantile(&fx->h, 0.99));
	cr_assert_eq(q(db, "select max(duration_ns) from requests"), (int64_t)c.e->req_h.max);
	cr_assert_eq(q(db, "select count(*) from suggestions"), (int64_t)c.e->nsugg);
	cr_assert_eq(q(db, "select count(*) from hotspots"), (int64_t)c.e->nhot);
	sqlite3_close(db);
	tctx_done(&c);
}
