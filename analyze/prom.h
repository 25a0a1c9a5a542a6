/* SPDX-License-Identifier: MIT */
/*
 * Prometheus text exposition (format 0.0.4) of an engine's figures: the
 * `--report prometheus` writer, also rendered live by `--follow --listen`.
 * It reads only state the engine keeps current while events flow (per
 * syscall histograms, closed requests, counters), so it works on a finished
 * engine and on one still being fed. docs/METRICS.md lists every metric.
 */
#ifndef ANALYZE_PROM_H
#define ANALYZE_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/hist.h"

struct ana_engine;

/* The fixed bucket ladder, 100 ns .. 10 s in 1-2-5 steps (+Inf apart). */
#define ANA_PROM_NBOUNDS 25
extern const uint64_t ana_prom_bounds_ns[ANA_PROM_NBOUNDS];

/*
 * Cumulative counts of h at each ladder bound into cum[ANA_PROM_NBOUNDS].
 * An engine bucket [low, low + width) is counted at the first bound >= low:
 * every value <= L is in le=L, plus values in (L, L + width) of the one
 * engine bucket straddling L (width <= L / 128). Values the histogram could
 * not bucket (h->oom) appear only in +Inf (h->count).
 */
void ana_prom_ladder(const struct ana_hist *h, uint64_t *cum);

/* ns as exact decimal seconds, no trailing zeros ("0.0000001", "10").
 * Returns buf; len >= 32. */
const char *ana_prom_seconds(char *buf, size_t len, uint64_t ns);

/* Writes the exposition of e to f. 0 or -EIO. */
int ana_report_prom(const struct ana_engine *e, FILE *f);

/*
 * Writes the exposition to path the way node_exporter's textfile collector
 * wants it: into "path.tmp.PID" in the same directory, fsync, rename over
 * path, so a reader never sees a partial file. 0 or -errno (-EIO, -ENOMEM,
 * open/rename errors).
 */
int ana_prom_write_file(const struct ana_engine *e, const char *path);

/* Same, for an already rendered buffer. */
int ana_prom_write_buf(const char *path, const char *buf, size_t len);

#endif
