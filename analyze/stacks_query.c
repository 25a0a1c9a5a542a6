// SPDX-License-Identifier: MIT
/* Naming frames and answering the reports' questions about stacks. */
#include "analyze/stacks.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/engine.h"
#include "analyze/stacks_internal.h"
#include "common/alloc.h"

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b && b[1] ? b + 1 : path;
}

static const struct ana_ssym *sym_of(const struct ana_stacks *s, const struct ana_stk *k,
				     uint64_t addr)
{
	const struct ana_sent *ent = ana_stab_get(&s->syms, (uint64_t)k->file << 32 | k->pid,
						  addr);

	return ent ? ent->p : NULL;
}

/* Folded name: the function, else [object], else the address. */
static int short_name(const struct ana_ssym *y, uint64_t addr, char *buf, size_t len)
{
	if (y && y->name[0])
		return snprintf(buf, len, "%s", y->name);
	if (y && y->object[0])
		return snprintf(buf, len, "[%s]", base_name(y->object));
	return snprintf(buf, len, "0x%" PRIx64, addr);
}

static char *long_name(const struct ana_ssym *y, uint64_t addr)
{
	char *p = NULL;
	int n;

	if (y && y->name[0])
		n = asprintf(&p, "%s+0x%" PRIx64 " (%s)", y->name, y->offset, y->object);
	else if (y && y->object[0])
		n = asprintf(&p, "0x%" PRIx64 " (%s)", addr, y->object);
	else
		n = asprintf(&p, "0x%" PRIx64, addr);
	return n < 0 ? NULL : p;
}

