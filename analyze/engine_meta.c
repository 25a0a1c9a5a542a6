// SPDX-License-Identifier: MIT
/* Metadata records (names, clocks, tasks, fds, loss) and syscall naming. */
#include "analyze/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/stacks.h"
#include "common/alloc.h"
#include "common/log.h"
#include "common/parse.h"

#define ANA_PEND_SWEEP_MIN 4096u	/* pending facts before the first fold */

struct name_flags {
	const char *name;
	enum ana_sys_class cls;
	uint32_t new_fd_kind;
	bool sock_only;
};

/* Sorted by name. Anything not here is ANA_CL_OTHER. */
static const struct name_flags flags[] = {
	{ "_newselect", ANA_CL_POLLWAIT, 0, false },
	{ "accept", ANA_CL_POLLWAIT, EBT_FD_SOCKET, true },
	{ "accept4", ANA_CL_POLLWAIT, EBT_FD_SOCKET, true },
	{ "bind", ANA_CL_OTHER, 0, true },
	{ "clock_nanosleep", ANA_CL_BLOCK, 0, false },
	{ "close", ANA_CL_CLOSE, 0, false },
	{ "connect", ANA_CL_OTHER, 0, true },
	{ "creat", ANA_CL_OTHER, EBT_FD_FILE, false },
	{ "epoll_create", ANA_CL_OTHER, EBT_FD_EPOLL, false },
	{ "epoll_create1", ANA_CL_OTHER, EBT_FD_EPOLL, false },
	{ "epoll_pwait", ANA_CL_POLLWAIT, 0, false },
	{ "epoll_pwait2", ANA_CL_POLLWAIT, 0, false },
	{ "epoll_wait", ANA_CL_POLLWAIT, 0, false },
	{ "eventfd", ANA_CL_OTHER, EBT_FD_EVENTFD, false },
	{ "eventfd2", ANA_CL_OTHER, EBT_FD_EVENTFD, false },
	{ "fdatasync", ANA_CL_SYNC, 0, false },
	{ "flock", ANA_CL_BLOCK, 0, false },
	{ "fsync", ANA_CL_SYNC, 0, false },
	{ "futex", ANA_CL_BLOCK, 0, false },
	{ "futex_wait", ANA_CL_BLOCK, 0, false },
	{ "futex_waitv", ANA_CL_BLOCK, 0, false },
	{ "getpeername", ANA_CL_OTHER, 0, true },
	{ "getsockname", ANA_CL_OTHER, 0, true },
	{ "getsockopt", ANA_CL_OTHER, 0, true },
	{ "inotify_init", ANA_CL_OTHER, EBT_FD_INOTIFY, false },
	{ "inotify_init1", ANA_CL_OTHER, EBT_FD_INOTIFY, false },
	{ "io_getevents", ANA_CL_BLOCK, 0, false },
	{ "listen", ANA_CL_OTHER, 0, true },
	{ "memfd_create", ANA_CL_OTHER, EBT_FD_MEMFD, false },
	{ "mq_timedreceive", ANA_CL_BLOCK, 0, false },
	{ "msgrcv", ANA_CL_BLOCK, 0, false },
	{ "msync", ANA_CL_SYNC, 0, false },
	{ "nanosleep", ANA_CL_BLOCK, 0, false },
	{ "open", ANA_CL_OTHER, EBT_FD_FILE, false },
	{ "openat", ANA_CL_OTHER, EBT_FD_FILE, false },
	{ "openat2", ANA_CL_OTHER, EBT_FD_FILE, false },
	{ "pause", ANA_CL_POLLWAIT, 0, false },
	{ "poll", ANA_CL_POLLWAIT, 0, false },
	{ "ppoll", ANA_CL_POLLWAIT, 0, false },
	{ "pselect6", ANA_CL_POLLWAIT, 0, false },
	{ "read", ANA_CL_READ, 0, false },
	{ "readv", ANA_CL_READ, 0, false },
	{ "recvfrom", ANA_CL_READ, 0, true },
	{ "recvmmsg", ANA_CL_READ, 0, true },
	{ "recvmsg", ANA_CL_READ, 0, true },
	{ "rt_sigsuspend", ANA_CL_POLLWAIT, 0, false },
	{ "rt_sigtimedwait", ANA_CL_POLLWAIT, 0, false },
	{ "sched_yield", ANA_CL_BLOCK, 0, false },
	{ "select", ANA_CL_POLLWAIT, 0, false },
	{ "semop", ANA_CL_BLOCK, 0, false },
	{ "semtimedop", ANA_CL_BLOCK, 0, false },
	{ "sendfile", ANA_CL_WRITE, 0, false },
	{ "sendfile64", ANA_CL_WRITE, 0, false },
	{ "sendmmsg", ANA_CL_WRITE, 0, true },
	{ "sendmsg", ANA_CL_WRITE, 0, true },
	{ "sendto", ANA_CL_WRITE, 0, true },
	{ "setsockopt", ANA_CL_OTHER, 0, true },
	{ "shutdown", ANA_CL_OTHER, 0, true },
	{ "signalfd", ANA_CL_OTHER, EBT_FD_SIGNALFD, false },
	{ "signalfd4", ANA_CL_OTHER, EBT_FD_SIGNALFD, false },
	{ "socket", ANA_CL_OTHER, EBT_FD_SOCKET, false },
	{ "sync", ANA_CL_SYNC, 0, false },
	{ "sync_file_range", ANA_CL_SYNC, 0, false },
	{ "syncfs", ANA_CL_SYNC, 0, false },
	{ "timerfd_create", ANA_CL_OTHER, EBT_FD_TIMERFD, false },
	{ "wait4", ANA_CL_POLLWAIT, 0, false },
	{ "waitid", ANA_CL_POLLWAIT, 0, false },
	{ "write", ANA_CL_WRITE, 0, false },
	{ "writev", ANA_CL_WRITE, 0, false },
};

