// SPDX-License-Identifier: MIT
/*
 * bench-loop getppid|rw N: N cheap syscalls (getppid, or a 1-byte write and
 * read on a pipe: two syscalls per iteration), timed inside the process
 * around the loop only. Prints "ns_per_call X" and "calls N".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long i, n;
	int rw, pfd[2];
	double t0, t1;
	char c = 'x';

	if (argc != 3 || (strcmp(argv[1], "getppid") && strcmp(argv[1], "rw"))) {
		fprintf(stderr, "usage: bench-loop getppid|rw N\n");
		return 2;
	}
	rw = !strcmp(argv[1], "rw");
	n = atol(argv[2]);
	if (rw && pipe(pfd))
		return 1;
	t0 = now_ns();
	if (rw) {
		for (i = 0; i < n; i++)
			if (write(pfd[1], &c, 1) != 1 || read(pfd[0], &c, 1) != 1)
				return 1;
	} else {
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
	}
	t1 = now_ns();
	printf("ns_per_call %.1f\ncalls %ld\n", (t1 - t0) / (double)(n * (rw ? 2 : 1)),
	       n * (rw ? 2 : 1));
	return 0;
}
