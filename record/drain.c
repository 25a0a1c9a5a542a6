// SPDX-License-Identifier: MIT
/*
 * The ring-buffer consumer. rec_drain_sample() runs once per event and only
 * copies: the syscall event into the writer, a task event or an fd request
 * into a bounded queue. rec_drain_tasks()/rec_drain_fds() run between drains
 * and do the slow part (/proc reads, metadata records).
 */
#include "record/rec_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/syscalls.h"

static const char *const fd_open_calls[] = {
	"open", "openat", "openat2", "creat", "socket", "accept", "accept4", "dup",
	"dup2", "dup3", "eventfd", "eventfd2", "epoll_create", "epoll_create1",
	"timerfd_create", "signalfd", "signalfd4", "inotify_init", "inotify_init1",
	"memfd_create", "pidfd_open", "fanotify_init", "userfaultfd", "perf_event_open",
	"open_by_handle_at", "bpf", "io_uring_setup",
};

static const char *const fd_update_calls[] = { "connect", "bind", "listen" };

static const char *const fd_sock_calls[] = {
	"socket", "accept", "accept4", "connect", "bind", "listen", "socketpair",
};

static const char *const fd_pair_calls[] = { "pipe", "pipe2", "socketpair" };

static const char *const fd_pipe_calls[] = { "pipe", "pipe2" };

static void mask_names(uint64_t *mask, const char *const *names, size_t n)
{
	const char *const *table;
	unsigned int count;
	const char *abi;
	size_t i;
	int nr;

	table = syscalls_native(&count, &abi);
	for (i = 0; i < n; i++) {
		nr = syscalls_lookup(table, count, names[i]);
		if (nr >= 0 && nr < SYSCALL_MAX_NR)
			mask[nr / 64] |= 1ull << (nr % 64);
	}
}

int rec_drain_init(struct rec_drain *d, struct ebt_writer *w)
{
	const char *const *table;
	unsigned int count;
	const char *abi;

	memset(d, 0, sizeof(*d));
	d->w = w;
	d->taskq = calloc(REC_TASKQ_LEN, sizeof(*d->taskq));
	d->fdq = calloc(REC_FDQ_LEN, sizeof(*d->fdq));
	if (!d->taskq || !d->fdq) {
		rec_drain_fini(d);
		return -ENOMEM;
	}
	mask_names(d->fd_open_mask, fd_open_calls, sizeof(fd_open_calls) / sizeof(char *));
	mask_names(d->fd_update_mask, fd_update_calls, sizeof(fd_update_calls) / sizeof(char *));
	mask_names(d->fd_sock_mask, fd_sock_calls, sizeof(fd_sock_calls) / sizeof(char *));
	mask_names(d->fd_pair_mask, fd_pair_calls, sizeof(fd_pair_calls) / sizeof(char *));
	mask_names(d->fd_pipe_mask, fd_pipe_calls, sizeof(fd_pipe_calls) / sizeof(char *));
	table = syscalls_native(&count, &abi);
	d->nr_close = syscalls_lookup(table, count, "close");
	d->nr_accept = syscalls_lookup(table, count, "accept");
	d->nr_accept4 = syscalls_lookup(table, count, "accept4");
	return 0;
}

void rec_drain_fini(struct rec_drain *d)
{
	free(d->taskq);
	free(d->fdq);
	rec_stacks_free(d->stacks);
	d->taskq = NULL;
	d->fdq = NULL;
	d->stacks = NULL;
}

void rec_event_from_wire(const struct syscall_event *in, struct ebt_event *out)
{
	out->enter_ns = in->enter_ns;
	out->duration_ns = in->duration_ns;
	out->ret = in->ret;
	out->arg0 = in->arg0;
	out->pid = in->tgid;
	out->tid = in->tid;
	out->nr = in->nr & ~SYSCALL_NR_COMPAT;
	out->cpu = in->cpu;
	out->stack_id = 0;
	out->flags = in->nr & SYSCALL_NR_COMPAT ? EBT_EV_COMPAT : 0;
}

