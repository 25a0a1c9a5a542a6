// SPDX-License-Identifier: MIT
/*
 * The model: 40 processes (one 48-thread server, the rest 1-12 threads),
 * Zipf-skewed thread activity, four syscall personalities (network server,
 * file I/O, lock/timer heavy, memory/misc), per-thread bursts, log-normal
 * durations and user-time gaps, realistic return values (byte counts,
 * -EAGAIN, fds, page-aligned addresses), per-thread fd pools, call-site
 * stack ids, sticky CPUs with occasional migration, 16 CPUs. Events come out
 * in commit order (exit + up to 2 us jitter), like a BPF ring buffer.
 */
#include "tests/bench/format/synth.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NPROC 40
#define NCPU 16
#define MAXTHR 512

struct rng {
	uint64_t s;
};

static uint64_t next_u64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double uniform(struct rng *r)
{
	return ((double)(next_u64(r) >> 11) + 0.5) / 9007199254740992.0;
}

static double lognormal(struct rng *r, double median, double sigma)
{
	double z = sqrt(-2.0 * log(uniform(r))) * cos(6.283185307179586 * uniform(r));

	return median * exp(sigma * z);
}

enum persona { NET, FILEIO, LOCKS, MISC };

struct thread {
	uint32_t pid, tid, cpu;
	enum persona kind;
	double weight;
	uint64_t free_at;	/* when its last syscall returned */
	uint32_t fd_base, fd_n;
	uint64_t futex_base;
	uint32_t stack_base;
	int state;
};

/* x86_64 numbers */
enum { S_READ = 0, S_WRITE = 1, S_CLOSE = 3, S_FSTAT = 5, S_MMAP = 9, S_MUNMAP = 11,
       S_BRK = 12, S_PREAD = 17, S_SENDTO = 44, S_RECVFROM = 45, S_GETPID = 39,
       S_FUTEX = 202, S_EPOLL_WAIT = 232, S_NANOSLEEP = 230, S_OPENAT = 257,
       S_WRITEV = 20, S_ACCEPT4 = 288, S_GETTIME = 228 };

struct call {
	uint32_t nr;
	uint64_t arg0;
	int64_t ret;
	double dur_median, sigma;
};

static int64_t bytes(struct rng *r, double median)
{
	double b = lognormal(r, median, 1.2);

	return b < 1 ? 1 : b > 65536 ? 65536 : (int64_t)b;
}

static void net_call(struct thread *t, struct rng *r, struct call *c)
{
	uint64_t fd = t->fd_base + next_u64(r) % t->fd_n;
	static const uint32_t seq[] = { S_EPOLL_WAIT, S_RECVFROM, S_RECVFROM, S_WRITEV,
					S_SENDTO, S_EPOLL_WAIT, S_READ, S_WRITE };

	c->nr = seq[t->state++ % 8];
	c->arg0 = c->nr == S_EPOLL_WAIT ? t->fd_base - 1 : fd;
	c->sigma = 1.0;
	switch (c->nr) {
	case S_EPOLL_WAIT:
		c->ret = 1 + (int64_t)(next_u64(r) % 8);
		c->dur_median = 40000;
		c->sigma = 2.0;
		break;
	case S_RECVFROM:
	case S_READ:
		c->ret = uniform(r) < 0.3 ? -11 : bytes(r, 600);
		c->dur_median = 2500;
		break;
	default:
		c->ret = bytes(r, 2000);
		c->dur_median = 7000;
	}
}

static void file_call(struct thread *t, struct rng *r, struct call *c)
{
	static const uint32_t seq[] = { S_OPENAT, S_FSTAT, S_PREAD, S_PREAD, S_READ, S_CLOSE };
	uint64_t fd = t->fd_base + (uint64_t)(t->state / 6) % t->fd_n;

	c->nr = seq[t->state++ % 6];
	c->arg0 = c->nr == S_OPENAT ? (uint64_t)-100 : fd;
	c->sigma = 1.3;
	c->dur_median = 4000;
	c->ret = 0;
	if (c->nr == S_OPENAT)
		c->ret = uniform(r) < 0.05 ? -2 : (int64_t)fd;
	else if (c->nr == S_PREAD || c->nr == S_READ)
		c->ret = uniform(r) < 0.5 ? 4096 : bytes(r, 3000), c->dur_median = 9000;
}

static void lock_call(struct thread *t, struct rng *r, struct call *c)
{
	double u = uniform(r);

	c->sigma = 1.8;
	if (u < 0.7) {
		c->nr = S_FUTEX;
		c->arg0 = t->futex_base + 64 * (next_u64(r) % 4);
		c->ret = uniform(r) < 0.2 ? -11 : uniform(r) < 0.1 ? -110 : 0;
		c->dur_median = 30000;
	} else if (u < 0.85) {
		c->nr = S_NANOSLEEP;
		c->arg0 = 0;
		c->ret = 0;
		c->dur_median = 1000000;
		c->sigma = 0.3;
	} else {
		c->nr = S_GETTIME;
		c->arg0 = 1;
		c->ret = 0;
		c->dur_median = 300;
		c->sigma = 0.5;
	}
}

