// SPDX-License-Identifier: MIT
/*
 * --export perfetto: Chrome trace-event JSON (the "JSON Array/Object
 * Format" read by ui.perfetto.dev and chrome://tracing). One track per
 * thread with each syscall a complete ("X") slice; requests as async
 * ("b"/"e") slices from their first attributed syscall to the end of the
 * last; process and thread names as "M" events. Timestamps are
 * microseconds (3 decimals, so ns are kept) since 00:00 UTC of the day of
 * the first event: the time of day reads as the wall clock, and values stay
 * below 2^53 so doubles keep every ns. Slices are streamed as the engine
 * sees them; past --max-events the rest is counted and a note says so.
 */
#include "analyze/viz.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/escape.h"
#include "analyze/units.h"
#include "common/alloc.h"
#include "common/log.h"

#define DAY_NS 86400000000000ull

struct pf_req {
	uint32_t pid, tid, n;
	int64_t first, last;	/* ns since base */
};

struct ana_pf {
	FILE *f;
	uint64_t max, written, skipped;
	uint64_t base;		/* Unix ns of the day start */
	bool base_set;
	int64_t last_ts;
	struct pf_req *reqs;
	size_t creqs;
	int64_t req_base;	/* id of reqs[0], -1 unset */
	uint64_t req_dropped;
};

int ana_pf_begin(struct ana_viz *v, FILE *f, uint64_t max_events)
{
	struct ana_pf *pf = calloc(1, sizeof(*pf));

	if (!pf)
		return -ENOMEM;
	pf->f = f;
	pf->max = max_events;
	pf->req_base = -1;
	v->pf = pf;
	fputs("{\"traceEvents\":[\n", f);
	return ferror(f) ? -EIO : 0;
}

void ana_pf_free(struct ana_pf *pf)
{
	if (!pf)
		return;
	free(pf->reqs);
	free(pf);
}

/* pid/tid of file 0 as recorded; later files get file << 22 added (Linux
 * pid_max is at most 2^22) so merged traces never share a track. */
static uint32_t track_id(uint32_t file, uint32_t id)
{
	return file ? file << 22 | (id & 0x3fffff) : id;
}

static void put_ts(FILE *f, const char *key, int64_t ns)
{
	uint64_t a = (uint64_t)(ns < 0 ? -ns : ns);

	fprintf(f, ",\"%s\":%s%" PRIu64 ".%03" PRIu64, key, ns < 0 ? "-" : "", a / 1000,
		a % 1000);
}

static void note_request(struct ana_pf *pf, const struct ana_ev_ctx *c, int64_t ts)
{
	int64_t id = c->req_id;
	struct pf_req *q;
	size_t i;

	if (pf->req_base < 0)
		pf->req_base = id;
	if (id < pf->req_base) {
		pf->req_dropped++;
		return;
	}
	i = (size_t)(id - pf->req_base);
	if (i >= pf->creqs && alloc_grow((void **)&pf->reqs, &pf->creqs, i + 1,
					 sizeof(*pf->reqs))) {
		pf->req_dropped++;
		return;
	}
	q = &pf->reqs[i];
	if (!q->n) {
		q->pid = track_id(c->file, c->ev->pid);
		q->tid = track_id(c->file, c->ev->tid);
		q->first = ts;
	}
	q->n++;
	if (ts + (int64_t)c->ev->duration_ns > q->last)
		q->last = ts + (int64_t)c->ev->duration_ns;
}

static void args(FILE *f, const struct ana_ev_ctx *c)
{
	const struct ebt_event *ev = c->ev;
	char buf[32];

	fprintf(f, ",\"args\":{\"ret\":%" PRId64, ev->ret);
	if (c->sys->fd_first && ev->arg0 <= INT32_MAX)
		fprintf(f, ",\"fd\":%" PRIu64, ev->arg0);
	if (ev->ret < 0 && ev->ret >= -4095)
		fprintf(f, ",\"errno\":\"%s\"",
			ana_errno_name(buf, sizeof(buf), (uint32_t)-ev->ret));
	if (c->req_id >= 0)
		fprintf(f, ",\"request\":%" PRId64, c->req_id);
	if (c->idle)
		fputs(",\"idle\":true", f);
	fputs("}}", f);
}

