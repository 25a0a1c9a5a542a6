/* SPDX-License-Identifier: MIT */
/*
 * ebpf-record: options, configuration and the entry points main() calls.
 * Everything else of record/ is in record/rec_internal.h.
 */
#ifndef RECORD_RECORD_H
#define RECORD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/syscall_event.h"

#define REC_VERSION "0.1.0"
#define REC_MAX_PIDS 64
#define REC_DEFAULT_BUFFER (8ull << 20)
#define REC_DEFAULT_STACK_MIN_NS 1000000ull	/* --stack-min-us 1000 */
#define REC_MIN_BUFFER (4096ull)
#define REC_MAX_BUFFER (1ull << 30)

/* Exit statuses besides 0/1/2 (launch mode mirrors the shell). */
#define REC_EXIT_OK 0
#define REC_EXIT_FAIL 1
#define REC_EXIT_USAGE 2
#define REC_EXIT_NOEXEC 126	/* command found but not executable */
#define REC_EXIT_NOTFOUND 127	/* command not found */

/*
 * Settings of one recording. Strings are owned (rec_opts_free() frees them);
 * cmd points into the argv given to rec_opts_parse() (borrowed: argv lives
 * as long as main()).
 */
struct rec_opts {
	char *output;
	char *config;
	char *syscalls;		/* "read,write,network" as given */
	char *user;		/* launch mode: run CMD as this user */
	char *args_text;	/* the command line, for FILE_INFO */
	uint32_t pids[REC_MAX_PIDS];
	size_t n_pids;
	bool follow;
	bool force;
	bool quiet;
	int verbose;
	uint64_t duration_ns;	/* 0: until stopped */
	uint64_t min_duration_ns;
	bool stacks;		/* --stacks: user stacks of slow syscalls */
	uint64_t stack_min_ns;	/* --stack-min-us */
	uint32_t sample_every;	/* 1: every syscall */
	uint64_t buffer_bytes;	/* ring buffer, a power of two */
	uint32_t mode;		/* permission bits of the trace */
	char **cmd;		/* NULL-terminated, or NULL in attach mode */
	/* filled by rec_opts_validate() */
	bool filter_syscalls;
	uint64_t allow[SYSCALL_ALLOW_WORDS];	/* kept whatever their fd */
	uint64_t allow_by_fd[SYSCALL_ALLOW_WORDS];	/* read, write...: kept when
						 * their fd's kind is in fd_kinds */
	uint32_t fd_kinds;		/* FDK_* (bpf/syscall_event.h) of the selected categories */
};

/* Defaults; never fails. */
void rec_opts_init(struct rec_opts *o);
void rec_opts_free(struct rec_opts *o);

/*
 * Parses the command line (argv[0] is the program) into o, which holds the
 * defaults. A --config FILE is loaded first, whatever its position, so that
 * options on the command line override it. Returns 0, 1 when --help or
 * --version was printed (exit 0), or -EINVAL after printing one line about
 * the mistake (exit 2). -ENOENT/-EIO... from the config file come back as
 * -EINVAL too, after their message.
 */
int rec_opts_parse(struct rec_opts *o, int argc, char **argv);

/*
 * Cross-checks the options and derives the syscall allowlist. Prints the
 * first problem and returns -EINVAL.
 */
int rec_opts_validate(struct rec_opts *o);

/*
 * Loads a YAML configuration (sections profiler, syscalls, filters, output,
 * analysis) into o. On failure returns -errno and writes "file:line: why"
 * into err (size errlen): -ENOENT/-EACCES the file, -EINVAL a bad value or
 * an unknown key (named with its line).
 */
int rec_config_load(struct rec_opts *o, const char *path, char *err, size_t errlen);

/*
 * Sets one option by its long name from text (shared by the command line
 * and the config file). -ENOENT unknown name, -EINVAL/-ERANGE bad value.
 */
int rec_opts_set(struct rec_opts *o, const char *name, const char *value);

/* Prints the help text to stdout. */
void rec_usage(void);

/* Records as o says; returns the process exit status. */
int rec_run(struct rec_opts *o);

/* Verbs: `ebpf-record check`, `ebpf-record info PID`; exit statuses. */
int rec_check_main(int argc, char **argv);
int rec_info_main(int argc, char **argv);

#endif
