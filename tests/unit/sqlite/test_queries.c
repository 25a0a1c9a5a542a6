/* SPDX-License-Identifier: MIT */
/*
 * The example queries of docs/SQL.md, read from the document itself, run
 * against a small database whose answers were worked out by hand: two
 * threads of a server (pid 10) serving four requests over two minutes, one
 * other process (pid 20), one loss window, two stacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "analyze/sqlite_out.h"
#include "common/syscalls.h"
#include "tests/unit/sqlite/fixture.h"

#ifndef SQL_DOC_PATH
#error "SQL_DOC_PATH must name docs/SQL.md (tests/unit/sqlite/module.mk)"
#endif

/* 2026-11-18T11:07:00Z, a whole minute. */
#define B 1795000020000000000ULL
#define MS 1000000ULL
#define S 1000000000ULL

struct ev {
	uint64_t at, dur;
	uint32_t pid, tid;
	const char *sys, *cat;
	int64_t ret, fd, req;
	int idle;
	uint32_t stack;
};

static const struct ev evs[] = {
	{ 1 * MS, 5000000, 10, 10, "epoll_wait", "poll", 1, 4, -1, 1, 0 },
	{ 6 * MS, 20000, 10, 10, "recvfrom", "network", 512, 5, 1, 0, 0 },
	{ 7 * MS, 30000, 10, 10, "openat", "file", 7, -1, 1, 0, 1 },
	{ 8 * MS, 50000, 10, 10, "read", "file", 4096, 7, 1, 0, 0 },
	{ 9 * MS, 100000, 10, 10, "sendto", "network", 1024, 5, 1, 0, 0 },
	{ 10 * MS, 10000, 10, 11, "recvfrom", "network", -11, 6, -1, 0, 0 },
	{ 11 * MS, 15000, 10, 11, "recvfrom", "network", 300, 6, 2, 0, 0 },
	{ 12 * MS, 400000, 10, 11, "futex", "sync", 0, -1, 2, 0, 2 },
	{ 13 * MS, 25000, 10, 11, "sendto", "network", 300, 6, 2, 0, 0 },
	{ 20 * MS, 30000000, 10, 11, "epoll_wait", "poll", 0, 4, -1, 1, 0 },
	{ 60 * S + 1 * MS, 10000, 10, 10, "recvfrom", "network", 100, 5, 3, 0, 0 },
	{ 60 * S + 2 * MS, 900000, 10, 10, "fsync", "file", 0, 7, 3, 0, 1 },
	{ 60 * S + 3 * MS, 20000, 10, 10, "sendto", "network", -32, 5, 3, 0, 0 },
	{ 60 * S + 4 * MS, 5000, 10, 11, "recvfrom", "network", -11, 6, -1, 0, 0 },
	{ 60 * S + 5 * MS, 60000, 20, 20, "read", "file", 10, 3, -1, 0, 0 },
	{ 60 * S + 6 * MS, 12000, 10, 11, "recvfrom", "network", 50, 6, 4, 0, 0 },
	{ 60 * S + 7 * MS, 8000, 10, 11, "sendto", "network", 50, 6, 4, 0, 0 },
};

struct req {
	int64_t id;
	uint32_t tid;
	int64_t fd;
	const char *peer;
	uint64_t start, end, syscall_ns, syscalls, file, network, sync;
	bool lossy;
};

static const struct req reqs[] = {
	{ 1, 10, 5, "10.0.0.1:1111", 6 * MS, 9 * MS + 100000, 200000, 4, 80000, 120000, 0, 0 },
	{ 2, 11, 6, "10.0.0.2:2222", 11 * MS, 13 * MS + 25000, 440000, 3, 0, 40000, 400000, 0 },
	{ 3, 10, 5, "10.0.0.1:1111", 60 * S + 1 * MS, 60 * S + 3 * MS + 20000, 930000, 3,
	  900000, 30000, 0, 1 },
	{ 4, 11, 6, "10.0.0.2:2222", 60 * S + 6 * MS, 60 * S + 7 * MS + 8000, 20000, 2, 0,
	  20000, 0, 0 },
};

