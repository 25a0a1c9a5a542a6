// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/opts.h"

static int parse(struct ana_opts *o, char *err, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = "ebpf-analyze";
	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	ana_opts_init(o);
	return ana_opts_parse(o, argc, argv, err, 256);
}

Test(analyze_opts, options_after_the_trace)
{
	struct ana_opts o;
	char err[256];

	cr_assert_eq(parse(&o, err, (const char *[]){ "t.ebt", "--report", "md", "-n", "5",
						       "--pid", "1,2", "--pid", "3", NULL }), 0);
	cr_assert_eq(o.report, ANA_REPORT_MD);
	cr_assert_eq(o.top, 5);
	cr_assert_eq(o.npids, 3);
	cr_assert_eq(o.pids[2], 3);
	cr_assert_eq(o.ninputs, 1);
	cr_assert_str_eq(o.inputs[0], "t.ebt");
	ana_opts_free(&o);
}

Test(analyze_opts, bad_values_are_usage_errors)
{
	const char *bad[][3] = {
		{ "--report", "xml", NULL }, { "--top", "0", NULL }, { "--pid", "x", NULL },
		{ "--requests", "magic", NULL }, { "--since", "yesterday", NULL },
		{ "--bogus", NULL, NULL }, { "--top", NULL, NULL },
		{ "--request-timeout-ms", "-1", NULL }, { "--color", "pink", NULL },
	};
	struct ana_opts o;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[] = { "t.ebt", bad[i][0], bad[i][1], NULL };

		cr_assert_eq(parse(&o, err, args), -EINVAL, "%s accepted", bad[i][0]);
		cr_assert(strlen(err) > 0 && !strchr(err, '\n'));
		ana_opts_free(&o);
	}
	cr_assert_eq(parse(&o, err, (const char *[]){ NULL }), 0);
	cr_assert_eq(ana_opts_validate(&o, err, sizeof(err)), -EINVAL, "no input");
	ana_opts_free(&o);
}

Test(analyze_opts, time_bounds)
{
	struct ana_time_bound b;

	cr_assert_eq(ana_parse_time_bound("+5s", &b), 0);
	cr_assert(b.relative && b.ns == 5000000000ull);
	cr_assert_eq(ana_parse_time_bound("+200ms", &b), 0);
	cr_assert_eq(b.ns, 200000000ull);
	cr_assert_eq(ana_parse_time_bound("+1.5m", &b), 0);
	cr_assert_eq(b.ns, 90000000000ull);
	cr_assert_eq(ana_parse_time_bound("2026-11-23T16:00:00", &b), 0);
	cr_assert(!b.relative && b.ns == 1795449600000000000ull);
	cr_assert_eq(ana_parse_time_bound("2026-11-23T16:00:00.5Z", &b), 0);
	cr_assert_eq(b.ns, 1795449600500000000ull);
	cr_assert_eq(ana_parse_time_bound("+5x", &b), -EINVAL);
	cr_assert_eq(ana_parse_time_bound("2026-11-23T16:00:00junk", &b), -EINVAL);
}

Test(analyze_opts, config_analysis_section_then_command_line)
{
	char path[] = "/tmp/ana-cfg-XXXXXX", err[256];
	int fd = mkstemp(path);
	struct ana_opts o;
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs("record:\n  ring_size: 8M\nanalysis:\n  report: json\n  top: 7\n"
	      "  request_timeout_ms: 250\n  syscalls: [read, write]\n  requests: thread\n", f);
	fclose(f);
	cr_assert_eq(parse(&o, err, (const char *[]){ "--config", path, "t.ebt", "-n", "3",
						       NULL }), 0, "%s", err);
	cr_assert_eq(o.report, ANA_REPORT_JSON);
	cr_assert_eq(o.top, 3, "command line wins");
	cr_assert_eq(o.request_timeout_ns, 250000000ull);
	cr_assert_eq(o.nsyscalls, 2);
	cr_assert_eq(o.requests, ANA_REQ_THREAD);
	ana_opts_free(&o);
	f = fopen(path, "w");
	fputs("analysis:\n  top: lots\n", f);
	fclose(f);
	cr_assert_eq(parse(&o, err, (const char *[]){ "--config", path, "t.ebt", NULL }),
		     -EINVAL);
	cr_assert(strstr(err, "config"), "%s", err);
	ana_opts_free(&o);
	unlink(path);
}
