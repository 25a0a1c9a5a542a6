// SPDX-License-Identifier: MIT
/*
 * A program with known syscall counts, for recorder tests and benchmarks.
 *
 *   sysloop [-n N] [-r M] [-t THREADS] [-f FORKS] [-w] [-x CODE] [-c N32]
 *
 * Every worker (the main thread, or each of THREADS threads, or each of
 * FORKS child processes) calls getppid() N times and does M 1-byte
 * write()+read() round trips on its own pipe. With -w it first prints
 * "ready PID" and waits for SIGUSR1. At the end it prints the totals it made:
 * "getppid N", "rw_write FD COUNT" / "rw_read FD COUNT" per pipe (fds 100
 * and up), and exits
 * with CODE. -c N32 then makes N32 getpid calls through int $0x80 (x86_64:
 * compat syscalls, i386 number 20) and prints "compat_getpid N32".
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct worker {
	long n, m;
	int pfd[2];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	long i;
	char c = 'x';

	for (i = 0; i < w->n; i++)
		syscall(SYS_getppid);
	for (i = 0; i < w->m; i++) {
		if (write(w->pfd[1], &c, 1) != 1 || read(w->pfd[0], &c, 1) != 1) {
			perror("sysloop: pipe");
			exit(1);
		}
	}
	return NULL;
}

/* Pipes live at fd 100 and up, away from the loader's and libc's fds, so
 * per-fd counts are exact. */
static int move_fd(int *fd, int to)
{
	if (dup2(*fd, to) < 0)
		return -1;
	close(*fd);
	*fd = to;
	return 0;
}

static void wait_go(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	sigwait(&set, &sig);
}

static void report(const struct worker *ws, int count, long n)
{
	int i;

	printf("getppid %ld\n", n * count);
	for (i = 0; i < count; i++) {
		if (!ws[i].m)
			continue;
		printf("rw_write %d %ld\n", ws[i].pfd[1], ws[i].m);
		printf("rw_read %d %ld\n", ws[i].pfd[0], ws[i].m);
	}
}

static int run_forks(struct worker *ws, int forks)
{
	int i, st, bad = 0;
	pid_t pid;

	for (i = 0; i < forks; i++) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			work(&ws[i]);
			_exit(0);
		}
	}
	for (i = 0; i < forks; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	return bad;
}

static int run_threads(struct worker *ws, int threads)
{
	pthread_t tids[256];
	int i;

	for (i = 0; i < threads; i++)
		if (pthread_create(&tids[i], NULL, work, &ws[i]))
			return 1;
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	return 0;
}

/* N getpid calls through the 32-bit entry (int $0x80, i386 number 20): the
 * kernel sees compat syscalls in a 64-bit process. */
static int compat_getpid(long n)
{
#if defined(__x86_64__)
	for (long i = 0; i < n; i++) {
		long r;

		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		if (r != getpid())
			return -1;
	}
	printf("compat_getpid %ld\n", n);
	return 0;
#else
	return n ? -1 : 0;
#endif
}

int main(int argc, char **argv)
{
	long n = 0, m = 0, c32 = 0;
	int threads = 0, forks = 0, wait = 0, code = 0, opt, count, i, err;
	struct worker ws[256];

	while ((opt = getopt(argc, argv, "n:r:t:f:wx:c:")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 'r': m = atol(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'f': forks = atoi(optarg); break;
		case 'w': wait = 1; break;
		case 'x': code = atoi(optarg); break;
		case 'c': c32 = atol(optarg); break;
		default:
			fprintf(stderr, "usage: sysloop [-n N] [-r M] [-t T] [-f F] [-w] [-x CODE]"
				" [-c N]\n");
			return 2;
		}
	}
	count = threads ? threads : forks ? forks : 1;
	if (count > 256 || (threads && forks)) {
		fprintf(stderr, "sysloop: at most 256 workers, threads or forks\n");
		return 2;
	}
	for (i = 0; i < count; i++) {
		ws[i].n = n;
		ws[i].m = m;
		if (pipe(ws[i].pfd) || move_fd(&ws[i].pfd[0], 100 + 2 * i) ||
		    move_fd(&ws[i].pfd[1], 101 + 2 * i)) {
			perror("sysloop: pipe");
			return 1;
		}
	}
	if (wait)
		wait_go();
	if (threads)
		err = run_threads(ws, threads);
	else if (forks)
		err = run_forks(ws, forks);
	else
		err = (work(&ws[0]), 0);
	if (err) {
		fprintf(stderr, "sysloop: a worker failed\n");
		return 1;
	}
	report(ws, count, n);
	if (c32 && compat_getpid(c32)) {
		fprintf(stderr, "sysloop: int $0x80 getpid failed\n");
		return 1;
	}
	return code;
}
