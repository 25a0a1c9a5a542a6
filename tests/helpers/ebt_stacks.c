// SPDX-License-Identifier: MIT
/*
 * ebt-stacks TRACE: the stacks of an .ebt trace, named from its own
 * SYMBOL records, independent of ebpf-analyze. Lines:
 *   stacks N, symbols N, maps N, unnamed N, build_ids N
 *   SYSCALL COUNT frame;frame;...   events with a stack, outermost frame
 *                                   first ("?" for an unnamed address)
 * The second kind is printed in no particular order: sort it to compare.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/syscalls.h"
#include "format/ebt.h"

#define MAX_STACKS 4096	/* test traces are small */
#define MAX_SYMS 262144
#define MAX_NR 1024

struct stk {
	uint32_t pid, depth;
	uint64_t *ips;
};

struct sym {
	uint32_t pid;
	uint64_t addr;
	char *name;
};

struct state {
	struct stk *stacks;		/* by id - 1 */
	struct sym *syms;
	size_t n_syms, n_maps, unnamed, build_ids;
	uint64_t (*uses)[MAX_NR];	/* [stack id - 1][nr] */
	char *names[MAX_NR];
};

static void on_record(struct state *s, const struct ebt_record *r)
{
	struct stk *k;

	if (r->kind == EBT_REC_SYSCALL && r->sys.nr < MAX_NR && !s->names[r->sys.nr])
		s->names[r->sys.nr] = strndup(r->sys.name.p, r->sys.name.len);
	if (r->kind == EBT_REC_STACK && r->stack.id && r->stack.id <= MAX_STACKS) {
		k = &s->stacks[r->stack.id - 1];
		free(k->ips);
		k->pid = r->stack.pid;
		k->depth = r->stack.depth;
		k->ips = calloc(k->depth ? k->depth : 1, sizeof(*k->ips));
		if (k->ips)
			memcpy(k->ips, r->stack.ips, k->depth * sizeof(*k->ips));
	}
	if (r->kind == EBT_REC_SYMBOL && s->n_syms < MAX_SYMS) {
		s->syms[s->n_syms].pid = r->sym.pid;
		s->syms[s->n_syms].addr = r->sym.addr;
		s->syms[s->n_syms].name = strndup(r->sym.name.p, r->sym.name.len);
		s->unnamed += !r->sym.name.len;
		s->n_syms++;
	}
	if (r->kind == EBT_REC_MAP) {
		s->n_maps++;
		s->build_ids += r->map.build_id.len > 0;
	}
}

static const char *sym_name(const struct state *s, uint32_t pid, uint64_t addr)
{
	size_t i;

	for (i = 0; i < s->n_syms; i++)
		if (s->syms[i].pid == pid && s->syms[i].addr == addr)
			return s->syms[i].name && *s->syms[i].name ? s->syms[i].name : "?";
	return "?";
}

static void print(const struct state *s)
{
	const struct stk *k;
	size_t i, n = 0;
	uint32_t nr, j;

	for (i = 0; i < MAX_STACKS; i++)
		n += s->stacks[i].ips != NULL;
	printf("stacks %zu\nsymbols %zu\nmaps %zu\nunnamed %zu\nbuild_ids %zu\n", n,
	       s->n_syms, s->n_maps, s->unnamed, s->build_ids);
	for (i = 0; i < MAX_STACKS; i++) {
		k = &s->stacks[i];
		for (nr = 0; nr < MAX_NR; nr++) {
			if (!s->uses[i][nr])
				continue;
			printf("%s %" PRIu64 " ", s->names[nr] ? s->names[nr] : "?",
			       s->uses[i][nr]);
			for (j = k->depth; j-- > 0;)
				printf("%s%s", sym_name(s, k->pid, k->ips[j]), j ? ";" : "\n");
			if (!k->depth)
				printf("\n");
		}
	}
}

/* Everything main() allocated: a sanitized build (make check) counts leaks. */
static void state_free(struct state *s)
{
	size_t i;

	for (i = 0; s->stacks && i < MAX_STACKS; i++)
		free(s->stacks[i].ips);
	for (i = 0; i < s->n_syms; i++)
		free(s->syms[i].name);
	for (i = 0; i < MAX_NR; i++)
		free(s->names[i]);
	free(s->stacks);
	free(s->syms);
	free(s->uses);
}

int main(int argc, char **argv)
{
	struct state s = { 0 };
	struct ebt_reader *r;
	struct ebt_chunk c;
	size_t i;
	int err;

	if (argc != 2) {
		fputs("usage: ebt-stacks TRACE\n", stderr);
		return 2;
	}
	s.stacks = calloc(MAX_STACKS, sizeof(*s.stacks));
	s.syms = calloc(MAX_SYMS, sizeof(*s.syms));
	s.uses = calloc(MAX_STACKS, sizeof(*s.uses));
	err = s.stacks && s.syms && s.uses ? ebt_reader_open(argv[1], NULL, &r) : -ENOMEM;
	if (err) {
		fprintf(stderr, "ebt-stacks: %s: %s\n", argv[1], strerror(-err));
		state_free(&s);
		return 1;
	}
	while ((err = ebt_reader_next(r, &c)) > 0) {
		for (i = 0; i < c.n_records; i++)
			on_record(&s, &c.records[i]);
		for (i = 0; i < c.n_events; i++)
			if (c.events[i].stack_id && c.events[i].stack_id <= MAX_STACKS &&
			    c.events[i].nr < MAX_NR)
				s.uses[c.events[i].stack_id - 1][c.events[i].nr]++;
	}
	ebt_reader_close(r);
	if (err < 0)
		fprintf(stderr, "ebt-stacks: %s: %s\n", argv[1], strerror(-err));
	else
		print(&s);
	state_free(&s);
	return err < 0 ? 1 : 0;
}
