/* SPDX-License-Identifier: MIT */
/* Shared fixtures of the analyze unit tests. */
#ifndef TESTS_UNIT_ANALYZE_UTIL_H
#define TESTS_UNIT_ANALYZE_UTIL_H

#include "analyze/analyze.h"
#include "analyze/engine.h"
#include "tests/unit/analyze/gen.h"

struct tctx {
	char dir[64];
	char trace[128];
	struct ana_opts opts;
	struct gen_truth truth;
	struct ana_engine *e;
};

/* mkdtemp + generate + analyse with default options changed by tweak. */
void tctx_run(struct tctx *c, const struct gen_opts *g, void (*tweak)(struct ana_opts *));
void tctx_done(struct tctx *c);
/* Reads a whole file into a NUL-terminated buffer (free it). */
char *slurp(const char *path, size_t *len);
const struct ana_sys *find_sys(const struct ana_engine *e, const char *name);

#endif
