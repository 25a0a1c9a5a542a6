/* SPDX-License-Identifier: MIT */
/* Rows go in through the API and come back exactly; the file's life cycle. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "analyze/sqlite_out.h"
#include "common/syscalls.h"
#include "tests/unit/sqlite/fixture.h"

TestSuite(analyze_sqlite, .init = fx_setup, .fini = fx_teardown);

static struct ana_sql *open_new(void)
{
	struct ana_sql *s = NULL;
	int err;

	err = ana_sql_open(fx_db, false, &s);
	cr_assert_eq(err, 0, "open: %s", strerror(-err));
	cr_assert_not_null(s);
	return s;
}

static void close_ok(struct ana_sql *s)
{
	int err = ana_sql_close(s, true);

	cr_assert_eq(err, 0, "close: %d", err);
}

static const struct ana_sql_event ev_read = {
	.file_idx = 1, .ts_ns = 123456789012ULL, .wall_ns = 1795000000123456789ULL,
	.duration_ns = 4242, .pid = 100, .tid = 101, .cpu = 3, .nr = 0,
	.syscall = "read", .category = "file", .ret = -11, .err = 11, .fd = 7,
	.request_id = 9, .idle = false, .stack_id = 5,
};

Test(analyze_sqlite, round_trips_every_event_column)
{
	struct ana_sql *s = open_new();
	sqlite3 *db;

	cr_assert_eq(ana_sql_event(s, &ev_read), 0);
	close_ok(s);
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events"), 1);
	cr_expect_eq(fx_i64(db, "SELECT file_idx FROM events"), 1);
	cr_expect_eq(fx_i64(db, "SELECT ts_ns FROM events"), 123456789012LL);
	cr_expect_eq(fx_i64(db, "SELECT wall_ns FROM events"), 1795000000123456789LL);
	cr_expect_str_eq(fx_text(db, "SELECT wall_time FROM events_v", NULL),
			 "2026-11-18T11:06:40.123456789Z");
	cr_expect_eq(fx_i64(db, "SELECT duration_ns FROM events"), 4242);
	cr_expect_eq(fx_i64(db, "SELECT pid FROM events"), 100);
	cr_expect_eq(fx_i64(db, "SELECT tid FROM events"), 101);
	cr_expect_eq(fx_i64(db, "SELECT cpu FROM events"), 3);
	cr_expect_eq(fx_i64(db, "SELECT nr FROM events"), 0);
	cr_expect_str_eq(fx_text(db, "SELECT syscall FROM events", NULL), "read");
	cr_expect_str_eq(fx_text(db, "SELECT category FROM events", NULL), "file");
	cr_expect_eq(fx_i64(db, "SELECT ret FROM events"), -11);
	cr_expect_eq(fx_i64(db, "SELECT err FROM events"), 11);
	cr_expect_str_eq(fx_text(db, "SELECT errno_name FROM events", NULL), "EAGAIN");
	cr_expect_eq(fx_i64(db, "SELECT fd FROM events"), 7);
	cr_expect_eq(fx_i64(db, "SELECT request_id FROM events"), 9);
	cr_expect_eq(fx_i64(db, "SELECT idle FROM events"), 0);
	cr_expect_eq(fx_i64(db, "SELECT stack_id FROM events"), 5);
	sqlite3_close(db);
}

Test(analyze_sqlite, stores_absent_values_as_null)
{
	struct ana_sql_event ev = ev_read;
	struct ana_sql_process p = { .pid = 1, .exit_code = -1 };
	struct ana_sql_loss l = { .source = "ringbuf", .cpu = UINT32_MAX, .count = 3 };
	struct ana_sql *s = open_new();
	sqlite3 *db;

	ev.fd = -1;
	ev.request_id = -1;
	ev.stack_id = 0;
	ev.err = 0;
	ev.ret = 5;
	ev.idle = true;
	cr_assert_eq(ana_sql_event(s, &ev), 0);
	cr_assert_eq(ana_sql_process(s, &p), 0);
	cr_assert_eq(ana_sql_loss(s, &l), 0);
	close_ok(s);
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events WHERE fd IS NULL AND"
				" request_id IS NULL AND stack_id IS NULL AND errno_name IS NULL"
				" AND err = 0 AND idle = 1"),
		     1);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM processes WHERE comm IS NULL AND"
				" start_wall_ns IS NULL AND exit_wall_ns IS NULL AND"
				" exit_code IS NULL"),
		     1);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM loss WHERE cpu IS NULL AND count = 3"),
		     1);
	sqlite3_close(db);
}

Test(analyze_sqlite, round_trips_result_tables)
{
	static const uint64_t cat[SC__COUNT] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	const struct ana_sql_process p = { 0, 10, 1, "nginx", "/usr/sbin/nginx",
					   "nginx -g daemon off;", 1000, 2000, 0 };
	const struct ana_sql_thread t = { 0, 10, 11, "worker", 1100, 0, 50, 5000, 3000 };
	const struct ana_sql_fd f = { 0, 10, 7, "socket", NULL, "127.0.0.1:80",
				      "127.0.0.1:5555", 1200, 1900, 12, 700 };
	const struct ana_sql_request r = { 77, 0, 10, 11, 7, "127.0.0.1:5555", "connection",
					   1300, 1800, 500, 55, 4, cat, true, false };
	const struct ana_sql_hotspot h = { 1, "syscall", "writev", 3, 300, 0.25, 200 };
	const struct ana_sql_outlier o = { "request", "request", 1300, 500, 10, 11, 77,
					   12.5, "> p99.9" };
	const struct ana_sql_suggestion g = { 1, "tiny_writes", "Buffer writes", "3 writes" };
	const char *const frames[] = { "main+0x10 (/bin/x)", "__libc_start_main+0x80 (libc)" };
	struct ana_sql *s = open_new();
	sqlite3 *db;

	cr_assert_eq(ana_sql_trace_info(s, 0, "host", "web1"), 0);
	cr_assert_eq(ana_sql_process(s, &p), 0);
	cr_assert_eq(ana_sql_thread(s, &t), 0);
	cr_assert_eq(ana_sql_fd(s, &f), 0);
	cr_assert_eq(ana_sql_request(s, &r), 0);
	cr_assert_eq(ana_sql_hotspot(s, &h), 0);
	cr_assert_eq(ana_sql_outlier(s, &o), 0);
	cr_assert_eq(ana_sql_suggestion(s, &g), 0);
	cr_assert_eq(ana_sql_stack(s, 0, 5, 2, frames), 0);
	close_ok(s);
	db = fx_open_ro();
	cr_expect_str_eq(fx_text(db, "SELECT value FROM trace_info WHERE file_idx = 0 AND"
				     " key = 'host'", NULL), "web1");
	cr_expect_str_eq(fx_text(db, "SELECT pid || ' ' || ppid || ' ' || comm || ' ' || exe"
				     " || ' ' || cmdline || ' ' || start_wall_ns || ' ' ||"
				     " exit_wall_ns || ' ' || exit_code FROM processes", NULL),
			 "10 1 nginx /usr/sbin/nginx nginx -g daemon off; 1000 2000 0");
	cr_expect_str_eq(fx_rows(db, "SELECT pid, tid, comm, start_wall_ns,"
				     " exit_wall_ns IS NULL, syscalls, syscall_ns, idle_ns"
				     " FROM threads"), "10|11|worker|1100|1|50|5000|3000\n");
	cr_expect_str_eq(fx_rows(db, "SELECT pid, fd, kind, path IS NULL, local,"
				     " peer, first_wall_ns, last_wall_ns, syscalls, syscall_ns"
				     " FROM fds"),
			 "10|7|socket|1|127.0.0.1:80|127.0.0.1:5555|1200|1900|12|700\n");
	cr_expect_str_eq(fx_rows(db, "SELECT id, pid, tid, fd, peer, method,"
				     " start_wall_ns, end_wall_ns, duration_ns, syscall_ns,"
				     " syscalls, file_ns, network_ns, memory_ns, process_ns,"
				     " time_ns, sync_ns, poll_ns, ipc_ns, signal_ns, other_ns,"
				     " complete, lossy FROM requests"),
			 "77|10|11|7|127.0.0.1:5555|connection|1300|1800|500|55|4"
			 "|1|2|3|4|5|6|7|8|9|10|1|0\n");
	cr_expect_str_eq(fx_rows(db, "SELECT rank, kind, name, count, total_ns,"
				     " share, p99_ns FROM hotspots"),
			 "1|syscall|writev|3|300|0.25|200\n");
	cr_expect_str_eq(fx_rows(db, "SELECT kind, name, wall_ns, duration_ns,"
				     " pid, tid, request_id, score, rule FROM outliers"),
			 "request|request|1300|500|10|11|77|12.5|> p99.9\n");
	cr_expect_str_eq(fx_rows(db, "SELECT rank, rule, title, evidence"
				     " FROM suggestions"), "1|tiny_writes|Buffer writes|3 writes\n");
	cr_expect_str_eq(fx_text(db, "SELECT group_concat(frame_idx || '/' || depth || ' ' ||"
				     " frame, ';') FROM (SELECT * FROM stacks WHERE stack_id = 5"
				     " ORDER BY frame_idx)", NULL),
			 "0/2 main+0x10 (/bin/x);1/2 __libc_start_main+0x80 (libc)");
	sqlite3_close(db);
}

Test(analyze_sqlite, request_columns_follow_syscall_categories)
{
	char sql[160];
	sqlite3 *db;
	int c;

	close_ok(open_new());
	db = fx_open_ro();
	for (c = 0; c < SC__COUNT; c++) {
		snprintf(sql, sizeof(sql),
			 "SELECT cid FROM pragma_table_info('requests') WHERE name = '%s_ns'",
			 syscalls_category_name(c));
		cr_expect_eq(fx_i64(db, sql), 13 + c, "column %s_ns", syscalls_category_name(c));
	}
	sqlite3_close(db);
}

Test(analyze_sqlite, stats_go_to_the_table_of_their_scope)
{
	struct ana_sql_stat g = { "syscall", "read", "file", 10, 2, 1000, 100, 10, 400,
				  90, 300, 390, 400, NULL, 0 };
	struct ana_sql *s = open_new();
	sqlite3 *db;

	cr_assert_eq(ana_sql_stat(s, &g), 0);
	g.scope = "category";
	g.key = "file";
	cr_assert_eq(ana_sql_stat(s, &g), 0);
	g.scope = "process";
	g.key = "4242";
	cr_assert_eq(ana_sql_stat(s, &g), 0);
	g.scope = "thread";
	g.key = "4243";
	cr_assert_eq(ana_sql_stat(s, &g), 0);
	g.scope = "window";
	g.key = "1795000020000000000";
	g.window_syscall = "read";
	cr_assert_eq(ana_sql_stat(s, &g), 0);
	close_ok(s);
	db = fx_open_ro();
	cr_expect_str_eq(fx_rows(db, "SELECT syscall, category, count, errors,"
				     " total_ns, mean_ns, min_ns, max_ns, p50_ns, p90_ns, p99_ns,"
				     " p999_ns FROM syscall_stats"),
			 "read|file|10|2|1000|100|10|400|90|300|390|400\n");
	cr_expect_str_eq(fx_text(db, "SELECT category || count FROM category_stats", NULL),
			 "file10");
	cr_expect_eq(fx_i64(db, "SELECT pid FROM process_stats"), 4242);
	cr_expect_eq(fx_i64(db, "SELECT tid FROM thread_stats"), 4243);
	cr_expect_eq(fx_i64(db, "SELECT window_start_ns FROM window_stats"),
		     1795000020000000000LL);
	cr_expect_str_eq(fx_text(db, "SELECT window_time || ' ' || syscall FROM window_stats",
				 NULL), "2026-11-18T11:07:00.000000000Z read");
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM window_stats WHERE window_ns IS NULL"), 1);
	sqlite3_close(db);
}

Test(analyze_sqlite, rejects_unknown_stat_scope_and_then_refuses_commit)
{
	struct ana_sql_stat g = { .scope = "galaxy", .key = "x" };
	struct ana_sql *s = open_new();

	cr_expect_eq(ana_sql_stat(s, &g), -EINVAL);
	cr_expect(strstr(ana_sql_errmsg(s), "scope") != NULL, "%s", ana_sql_errmsg(s));
	cr_expect_eq(ana_sql_close(s, true), -EIO);
	cr_expect_eq(fx_dir_entries(), 0);
}

Test(analyze_sqlite, stores_u64_above_int64_max_as_real)
{
	struct ana_sql_event ev = ev_read;
	struct ana_sql *s = open_new();
	sqlite3 *db;

	ev.duration_ns = UINT64_MAX;
	cr_assert_eq(ana_sql_event(s, &ev), 0);
	close_ok(s);
	db = fx_open_ro();
	cr_expect_str_eq(fx_text(db, "SELECT typeof(duration_ns) FROM events", NULL), "real");
	cr_expect_eq(fx_double(db, "SELECT duration_ns FROM events"), (double)UINT64_MAX);
	sqlite3_close(db);
}

Test(analyze_sqlite, records_schema_version)
{
	sqlite3 *db;

	close_ok(open_new());
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "PRAGMA user_version"), 1);
	cr_expect_eq(fx_i64(db, "PRAGMA application_id"), 0x45425453);
	cr_expect_str_eq(fx_text(db, "SELECT value FROM trace_info WHERE key = 'schema_version'"
				     " AND file_idx IS NULL", NULL), "1");
	sqlite3_close(db);
}

Test(analyze_sqlite, creates_indexes_and_views_after_the_load)
{
	sqlite3 *db;

	close_ok(open_new());
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND"
				" tbl_name = 'events'"), 0);
	cr_expect_eq(fx_i64(db, "PRAGMA page_size"), 4096);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND"
				" name = 'requests_by_duration'"), 1);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'view' AND"
				" name IN ('request_syscalls', 'slow_requests',"
				" 'syscall_by_minute')"), 3);
	sqlite3_close(db);
}

Test(analyze_sqlite, names_linux_errnos)
{
	cr_expect_str_eq(ana_sql_errno_name(11), "EAGAIN");
	cr_expect_str_eq(ana_sql_errno_name(-110), "ETIMEDOUT");
	cr_expect_str_eq(ana_sql_errno_name(1), "EPERM");
	cr_expect_str_eq(ana_sql_errno_name(133), "EHWPOISON");
	cr_expect_str_eq(ana_sql_errno_name(512), "ERESTARTSYS");
	cr_expect_str_eq(ana_sql_errno_name(524), "ENOTSUPP");
	cr_expect_str_eq(ana_sql_errno_name(531), "ENOGRACE");
	cr_expect_null(ana_sql_errno_name(0));
	cr_expect_null(ana_sql_errno_name(41));
	cr_expect_null(ana_sql_errno_name(134));
	cr_expect_null(ana_sql_errno_name(520));
	cr_expect_null(ana_sql_errno_name(532));
	cr_expect_null(ana_sql_errno_name(INT_MIN));
	cr_expect_null(ana_sql_errno_name(INT_MAX));
}

Test(analyze_sqlite, validates_arguments)
{
	struct ana_sql *s = (struct ana_sql *)1;
	struct ana_sql_event ev = ev_read;

	cr_expect_eq(ana_sql_open(NULL, false, &s), -EINVAL);
	cr_expect_null(s);
	cr_expect_eq(ana_sql_open("", false, &s), -EINVAL);
	cr_expect_eq(ana_sql_open(fx_db, false, NULL), -EINVAL);
	cr_expect_eq(ana_sql_event(NULL, &ev_read), -EINVAL);
	cr_expect_eq(ana_sql_close(NULL, true), 0);
	s = open_new();
	ev.syscall = NULL;
	cr_expect_eq(ana_sql_event(s, &ev), -EINVAL);
	cr_expect_eq(ana_sql_close(s, true), -EIO, "a missing row must not be committed");
	cr_expect_eq(fx_dir_entries(), 0);
}

/* The loader buffers events: more than one buffer's worth, with strings the
 * caller overwrites after each call, must come back in order and intact. */
