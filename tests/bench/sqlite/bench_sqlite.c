/* SPDX-License-Identifier: MIT */
/*
 * SQLite load rate: N synthetic events (default 2,000,000) through
 * ana_sql_event(), as the engine streams them, plus the per-request rows;
 * then ana_sql_close() (indexes, views, commit, fsync, rename). Each size
 * runs in its own process: N events, then 10 N, each printing the insert
 * rate, the whole-load rate and its peak RSS; the verdict is on the
 * whole-load rate per CPU second (issue 4: >= 1 M events/s) and on the peak
 * RSS staying flat (10 N within 1.5x of N).
 * Usage: bench-sqlite [EVENTS [DIR [rollback|once]]]: "rollback" measures the
 * inserts alone (close without commit: no indexes), "once" runs N only.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyze/sqlite_out.h"
#include "common/syscalls.h"

#define TARGET_EPS 1e6
#define RSS_FLAT_RATIO 1.5

struct result {
	double cpu_rate, wall_rate;
	long rss_kib;
	int ok;
};

static const char *const names[] = {
	"read", "write", "epoll_wait", "accept4", "recvfrom", "sendto", "writev",
	"openat", "close", "fstat", "futex", "mmap", "munmap", "clock_nanosleep",
	"sendfile", "fsync", "poll", "getpid", "rt_sigprocmask", "io_uring_enter",
};

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A deterministic xorshift so runs are comparable. */
static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int load(struct ana_sql *s, uint64_t n)
{
	const char *cats[sizeof(names) / sizeof(names[0])];
	uint64_t cat_ns[SC__COUNT] = { 0 }, x = 88172645463325252ULL, i;
	struct ana_sql_request r = { .method = "connection", .category_ns = cat_ns,
				     .peer = "127.0.0.1:40000", .complete = true };
	struct ana_sql_event ev = { 0 };
	unsigned int k;
	int err = 0;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		cats[k] = syscalls_category_name(syscalls_category(names[k]));
	for (i = 0; i < n && !err; i++) {
		uint64_t rnd = next_rand(&x);

		k = (unsigned int)(rnd % (sizeof(names) / sizeof(names[0])));
		ev.ts_ns = 1000000000ULL + i * 997;
		ev.wall_ns = 1795000000000000000ULL + i * 997;
		ev.duration_ns = 200 + (rnd >> 20) % 100000;
		ev.pid = 1000 + (uint32_t)(rnd >> 40) % 4;
		ev.tid = ev.pid + (uint32_t)(rnd >> 44) % 64;
		ev.cpu = (uint32_t)(rnd >> 50) % 8;
		ev.nr = k;
		ev.syscall = names[k];
		ev.category = cats[k];
		ev.err = (rnd & 0xff) == 0 ? 11 : 0;
		ev.ret = ev.err ? -ev.err : (int64_t)(rnd >> 54);
		ev.fd = k < 9 ? (int64_t)(rnd >> 58) + 3 : -1;
		ev.request_id = (int64_t)(i / 8);
		ev.idle = k == 2;
		err = ana_sql_event(s, &ev);
		if (!err && i % 8 == 7) {
			r.id = ev.request_id;
			r.pid = ev.pid;
			r.tid = ev.tid;
			r.start_wall_ns = ev.wall_ns - 7 * 997;
			r.end_wall_ns = ev.wall_ns + ev.duration_ns;
			r.duration_ns = r.end_wall_ns - r.start_wall_ns;
			r.syscalls = 8;
			err = ana_sql_request(s, &r);
		}
	}
	return err;
}

