/* SPDX-License-Identifier: MIT */
/* Fixture of the viz unit tests: a generated trace analyzed with a sink. */
#ifndef TESTS_UNIT_VIZ_VIZFIX_H
#define TESTS_UNIT_VIZ_VIZFIX_H

#include <stdio.h>

#include "analyze/viz.h"
#include "tests/unit/analyze/util.h"

struct vfix {
	char dir[64], trace[128];
	struct ana_opts opts;
	struct gen_truth truth;
	struct ana_engine *e;
	struct ana_viz *v;
	char *out;		/* what a writer wrote (memstream) */
	size_t len;
	FILE *f;
};

/* Generates g into a scratch dir, analyzes it with a sink of flags (the
 * Perfetto stream, when asked, goes to x->f). */
void vfix_run(struct vfix *x, const struct gen_opts *g, unsigned int flags, bool perfetto,
	      uint64_t max_events);
/* Closes x->f and NUL-terminates x->out. */
void vfix_close_out(struct vfix *x);
void vfix_done(struct vfix *x);

#endif
