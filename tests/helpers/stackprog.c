// SPDX-License-Identifier: MIT
/*
 * A program with known call paths, for --stacks tests (built with frame
 * pointers, -O1, nothing inlined):
 *
 *   stackprog [-n N] [-d DIR]
 *
 * main -> run_fsync -> slow_fsync_path(): write + fsync() of a file in DIR
 * (default: the current directory), N times;
 * main -> run_read -> slow_read_path(): read() of a pipe whose writer (a
 * thread) waits 3 ms before writing, N times.
 * Prints "fsync N" and "read N" when done.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static volatile int sink;

static void pause_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

NOINLINE int slow_fsync_path(int fd);
NOINLINE int slow_read_path(int fd);

NOINLINE int slow_fsync_path(int fd)
{
	char buf[4096];

	memset(buf, 'x', sizeof(buf));
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		return -1;
	sink++;
	return fsync(fd);
}

NOINLINE int slow_read_path(int fd)
{
	char c;
	ssize_t n = read(fd, &c, 1);

	sink++;
	return n == 1 ? 0 : -1;
}

struct writer {
	int fd;
	long n;
};

static void *slow_writer(void *arg)
{
	struct writer *w = arg;
	long i;

	for (i = 0; i < w->n; i++) {
		pause_ms(3);
		if (write(w->fd, "x", 1) != 1)
			break;
	}
	return NULL;
}

static NOINLINE long run_fsync(const char *dir, long n)
{
	char path[4096];
	long i, done = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/stackprog.%d", dir, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++)
		done += !slow_fsync_path(fd);
	close(fd);
	unlink(path);
	sink++;
	return done;
}

static NOINLINE long run_read(long n)
{
	struct writer w;
	pthread_t t;
	long i, done = 0;
	int pfd[2];

	if (pipe(pfd))
		return -1;
	w.fd = pfd[1];
	w.n = n;
	if (pthread_create(&t, NULL, slow_writer, &w))
		return -1;
	for (i = 0; i < n; i++)
		done += !slow_read_path(pfd[0]);
	pthread_join(t, NULL);
	close(pfd[0]);
	close(pfd[1]);
	sink++;
	return done;
}

int main(int argc, char **argv)
{
	const char *dir = ".";
	long n = 20, f, r;
	int c;

	while ((c = getopt(argc, argv, "n:d:")) != -1) {
		if (c == 'n')
			n = strtol(optarg, NULL, 10);
		else if (c == 'd')
			dir = optarg;
		else
			return 2;
	}
	f = run_fsync(dir, n);
	r = run_read(n);
	printf("fsync %ld\nread %ld\n", f, r);
	return f == n && r == n ? 0 : 1;
}
