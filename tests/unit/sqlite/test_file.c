/* SPDX-License-Identifier: MIT */
/* The output file's life cycle, and strings that must stay data. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "analyze/sqlite_out.h"
#include "tests/unit/sqlite/fixture.h"

TestSuite(analyze_sqlite_file, .init = fx_setup, .fini = fx_teardown);

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static void expect_file(const char *path, const char *text)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "%s is gone", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	cr_expect_str_eq(buf, text);
}

/* A one-event database at fx_db. */
static int load_one(bool force)
{
	const struct ana_sql_event ev = { .syscall = "read", .category = "file", .fd = 3,
					  .request_id = -1 };
	struct ana_sql *s = NULL;
	int err;

	err = ana_sql_open(fx_db, force, &s);
	if (err)
		return err;
	cr_assert_eq(ana_sql_event(s, &ev), 0);
	return ana_sql_close(s, true);
}

static int64_t events_in_db(void)
{
	sqlite3 *db = fx_open_ro();
	int64_t n = fx_i64(db, "SELECT COUNT(*) FROM events");

	sqlite3_close(db);
	return n;
}

Test(analyze_sqlite_file, refuses_existing_file_without_force)
{
	write_file(fx_db, "precious");
	cr_expect_eq(load_one(false), -EEXIST);
	expect_file(fx_db, "precious");
	cr_expect_eq(fx_dir_entries(), 1);
}

Test(analyze_sqlite_file, refuses_dangling_symlink_without_force)
{
	cr_assert_eq(symlink("nowhere", fx_db), 0);
	cr_expect_eq(load_one(false), -EEXIST);
	cr_expect_eq(fx_dir_entries(), 1);
}

Test(analyze_sqlite_file, force_replaces_existing_file)
{
	write_file(fx_db, "old junk, not a database");
	cr_expect_eq(load_one(true), 0);
	cr_expect_eq(events_in_db(), 1);
	cr_expect_eq(fx_dir_entries(), 1);
}

Test(analyze_sqlite_file, force_replaces_symlink_without_following_it)
{
	char victim[PATH_MAX + 32];
	struct stat st;

	snprintf(victim, sizeof(victim), "%s/victim", fx_dir);
	write_file(victim, "must survive");
	cr_assert_eq(symlink(victim, fx_db), 0);
	cr_expect_eq(load_one(true), 0);
	expect_file(victim, "must survive");
	cr_assert_eq(lstat(fx_db, &st), 0);
	cr_expect(S_ISREG(st.st_mode), "the symlink itself is replaced by the database");
	cr_expect_eq(events_in_db(), 1);
}

Test(analyze_sqlite_file, close_without_commit_removes_the_file)
{
	const struct ana_sql_event ev = { .syscall = "read", .category = "file" };
	struct ana_sql *s = NULL;

	cr_assert_eq(ana_sql_open(fx_db, false, &s), 0);
	cr_assert_eq(ana_sql_event(s, &ev), 0);
	cr_expect_eq(fx_dir_entries(), 1, "the temporary file exists during the load");
	cr_expect_eq(ana_sql_close(s, false), 0);
	cr_expect_eq(fx_dir_entries(), 0);
	cr_expect_eq(access(fx_db, F_OK), -1);
}

Test(analyze_sqlite_file, rollback_with_force_keeps_the_old_file)
{
	struct ana_sql *s = NULL;

	write_file(fx_db, "previous run");
	cr_assert_eq(ana_sql_open(fx_db, true, &s), 0);
	cr_expect_eq(ana_sql_close(s, false), 0);
	expect_file(fx_db, "previous run");
	cr_expect_eq(fx_dir_entries(), 1);
}

Test(analyze_sqlite_file, does_not_replace_a_file_created_during_the_load)
{
	struct ana_sql *s = NULL;

	cr_assert_eq(ana_sql_open(fx_db, false, &s), 0);
	write_file(fx_db, "someone else's");
	cr_expect_eq(ana_sql_close(s, true), -EEXIST);
	expect_file(fx_db, "someone else's");
	cr_expect_eq(fx_dir_entries(), 1, "no temporary file is left");
}

Test(analyze_sqlite_file, reports_file_errors_as_errno)
{
	char missing[PATH_MAX + 32];
	struct ana_sql *s = NULL;

	cr_assert_eq(mkdir(fx_db, 0700), 0);
	cr_expect_eq(ana_sql_open(fx_db, true, &s), -EISDIR);
	cr_expect_eq(ana_sql_open(fx_db, false, &s), -EEXIST);
	cr_expect_null(s);
	snprintf(missing, sizeof(missing), "%s/no/such.db", fx_dir);
	cr_expect_eq(ana_sql_open(missing, false, &s), -ENOENT);
	rmdir(fx_db);
}

Test(analyze_sqlite_file, special_names_are_plain_files)
{
	struct ana_sql *s = NULL;
	char cwd[4096];

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(fx_dir), 0);
	cr_expect_eq(ana_sql_open(":memory:", false, &s), 0);
	cr_expect_eq(ana_sql_close(s, true), 0);
	cr_expect_eq(access(":memory:", F_OK), 0, "a file named :memory: is written");
	cr_expect_eq(ana_sql_open("file:x.db?mode=memory", false, &s), 0);
	cr_expect_eq(ana_sql_close(s, true), 0);
	cr_expect_eq(access("file:x.db?mode=memory", F_OK), 0, "URIs are not interpreted");
	cr_assert_eq(chdir(cwd), 0);
}

