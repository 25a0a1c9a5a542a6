// SPDX-License-Identifier: MIT
/*
 * Rule-based suggestions. Each rule fires only on evidence and cites the
 * numbers that triggered it; thresholds are listed in docs/REPORT.md.
 */
#include "analyze/engine.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/units.h"
#include "common/alloc.h"

#define MAX_SUGG 32

static void add(struct ana_engine *e, const char *rule, uint64_t weight, const char *title,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(struct ana_engine *e, const char *rule, uint64_t weight, const char *title,
		const char *fmt, ...)
{
	struct ana_suggestion *s;
	va_list ap;

	if (e->nsugg >= MAX_SUGG)
		return;
	s = &e->sugg[e->nsugg++];
	snprintf(s->rule, sizeof(s->rule), "%s", rule);
	snprintf(s->title, sizeof(s->title), "%s", title);
	va_start(ap, fmt);
	vsnprintf(s->evidence, sizeof(s->evidence), fmt, ap);
	va_end(ap);
	s->weight_ns = weight;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void rule_sync(struct ana_engine *e)
{
	char c[32], t[32];

	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];

		if (s->cls != ANA_CL_SYNC || s->req_count < 10)
			continue;
		add(e, "sync_on_request_path", s->req_ns,
		    "Flush to disk off the request path",
		    "%s on the request path: %s calls, %s, %.0f%% of in-request syscall time;"
		    " batch or move off the request path", s->name,
		    ana_fmt_count(c, sizeof(c), s->req_count), ana_fmt_ns(t, sizeof(t), s->req_ns),
		    pct(s->req_ns, e->attributed_ns));
	}
}

static void rule_tiny(struct ana_engine *e)
{
	const struct ana_tiny *f = NULL;
	char c[32], c2[32], c3[32];

	for (uint32_t i = 0; i < e->ntiny; i++) {
		if (!f || e->tiny[i].tiny > f->tiny)
			f = &e->tiny[i];
	}
	if (f && f->tiny >= 1000 && f->tiny * 2 >= f->reads)
		add(e, "tiny_reads", f->ns, "Buffer small reads",
		    "small reads: %s read calls returning <= %d bytes on fd %d (%s) of pid %u"
		    " (%.0f%% of its %s reads, %llu opens), buffer them",
		    ana_fmt_count(c, sizeof(c), f->tiny), ANA_TINY_IO, f->fd,
		    f->path[0] ? f->path : "unknown", f->pid, pct(f->tiny, f->reads),
		    ana_fmt_count(c2, sizeof(c2), f->reads), (unsigned long long)f->fds);
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];

		uint64_t in_bursts = s->tiny_rep + s->tiny_bursts;

		/* one small write per response is no pattern: bursts are */
		if (s->cls != ANA_CL_WRITE || s->tiny_rep < 1000 || s->tiny_rep * 4 < s->tiny)
			continue;
		add(e, "tiny_writes", s->tiny_burst_ns, "Coalesce small writes",
		    "small writes in bursts: %s %s() calls wrote <= %d bytes right after another"
		    " on the same descriptor in the same request, %s bursts averaging %.1f"
		    " writes (%.0f%% of its %s calls, %.0f%% of its time); coalesce them with a"
		    " buffer or writev", ana_fmt_count(c, sizeof(c), in_bursts), s->name,
		    ANA_TINY_IO, ana_fmt_count(c2, sizeof(c2), s->tiny_bursts),
		    (double)in_bursts / (double)s->tiny_bursts, pct(in_bursts, s->h.count),
		    ana_fmt_count(c3, sizeof(c3), s->h.count),
		    pct(s->tiny_burst_ns, s->h.total));
	}
}

static void rule_contention(struct ana_engine *e)
{
	uint64_t ns = e->cat_req_ns[SC_SYNC], n = 0;
	char c[32], t[32];

	if (!e->attributed_ns || pct(ns, e->attributed_ns) < 10.0)
		return;
	for (uint32_t i = 0; i < e->nsys; i++) {
		if (e->sys[i]->cat == SC_SYNC)
			n += e->sys[i]->req_count;
	}
	add(e, "lock_contention", ns, "Reduce lock contention inside requests",
	    "futex contention inside requests: %s sync calls, %s, %.0f%% of in-request syscall"
	    " time; shorten critical sections or shard the lock",
	    ana_fmt_count(c, sizeof(c), n), ana_fmt_ns(t, sizeof(t), ns),
	    pct(ns, e->attributed_ns));
}