static void load_events(struct ana_sql *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		const struct ev *e = &evs[i];
		struct ana_sql_event ev = {
			.ts_ns = 5 * S + e->at, .wall_ns = B + e->at, .duration_ns = e->dur,
			.pid = e->pid, .tid = e->tid, .cpu = i % 2, .nr = i,
			.syscall = e->sys, .category = e->cat, .ret = e->ret,
			.err = e->ret < 0 ? (int32_t)-e->ret : 0, .fd = e->fd,
			.request_id = e->req, .idle = e->idle, .stack_id = e->stack,
		};

		cr_assert_eq(ana_sql_event(s, &ev), 0);
	}
}

static void load_requests(struct ana_sql *s)
{
	uint64_t cat[SC__COUNT];
	unsigned int i;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		const struct req *q = &reqs[i];
		struct ana_sql_request r = {
			.id = q->id, .pid = 10, .tid = q->tid, .fd = q->fd, .peer = q->peer,
			.method = "connection", .start_wall_ns = B + q->start,
			.end_wall_ns = B + q->end, .duration_ns = q->end - q->start,
			.syscall_ns = q->syscall_ns, .syscalls = q->syscalls,
			.category_ns = cat, .complete = true, .lossy = q->lossy,
		};

		memset(cat, 0, sizeof(cat));
		cat[SC_FILE] = q->file;
		cat[SC_NETWORK] = q->network;
		cat[SC_SYNC] = q->sync;
		cr_assert_eq(ana_sql_request(s, &r), 0);
	}
}

static void load_results(struct ana_sql *s)
{
	static const char *const stack1[] = { "fsync+0x14 (libc.so.6)",
					      "flush_log+0x3a (/usr/bin/app)" };
	static const char *const stack2[] = { "__futex_wait+0x20 (libc.so.6)",
					      "pthread_mutex_lock+0x90 (libc.so.6)" };
	const struct ana_sql_thread th[] = {
		{ 0, 10, 10, "app", 0, 0, 8, 6130000, 5000000 },
		{ 0, 10, 11, "app-worker", 0, 0, 8, 30475000, 30000000 },
		{ 0, 20, 20, "cron", 0, 0, 1, 60000, 0 },
	};
	const struct ana_sql_fd fds[] = {
		{ 0, 10, 4, "anon", "anon_inode:[eventpoll]", NULL, NULL, B + 1 * MS,
		  B + 20 * MS, 2, 35000000 },
		{ 0, 10, 5, "socket", NULL, "10.0.0.9:80", "10.0.0.1:1111", B + 6 * MS,
		  B + 60 * S + 3 * MS, 4, 150000 },
		{ 0, 10, 6, "socket", NULL, "10.0.0.9:80", "10.0.0.2:2222", B + 10 * MS,
		  B + 60 * S + 7 * MS, 6, 75000 },
		{ 0, 10, 7, "file", "/var/log/app.log", NULL, NULL, B + 8 * MS,
		  B + 60 * S + 2 * MS, 2, 950000 },
		{ 0, 20, 3, "file", "/etc/hosts", NULL, NULL, B + 60 * S + 5 * MS,
		  B + 60 * S + 5 * MS, 1, 60000 },
	};
	const struct ana_sql_stat win[] = {
		{ "window", "1795000020000000000", NULL, 10, 1, 35645000, 3564500, 10000,
		  30000000, 25000, 5000000, 30000000, 30000000, NULL, 60 * S },
		{ "window", "1795000080000000000", NULL, 7, 2, 1020000, 145714, 5000, 900000,
		  12000, 60000, 900000, 900000, NULL, 60 * S },
	};
	const struct ana_sql_loss loss = { 0, "ringbuf", 1, B + 60 * S + 500000,
					   B + 60 * S + 1500000, 120 };
	const struct ana_sql_hotspot hot[] = {
		{ 1, "category", "file", 2, 980000, 0.6163522, 900000 },
		{ 2, "syscall", "fsync", 1, 900000, 0.5660377, 900000 },
	};
	const struct ana_sql_suggestion sg = { 1, "fsync_on_request_path",
					       "Move fsync off the request path",
					       "1 fsync in requests, 900 us, 57% of request time" };
	unsigned int i;

	for (i = 0; i < 3; i++)
		cr_assert_eq(ana_sql_thread(s, &th[i]), 0);
	for (i = 0; i < 5; i++)
		cr_assert_eq(ana_sql_fd(s, &fds[i]), 0);
	for (i = 0; i < 2; i++)
		cr_assert_eq(ana_sql_stat(s, &win[i]), 0);
	for (i = 0; i < 2; i++)
		cr_assert_eq(ana_sql_hotspot(s, &hot[i]), 0);
	cr_assert_eq(ana_sql_loss(s, &loss), 0);
	cr_assert_eq(ana_sql_suggestion(s, &sg), 0);
	cr_assert_eq(ana_sql_stack(s, 0, 1, 2, stack1), 0);
	cr_assert_eq(ana_sql_stack(s, 0, 2, 2, stack2), 0);
}