/* The first compat syscall brings the compat table's names into the trace
 * (before the events chunk that holds it). */
static void compat_seen(struct rec_drain *d)
{
	if (d->compat_table)
		return;
	d->compat_table = true;
	if (rec_meta_compat_table(d->w))
		d->cnt.fd_missed++;	/* names missing: the analyzer numbers them */
}

static int in_mask(const uint64_t *mask, uint32_t nr)
{
	return nr < SYSCALL_MAX_NR && ((mask[nr / 64] >> (nr % 64)) & 1);
}

static void push_fd(struct rec_drain *d, const struct syscall_event *e, int64_t fd,
		    uint32_t event)
{
	struct rec_fd_req *r;

	if (d->fd_head - d->fd_tail >= REC_FDQ_LEN) {
		d->cnt.fd_missed++;
		return;
	}
	r = &d->fdq[d->fd_head++ % REC_FDQ_LEN];
	r->ts_ns = e->enter_ns + e->duration_ns;
	r->pid = e->tgid;
	r->fd = (int32_t)fd;
	r->event = event;
	r->nr = e->nr;
}

/*
 * A new pipe end is a pipe whatever /proc says later: its OPEN record is
 * written at once, so a process that exits before /proc is read still has
 * it (the /proc record that may follow adds the pipe's inode).
 */
static void pipe_now(struct rec_drain *d, const struct syscall_event *e, int32_t fd)
{
	struct rec_fd_info fi;
	struct ebt_record r;

	memset(&fi, 0, sizeof(fi));
	fi.fd = fd;
	fi.kind = EBT_FD_PIPE;
	rec_fd_record(&fi, e->tgid, EBT_FDE_OPEN, e->enter_ns + e->duration_ns, &r);
	ebt_writer_add_record(d->w, &r);
}

static void want_fd(struct rec_drain *d, const struct syscall_event *e)
{
	uint32_t event;
	int64_t fd;

	if (in_mask(d->fd_pair_mask, e->nr) && e->ret == 0 && e->arg0 != ~0ull) {
		if (in_mask(d->fd_pipe_mask, e->nr)) {
			pipe_now(d, e, (int32_t)(uint32_t)e->arg0);
			pipe_now(d, e, (int32_t)(uint32_t)(e->arg0 >> 32));
		}
		push_fd(d, e, (int32_t)(uint32_t)e->arg0, EBT_FDE_OPEN);
		push_fd(d, e, (int32_t)(uint32_t)(e->arg0 >> 32), EBT_FDE_OPEN);
		return;
	}
	if (in_mask(d->fd_open_mask, e->nr) && e->ret >= 0) {
		fd = e->ret;
		event = EBT_FDE_OPEN;
	} else if (in_mask(d->fd_update_mask, e->nr) && (e->ret == 0 || e->ret == -EINPROGRESS)) {
		fd = (int64_t)e->arg0;
		event = EBT_FDE_UPDATE;
	} else if ((int64_t)e->nr == d->nr_close && e->ret == 0) {
		/* only to tell that earlier requests for this fd are stale */
		fd = (int64_t)e->arg0;
		event = EBT_FDE_CLOSE;
	} else {
		return;
	}
	push_fd(d, e, fd, event);
}

/*
 * connect() and accept(): the peer is the address the program passed to
 * connect, or the accepted socket's peer, read in the kernel at the exit,
 * so the FD record is written at once (before the events chunk holding the
 * syscall), even for a socket closed right after, which /proc would no
 * longer show. /proc is still asked for the rest
 * (type, local address) of sockets that live long enough.
 */