static int cmp_flags(const void *k, const void *v)
{
	return strcmp(k, ((const struct name_flags *)v)->name);
}

static int sys_new(struct ana_engine *e, const char *name)
{
	const struct name_flags *nf;
	struct ana_sys *s;

	for (uint32_t i = 0; i < e->nsys; i++) {
		if (!strcmp(e->sys[i]->name, name))
			return (int)i;
	}
	if (e->nsys >= ANA_MAX_SYS)
		return -ENOSPC;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->name = ana_strndup(name, strlen(name)))) {
		free(s);
		return -ENOMEM;
	}
	ana_hist_init(&s->h);
	s->h.budget = &e->sys_pages;
	s->cat = syscalls_category(name);
	s->fd_first = syscalls_first_arg_is_fd(name) > 0;
	nf = bsearch(name, flags, sizeof(flags) / sizeof(flags[0]), sizeof(flags[0]),
		     cmp_flags);
	if (nf) {
		s->cls = nf->cls;
		s->new_fd_kind = nf->new_fd_kind;
		s->sock_only = nf->sock_only;
	}
	s->cat_by_fd = syscalls_category_by_fd(name) > 0;
	s->own_min = UINT64_MAX;
	s->is_dup = !strncmp(name, "dup", 3);
	s->is_accept = !strncmp(name, "accept", 6);
	s->is_connect = !strcmp(name, "connect");
	s->is_mux = s->cls == ANA_CL_POLLWAIT && (strstr(name, "poll") || strstr(name, "select"));
	ana_sys_select(e->opts, s);
	e->sys[e->nsys] = s;
	return (int)e->nsys++;
}

int ana_sys_resolve(struct ana_engine *e, uint32_t idx, uint32_t slot)
{
	struct ana_file *f = &e->files[idx];
	uint32_t nr = slot % 1024;
	const char *name = NULL;
	char buf[48];
	int sid;

	if (slot >= 1024) {
		if (nr < f->ncompat)
			name = f->compat_names[nr];
		if (!name) {
			snprintf(buf, sizeof(buf), "compat_syscall_%u", nr);
			name = buf;
		}
	} else if (f->nnames) {
		if (nr < f->nnames)
			name = f->names[nr];
	} else {
		name = syscalls_name(syscalls_x86_64, syscalls_x86_64_count, nr);
	}
	if (!name) {
		snprintf(buf, sizeof(buf), "syscall_%u", nr);
		name = buf;
	}
	sid = sys_new(e, name);
	if (sid >= 0)
		f->sid_of[slot] = (int16_t)sid;
	return sid;
}

