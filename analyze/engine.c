// SPDX-License-Identifier: MIT
/* The per-event path of the analysis engine (its lifecycle: engine_life.c). */
#include "analyze/engine.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/engine_sql.h"
#include "analyze/stacks.h"
#include "analyze/viz.h"
#include "common/log.h"

void ana_engine_file_info(struct ana_engine *e, uint32_t idx, const struct ebt_info *info)
{
	struct ana_file *f = &e->files[idx];

	f->created_wall = info->created_realtime_ns;
	f->lost = info->lost_events;
	f->damaged_chunks = info->damaged_chunks;
	f->damaged_events = info->damaged_events;
	f->truncated = info->truncated;
	f->footer_seen = info->footer_seen;
}

/* Wall clock from the nearest anchors; linear between two. */
uint64_t ana_engine_wall(const struct ana_engine *e, uint32_t idx, uint64_t ts)
{
	const struct ana_file *f = &e->files[idx];
	const struct ana_anchor *a = f->anchors;
	size_t lo = 0, hi = f->nanchors;

	if (!f->nanchors)
		return f->wall_known ? ts + (uint64_t)f->wall_off : 0;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (a[mid].ev <= ts)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 < f->nanchors && a[lo].ev <= ts && a[lo + 1].ev > a[lo].ev) {
		double k = (double)(ts - a[lo].ev) / (double)(a[lo + 1].ev - a[lo].ev);

		double dw = (double)(int64_t)(a[lo + 1].wall - a[lo].wall);

		return a[lo].wall + (uint64_t)(int64_t)(k * dw);
	}
	return a[lo].wall + (ts - a[lo].ev);	/* modular: lying anchors cannot trap */
}

/* The window holding wall, off the cached range; widens the windows when
 * needed. */
static struct ana_window *__attribute__((noinline)) window_slow(struct ana_engine *e,
								 uint64_t wall)
{
	uint64_t i;

	if (!e->win_base_set) {
		e->win_base = wall - wall % e->win_width;
		e->win_base_set = true;
	}
	i = wall > e->win_base ? (wall - e->win_base) / e->win_width : 0;
	while (i >= ANA_MAX_WINDOWS) {
		/* double the width: merge pairs, exactly */
		for (uint32_t j = 1; j < ANA_MAX_WINDOWS; j++) {
			struct ana_window *d = &e->win[j / 2], *s = &e->win[j];

			ana_hist_merge(&d->h, &s->h);
			d->errors += s->errors;
			d->idle_ns += s->idle_ns;
			d->req_ns += s->req_ns;
			d->requests += s->requests;
			ana_hist_reset(&s->h);
			s->errors = s->idle_ns = s->req_ns = s->requests = 0;
		}
		e->win_width *= 2;
		e->nwin = (e->nwin + 1) / 2;
		i = (wall - e->win_base) / e->win_width;
	}
	if (i + 1 > e->nwin)
		e->nwin = (uint32_t)i + 1;
	e->win_idx = (uint32_t)i;
	e->win_cur = &e->win[i];
	e->win_lo = wall >= e->win_base ? e->win_base + i * e->win_width : 0;
	e->win_hi = wall >= e->win_base ? e->win_base + (i + 1) * e->win_width : e->win_base;
	return e->win_cur;
}

static inline struct ana_window *window_at(struct ana_engine *e, uint64_t wall)
{
	if (wall >= e->win_lo && wall < e->win_hi)
		return e->win_cur;
	return window_slow(e, wall);
}

/* Returns the window: valid until the windows widen (e->win_width grows). */
static struct ana_window *window_add(struct ana_engine *e, uint64_t wall,
				     const struct ebt_event *ev, uint64_t w, bool err,
				     uint32_t idx)
{
	struct ana_window *x = window_at(e, wall);

	if (w == 1)
		ana_hist_add1i(&x->h, ev->duration_ns, idx);
	else
		ana_hist_add(&x->h, ev->duration_ns, w);
	if (err)
		x->errors += w;
	return x;
}

