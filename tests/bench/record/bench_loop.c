// SPDX-License-Identifier: MIT
/*
 * bench-loop getppid|rw N: N cheap syscalls (getppid, or a 1-byte write and
 * read on a pipe: two syscalls per iteration), timed inside the process in
 * blocks of 1000 iterations. Prints the mean over the whole loop, the
 * median block and the fastest block, in ns per syscall: on a shared
 * machine the median block is robust to other processes' preemptions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 1000

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int block(int rw, int *pfd)
{
	char c = 'x';
	long i;

	for (i = 0; i < BLOCK; i++) {
		if (!rw) {
			syscall(SYS_getppid);
			continue;
		}
		if (write(pfd[1], &c, 1) != 1 || read(pfd[0], &c, 1) != 1)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long b, nblocks;
	int rw, pfd[2], per;
	double t0, t, start, *times;

	if (argc != 3 || (strcmp(argv[1], "getppid") && strcmp(argv[1], "rw"))) {
		fprintf(stderr, "usage: bench-loop getppid|rw N\n");
		return 2;
	}
	rw = !strcmp(argv[1], "rw");
	per = rw ? 2 : 1;
	nblocks = atol(argv[2]) / BLOCK;
	if (nblocks < 1 || (rw && pipe(pfd)))
		return 2;
	times = calloc((size_t)nblocks, sizeof(*times));
	if (!times)
		return 1;
	start = now_ns();
	for (b = 0; b < nblocks; b++) {
		t0 = now_ns();
		if (block(rw, pfd))
			return 1;
		t = now_ns();
		times[b] = (t - t0) / (BLOCK * per);
	}
	t = now_ns();
	qsort(times, (size_t)nblocks, sizeof(*times), cmp_double);
	printf("ns_per_call %.1f\nns_mean %.1f\nns_min %.1f\ncalls %ld\n", times[nblocks / 2],
	       (t - start) / (double)(nblocks * BLOCK * per), times[0], nblocks * BLOCK * per);
	free(times);
	return 0;
}
