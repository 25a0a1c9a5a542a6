// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <string.h>

#include "tests/unit/analyze/util.h"

static void within_bound(uint64_t got, uint64_t want)
{
	double err = want ? ((double)got - (double)want) / (double)want : (double)got;

	cr_assert(err <= ANA_HIST_REL_ERROR && err >= -ANA_HIST_REL_ERROR,
		  "got %llu want %llu", (unsigned long long)got, (unsigned long long)want);
}

Test(analyze_stats, per_syscall_matches_brute_force)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 300000, .threads = 7, .seed = 1 };
	struct tctx c;
	uint64_t sum = 0;

	tctx_run(&c, &g, NULL);
	cr_assert_eq(c.e->events, c.truth.events);
	for (int i = 0; i < GEN_MAX_NAMES && c.truth.names[i]; i++) {
		const struct ana_sys *s = find_sys(c.e, c.truth.names[i]);
		uint64_t *d = c.truth.durs[i], n = c.truth.count[i];

		cr_assert_not_null(s, "%s missing", c.truth.names[i]);
		cr_assert_eq(s->h.count, n, "%s count", s->name);
		cr_assert_eq(s->errors, c.truth.errors[i], "%s errors", s->name);
		cr_assert_eq(s->errnos[11], c.truth.errors[i], "%s EAGAIN", s->name);
		cr_assert_eq(s->h.total, c.truth.total[i], "%s total", s->name);
		within_bound(ana_hist_quantile(&s->h, 0.5), gen_quantile(d, n, 0.5));
		within_bound(ana_hist_quantile(&s->h, 0.9), gen_quantile(d, n, 0.9));
		within_bound(ana_hist_quantile(&s->h, 0.99), gen_quantile(d, n, 0.99));
		within_bound(ana_hist_quantile(&s->h, 0.999), gen_quantile(d, n, 0.999));
		cr_assert_eq(s->h.min, d[0]);
		cr_assert_eq(s->h.max, d[n - 1]);
		sum += n;
	}
	cr_assert_eq(sum, c.truth.events);
	cr_assert_eq(c.e->nthr_order, 7);
	cr_assert_eq(c.e->proc_order[0]->h.count, c.truth.events, "process = all threads");
	tctx_done(&c);
}

static void only_io(struct ana_opts *o)
{
	o->syscalls[o->nsyscalls++] = "read";
	o->syscalls[o->nsyscalls++] = "sync";	/* a category: futex */
	o->tids[o->ntids++] = 1001;
	o->tids[o->ntids++] = 1002;
}

Test(analyze_stats, filters_keep_only_matching_events)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 50000, .threads = 4, .seed = 2 };
	struct tctx c;

	tctx_run(&c, &g, only_io);
	for (uint32_t i = 0; i < c.e->nsys; i++) {
		const struct ana_sys *s = c.e->sys[i];

		if (strcmp(s->name, "read") && strcmp(s->name, "futex"))
			cr_assert_eq(s->h.count, 0, "%s kept", s->name);
	}
	cr_assert(find_sys(c.e, "read")->h.count > 0);
	cr_assert(find_sys(c.e, "futex")->h.count > 0);
	for (uint32_t i = 0; i < c.e->nthr_order; i++)
		cr_assert(c.e->thr_order[i]->tid == 1001 || c.e->thr_order[i]->tid == 1002);
	cr_assert(c.e->kept < c.e->events);
	tctx_done(&c);
}

static void sampled_tweak(struct ana_opts *o)
{
	(void)o;
}

Test(analyze_stats, sampled_traces_scale_counts)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 10000, .threads = 2, .seed = 3,
			      .sample_every = 10 };
	struct tctx c;

	tctx_run(&c, &g, sampled_tweak);
	for (int i = 0; i < GEN_MAX_NAMES && c.truth.names[i]; i++) {
		const struct ana_sys *s = find_sys(c.e, c.truth.names[i]);

		cr_assert_eq(s->h.count, 10 * c.truth.count[i]);
		cr_assert_eq(s->h.total, 10 * c.truth.total[i]);
	}
	tctx_done(&c);
}

Test(analyze_stats, windows_cover_every_event)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 100000, .threads = 3, .seed = 4 };
	struct tctx c;
	uint64_t n = 0;

	tctx_run(&c, &g, NULL);
	cr_assert(c.e->nwin > 1 && c.e->nwin <= ANA_MAX_WINDOWS);
	for (uint32_t i = 0; i < c.e->nwin; i++)
		n += c.e->win[i].h.count;
	cr_assert_eq(n, c.truth.events);
	tctx_done(&c);
}

static void since_10ms(struct ana_opts *o)
{
	ana_parse_time_bound("+10ms", &o->since);
	ana_parse_time_bound("+20ms", &o->until);
}

Test(analyze_stats, time_bounds_cut_the_trace)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 20000, .threads = 2, .seed = 5 };
	struct tctx c;
	const struct ana_file *f;

	tctx_run(&c, &g, since_10ms);
	f = &c.e->files[0];
	cr_assert(c.e->kept > 0 && c.e->kept < c.e->events);
	cr_assert_eq(f->until_ts - f->since_ts, 10000000ull);
	cr_assert(f->since_ts >= f->ts_first + 10000000ull);
	tctx_done(&c);
}