struct ana_window *ana_window_of(struct ana_engine *e, uint64_t wall)
{
	return window_at(e, wall);
}

static bool matches_filters(struct ana_engine *e, struct ana_thread *t)
{
	const struct ana_opts *o = e->opts;
	struct ana_proc *p = ana_proc_get(e, t->file, t->pid);
	bool ok = true;
	uint32_t i;

	if (o->npids) {
		for (i = 0; i < o->npids && o->pids[i] != t->pid; i++)
			;
		ok = ok && i < o->npids;
	}
	if (o->ntids) {
		for (i = 0; i < o->ntids && o->tids[i] != t->tid; i++)
			;
		ok = ok && i < o->ntids;
	}
	if (o->ncomms) {
		for (i = 0; i < o->ncomms; i++) {
			if (!strcmp(o->comms[i], t->comm) ||
			    (p && p->comm && !strcmp(o->comms[i], p->comm)))
				break;
		}
		ok = ok && i < o->ncomms;
	}
	return ok;
}

/*
 * ana_fd_get(e, file, pid, fd, true) through thread t's cache of the two fds
 * it used last (a live entry is the one the map holds for its key): a
 * thread mostly alternates between a connection and a file it opens,
 * writes and closes per request.
 */
static inline struct ana_fd *fd_of(struct ana_engine *e, struct ana_thread *t,
				   uint32_t file, uint32_t pid, int32_t fd)
{
	struct ana_fd *f = t->last_fd[0];

	if (!f || !f->live || f->fd != fd || f->pid != pid || f->file != file) {
		f = t->last_fd[1];
		if (!f || !f->live || f->fd != fd || f->pid != pid || f->file != file)
			f = ana_fd_get(e, file, pid, fd, true);
		if (!f)
			return NULL;
		t->last_fd[1] = t->last_fd[0];
		t->last_fd[0] = f;
	}
	if (f->closed) {
		f->closed = false;	/* the number is in use again */
		e->fds_closed--;
	}
	return f;
}

/* The return value of some syscalls is a new fd: learn its kind. */
static void fd_created(struct ana_engine *e, uint32_t file, const struct ebt_event *ev,
		       const struct ana_sys *s, struct ana_thread *t)
{
	struct ana_fd *f;

	if (ev->ret < 0 || ev->ret > INT32_MAX)
		return;
	f = fd_of(e, t, file, ev->pid, (int32_t)ev->ret);
	if (f)
		ana_fd_created(e, f, file, ev, s);
}

static struct ana_fd *fd_event(struct ana_engine *e, uint32_t file, const struct ebt_event *ev,
			       const struct ana_sys *s, uint64_t w, struct ana_thread *t)
{
	uint64_t end = ev->enter_ns + ev->duration_ns;
	struct ana_fd *f;

	if (ev->arg0 > INT32_MAX)
		return NULL;
	f = fd_of(e, t, file, ev->pid, (int32_t)ev->arg0);
	if (!f)
		return NULL;
	if (f->npend && end >= f->pend[0].ts)
		ana_fd_apply_pending(e, f, end);
	if (!f->first_ts)
		f->first_ts = ev->enter_ns;
	f->last_ts = end;
	f->syscalls += w;
	f->ns += ev->duration_ns * w;
	if (ev->duration_ns > f->max_ns)
		f->max_ns = ev->duration_ns;
	if (s->sock_only && f->kind == EBT_FD_UNKNOWN)
		f->kind = EBT_FD_SOCKET;
	if (s->is_connect)
		f->role = ANA_ROLE_CLIENT;
	if (s->cls == ANA_CL_READ) {
		f->tiny_len = 0;
		f->reads += w;
		if (ev->ret > 0 && ev->ret <= ANA_TINY_IO)
			f->tiny_reads += w;
	} else if (s->cls == ANA_CL_WRITE) {
		f->writes += w;
		if (ev->ret > 0 && ev->ret <= ANA_TINY_IO)
			f->tiny_writes += w;
	}
	return f;
}

