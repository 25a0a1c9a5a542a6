/* SPDX-License-Identifier: MIT */
/* Bridge from the engine to the SQLite loader (analyze/sqlite_out.h). */
#ifndef ANALYZE_ENGINE_SQL_H
#define ANALYZE_ENGINE_SQL_H

#include "analyze/engine.h"

/* Opens e->sql for opts->sqlite. 0 or -EEXIST/-EIO/-ENOMEM (logged). */
int ana_sqlsink_open(struct ana_engine *e);
/* Per event and per closed request; errors land in e->sql_err. */
void ana_sqlsink_event(struct ana_engine *e, const struct ana_ev_ctx *c);
void ana_sqlsink_request(struct ana_engine *e, const struct ana_req *r);
/* Every result table, after ana_results_compute(). 0 or -errno. */
int ana_sqlsink_results(struct ana_engine *e);
/* Commits (ok) or rolls back. 0 or -errno. */
int ana_sqlsink_close(struct ana_engine *e, bool ok);

#endif