static void build_db(void)
{
	struct ana_sql *s = NULL;

	fx_setup();
	cr_assert_eq(ana_sql_open(fx_db, false, &s), 0);
	cr_assert_eq(ana_sql_trace_info(s, 0, "hostname", "web1"), 0);
	load_events(s);
	load_requests(s);
	load_results(s);
	cr_assert_eq(ana_sql_close(s, true), 0, "%s", ana_sql_errmsg(s));
}

TestSuite(analyze_sqlite_docs, .init = build_db, .fini = fx_teardown);

/* The expected rows of each documented query (fx_rows() format). */
static const struct {
	const char *name, *rows;
} expected[] = {
	{ "slowest_requests",
	  "1|2026-11-18T11:07:00.006000000Z|3100000|10.0.0.1:1111|recvfrom|20000\n"
	  "1|2026-11-18T11:07:00.006000000Z|3100000|10.0.0.1:1111|openat|30000\n"
	  "1|2026-11-18T11:07:00.006000000Z|3100000|10.0.0.1:1111|read|50000\n"
	  "1|2026-11-18T11:07:00.006000000Z|3100000|10.0.0.1:1111|sendto|100000\n"
	  "2|2026-11-18T11:07:00.011000000Z|2025000|10.0.0.2:2222|recvfrom|15000\n"
	  "2|2026-11-18T11:07:00.011000000Z|2025000|10.0.0.2:2222|futex|400000\n"
	  "2|2026-11-18T11:07:00.011000000Z|2025000|10.0.0.2:2222|sendto|25000\n"
	  "3|2026-11-18T11:08:00.001000000Z|2020000|10.0.0.1:1111|recvfrom|10000\n"
	  "3|2026-11-18T11:08:00.001000000Z|2020000|10.0.0.1:1111|fsync|900000\n"
	  "3|2026-11-18T11:08:00.001000000Z|2020000|10.0.0.1:1111|sendto|20000\n" },
	{ "slow_requests", "1|3100000|200000|sendto|100000\n" },
	{ "request_time_by_category", "4|8153000|1590000|6563000|210000|980000|400000\n" },
	{ "p99_per_syscall_per_minute",
	  "2026-11-18T11:07:00.000000000Z|epoll_wait|2|5000000|30000000|30000000\n"
	  "2026-11-18T11:07:00.000000000Z|futex|1|400000|400000|400000\n"
	  "2026-11-18T11:07:00.000000000Z|openat|1|30000|30000|30000\n"
	  "2026-11-18T11:07:00.000000000Z|read|1|50000|50000|50000\n"
	  "2026-11-18T11:07:00.000000000Z|recvfrom|3|15000|20000|20000\n"
	  "2026-11-18T11:07:00.000000000Z|sendto|2|25000|100000|100000\n"
	  "2026-11-18T11:08:00.000000000Z|fsync|1|900000|900000|900000\n"
	  "2026-11-18T11:08:00.000000000Z|read|1|60000|60000|60000\n"
	  "2026-11-18T11:08:00.000000000Z|recvfrom|3|10000|12000|12000\n"
	  "2026-11-18T11:08:00.000000000Z|sendto|2|8000|20000|20000\n" },
	{ "p99_per_window",
	  "2026-11-18T11:07:00.000000000Z|60000000000|10|1|30000000|30000000\n"
	  "2026-11-18T11:08:00.000000000Z|60000000000|7|2|900000|900000\n" },
	{ "costly_fds",
	  "10|7|file|/var/log/app.log|2|950000\n"
	  "10|5|socket|10.0.0.1:1111|4|150000\n"
	  "10|6|socket|10.0.0.2:2222|6|75000\n"
	  "20|3|file|/etc/hosts|1|60000\n" },
	{ "costly_peers",
	  "10.0.0.1:1111|2|150000|5120000|3100000\n"
	  "10.0.0.2:2222|2|60000|3033000|2025000\n" },
	{ "loss_windows",
	  "2026-11-18T11:08:00.000500000Z|ringbuf|1|120|1000000|1|258811680\n" },
	{ "errors_by_errno", "EAGAIN|11|recvfrom|2\nEPIPE|32|sendto|1\n" },
	{ "idle_vs_work_per_thread",
	  "10|10|8|5000000|1130000|1130000\n"
	  "10|11|8|30000000|475000|460000\n"
	  "20|20|1|0|60000|0\n" },
	{ "thread_idle_share",
	  "10|11|app-worker|8|30000000|475000|98.4\n"
	  "10|10|app|8|5000000|1130000|81.6\n"
	  "20|20|cron|1|0|60000|0.0\n" },
	{ "events_in_time_range",
	  "11|recvfrom|10000\n12|fsync|900000\n13|sendto|20000\n" },
	{ "thread_timeline",
	  "2026-11-18T11:07:00.010000000Z|recvfrom|10000|-11|EAGAIN|<NULL>\n"
	  "2026-11-18T11:07:00.011000000Z|recvfrom|15000|300|<NULL>|2\n"
	  "2026-11-18T11:07:00.012000000Z|futex|400000|0|<NULL>|2\n"
	  "2026-11-18T11:07:00.013000000Z|sendto|25000|300|<NULL>|2\n"
	  "2026-11-18T11:07:00.020000000Z|epoll_wait|30000000|0|<NULL>|<NULL>\n" },
	{ "top_stacks",
	  "1|2|930000|fsync+0x14 (libc.so.6) <- flush_log+0x3a (/usr/bin/app)\n"
	  "2|1|400000|__futex_wait+0x20 (libc.so.6) <- pthread_mutex_lock+0x90 (libc.so.6)\n" },
	{ "hotspots", "1|category|file|61.6|980000|900000\n2|syscall|fsync|56.6|900000|900000\n" },
	{ "suggestions", "1|fsync_on_request_path|Move fsync off the request path|"
			 "1 fsync in requests, 900 us, 57% of request time\n" },
};