Test(analyze_sqlite, buffered_events_keep_order_and_their_own_strings)
{
	const unsigned int n = 2500;
	struct ana_sql_event ev = ev_read;
	struct ana_sql *s = open_new();
	char name[32], cat[32];
	unsigned int i;
	sqlite3 *db;

	ev.syscall = name;
	ev.category = cat;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "sys_%u", i);
		snprintf(cat, sizeof(cat), "cat_%u", i % 7);
		ev.ts_ns = 1000 + i;
		ev.err = (int32_t)(i % 3);
		cr_assert_eq(ana_sql_event(s, &ev), 0);
		memset(name, 'X', sizeof(name) - 1);
		memset(cat, 'Y', sizeof(cat) - 1);
	}
	close_ok(s);
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events"), n);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events WHERE syscall <> 'sys_' || (id - 1)"
				" OR category <> 'cat_' || ((id - 1) % 7) OR ts_ns <> 999 + id"
				" OR err <> (id - 1) % 3"), 0);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events WHERE err = 1 AND"
				" errno_name = 'EPERM'"), 833);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events WHERE err = 0 AND"
				" errno_name IS NULL"), 834);
	sqlite3_close(db);
}

/* requests.start_time is formatted in C; it must equal the SQL text the
 * generated *_time columns and views use, including sqlite's NULL past 9999. */
