// SPDX-License-Identifier: MIT
/* ebpf-analyze: parse, run the command, map the result to an exit status. */
#include "analyze/analyze.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/diff.h"
#include "analyze/redact.h"
#include "analyze/spool.h"
#include "common/log.h"

static int cmd_analyze(struct ana_opts *o)
{
	return ana_run(o);
}

static int cmd_info(struct ana_opts *o)
{
	return ana_info(o, stdout);
}

static int cmd_diff(struct ana_opts *o)
{
	return ana_diff_main(o);
}

/* info prints each trace's metadata on stdout: no report, no other output */
static int check_info(const struct ana_opts *o, char *err, size_t len)
{
	if (!o->output && !o->sqlite && !o->csv_dir && !o->export_fmt && !o->follow &&
	    !o->listen)
		return 0;
	snprintf(err, len, "info takes no -o, --sqlite, --csv-dir, --export, --follow or "
		 "--listen");
	return -EINVAL;
}

static const struct verb {
	const char *name;
	int (*fn)(struct ana_opts *o);
	const char *summary;
	/* the verb's own usage rules, after ana_opts_validate(); may be NULL */
	int (*check)(const struct ana_opts *o, char *err, size_t len);
} verbs[] = {
	{ "info", cmd_info, "print a trace's metadata without analysing it", check_info },
	{ "diff", cmd_diff, "compare two traces: before and after a change", ana_diff_check },
};

static int usage_error(const char *msg)
{
	fprintf(stderr, "ebpf-analyze: %s\nTry 'ebpf-analyze --help'.\n", msg);
	return 2;
}

static void resolve(struct ana_opts *o)
{
	if (o->verbosity < 0)
		log_set_level(LOG_ERROR);
	else if (o->verbosity > 0)
		log_set_level(o->verbosity > 1 ? LOG_DEBUG : LOG_INFO);
	o->use_color = o->color == ANA_COLOR_ALWAYS ||
		       (o->color == ANA_COLOR_AUTO && !o->output && isatty(STDOUT_FILENO) &&
			!getenv("NO_COLOR"));
}

int main(int argc, char **argv)
{
	const struct verb *v = &(const struct verb){ "", cmd_analyze, "", NULL };
	struct ana_opts o;
	char err[256] = "";
	int rc;

	log_init("ebpf-analyze", LOG_WARN);
	/* redact has options of its own: it rewrites a trace, it does not analyse */
	if (argc > 1 && !strcmp(argv[1], "redact"))
		return ana_redact_main(argc - 1, argv + 1);
	ana_opts_init(&o);
	for (size_t i = 0; argc > 1 && i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (!strcmp(argv[1], verbs[i].name)) {
			v = &verbs[i];
			argc--;
			argv++;
		}
	}
	rc = ana_opts_parse(&o, argc, argv, err, sizeof(err));
	if (rc == 1) {
		ana_usage(stdout);
		ana_opts_free(&o);
		return 0;
	}
	if (!rc)
		rc = ana_opts_validate(&o, err, sizeof(err));
	if (!rc && v->check)
		rc = v->check(&o, err, sizeof(err));
	if (rc) {
		ana_opts_free(&o);
		return usage_error(err);
	}
	resolve(&o);
	rc = ana_spool_inputs(&o);
	if (rc == -EINVAL) {		/* "-" twice, --follow on a pipe: said */
		ana_opts_free(&o);
		return 2;
	}
	if (!rc)
		rc = v->fn(&o);
	ana_opts_free(&o);
	return rc ? 1 : 0;
}