static void connect_sample(struct rec_drain *d, const struct connect_event *ce)
{
	struct rec_fd_info fi;
	bool accepted;
	struct ebt_record r;
	struct ebt_event ev;

	rec_event_from_wire(&ce->ev, &ev);
	if (ebt_writer_append(d->w, &ev))
		d->cnt.writer_drops++;
	else
		d->cnt.events++;
	memset(&fi, 0, sizeof(fi));
	if (ce->addr_len <= CONNECT_ADDR_LEN)
		rec_sockaddr_text(ce->addr, ce->addr_len, fi.peer, sizeof(fi.peer));
	want_fd(d, &ce->ev);
	if (!fi.peer[0])
		return;
	accepted = (int64_t)ce->ev.nr == d->nr_accept || (int64_t)ce->ev.nr == d->nr_accept4;
	/* accept: the new socket (the return value); connect: its first argument */
	fi.fd = accepted ? (int)ce->ev.ret : (int)(int32_t)ce->ev.arg0;
	fi.kind = EBT_FD_SOCKET;
	memcpy(&fi.family, ce->addr, sizeof(fi.family));	/* sa_family */
	rec_fd_record(&fi, ce->ev.tgid, accepted ? EBT_FDE_OPEN : EBT_FDE_UPDATE,
		      ce->ev.enter_ns + ce->ev.duration_ns, &r);
	if (ebt_writer_add_record(d->w, &r)) {
		d->cnt.fd_missed++;
	} else {
		d->cnt.fd_resolved++;
		d->cnt.fd_from_connect++;
	}
}

/* Interning is a hash lookup; only a pid's first stack reads /proc. */
static void stack_sample(struct rec_drain *d, const struct stack_event *se)
{
	uint32_t depth = se->depth < STACK_MAX_DEPTH ? se->depth : STACK_MAX_DEPTH;
	struct ebt_event ev;

	rec_event_from_wire(&se->ev, &ev);
	if (d->stacks && depth)
		ev.stack_id = rec_stacks_intern(d->stacks, se->ev.tgid,
						se->ev.enter_ns + se->ev.duration_ns,
						(const uint64_t *)se->ips, depth,
						(const uint64_t *)se->sp_words);
	if (ebt_writer_append(d->w, &ev)) {
		d->cnt.writer_drops++;
	} else {
		d->cnt.events++;
		d->cnt.stack_events += !!ev.stack_id;
	}
	want_fd(d, &se->ev);
}

/* A syscall that was blocked when tracing began returned (an accept, say):
 * not an event (its start is unknown), but the descriptor it made is
 * resolved like any other. */
static void early_sample(struct rec_drain *d, const struct early_exit_event *x)
{
	struct syscall_event e;

	memset(&e, 0, sizeof(e));
	e.enter_ns = x->ts_ns;
	e.ret = x->ret;
	e.tgid = x->tgid;
	e.tid = x->tid;
	e.nr = x->nr;
	e.arg0 = ~0ull;		/* unknown: only calls that return the fd apply */
	if (!in_mask(d->fd_pair_mask, e.nr) && !in_mask(d->fd_update_mask, e.nr) &&
	    (int64_t)e.nr != d->nr_close)
		want_fd(d, &e);
	d->cnt.early_exits++;
}

/* One CPU's syscalls, in exit order: the hot path of the whole recorder. */
static void batch_sample(struct rec_drain *d, const struct event_batch *b, uint32_t n)
{
	struct ebt_event ev;
	uint32_t i;

	if (b->magic != BATCH_MAGIC || b->count != n) {
		d->cnt.bad_samples++;
		return;
	}
	for (i = 0; i < n; i++) {
		if (b->ev[i].nr & SYSCALL_NR_COMPAT)
			compat_seen(d);
		rec_event_from_wire(&b->ev[i], &ev);
		if (ebt_writer_append(d->w, &ev))
			d->cnt.writer_drops++;
		else
			d->cnt.events++;
		want_fd(d, &b->ev[i]);
	}
}

int rec_drain_sample(void *ctx, void *data, size_t size)
{
	struct rec_drain *d = ctx;

	if (BATCH_SIZE_OK(size)) {
		batch_sample(d, data, (uint32_t)((size - BATCH_HDR_LEN) / sizeof(struct syscall_event)));
	} else if (size == sizeof(struct early_exit_event)) {
		early_sample(d, data);
	} else if (size == sizeof(struct connect_event)) {
		connect_sample(d, data);
	} else if (size == sizeof(struct stack_event)) {
		stack_sample(d, data);
	} else if (size == sizeof(struct task_event)) {
		if (d->task_head - d->task_tail >= REC_TASKQ_LEN)
			d->cnt.taskq_full++;
		else
			memcpy(&d->taskq[d->task_head++ % REC_TASKQ_LEN], data, size);
	} else {
		d->cnt.bad_samples++;
	}
	return 0;	/* keep draining whatever happened */
}