Test(analyze_sqlite, request_start_time_matches_the_sql_formatting)
{
	static const uint64_t cat[SC__COUNT];
	static const uint64_t at[] = {
		0, 1, 999999999, 1000000000, 951782400123456789ULL /* 2000-02-29 */,
		1795000020000000000ULL, 4102444799999999999ULL /* 2099-12-31 */, INT64_MAX,
		UINT64_MAX, /* REAL in start_wall_ns: compared apart */
	};
	struct ana_sql_request r = { .category_ns = cat };
	struct ana_sql *s = open_new();
	unsigned int i;
	sqlite3 *db;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		r.id = i;
		r.start_wall_ns = at[i];
		cr_assert_eq(ana_sql_request(s, &r), 0);
	}
	close_ok(s);
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM requests WHERE id < 8 AND start_time IS NOT"
				" (strftime('%Y-%m-%dT%H:%M:%S', start_wall_ns / 1000000000,"
				" 'unixepoch') || printf('.%09dZ', start_wall_ns % 1000000000))"), 0);
	cr_expect_str_eq(fx_text(db, "SELECT start_time FROM requests WHERE id = 4", NULL),
			 "2000-02-29T00:00:00.123456789Z");
	cr_expect_str_eq(fx_text(db, "SELECT start_time FROM requests WHERE id = 7", NULL),
			 "2262-04-11T23:47:16.854775807Z");
	cr_expect_str_eq(fx_text(db, "SELECT start_time FROM requests WHERE id = 8", NULL),
			 "2554-07-21T23:34:33.709551615Z");
	sqlite3_close(db);
}