static bool is_compat_abi(const struct ana_file *f, const struct ebt_str *abi)
{
	static const char *const compat[] = { "i386", "ia32", "arm", "compat", "x32" };

	if (f->arch && abi->len && !strcmp(f->arch, abi->p))
		return false;
	for (size_t i = 0; i < sizeof(compat) / sizeof(compat[0]); i++) {
		if (abi->len && !strcmp(abi->p, compat[i]))
			return true;
	}
	return false;
}

static int add_name(struct ana_engine *e, uint32_t idx, const struct ebt_syscall_name *r)
{
	struct ana_file *f = &e->files[idx];
	bool compat = is_compat_abi(f, &r->abi);
	char ***tab = compat ? &f->compat_names : &f->names;
	uint32_t *n = compat ? &f->ncompat : &f->nnames;
	size_t cap = *n;
	char *name;

	if (r->nr >= 1023 || !r->name.len)
		return 0;
	if (r->nr >= *n) {
		if (alloc_grow((void **)tab, &cap, r->nr + 1, sizeof(char *)))
			return -ENOMEM;
		*n = r->nr + 1;
	}
	name = ana_strndup(r->name.p, r->name.len);
	if (!name)
		return -ENOMEM;
	free((*tab)[r->nr]);
	(*tab)[r->nr] = name;
	/* names from the trace win over an earlier fallback */
	if (!compat)
		for (int i = 0; i < 1024; i++)
			f->sid_of[i] = -1;
	else
		f->sid_of[1024 + r->nr] = -1;
	return 0;
}