static void slow_keep(struct ana_sys *s, const struct ana_slow *v)
{
	uint32_t i, c, n = s->nslow;

	if (n < ANA_TOPK_SYS) {
		i = s->nslow++;
		while (i && s->slow[(i - 1) / 2].dur > v->dur) {
			s->slow[i] = s->slow[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		s->slow[i] = *v;
		return;
	}
	if (v->dur <= s->slow[0].dur)
		return;
	i = 0;
	for (;;) {
		c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && s->slow[c + 1].dur < s->slow[c].dur)
			c++;
		if (s->slow[c].dur >= v->dur)
			break;
		s->slow[i] = s->slow[c];
		i = c;
	}
	s->slow[i] = *v;
}

/* An event of a descriptor-generic syscall counted in another category
 * (the syscall's own row still counts it: s->h minus the alt parts is the
 * own category's share). */
static struct ana_sys_alt *__attribute__((noinline)) alt_new(struct ana_sys *s)
{
	s->alt = calloc(SC__COUNT, sizeof(*s->alt));
	for (int i = 0; s->alt && i < SC__COUNT; i++)
		ana_hist_init(&s->alt[i].h);
	return s->alt;
}

/* hidx: ana_hist_index(c->ev->duration_ns) */
static inline void alt_account(struct ana_ev_ctx *c, uint64_t ns, uint32_t hidx)
{
	struct ana_sys *s = c->sys;
	const struct ebt_event *ev = c->ev;
	struct ana_sys_alt *a;

	if (__builtin_expect(!s->alt, 0) && !alt_new(s)) {
		c->cat = s->cat;	/* out of memory: own category */
		return;
	}
	a = &s->alt[c->cat];
	if (c->w == 1)
		ana_hist_add1i(&a->h, ev->duration_ns, hidx);
	else
		ana_hist_add(&a->h, ev->duration_ns, c->w);
	if (ev->ret < 0 && ev->ret >= -4095)
		a->errors += c->w;
	if (c->idle) {
		a->idle_ns += ns;
		a->idle_count += c->w;
	} else if (c->req_id >= 0) {
		a->req_ns += ns;
		a->req_count += c->w;
	}
}

/* win is the event's window as of window width width. */
static void account(struct ana_engine *e, struct ana_ev_ctx *c, uint64_t wall,
		    struct ana_window *win, uint64_t width, uint32_t hidx)
{
	const struct ebt_event *ev = c->ev;
	uint64_t ns = ev->duration_ns * c->w;

	/* closing a request may have widened the windows since */
	if (__builtin_expect(e->win_width != width, 0))
		win = window_at(e, wall);

	if (__builtin_expect(c->cat != c->sys->cat, 0)) {
		alt_account(c, ns, hidx);
	} else if (c->sys->cat_by_fd) {
		if (ev->duration_ns < c->sys->own_min)
			c->sys->own_min = ev->duration_ns;
		if (ev->duration_ns > c->sys->own_max)
			c->sys->own_max = ev->duration_ns;
	}
	if (c->idle) {
		e->idle_ns += ns;
		e->idle_count += c->w;
		c->sys->idle_ns += ns;
		c->sys->idle_count += c->w;
		c->t->idle_ns += ns;
		win->idle_ns += ns;
		return;
	}
	if (c->req_id >= 0) {
		e->attributed_ns += ns;
		e->attributed_count += c->w;
		c->sys->req_ns += ns;
		c->sys->req_count += c->w;
		c->t->req_ns += ns;
		win->req_ns += ns;
	} else {
		e->unattributed_ns += ns;
		e->unattributed_count += c->w;
	}
	if (ev->duration_ns > (c->sys->nslow < ANA_TOPK_SYS ? 0 : c->sys->slow[0].dur)) {
		struct ana_slow v = { ev->enter_ns, ev->duration_ns, c->file, ev->pid,
				      ev->tid, c->req_id };

		slow_keep(c->sys, &v);
	}
}

/* A tiny write extends the run of tiny writes of its fd in its request. */
static void tiny_write(struct ana_ev_ctx *c)
{
	struct ana_fd *f = c->fd;

	if (f->tiny_len && f->tiny_req == c->req_id) {
		if (f->tiny_len == 1) {
			c->sys->tiny_bursts += c->w;
			c->sys->tiny_burst_ns += f->tiny_first_ns;
		}
		c->sys->tiny_rep += c->w;
		c->sys->tiny_burst_ns += c->ev->duration_ns * c->w;
		f->tiny_len++;
		return;
	}
	f->tiny_req = c->req_id;
	f->tiny_len = 1;
	f->tiny_first_ns = c->ev->duration_ns * c->w;
}

static void count_error(struct ana_sys *s, struct ana_thread *t, int64_t ret, uint64_t w)
{
	uint64_t no = (uint64_t)-ret;

	s->errors += w;
	t->errors += w;
	if (!s->errnos)
		s->errnos = calloc(ANA_MAX_ERRNO, sizeof(*s->errnos));
	if (s->errnos)
		s->errnos[no < ANA_MAX_ERRNO ? no : 0] += w;
}

static struct ana_thread *thread_of(struct ana_engine *e, uint32_t file,
				    const struct ebt_event *ev)
{
	struct ana_thread **slot = &e->tcache[ev->tid & 255], *t = *slot;

	if (t && t->tid == ev->tid && t->file == file && t->pid == ev->pid)
		return t;
	t = ana_thread_get(e, file, ev->pid, ev->tid);
	*slot = t;
	return t;
}

/* sinks: e->sql or e->opts->viz is set */
static void on_event(struct ana_engine *e, uint32_t file, const struct ebt_event *ev, bool sinks)
{
	struct ana_file *F = &e->files[file];
	uint32_t slot = ev->nr < 1024 ? ev->nr : 1023;
	struct ana_ev_ctx c;	/* filled once the event is kept */
	bool err = ev->ret < 0 && ev->ret >= -4095;
	struct ana_window *win;
	uint64_t wall, width;
	uint32_t hidx;
	int sid;

	if (ev->flags & EBT_EV_COMPAT)
		slot += 1024;
	sid = F->sid_of[slot];
	if (sid < 0)
		sid = ana_sys_resolve(e, file, slot);
	if (sid < 0)
		return;
	c.sid = (uint32_t)sid;
	c.sys = e->sys[sid];
	if ((c.sys->excluded && !ana_event_selected(e, file, ev, c.sys)) ||
	    ev->enter_ns < F->since_ts || ev->enter_ns > F->until_ts)
		return;
	c.t = thread_of(e, file, ev);
	if (!c.t)
		return;
	if (!c.t->filter_known) {
		c.t->excluded = !matches_filters(e, c.t);
		c.t->filter_known = true;
	}
	if (c.t->excluded)
		return;
	F->kept++;
	e->kept++;
	c.ev = ev;
	c.file = file;
	c.fd = NULL;
	c.req_id = -1;
	c.idle = false;
	c.w = F->sample_every;
	hidx = ana_hist_index(ev->duration_ns);	/* once for every histogram */
	if (c.w == 1) {
		ana_hist_add1i(&c.sys->h, ev->duration_ns, hidx);
		ana_hist_add1i(&c.t->h, ev->duration_ns, hidx);
	} else {
		ana_hist_add(&c.sys->h, ev->duration_ns, c.w);
		ana_hist_add(&c.t->h, ev->duration_ns, c.w);
	}
	if (err)
		count_error(c.sys, c.t, ev->ret, c.w);
	else if (c.sys->cls == ANA_CL_READ || c.sys->cls == ANA_CL_WRITE)
		c.sys->tiny += (ev->ret > 0 && ev->ret <= ANA_TINY_IO) ? c.w : 0;
	wall = ev->enter_ns + (uint64_t)F->wall_off;
	win = window_add(e, wall, ev, c.w, err, hidx);
	width = e->win_width;
	if (c.sys->fd_first)
		c.fd = fd_event(e, file, ev, c.sys, c.w, c.t);
	c.cat = ana_event_category(c.sys, c.fd);
	ana_req_event(e, &c);
	account(e, &c, wall, win, width, hidx);
	if (ev->stack_id)
		ana_stacks_event(e, &c);	/* reads no fd state */
	if (c.fd) {
		if (c.sys->cls == ANA_CL_WRITE && ev->ret > 0 && ev->ret <= ANA_TINY_IO)
			tiny_write(&c);
		if (!c.idle && c.fd->kind == EBT_FD_SOCKET)
			c.fd->net_ns += ev->duration_ns * c.w;
	}
	if (c.sys->new_fd_kind || c.sys->is_dup)
		fd_created(e, file, ev, c.sys, c.t);
	if (c.sys->cls == ANA_CL_CLOSE && c.fd && (ev->ret == 0 || ev->ret == -4))
		ana_fd_release(e, c.fd);
	if (!sinks)
		return;
	if (e->sql)
		ana_sqlsink_event(e, &c);
	if (e->opts->viz)
		ana_viz_event(e, &c);
}

/* Exited threads are folded into their process two chunks after their EXIT
 * record (their last events may follow it): buckets freed, counters kept. */
static void fold_exited_threads(struct ana_engine *e)
{
	size_t keep = 0;

	for (size_t i = 0; i < e->ndying; i++) {
		struct ana_thread *t = e->dying[i];

		if (t->exit_chunk + 2 > e->chunk_no) {
			e->dying[keep++] = t;
			continue;
		}
		ana_req_thread_exit(e, t);
		if (t->proc)
			ana_hist_merge(&t->proc->h, &t->h);
		ana_hist_drop_buckets(&t->h);	/* counters stay for the listing */
		t->folded = true;
	}
	e->ndying = keep;
}

static uint64_t bound_ts(const struct ana_file *f, const struct ana_time_bound *b,
			 uint64_t dflt)
{
	int64_t ts;

	if (!b->set)
		return dflt;
	if (b->relative)
		return f->ts_first + b->ns;
	if (!f->wall_known) {
		log_warn("%s has no clock anchors: --since/--until ignored", f->path);
		return dflt;
	}
	ts = (int64_t)(b->ns - (uint64_t)f->wall_off);
	return ts < 0 ? 0 : (uint64_t)ts;
}

int ana_engine_chunk(struct ana_engine *e, uint32_t idx, const struct ebt_chunk *c)
{
	struct ana_file *F = &e->files[idx];
	bool sinks = e->sql || e->opts->viz;
	int err = 0;

	e->chunk_no++;
	F->chunks++;
	for (size_t i = 0; i < c->n_records && !err; i++)
		err = ana_meta_record(e, idx, &c->records[i]);
	if (err)
		return err;
	ana_meta_chunk_end(e, idx);
	if (c->n_events && !F->have_ts) {
		F->ts_first = c->events[0].enter_ns;
		F->have_ts = true;
		if (!F->nanchors && !F->wall_known && F->created_wall) {
			F->wall_off = (int64_t)(F->created_wall - F->ts_first);
			F->wall_known = true;
		}
	}
	if (c->n_events && !F->bounds_set) {
		F->since_ts = bound_ts(F, &e->opts->since, 0);
		F->until_ts = bound_ts(F, &e->opts->until, UINT64_MAX);
		F->bounds_set = true;
	}
	/* a chunk without events may have no array at all (NULL + 0 is UB) */
	for (const struct ebt_event *ev = c->events, *stop = c->n_events ? ev + c->n_events : ev;
	     ev < stop; ev++) {
		uint64_t end = ev->enter_ns + ev->duration_ns;

		if (ev->enter_ns < F->ts_first)
			F->ts_first = ev->enter_ns;
		if (end > F->ts_last)
			F->ts_last = end;
		on_event(e, idx, ev, sinks);
	}
	F->events += c->n_events;
	e->events += c->n_events;
	if (c->n_events) {
		ana_req_sweep(e, idx, F->ts_last);
		if ((e->chunk_no & 7) == 0)
			fold_exited_threads(e);
	}
	if (e->sql && e->sql_err)
		return e->sql_err;
	return 0;
}
