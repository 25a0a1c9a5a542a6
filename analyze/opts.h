/* SPDX-License-Identifier: MIT */
/*
 * ebpf-analyze options: defaults, command-line parsing, validation and the
 * `analysis` section of the YAML config. Parsing never prints; errors carry
 * a one-line message for the caller.
 */
#ifndef ANALYZE_OPTS_H
#define ANALYZE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ana_report {
	ANA_REPORT_TEXT = 0, ANA_REPORT_MD, ANA_REPORT_JSON, ANA_REPORT_CSV, ANA_REPORT_HTML,
	ANA_REPORT_PROM
};
/* --export: a timeline or stack file instead of the report. */
enum ana_export { ANA_EXPORT_NONE = 0, ANA_EXPORT_PERFETTO, ANA_EXPORT_FOLDED };
enum ana_req_method {
	ANA_REQ_AUTO = 0, ANA_REQ_CONNECTION = 1, ANA_REQ_THREAD = 2, ANA_REQ_NONE = 3
};
enum ana_color { ANA_COLOR_AUTO = 0, ANA_COLOR_ALWAYS, ANA_COLOR_NEVER };

#define ANA_MAX_FILTER 64

/* A --since/--until bound: absolute wall clock or offset from trace start. */
struct ana_time_bound {
	bool set, relative;
	uint64_t ns;		/* Unix-epoch ns, or offset ns */
};

struct ana_viz;

struct ana_opts {
	enum ana_report report;
	enum ana_export export_fmt;
	uint64_t max_events;	/* --max-events: Perfetto slices written */
	/* Per-event sink of the HTML report and the exports, set by
	 * ana_viz_run() on its own copy of the options, never by the CLI. */
	struct ana_viz *viz;
	const char *output;	/* NULL: stdout */
	const char *csv_dir;
	const char *sqlite;
	bool follow;		/* --follow: the trace is still being written */
	const char *listen;	/* --listen ADDR:PORT, NULL: no server */
	bool linger_set;
	uint32_t linger_s;	/* --linger: serve the final figures this long */
	bool force;
	uint32_t pids[ANA_MAX_FILTER], npids;
	uint32_t tids[ANA_MAX_FILTER], ntids;
	const char *comms[ANA_MAX_FILTER];
	uint32_t ncomms;
	const char *syscalls[ANA_MAX_FILTER];
	uint32_t nsyscalls;
	struct ana_time_bound since, until;
	uint64_t slow_threshold_ns;	/* 0: off */
	uint32_t top;
	enum ana_req_method requests;
	uint64_t request_timeout_ns;
	const char *config;
	int verbosity;		/* -1 quiet, 0 normal, 1+ verbose */
	enum ana_color color;
	bool use_color;		/* resolved */
	const char *inputs[64];	/* as given: what reports call them */
	uint32_t ninputs;
	/* ana_spool_inputs(): inputs read from a pipe, copied to a file */
	const char *open_path[64];	/* NULL: open inputs[i] itself */
	char spool_path[64][32];
	int spool_fd[64];		/* -1: none */
	char *owned[2 * ANA_MAX_FILTER];	/* strings from the config file */
	uint32_t nowned;
};

void ana_opts_init(struct ana_opts *o);
void ana_opts_free(struct ana_opts *o);

/*
 * Parses argv (after the program name and any verb) into o.
 * Returns 0, 1 when --help was asked, or -EINVAL with a one-line reason in
 * err (usage error). Config-file values are applied first, so the command
 * line wins.
 */
int ana_opts_parse(struct ana_opts *o, int argc, char **argv, char *err, size_t errlen);

/* Checks combinations (inputs given, csv needs -o or --csv-dir, ...) and
 * that a --listen address parses and resolves. 0 or -EINVAL with err (a
 * usage error). */
int ana_opts_validate(const struct ana_opts *o, char *err, size_t errlen);

/* Reads the `analysis` mapping of a YAML file into o; other sections are
 * ignored. 0, -ENOENT/-errno (cannot open), -EINVAL (bad YAML or value,
 * err says which). */
int ana_config_load(struct ana_opts *o, const char *path, char *err, size_t errlen);

/* Applies one config/CLI setting by long-option name (shared by both). */
int ana_opts_set(struct ana_opts *o, const char *name, const char *value, char *err,
		 size_t errlen);

/* "2026-11-23T16:00:00[.frac][Z]" (UTC) or "+5s"/"+1.5m"/"+200ms". */
int ana_parse_time_bound(const char *s, struct ana_time_bound *out);

const char *ana_req_method_name(enum ana_req_method m);

/* The --help text. */
void ana_usage(FILE *f);

#endif