/* Requests are buffered too: a bad row fails the flush at close, which then
 * removes the file instead of committing a partial database. */
Test(analyze_sqlite, failed_buffered_insert_fails_close_and_removes_the_file)
{
	static const uint64_t cat[SC__COUNT];
	const struct ana_sql_request r = { .id = 7, .category_ns = cat };
	struct ana_sql *s = open_new();

	cr_assert_eq(ana_sql_request(s, &r), 0);
	cr_assert_eq(ana_sql_request(s, &r), 0, "buffered: the duplicate is not seen yet");
	cr_expect_eq(ana_sql_close(s, true), -EIO);
	cr_expect_eq(fx_dir_entries(), 0);
}

Test(analyze_sqlite, failed_flush_is_reported_by_the_call_that_fills_the_buffer)
{
	static const uint64_t cat[SC__COUNT];
	struct ana_sql_request r = { .id = 7, .category_ns = cat };
	struct ana_sql *s = open_new();
	int err = 0, i;

	for (i = 0; i < 2000 && !err; i++)
		err = ana_sql_request(s, &r);
	cr_expect_eq(err, -EIO);
	cr_expect_eq(i, 1024, "the 1024th row flushes the buffer");
	cr_expect(strstr(ana_sql_errmsg(s), "insert into requests: UNIQUE") != NULL, "%s",
		  ana_sql_errmsg(s));
	r.id = 8;
	cr_expect_eq(ana_sql_request(s, &r), -EIO, "a failed load stays failed");
	cr_expect_eq(ana_sql_close(s, true), -EIO);
	cr_expect_eq(fx_dir_entries(), 0);
}

