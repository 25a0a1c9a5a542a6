// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/report_util.h"
#include "tests/unit/analyze/util.h"

static void within_bound(uint64_t got, uint64_t want)
{
	double err = want ? ((double)got - (double)want) / (double)want : (double)got;

	cr_assert(err <= ANA_HIST_REL_ERROR && err >= -ANA_HIST_REL_ERROR,
		  "got %llu want %llu", (unsigned long long)got, (unsigned long long)want);
}

static void check_requests(struct tctx *c)
{
	struct gen_truth *t = &c->truth;
	const struct ana_engine *e = c->e;
	uint64_t maxd = 0;

	cr_assert_eq(e->req_count, t->requests, "requests %llu want %llu",
		     (unsigned long long)e->req_count, (unsigned long long)t->requests);
	cr_assert_eq(e->req_incomplete, 0);
	cr_assert_eq(e->attributed_ns, t->req_syscall_ns);
	cr_assert_eq(e->idle_ns, t->idle_ns);
	cr_assert_eq(e->unattributed_ns, 0);
	within_bound(ana_hist_quantile(&e->req_h, 0.5), gen_quantile(t->req_durs, t->requests, .5));
	within_bound(ana_hist_quantile(&e->req_h, 0.99),
		     gen_quantile(t->req_durs, t->requests, .99));
	for (uint64_t i = 0; i < t->requests; i++)
		maxd = t->req_durs[i] > maxd ? t->req_durs[i] : maxd;
	cr_assert_eq(e->req_h.max, maxd);
	cr_assert_eq(e->slowest[0].end_ts - e->slowest[0].start_ts, maxd);
}

Test(analyze_requests, event_loop_server_by_connection)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 2000, .seed = 5 };
	struct tctx c;

	tctx_run(&c, &g, NULL);
	check_requests(&c);
	cr_assert_eq(c.e->procs_conn, 1, "auto picked connection for the epoll process");
	cr_assert_str_eq(c.e->slowest[0].peer[0] ? "peer" : "", "peer");
	cr_assert_eq(c.e->npeers, 8);
	tctx_done(&c);
}

Test(analyze_requests, thread_per_request_server_by_thread)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 3000, .threads = 6, .seed = 6 };
	const struct ana_sys *futex;
	struct tctx c;

	tctx_run(&c, &g, NULL);
	check_requests(&c);
	cr_assert_eq(c.e->procs_thread, 1, "auto picked thread without epoll");
	futex = find_sys(c.e, "futex");
	cr_assert_eq(futex->req_count, 3000, "one contended futex per request");
	cr_assert_eq(futex->idle_count, 3000, "one idle futex wait per request");
	cr_assert_eq(find_sys(c.e, "fsync")->req_count, 3000);
	tctx_done(&c);
}

static void forced_thread(struct ana_opts *o)
{
	o->requests = ANA_REQ_THREAD;
}

Test(analyze_requests, method_is_forced_by_option)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 100, .threads = 2, .seed = 7 };
	struct tctx c;

	tctx_run(&c, &g, forced_thread);
	cr_assert_eq(c.e->req_count, 100);
	cr_assert_eq(c.e->procs_thread, 1);
	tctx_done(&c);
}

static void no_requests(struct ana_opts *o)
{
	o->requests = ANA_REQ_NONE;
}

Test(analyze_requests, none_attributes_nothing)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 100, .seed = 8 };
	struct tctx c;

	tctx_run(&c, &g, no_requests);
	cr_assert_eq(c.e->req_count, 0);
	cr_assert_eq(c.e->attributed_ns, 0);
	cr_assert_eq(c.e->idle_ns, c.truth.idle_ns);
	cr_assert_not(c.e->hot_in_request);
	tctx_done(&c);
}

static void short_timeout(struct ana_opts *o)
{
	o->request_timeout_ns = 1000;	/* 1 us: every quiet request times out */
}

Test(analyze_requests, timeout_closes_requests)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 200, .threads = 2, .seed = 9 };
	struct tctx c;

	tctx_run(&c, &g, short_timeout);
	cr_assert(c.e->req_count >= 200);
	tctx_done(&c);
}

Test(analyze_requests, loss_windows_mark_requests)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 400, .threads = 2, .seed = 10,
			      .loss = true };
	struct tctx c;

	tctx_run(&c, &g, NULL);
	cr_assert(c.e->req_lossy > 0 && c.e->req_lossy < c.e->req_count);
	cr_assert_eq(c.e->nloss, 1);
	cr_assert_eq(c.e->lost_total, 42);
	cr_assert(ana_window_lossy(c.e, 0), "the first window overlaps the loss");

	tctx_done(&c);
}

Test(analyze_requests, suggestions_cite_their_numbers)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 3000, .threads = 4, .seed = 11 };
	struct tctx c;
	bool fsync = false, lock = false;

	tctx_run(&c, &g, NULL);
	for (uint32_t i = 0; i < c.e->nsugg; i++) {
		if (!strcmp(c.e->sugg[i].rule, "sync_on_request_path")) {
			fsync = true;
			cr_assert(strstr(c.e->sugg[i].evidence, "fsync on the request path: 3,000"
						      " calls"), "%s", c.e->sugg[i].evidence);
		}
		lock |= !strcmp(c.e->sugg[i].rule, "lock_contention");
	}
	cr_assert(fsync);
	cr_assert(lock);
	tctx_done(&c);
}
