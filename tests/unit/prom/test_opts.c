// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "analyze/live.h"
#include "analyze/opts.h"

/* Parses and validates argv (NULL-terminated, program name first). */
static int parse(struct ana_opts *o, char **argv, char *err, size_t len)
{
	int argc = 0, rc;

	while (argv[argc])
		argc++;
	ana_opts_init(o);
	rc = ana_opts_parse(o, argc, argv, err, len);
	if (!rc)
		rc = ana_opts_validate(o, err, len);
	return rc;
}

Test(prom_opts, follow_listen_linger_and_the_prometheus_report)
{
	char *argv[] = { "ebpf-analyze", "--follow", "t.ebt", "--listen", "127.0.0.1:9464",
			 "--linger", "30", "--report", "prometheus", "-o", "m.prom", NULL };
	struct ana_opts o;
	char err[256] = "";

	cr_assert_eq(parse(&o, argv, err, sizeof(err)), 0, "%s", err);
	cr_assert(o.follow);
	cr_assert_str_eq(o.listen, "127.0.0.1:9464");
	cr_assert(o.linger_set);
	cr_assert_eq(o.linger_s, 30);
	cr_assert_eq(o.report, ANA_REPORT_PROM);
	cr_assert(ana_live_wanted(&o));
	ana_opts_free(&o);
}

Test(prom_opts, plain_runs_are_not_live)
{
	char *argv[] = { "ebpf-analyze", "t.ebt", "--report", "prometheus", NULL };
	struct ana_opts o;
	char err[256] = "";

	cr_assert_eq(parse(&o, argv, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(ana_live_wanted(&o));
	cr_assert_not(o.linger_set);
	ana_opts_free(&o);
}

Test(prom_opts, bad_combinations_are_usage_errors)
{
	static const char *const cases[][7] = {
		{ "ebpf-analyze", "--follow", "a.ebt", "b.ebt", NULL },
		{ "ebpf-analyze", "a.ebt", "--linger", "5", NULL },
		{ "ebpf-analyze", "a.ebt", "--listen", "9464", "--linger", "x", NULL },
		{ "ebpf-analyze", "a.ebt", "--listen", "", NULL },
		{ "ebpf-analyze", "--follow", "a.ebt", "--report", "html", NULL },
		{ "ebpf-analyze", "a.ebt", "--listen", "9464", "--export", "folded", NULL },
		{ "ebpf-analyze", "a.ebt", "--report", "prom", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[7];	/* getopt permutes it: a writable copy */
		struct ana_opts o;
		char err[256] = "";

		memcpy(argv, cases[i], sizeof(argv));
		cr_assert_eq(parse(&o, argv, err, sizeof(err)), -EINVAL,
			     "case %zu accepted", i);
		cr_assert_neq(err[0], 0, "case %zu: no reason", i);
		ana_opts_free(&o);
	}
}