static void rule_peer(struct ana_engine *e)
{
	uint64_t total = 0;
	const struct ana_peer *top = NULL;
	char c[32], t[32], m[32], k[32];

	for (uint32_t i = 0; i < e->npeers; i++) {
		total += e->peers[i].ns;
		if (!top || e->peers[i].ns > top->ns)
			top = &e->peers[i];
	}
	if (!top || e->npeers < 2 || pct(top->ns, total) < 50.0 || top->ns < 1000000)
		return;
	add(e, "slow_peer", top->ns, "One peer dominates network time",
	    "peer %s: %s socket syscalls on %s connections, %s, %.0f%% of network syscall"
	    " time (slowest %s); look at that service or its link",
	    top->host, ana_fmt_count(c, sizeof(c), top->syscalls),
	    ana_fmt_count(k, sizeof(k), top->conns), ana_fmt_ns(t, sizeof(t), top->ns),
	    pct(top->ns, total), ana_fmt_ns(m, sizeof(m), top->max_ns));
}

static void rule_errors(struct ana_engine *e)
{
	char c[32], c2[32], en[32];

	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];
		uint32_t top = 0;

		if (!s->errnos || s->errors < 1000)
			continue;
		for (uint32_t j = 1; j < ANA_MAX_ERRNO; j++) {
			if (s->errnos[j] > s->errnos[top])
				top = j;
		}
		if (top == EAGAIN && s->errnos[top] * 10 >= s->h.count * 3) {
			add(e, "eagain_storm", s->h.total, "Stop spinning on EAGAIN",
			    "EAGAIN storm: %s of %s %s() calls failed with EAGAIN (%.0f%%);"
			    " wait for readiness (epoll) instead of retrying",
			    ana_fmt_count(c, sizeof(c), s->errnos[top]),
			    ana_fmt_count(c2, sizeof(c2), s->h.count), s->name,
			    pct(s->errnos[top], s->h.count));
		} else if (top != EAGAIN && s->errors * 2 >= s->h.count) {
			add(e, "failing_calls", s->h.total, "Avoid calls that mostly fail",
			    "%s of %s %s() calls failed (%.0f%%), mostly %s;"
			    " cache the negative result or fix the caller",
			    ana_fmt_count(c, sizeof(c), s->errors),
			    ana_fmt_count(c2, sizeof(c2), s->h.count), s->name,
			    pct(s->errors, s->h.count), ana_errno_name(en, sizeof(en), top));
		}
	}
}

static void rule_memory(struct ana_engine *e)
{
	uint64_t ns = e->cat_req_ns[SC_MEMORY], n = 0;
	char c[32], t[32];

	if (!e->attributed_ns || pct(ns, e->attributed_ns) < 10.0)
		return;
	for (uint32_t i = 0; i < e->nsys; i++) {
		if (e->sys[i]->cat == SC_MEMORY)
			n += e->sys[i]->req_count;
	}
	add(e, "memory_churn", ns, "Reuse memory instead of mapping it per request",
	    "memory syscalls inside requests: %s calls (mmap/munmap/brk...), %s, %.0f%% of"
	    " in-request syscall time; pool buffers or tune the allocator",
	    ana_fmt_count(c, sizeof(c), n), ana_fmt_ns(t, sizeof(t), ns),
	    pct(ns, e->attributed_ns));
}

static void rule_loss(struct ana_engine *e)
{
	uint64_t lost = 0;
	char c[32];

	for (uint32_t i = 0; i < e->nfiles; i++)
		lost = ana_sat_add(lost, ana_sat_add(e->files[i].lost, e->files[i].damaged_events));
	if (!lost && !e->lost_total)
		return;
	if (e->lost_total > lost)
		lost = e->lost_total;
	add(e, "event_loss", 0, "Record without loss",
	    "%s events were lost or damaged (%.2f%% of %llu); the %llu requests overlapping"
	    " loss windows are marked lossy. Enlarge the recorder's buffers or trace fewer"
	    " processes", ana_fmt_count(c, sizeof(c), lost),
	    pct(lost, ana_sat_add(lost, e->events)),
	    (unsigned long long)ana_sat_add(lost, e->events),
	    (unsigned long long)e->req_lossy);
}

static int by_weight(const void *a, const void *b)
{
	const struct ana_suggestion *x = a, *y = b;

	if (x->weight_ns != y->weight_ns)
		return x->weight_ns < y->weight_ns ? 1 : -1;
	return strcmp(x->rule, y->rule);
}

int ana_suggest(struct ana_engine *e)
{
	e->sugg = alloc_array(MAX_SUGG, sizeof(*e->sugg));
	if (!e->sugg)
		return -ENOMEM;
	rule_sync(e);
	rule_contention(e);
	rule_peer(e);
	rule_tiny(e);
	rule_errors(e);
	rule_memory(e);
	qsort(e->sugg, e->nsugg, sizeof(*e->sugg), by_weight);
	rule_loss(e);		/* always last: about the data, not the program */
	return 0;
}
