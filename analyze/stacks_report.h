/* SPDX-License-Identifier: MIT */
/* Report pieces of analyze/stacks_report.c beyond analyze/stacks.h. */
#ifndef ANALYZE_STACKS_REPORT_H
#define ANALYZE_STACKS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/stacks.h"

struct ana_engine;
struct ana_jw;
struct ana_req;

/* The stack of the slowest syscall of request q into *out (its sid into
 * *sid); false when it has none. */
bool ana_stacks_of_request(const struct ana_engine *e, const struct ana_req *q, uint32_t *sid,
			   struct ana_frames *out);

/* The "stacks" CSV table: context (hotspot, outlier, request), ref (hotspot
 * rank, outlier index, request id), name, count, total_ns, frames. */
void ana_stacks_report_csv(FILE *f, const struct ana_engine *e);

/* Frames in the stack of (file, stack_id), 0 unknown. */
uint32_t ana_stacks_depth(const struct ana_engine *e, uint32_t file, uint32_t stack_id);

/* Perfetto / Trace Event Format: the ',"stackFrames":{...}' member (frame
 * ids f<file>s<stack>d<level>, level 0 outermost), nothing without stacks;
 * events point at their innermost frame with "sf". */
void ana_stacks_perfetto_frames(FILE *f, const struct ana_engine *e);

/* The "Top stacks" section of the HTML report, nothing without stacks. */
void ana_stacks_report_html(FILE *f, const struct ana_engine *e);

/* The "stacks" member of the JSON report (docs/REPORT.md). */
void ana_stacks_report_json(struct ana_jw *w, const struct ana_engine *e);

#endif