static int cmp_anchor(const void *a, const void *b)
{
	const struct ana_anchor *x = a, *y = b;

	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

/* Anchors are appended; out-of-order ones are sorted once per chunk. */
static int add_anchor(struct ana_engine *e, uint32_t idx, const struct ebt_clock *c)
{
	struct ana_file *f = &e->files[idx];
	size_t i;

	if (!c->realtime_ns)
		return 0;
	if (f->nanchors >= ANA_MAX_ANCHORS) {
		ana_meta_chunk_end(e, idx);
		for (i = 0; i < f->nanchors / 2; i++)	/* thin: every other one */
			f->anchors[i] = f->anchors[2 * i];
		f->nanchors /= 2;
	}
	if (alloc_grow((void **)&f->anchors, &f->canchors, f->nanchors + 1,
		       sizeof(*f->anchors)))
		return -ENOMEM;
	if (f->nanchors && f->anchors[f->nanchors - 1].ev > c->event_ns)
		f->anchors_dirty = true;
	f->anchors[f->nanchors].ev = c->event_ns;
	f->anchors[f->nanchors].wall = c->realtime_ns;
	f->nanchors++;
	if (!f->wall_known || c->event_ns >= f->anchor_max_ev) {
		f->anchor_max_ev = c->event_ns;
		f->wall_off = (int64_t)(c->realtime_ns - c->event_ns);
		f->wall_known = true;
	}
	return 0;
}

static void set_str(char **dst, const struct ebt_str *s)
{
	char *p;

	if (!s->len)
		return;
	p = ana_strndup(s->p, s->len);
	if (!p)
		return;
	free(*dst);
	*dst = p;
}

/* cmdline is argv joined by NULs (as /proc/PID/cmdline): shown with
 * spaces, trailing NULs dropped. */
static void set_cmdline(char **dst, const struct ebt_str *s)
{
	size_t len = s->len > ANA_MAX_STR ? ANA_MAX_STR : s->len;
	char *p;

	while (len && !s->p[len - 1])
		len--;
	if (!len)
		return;
	p = malloc(len + 1);
	if (!p)
		return;
	for (size_t i = 0; i < len; i++)
		p[i] = s->p[i] ? s->p[i] : ' ';
	p[len] = 0;
	free(*dst);
	*dst = p;
}

static void on_task(struct ana_engine *e, uint32_t idx, const struct ebt_task *r)
{
	struct ana_proc *p = ana_proc_get(e, idx, r->pid);
	struct ana_thread *t = ana_thread_get(e, idx, r->pid, r->tid);

	if (!p || !t)
		return;
	if (r->comm.len) {
		if (r->pid == r->tid || r->kind == EBT_TASK_EXEC)
			set_str(&p->comm, &r->comm);
		ana_name_copy(t->comm, sizeof(t->comm), r->comm.p, r->comm.len);
		t->filter_known = false;
		if (r->pid == r->tid)
			p->filter_known = false;
	}
	set_str(&p->exe, &r->exe);
	set_cmdline(&p->cmdline, &r->cmdline);
	if (r->ppid && r->pid == r->tid)
		p->ppid = r->ppid;
	if (r->kind == EBT_TASK_FORK || r->kind == EBT_TASK_THREAD ||
	    r->kind == EBT_TASK_SNAPSHOT) {
		uint64_t st = r->start_ns ? r->start_ns : r->ts_ns;

		t->start_ts = st;
		if (r->pid == r->tid)
			p->start_ts = st;
	}
	if (r->kind == EBT_TASK_EXIT && !t->exit_chunk && !t->folded &&
	    !alloc_grow((void **)&e->dying, &e->cdying, e->ndying + 1, sizeof(*e->dying)))
		e->dying[e->ndying++] = t;
	if (r->kind == EBT_TASK_EXIT) {
		t->exit_chunk = e->chunk_no;
		t->exit_ts = r->ts_ns;
		if (r->pid == r->tid) {
			p->exit_ts = r->ts_ns;
			p->exit_code = r->exit_code;
		}
	}
}

void ana_fd_set_info(struct ana_engine *e, struct ana_fd *f, const struct ebt_fd *r)
{
	(void)e;
	if (r->kind != EBT_FD_UNKNOWN)
		f->kind = r->kind;
	set_str(&f->path, &r->path);
	set_str(&f->peer, &r->peer);
	set_str(&f->local, &r->local);
}

static void pend_free(struct ana_fd_pend *p)
{
	free(p->path);
	free(p->peer);
	free(p->local);
}

/* Keeps the newer fact's string if it has one, else the older one's. */
static void keep_newer(char **newer, char **older)
{
	if (*newer)
		free(*older);
	else
		*newer = *older;
	*older = NULL;
}

/*
 * Folds the facts of f dated at or before mark into the newest of them:
 * applied in time order they give the same result, and no event on the fd
 * can still come between them (the event stream is past mark).
 */
static void pend_fold(struct ana_engine *e, struct ana_fd *f, uint64_t mark)
{
	struct ana_fd_pend *last;
	uint32_t k = 0;

	while (k < f->npend && f->pend[k].ts <= mark)
		k++;
	if (k < 2)
		return;
	last = &f->pend[k - 1];
	for (uint32_t i = k - 1; i-- > 0;) {
		if (last->kind == EBT_FD_UNKNOWN)
			last->kind = f->pend[i].kind;
		keep_newer(&last->path, &f->pend[i].path);
		keep_newer(&last->peer, &f->pend[i].peer);
		keep_newer(&last->local, &f->pend[i].local);
	}
	f->pend += k - 1;
	f->pend_head += k - 1;
	f->npend -= k - 1;
	e->npend -= k - 1;
}

static uint64_t fd_records(const struct ana_engine *e)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < e->nfiles; i++)
		n += e->files[i].fd_records;
	return n;
}

/*
 * Facts of events never seen (lost, or filtered out before their fd is
 * looked at) would otherwise wait for the trace's end: fold them, so that
 * pending facts are bounded by fd numbers plus the facts ahead of the event
 * stream. Runs at a chunk's end (marks only move there), once as many FD
 * records as pending facts (and a quarter of the fd map) came since the
 * last pass: the passes over the map cost O(1) per record.
 */
static void pend_sweep(struct ana_engine *e)
{
	uint64_t gap = e->fds.cap / 4;

	for (size_t i = 0; i < e->fds.cap; i++) {
		struct ana_fd *f = e->fds.vals[i];

		if (e->fds.keys[i] && f->npend > 1)
			pend_fold(e, f, e->files[f->file].pend_mark[0]);
	}
	if (gap < e->npend)
		gap = e->npend;
	e->pend_sweep_at = fd_records(e) + (gap > ANA_PEND_SWEEP_MIN ? gap : ANA_PEND_SWEEP_MIN);
}