/* 2500 events with wall clocks out of order inside each block: three
 * event_blocks rows that cover every id once, each range holding its events,
 * so a time range read through the blocks finds what a scan finds. */
Test(analyze_sqlite, event_blocks_bound_every_event)
{
	struct ana_sql *s = open_new();
	struct ana_sql_event ev = ev_read;
	sqlite3 *db;
	int i;

	for (i = 0; i < 2500; i++) {
		ev.wall_ns = 1795000000000000000ULL + (uint64_t)(i * 1000) +
			     (uint64_t)((i * 7919) % 13) * 50000;
		ev.request_id = i % 3 ? i / 4 : -1;
		cr_assert_eq(ana_sql_event(s, &ev), 0);
	}
	close_ok(s);
	db = fx_open_ro();
	cr_expect_str_eq(fx_rows(db, "SELECT first_id, last_id FROM event_blocks ORDER BY 1"),
			 "1|1024\n1025|2048\n2049|2500\n");
	cr_expect_eq(fx_i64(db, "SELECT MIN(id) = 1 AND MAX(id) = 2500 FROM events"), 1);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events e JOIN event_blocks b ON e.id"
				" BETWEEN b.first_id AND b.last_id WHERE e.wall_ns"
				" BETWEEN b.min_wall_ns AND b.max_wall_ns"), 2500);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM event_blocks b WHERE min_wall_ns ="
				" (SELECT MIN(wall_ns) FROM events WHERE id BETWEEN b.first_id AND"
				" b.last_id) AND max_wall_ns = (SELECT MAX(wall_ns) FROM events"
				" WHERE id BETWEEN b.first_id AND b.last_id)"), 3);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM event_blocks b JOIN events e ON e.id"
				" BETWEEN b.first_id AND b.last_id WHERE b.max_wall_ns >="
				" 1795000001000000000 AND b.min_wall_ns < 1795000001500000000 AND"
				" e.wall_ns >= 1795000001000000000 AND e.wall_ns <"
				" 1795000001500000000"),
		     fx_i64(db, "SELECT COUNT(*) FROM events WHERE wall_ns >= 1795000001000000000"
				" AND wall_ns < 1795000001500000000"));
	cr_expect_str_eq(fx_rows(db, "SELECT stat FROM sqlite_stat1 WHERE tbl = 'events'"
				     " ORDER BY idx"), "2500\n");
	sqlite3_close(db);
}

