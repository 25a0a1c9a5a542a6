// SPDX-License-Identifier: MIT
/*
 * Request rebuilding (docs/REPORT.md, "Requests").
 *
 * connection: per (pid, fd) of a server-side socket. A request starts with a
 *   read returning data after the previous response was written and ends
 *   with the last write of its response (closed by the next such read, by
 *   close(), by EOF, by the timeout or by the end of the trace). Other
 *   syscalls of the thread in between belong to the request the thread last
 *   touched, except waits for new work (epoll_wait, poll, accept...).
 * thread: per thread. A request starts when a socket read returns data
 *   (that read, the wait for the request, counts as idle) and ends with the
 *   last socket write before the thread waits for new work again.
 * auto: per process, connection when the process multiplexes (epoll, poll,
 *   select) before its first request, thread otherwise.
 */
#include "analyze/engine.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/engine_sql.h"

enum { ST_READING = 1, ST_WRITING = 2 };

static void unlink_live(struct ana_file *F, struct ana_req *r)
{
	if (r->lprev)
		r->lprev->lnext = r->lnext;
	else
		F->live = r->lnext;
	if (r->lnext)
		r->lnext->lprev = r->lprev;
	else
		F->live_tail = r->lprev;
	r->lnext = r->lprev = NULL;
}

static void push_front(struct ana_file *F, struct ana_req *r)
{
	r->lprev = NULL;
	r->lnext = F->live;
	if (F->live)
		F->live->lprev = r;
	else
		F->live_tail = r;
	F->live = r;
}

static struct ana_req *req_new(struct ana_engine *e, struct ana_ev_ctx *c, int method,
			       uint64_t start)
{
	struct ana_req *r = e->free_reqs;

	if (r)
		e->free_reqs = r->lnext;
	else
		r = malloc(sizeof(*r));
	if (!r)
		return NULL;
	memset(r, 0, offsetof(struct ana_req, peer) + 1);
	memset(&r->start_ts, 0, sizeof(*r) - offsetof(struct ana_req, start_ts));
	r->id = e->next_req_id++;
	r->file = c->file;
	r->pid = c->ev->pid;
	r->tid = c->ev->tid;
	r->fd = c->fd ? c->fd->fd : -1;
	if (c->fd && c->fd->peer)
		ana_strlcpy(r->peer, c->fd->peer, sizeof(r->peer));
	r->method = method;
	r->state = ST_READING;
	r->live = true;
	r->start_ts = r->end_ts = r->last_ts = start;
	push_front(&e->files[r->file], r);
	if (++e->nlive > e->max_live)
		e->max_live = e->nlive;
	return r;
}

static void keep_slowest(struct ana_engine *e, const struct ana_req *r)
{
	uint64_t d = r->end_ts - r->start_ts;
	uint32_t slot;

	if (e->nslowest == e->cap_slowest && d <= e->slowest_min_ns)
		return;
	slot = e->nslowest < e->cap_slowest ? e->nslowest++ : e->slowest_min;
	e->slowest[slot] = *r;
	if (e->nslowest < e->cap_slowest)
		return;
	e->slowest_min = 0;
	for (uint32_t i = 1; i < e->nslowest; i++) {
		if (e->slowest[i].end_ts - e->slowest[i].start_ts <
		    e->slowest[e->slowest_min].end_ts - e->slowest[e->slowest_min].start_ts)
			e->slowest_min = i;
	}
	e->slowest_min_ns = e->slowest[e->slowest_min].end_ts -
			    e->slowest[e->slowest_min].start_ts;
}

/* dst[c] += src[c] for every category; restrict lets the compiler add two
 * at a time. */
static void add_cat_ns(uint64_t *restrict dst, const uint64_t *restrict src)
{
	for (int i = 0; i < SC__COUNT; i++)
		dst[i] += src[i];
}

void ana_req_close(struct ana_engine *e, struct ana_req *r, bool complete)
{
	uint64_t dur = r->end_ts - r->start_ts;
	struct ana_thread *t;
	struct ana_fd *f;
	uint64_t wall;

	r->complete = complete;
	r->lossy = ana_loss_overlaps(e, r->file, r->start_ts, r->end_ts);
	ana_hist_add1(&e->req_h, dur);
	e->req_count++;
	e->req_incomplete += !complete;
	e->req_lossy += r->lossy;
	e->req_syscall_ns += r->syscall_ns;
	add_cat_ns(e->req_cat_ns, r->cat_ns);
	wall = r->end_ts + (uint64_t)e->files[r->file].wall_off;
	if (e->win_base_set)
		ana_window_of(e, wall)->requests++;
	keep_slowest(e, r);
	if (e->sql)
		ana_sqlsink_request(e, r);
	/* unlink: only thread-mode requests hang off a thread (t->req), only
	 * connection-mode ones off an fd (f->req) */
	if (r->method == ANA_REQ_THREAD) {
		t = e->tcache[r->tid & 255];	/* usually the thread of the last event */
		if (!t || t->req != r)
			t = ana_map_get(&e->threads, (uint64_t)r->file << 32 | r->tid);
		if (t && t->req == r)
			t->req = NULL;
	} else if (r->fd >= 0) {
		f = ana_fd_get(e, r->file, r->pid, r->fd, false);
		if (f && f->req == r)
			f->req = NULL;
	}
	r->live = false;
	e->nlive--;
	unlink_live(&e->files[r->file], r);
	r->lnext = e->free_reqs;
	r->lprev = NULL;
	e->free_reqs = r;
}

