// SPDX-License-Identifier: MIT
/* Descriptor facts that precede their events: every short-lived connection
 * on a reused fd number keeps its own peer, and facts whose events are never
 * looked at do not pile up. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/analyze/util.h"

#define REQS 20000u
#define PER_CHUNK (65536u / 8)	/* connects on fd 20 per events chunk (8 events each) */

static const struct ana_peer *peer_of(const struct ana_engine *e, const char *host)
{
	for (uint32_t i = 0; i < e->npeers; i++) {
		if (!strcmp(e->peers[i].host, host))
			return &e->peers[i];
	}
	return NULL;
}

Test(analyze_fd_peers, every_short_connection_keeps_its_peer, .timeout = 60)
{
	struct gen_opts g = { .kind = GEN_CONNECTS, .requests = REQS, .seed = 5 };
	const struct ana_peer *p;
	char host[32];
	struct tctx c;

	tctx_run(&c, &g, NULL);
	cr_assert_gt(c.e->files[0].chunks, 4, "the facts must span several chunks");
	for (uint32_t k = 1; k <= 4; k++) {
		snprintf(host, sizeof(host), "10.2.0.%u", k);
		p = peer_of(c.e, host);
		cr_assert_not_null(p, "no connection credited to %s", host);
		cr_assert_eq(p->conns, REQS / 4, "%s: %llu connections, want %u", host,
			     (unsigned long long)p->conns, REQS / 4);
		/* connect, write, read, close of each */
		cr_assert_eq(p->syscalls, 4 * (REQS / 4));
	}
	cr_assert_eq(c.e->npend, 0, "facts left pending: %llu",
		     (unsigned long long)c.e->npend);
	cr_assert_not(c.e->cap_warned[4]);
	cr_assert_eq(c.e->req_count, REQS);
	cr_assert_gt(c.e->nslowest, 0);
	for (uint32_t i = 0; i < c.e->nslowest; i++)
		cr_assert(!strncmp(c.e->slowest[i].peer, "10.0.3.", 7), "request %lld: peer '%s'",
			  (long long)c.e->slowest[i].id, c.e->slowest[i].peer);
	tctx_done(&c);
}

static void only_epoll(struct ana_opts *o)
{
	o->syscalls[0] = "epoll_wait";	/* fd events excluded: facts never consumed */
	o->nsyscalls = 1;
}

Test(analyze_fd_peers, unconsumed_facts_stay_bounded, .timeout = 60)
{
	struct gen_opts g = { .kind = GEN_CONNECTS, .requests = 5 * REQS, .seed = 6 };
	struct tctx c;

	tctx_run(&c, &g, only_epoll);
	cr_assert_gt(c.e->files[0].chunks, 20);
	/* one fact per fd number, plus the facts of the last two events chunks,
	 * doubling before the next fold (without folding: all 100,000) */
	cr_assert_lt(c.e->npend, 4 * PER_CHUNK + 8, "pending facts: %llu",
		     (unsigned long long)c.e->npend);
	cr_assert_not(c.e->cap_warned[4]);
	tctx_done(&c);
}

/* More records ahead of the events than the cap: the extra ones are dropped
 * (with a warning) at constant cost each, not a pass over all fds each. */
Test(analyze_fd_peers, records_beyond_the_cap_cost_no_pass_each, .timeout = 60)
{
	struct ebt_writer_opts wo = { .inline_io = true, .overwrite = true, .level = 1 };
	struct ebt_event ev = { .enter_ns = 1000, .duration_ns = 10, .pid = 1, .tid = 1 };
	char dir[] = "/tmp/ana-flood-XXXXXX", path[64], cmd[96];
	struct ana_engine *e = NULL;
	struct timespec t0, t1;
	struct ebt_writer *w;
	struct ana_opts o;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f.ebt", dir);
	cr_assert_eq(ebt_writer_open(path, &wo, &w), 0);
	for (uint32_t i = 0; i < ANA_MAX_PEND_TOTAL + 40000; i++) {
		struct ebt_record r = { .kind = EBT_REC_FD };

		r.fd.event = EBT_FDE_OPEN;
		r.fd.kind = EBT_FD_SOCKET;
		r.fd.pid = 1;
		r.fd.fd = (int32_t)(i % 200000);
		r.fd.ts_ns = 1000000000000ull + i;	/* all after the one event */
		r.fd.peer = ebt_str_c("10.9.9.9:1");
		cr_assert_eq(ebt_writer_add_record(w, &r), 0);
	}
	cr_assert_eq(ebt_writer_append(w, &ev), 0);
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
	ana_opts_init(&o);
	o.inputs[0] = path;
	o.ninputs = 1;
	o.verbosity = -1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	cr_assert_eq(ana_analyze_files(&o, &e), 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	/* a pass over the fds per dropped record took minutes; now ~0.5 s.
	 * The suite's timeout is one for all its tests (a Criterion leak
	 * otherwise), so the bound is asserted here. */
	cr_assert_lt(t1.tv_sec - t0.tv_sec, 20, "%ld s of CPU for the flood",
		     (long)(t1.tv_sec - t0.tv_sec));
	cr_assert_eq(e->npend, ANA_MAX_PEND_TOTAL);
	cr_assert(e->cap_warned[4]);
	ana_engine_free(e);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}
