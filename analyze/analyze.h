/* SPDX-License-Identifier: MIT */
/* The commands of ebpf-analyze: the full analysis and the `info` verb. */
#ifndef ANALYZE_ANALYZE_H
#define ANALYZE_ANALYZE_H

#include <stdio.h>

#include "analyze/opts.h"

struct ana_engine;

/*
 * Reads every input, merged by time, and writes the report(s) of opts.
 * 0 on success (a damaged trace still reports what is intact, with a
 * warning), or -errno: -ENOENT/-EACCES/... cannot open, -EBADMSG not a
 * trace, -EEXIST (--sqlite target exists), -EIO write error, -ENOMEM.
 */
int ana_run(const struct ana_opts *o);

/* Streams the inputs of o through a new engine and finishes it (no
 * report). For tests and the benchmark. *out is freed by the caller. */
int ana_analyze_files(const struct ana_opts *o, struct ana_engine **out);

/* `ebpf-analyze info`: metadata of each trace on f. 0 or -errno. */
int ana_info(const struct ana_opts *o, FILE *f);

/* Report writers. 0 or -EIO/-ENOMEM. */
int ana_report_json(const struct ana_engine *e, FILE *f);
int ana_report_text(const struct ana_engine *e, FILE *f, bool markdown, bool color);
/* One CSV table by name (syscalls, categories, requests, hotspots, outliers,
 * patterns, suggestions, processes, threads, fds, peers, windows, loss). */
int ana_report_csv(const struct ana_engine *e, FILE *f, const char *table);
/* Every table as DIR/<table>.csv. */
int ana_report_csv_dir(const struct ana_engine *e, const char *dir);
extern const char *const ana_csv_tables[];

#endif