#define NQUERIES (sizeof(expected) / sizeof(expected[0]))

struct doc_query {
	char name[64];
	char *sql;
};

/* Every ```sql block of the document that starts with "-- query: NAME". */
static unsigned int read_doc(struct doc_query *out, unsigned int max)
{
	char line[1024], *sql = NULL;
	unsigned int n = 0;
	size_t len = 0;
	bool in = false;
	FILE *f;

	f = fopen(SQL_DOC_PATH, "r");
	cr_assert_not_null(f, "cannot read %s", SQL_DOC_PATH);
	while (fgets(line, sizeof(line), f)) {
		if (!in && !strcmp(line, "```sql\n")) {
			in = true;
			sql = NULL;
			len = 0;
		} else if (in && !strcmp(line, "```\n")) {
			in = false;
			if (sql && !strncmp(sql, "-- query: ", 10)) {
				cr_assert_lt(n, max);
				sscanf(sql + 10, "%63s", out[n].name);
				out[n++].sql = sql;
			} else {
				free(sql);
			}
		} else if (in) {
			sql = realloc(sql, len + strlen(line) + 1);
			cr_assert_not_null(sql);
			memcpy(sql + len, line, strlen(line) + 1);
			len += strlen(line);
		}
	}
	fclose(f);
	return n;
}

Test(analyze_sqlite_docs, example_queries_give_the_expected_answers)
{
	struct doc_query q[2 * NQUERIES];
	unsigned int n, i, j;
	sqlite3 *db;

	n = read_doc(q, 2 * NQUERIES);
	cr_expect_eq(n, NQUERIES, "docs/SQL.md has %u named queries, the test knows %zu", n,
		     NQUERIES);
	db = fx_open_ro();
	for (i = 0; i < n; i++) {
		for (j = 0; j < NQUERIES && strcmp(expected[j].name, q[i].name); j++)
			;
		cr_expect_lt(j, NQUERIES, "no expected answer for query %s", q[i].name);
		if (j < NQUERIES)
			cr_expect_str_eq(fx_rows(db, q[i].sql), expected[j].rows, "query %s",
					 q[i].name);
		free(q[i].sql);
	}
	sqlite3_close(db);
}