static void add_req_event(struct ana_sql *s, int64_t req)
{
	struct ana_sql_event ev = ev_read;

	ev.request_id = req;
	cr_assert_eq(ana_sql_event(s, &ev), 0);
}

static void add_req_row(struct ana_sql *s, int64_t id)
{
	uint64_t cat[SC__COUNT] = { 0 };
	struct ana_sql_request r = { .id = id, .method = "thread", .category_ns = cat };

	cr_assert_eq(ana_sql_request(s, &r), 0);
}

/* Events of the request outside its range (must be 0), and whether the
 * fallback index was built. */
static void expect_ranges(int64_t outside, int64_t index)
{
	sqlite3 *db = fx_open_ro();

	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events e JOIN requests r ON"
				" r.id = e.request_id WHERE e.id NOT BETWEEN"
				" coalesce(r.first_event_id, 0) AND coalesce(r.last_event_id, 0)"),
		     outside);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name ="
				" 'events_by_request'"), index);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM request_syscalls"),
		     fx_i64(db, "SELECT COUNT(*) FROM events e JOIN requests r ON"
				" r.id = e.request_id"));
	sqlite3_close(db);
}

/* The engine writes a request's row while the event that closed it is
 * being processed, before that event: the range covers it. */
Test(analyze_sqlite, request_range_covers_the_closing_event)
{
	struct ana_sql *s = open_new();

	add_req_event(s, 1);
	add_req_event(s, 2);
	add_req_event(s, 1);
	add_req_row(s, 1);
	add_req_event(s, 1);
	add_req_event(s, 2);
	add_req_row(s, 2);
	close_ok(s);
	expect_ranges(0, 0);
}

