// SPDX-License-Identifier: MIT
/*
 * --export perfetto: Chrome trace-event JSON (the "JSON Array/Object
 * Format" read by ui.perfetto.dev and chrome://tracing). One track per
 * thread with each syscall a complete ("X") slice; requests as async
 * ("b"/"e") slices from their first attributed syscall to the end of the
 * last; process and thread names as "M" events. Timestamps are
 * microseconds (3 decimals, so ns are kept) since 00:00 UTC of the day of
 * the first event: the time of day reads as the wall clock, and values stay
 * below 2^53 so doubles keep every ns. The day is that of the first
 * plausible slice or the earliest file creation time if earlier; a slice
 * whose wall clock is implausible (outside 2000-2200, or for a file created
 * outside that range, over a year from its creation) is left out and counted
 * per file, so one file's absurd clock anchors cannot move the day and drop
 * the other files' slices. Slices are streamed as the engine sees them; past --max-events
 * the rest is counted; the note says whether anything was left out.
 */
#include "analyze/viz.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/escape.h"
#include "analyze/stacks_report.h"
#include "analyze/units.h"
#include "common/alloc.h"
#include "common/log.h"

#define DAY_NS 86400000000000ull
#define TS_MAX (1ull << 60)	/* ns after the base day: beyond is a broken clock */
#define YEAR_NS (366ull * DAY_NS)
#define SANE_LO 946684800000000000ull	/* 2000-01-01 */
#define SANE_HI 7258118400000000000ull	/* 2200-01-01 */

struct pf_req {
	uint32_t pid, tid, n;
	int64_t first, last;	/* ns since base */
};

/* A thread of the trace and its track: a tid already owned by another
 * process (tid reuse, or a hostile file) gets a track id of its own so
 * that a tid always belongs to one pid in the output. */
struct pf_track {
	uint32_t file, pid, tid;
	uint32_t tpid, ttid;
	int64_t last_end;	/* end of its last slice: slices never overlap */
	bool used;
};

/* Track ids seen: a tid's owning pid, or a pid already named. */
struct pf_id {
	uint32_t id, val;
	bool used;
};

/* An open-addressing hash table of pf_track or pf_id entries (s converts to
 * either): cap is a power of two, n entries are used. */
struct pf_table {
	void *s;
	size_t cap, n;
};

#define PF_SYNTH_TID 0x7f000000u	/* first id of a re-homed thread */

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
	struct pf_table tracks;	/* of struct pf_track */
	struct pf_table owners;	/* of struct pf_id */
	uint32_t next_synth;
	uint64_t out_of_order;	/* before the base day, absurd, or overlapping */
	uint64_t bad_clock[ANA_MAX_FILES];	/* implausible for their file */
	uint64_t bad_clocks;
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
	free(pf->tracks.s);
	free(pf->owners.s);
	free(pf);
}

/* pid/tid of file 0 as recorded; later files get file << 22 added (Linux
 * pid_max is at most 2^22) so merged traces never share a track. */
static uint32_t track_id(uint32_t file, uint32_t id)
{
	return file ? file << 22 | (id & 0x3fffff) : id;
}

static size_t mix(uint64_t a, uint64_t b)
{
	uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full);

	return (size_t)(h ^ (h >> 31));
}

static struct pf_track *track_slot(struct pf_track *s, size_t cap, uint32_t file,
				   uint32_t pid, uint32_t tid)
{
	size_t i = mix((uint64_t)file << 32 | pid, tid) & (cap - 1);

	while (s[i].used && (s[i].file != file || s[i].pid != pid || s[i].tid != tid))
		i = (i + 1) & (cap - 1);
	return &s[i];
}

static struct pf_id *id_slot(struct pf_id *s, size_t cap, uint32_t id)
{
	size_t i = mix(id, 0) & (cap - 1);

	while (s[i].used && s[i].id != id)
		i = (i + 1) & (cap - 1);
	return &s[i];
}

/* Where entry e of an old table goes in the table s of cap slots; NULL when
 * e is an unused slot. */
typedef void *pf_home_fn(void *s, size_t cap, const void *e);

static void *track_home(void *s, size_t cap, const void *e)
{
	const struct pf_track *t = e;

	return t->used ? track_slot(s, cap, t->file, t->pid, t->tid) : NULL;
}

static void *id_home(void *s, size_t cap, const void *e)
{
	const struct pf_id *o = e;

	return o->used ? id_slot(s, cap, o->id) : NULL;
}

/* Makes room for one more entry of size bytes: t doubles at half load, each
 * entry moved to the slot home() gives it. 0 or -ENOMEM (t unchanged). */
