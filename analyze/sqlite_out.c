/* SPDX-License-Identifier: MIT */
/*
 * The loader's life cycle: the database is built in a temporary file next
 * to the target, inside one transaction with journaling in memory and no
 * fsync per statement; close adds indexes and views, commits, fsyncs once and
 * renames the file into place. A failed or abandoned load never leaves a
 * partial database under the target name, and --force replaces the target
 * (even a symlink, which is replaced, not followed) only once the new
 * database is complete.
 */
#include "analyze/sqlite_out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze/sqlite_internal.h"

/* Page cache, KiB (negative cache_size). It also sizes the sorter's
 * in-memory runs: small runs sorted by SORT_THREADS_MAX worker threads build
 * the post-load indexes about twice as fast as one large in-memory sort. */
#ifndef LOAD_CACHE_KIB
#define LOAD_CACHE_KIB 8192
#endif
/* The cache while the indexes are built, KiB: it is also the size of each
 * in-memory run of the sorter, of which each sorter thread holds one. */
#ifndef SORT_CACHE_KIB
#define SORT_CACHE_KIB 2048
#endif
#ifndef SORT_THREADS_MAX
#define SORT_THREADS_MAX 4
#endif
/* Measured with 65536 too: the same instructions per event (callgrind),
 * but 59 instead of 36 MiB of peak RSS at 4 M events (the sorter's buffers
 * are page-sized), so the default page stays. */
#ifndef LOAD_PAGE_SIZE
#define LOAD_PAGE_SIZE 4096
#endif