void ana_pf_event(struct ana_engine *e, struct ana_pf *pf, const struct ana_ev_ctx *c)
{
	const struct ebt_event *ev = c->ev;
	uint64_t wall = (uint64_t)((int64_t)ev->enter_ns + e->files[c->file].wall_off);
	int64_t ts;

	if (pf->written >= pf->max) {
		pf->skipped++;
		return;
	}
	if (!pf->base_set) {
		pf->base = wall - wall % DAY_NS;
		pf->base_set = true;
	}
	ts = (int64_t)(wall - pf->base);
	fputs(pf->written ? ",\n{\"ph\":\"X\",\"name\":" : "{\"ph\":\"X\",\"name\":", pf->f);
	ana_esc_json(pf->f, c->sys->name, strlen(c->sys->name));
	fprintf(pf->f, ",\"cat\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32,
		syscalls_category_name(c->sys->cat), track_id(c->file, ev->pid),
		track_id(c->file, ev->tid));
	put_ts(pf->f, "ts", ts);
	put_ts(pf->f, "dur", (int64_t)ev->duration_ns);
	args(pf->f, c);
	pf->written++;
	if (ts > pf->last_ts)
		pf->last_ts = ts;
	if (c->req_id >= 0)
		note_request(pf, c, ts);
}

static void meta(FILE *f, const char *what, uint32_t pid, uint32_t tid, const char *name)
{
	fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"args\":{\"name\":", what, pid, tid);
	ana_esc_json(f, name, strlen(name));
	fputs("}}", f);
}

static void names(struct ana_pf *pf, const struct ana_engine *e)
{
	char buf[ANA_MAX_STR + 32];

	for (size_t i = 0; i < e->procs.cap; i++) {
		const struct ana_proc *p = e->procs.vals[i];

		if (!e->procs.keys[i] || !p)
			continue;
		snprintf(buf, sizeof(buf), "%s", p->comm ? p->comm : "?");
		meta(pf->f, "process_name", track_id(p->file, p->pid), 0, buf);
	}
	for (size_t i = 0; i < e->threads.cap; i++) {
		const struct ana_thread *t = e->threads.vals[i];

		if (!e->threads.keys[i] || !t)
			continue;
		meta(pf->f, "thread_name", track_id(t->file, t->pid), track_id(t->file, t->tid),
		     t->comm);
	}
}

static void requests(struct ana_pf *pf)
{
	for (size_t i = 0; i < pf->creqs; i++) {
		const struct pf_req *q = &pf->reqs[i];
		uint64_t id = (uint64_t)pf->req_base + i;

		if (!q->n)
			continue;
		for (int end = 0; end < 2; end++) {
			fprintf(pf->f, ",\n{\"ph\":\"%s\",\"cat\":\"request\",\"name\":"
				"\"request\",\"id\":\"0x%" PRIx64 "\",\"pid\":%" PRIu32
				",\"tid\":%" PRIu32, end ? "e" : "b", id, q->pid, q->tid);
			put_ts(pf->f, "ts", end ? q->last : q->first);
			if (!end)
				fprintf(pf->f, ",\"args\":{\"request\":%" PRIu64
					",\"syscalls\":%" PRIu32 "}", id, q->n);
			fputs("}", pf->f);
		}
	}
}

int ana_pf_finish(struct ana_viz *v, const struct ana_engine *e)
{
	struct ana_pf *pf = v->pf;
	char day[64];

	if (!pf->written)
		fputs("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,"
		      "\"args\":{\"name\":\"(no events)\"}}", pf->f);
	names(pf, e);
	requests(pf);
	if (pf->skipped) {
		fprintf(pf->f, ",\n{\"ph\":\"i\",\"s\":\"g\",\"pid\":0,\"tid\":0,\"name\":"
			"\"ebpf-analyze: capped at %" PRIu64 " slices, %" PRIu64
			" more not written\"", pf->written, pf->skipped);
		put_ts(pf->f, "ts", pf->last_ts);
		fputs("}", pf->f);
		log_warn("perfetto: wrote the first %" PRIu64 " syscalls, %" PRIu64
			 " more left out; use --since/--until or --max-events",
			 pf->written, pf->skipped);
	}
	ana_fmt_wall(day, sizeof(day), pf->base);
	fprintf(pf->f, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":"
		"\"ebpf-analyze\",\"ts_unit\":\"us since ts_base\",\"ts_base\":\"%s\","
		"\"slices\":%" PRIu64 ",\"slices_not_written\":%" PRIu64
		",\"note\":\"%s\"}}\n", pf->base_set ? day : "", pf->written, pf->skipped,
		pf->skipped ? "capped by --max-events: narrow with --since/--until"
			    : "complete");
	return ferror(pf->f) ? -EIO : 0;
}