static int table_reserve(struct pf_table *t, size_t size, pf_home_fn *home)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	char *s;

	if (t->n + 1 <= t->cap / 2)
		return 0;
	s = alloc_array(cap, size);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		const char *e = (const char *)t->s + i * size;
		void *to = home(s, cap, e);

		if (to)
			memcpy(to, e, size);
	}
	free(t->s);
	t->s = s;
	t->cap = cap;
	return 0;
}

static int tracks_reserve(struct pf_table *t)
{
	return table_reserve(t, sizeof(struct pf_track), track_home);
}

static int ids_reserve(struct pf_table *t)
{
	return table_reserve(t, sizeof(struct pf_id), id_home);
}

/* The track of (file, pid, tid), made on first use; NULL without memory. */
static struct pf_track *track_of(struct ana_pf *pf, uint32_t file, uint32_t pid, uint32_t tid)
{
	struct pf_track *t;
	struct pf_id *o;
	uint32_t cand = track_id(file, tid);

	if (tracks_reserve(&pf->tracks) || ids_reserve(&pf->owners))
		return NULL;
	t = track_slot(pf->tracks.s, pf->tracks.cap, file, pid, tid);
	if (t->used)
		return t;
	*t = (struct pf_track){ file, pid, tid, track_id(file, pid), cand, INT64_MIN, true };
	pf->tracks.n++;
	o = id_slot(pf->owners.s, pf->owners.cap, cand);
	while (o->used && o->val != t->tpid) {
		t->ttid = PF_SYNTH_TID + pf->next_synth++;
		o = id_slot(pf->owners.s, pf->owners.cap, t->ttid);
	}
	if (!o->used) {
		*o = (struct pf_id){ t->ttid, t->tpid, true };
		pf->owners.n++;
	}
	return t;
}

static void put_ts(FILE *f, const char *key, int64_t ns)
{
	uint64_t a = (uint64_t)(ns < 0 ? -ns : ns);

	fprintf(f, ",\"%s\":%s%" PRIu64 ".%03" PRIu64, key, ns < 0 ? "-" : "", a / 1000,
		a % 1000);
}

static void note_request(struct ana_pf *pf, const struct ana_ev_ctx *c,
			 const struct pf_track *t, int64_t ts)
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
		q->pid = t->tpid;
		q->tid = t->ttid;
		q->first = ts;
	}
	q->n++;
	if (ts + (int64_t)c->ev->duration_ns > q->last)
		q->last = ts + (int64_t)c->ev->duration_ns;
}

static void args(const struct ana_engine *e, FILE *f, const struct ana_ev_ctx *c)
{
	const struct ebt_event *ev = c->ev;
	uint32_t depth = ev->stack_id ? ana_stacks_depth(e, c->file, ev->stack_id) : 0;
	char buf[32];

	if (depth)	/* the innermost frame of the stack in "stackFrames" */
		fprintf(f, ",\"sf\":\"f%" PRIu32 "s%" PRIu32 "d%" PRIu32 "\"", c->file,
			ev->stack_id, depth - 1);
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

static bool sane_wall(uint64_t wall)
{
	return wall >= SANE_LO && wall < SANE_HI;
}

/* A wall clock a slice can have: a sane date, or, for a file created at
 * an insane one (a machine without RTC starts in 1970), within a year of
 * its creation. */
static bool plausible(const struct ana_file *f, uint64_t wall)
{
	uint64_t c = f->created_wall;

	if (sane_wall(wall))
		return true;
	if (!c || sane_wall(c))
		return false;
	return wall < c ? c - wall <= YEAR_NS : wall - c <= YEAR_NS;
}

/* The base day: of the first plausible slice, or of an earlier creation
 * time of a file on the same side of the sane range (others merged with
 * it may start first) within half the representable span. */
static void set_base(struct ana_pf *pf, const struct ana_engine *e, uint64_t wall)
{
	uint64_t lo = wall;

	for (uint32_t i = 0; i < e->nfiles; i++) {
		uint64_t c = e->files[i].created_wall;

		if (c && c < lo && sane_wall(c) == sane_wall(wall) && wall - c <= TS_MAX / 2)
			lo = c;
	}
	pf->base = lo - lo % DAY_NS;
	pf->base_set = true;
}

void ana_pf_event(struct ana_engine *e, struct ana_pf *pf, const struct ana_ev_ctx *c)
{
	const struct ebt_event *ev = c->ev;
	uint64_t wall = ev->enter_ns + (uint64_t)e->files[c->file].wall_off;
	struct pf_track *t;
	int64_t ts;

	if (pf->written >= pf->max) {
		pf->skipped++;
		return;
	}
	if (!plausible(&e->files[c->file], wall)) {
		pf->bad_clock[c->file]++;
		pf->bad_clocks++;
		return;
	}
	if (!pf->base_set)
		set_base(pf, e, wall);
	if (wall < pf->base || wall - pf->base > TS_MAX || ev->duration_ns > TS_MAX) {
		pf->out_of_order++;
		return;
	}
	ts = (int64_t)(wall - pf->base);
	t = track_of(pf, c->file, ev->pid, ev->tid);
	if (!t || ts < t->last_end) {
		pf->out_of_order++;
		return;
	}
	t->last_end = ts + (int64_t)ev->duration_ns;
	fputs(pf->written ? ",\n{\"ph\":\"X\",\"name\":" : "{\"ph\":\"X\",\"name\":", pf->f);
	ana_esc_json(pf->f, c->sys->name, strlen(c->sys->name));
	fprintf(pf->f, ",\"cat\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32,
		syscalls_category_name(c->cat), t->tpid, t->ttid);
	put_ts(pf->f, "ts", ts);
	put_ts(pf->f, "dur", (int64_t)ev->duration_ns);
	args(e, pf->f, c);
	pf->written++;
	if (ts > pf->last_ts)
		pf->last_ts = ts;
	if (c->req_id >= 0)
		note_request(pf, c, t, ts);
}

static void meta(FILE *f, const char *what, uint32_t pid, uint32_t tid, const char *name)
{
	fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"args\":{\"name\":", what, pid, tid);
	ana_esc_json(f, name, strlen(name));
	fputs("}}", f);
}

