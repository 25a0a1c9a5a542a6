// SPDX-License-Identifier: MIT
/*
 * --stacks in user space: interning into dense ids, the cut at the first
 * frame outside every mapping, and symbolization of this very (PIE) test
 * binary through its own /proc/self/maps and ELF symbol table.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/rec_internal.h"

static volatile int sink;

__attribute__((noinline)) int stk_marker_a(int n);
__attribute__((noinline)) int stk_marker_b(int n);

__attribute__((noinline)) int stk_marker_a(int n)
{
	for (int i = 0; i < n; i++)
		sink += i * 3;
	return sink;
}

__attribute__((noinline)) int stk_marker_b(int n)
{
	for (int i = 0; i < n; i++)
		sink ^= i * 7;
	return sink;
}

static char dir[64], path[128];

static void setup(void)
{
	strcpy(dir, "/tmp/rec-stacks-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.ebt", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

struct seen {
	uint32_t stacks, depth[8], maps, syms, named_a, named_b, with_build_id;
	uint64_t off_a;
};

static void read_back(struct seen *out)
{
	struct ebt_reader *r;
	struct ebt_chunk c;
	int err;

	memset(out, 0, sizeof(*out));
	cr_assert_eq(ebt_reader_open(path, NULL, &r), 0);
	while ((err = ebt_reader_next(r, &c)) > 0) {
		for (size_t i = 0; i < c.n_records; i++) {
			const struct ebt_record *x = &c.records[i];

			if (x->kind == EBT_REC_STACK && x->stack.id < 8) {
				out->stacks++;
				out->depth[x->stack.id] = x->stack.depth;
			}
			out->maps += x->kind == EBT_REC_MAP;
			if (x->kind != EBT_REC_SYMBOL)
				continue;
			out->syms++;
			out->with_build_id += x->sym.build_id.len > 0;
			if (x->sym.name.len == 12 && !memcmp(x->sym.name.p, "stk_marker_a", 12)) {
				out->named_a++;
				out->off_a = x->sym.offset;
			}
			if (x->sym.name.len == 12 && !memcmp(x->sym.name.p, "stk_marker_b", 12))
				out->named_b++;
		}
	}
	cr_assert_eq(err, 0);
	ebt_reader_close(r);
}

Test(record_stacks, interns_cuts_and_names_own_functions, .init = setup, .fini = teardown)
{
	struct ebt_writer_opts wo = { .inline_io = true };
	uint64_t a = (uint64_t)(uintptr_t)&stk_marker_a + 5;
	uint64_t b = (uint64_t)(uintptr_t)&stk_marker_b + 6;
	uint64_t one[2] = { a, b }, two[2] = { b, a }, junk[3] = { a, 0x10, b };
	struct ebt_writer *w;
	struct rec_stacks *s;
	struct seen got;

	cr_assert_eq(ebt_writer_open(path, &wo, &w), 0);
	cr_assert_eq(rec_stacks_new(w, &s), 0);
	cr_expect_eq(rec_stacks_intern(s, (uint32_t)getpid(), 1, one, 2, NULL), 1);
	cr_expect_eq(rec_stacks_intern(s, (uint32_t)getpid(), 1, two, 2, NULL), 2);
	cr_expect_eq(rec_stacks_intern(s, (uint32_t)getpid(), 1, one, 2, NULL), 1, "deduplicated");
	cr_expect_eq(rec_stacks_intern(s, (uint32_t)getpid(), 1, junk, 3, NULL), 3);
	cr_expect_eq(rec_stacks_symbolize(s), 2, "one SYMBOL per distinct address");
	cr_expect_eq(rec_stacks_counters(s)->unnamed, 0);
	rec_stacks_free(s);
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
	read_back(&got);
	cr_expect_eq(got.stacks, 3);
	cr_expect_eq(got.depth[1], 2);
	cr_expect_eq(got.depth[3], 1, "cut at 0x10, outside every mapping");
	cr_expect_gt(got.maps, 0);
	cr_expect_eq(got.syms, 2);
	cr_expect_eq(got.named_a, 1);
	cr_expect_eq(got.named_b, 1);
	cr_expect_eq(got.off_a, 5, "offset from the function start, PIE or not");
	cr_expect_eq(got.with_build_id, 2, "the test binary has a GNU build id");
}

Test(record_stacks, caller_from_top_of_stack_only_after_a_call, .init = setup,
     .fini = teardown)
{
	struct ebt_writer_opts wo = { .inline_io = true };
	uint64_t inner = (uint64_t)(uintptr_t)&stk_marker_a + 5;
	uint64_t words[STACK_SP_WORDS] = { 0 };
	uint64_t ips[1] = { inner };
	struct ebt_writer *w;
	struct rec_stacks *s;
	struct seen got;
	uint64_t ra;

	/* A real return address: the call below returns right after it. */
	ra = (uint64_t)(uintptr_t)__builtin_return_address(0);
	words[0] = 0x1234;	/* data, not code */
	words[3] = ra;
	cr_assert_eq(ebt_writer_open(path, &wo, &w), 0);
	cr_assert_eq(rec_stacks_new(w, &s), 0);
	cr_expect_eq(rec_stacks_intern(s, (uint32_t)getpid(), 1, ips, 1, words), 1);
	words[3] = inner;	/* code, but not after a call */
	cr_expect_eq(rec_stacks_intern(s, (uint32_t)getpid(), 1, ips, 1, words), 2,
		     "no caller recovered: another stack");
	rec_stacks_free(s);
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
	read_back(&got);
	cr_expect_eq(got.stacks, 2);
	cr_expect_eq(got.depth[1], 2, "the caller was inserted as the second frame");
	cr_expect_eq(got.depth[2], 1);
}