static uint64_t hash_names(char *const *names, uint32_t depth)
{
	uint64_t h = 1469598103934665603ull;
	const char *p;
	uint32_t i;

	for (i = 0; i < depth; i++) {
		for (p = names[i] ? names[i] : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		h = (h ^ 0x100) * 1099511628211ull;	/* a separator no byte equals */
	}
	return h | 1;	/* 0 is the per-target total */
}

static void name_stack(const struct ana_stacks *s, struct ana_stk *k)
{
	char buf[512];
	uint32_t i;

	if (!k->frames)
		k->frames = calloc(k->depth ? k->depth : 1, sizeof(*k->frames));
	if (!k->names)
		k->names = calloc(k->depth ? k->depth : 1, sizeof(*k->names));
	if (!k->frames || !k->names)
		return;
	for (i = 0; i < k->depth; i++) {
		const struct ana_ssym *y = sym_of(s, k, k->ips[i]);

		free(k->frames[i]);
		free(k->names[i]);
		k->frames[i] = long_name(y, k->ips[i]);
		short_name(y, k->ips[i], buf, sizeof(buf));
		k->names[i] = strdup(buf);
	}
	k->key = hash_names(k->names, k->depth);
}

void ana_stk_frames(const struct ana_stk *k, struct ana_frames *out)
{
	static const char *const missing[] = { "(stack record missing)" };

	if (k && k->names) {
		out->names = (const char *const *)k->names;
		out->depth = k->depth;
	} else {
		out->names = missing;
		out->depth = 1;
	}
}

static void group_add(struct ana_stacks *s, uint32_t kind, uint32_t id,
		      const struct ana_stk *k, uint64_t count, uint64_t ns)
{
	uint64_t key = (uint64_t)kind << 32 | id;
	struct ana_sent *tot = ana_stab_put(&s->gidx, key, 0);
	struct ana_sent *g = ana_stab_put(&s->gidx, key, k && k->names ? k->key : 1);
	struct ana_sgroup *gr;

	if (tot)
		tot->a += count;
	if (!g)
		return;
	if (!g->b) {
		if (s->ngroups >= (1u << 20) ||
		    alloc_grow((void **)&s->groups, &s->cap_groups, s->ngroups + 1,
			       sizeof(*s->groups)))
			return;
		gr = &s->groups[s->ngroups];
		memset(gr, 0, sizeof(*gr));
		gr->kind = kind;
		gr->id = id;
		gr->rep = k && k->names ? k : NULL;
		g->b = ++s->ngroups;
	}
	s->groups[g->b - 1].count += count;
	s->groups[g->b - 1].ns += ns;
}

static void regroup(const struct ana_engine *e, struct ana_stacks *s)
{
	const struct ana_sent *u, *ent;
	const struct ana_stk *k;
	uint32_t sid, mode;
	size_t i;

	s->ngroups = 0;
	ana_stab_free(&s->gidx);
	for (i = 0; i < s->uses.cap; i++) {
		u = &s->uses.ents[i];
		if (!u->used)
			continue;
		ent = ana_stab_get(&s->stacks, u->k1, 0);
		k = ent ? ent->p : NULL;
		sid = (uint32_t)u->k2 >> 2;
		mode = (uint32_t)u->k2 & 3;
		/* the hotspots' own basis: in-request time, else non-idle time */
		if (sid >= e->nsys || mode == 1 || (e->hot_in_request && mode != 0))
			continue;
		group_add(s, 0, sid, k, u->a, u->b);
		group_add(s, 1, e->sys[sid]->cat, k, u->a, u->b);
	}
}

void ana_stacks_prepare(const struct ana_engine *e)
{
	struct ana_stacks *s = e->stacks;
	size_t i;

	if (!s || !s->dirty)
		return;
	for (i = 0; i < s->stacks.cap; i++)
		if (s->stacks.ents[i].used && s->stacks.ents[i].p)
			name_stack(s, s->stacks.ents[i].p);
	regroup(e, s);
	s->dirty = false;
}

uint32_t ana_stacks_top(const struct ana_engine *e, bool is_cat, uint32_t id,
			struct ana_stack_top *out, uint32_t max, uint64_t *with_count)
{
	const struct ana_stacks *s = e->stacks;
	const struct ana_sent *tot;
	struct ana_stack_top t;
	uint32_t n = 0, j;
	size_t i;

	if (with_count)
		*with_count = 0;
	if (!s)
		return 0;
	ana_stacks_prepare(e);
	tot = ana_stab_get(&s->gidx, (uint64_t)is_cat << 32 | id, 0);
	if (with_count && tot)
		*with_count = tot->a;
	for (i = 0; tot && i < s->ngroups; i++) {
		const struct ana_sgroup *g = &s->groups[i];

		if (g->kind != (uint32_t)is_cat || g->id != id)
			continue;
		ana_stk_frames(g->rep, &t.fr);
		t.count = g->count;
		t.ns = g->ns;
		/* insertion into the top max, largest time first */
		for (j = n < max ? n++ : max; j > 0 && out[j - 1].ns < g->ns; j--)
			if (j < max)
				out[j] = out[j - 1];
		if (j < max)
			out[j] = t;
	}
	return n;
}

bool ana_stacks_of_event(const struct ana_engine *e, uint32_t file, uint32_t tid, uint64_t ts,
			 struct ana_frames *out)
{
	const struct ana_stacks *s = e->stacks;
	const struct ana_sent *ev, *st;

	if (!s)
		return false;
	ana_stacks_prepare(e);
	ev = ana_stab_get(&s->events, (uint64_t)file << 32 | tid, ts);
	if (!ev)
		return false;
	st = ana_stab_get(&s->stacks, (uint64_t)file << 32 | ev->a, 0);
	ana_stk_frames(st ? st->p : NULL, out);
	return true;
}

uint64_t ana_stacks_leaf(const struct ana_engine *e, uint32_t file, uint32_t tid,
			 uint32_t mode, uint32_t sid, ana_stacks_leaf_fn fn, void *arg)
{
	const struct ana_stacks *s = e->stacks;
	const struct ana_sent *u, *st;
	uint64_t k2 = (uint64_t)tid << 32 | sid << 2 | mode, ns = 0;
	struct ana_frames fr;
	size_t i;

	if (!s || !s->uses.n)
		return 0;
	ana_stacks_prepare(e);
	if (!ana_stab_get(&s->gidx, sid, 0))
		return 0;	/* the common case: no stack for this syscall */
	for (i = 0; i < s->uses.cap; i++) {
		u = &s->uses.ents[i];
		if (!u->used || u->k2 != k2 || u->k1 >> 32 != file)
			continue;
		st = ana_stab_get(&s->stacks, u->k1, 0);
		ana_stk_frames(st ? st->p : NULL, &fr);
		fn(&fr, u->b, arg);
		ns += u->b;
	}
	return ns;
}

int ana_stacks_each(const struct ana_engine *e, ana_stacks_each_fn fn, void *arg)
{
	const struct ana_stacks *s = e->stacks;
	const struct ana_stk *k;
	size_t i;
	int err;

	if (!s)
		return 0;
	ana_stacks_prepare(e);
	for (i = 0; i < s->stacks.cap; i++) {
		k = s->stacks.ents[i].used ? s->stacks.ents[i].p : NULL;
		if (!k || !k->frames)
			continue;
		err = fn(k->file, k->id, k->depth, (const char *const *)k->frames, arg);
		if (err)
			return err;
	}
	return 0;
}