static void ngram(struct ana_engine *e, struct ana_req *r, uint32_t sid)
{
	uint64_t key;
	uint32_t i;

	if (r->nprev >= 2) {
		key = (uint64_t)(r->prev[0] + 1) << 32 | (uint64_t)(r->prev[1] + 1) << 16 |
		      (sid + 1);
		i = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 48);
		for (uint32_t n = 0; n < 64; n++, i = (i + 1) & (ANA_MAX_NGRAMS - 1)) {
			if (e->ngrams[i].key == key) {
				e->ngrams[i].count++;
				break;
			}
			if (!e->ngrams[i].key) {
				if (e->nngrams * 4 >= ANA_MAX_NGRAMS * 3) {
					e->ngram_dropped++;
					break;
				}
				e->ngrams[i].key = key;
				e->ngrams[i].count = 1;
				e->nngrams++;
				break;
			}
		}
	}
	r->prev[0] = r->prev[1];
	r->prev[1] = sid;
	if (r->nprev < 2)
		r->nprev++;
}

static void attribute(struct ana_engine *e, struct ana_req *r, struct ana_ev_ctx *c)
{
	const struct ebt_event *ev = c->ev;
	uint64_t ns = ev->duration_ns * c->w, end = ev->enter_ns + ev->duration_ns;
	uint32_t m = 0;

	r->syscalls += c->w;
	r->syscall_ns += ns;
	r->cat_ns[c->cat] += ns;
	if (end > r->end_ts)
		r->end_ts = end;
	r->last_ts = end;
	for (uint32_t i = 1; i < 3; i++) {
		if (r->top[i].dur < r->top[m].dur)
			m = i;
	}
	if (ev->duration_ns > r->top[m].dur) {
		r->top[m].sid = c->sid;
		r->top[m].dur = ev->duration_ns;
		r->top[m].ts = ev->enter_ns;
	}
	ngram(e, r, c->sid);
	c->req_id = r->id;
	if (e->files[r->file].live != r) {
		/* most recently active first: the sweep stops at the first live one */
		unlink_live(&e->files[r->file], r);
		push_front(&e->files[r->file], r);
	}
}

static struct ana_req *thread_cur(struct ana_thread *t)
{
	if (t->cur && t->cur->live && t->cur->id == t->cur_id)
		return t->cur;
	t->cur = NULL;
	return NULL;
}

static void set_cur(struct ana_thread *t, struct ana_req *r)
{
	t->cur = r;
	t->cur_id = r ? r->id : -1;
}

static bool is_sock(const struct ana_engine *e, const struct ana_ev_ctx *c)
{
	const struct ana_fd *f = c->fd;

	if (!f)
		return false;
	if (f->kind == EBT_FD_SOCKET)
		return true;
	/* no fd facts in the trace at all: any fd > 2 may be a socket */
	return f->kind == EBT_FD_UNKNOWN && f->fd > 2 && !e->files[c->file].fd_records;
}

static struct ana_req *live_or_null(struct ana_req *r)
{
	return r && r->live ? r : NULL;
}

/* Returns true when the event was fully handled as server-socket I/O. */
static bool conn_server_io(struct ana_engine *e, struct ana_ev_ctx *c)
{
	struct ana_fd *f = c->fd;
	struct ana_req *r = live_or_null(f->req);
	enum ana_sys_class cls = c->sys->cls;

	if (cls == ANA_CL_READ && c->ev->ret > 0) {
		if (r && r->state == ST_WRITING) {
			ana_req_close(e, r, true);
			r = NULL;
		}
		if (!r)
			r = f->req = req_new(e, c, ANA_REQ_CONNECTION, c->ev->enter_ns);
		if (!r)
			return true;
	} else if (cls == ANA_CL_READ && r && r->state == ST_WRITING) {
		/* after the response: EOF or EAGAIN belong to no request, and the
		 * time until them (keep-alive idling) is not the request's */
		if (c->ev->ret == 0)
			ana_req_close(e, r, true);
		return true;
	} else if (cls == ANA_CL_READ && c->ev->ret == 0 && r) {
		attribute(e, r, c);
		ana_req_close(e, r, false);
		return true;
	} else if (cls == ANA_CL_WRITE && r) {
		r->state = ST_WRITING;
	} else if (cls == ANA_CL_POLLWAIT) {
		return false;
	}
	if (!r)
		return cls == ANA_CL_READ || cls == ANA_CL_WRITE;
	attribute(e, r, c);
	set_cur(c->t, r);
	return true;
}