static const char *const hostile[] = {
	"it's \"quoted\" `back` [brackets]",
	"'); DROP TABLE events;--",
	"\"); DELETE FROM requests; SELECT (\"",
	"line one\nline two\r\nthree\ttab",
	"\xff\xfe invalid \xc3\x28 utf-8 \xed\xa0\x80 \xf8\x88\x80\x80\x80",
	"%s%n%x%99999999d",
	"\x01\x02\x03\x1b[31m\x7f binary",
	"",
	"? ?1 :name @x $y",
};

/* Every hostile string as a process comm, read back by a bound query. */
static void expect_bytes(sqlite3 *db, const char *sql, int64_t key, const char *want)
{
	sqlite3_stmt *st = NULL;
	int n;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, key);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s for %lld", sql, (long long)key);
	cr_expect_eq(sqlite3_column_type(st, 0), SQLITE_TEXT);
	n = sqlite3_column_bytes(st, 0);
	cr_expect_eq((size_t)n, strlen(want), "length of %s", sql);
	cr_expect_eq(memcmp(sqlite3_column_text(st, 0), want, strlen(want)), 0);
	sqlite3_finalize(st);
}

Test(analyze_sqlite_file, hostile_strings_stay_data)
{
	const unsigned int n = sizeof(hostile) / sizeof(hostile[0]);
	struct ana_sql_process p = { .exit_code = -1 };
	struct ana_sql_event ev = { .category = "file", .request_id = -1, .fd = -1 };
	struct ana_sql_suggestion g = { .rule = "r" };
	struct ana_sql_fd f = { 0 };
	struct ana_sql *s = NULL;
	unsigned int i;
	sqlite3 *db;

	cr_assert_eq(ana_sql_open(fx_db, false, &s), 0);
	for (i = 0; i < n; i++) {
		p.pid = i;
		p.comm = p.exe = p.cmdline = hostile[i];
		ev.pid = i;
		ev.syscall = hostile[i];
		f.fd = (int32_t)i;
		f.kind = f.path = f.peer = hostile[i];
		g.rank = i;
		g.title = g.evidence = hostile[i];
		cr_assert_eq(ana_sql_process(s, &p), 0);
		cr_assert_eq(ana_sql_event(s, &ev), 0);
		cr_assert_eq(ana_sql_fd(s, &f), 0);
		cr_assert_eq(ana_sql_suggestion(s, &g), 0);
		cr_assert_eq(ana_sql_trace_info(s, i, hostile[i], hostile[i]), 0);
		cr_assert_eq(ana_sql_stack(s, 0, i + 1, 1, &hostile[i]), 0);
	}
	cr_assert_eq(ana_sql_close(s, true), 0);
	db = fx_open_ro();
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM events"), n);
	cr_expect_eq(fx_i64(db, "SELECT COUNT(*) FROM requests"), 0);
	for (i = 0; i < n; i++) {
		expect_bytes(db, "SELECT comm FROM processes WHERE pid = ?1", i, hostile[i]);
		expect_bytes(db, "SELECT cmdline FROM processes WHERE pid = ?1", i, hostile[i]);
		expect_bytes(db, "SELECT syscall FROM events WHERE pid = ?1", i, hostile[i]);
		expect_bytes(db, "SELECT peer FROM fds WHERE fd = ?1", i, hostile[i]);
		expect_bytes(db, "SELECT evidence FROM suggestions WHERE rank = ?1", i,
			     hostile[i]);
		expect_bytes(db, "SELECT key FROM trace_info WHERE file_idx = ?1", i, hostile[i]);
		expect_bytes(db, "SELECT frame FROM stacks WHERE stack_id = ?1", i + 1,
			     hostile[i]);
	}
	sqlite3_close(db);
}

Test(analyze_sqlite_file, long_strings_survive)
{
	const size_t len = 1 << 20;
	struct ana_sql_process p = { .pid = 1, .exit_code = -1 };
	struct ana_sql *s = NULL;
	char *big = malloc(len + 1);
	sqlite3 *db;
	size_t i;

	cr_assert_not_null(big);
	for (i = 0; i < len; i++)
		big[i] = (char)('a' + i % 26);
	big[len] = 0;
	p.cmdline = big;
	cr_assert_eq(ana_sql_open(fx_db, false, &s), 0);
	cr_assert_eq(ana_sql_process(s, &p), 0);
	cr_assert_eq(ana_sql_close(s, true), 0);
	db = fx_open_ro();
	expect_bytes(db, "SELECT cmdline FROM processes WHERE pid = ?1", 1, big);
	sqlite3_close(db);
	free(big);
}

Test(analyze_sqlite_file, new_file_mode_follows_the_umask)
{
	struct stat st;

	umask(027);
	cr_assert_eq(load_one(false), 0);
	cr_assert_eq(stat(fx_db, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0640, "mode %o", st.st_mode & 0777);
}
