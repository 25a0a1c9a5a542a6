/* SPDX-License-Identifier: MIT */
/* What every ebpf-analyze command does around its writer: open the output
 * and say which inputs were damaged (run.c, viz_run.c, diff.c). */
#ifndef ANALYZE_OUTPUT_H
#define ANALYZE_OUTPUT_H

#include <stdio.h>

struct ana_engine;

/*
 * Opens path for writing (created or truncated), or gives stdout when path
 * is NULL. On failure logs "cannot create PATH: why", sets *out to stdout
 * (so the caller's one exit path can treat every FILE alike) and returns
 * -errno (-EACCES, -ENOENT, ...). The caller fcloses *out unless it is stdout.
 */
int ana_output_open(const char *path, FILE **out);

/* Warns once per damaged or torn input of e that "the WHAT covers the intact
 * part" (what: "report", "output"). */
void ana_output_warn_damage(const struct ana_engine *e, const char *what);

#endif