static void misc_call(struct thread *t, struct rng *r, struct call *c)
{
	double u = uniform(r);

	c->sigma = 1.0;
	c->dur_median = 1500;
	c->arg0 = 0;
	if (u < 0.3) {
		c->nr = S_MMAP;
		c->ret = (int64_t)(0x7f0000000000ull + (next_u64(r) % (1ull << 28)) * 4096);
		c->dur_median = 5000;
	} else if (u < 0.5) {
		c->nr = S_MUNMAP;
		c->ret = 0;
	} else if (u < 0.7) {
		c->nr = S_BRK;
		c->ret = (int64_t)(0x5600000000ull + (uint64_t)t->state++ * 135168);
	} else if (u < 0.85) {
		c->nr = S_GETPID;
		c->ret = t->pid;
		c->dur_median = 200;
	} else {
		c->nr = S_ACCEPT4;
		c->arg0 = t->fd_base;
		c->ret = uniform(r) < 0.5 ? -11 : (int64_t)(t->fd_base + 1 + next_u64(r) % 50);
		c->dur_median = 3000;
	}
}

static uint32_t make_threads(struct thread *th, struct rng *r)
{
	uint32_t n = 0, tid = 2000;

	for (uint32_t p = 0; p < NPROC; p++) {
		uint32_t nth = p == 0 ? 48 : 1 + (uint32_t)(next_u64(r) % 12);
		enum persona pk = p == 0 ? NET : (enum persona)(next_u64(r) % 4);
		uint32_t pid = tid;

		for (uint32_t i = 0; i < nth && n < MAXTHR; i++, n++) {
			struct thread *t = &th[n];

			memset(t, 0, sizeof(*t));
			t->pid = pid;
			t->tid = tid++;
			t->kind = i == 0 && pk == NET ? NET : uniform(r) < 0.2 ? LOCKS : pk;
			t->cpu = (uint32_t)(next_u64(r) % NCPU);
			t->fd_base = 5 + (uint32_t)(next_u64(r) % 20);
			t->fd_n = 2 + (uint32_t)(next_u64(r) % 60);
			t->futex_base = 0x7f1200000000ull + (uint64_t)p * 0x100000;
			t->stack_base = 1 + n * 4;
		}
		tid += 50;
	}
	for (uint32_t i = 0; i < n; i++)	/* Zipf-skewed activity */
		th[i].weight = 1.0 / pow(1.0 + (double)(next_u64(r) % n), 1.1);
	return n;
}

static void one_call(struct thread *t, struct rng *r, struct call *c)
{
	switch (t->kind) {
	case NET:
		net_call(t, r, c);
		break;
	case FILEIO:
		file_call(t, r, c);
		break;
	case LOCKS:
		lock_call(t, r, c);
		break;
	default:
		misc_call(t, r, c);
	}
}

static struct thread *pick(struct thread *th, uint32_t n, double total, struct rng *r)
{
	double x = uniform(r) * total;

	for (uint32_t i = 0; i < n; i++) {
		x -= th[i].weight;
		if (x <= 0)
			return &th[i];
	}
	return &th[n - 1];
}

static int cmp_commit(const void *a, const void *b)
{
	const struct ebt_event *x = a, *y = b;
	/* commit-order jitter travels in the top bits of stack_id */
	uint64_t kx = x->enter_ns + x->duration_ns + (x->stack_id >> 20);
	uint64_t ky = y->enter_ns + y->duration_ns + (y->stack_id >> 20);

	return kx < ky ? -1 : kx > ky;
}

/* One syscall of thread t starting after a user-time gap; returns its exit. */
static uint64_t emit(struct ebt_event *ev, struct thread *t, struct rng *r,
		     uint64_t at)
{
	struct call c;

	one_call(t, r, &c);
	at += (uint64_t)lognormal(r, 3000, 1.0);
	ev->enter_ns = at;
	ev->duration_ns = 100 + (uint64_t)lognormal(r, c.dur_median, c.sigma);
	ev->ret = c.ret;
	ev->arg0 = c.arg0;
	ev->pid = t->pid;
	ev->tid = t->tid;
	ev->nr = c.nr;
	ev->cpu = t->cpu;
	/* call site: one of 4 per thread; commit jitter parked in the top bits */
	ev->stack_id = (t->stack_base + c.nr % 4) | (uint32_t)(next_u64(r) % 2000) << 20;
	ev->flags = 0;
	return at + ev->duration_ns;
}

int synth_generate(struct ebt_event *ev, size_t n, uint64_t seed,
		   struct synth_info *info)
{
	struct thread *th = calloc(MAXTHR, sizeof(*th));
	struct rng r = { seed };
	uint64_t now = 5000000000000ull;
	double total = 0;
	uint32_t nth;
	size_t i = 0;

	if (!th)
		return -ENOMEM;
	nth = make_threads(th, &r);
	for (uint32_t k = 0; k < nth; k++) {
		total += th[k].weight;
		th[k].free_at = now;
	}
	while (i < n) {
		struct thread *t = pick(th, nth, total, &r);
		uint32_t burst = 1 + (uint32_t)(next_u64(&r) % 12);
		uint64_t at = t->free_at > now ? t->free_at : now;

		now += (uint64_t)lognormal(&r, 3000, 1.0);
		if (t->free_at > now + 2000000)
			continue;	/* that thread is still busy */
		if (uniform(&r) < 0.02)
			t->cpu = (uint32_t)(next_u64(&r) % NCPU);
		for (uint32_t b = 0; b < burst && i < n; b++, i++)
			at = emit(&ev[i], t, &r, at);
		t->free_at = at;
	}
	qsort(ev, n, sizeof(*ev), cmp_commit);
	for (size_t k = 0; k < n; k++)
		ev[k].stack_id &= (1u << 20) - 1;
	if (info) {
		info->processes = NPROC;
		info->threads = nth;
		info->cpus = NCPU;
		info->events_per_sec = (double)n * 1e9 /
				       (double)(ev[n - 1].enter_ns + ev[n - 1].duration_ns -
						ev[0].enter_ns);
	}
	free(th);
	return 0;
}
