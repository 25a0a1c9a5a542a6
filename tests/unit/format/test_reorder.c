// SPDX-License-Identifier: MIT
/*
 * Writer reorder window (ebt_writer_opts.reorder_ms): events appended late,
 * as ebpf-record's per-CPU batches deliver them, come out of the file in
 * exit order across chunks, none lost, none duplicated.
 */
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

TestSuite(format_reorder, .init = setup, .fini = teardown, .timeout = 30);

#define SPACING_NS 10000ull	/* one exit every 10 us */

struct arrival {
	uint64_t at;		/* exit + lateness: when the writer gets it */
	struct ebt_event ev;
};

static int cmp_arrival(const void *a, const void *b)
{
	const struct arrival *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static uint64_t exit_of(const struct ebt_event *e)
{
	return e->enter_ns + e->duration_ns;
}

static int cmp_exit(const void *a, const void *b)
{
	uint64_t x = exit_of(a), y = exit_of(b);

	return x < y ? -1 : x > y;
}

/* n events with distinct exits SPACING_NS apart, in arrival order: each is
 * late by a random amount below max_late_ns. The sorted truth goes to want. */
static struct ebt_event *late_events(size_t n, uint64_t max_late_ns, struct ebt_event *want)
{
	struct arrival *a = calloc(n, sizeof(*a));
	struct ebt_event *out = calloc(n, sizeof(*out));
	uint64_t seed = 7;

	cr_assert(a && out);
	fmt_gen_events(want, n, 21);
	for (size_t i = 0; i < n; i++) {
		uint64_t exit = 1000000000ull + i * SPACING_NS;

		if (want[i].duration_ns > exit / 2)
			want[i].duration_ns = exit / 2;
		want[i].enter_ns = exit - want[i].duration_ns;
		a[i].ev = want[i];
		a[i].at = exit + fmt_rand(&seed) % max_late_ns;
	}
	qsort(a, n, sizeof(*a), cmp_arrival);
	for (size_t i = 0; i < n; i++)
		out[i] = a[i].ev;
	free(a);
	return out;
}

/* Events that exit before an event earlier in the file. */
static size_t backwards(const struct fmt_read *r)
{
	size_t k = 0;

	for (size_t i = 1; i < r->n_events; i++)
		k += exit_of(&r->events[i]) < exit_of(&r->events[i - 1]);
	return k;
}

static void same_events(struct fmt_read *r, const struct ebt_event *want, size_t n)
{
	cr_assert_eq(r->n_events, n);
	qsort(r->events, n, sizeof(*r->events), cmp_exit);
	for (size_t i = 0; i < n; i++)
		cr_assert(fmt_event_eq(&r->events[i], &want[i]), "event %zu differs", i);
}

Test(format_reorder, events_late_within_the_window_come_out_in_exit_order)
{
	size_t n = 50000;
	struct ebt_event *want = calloc(n, sizeof(*want)), *ev;
	struct fmt_read r;

	cr_assert_not_null(want);
	/* 1000-event chunks span 10 ms; events up to 3 ms late; 5 ms window */
	ev = late_events(n, 3000000, want);
	for (int inline_io = 0; inline_io <= 1; inline_io++) {
		/* a pool for the whole file: the test outruns the worker */
		struct ebt_writer_opts o = { .chunk_events = 1000, .reorder_ms = 5,
					     .pool_chunks = 64, .inline_io = inline_io,
					     .overwrite = true };
		struct ebt_writer_opts plain = { .chunk_events = 1000, .pool_chunks = 64,
						 .inline_io = inline_io, .overwrite = true };

		fmt_write_events(fmt_path(dir, "plain.ebt"), ev, n, &plain);
		fmt_read_file(fmt_path(dir, "plain.ebt"), &r);
		cr_assert_gt(backwards(&r), 0, "without a window the chunks overlap");
		fmt_read_free(&r);

		fmt_write_events(fmt_path(dir, "w.ebt"), ev, n, &o);
		fmt_read_file(fmt_path(dir, "w.ebt"), &r);
		cr_assert_eq(backwards(&r), 0, "inline_io=%d", inline_io);
		cr_assert_gt(r.n_ev_chunks, 40, "still chunked: %zu", r.n_ev_chunks);
		same_events(&r, want, n);
		fmt_read_free(&r);
	}
	free(ev);
	free(want);
}

Test(format_reorder, events_later_than_the_window_are_kept_not_lost)
{
	size_t n = 20000;
	struct ebt_event *want = calloc(n, sizeof(*want)), *ev;
	struct ebt_writer_opts o = { .chunk_events = 500, .reorder_ms = 1, .inline_io = true };
	struct fmt_read r;

	cr_assert_not_null(want);
	ev = late_events(n, 30000000, want);	/* up to 30 ms late, 1 ms window */
	fmt_write_events(fmt_path(dir, "late.ebt"), ev, n, &o);
	fmt_read_file(fmt_path(dir, "late.ebt"), &r);
	cr_assert_gt(backwards(&r), 0);
	same_events(&r, want, n);
	fmt_read_free(&r);
	free(ev);
	free(want);
}

Test(format_reorder, faster_than_a_chunk_per_window_holds_at_most_a_chunk)
{
	size_t n = 30000;
	struct ebt_event *want = calloc(n, sizeof(*want)), *ev;
	/* 1000 ms window over 300 ms of events: capped to one chunk held */
	struct ebt_writer_opts o = { .chunk_events = 2000, .reorder_ms = 1000,
				     .inline_io = true };
	struct fmt_read r;

	cr_assert_not_null(want);
	ev = late_events(n, 100000, want);
	fmt_write_events(fmt_path(dir, "cap.ebt"), ev, n, &o);
	fmt_read_file(fmt_path(dir, "cap.ebt"), &r);
	cr_assert_eq(backwards(&r), 0);
	cr_assert_geq(r.n_ev_chunks, 15);
	same_events(&r, want, n);
	fmt_read_free(&r);
	free(ev);
	free(want);
}

Test(format_reorder, an_idle_writer_releases_held_events_after_flush_ms)
{
	struct ebt_writer_opts o = { .chunk_events = 1000, .reorder_ms = 100,
				     .flush_ms = 10, .inline_io = true };
	struct ebt_event ev[100];
	struct ebt_writer_stats st;
	struct ebt_writer *w = NULL;
	uint64_t ms = 1000000, t = 0;

	fmt_gen_events(ev, 100, 3);
	cr_assert_eq(ebt_writer_open(fmt_path(dir, "idle.ebt"), &o, &w), 0);
	for (size_t i = 0; i < 100; i++)
		cr_assert_eq(ebt_writer_append(w, &ev[i]), 0);
	cr_assert_eq(ebt_writer_flush(w, t, false), 0);
	cr_assert_eq(ebt_writer_flush(w, t += 10 * ms, false), 0);	/* chunk handed off */
	ebt_writer_get_stats(w, &st);
	cr_assert_lt(st.events, 100, "the newest events are held: %llu written",
		     (unsigned long long)st.events);
	cr_assert_eq(ebt_writer_flush(w, t += 10 * ms, false), 0);
	cr_assert_eq(ebt_writer_flush(w, t += 10 * ms, false), 0);	/* idle 10 ms */
	ebt_writer_get_stats(w, &st);
	cr_assert_eq(st.events, 100, "released after flush_ms without new events");
	cr_assert_eq(ebt_writer_close(w, &st), 0);
	cr_assert_eq(st.events, 100);
}

Test(format_reorder, window_over_a_minute_is_refused)
{
	struct ebt_writer_opts o = { .reorder_ms = 60001 };
	struct ebt_writer *w = NULL;

	cr_assert_eq(ebt_writer_open(fmt_path(dir, "bad.ebt"), &o, &w), -EINVAL);
}

/* Equal exit times across the held events and the next buffer keep their
 * arrival order (the format's tie rule), late ones included. */
Test(format_reorder, ties_keep_arrival_order_across_buffers)
{
	struct ebt_writer_opts o = { .chunk_events = 97, .reorder_ms = 50, .inline_io = true };
	size_t n = 1000;
	struct ebt_event *ev = calloc(n, sizeof(*ev)), *want = calloc(n, sizeof(*want));
	struct fmt_read r;
	size_t k = 0;

	cr_assert(ev && want);
	fmt_gen_events(ev, n, 5);
	for (size_t i = 0; i < n; i++) {
		/* 10 events per millisecond share one exit; every 7th arrives
		 * three groups late, every 11th two */
		uint64_t late = i < 30 ? 0 : i % 7 == 0 ? 3 : i % 11 == 0 ? 2 : 0;
		uint64_t group = i / 10 - late;

		ev[i].duration_ns = 1000;
		ev[i].enter_ns = 1000000000ull + group * 1000000ull - 1000;
		ev[i].tid = (uint32_t)i;	/* arrival index, to check the order */
	}
	for (uint64_t g = 0; g <= n / 10; g++)	/* the truth: by exit, then arrival */
		for (size_t i = 0; i < n; i++)
			if ((ev[i].enter_ns + 1000 - 1000000000ull) / 1000000ull == g)
				want[k++] = ev[i];
	cr_assert_eq(k, n);
	fmt_write_events(fmt_path(dir, "ties.ebt"), ev, n, &o);
	fmt_read_file(fmt_path(dir, "ties.ebt"), &r);
	cr_assert_eq(r.n_events, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(r.events[i].tid, want[i].tid, "event %zu: arrival %u, want %u", i,
			     r.events[i].tid, want[i].tid);
	fmt_read_free(&r);
	free(ev);
	free(want);
}