/* Names of the tracks used: thread names from the engine's threads,
 * process names from its processes ("pid N" / "tid N" when unknown). */
static void names(struct ana_pf *pf, const struct ana_engine *e)
{
	struct pf_table named = { 0 };
	char buf[ANA_MAX_STR + 32];

	for (size_t i = 0; i < pf->tracks.cap; i++) {
		const struct pf_track *k = (const struct pf_track *)pf->tracks.s + i;
		uint64_t key = (uint64_t)k->file << 32;
		const struct ana_thread *t;
		const struct ana_proc *p;
		struct pf_id *n;

		if (!k->used)
			continue;
		t = ana_map_get(&e->threads, key | k->tid);
		snprintf(buf, sizeof(buf), "tid %" PRIu32, k->tid);
		meta(pf->f, "thread_name", k->tpid, k->ttid, t && t->tid == k->tid ? t->comm : buf);
		if (ids_reserve(&named))
			continue;
		n = id_slot(named.s, named.cap, k->tpid);
		if (n->used)
			continue;
		*n = (struct pf_id){ k->tpid, 0, true };
		named.n++;
		p = ana_map_get(&e->procs, key | k->pid);
		snprintf(buf, sizeof(buf), "pid %" PRIu32, k->pid);
		meta(pf->f, "process_name", k->tpid, 0,
		     p && p->pid == k->pid && p->comm ? p->comm : buf);
	}
	free(named.s);
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

static void warn_left_out(const struct ana_pf *pf, const struct ana_engine *e)
{
	char day[64];

	for (uint32_t i = 0; i < e->nfiles && i < ANA_MAX_FILES; i++) {
		if (!pf->bad_clock[i])
			continue;
		ana_fmt_wall(day, sizeof(day), e->files[i].created_wall);
		log_warn("perfetto: %s: %" PRIu64 " syscalls left out: wall-clock times"
			 " outside 2000-2200 (broken clock anchors; file created %s)",
			 e->files[i].path, pf->bad_clock[i],
			 e->files[i].created_wall ? day : "at an unknown time");
	}
	if (pf->out_of_order)
		log_warn("perfetto: %" PRIu64 " syscalls with impossible times (before the first"
			 " day, or overlapping their thread's previous one) left out",
			 pf->out_of_order);
}

static const char *note(const struct ana_pf *pf)
{
	if (pf->skipped)
		return "capped by --max-events: narrow with --since/--until";
	if (pf->bad_clocks || pf->out_of_order)
		return "incomplete: slices with impossible times left out (slices_bad_time)";
	return "complete";
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
	warn_left_out(pf, e);
	ana_fmt_wall(day, sizeof(day), pf->base);
	fputs("\n]", pf->f);
	ana_stacks_perfetto_frames(pf->f, e);
	fprintf(pf->f, ",\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":"
		"\"ebpf-analyze\",\"ts_unit\":\"us since ts_base\",\"ts_base\":\"%s\","
		"\"slices\":%" PRIu64 ",\"slices_not_written\":%" PRIu64
		",\"slices_bad_time\":%" PRIu64 ",\"note\":\"%s\"}}\n",
		pf->base_set ? day : "", pf->written, pf->skipped,
		ana_sat_add(pf->out_of_order, pf->bad_clocks), note(pf));
	return ferror(pf->f) ? -EIO : 0;
}