/* A TASK record from a kernel task event, completed from /proc if it is
 * still there. */
static void task_from_event(const struct task_event *e, uint32_t kind, struct ebt_record *r,
			    struct rec_task_info *ti)
{
	int have = !rec_proc_task(e->tgid, e->tid, ti);

	if (!have) {
		memset(ti, 0, sizeof(*ti));
		ti->pid = e->tgid;
		ti->tid = e->tid;
	}
	memcpy(ti->comm, e->comm, TEV_COMM_LEN);
	ti->comm[TEV_COMM_LEN] = 0;
	if (kind == EBT_TASK_FORK || kind == EBT_TASK_EXIT || kind == EBT_TASK_EXEC)
		ti->ppid = e->ppid;
	if (kind == EBT_TASK_FORK || kind == EBT_TASK_THREAD)
		ti->start_ns = e->ts_ns;
	if (kind == EBT_TASK_EXEC && (!ti->exe || !ti->exe[0]) && e->file[0]) {
		free(ti->exe);
		ti->exe = strndup(e->file, TEV_FILE_LEN);
	}
	rec_task_record(ti, kind, e->ts_ns, r);
}

/* A TASK record from the event alone (the task may be gone from /proc). */
static void task_bare(const struct task_event *e, uint32_t kind, uint32_t tid,
		      struct ebt_record *r, struct rec_task_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	ti->pid = e->tgid;
	ti->tid = tid;
	ti->ppid = kind == EBT_TASK_EXIT ? e->ppid : 0;
	memcpy(ti->comm, e->comm, TEV_COMM_LEN);
	rec_task_record(ti, kind, e->ts_ns, r);
	r->task.exit_code = e->exit_code;
}

/* pid == tid in an EXIT record means "the process exited": written only
 * when the group is dead, after the last thread's own exit if that thread
 * was not the leader. A leader exiting before its threads writes nothing. */
static void task_exit(struct rec_drain *d, const struct task_event *e)
{
	struct rec_task_info ti;
	struct ebt_record r;
	int group_dead = !!(e->flags & TEV_F_GROUP_DEAD);

	if (e->tid != e->tgid) {
		task_bare(e, EBT_TASK_EXIT, e->tid, &r, &ti);
		ebt_writer_add_record(d->w, &r);
	}
	if (group_dead) {
		task_bare(e, EBT_TASK_EXIT, e->tgid, &r, &ti);
		ebt_writer_add_record(d->w, &r);
	}
}

static void one_task(struct rec_drain *d, const struct task_event *e, struct rec_net *net)
{
	static const uint32_t kinds[] = {
		[TEV_FORK] = EBT_TASK_FORK, [TEV_THREAD] = EBT_TASK_THREAD,
		[TEV_EXEC] = EBT_TASK_EXEC, [TEV_EXIT] = EBT_TASK_EXIT,
		[TEV_RENAME] = EBT_TASK_RENAME,
	};
	struct rec_task_info ti;
	struct ebt_record r;

	if (e->kind < TEV_FORK || e->kind > TEV_RENAME)
		return;
	if (e->kind == TEV_EXIT) {
		task_exit(d, e);
		return;
	}
	if (e->kind == TEV_RENAME) {
		task_bare(e, EBT_TASK_RENAME, e->tid, &r, &ti);
		ebt_writer_add_record(d->w, &r);
		return;
	}
	task_from_event(e, kinds[e->kind], &r, &ti);
	ebt_writer_add_record(d->w, &r);
	rec_task_info_free(&ti);
	if (e->kind == TEV_EXEC) {
		rec_meta_warn_elf32(e->tgid);
		rec_stacks_exec(d->stacks, e->tgid, e->ts_ns);
	}
	if (e->kind == TEV_FORK || e->kind == TEV_EXEC) {
		net->netns = 0;
		rec_meta_snapshot_fds(d->w, e->tgid, e->ts_ns, net);
	}
}