/* Also moves the file's event-stream marks the pending fd facts use. */
void ana_meta_chunk_end(struct ana_engine *e, uint32_t idx)
{
	struct ana_file *f = &e->files[idx];

	if (f->ts_last != f->pend_mark[1]) {
		f->pend_mark[0] = f->pend_mark[1];
		f->pend_mark[1] = f->ts_last;
	}
	if (e->npend >= ANA_PEND_SWEEP_MIN && fd_records(e) >= e->pend_sweep_at)
		pend_sweep(e);
	if (!f->anchors_dirty)
		return;
	qsort(f->anchors, f->nanchors, sizeof(*f->anchors), cmp_anchor);
	f->anchors_dirty = false;
}

/* Room for one more fact at the end of f's buffer. 0 or -ENOMEM. */
static int pend_room(struct ana_fd *f)
{
	struct ana_fd_pend *buf = f->pend ? f->pend - f->pend_head : NULL;
	size_t cap = f->pend_cap;

	if (f->pend_head + f->npend < f->pend_cap)
		return 0;
	if (f->pend_head) {
		memmove(buf, f->pend, f->npend * sizeof(*buf));
		f->pend = buf;
		f->pend_head = 0;
		if (f->npend < f->pend_cap)
			return 0;
	}
	if (cap >= ANA_MAX_PEND_TOTAL || alloc_grow((void **)&buf, &cap, cap + 1, sizeof(*buf)))
		return -ENOMEM;
	f->pend = buf;
	f->pend_cap = (uint32_t)cap;
	return 0;
}

static void set_pending(struct ana_engine *e, struct ana_fd *f, const struct ebt_fd *r)
{
	struct ana_fd_pend *p;
	uint32_t i;

	if (e->npend >= ANA_MAX_PEND_TOTAL) {	/* folding waits for the chunk's end */
		ana_warn_cap(e, 4, "pending fd records",
			     "the rest are dropped (those descriptors may miss a peer or path)");
		return;
	}
	if (pend_room(f))
		return;
	for (i = f->npend; i && f->pend[i - 1].ts > r->ts_ns; i--)
		f->pend[i] = f->pend[i - 1];
	p = &f->pend[i];
	f->npend++;
	e->npend++;
	p->ts = r->ts_ns;
	p->kind = r->kind;
	p->path = r->path.len ? ana_strndup(r->path.p, r->path.len) : NULL;
	p->peer = r->peer.len ? ana_strndup(r->peer.p, r->peer.len) : NULL;
	p->local = r->local.len ? ana_strndup(r->local.p, r->local.len) : NULL;
}

static void take(char **dst, char **src)
{
	if (!*src)
		return;
	free(*dst);
	*dst = *src;
	*src = NULL;
}

/* Applies, in time order, every pending fact dated at or before upto. */
void ana_fd_apply_pending(struct ana_engine *e, struct ana_fd *f, uint64_t upto)
{
	uint32_t n = 0;

	while (n < f->npend && f->pend[n].ts <= upto) {
		struct ana_fd_pend *p = &f->pend[n++];

		if (p->kind != EBT_FD_UNKNOWN)
			f->kind = p->kind;
		take(&f->path, &p->path);
		take(&f->peer, &p->peer);
		take(&f->local, &p->local);
		pend_free(p);
	}
	if (!n)
		return;
	f->npend -= n;
	e->npend -= n;
	if (!f->npend) {
		f->pend -= f->pend_head;
		f->pend_head = 0;
	} else {
		f->pend += n;	/* the buffer's head moves: no copy per fact */
		f->pend_head += n;
	}
}

void ana_fd_free(struct ana_engine *e, struct ana_fd *f)
{
	for (uint32_t i = 0; i < f->npend; i++)
		pend_free(&f->pend[i]);
	e->npend -= f->npend;
	if (f->pend)
		free(f->pend - f->pend_head);
	free(f->path);
	free(f->peer);
	free(f->local);
	/* kept for reuse: threads may still hold it in their last_fd cache */
	f->live = false;
	f->pend = NULL;
	f->npend = f->pend_head = f->pend_cap = 0;
	f->path = f->peer = f->local = NULL;
	f->next_free = e->free_fds;
	e->free_fds = f;
}

/*
 * FD records may precede the events they describe (a metadata chunk is
 * written before the events chunk open at the time), and the fd number may
 * still belong to an older incarnation then. Facts newer than every event
 * seen on the number wait as "pending" until an event at or after their
 * time arrives.
 */
