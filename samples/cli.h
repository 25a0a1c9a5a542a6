/* SPDX-License-Identifier: MIT */
/* Command-line pieces shared by the sample programs (serving, loadgen). */
#ifndef SAMPLES_CLI_H
#define SAMPLES_CLI_H

#include <getopt.h>
#include <stdbool.h>

/* Logs "invalid WHAT: 'ARG'" and returns -EINVAL, for an option parser to
 * hand back as its usage error. */
int sample_bad(const char *what, const char *arg);

/* Handles one option c of a sample (its argument arg) in ctx: 0 or -EINVAL,
 * the bad value already logged. */
typedef int sample_opt_fn(int c, const char *arg, void *ctx);

/*
 * Runs getopt_long() over argv (shortopts holds 'h'), handing each option but
 * --help to one(). A non-option argument is a usage error. 0, 1 for --help,
 * or -EINVAL (logged, or getopt's own message for an unknown option).
 */
int sample_getopt(int argc, char **argv, const char *shortopts,
		  const struct option *longopts, sample_opt_fn *one, void *ctx);

/*
 * What main() does with parse_args()'s result err (0 run, 1 --help, <0 a
 * usage error already logged): for 1 prints usage on stdout, for an error
 * "Try 'PROG --help'." on stderr. Returns true when main() should exit now
 * with *status (0 after the help, 2 after a usage error), false to run.
 */
bool sample_cli_done(int err, const char *prog, const char *usage, int *status);

#endif