Test(analyze_sqlite_docs, request_syscalls_view_joins_events_to_requests)
{
	sqlite3 *db = fx_open_ro();

	cr_expect_str_eq(fx_rows(db, "SELECT request_id, COUNT(*), SUM(duration_ns), MIN(peer),"
				     " MIN(request_ns) FROM request_syscalls GROUP BY request_id"),
			 "1|4|200000|10.0.0.1:1111|3100000\n2|3|440000|10.0.0.2:2222|2025000\n"
			 "3|3|930000|10.0.0.1:1111|2020000\n4|2|20000|10.0.0.2:2222|1008000\n");
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events WHERE request_id IS NOT NULL"), 12);
	sqlite3_close(db);
}

/* The lean index set: a request's events and a time range are rowid ranges
 * (requests.first_event_id.., event_blocks), never a scan of events. */
Test(analyze_sqlite_docs, queries_use_the_indexes)
{
	sqlite3 *db = fx_open_ro();
	const char *p;

	p = fx_rows(db, "EXPLAIN QUERY PLAN SELECT * FROM request_syscalls WHERE"
			" request_id = 3");
	cr_expect(strstr(p, "SEARCH e USING INTEGER PRIMARY KEY") != NULL, "%s", p);
	p = fx_rows(db, "EXPLAIN QUERY PLAN SELECT * FROM slow_requests");
	cr_expect(strstr(p, "SEARCH e USING INTEGER PRIMARY KEY") != NULL, "%s", p);
	cr_expect(strstr(p, "SCAN e") == NULL, "%s", p);
	p = fx_rows(db, "EXPLAIN QUERY PLAN SELECT e.* FROM event_blocks b CROSS JOIN events e"
			" ON e.id BETWEEN b.first_id AND b.last_id WHERE b.max_wall_ns >= 5"
			" AND b.min_wall_ns < 9 AND e.wall_ns >= 5 AND e.wall_ns < 9");
	cr_expect(strstr(p, "SEARCH e USING INTEGER PRIMARY KEY") != NULL, "%s", p);
	cr_expect(strstr(fx_rows(db, "EXPLAIN QUERY PLAN SELECT * FROM requests ORDER BY"
				     " duration_ns DESC LIMIT 3"), "requests_by_duration") != NULL);
	sqlite3_close(db);
}

/* sqlite_stat1 is written from the loader's counts, not by a scan. */
Test(analyze_sqlite_docs, planner_statistics_match_the_tables)
{
	sqlite3 *db = fx_open_ro();

	cr_expect_str_eq(fx_rows(db, "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'events'"
				     " ORDER BY idx"),
			 "<NULL>|17\n");
	cr_expect_str_eq(fx_rows(db, "SELECT stat FROM sqlite_stat1 WHERE tbl = 'requests'"
				     " ORDER BY idx"), "4\n4 1\n");
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'threads'"), 1);
	sqlite3_close(db);
}

/* Every event is in exactly one block, and each block's wall-clock range
 * holds its events. */
Test(analyze_sqlite_docs, request_ranges_hold_their_events)
{
	sqlite3 *db = fx_open_ro();

	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events e JOIN requests r ON"
				" r.id = e.request_id WHERE e.id BETWEEN r.first_event_id AND"
				" r.last_event_id"), 12);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name ="
				" 'events_by_request'"), 0);
	sqlite3_close(db);
}

Test(analyze_sqlite_docs, event_blocks_cover_the_events)
{
	sqlite3 *db = fx_open_ro();

	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events e JOIN event_blocks b"
				" ON e.id BETWEEN b.first_id AND b.last_id"
				" WHERE e.wall_ns BETWEEN b.min_wall_ns AND b.max_wall_ns"), 17);
	cr_expect_eq(fx_i64(db, "SELECT SUM(last_id - first_id + 1) FROM event_blocks"), 17);
	sqlite3_close(db);
}