int sql_fail(struct ana_sql *s, int rc, const char *what)
{
	int err;

	switch (rc & 0xff) {
	case SQLITE_FULL:
		err = -ENOSPC;
		break;
	case SQLITE_NOMEM:
		err = -ENOMEM;
		break;
	default:
		err = -EIO;
	}
	if (!s->failed)
		snprintf(s->errmsg, sizeof(s->errmsg), "%s: %s", what,
			 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	s->failed = true;
	return err;
}

int sql_invalid(struct ana_sql *s, const char *what)
{
	if (s && !s->failed)
		snprintf(s->errmsg, sizeof(s->errmsg), "%s: invalid argument", what);
	if (s)
		s->failed = true;
	return -EINVAL;
}

int sql_step(struct ana_sql *s, enum sql_stmt which, const char *what)
{
	sqlite3_stmt *st = s->stmt[which];
	int rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sql_fail(s, rc, what);
	return 0;
}

void sql_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	/* SQLITE_STATIC: every insert rebinds all its parameters before the
	 * next step, so sqlite never reads a pointer after the call returns. */
	if (v)
		sqlite3_bind_text(st, i, v, (int)strnlen(v, INT32_MAX), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Writes v as exactly n decimal digits, most significant first. */
static char *put_digits(char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/* By hand: snprintf() took 3,900 instructions a call, a tenth of a load. */
const char *sql_iso_time(uint64_t wall_ns, char *buf)
{
	time_t sec = (time_t)(wall_ns / 1000000000);
	struct tm tm;
	char *p = buf;

	if (!gmtime_r(&sec, &tm))
		return NULL;
	p = put_digits(p, (uint64_t)tm.tm_year + 1900, 4);
	*p++ = '-';
	p = put_digits(p, (uint64_t)tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put_digits(p, (uint64_t)tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, (uint64_t)tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, (uint64_t)tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, (uint64_t)tm.tm_sec, 2);
	*p++ = '.';
	p = put_digits(p, wall_ns % 1000000000, 9);
	*p++ = 'Z';
	*p = 0;
	return buf;
}

void sql_bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
	if (v <= INT64_MAX)
		sqlite3_bind_int64(st, i, (int64_t)v);
	else
		sqlite3_bind_double(st, i, (double)v);
}

void sql_bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

void sql_bind_u64_or_null(sqlite3_stmt *st, int i, uint64_t v, uint64_t none)
{
	if (v == none)
		sqlite3_bind_null(st, i);
	else
		sql_bind_u64(st, i, v);
}

void sql_bind_i64_or_null(sqlite3_stmt *st, int i, int64_t v, bool none)
{
	if (none)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static int exec(struct ana_sql *s, const char *sql, const char *what)
{
	int rc;

	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(s, rc, what);
	return 0;
}

/* An empty file, O_EXCL, in the target's directory (so the final rename
 * stays on one filesystem), created with mode 0666 so that the umask applies
 * as for any new file (mkstemp's 0600 plus umask() would be racy). */
static int make_tmp(struct ana_sql *s)
{
	size_t n = strlen(s->path) + sizeof("./.tmp-0123456789abcdef");
	int fd = -1, err = -EEXIST, tries;
	uint64_t r;

	s->tmp = malloc(n);
	if (!s->tmp)
		return -ENOMEM;
	for (tries = 0; tries < 100 && err == -EEXIST; tries++) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL) ^ (uint64_t)tries;
		/* "./" keeps sqlite from reading a relative "file:..." as a
		 * URI (Debian builds it with SQLITE_USE_URI). */
		snprintf(s->tmp, n, "%s%s.tmp-%016llx", s->path[0] == '/' ? "" : "./", s->path,
			 (unsigned long long)r);
		fd = open(s->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
		err = fd < 0 ? -errno : 0;
	}
	if (fd >= 0)
		close(fd);
	if (err) {
		free(s->tmp);
		s->tmp = NULL;
	}
	return err;
}

static int check_target(const char *path, bool force)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return -errno;
	}
	if (!force)
		return -EEXIST;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return 0;
}

static int prepare_all(struct ana_sql *s)
{
	int i, rc;

	for (i = 0; i < SQ__COUNT; i++) {
		if (!sql_insert[i])
			continue;
		rc = sqlite3_prepare_v3(s->db, sql_insert[i], -1, SQLITE_PREPARE_PERSISTENT,
					&s->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return sql_fail(s, rc, "prepare");
	}
	rc = sql_buf_new(s, "events", SQL_EVENT_COLS, SQL_EVENT_NCOLS, &s->events);
	if (!rc)
		rc = sql_buf_new(s, "requests", SQL_REQUEST_COLS, SQL_REQUEST_NCOLS,
				 &s->requests);
	return rc;
}

static int create_db(struct ana_sql *s)
{
	char sql[256];
	int rc, err;

	/* NOMUTEX: the object is used by one thread (no per-call db mutex). */
	rc = sqlite3_open_v2(s->tmp, &s->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(s, rc, "open");
	snprintf(sql, sizeof(sql),
		 "PRAGMA page_size=%d; PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;"
		 " PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-%d;"
		 " PRAGMA user_version=%d; PRAGMA application_id=%d;",
		 LOAD_PAGE_SIZE, LOAD_CACHE_KIB, ANA_SQL_SCHEMA_VERSION, ANA_SQL_APPLICATION_ID);
	err = exec(s, sql, "set up");
	if (!err)
		err = exec(s, "BEGIN", "begin");
	if (err)
		return err;
	s->in_tx = true;
	err = exec(s, sql_schema, "create tables");
	if (!err)
		err = prepare_all(s);
	if (!err)
		err = ana_sql_trace_info(s, UINT32_MAX, "schema_version",
					 ANA_SQL_SCHEMA_VERSION_TEXT);
	return err;
}

static void release(struct ana_sql *s)
{
	int i;

	for (i = 0; i < SQ__COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sql_buf_free(s->events);
	sql_buf_free(s->requests);
	sql_ranges_free(&s->ranges);
	if (s->db && s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s->db);
	if (s->tmp)
		unlink(s->tmp);
	free(s->tmp);
	free(s->path);
	free(s);
}

int ana_sql_open(const char *path, bool force, struct ana_sql **out)
{
	struct ana_sql *s;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!path || !*path)
		return -EINVAL;
	err = check_target(path, force);
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->force = force;
	s->next_event_id = 1;
	sql_ranges_init(&s->ranges);
	s->path = strdup(path);
	err = s->path ? make_tmp(s) : -ENOMEM;
	if (!err)
		err = create_db(s);
	if (err) {
		release(s);
		return err;
	}
	*out = s;
	return 0;
}

/* Moves the finished file into place: rename() replaces a target (a symlink
 * itself, not what it points to) only with force; otherwise the target must
 * still not exist, checked atomically. */
static int install(struct ana_sql *s)
{
	int fd, err = 0;

	fd = open(s->tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fsync(fd))
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err)
		return err;
	if (s->force)
		return rename(s->tmp, s->path) ? -errno : 0;
	if (!renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->path, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* No RENAME_NOREPLACE on this filesystem: link() refuses an
	 * existing name too. */
	if (link(s->tmp, s->path))
		return -errno;
	unlink(s->tmp);
	return 0;
}

static int sort_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > SORT_THREADS_MAX ? SORT_THREADS_MAX : (int)n;
}

/* Some range may miss events of its request: every range becomes all of
 * events (the views stay right) and the index does the lookups. */
static int widen_ranges(struct ana_sql *s)
{
	char sql[128];
	int err;

	snprintf(sql, sizeof(sql),
		 "UPDATE requests SET first_event_id = 1, last_event_id = %llu",
		 (unsigned long long)s->next_event_id);
	err = exec(s, sql, "widen request ranges");
	if (!err)
		err = exec(s, sql_request_index, "create indexes and views");
	return err;
}

static int finish(struct ana_sql *s)
{
	char sql[64];
	int i, err;

	snprintf(sql, sizeof(sql), "PRAGMA threads=%d; PRAGMA cache_size=-%d", sort_threads(),
		 SORT_CACHE_KIB);
	err = sql_block_flush(s);
	if (!err)
		err = sql_buf_flush(s->events);
	if (!err)
		err = sql_buf_flush(s->requests);
	if (!err)
		err = exec(s, sql, "set up");
	if (!err)
		err = exec(s, sql_post_load, "create indexes and views");
	if (!err && s->ranges.broken)
		err = widen_ranges(s);
	if (!err)
		err = sql_write_stats(s);
	if (!err)
		err = exec(s, "COMMIT", "commit");
	if (err)
		return err;
	s->in_tx = false;
	for (i = 0; i < SQ__COUNT; i++) {
		sqlite3_finalize(s->stmt[i]);
		s->stmt[i] = NULL;
	}
	sql_buf_free(s->events);
	sql_buf_free(s->requests);
	s->events = s->requests = NULL;
	if (sqlite3_close(s->db) != SQLITE_OK)
		return sql_fail(s, sqlite3_errcode(s->db), "close");
	s->db = NULL;
	err = install(s);
	if (err) {
		snprintf(s->errmsg, sizeof(s->errmsg), "cannot move %s to %s: %s", s->tmp,
			 s->path, strerror(-err));
		return err;
	}
	free(s->tmp);
	s->tmp = NULL;
	return 0;
}

int ana_sql_close(struct ana_sql *s, bool commit)
{
	int err = 0;

	if (!s)
		return 0;
	if (commit && s->failed)
		err = -EIO;
	else if (commit)
		err = finish(s);
	release(s);
	return err;
}

const char *ana_sql_errmsg(const struct ana_sql *s)
{
	if (!s)
		return "no database";
	return s->errmsg[0] ? s->errmsg : "no error";
}

int ana_sql_trace_info(struct ana_sql *s, uint32_t file_idx, const char *key,
		       const char *value)
{
	sqlite3_stmt *st;

	if (!s || !key)
		return sql_invalid(s, "ana_sql_trace_info");
	st = s->stmt[SQ_TRACE_INFO];
	sql_bind_u64_or_null(st, 1, file_idx, UINT32_MAX);
	sql_bind_text(st, 2, key);
	sql_bind_text(st, 3, value);
	return sql_step(s, SQ_TRACE_INFO, "insert into trace_info");
}

