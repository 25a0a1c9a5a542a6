// SPDX-License-Identifier: MIT
/* The per-event sink of the visual outputs: flame leaves, heat map, capture. */
#include "analyze/viz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/log.h"

int ana_viz_new(unsigned int flags, struct ana_viz **out)
{
	struct ana_viz *v = calloc(1, sizeof(*v));

	*out = NULL;
	if (!v)
		return -ENOMEM;
	v->flags = flags;
	v->heat_width = 10000000ull;	/* 10 ms columns, doubled as needed */
	if (flags & ANA_VIZ_FLAME) {
		v->cap = 4096;
		v->leaves = alloc_array(v->cap, sizeof(*v->leaves));
		if (!v->leaves) {
			free(v);
			return -ENOMEM;
		}
	}
	*out = v;
	return 0;
}

void ana_viz_free(struct ana_viz *v)
{
	if (!v)
		return;
	for (uint32_t i = 0; i < v->nreqs; i++)
		free(v->reqs[i].ev);
	free(v->reqs);
	free(v->leaves);
	ana_pf_free(v->pf);
	free(v);
}

const char *ana_viz_mode_name(uint32_t mode)
{
	static const char *const names[] = { "request", "idle", "other" };

	return mode < 3 ? names[mode] : "?";
}

static size_t leaf_hash(const struct ana_thread *t, uint32_t sid, uint32_t mode)
{
	uint64_t h = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)sid << 2 | mode) * 0xc2b2ae3d27d4eb4full;
	return (size_t)(h ^ (h >> 29));
}

static struct ana_viz_leaf *leaf_slot(struct ana_viz_leaf *tab, size_t cap,
				      const struct ana_thread *t, uint32_t sid, uint32_t mode)
{
	size_t i = leaf_hash(t, sid, mode) & (cap - 1);

	while (tab[i].t && (tab[i].t != t || tab[i].sid != sid || tab[i].mode != mode))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int leaves_grow(struct ana_viz *v)
{
	size_t ncap = v->cap * 2;
	struct ana_viz_leaf *tab = alloc_array(ncap, sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < v->cap; i++) {
		if (v->leaves[i].t)
			*leaf_slot(tab, ncap, v->leaves[i].t, v->leaves[i].sid,
				   v->leaves[i].mode) = v->leaves[i];
	}
	free(v->leaves);
	v->leaves = tab;
	v->cap = ncap;
	return 0;
}

static void leaf_add(struct ana_viz *v, const struct ana_ev_ctx *c, uint64_t ns)
{
	uint32_t mode = c->idle ? ANA_VIZ_IDLE : c->req_id >= 0 ? ANA_VIZ_REQUEST
								 : ANA_VIZ_OTHER;
	struct ana_viz_leaf *l = leaf_slot(v->leaves, v->cap, c->t, c->sid, mode);

	if (!l->t) {
		bool full = v->n >= ANA_VIZ_MAX_LEAVES;

		if (!full && v->n + 1 > v->cap / 2) {
			full = leaves_grow(v) != 0;
			l = leaf_slot(v->leaves, v->cap, c->t, c->sid, mode);
		}
		if (full) {
			if (!v->dropped_count)
				log_warn("html/folded: more than %u (thread, syscall) pairs; "
					 "the rest is counted but not drawn", ANA_VIZ_MAX_LEAVES);
			v->dropped_ns += ns;
			v->dropped_count += c->w;
			return;
		}
		l->t = c->t;
		l->sid = c->sid;
		l->mode = mode;
		v->n++;
	}
	l->count += c->w;
	l->ns += ns;
}

uint32_t ana_viz_heat_col(struct ana_viz *v, uint64_t wall)
{
	uint64_t col;

	if (!v->heat_set) {
		v->heat_base = wall - wall % 1000000ull;
		v->heat_set = true;
	}
	if (wall < v->heat_base)
		return 0;
	col = (wall - v->heat_base) / v->heat_width;
	while (col >= ANA_VIZ_HEAT_COLS && v->heat_width <= UINT64_MAX / 2) {
		for (uint32_t i = 0; i < ANA_VIZ_HEAT_COLS; i++) {
			for (uint32_t r = 0; r < ANA_VIZ_HEAT_ROWS; r++) {
				uint64_t x = i < ANA_VIZ_HEAT_COLS / 2 ?
					v->heat[2 * i][r] + v->heat[2 * i + 1][r] : 0;

				v->heat[i][r] = x;
			}
		}
		v->heat_width *= 2;
		col = (wall - v->heat_base) / v->heat_width;
	}
	return col < ANA_VIZ_HEAT_COLS ? (uint32_t)col : ANA_VIZ_HEAT_COLS - 1;
}

static uint32_t heat_row(uint64_t ns)
{
	uint32_t r = ns ? 63u - (uint32_t)__builtin_clzll(ns) : 0;

	return r < ANA_VIZ_HEAT_ROWS ? r : ANA_VIZ_HEAT_ROWS - 1;
}

static void capture(struct ana_viz *v, const struct ana_ev_ctx *c)
{
	const struct ebt_event *ev = c->ev;

	for (uint32_t i = 0; i < v->nreqs; i++) {
		struct ana_viz_req *q = &v->reqs[i];
		bool mine = c->req_id == q->r.id;

		if (!mine && (c->file != q->r.file || ev->tid != q->r.tid ||
			      ev->enter_ns < q->r.start_ts || ev->enter_ns > q->r.end_ts))
			continue;
		if (q->n >= ANA_VIZ_CAP_EVENTS) {
			q->more++;
			continue;
		}
		q->ev[q->n++] = (struct ana_viz_ev){ ev->enter_ns, ev->duration_ns, ev->ret,
						     c->sid, mine };
	}
}

void ana_viz_event(struct ana_engine *e, const struct ana_ev_ctx *c)
{
	struct ana_viz *v = e->opts->viz;
	uint64_t wall;

	if (v->flags & ANA_VIZ_FLAME) {
		leaf_add(v, c, c->ev->duration_ns * c->w);
		wall = c->ev->enter_ns + (uint64_t)e->files[c->file].wall_off;
		v->heat[ana_viz_heat_col(v, wall)][heat_row(c->ev->duration_ns)] += c->w;
	}
	if (v->flags & ANA_VIZ_CAPTURE)
		capture(v, c);
	if (v->pf)
		ana_pf_event(e, v->pf, c);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int leaf_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct ana_viz_leaf *a = pa, *b = pb;
	const struct ana_engine *e = ctx;
	int c;

	c = cmp_u64(a->t->file, b->t->file);
	if (!c)
		c = cmp_u64(a->t->pid, b->t->pid);
	if (!c)
		c = cmp_u64(a->t->tid, b->t->tid);
	if (!c)
		c = cmp_u64(a->mode, b->mode);
	if (!c)
		c = cmp_u64(e->sys[a->sid]->cat, e->sys[b->sid]->cat);
	if (!c)
		c = strcmp(e->sys[a->sid]->name, e->sys[b->sid]->name);
	return c;
}

void ana_viz_sort_leaves(struct ana_viz *v, const struct ana_engine *e)
{
	size_t n = 0;

	for (size_t i = 0; i < v->cap; i++) {
		if (v->leaves[i].t)
			v->leaves[n++] = v->leaves[i];
	}
	v->n = n;
	qsort_r(v->leaves, n, sizeof(*v->leaves), leaf_cmp, (void *)e);
}
