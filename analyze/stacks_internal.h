/* SPDX-License-Identifier: MIT */
/* Internals of analyze/stacks*.c. */
#ifndef ANALYZE_STACKS_INTERNAL_H
#define ANALYZE_STACKS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/stacks.h"

/* An open-addressing table keyed by two u64s; entries move when it grows. */
struct ana_sent {
	uint64_t k1, k2;
	uint64_t a, b;		/* counters, or a value */
	void *p;		/* owned by the table's user */
	bool used;
};

struct ana_stab {
	struct ana_sent *ents;
	size_t cap, n;
};

struct ana_sent *ana_stab_get(const struct ana_stab *t, uint64_t k1, uint64_t k2);
/* The entry of (k1, k2), zeroed when new; NULL on ENOMEM. */
struct ana_sent *ana_stab_put(struct ana_stab *t, uint64_t k1, uint64_t k2);
void ana_stab_free(struct ana_stab *t);

struct ana_stk {
	uint32_t file, id, pid, depth;
	uint64_t *ips;		/* innermost first */
	char **names;		/* short names, innermost first; NULL until named */
	char **frames;		/* "func+0xoff (object)", innermost first */
	uint64_t key;		/* hash of the names: same code path, same key */
};

struct ana_ssym {
	char *name, *object;
	uint64_t offset;
};

/* Stacks of one syscall (kind 0) or category (kind 1) sharing their names. */
struct ana_sgroup {
	uint32_t kind, id;
	const struct ana_stk *rep;	/* one of them; NULL: stack record missing */
	uint64_t count, ns;
};

/* The frames of k (a stand-in when k is NULL or not named). */
void ana_stk_frames(const struct ana_stk *k, struct ana_frames *out);

struct ana_stacks {
	struct ana_stab stacks;	/* (file << 32 | id, 0) -> struct ana_stk */
	struct ana_stab syms;	/* (file << 32 | pid, addr) -> struct ana_ssym */
	struct ana_stab uses;	/* (file << 32 | stack, tid << 32 | sid << 2 | mode) */
	struct ana_stab events;	/* (file << 32 | tid, enter_ns) -> a = stack id */
	struct ana_stab gidx;	/* (kind << 32 | id, hash) -> b = group index + 1 */
	struct ana_sgroup *groups;
	size_t ngroups, cap_groups;
	uint64_t nmaps, nevents;
	bool dirty;		/* records or events since the last naming */
};

/* Names every frame and rebuilds the groups if anything changed. */
struct ana_engine;
void ana_stacks_prepare(const struct ana_engine *e);

#endif
