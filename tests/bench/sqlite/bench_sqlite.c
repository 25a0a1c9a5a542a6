/* SPDX-License-Identifier: MIT */
/*
 * SQLite load rate: N synthetic events (default 2,000,000) through
 * ana_sql_event(), as the engine streams them, plus the per-request rows;
 * then ana_sql_close() (indexes, views, commit, fsync, rename). Prints the
 * insert rate, the rate including close, and the peak RSS.
 * Usage: bench-sqlite [EVENTS [DIR [rollback]]]: "rollback" measures the
 * inserts alone (close without commit: no indexes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "analyze/sqlite_out.h"
#include "common/syscalls.h"

#define TARGET_EPS 1e6

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

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 2000000;
	const char *dir = argc > 2 ? argv[2] : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	double t0, t1, t2, c0, c1, c2;
	struct ana_sql *s = NULL;
	struct rusage ru;
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
	if (argc > 3 && !strcmp(argv[3], "rollback")) {
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
	getrusage(RUSAGE_SELF, &ru);
	/* CPU seconds next to wall seconds: on a shared machine the wall
	 * clock measures the neighbours too. The verdict is on the insert
	 * rate per CPU second (one core), the form of issue 4's target. */
	printf("sqlite load: %llu events (+%llu requests), peak RSS %ld MiB\n"
	       "  insert:          %.2f M events/s wall (%.2f s), %.2f M events/s CPU (%.2f s)\n"
	       "  indexes+commit:  %.2f s wall, %.2f s CPU\n"
	       "  overall:         %.2f M events/s wall, %.2f M events/s CPU\n"
	       "  [target >= %.0f M events/s inserted, one core (CPU time): %s]\n",
	       (unsigned long long)n, (unsigned long long)(n / 8), ru.ru_maxrss / 1024,
	       n / (t1 - t0) / 1e6, t1 - t0, n / (c1 - c0) / 1e6, c1 - c0, t2 - t1, c2 - c1,
	       n / (t2 - t0) / 1e6, n / (c2 - c0) / 1e6, TARGET_EPS / 1e6,
	       n / (c1 - c0) >= TARGET_EPS ? "met" : "MISSED");
	if (!getenv("BENCH_SQLITE_KEEP"))
		unlink(path);
	else
		printf("kept %s\n", path);
	return 0;
}
