// SPDX-License-Identifier: MIT
/*
 * --export folded: Brendan Gregg's folded stacks, one line per leaf,
 *   process (pid);thread (tid);request|idle|other;category;syscall NS
 * where NS is the syscall time in nanoseconds (weighted by the sample
 * rate). The lines sum to the report's total syscall time. Frames go
 * through ana_esc_folded(): no name can add a frame or a line.
 */
#include "analyze/viz.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "analyze/escape.h"

static void frame_id(FILE *f, const char *name, uint32_t id)
{
	ana_esc_folded(f, name, strlen(name));
	fprintf(f, " (%" PRIu32 ");", id);
}

int ana_folded_write(struct ana_viz *v, const struct ana_engine *e, FILE *f)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct ana_viz_leaf *l = &v->leaves[i];
		const struct ana_thread *t = l->t;
		const struct ana_sys *s = e->sys[l->sid];

		if (!l->ns)
			continue;
		frame_id(f, t->proc && t->proc->comm ? t->proc->comm : t->comm, t->pid);
		frame_id(f, t->comm, t->tid);
		fprintf(f, "%s;%s;", ana_viz_mode_name(l->mode),
			syscalls_category_name(s->cat));
		ana_esc_folded(f, s->name, strlen(s->name));
		fprintf(f, " %" PRIu64 "\n", l->ns);
	}
	if (v->dropped_ns)
		fprintf(f, "(not itemized: over %u thread/syscall pairs) %" PRIu64 "\n",
			ANA_VIZ_MAX_LEAVES, v->dropped_ns);
	return ferror(f) ? -EIO : 0;
}
