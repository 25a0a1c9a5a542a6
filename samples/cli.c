// SPDX-License-Identifier: MIT
/* Command-line pieces shared by the sample programs. */
#include "samples/cli.h"

#include <errno.h>
#include <stdio.h>

#include "common/log.h"

int sample_bad(const char *what, const char *arg)
{
	log_error("invalid %s: '%s'", what, arg);
	return -EINVAL;
}

int sample_getopt(int argc, char **argv, const char *shortopts,
		  const struct option *longopts, sample_opt_fn *one, void *ctx)
{
	int c, err = 0;

	while (!err && (c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		err = c == 'h' ? 1 : c == '?' ? -EINVAL : one(c, optarg, ctx);
	if (!err && optind < argc)
		err = sample_bad("argument", argv[optind]);
	return err;
}

bool sample_cli_done(int err, const char *prog, const char *usage, int *status)
{
	if (err == 1) {
		fputs(usage, stdout);
		*status = 0;
		return true;
	}
	if (err) {
		fprintf(stderr, "Try '%s --help'.\n", prog);
		*status = 2;
		return true;
	}
	return false;
}