size_t rec_drain_tasks(struct rec_drain *d, struct rec_net *net, size_t max)
{
	size_t n = 0;

	while (d->task_tail != d->task_head && n < max) {
		one_task(d, &d->taskq[d->task_tail % REC_TASKQ_LEN], net);
		d->task_tail++;
		n++;
	}
	return n;
}

#define SEEN_SLOTS 4096	/* > FD batch: the set never fills */

static uint64_t fd_key(const struct rec_fd_req *q)
{
	return ((uint64_t)q->pid << 32 | (uint32_t)q->fd) + 1;
}

static size_t seen_slot(const uint64_t *set, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 52) % SEEN_SLOTS;

	while (set[i] && set[i] != key)
		i = (i + 1) % SEEN_SLOTS;
	return i;
}

static int seen_has(const uint64_t *set, uint64_t key)
{
	return set[seen_slot(set, key)] == key;
}

/* Inserts key; returns 1 when it was already there. */
static int seen_insert(uint64_t *set, uint64_t key)
{
	size_t i = seen_slot(set, key);

	if (set[i])
		return 1;
	set[i] = key;
	return 0;
}

/*
 * Walks the batch newest first: a request followed by a close or a new open
 * of the same fd number describes a descriptor that is gone, and /proc
 * would show the newer one. Such requests are dropped.
 */
static void mark_superseded(struct rec_drain *d, size_t n, uint64_t *set)
{
	struct rec_fd_req *q;
	size_t i;

	memset(set, 0, SEEN_SLOTS * sizeof(*set));
	for (i = n; i-- > 0;) {
		q = &d->fdq[(d->fd_tail + i) % REC_FDQ_LEN];
		if (q->event == EBT_FDE_UPDATE) {
			if (seen_has(set, fd_key(q)))
				q->event = 0;
		} else if (seen_insert(set, fd_key(q)) && q->event == EBT_FDE_OPEN) {
			q->event = 0;
		}
	}
}

/* Whether what /proc shows can be what the syscall made. */
static int plausible(const struct rec_drain *d, const struct rec_fd_req *q,
		     const struct rec_fd_info *fi)
{
	if (in_mask(d->fd_sock_mask, q->nr))
		return fi->kind == EBT_FD_SOCKET;
	return 1;
}

static void resolve_one(struct rec_drain *d, const struct rec_fd_req *q, struct rec_net *net,
			struct rec_fd_info *fi)
{
	struct ebt_record r;

	if (q->event == EBT_FDE_CLOSE)
		return;
	if (!q->event || rec_proc_fd(q->pid, q->fd, net, fi) || !plausible(d, q, fi)) {
		d->cnt.fd_missed++;
		return;
	}
	rec_fd_record(fi, q->pid, q->event, q->ts_ns, &r);
	if (!ebt_writer_add_record(d->w, &r))
		d->cnt.fd_resolved++;
}

size_t rec_drain_fds(struct rec_drain *d, struct rec_net *net, size_t max)
{
	struct rec_fd_info *fi;
	uint64_t *set;
	size_t n, i;

	n = d->fd_head - d->fd_tail;
	if (!n)
		return 0;
	if (n > max)
		n = max;
	if (n > SEEN_SLOTS / 2)
		n = SEEN_SLOTS / 2;
	fi = malloc(sizeof(*fi));
	set = malloc(SEEN_SLOTS * sizeof(*set));
	if (fi && set) {
		mark_superseded(d, n, set);
		net->netns = 0;	/* sockets made since the last batch */
		for (i = 0; i < n; i++)
			resolve_one(d, &d->fdq[(d->fd_tail + i) % REC_FDQ_LEN], net, fi);
		d->fd_tail += n;
	} else {
		n = 0;
	}
	free(fi);
	free(set);
	return n;
}
