/* SPDX-License-Identifier: MIT */
/* Scratch directory and read-back helpers of the analyze_sqlite tests. */
#ifndef TESTS_UNIT_SQLITE_FIXTURE_H
#define TESTS_UNIT_SQLITE_FIXTURE_H

#include <stdint.h>

#include <sqlite3.h>

extern char fx_dir[];	/* mkdtemp() directory, created by fx_setup() */
extern char fx_db[];	/* fx_dir/out.db */

void fx_setup(void);
void fx_teardown(void);	/* removes every file of fx_dir, then fx_dir */

/* Number of entries in fx_dir (to prove no temporary file is left). */
int fx_dir_entries(void);

/* fx_db opened read-only; fails the test when it cannot be opened. */
sqlite3 *fx_open_ro(void);

/* First column of the first row of sql, which must return a row. */
int64_t fx_i64(sqlite3 *db, const char *sql);
double fx_double(sqlite3 *db, const char *sql);
/* Copies a TEXT/NULL result ("<NULL>" for NULL) into a static buffer;
 * *len gets the byte length when len is not NULL. */
const char *fx_text(sqlite3 *db, const char *sql, int *len);

/* Every row of sql, columns joined by '|', rows ended by '\n', NULL as
 * "<NULL>", values as sqlite's own text conversion. Static buffer. */
const char *fx_rows(sqlite3 *db, const char *sql);

#endif
