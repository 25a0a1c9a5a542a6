/* SPDX-License-Identifier: MIT */
/* Traces that arrive on a pipe ("-" for stdin, ssh ... | ebpf-analyze -,
 * <(...)): the reader seeks, so they are copied once into an unnamed
 * temporary file first. */
#ifndef ANALYZE_SPOOL_H
#define ANALYZE_SPOOL_H

#include "analyze/opts.h"

/*
 * For every input that is "-" or not a regular file, copies it into an
 * unnamed file in $TMPDIR (default /tmp) and points o->open_path[i] at it
 * (o->inputs[i], the name reports show, stays; "-" becomes "(stdin)").
 * Regular files are left alone. Returns 0; -EINVAL after logging for
 * --follow on a pipe or "-" given twice; -errno when a copy fails.
 */
int ana_spool_inputs(struct ana_opts *o);

/* The path the reader opens for input i. */
static inline const char *ana_input_path(const struct ana_opts *o, uint32_t i)
{
	return o->open_path[i] ? o->open_path[i] : o->inputs[i];
}

#endif