/* sock: is_sock(e, c), computed once per event by ana_req_event() */
static void conn_event(struct ana_engine *e, struct ana_ev_ctx *c, bool sock)
{
	struct ana_req *cur = thread_cur(c->t);
	enum ana_sys_class cls = c->sys->cls;
	struct ana_fd *f = c->fd;

	if (sock && cls != ANA_CL_POLLWAIT) {
		if (f->role == ANA_ROLE_SERVER && conn_server_io(e, c))
			return;
	}
	if (cls == ANA_CL_POLLWAIT) {
		c->idle = true;
		set_cur(c->t, NULL);
		return;
	}
	if (cls == ANA_CL_BLOCK && !(cur && cur->state == ST_READING)) {
		c->idle = true;
		return;
	}
	if (cur)
		attribute(e, cur, c);
}

static void thread_event(struct ana_engine *e, struct ana_ev_ctx *c, bool sock)
{
	struct ana_thread *t = c->t;
	struct ana_req *r = live_or_null(t->req);
	enum ana_sys_class cls = c->sys->cls;
	bool sockio = sock && c->fd->role == ANA_ROLE_SERVER;

	if (cls == ANA_CL_READ && sockio && c->ev->ret <= 0 && (!r || r->state == ST_WRITING)) {
		/* EOF or a failed read after the response: the client is gone or
		 * idle; the wait is idle time and the request is over */
		if (r)
			ana_req_close(e, r, true);
		c->idle = true;
		return;
	}
	if (cls == ANA_CL_READ && sockio && c->ev->ret > 0) {
		if (r && r->state == ST_WRITING) {
			ana_req_close(e, r, true);
			r = NULL;
		}
		if (!r) {
			t->req = req_new(e, c, ANA_REQ_THREAD,
					 c->ev->enter_ns + c->ev->duration_ns);
			c->idle = true;
			return;
		}
	} else if (cls == ANA_CL_WRITE && sockio && r) {
		r->state = ST_WRITING;
	} else if (cls == ANA_CL_POLLWAIT || cls == ANA_CL_BLOCK) {
		if (r && r->state == ST_WRITING) {
			ana_req_close(e, r, true);
			r = NULL;
		}
		if (!r) {
			c->idle = true;
			return;
		}
	}
	if (r)
		attribute(e, r, c);
}

/* The method of process p, decided at its first request-like event (0:
 * not yet, and the event is no request's). */
static int __attribute__((noinline)) pick_method(struct ana_engine *e, struct ana_ev_ctx *c,
						 struct ana_proc *p, bool sock)
{
	enum ana_req_method want = e->opts->requests;
	int m;

	if (want != ANA_REQ_AUTO)
		m = want;
	else if (c->sys->cls == ANA_CL_READ && c->ev->ret > 0 && sock &&
		 c->fd->role != ANA_ROLE_CLIENT)
		m = p->saw_poll ? ANA_REQ_CONNECTION : ANA_REQ_THREAD;
	else
		return 0;
	p->method = m;
	if (m == ANA_REQ_CONNECTION)
		e->procs_conn++;
	else
		e->procs_thread++;
	return m;
}

void ana_req_event(struct ana_engine *e, struct ana_ev_ctx *c)
{
	enum ana_sys_class cls = c->sys->cls;
	struct ana_proc *p = c->t->proc;
	bool sock;
	int m;

	if (!p || e->opts->requests == ANA_REQ_NONE) {
		c->idle = cls == ANA_CL_POLLWAIT || cls == ANA_CL_BLOCK;
		return;
	}
	if (c->sys->is_mux)
		p->saw_poll = true;
	sock = is_sock(e, c);
	/* a socket we connected, or first wrote to, is a client: its traffic
	 * is part of the request in progress, never the start of one */
	if (sock && c->fd->role == ANA_ROLE_UNKNOWN) {
		if (cls == ANA_CL_READ && c->ev->ret > 0)
			c->fd->role = ANA_ROLE_SERVER;
		else if (cls == ANA_CL_WRITE)
			c->fd->role = ANA_ROLE_CLIENT;
	}
	m = p->method;
	if (__builtin_expect(!m, 0))
		m = pick_method(e, c, p, sock);
	if (m == ANA_REQ_CONNECTION)
		conn_event(e, c, sock);
	else if (m)
		thread_event(e, c, sock);
	else
		c->idle = cls == ANA_CL_POLLWAIT || cls == ANA_CL_BLOCK;
}

/* Closes the requests of file silent for longer than the timeout; the list
 * is ordered by activity, so this stops at the first one still active. */
void ana_req_sweep(struct ana_engine *e, uint32_t file, uint64_t now_ts)
{
	uint64_t limit = e->opts->request_timeout_ns;
	struct ana_req *r;

	while ((r = e->files[file].live_tail) && now_ts > r->last_ts &&
	       now_ts - r->last_ts > limit)
		ana_req_close(e, r, r->state == ST_WRITING);
}

void ana_req_thread_exit(struct ana_engine *e, struct ana_thread *t)
{
	struct ana_req *r = live_or_null(t->req);

	if (r)
		ana_req_close(e, r, r->state == ST_WRITING);
}

void ana_req_finish(struct ana_engine *e)
{
	for (uint32_t i = 0; i < e->nfiles; i++) {
		while (e->files[i].live)
			ana_req_close(e, e->files[i].live, e->files[i].live->state == ST_WRITING);
	}
}
