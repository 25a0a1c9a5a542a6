/* SPDX-License-Identifier: MIT */
/*
 * User stacks of slow syscalls (ebpf-record --stacks): STACK, SYMBOL and
 * MAP records, per file, turned into named frames; the stacks behind each
 * hotspot, outlier and slow request.
 *
 * A frame is named by the trace's own SYMBOL records (the recorder resolved
 * it with the ELF symbol tables before it exited): "function", or
 * "[object]" when the address has no symbol, or "0x..." when not even its
 * mapping is known. Frames are listed outermost first. Stacks of the same
 * code path in several processes share their frame names and add up.
 */
#ifndef ANALYZE_STACKS_H
#define ANALYZE_STACKS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "format/ebt.h"

struct ana_engine;
struct ana_ev_ctx;
struct ana_stacks;

#define ANA_STACKS_TOP 3	/* stacks shown per hotspot */

/* Frame names of a stack, innermost first (names[depth - 1] is the
 * outermost); borrowed until ana_stacks_free(). Names are the trace's own
 * bytes: escape them for the output. */
struct ana_frames {
	const char *const *names;
	uint32_t depth;
};

/* One code path behind a hotspot. */
struct ana_stack_top {
	struct ana_frames fr;
	uint64_t count, ns;	/* weighted by the sample rate */
};

void ana_stacks_free(struct ana_stacks *s);

/* Feeds a STACK, SYMBOL or MAP record of file idx (others are ignored).
 * Creates e->stacks on first use. 0 or -ENOMEM. */
int ana_stacks_record(struct ana_engine *e, uint32_t idx, const struct ebt_record *r);

/* Counts an event that has a stack (c->ev->stack_id != 0). Never fails:
 * memory exhaustion only leaves the event out of the stack tables. */
void ana_stacks_event(struct ana_engine *e, const struct ana_ev_ctx *c);

/* Whether the trace holds any stack. */
bool ana_stacks_any(const struct ana_engine *e);

/* Top stacks (by time) of syscall sid, or of category cat when is_cat,
 * counting what the hotspots count (in-request calls when requests were
 * rebuilt, else calls not idle); up to max into out, returns the count.
 * The number of such calls with a stack into *with_count (may be NULL). */
uint32_t ana_stacks_top(const struct ana_engine *e, bool is_cat, uint32_t id,
			struct ana_stack_top *out, uint32_t max, uint64_t *with_count);

/* The stack of the event of thread tid of file that entered at ts into
 * *out; false when it has none. */
bool ana_stacks_of_event(const struct ana_engine *e, uint32_t file, uint32_t tid, uint64_t ts,
			 struct ana_frames *out);

/* Stacks of (file, tid, mode, sid) for the folded export: calls
 * fn(frames, ns, arg) for each, returns the ns they cover. */
typedef void (*ana_stacks_leaf_fn)(const struct ana_frames *fr, uint64_t ns, void *arg);
uint64_t ana_stacks_leaf(const struct ana_engine *e, uint32_t file, uint32_t tid,
			 uint32_t mode, uint32_t sid, ana_stacks_leaf_fn fn, void *arg);

/* Frames of one stack as "func+0xoff (object)", innermost first, for
 * SQLite: calls fn for every stack of every file. 0 or the first error. */
typedef int (*ana_stacks_each_fn)(uint32_t file, uint32_t stack_id, uint32_t depth,
				  const char *const *frames, void *arg);
int ana_stacks_each(const struct ana_engine *e, ana_stacks_each_fn fn, void *arg);

/* "Top stacks" section of the text and Markdown reports; nothing when the
 * trace has no stack. */
void ana_stacks_report_text(const struct ana_engine *e, FILE *f, bool md, bool color);

#endif
