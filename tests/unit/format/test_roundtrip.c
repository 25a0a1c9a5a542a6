// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/ebt.h"
#include "tests/unit/format/fmt_test.h"

static char *dir;

static void setup(void)
{
	dir = fmt_mkdtemp();
}

static void teardown(void)
{
	fmt_rmdir(dir);
}

TestSuite(format_roundtrip, .init = setup, .fini = teardown);

Test(format_roundtrip, two_million_events_threaded_exact)
{
	size_t n = 2000000;
	struct ebt_event *ev = malloc(n * sizeof(*ev));
	struct ebt_writer_opts o = { .pool_chunks = 64 };
	const char *path;
	struct fmt_read r;

	cr_assert_not_null(ev);
	fmt_gen_events(ev, n, 42);
	path = fmt_path(dir, "big.ebt");
	fmt_write_events(path, ev, n, &o);
	fmt_read_file(fmt_path(dir, "big.ebt"), &r);
	cr_assert_eq(r.open_err, 0);
	cr_assert_eq(r.end, 0);
	cr_assert_eq(r.n_events, n);
	for (size_t i = 0; i < n; i++)
		cr_assert(fmt_event_eq(&r.events[i], &ev[i]), "event %zu differs", i);
	cr_expect(r.info.footer_seen);
	cr_expect(!r.info.truncated);
	cr_expect_eq(r.info.events, n);
	cr_expect_eq(r.info.damaged_chunks, 0);
	{
		uint64_t lo = UINT64_MAX;

		for (size_t i = 0; i < n; i++)
			lo = ev[i].enter_ns < lo ? ev[i].enter_ns : lo;
		cr_expect_eq(r.info.ts_min, lo);
	}
	cr_expect_eq(r.info.ts_max, ev[n - 1].enter_ns + ev[n - 1].duration_ns);
	cr_expect_eq(r.warnings, 0);
	fmt_read_free(&r);
	free(ev);
}

static int cmp_exit(const void *a, const void *b)
{
	const struct ebt_event *x = a, *y = b;
	uint64_t ex = x->enter_ns + x->duration_ns, ey = y->enter_ns + y->duration_ns;

	return ex < ey ? -1 : ex > ey;
}

Test(format_roundtrip, extreme_values_survive_and_come_back_in_exit_order)
{
	size_t n = 20000;
	struct ebt_event *ev = calloc(n, sizeof(*ev));
	struct ebt_writer_opts o = { .inline_io = true, .chunk_events = 4096 };
	uint64_t s = 7;
	struct fmt_read r;

	cr_assert_not_null(ev);
	for (size_t i = 0; i < n; i++) {
		ev[i].enter_ns = fmt_rand(&s);
		ev[i].duration_ns = fmt_rand(&s) >> (fmt_rand(&s) % 64);
		ev[i].ret = (int64_t)fmt_rand(&s);
		ev[i].arg0 = fmt_rand(&s);
		ev[i].pid = (uint32_t)fmt_rand(&s);
		ev[i].tid = i % 3 ? UINT32_MAX : (uint32_t)fmt_rand(&s);
		ev[i].nr = (uint32_t)fmt_rand(&s);
		ev[i].cpu = (uint32_t)fmt_rand(&s);
		ev[i].stack_id = (uint32_t)fmt_rand(&s);
		ev[i].flags = (uint32_t)fmt_rand(&s);
	}
	ev[0].ret = INT64_MIN;
	ev[1].ret = INT64_MAX;
	ev[2].enter_ns = UINT64_MAX;
	ev[2].duration_ns = UINT64_MAX;	/* exit wraps */
	fmt_write_events(fmt_path(dir, "x.ebt"), ev, n, &o);
	fmt_read_file(fmt_path(dir, "x.ebt"), &r);
	cr_assert_eq(r.n_events, n);
	/* each chunk is sorted by (wrapped) exit time on its own */
	for (size_t c = 0; c < n; c += 4096) {
		size_t k = n - c < 4096 ? n - c : 4096;

		qsort(ev + c, k, sizeof(*ev), cmp_exit);
	}
	for (size_t i = 0; i < n; i++)
		cr_assert(fmt_event_eq(&r.events[i], &ev[i]), "event %zu differs", i);
	fmt_read_free(&r);
	free(ev);
}

Test(format_roundtrip, out_of_order_input_is_sorted_by_exit_time)
{
	struct ebt_event ev[1000];
	struct ebt_writer_opts o = { .inline_io = true };
	struct fmt_read r;

	fmt_gen_events(ev, 1000, 3);
	for (size_t i = 0; i < 1000; i += 2) {	/* swap neighbours */
		struct ebt_event t = ev[i];

		ev[i] = ev[i + 1];
		ev[i + 1] = t;
	}
	fmt_write_events(fmt_path(dir, "o.ebt"), ev, 1000, &o);
	fmt_read_file(fmt_path(dir, "o.ebt"), &r);
	cr_assert_eq(r.n_events, 1000);
	qsort(ev, 1000, sizeof(*ev), cmp_exit);
	for (size_t i = 0; i < 1000; i++)
		cr_assert(fmt_event_eq(&r.events[i], &ev[i]), "event %zu differs", i);
	fmt_read_free(&r);
}

Test(format_roundtrip, huge_chunks_are_split_under_the_raw_cap)
{
	size_t n = 600000;
	struct ebt_event *ev = malloc(n * sizeof(*ev));
	struct ebt_writer_opts o = { .inline_io = true, .chunk_events = 300000, .level = 1 };
	struct fmt_read r;

	cr_assert_not_null(ev);
	fmt_gen_events(ev, n, 5);
	fmt_write_events(fmt_path(dir, "h.ebt"), ev, n, &o);
	fmt_read_file(fmt_path(dir, "h.ebt"), &r);
	cr_assert_eq(r.n_events, n);
	cr_assert_eq(r.n_ev_chunks, 4, "each 300000-event buffer becomes 2 chunks");
	for (size_t i = 0; i < n; i++)
		cr_assert(fmt_event_eq(&r.events[i], &ev[i]), "event %zu differs", i);
	fmt_read_free(&r);
	free(ev);
}

Test(format_roundtrip, inline_writer_with_a_single_buffer)
{
	struct ebt_event ev[5000];
	struct ebt_writer_opts o = { .inline_io = true, .pool_chunks = 1, .chunk_events = 1000 };
	struct fmt_read r;

	fmt_gen_events(ev, 5000, 12);
	fmt_write_events(fmt_path(dir, "one.ebt"), ev, 5000, &o);
	fmt_read_file(fmt_path(dir, "one.ebt"), &r);
	cr_assert_eq(r.n_events, 5000);
	for (size_t i = 0; i < 5000; i++)
		cr_assert(fmt_event_eq(&r.events[i], &ev[i]), "event %zu differs", i);
	fmt_read_free(&r);
}
