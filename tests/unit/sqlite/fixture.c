/* SPDX-License-Identifier: MIT */
#include "tests/unit/sqlite/fixture.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

char fx_dir[PATH_MAX];
char fx_db[PATH_MAX + 16];

void fx_setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(fx_dir, sizeof(fx_dir), "%s/ebt-sql-XXXXXX", base ? base : "/tmp");
	cr_assert_not_null(mkdtemp(fx_dir));
	snprintf(fx_db, sizeof(fx_db), "%s/out.db", fx_dir);
}

void fx_teardown(void)
{
	char p[PATH_MAX * 2];
	struct dirent *de;
	DIR *d;

	d = opendir(fx_dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", fx_dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(fx_dir);
}

int fx_dir_entries(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(fx_dir);
	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

sqlite3 *fx_open_ro(void)
{
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open_v2(fx_db, &db, SQLITE_OPEN_READONLY, NULL);
	cr_assert_eq(rc, SQLITE_OK, "open %s: %s", fx_db, sqlite3_errstr(rc));
	return db;
}

static sqlite3_stmt *first_row(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	cr_assert_eq(rc, SQLITE_OK, "prepare %s: %s", sql, sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	cr_assert_eq(rc, SQLITE_ROW, "no row from %s: %s", sql, sqlite3_errmsg(db));
	return st;
}

int64_t fx_i64(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = first_row(db, sql);
	int64_t v;

	cr_assert_eq(sqlite3_column_type(st, 0), SQLITE_INTEGER, "not an integer: %s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

double fx_double(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = first_row(db, sql);
	double v = sqlite3_column_double(st, 0);

	sqlite3_finalize(st);
	return v;
}

const char *fx_text(sqlite3 *db, const char *sql, int *len)
{
	static char buf[4096];
	sqlite3_stmt *st = first_row(db, sql);
	int n;

	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		snprintf(buf, sizeof(buf), "<NULL>");
		n = -1;
	} else {
		cr_assert_eq(sqlite3_column_type(st, 0), SQLITE_TEXT, "not text: %s", sql);
		n = sqlite3_column_bytes(st, 0);
		cr_assert_lt(n, (int)sizeof(buf));
		memcpy(buf, sqlite3_column_text(st, 0), (size_t)n);
		buf[n] = 0;
	}
	if (len)
		*len = n;
	sqlite3_finalize(st);
	return buf;
}

const char *fx_rows(sqlite3 *db, const char *sql)
{
	static char buf[65536];
	sqlite3_stmt *st = NULL;
	size_t len = 0;
	int rc, i, n;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	cr_assert_eq(rc, SQLITE_OK, "prepare %s: %s", sql, sqlite3_errmsg(db));
	buf[0] = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_count(st);
		for (i = 0; i < n; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);

			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
						i ? "|" : "", v ? v : "<NULL>");
			cr_assert_lt(len, sizeof(buf));
		}
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "\n");
		cr_assert_lt(len, sizeof(buf));
	}
	cr_assert_eq(rc, SQLITE_DONE, "step %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return buf;
}
