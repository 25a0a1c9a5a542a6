// SPDX-License-Identifier: MIT
/*
 * Stack tables: records of each file by (file, id) and (file, pid, addr),
 * per-event counts by (file, stack, tid, sid, mode), and the stack of each
 * stacked event by (file, tid, enter time) for outliers and requests.
 * Frames are named once, on the first query, since SYMBOL records come at
 * the end of a trace.
 */
#include "analyze/stacks.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/engine.h"
#include "analyze/stacks_internal.h"
#include "common/alloc.h"

#define EV_CAP (1u << 21)	/* stacked events remembered for outliers */
#define GROUP_CAP (1u << 20)

static uint64_t mix(uint64_t a, uint64_t b)
{
	uint64_t h = (a ^ 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;

	h ^= h >> 31;
	h = (h ^ b) * 0x94d049bb133111ebull;
	return h ^ h >> 29;
}

void ana_stab_free(struct ana_stab *t)
{
	free(t->ents);
	t->ents = NULL;
	t->cap = t->n = 0;
}

static int stab_grow(struct ana_stab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024, i, j;
	struct ana_sent *ents = alloc_array(cap, sizeof(*ents));

	if (!ents)
		return -ENOMEM;
	memset(ents, 0, cap * sizeof(*ents));
	for (i = 0; i < t->cap; i++) {
		if (!t->ents[i].used)
			continue;
		for (j = mix(t->ents[i].k1, t->ents[i].k2) & (cap - 1); ents[j].used;
		     j = (j + 1) & (cap - 1))
			;
		ents[j] = t->ents[i];
	}
	free(t->ents);
	t->ents = ents;
	t->cap = cap;
	return 0;
}

struct ana_sent *ana_stab_get(const struct ana_stab *t, uint64_t k1, uint64_t k2)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = mix(k1, k2) & (t->cap - 1); t->ents[i].used; i = (i + 1) & (t->cap - 1))
		if (t->ents[i].k1 == k1 && t->ents[i].k2 == k2)
			return &t->ents[i];
	return NULL;
}

struct ana_sent *ana_stab_put(struct ana_stab *t, uint64_t k1, uint64_t k2)
{
	struct ana_sent *s = ana_stab_get(t, k1, k2);
	size_t i;

	if (s)
		return s;
	if ((t->n + 1) * 2 > t->cap && stab_grow(t))
		return NULL;
	for (i = mix(k1, k2) & (t->cap - 1); t->ents[i].used; i = (i + 1) & (t->cap - 1))
		;
	s = &t->ents[i];
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->k1 = k1;
	s->k2 = k2;
	t->n++;
	return s;
}

static void free_stack(struct ana_stk *k)
{
	uint32_t i;

	if (!k)
		return;
	for (i = 0; i < k->depth; i++) {
		if (k->frames)
			free(k->frames[i]);
		if (k->names)
			free(k->names[i]);
	}
	free(k->frames);
	free(k->names);
	free(k->ips);
	free(k);
}

void ana_stacks_free(struct ana_stacks *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->stacks.cap; i++)
		if (s->stacks.ents[i].used)
			free_stack(s->stacks.ents[i].p);
	for (i = 0; i < s->syms.cap; i++) {
		if (!s->syms.ents[i].used)
			continue;
		free(((struct ana_ssym *)s->syms.ents[i].p)->name);
		free(((struct ana_ssym *)s->syms.ents[i].p)->object);
		free(s->syms.ents[i].p);
	}
	ana_stab_free(&s->stacks);
	ana_stab_free(&s->syms);
	ana_stab_free(&s->uses);
	ana_stab_free(&s->events);
	ana_stab_free(&s->gidx);
	free(s->groups);
	free(s);
}

static struct ana_stacks *get(struct ana_engine *e)
{
	if (!e->stacks)
		e->stacks = calloc(1, sizeof(*e->stacks));
	return e->stacks;
}

static char *dup_str(const struct ebt_str *s)
{
	char *p = malloc(s->len + 1);

	if (!p)
		return NULL;
	memcpy(p, s->p, s->len);
	p[s->len] = 0;
	return p;
}

static int on_stack(struct ana_stacks *s, uint32_t idx, const struct ebt_stack *r)
{
	struct ana_sent *ent;
	struct ana_stk *k;

	if (!r->id || r->depth > EBT_MAX_STACK_DEPTH)
		return 0;
	ent = ana_stab_put(&s->stacks, (uint64_t)idx << 32 | r->id, 0);
	if (!ent)
		return -ENOMEM;
	if (ent->p)
		return 0;	/* ids are unique in a file: keep the first */
	k = calloc(1, sizeof(*k));
	if (k)
		k->ips = alloc_array(r->depth ? r->depth : 1, sizeof(*k->ips));
	if (!k || !k->ips) {
		free(k);
		return -ENOMEM;
	}
	memcpy(k->ips, r->ips, r->depth * sizeof(*k->ips));
	k->file = idx;
	k->id = r->id;
	k->pid = r->pid;
	k->depth = r->depth;
	ent->p = k;
	s->dirty = true;
	return 0;
}

static int on_symbol(struct ana_stacks *s, uint32_t idx, const struct ebt_symbol *r)
{
	struct ana_sent *ent = ana_stab_put(&s->syms, (uint64_t)idx << 32 | r->pid, r->addr);
	struct ana_ssym *y;

	if (!ent)
		return -ENOMEM;
	if (ent->p)
		return 0;
	y = calloc(1, sizeof(*y));
	if (!y)
		return -ENOMEM;
	y->name = dup_str(&r->name);
	y->object = dup_str(&r->object);
	y->offset = r->offset;
	if (!y->name || !y->object) {
		free(y->name);
		free(y->object);
		free(y);
		return -ENOMEM;
	}
	ent->p = y;
	s->dirty = true;
	return 0;
}

int ana_stacks_record(struct ana_engine *e, uint32_t idx, const struct ebt_record *r)
{
	struct ana_stacks *s;

	if (r->kind != EBT_REC_STACK && r->kind != EBT_REC_SYMBOL && r->kind != EBT_REC_MAP)
		return 0;
	s = get(e);
	if (!s)
		return -ENOMEM;
	if (r->kind == EBT_REC_STACK)
		return on_stack(s, idx, &r->stack);
	if (r->kind == EBT_REC_SYMBOL)
		return on_symbol(s, idx, &r->sym);
	s->nmaps++;
	return 0;
}

void ana_stacks_event(struct ana_engine *e, const struct ana_ev_ctx *c)
{
	struct ana_stacks *s = get(e);
	uint32_t mode = c->idle ? 1 : c->req_id >= 0 ? 0 : 2;	/* enum ana_viz_mode */
	struct ana_sent *u, *ev;

	if (!s)
		return;
	u = ana_stab_put(&s->uses, (uint64_t)c->file << 32 | c->ev->stack_id,
			 (uint64_t)c->ev->tid << 32 | c->sid << 2 | mode);
	if (u) {
		u->a += c->w;
		u->b += c->ev->duration_ns * c->w;
	}
	s->nevents += c->w;
	if (s->events.n >= EV_CAP)
		return;
	ev = ana_stab_put(&s->events, (uint64_t)c->file << 32 | c->ev->tid, c->ev->enter_ns);
	if (ev)
		ev->a = c->ev->stack_id;
	s->dirty = true;
}

bool ana_stacks_any(const struct ana_engine *e)
{
	return e->stacks && e->stacks->stacks.n;
}
