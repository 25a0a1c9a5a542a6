// SPDX-License-Identifier: MIT
#include "tests/unit/analyze/util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tctx_run(struct tctx *c, const struct gen_opts *g, void (*tweak)(struct ana_opts *))
{
	int err;

	memset(c, 0, sizeof(*c));
	snprintf(c->dir, sizeof(c->dir), "/tmp/ana-test-XXXXXX");
	cr_assert_not_null(mkdtemp(c->dir));
	snprintf(c->trace, sizeof(c->trace), "%s/t.ebt", c->dir);
	err = gen_trace(c->trace, g, &c->truth);
	cr_assert_eq(err, 0, "gen_trace: %d", err);
	ana_opts_init(&c->opts);
	c->opts.inputs[0] = c->trace;
	c->opts.ninputs = 1;
	if (tweak)
		tweak(&c->opts);
	err = ana_analyze_files(&c->opts, &c->e);
	cr_assert_eq(err, 0, "analyze: %d", err);
}

void tctx_done(struct tctx *c)
{
	char cmd[128];

	ana_engine_free(c->e);
	gen_truth_free(&c->truth);
	ana_opts_free(&c->opts);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
	if (c->dir[0] && system(cmd))
		cr_log_warn("cannot remove %s", c->dir);
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

const struct ana_sys *find_sys(const struct ana_engine *e, const char *name)
{
	for (uint32_t i = 0; i < e->nsys; i++) {
		if (!strcmp(e->sys[i]->name, name))
			return e->sys[i];
	}
	return NULL;
}
