// SPDX-License-Identifier: MIT
/*
 * --export folded: Brendan Gregg's folded stacks, one line per leaf,
 *   process (pid);thread (tid);request|idle|other;category;syscall NS
 * where NS is the syscall time in nanoseconds (weighted by the sample
 * rate). Syscalls recorded with their user stack (ebpf-record --stacks)
 * get its frames after the syscall, outermost first. The lines sum to the
 * report's total syscall time. Frames go through ana_esc_folded(): no name
 * can add a frame or a line.
 */
#include "analyze/viz.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "analyze/escape.h"
#include "analyze/stacks.h"

static void frame_id(FILE *f, const char *name, uint32_t id)
{
	ana_esc_folded(f, name, strlen(name));
	fprintf(f, " (%" PRIu32 ");", id);
}

struct leaf_ctx {
	const struct ana_engine *e;
	const struct ana_viz_leaf *l;
	FILE *f;
	uint64_t left;		/* ns of the leaf not written yet */
};

static void leaf_prefix(const struct leaf_ctx *c)
{
	const struct ana_thread *t = c->l->t;
	const struct ana_sys *s = c->e->sys[c->l->sid];

	frame_id(c->f, t->proc && t->proc->comm ? t->proc->comm : t->comm, t->pid);
	frame_id(c->f, t->comm, t->tid);
	fprintf(c->f, "%s;%s;", ana_viz_mode_name(c->l->mode), syscalls_category_name(s->cat));
	ana_esc_folded(c->f, s->name, strlen(s->name));
}

/* One stack of the leaf: its frames after the syscall, outermost first. */
static void stack_line(const struct ana_frames *fr, uint64_t ns, void *arg)
{
	struct leaf_ctx *c = arg;
	uint32_t i;

	if (ns > c->left)
		ns = c->left;
	if (!ns)
		return;
	c->left -= ns;
	leaf_prefix(c);
	for (i = fr->depth; i-- > 0;) {
		putc(';', c->f);
		ana_esc_folded(c->f, fr->names[i], strlen(fr->names[i]));
	}
	fprintf(c->f, " %" PRIu64 "\n", ns);
}

int ana_folded_write(struct ana_viz *v, const struct ana_engine *e, FILE *f)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct ana_viz_leaf *l = &v->leaves[i];
		struct leaf_ctx c = { e, l, f, l->ns };

		if (!l->ns)
			continue;
		ana_stacks_leaf(e, l->t->file, l->t->tid, l->mode, l->sid, stack_line, &c);
		if (!c.left)
			continue;
		leaf_prefix(&c);
		fprintf(f, " %" PRIu64 "\n", c.left);
	}
	if (v->dropped_ns)
		fprintf(f, "(not itemized: over %u thread/syscall pairs) %" PRIu64 "\n",
			ANA_VIZ_MAX_LEAVES, v->dropped_ns);
	return ferror(f) ? -EIO : 0;
}