/* One load of n events; the rates go to *res (shared with the parent). */
static int run_one(uint64_t n, const char *dir, bool rollback, struct result *res)
{
	double t0, t1, t2, c0, c1, c2;
	struct ana_sql *s = NULL;
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/bench-sqlite-%d.db", dir, (int)getpid());
	t0 = now_s();
	c0 = cpu_s();
	err = ana_sql_open(path, false, &s);
	if (!err)
		err = load(s, n);
	t1 = now_s();
	c1 = cpu_s();
	if (err)
		fprintf(stderr, "bench-sqlite: %s\n", s ? ana_sql_errmsg(s) : strerror(-err));
	if (rollback) {
		ana_sql_close(s, false);
		printf("insert only: %.2f M events/s wall, %.2f M events/s CPU\n",
		       n / (t1 - t0) / 1e6, n / (c1 - c0) / 1e6);
		return err ? 1 : 0;
	}
	err = ana_sql_close(s, !err) ?: err;
	t2 = now_s();
	c2 = cpu_s();
	if (err) {
		fprintf(stderr, "bench-sqlite: load failed: %s\n", strerror(-err));
		return 1;
	}
	/* CPU seconds next to wall seconds: on a shared machine the wall
	 * clock measures the neighbours too. CPU time includes the sorter's
	 * threads. */
	printf("sqlite load: %llu events (+%llu requests)\n"
	       "  insert:          %.2f M events/s wall (%.2f s), %.2f M events/s CPU (%.2f s)\n"
	       "  indexes+commit:  %.2f s wall, %.2f s CPU\n"
	       "  whole load:      %.2f M events/s wall, %.2f M events/s CPU\n",
	       (unsigned long long)n, (unsigned long long)(n / 8), n / (t1 - t0) / 1e6, t1 - t0,
	       n / (c1 - c0) / 1e6, c1 - c0, t2 - t1, c2 - c1, n / (t2 - t0) / 1e6,
	       n / (c2 - c0) / 1e6);
	fflush(stdout);
	res->cpu_rate = n / (c2 - c0);
	res->wall_rate = n / (t2 - t0);
	res->ok = 1;
	if (!getenv("BENCH_SQLITE_KEEP"))
		unlink(path);
	else
		printf("kept %s\n", path);
	return 0;
}

/* run_one() in a child, so that its peak RSS is its own. */
static int run_child(uint64_t n, const char *dir, bool rollback, struct result *res)
{
	struct rusage ru;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(run_one(n, dir, rollback, res));
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return 1;
	res->rss_kib = ru.ru_maxrss;
	return !WIFEXITED(status) || WEXITSTATUS(status) || (!rollback && !res->ok);
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	const char *dir = argc > 2 ? argv[2] : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	const char *mode = argc > 3 ? argv[3] : "";
	bool rollback = !strcmp(mode, "rollback"), once = rollback || !strcmp(mode, "once");
	struct result *r;
	bool pass;

	r = mmap(NULL, 2 * sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED || !n)
		return 1;
	memset(r, 0, 2 * sizeof(*r));
	if (run_child(n, dir, rollback, &r[0]))
		return 1;
	if (rollback)
		return 0;
	printf("  peak RSS:        %ld MiB\n", r[0].rss_kib / 1024);
	if (!once && run_child(n * 10, dir, false, &r[1]))
		return 1;
	if (!once)
		printf("  peak RSS:        %ld MiB\n", r[1].rss_kib / 1024);
	pass = r[0].cpu_rate >= TARGET_EPS && (once || r[1].cpu_rate >= TARGET_EPS);
	printf("sqlite whole load (insert, indexes, statistics, commit, fsync), CPU time:"
	       " %.2f M events/s at 1x", r[0].cpu_rate / 1e6);
	if (!once)
		printf(", %.2f M events/s at 10x", r[1].cpu_rate / 1e6);
	printf(" [target >= %.0f M events/s: %s]\n", TARGET_EPS / 1e6, pass ? "PASS" : "MISS");
	if (!once)
		printf("sqlite peak RSS: %ld MiB at 1x, %ld MiB at 10x (ratio %.2f)"
		       " [target flat, <= %.1fx: %s]\n", r[0].rss_kib / 1024,
		       r[1].rss_kib / 1024, (double)r[1].rss_kib / (double)r[0].rss_kib,
		       RSS_FLAT_RATIO,
		       r[1].rss_kib <= RSS_FLAT_RATIO * r[0].rss_kib ? "PASS" : "MISS");
	return 0;
}
