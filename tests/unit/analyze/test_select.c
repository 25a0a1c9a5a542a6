// SPDX-License-Identifier: MIT
/* --syscalls selects by the category an event counts in (read() on a
 * socket is network, on a pipe ipc), and by name as before. */
#include <criterion/criterion.h>

#include "tests/unit/analyze/util.h"

#define REQS 2000u

static void only_network(struct ana_opts *o)
{
	o->syscalls[0] = "network";
	o->nsyscalls = 1;
}

static void only_file_ipc(struct ana_opts *o)
{
	o->syscalls[0] = "file";
	o->syscalls[1] = "ipc";
	o->nsyscalls = 2;
}

static void only_read(struct ana_opts *o)
{
	o->syscalls[0] = "read";
	o->nsyscalls = 1;
}

/* Each listed category holds exactly the generator's events of it, every
 * other category none. */
static void check_only(const struct tctx *c, const int *cats, int n)
{
	uint64_t kept = 0;

	for (int k = 0; k < SC__COUNT; k++) {
		bool want = false;

		for (int i = 0; i < n; i++)
			want = want || cats[i] == k;
		cr_assert_eq(c->e->cat_h[k].count, want ? c->truth.cat_count[k] : 0,
			     "%s: %llu events", syscalls_category_name(k),
			     (unsigned long long)c->e->cat_h[k].count);
		cr_assert_eq(c->e->cat_h[k].total, want ? c->truth.cat_ns[k] : 0, "%s ns",
			     syscalls_category_name(k));
		kept += want ? c->truth.cat_count[k] : 0;
	}
	cr_assert_eq(c->e->kept, kept);
}

Test(analyze_select, category_selects_socket_reads_and_writes)
{
	struct gen_opts g = { .kind = GEN_FDMIX, .requests = REQS, .seed = 3, .tiny_burst = 2 };
	const int cats[] = { SC_NETWORK };
	struct tctx c;

	tctx_run(&c, &g, only_network);
	check_only(&c, cats, 1);
	/* per request: read of the socket; 2 tiny write()s; writev */
	cr_assert_eq(find_sys(c.e, "read")->h.count, REQS);
	cr_assert_eq(find_sys(c.e, "write")->h.count, 2 * REQS);
	cr_assert_eq(find_sys(c.e, "writev")->h.count, REQS);
	cr_assert_eq(c.e->req_count, REQS);
	tctx_done(&c);
}

Test(analyze_select, file_leaves_out_socket_reads)
{
	struct gen_opts g = { .kind = GEN_FDMIX, .requests = REQS, .seed = 4, .tiny_burst = 2 };
	const int cats[] = { SC_FILE, SC_IPC };
	struct tctx c;

	tctx_run(&c, &g, only_file_ipc);
	check_only(&c, cats, 2);
	/* the file read and the eventfd read; the pipe write */
	cr_assert_eq(find_sys(c.e, "read")->h.count, 2 * REQS);
	cr_assert_eq(find_sys(c.e, "write")->h.count, REQS);
	cr_assert_eq(find_sys(c.e, "close")->h.count, REQS);
	tctx_done(&c);
}

Test(analyze_select, name_selects_every_event_of_the_syscall)
{
	struct gen_opts g = { .kind = GEN_FDMIX, .requests = REQS, .seed = 5 };
	struct tctx c;

	tctx_run(&c, &g, only_read);
	cr_assert_eq(c.e->kept, 3 * REQS);
	cr_assert_eq(find_sys(c.e, "read")->h.count, 3 * REQS);
	cr_assert_eq(c.e->cat_h[SC_NETWORK].count, REQS);
	cr_assert_eq(c.e->cat_h[SC_FILE].count, REQS);
	cr_assert_eq(c.e->cat_h[SC_IPC].count, REQS);
	tctx_done(&c);
}
