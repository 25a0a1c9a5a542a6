// SPDX-License-Identifier: MIT
#include "tests/unit/analyze/gen.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/syscalls.h"
#include "format/ebt.h"

#define WALL0 1795446000000000000ull	/* 2026-11-23T09:00:00Z */
#define TS0 1000000000000ull

struct g {
	struct ebt_writer *w;
	uint64_t rng;
	struct gen_truth *t;
	int err;
};

static uint64_t rnd(struct g *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

/* Log-uniform in [lo, hi). */
static uint64_t rnd_dur(struct g *g, uint64_t lo, uint64_t hi)
{
	double a = log((double)lo), b = log((double)hi);
	double u = (double)(rnd(g) % 1000000) / 1e6;

	return (uint64_t)exp(a + (b - a) * u);
}

static uint32_t nr_of(const char *name)
{
	return (uint32_t)syscalls_lookup(syscalls_x86_64, syscalls_x86_64_count, name);
}

static void rec(struct g *g, const struct ebt_record *r)
{
	int err = ebt_writer_add_record(g->w, r);

	if (err && !g->err)
		g->err = err;
}

static void ev(struct g *g, uint32_t pid, uint32_t tid, const char *name, uint64_t enter,
	       uint64_t dur, int64_t ret, uint64_t arg0)
{
	struct ebt_event e = { .enter_ns = enter, .duration_ns = dur, .ret = ret,
			       .arg0 = arg0, .pid = pid, .tid = tid, .nr = nr_of(name) };
	int err = ebt_writer_append(g->w, &e);

	if (err && !g->err)
		g->err = err;
	g->t->events++;
}

static void header(struct g *g, const struct gen_opts *o, const char *const *names, int n)
{
	struct ebt_record r = { .kind = EBT_REC_FILE_INFO };
	char se[16];

	r.kv.key = ebt_str_c("hostname");
	r.kv.value = ebt_str_c(o->hostname ? o->hostname : "gen-host");
	rec(g, &r);
	r.kv.key = ebt_str_c("kernel_release");
	r.kv.value = ebt_str_c("6.18.0-gen");
	rec(g, &r);
	r.kv.key = ebt_str_c("arch");
	r.kv.value = ebt_str_c("x86_64");
	rec(g, &r);
	if (o->sample_every > 1) {
		snprintf(se, sizeof(se), "%u", o->sample_every);
		r.kv.key = ebt_str_c("sample_every");
		r.kv.value = ebt_str_c(se);
		rec(g, &r);
	}
	for (int i = 0; i < n; i++) {
		struct ebt_record s = { .kind = EBT_REC_SYSCALL };

		s.sys.nr = nr_of(names[i]);
		s.sys.abi = ebt_str_c("x86_64");
		s.sys.name = ebt_str_c(names[i]);
		rec(g, &s);
	}
	r = (struct ebt_record){ .kind = EBT_REC_CLOCK };
	r.clock.event_ns = TS0;
	r.clock.boottime_ns = TS0;
	r.clock.realtime_ns = WALL0;
	rec(g, &r);
	g->t->start_wall_ns = WALL0;
}

static void task(struct g *g, uint32_t kind, uint32_t pid, uint32_t tid, const char *comm)
{
	struct ebt_record r = { .kind = EBT_REC_TASK };

	r.task.kind = kind;
	r.task.pid = pid;
	r.task.tid = tid;
	r.task.comm = ebt_str_c(comm);
	r.task.exe = ebt_str_c("/usr/bin/gen");
	r.task.cmdline = ebt_str_c("gen");
	rec(g, &r);
}

static void fdrec(struct g *g, uint32_t event, uint32_t kind, uint32_t pid, int32_t fd,
		  uint64_t ts, const char *path, const char *peer)
{
	struct ebt_record r = { .kind = EBT_REC_FD };

	r.fd.event = event;
	r.fd.kind = kind;
	r.fd.pid = pid;
	r.fd.fd = fd;
	r.fd.ts_ns = ts;
	r.fd.path = ebt_str_c(path);
	r.fd.peer = ebt_str_c(peer);
	rec(g, &r);
}

static const char *const rnames[] = {
	"read", "write", "openat", "close", "futex", "mmap", "fsync", "getpid",
	"clock_gettime", "recvfrom", "sendto", "epoll_wait",
};
#define NR_RNAMES 12

static void gen_random(struct g *g, const struct gen_opts *o)
{
	struct gen_truth *t = g->t;
	uint32_t threads = o->threads ? o->threads : 4;
	uint64_t *now = calloc(threads, sizeof(*now));
	size_t cap[NR_RNAMES] = { 0 };

	header(g, o, rnames, NR_RNAMES);
	task(g, EBT_TASK_SNAPSHOT, 1000, 1000, o->comm ? o->comm : "gen");
	for (int i = 0; i < NR_RNAMES; i++)
		t->names[i] = rnames[i];
	for (uint32_t i = 0; i < threads; i++)
		now[i] = TS0 + i * 1000;
	for (uint64_t n = 0; n < o->events && !g->err; n++) {
		uint32_t th = (uint32_t)(rnd(g) % threads), k = (uint32_t)(rnd(g) % NR_RNAMES);
		uint64_t d = rnd_dur(g, 50, 50000000);
		int64_t ret = rnd(g) % 10 == 0 ? -11 : (int64_t)(rnd(g) % 100);

		ev(g, 1000, 1000 + th, rnames[k], now[th], d, ret, 5);
		now[th] += d + 100 + rnd(g) % 1000;
		if (t->count[k] == cap[k]) {
			cap[k] = cap[k] ? cap[k] * 2 : 1024;
			t->durs[k] = realloc(t->durs[k], cap[k] * sizeof(uint64_t));
		}
		t->durs[k][t->count[k]++] = d;
		t->total[k] += d;
		t->errors[k] += ret < 0;
	}
	free(now);
}

static const char *const snames[] = {
	"read", "write", "openat", "close", "futex", "recvfrom", "sendto",
	"epoll_wait", "accept4", "fsync",
};

static void push_req(struct gen_truth *t, uint64_t d)
{
	if (!(t->requests & (t->requests + 1)) || !t->req_durs)
		t->req_durs = realloc(t->req_durs, (t->requests + 1) * 2 * sizeof(uint64_t));
	t->req_durs[t->requests++] = d;
}

/* One thread, two connections handled interleaved per loop turn. */
static void gen_evloop(struct g *g, const struct gen_opts *o)
{
	struct gen_truth *t = g->t;
	const uint32_t pid = 2000, conns = 8;
	uint64_t now = TS0;
	char peer[32];

	header(g, o, snames, 10);
	task(g, EBT_TASK_SNAPSHOT, pid, pid, o->comm ? o->comm : "evloop");
	for (uint32_t c = 0; c < conns; c++) {
		ev(g, pid, pid, "epoll_wait", now, 1000000, 1, 4);
		t->idle_ns += 1000000;
		now += 1001000;
		snprintf(peer, sizeof(peer), "10.0.0.%u:%u", c + 1, 40000 + c);
		fdrec(g, EBT_FDE_OPEN, EBT_FD_SOCKET, pid, (int32_t)(10 + c), now + 5000,
		      "socket:[1]", peer);
		ev(g, pid, pid, "accept4", now, 5000, 10 + c, 3);
		t->idle_ns += 5000;
		now += 6000;
	}
	for (uint32_t i = 0; i + 1 < o->requests + 1 && !g->err; i += 2) {
		uint32_t a = 10 + (i / 2) % conns, b = 10 + (i / 2 + 3) % conns;
		uint64_t ra, rb, d1 = rnd_dur(g, 1000, 20000), d2 = rnd_dur(g, 1000, 200000);
		uint64_t s = now;

		ev(g, pid, pid, "epoll_wait", now, 200000, 2, 4);
		t->idle_ns += 200000;
		now += 201000;
		ra = now;
		ev(g, pid, pid, "recvfrom", now, 2000, 120, a);
		now += 2500;
		rb = now;
		ev(g, pid, pid, "recvfrom", now, 2000, 120, b);
		now += 2500;
		ev(g, pid, pid, "openat", now, d1, 30, UINT64_MAX - 99);
		now += d1 + 300;
		ev(g, pid, pid, "read", now, d2, 4096, 30);
		now += d2 + 300;
		ev(g, pid, pid, "close", now, 1000, 0, 30);
		now += 1300;
		ev(g, pid, pid, "sendto", now, 3000, 500, a);
		now += 3000;
		push_req(t, now - ra);
		now += 300;
		ev(g, pid, pid, "sendto", now, 3000, 500, b);
		now += 3000;
		push_req(t, now - rb);
		t->req_syscall_ns += 2000 * 2 + d1 + d2 + 1000 + 3000 * 2;
		now += 300;
		(void)s;
	}
}

static const char *const fnames[] = {
	"epoll_wait", "accept4", "read", "writev", "write", "openat", "close",
};

/* One event of GEN_FDMIX, counted in category cat (in a request or idle). */
static void fev(struct g *g, const char *name, uint64_t *now, uint64_t dur, int64_t ret,
		uint64_t arg0, int cat, bool in_req)
{
	ev(g, 3000, 3000, name, *now, dur, ret, arg0);
	g->t->cat_count[cat]++;
	g->t->cat_ns[cat] += dur;
	if (in_req) {
		g->t->cat_req_ns[cat] += dur;
		g->t->req_syscall_ns += dur;
	}
	*now += dur + 200;
}

static void gen_fdmix(struct g *g, const struct gen_opts *o)
{
	const uint32_t pid = 3000, conns = 4;
	uint64_t now = TS0, start;
	char peer[32];

	header(g, o, fnames, 7);
	task(g, EBT_TASK_SNAPSHOT, pid, pid, o->comm ? o->comm : "fdmix");
	fdrec(g, EBT_FDE_SNAPSHOT, EBT_FD_PIPE, pid, 5, now, "pipe:[7]", NULL);
	fdrec(g, EBT_FDE_SNAPSHOT, EBT_FD_EVENTFD, pid, 6, now, "anon_inode:[eventfd]", NULL);
	for (uint32_t c = 0; c < conns; c++) {
		fev(g, "epoll_wait", &now, 1000000, 1, 4, SC_POLL, false);
		g->t->idle_ns += 1000000;
		snprintf(peer, sizeof(peer), "10.0.1.%u:%u", c + 1, 41000 + c);
		fdrec(g, EBT_FDE_OPEN, EBT_FD_SOCKET, pid, (int32_t)(10 + c), now + 5000,
		      "socket:[2]", peer);
		fev(g, "accept4", &now, 5000, 10 + c, 3, SC_NETWORK, false);
		g->t->idle_ns += 5000;
	}
	for (uint32_t i = 0; i < o->requests && !g->err; i++) {
		uint64_t fd = 10 + i % conns;

		fev(g, "epoll_wait", &now, 100000, 1, 4, SC_POLL, false);
		g->t->idle_ns += 100000;
		start = now;
		fev(g, "read", &now, rnd_dur(g, 1000, 9000), 300, fd, SC_NETWORK, true);
		fev(g, "openat", &now, 4000, 30, UINT64_MAX - 99, SC_FILE, true);
		fev(g, "read", &now, rnd_dur(g, 2000, 90000), 4096, 30, SC_FILE, true);
		fev(g, "close", &now, 700, 0, 30, SC_FILE, true);
		fev(g, "write", &now, rnd_dur(g, 500, 3000), 8, 5, SC_IPC, true);
		fev(g, "read", &now, rnd_dur(g, 500, 3000), 8, 6, SC_IPC, true);
		for (uint32_t k = 0; k < o->tiny_burst; k++)
			fev(g, "write", &now, 1500, 8, fd, SC_NETWORK, true);
		fev(g, "writev", &now, rnd_dur(g, 3000, 30000), 4500, fd, SC_NETWORK, true);
		push_req(g->t, now - 200 - start);
	}
}

static const char *const cnames[] = {
	"epoll_wait", "accept4", "read", "write", "socket", "connect", "close",
};

static void gen_connects(struct g *g, const struct gen_opts *o)
{
	const uint32_t pid = 3000, conns = 4;	/* fev() writes pid 3000 */
	uint64_t now = TS0, start;
	char peer[32];

	header(g, o, cnames, 7);
	task(g, EBT_TASK_SNAPSHOT, pid, pid, o->comm ? o->comm : "connects");
	for (uint32_t c = 0; c < conns; c++) {
		fev(g, "epoll_wait", &now, 1000000, 1, 4, SC_POLL, false);
		snprintf(peer, sizeof(peer), "10.0.3.%u:%u", c + 1, 42000 + c);
		fdrec(g, EBT_FDE_OPEN, EBT_FD_SOCKET, pid, (int32_t)(10 + c), now + 5000,
		      "socket:[3]", peer);
		fev(g, "accept4", &now, 5000, 10 + c, 3, SC_NETWORK, false);
	}
	for (uint32_t i = 0; i < o->requests && !g->err; i++) {
		uint64_t fd = 10 + i % conns, d = rnd_dur(g, 20000, 400000);

		fev(g, "epoll_wait", &now, 100000, 1, 4, SC_POLL, false);
		start = now;
		fev(g, "read", &now, 3000, 300, fd, SC_NETWORK, true);
		fev(g, "socket", &now, 2000, 20, 2, SC_NETWORK, true);
		snprintf(peer, sizeof(peer), "10.2.0.%u:5432", i % 4 + 1);
		fdrec(g, EBT_FDE_UPDATE, EBT_FD_SOCKET, pid, 20, now + 30000, NULL, peer);
		fev(g, "connect", &now, 30000, 0, 20, SC_NETWORK, true);
		fev(g, "write", &now, 4000, 100, 20, SC_NETWORK, true);
		fev(g, "read", &now, d, 900, 20, SC_NETWORK, true);
		fev(g, "close", &now, 1500, 0, 20, SC_NETWORK, true);
		fev(g, "write", &now, 4000, 900, fd, SC_NETWORK, true);
		push_req(g->t, now - 200 - start);
	}
}

/* Worker threads: blocking read of a request, work, write, wait again. */
static void gen_threads(struct g *g, const struct gen_opts *o)
{
	struct gen_truth *t = g->t;
	const uint32_t pid = 3000;
	uint32_t threads = o->threads ? o->threads : 4;
	char peer[32];

	header(g, o, snames, 10);
	task(g, EBT_TASK_SNAPSHOT, pid, pid, o->comm ? o->comm : "pool");
	for (uint32_t w = 0; w < threads; w++) {
		uint64_t now = TS0 + w * 7777;
		int32_t fd = (int32_t)(20 + w);

		task(g, EBT_TASK_THREAD, pid, pid + 1 + w, "worker");
		snprintf(peer, sizeof(peer), "10.1.0.%u:%u", w + 1, 50000 + w);
		fdrec(g, EBT_FDE_SNAPSHOT, EBT_FD_SOCKET, pid, fd, 0, "socket:[2]", peer);
		for (uint32_t i = w; i < o->requests && !g->err; i += threads) {
			uint64_t wait = rnd_dur(g, 100000, 5000000), st;
			uint64_t d1 = rnd_dur(g, 1000, 2000000), d2 = rnd_dur(g, 500, 50000);

			ev(g, pid, pid + 1 + w, "read", now, wait, 300, (uint64_t)fd);
			t->idle_ns += wait;
			now += wait;
			st = now;
			now += 500;
			ev(g, pid, pid + 1 + w, "futex", now, d1, 0, 0x7f0000);
			now += d1 + 500;
			ev(g, pid, pid + 1 + w, "openat", now, d2, 40, UINT64_MAX - 99);
			now += d2 + 500;
			ev(g, pid, pid + 1 + w, "fsync", now, d2, 0, 40);
			now += d2 + 500;
			ev(g, pid, pid + 1 + w, "close", now, 800, 0, 40);
			now += 800 + 500;
			ev(g, pid, pid + 1 + w, "write", now, 4000, 900, (uint64_t)fd);
			now += 4000;
			push_req(t, now - st);
			t->req_syscall_ns += d1 + 2 * d2 + 800 + 4000;
			ev(g, pid, pid + 1 + w, "futex", now + 100, 300000, 0, 0x7f1000);
			t->idle_ns += 300000;
			now += 300100;
		}
	}
}

int gen_trace(const char *path, const struct gen_opts *o, struct gen_truth *t)
{
	struct ebt_writer_opts wo = { .inline_io = true, .overwrite = true, .level = 1 };
	struct g g = { .rng = 0x9e3779b97f4a7c15ull ^ o->seed, .t = t };
	int err;

	memset(t, 0, sizeof(*t));
	err = ebt_writer_open(path, &wo, &g.w);
	if (err)
		return err;
	if (o->kind == GEN_EVLOOP)
		gen_evloop(&g, o);
	else if (o->kind == GEN_THREADS)
		gen_threads(&g, o);
	else if (o->kind == GEN_FDMIX)
		gen_fdmix(&g, o);
	else if (o->kind == GEN_CONNECTS)
		gen_connects(&g, o);
	else
		gen_random(&g, o);
	if (o->loss) {
		struct ebt_record r = { .kind = EBT_REC_LOSS };

		r.loss.source = EBT_LOSS_RINGBUF;
		r.loss.cpu = UINT32_MAX;
		r.loss.ts_start_ns = TS0;
		r.loss.ts_end_ns = TS0 + 10000000;
		r.loss.count = 42;
		rec(&g, &r);
	}
	err = ebt_writer_close(g.w, NULL);
	return g.err ? g.err : err;
}

void gen_truth_free(struct gen_truth *t)
{
	for (int i = 0; i < GEN_MAX_NAMES; i++)
		free(t->durs[i]);
	free(t->req_durs);
	memset(t, 0, sizeof(*t));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t gen_quantile(uint64_t *v, uint64_t n, double q)
{
	uint64_t rank;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	rank = (uint64_t)ceil(q * (double)n);
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}