static void on_fd(struct ana_engine *e, uint32_t idx, const struct ebt_fd *r)
{
	struct ana_fd *f;

	e->files[idx].fd_records++;
	if (r->event == EBT_FDE_CLOSE || r->fd < 0)
		return;		/* the close syscall retires it */
	f = ana_fd_get(e, idx, r->pid, r->fd, true);
	if (!f)
		return;
	if (r->event != EBT_FDE_SNAPSHOT && r->ts_ns > f->last_ts && r->ts_ns > f->open_ts) {
		set_pending(e, f, r);
		return;
	}
	ana_fd_set_info(e, f, r);
}

static void on_loss(struct ana_engine *e, uint32_t idx, const struct ebt_loss *r)
{
	struct ana_loss_win *w;
	uint32_t i;

	if (r->source == EBT_LOSS_FILTER)
		return;
	e->lost_total = ana_sat_add(e->lost_total, r->count);
	if (e->nloss >= ANA_MAX_LOSS) {
		/* widen the last window rather than grow without bound */
		w = &e->loss[e->nloss - 1];
		w->end = r->ts_end_ns > w->end ? r->ts_end_ns : w->end;
		w->max_end = w->end > w->max_end ? w->end : w->max_end;
		w->count = ana_sat_add(w->count, r->count);
		return;
	}
	i = e->nloss++;
	while (i && (e->loss[i - 1].file > idx ||
		     (e->loss[i - 1].file == idx && e->loss[i - 1].start > r->ts_start_ns))) {
		e->loss[i] = e->loss[i - 1];
		i--;
	}
	w = &e->loss[i];
	w->file = idx;
	w->source = r->source;
	w->cpu = r->cpu;
	w->start = r->ts_start_ns;
	w->end = r->ts_end_ns > r->ts_start_ns ? r->ts_end_ns : r->ts_start_ns;
	w->count = r->count;
	for (; i < e->nloss; i++) {
		struct ana_loss_win *x = &e->loss[i];

		x->max_end = x->end;
		if (i && e->loss[i - 1].file == x->file && e->loss[i - 1].max_end > x->end)
			x->max_end = e->loss[i - 1].max_end;
	}
}

/* Windows are sorted by (file, start) with a running max of their ends:
 * one binary search answers whether any window meets [a, b]. */
bool ana_loss_overlaps(const struct ana_engine *e, uint32_t file, uint64_t a, uint64_t b)
{
	uint32_t lo = 0, hi = e->nloss;

	while (lo < hi) {	/* first window after (file, b) */
		uint32_t mid = (lo + hi) / 2;
		const struct ana_loss_win *w = &e->loss[mid];

		if (w->file < file || (w->file == file && w->start <= b))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && e->loss[lo - 1].file == file && e->loss[lo - 1].max_end >= a;
}

static void on_kv(struct ana_engine *e, uint32_t idx, const struct ebt_kv *kv)
{
	struct ana_file *f = &e->files[idx];
	const char *k = kv->key.p;
	uint64_t n;

	if (!kv->key.len)
		return;
	if (!strcmp(k, "hostname"))
		set_str(&f->hostname, &kv->value);
	else if (!strcmp(k, "kernel_release"))
		set_str(&f->kernel, &kv->value);
	else if (!strcmp(k, "arch"))
		set_str(&f->arch, &kv->value);
	else if (!strcmp(k, "recorder_version"))
		set_str(&f->recorder, &kv->value);
	else if (!strcmp(k, "sample_every") && kv->value.len &&
		 !parse_u64(kv->value.p, 1, 1000000000, &n))
		f->sample_every = n;
}

int ana_meta_record(struct ana_engine *e, uint32_t idx, const struct ebt_record *r)
{
	switch (r->kind) {
	case EBT_REC_FILE_INFO:
		on_kv(e, idx, &r->kv);
		return 0;
	case EBT_REC_SYSCALL:
		return add_name(e, idx, &r->sys);
	case EBT_REC_CLOCK:
		return add_anchor(e, idx, &r->clock);
	case EBT_REC_TASK:
		on_task(e, idx, &r->task);
		return 0;
	case EBT_REC_FD:
		on_fd(e, idx, &r->fd);
		return 0;
	case EBT_REC_LOSS:
		on_loss(e, idx, &r->loss);
		return 0;
	case EBT_REC_STACK:
	case EBT_REC_SYMBOL:
	case EBT_REC_MAP:
		return ana_stacks_record(e, idx, r);
	default:
		return 0;
	}
}
