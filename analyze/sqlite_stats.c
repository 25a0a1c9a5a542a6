/* SPDX-License-Identifier: MIT */
/*
 * What the loader knows for free and would otherwise cost a scan: the
 * event_blocks table (the id and wall-clock range of each run of
 * SQL_BUF_ROWS events, so that a time range is a rowid range instead of an
 * index over every event) and the planner's statistics in sqlite_stat1
 * (a full ANALYZE read every event again: several us per event).
 */
#include "analyze/sqlite_internal.h"

#include <errno.h>
#include <stdio.h>

int sql_block_flush(struct ana_sql *s)
{
	sqlite3_stmt *st = s->stmt[SQ_BLOCK];

	if (!s->blk_rows)
		return 0;
	sql_bind_u64(st, 1, s->blk_first);
	sql_bind_u64(st, 2, s->blk_first + s->blk_rows - 1);
	sql_bind_u64(st, 3, s->blk_min_wall);
	sql_bind_u64(st, 4, s->blk_max_wall);
	s->blk_rows = 0;
	return sql_step(s, SQ_BLOCK, "insert into event_blocks");
}

int sql_event_added(struct ana_sql *s, const struct ana_sql_event *ev)
{
	int err = 0;

	if (!s->blk_rows) {
		s->blk_first = s->next_event_id;
		s->blk_min_wall = s->blk_max_wall = ev->wall_ns;
	} else if (ev->wall_ns < s->blk_min_wall) {
		s->blk_min_wall = ev->wall_ns;
	} else if (ev->wall_ns > s->blk_max_wall) {
		s->blk_max_wall = ev->wall_ns;
	}
	s->blk_rows++;
	s->next_event_id++;
	if (ev->request_id >= 0)
		s->req_events++;
	if (s->blk_rows == SQL_BUF_ROWS)
		err = sql_block_flush(s);
	if (!err)
		err = sql_buf_add(s->events);
	return err;
}

static int exec(struct ana_sql *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : sql_fail(s, rc, what);
}

static uint64_t at_least_1(uint64_t n)
{
	return n ? n : 1;
}

/* The rows ANALYZE would write, from the counts: "rows per index, then the
 * average rows per distinct key prefix". The table rows (idx NULL) give the
 * planner the sizes a partial index does not. */
int sql_write_stats(struct ana_sql *s)
{
	uint64_t nev = s->next_event_id - 1, nreq = s->requests_n;
	uint64_t per_req = nreq ? (s->req_events + nreq - 1) / nreq : 1;
	char sql[640], idx[160] = "";
	int err;

	/* An empty table is described as one row: the planner only needs the
	 * order of magnitude, and "0" would make every plan look free. */
	/* Small tables: real statistics; this also creates sqlite_stat1. */
	err = exec(s, "ANALYZE processes; ANALYZE threads; ANALYZE fds; ANALYZE stacks;"
		      " ANALYZE window_stats; ANALYZE event_blocks",
		   "analyze");
	if (err)
		return err;
	if (s->ranges.broken)
		snprintf(idx, sizeof(idx), " ('events', 'events_by_request', '%llu %llu'),",
			 (unsigned long long)at_least_1(s->req_events),
			 (unsigned long long)at_least_1(per_req));
	snprintf(sql, sizeof(sql),
		 "DELETE FROM sqlite_stat1 WHERE tbl IN ('events', 'requests');"
		 " INSERT INTO sqlite_stat1 VALUES ('events', NULL, '%llu'),%s"
		 " ('requests', NULL, '%llu'),"
		 " ('requests', 'requests_by_duration', '%llu 1');",
		 (unsigned long long)at_least_1(nev), idx, (unsigned long long)at_least_1(nreq),
		 (unsigned long long)at_least_1(nreq));
	return exec(s, sql, "write statistics");
}
