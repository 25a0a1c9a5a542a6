// SPDX-License-Identifier: MIT
/* Categories follow the descriptor: read()/write() on a socket is network
 * time, on a pipe or eventfd IPC, on a file file I/O; and the small-writes
 * suggestion needs bursts, not one tiny write per response. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/engine_sql.h"
#include "analyze/report_util.h"
#include "tests/unit/analyze/util.h"

static void check_categories(const struct tctx *c)
{
	const struct ana_engine *e = c->e;
	const struct gen_truth *t = &c->truth;
	uint64_t req_total = 0;

	for (int k = 0; k < SC__COUNT; k++) {
		cr_assert_eq(e->cat_h[k].count, t->cat_count[k], "%s count %llu want %llu",
			     syscalls_category_name(k), (unsigned long long)e->cat_h[k].count,
			     (unsigned long long)t->cat_count[k]);
		cr_assert_eq(e->cat_h[k].total, t->cat_ns[k], "%s ns",
			     syscalls_category_name(k));
		cr_assert_eq(e->cat_req_ns[k], t->cat_req_ns[k], "%s in-request ns %llu want %llu",
			     syscalls_category_name(k), (unsigned long long)e->cat_req_ns[k],
			     (unsigned long long)t->cat_req_ns[k]);
		cr_assert_eq(e->req_cat_ns[k], t->cat_req_ns[k], "%s request split",
			     syscalls_category_name(k));
		req_total += e->req_cat_ns[k];
	}
	cr_assert_eq(req_total, t->req_syscall_ns);
	for (uint32_t i = 0; i < e->nslowest; i++) {
		uint64_t sum = 0;

		for (int k = 0; k < SC__COUNT; k++)
			sum += e->slowest[i].cat_ns[k];
		cr_assert_eq(sum, e->slowest[i].syscall_ns);
		cr_assert_gt(e->slowest[i].cat_ns[SC_NETWORK], 0);
		cr_assert_gt(e->slowest[i].cat_ns[SC_IPC], 0);
		cr_assert_gt(e->slowest[i].cat_ns[SC_FILE], 0);
	}
}

Test(analyze_fdcat, socket_pipe_and_file_reads_split_by_descriptor)
{
	struct gen_opts g = { .kind = GEN_FDMIX, .requests = 3000, .seed = 11 };
	const struct ana_sys *rd;
	struct tctx c;

	tctx_run(&c, &g, NULL);
	cr_assert_eq(c.e->req_count, 3000);
	check_categories(&c);
	/* the syscall row keeps every read() and its own category */
	rd = find_sys(c.e, "read");
	cr_assert_eq(rd->h.count, 3 * 3000);
	cr_assert_eq(rd->cat, SC_FILE);
	tctx_done(&c);
}

Test(analyze_fdcat, category_min_max_are_exact)
{
	struct gen_opts g = { .kind = GEN_FDMIX, .requests = 500, .seed = 12 };
	const struct ana_engine *e;
	struct tctx c;

	tctx_run(&c, &g, NULL);
	e = c.e;
	/* file: openat 4000, close 700, reads >= 2000: min is close's */
	cr_assert_eq(e->cat_h[SC_FILE].min, 700);
	cr_assert_leq(e->cat_h[SC_FILE].max, 90000);
	cr_assert_geq(e->cat_h[SC_IPC].min, 500);
	cr_assert_lt(e->cat_h[SC_IPC].max, 3000);
	cr_assert_eq(e->cat_h[SC_NETWORK].max, ana_hist_quantile(&e->cat_h[SC_NETWORK], 1));
	tctx_done(&c);
}

static const struct ana_suggestion *sugg(const struct ana_engine *e, const char *rule)
{
	for (uint32_t i = 0; i < e->nsugg; i++) {
		if (!strcmp(e->sugg[i].rule, rule))
			return &e->sugg[i];
	}
	return NULL;
}

Test(analyze_fdcat, one_tiny_write_per_response_is_not_a_pattern)
{
	struct gen_opts g = { .kind = GEN_FDMIX, .requests = 3000, .seed = 13,
			      .tiny_burst = 1 };
	struct tctx c;

	tctx_run(&c, &g, NULL);
	cr_assert_eq(find_sys(c.e, "write")->tiny, 6000, "pipe and socket writes are tiny");
	cr_assert_null(sugg(c.e, "tiny_writes"));
	tctx_done(&c);
}

Test(analyze_fdcat, bursts_of_tiny_writes_are_a_pattern)
{
	struct gen_opts g = { .kind = GEN_FDMIX, .requests = 3000, .seed = 14,
			      .tiny_burst = 4 };
	const struct ana_suggestion *s;
	struct tctx c;

	tctx_run(&c, &g, NULL);
	check_categories(&c);
	s = sugg(c.e, "tiny_writes");
	cr_assert_not_null(s);
	cr_assert(strstr(s->evidence, "bursts averaging 4.0 writes"), "%s", s->evidence);
	cr_assert(strstr(s->evidence, "write()"), "%s", s->evidence);
	tctx_done(&c);
}
