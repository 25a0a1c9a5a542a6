// SPDX-License-Identifier: MIT
#include "tests/unit/viz/vizfix.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

void vfix_run(struct vfix *x, const struct gen_opts *g, unsigned int flags, bool perfetto,
	      uint64_t max_events)
{
	int err;

	memset(x, 0, sizeof(*x));
	snprintf(x->dir, sizeof(x->dir), "/tmp/viz-test-XXXXXX");
	cr_assert_not_null(mkdtemp(x->dir));
	snprintf(x->trace, sizeof(x->trace), "%s/t.ebt", x->dir);
	cr_assert_eq(gen_trace(x->trace, g, &x->truth), 0);
	ana_opts_init(&x->opts);
	x->opts.inputs[0] = x->trace;
	x->opts.ninputs = 1;
	cr_assert_eq(ana_viz_new(flags, &x->v), 0);
	x->f = open_memstream(&x->out, &x->len);
	cr_assert_not_null(x->f);
	if (perfetto)
		cr_assert_eq(ana_pf_begin(x->v, x->f, max_events), 0);
	x->opts.viz = x->v;
	err = ana_analyze_files(&x->opts, &x->e);
	cr_assert_eq(err, 0, "analyze: %d", err);
}

void vfix_close_out(struct vfix *x)
{
	cr_assert_eq(fclose(x->f), 0);
	x->f = NULL;
}

void vfix_done(struct vfix *x)
{
	char cmd[128];

	if (x->f)
		fclose(x->f);
	free(x->out);
	ana_engine_free(x->e);
	ana_viz_free(x->v);
	gen_truth_free(&x->truth);
	ana_opts_free(&x->opts);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	if (x->dir[0] && system(cmd))
		cr_log_warn("cannot remove %s", x->dir);
}
