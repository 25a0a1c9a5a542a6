/* SPDX-License-Identifier: MIT */
/*
 * The visual outputs: `--report html`, `--export perfetto|folded` and the
 * per-event sink behind them. The sink is hooked into the engine through
 * ana_opts.viz (like the SQLite sink) and aggregates while events flow, so
 * what the writers draw is bounded whatever the trace size:
 *  - time per (thread, request/idle/other, syscall): the flame graph and
 *    the folded stacks (at most ANA_VIZ_MAX_LEAVES leaves, the rest counted);
 *  - a heat map of event counts by time column and log2 latency row;
 *  - Perfetto: slices streamed to the output up to --max-events;
 *  - capture: the syscalls of a few chosen requests (the slowest ones),
 *    found again in a second pass over the inputs.
 */
#ifndef ANALYZE_VIZ_H
#define ANALYZE_VIZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/engine.h"

#define ANA_VIZ_MAX_LEAVES (1u << 20)
#define ANA_VIZ_HEAT_COLS 120
#define ANA_VIZ_HEAT_ROWS 36	/* row r: latency in [2^r, 2^(r+1)) ns, last open */
#define ANA_VIZ_CAP_EVENTS 400	/* syscalls kept per captured request */

enum ana_viz_mode { ANA_VIZ_REQUEST = 0, ANA_VIZ_IDLE, ANA_VIZ_OTHER };

enum {
	ANA_VIZ_FLAME = 1,	/* leaves + heat map */
	ANA_VIZ_PERFETTO = 2,
	ANA_VIZ_CAPTURE = 4,
};

struct ana_viz_leaf {
	const struct ana_thread *t;	/* NULL: free slot */
	uint32_t sid;
	uint32_t mode;
	uint64_t count, ns;		/* weighted by the sample rate */
};

struct ana_viz_ev {
	uint64_t ts, dur;
	int64_t ret;
	uint32_t sid;
	bool in_req;		/* attributed to the captured request */
};

struct ana_viz_req {
	struct ana_req r;	/* copy of the engine's slowest request */
	struct ana_viz_ev *ev;
	uint32_t n;
	uint64_t more;		/* events in its window past ANA_VIZ_CAP_EVENTS */
};

struct ana_pf;

struct ana_viz {
	unsigned int flags;
	/* flame leaves: open addressing on (thread, sid, mode) */
	struct ana_viz_leaf *leaves;
	size_t cap, n;
	uint64_t dropped_ns, dropped_count;
	/* heat map, wall clock */
	uint64_t heat[ANA_VIZ_HEAT_COLS][ANA_VIZ_HEAT_ROWS];
	uint64_t heat_base, heat_width;
	bool heat_set;
	/* Perfetto stream */
	struct ana_pf *pf;
	/* capture of chosen requests (second pass) */
	struct ana_viz_req *reqs;
	uint32_t nreqs;
};

/* A sink for flags. 0 or -ENOMEM. */
int ana_viz_new(unsigned int flags, struct ana_viz **out);
void ana_viz_free(struct ana_viz *v);

/* The engine's hook, per kept event (e->opts->viz is the sink). */
void ana_viz_event(struct ana_engine *e, const struct ana_ev_ctx *c);

/* Leaves sorted by process, thread, mode, category, syscall; NULL-free
 * slots removed. Invalidates the hash: call once, after the analysis. */
void ana_viz_sort_leaves(struct ana_viz *v, const struct ana_engine *e);

/* Index of the heat map column of wall (Unix ns), widening if needed. */
uint32_t ana_viz_heat_col(struct ana_viz *v, uint64_t wall);

/* "request", "idle", "other". */
const char *ana_viz_mode_name(uint32_t mode);

/* Perfetto (export_perfetto.c): begins the JSON on f (borrowed, stays
 * open), per-event slices, then process/thread names, request slices and
 * the note of the cap. 0 or -ENOMEM/-EIO. */
int ana_pf_begin(struct ana_viz *v, FILE *f, uint64_t max_events);
void ana_pf_event(struct ana_engine *e, struct ana_pf *pf, const struct ana_ev_ctx *c);
int ana_pf_finish(struct ana_viz *v, const struct ana_engine *e);
void ana_pf_free(struct ana_pf *pf);

/* Folded stacks of the leaves (export_folded.c), time in ns. 0 or -EIO. */
int ana_folded_write(struct ana_viz *v, const struct ana_engine *e, FILE *f);

/* The HTML report (report_html*.c). cap may be NULL (no request capture).
 * 0 or -EIO/-ENOMEM. */
int ana_report_html(struct ana_viz *v, const struct ana_engine *e, FILE *f);

/* Runs the analysis for --report html / --export (two passes for html:
 * the second captures the slowest requests' syscalls). 0 or -errno. */
int ana_viz_run(const struct ana_opts *o);

#endif