/* Any other order: the index is built after all, lookups stay exact. */
Test(analyze_sqlite, late_event_builds_the_request_index)
{
	struct ana_sql *s = open_new();
	const char *p;
	sqlite3 *db;

	add_req_event(s, 1);
	add_req_row(s, 1);
	add_req_event(s, -1);
	add_req_event(s, 1);
	close_ok(s);
	expect_ranges(0, 1);
	db = fx_open_ro();
	p = fx_rows(db, "EXPLAIN QUERY PLAN SELECT * FROM request_syscalls WHERE"
			" request_id = 1");
	cr_expect(strstr(p, "events_by_request") != NULL, "%s", p);
	sqlite3_close(db);
}

/* A request without events: its range is the next event, which may still
 * be its own; a later one is late. */
Test(analyze_sqlite, empty_request_gets_the_next_event)
{
	struct ana_sql *s = open_new();

	add_req_row(s, 1);
	add_req_event(s, 1);
	add_req_row(s, 2);
	close_ok(s);
	expect_ranges(0, 0);
}

Test(analyze_sqlite, event_long_after_its_empty_request_builds_the_index)
{
	struct ana_sql *s = open_new();

	add_req_row(s, 1);
	add_req_event(s, -1);
	add_req_event(s, 1);
	close_ok(s);
	expect_ranges(0, 1);
}


/* 20,000 requests, up to 3,000 live at once, closed out of order (the
 * table grows, and entries are erased from the middle of probe runs). */
Test(analyze_sqlite, request_ranges_survive_many_live_requests)
{
	struct ana_sql *s = open_new();
	uint64_t x = 88172645463325252ULL;
	int64_t next = 0, open[3000];
	int nopen = 0, i;
	sqlite3 *db;

	while (next < 20000 || nopen) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (next < 20000 && (!nopen || (nopen < 3000 && (x & 3) != 0))) {
			open[nopen++] = next;
			add_req_event(s, next++);
			continue;
		}
		i = (int)(x >> 33) % nopen;
		add_req_event(s, open[i]);
		if ((x >> 20) & 1) {
			add_req_row(s, open[i]);
			add_req_event(s, (x >> 21) & 1 ? open[i] : -1);
			open[i] = open[--nopen];
		}
	}
	close_ok(s);
	expect_ranges(0, 0);
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM requests"), 20000);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM requests WHERE first_event_id IS NULL"),
		     0);
	sqlite3_close(db);
}
