// SPDX-License-Identifier: MIT
/*
 * The downstream stub: a child process listening on 127.0.0.2 that answers
 * each line "GET <id>\n" with "OK <id>\n" after sleeping downstream_ms, one
 * thread per connection. It stands for a service on another machine: a
 * separate process (record the server with ebpf-record --no-follow to leave
 * it out), on a loopback address of its own so that network time per peer
 * host tells it apart from the clients (127.0.0.1). It is killed and reaped
 * at shutdown and dies with the server (PR_SET_PDEATHSIG) in any case.
 */
#include "samples/serving/serving.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct stub_conn {
	int fd;
	uint32_t ms;
};

static void *stub_conn_main(void *arg)
{
	struct stub_conn *c = arg;
	struct timespec delay = { c->ms / 1000, (long)(c->ms % 1000) * 1000000L };
	char buf[256], out[300];
	size_t len = 0;
	ssize_t n;

	while ((n = recv(c->fd, buf + len, sizeof(buf) - 1 - len, 0)) > 0) {
		char *nl;

		len += n;
		buf[len] = 0;
		while ((nl = strchr(buf, '\n'))) {
			int m;

			*nl = 0;
			nanosleep(&delay, NULL);
			m = snprintf(out, sizeof(out), "OK %.200s\n",
				     strncmp(buf, "GET ", 4) ? "?" : buf + 4);
			if (send(c->fd, out, m, MSG_NOSIGNAL) != m)
				goto out;
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof(buf) - 1)
			break;
	}
out:
	close(c->fd);
	free(c);
	return NULL;
}

static void __attribute__((noreturn)) stub_main(int lfd, uint32_t ms, pid_t parent)
{
	pthread_attr_t attr;
	pthread_t t;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	prctl(PR_SET_NAME, "serving-stub");
	/* Nothing of the server's (its listening socket, its files) stays open. */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != lfd)
			close(fd);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		struct stub_conn *c;
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
				continue;
			_exit(1);
		}
		c = malloc(sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->ms = ms;
		if (pthread_create(&t, &attr, stub_conn_main, c)) {
			close(fd);
			free(c);
		}
	}
}

int srv_listen_local(const char *addr, uint32_t port, uint32_t *out_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int one = 1, err = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1)
		return -EINVAL;
	a.sin_port = htons(port);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024) ||
	    getsockname(fd, (struct sockaddr *)&a, &alen))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	*out_port = ntohs(a.sin_port);
	return fd;
}

int srv_stub_start(struct srv *s)
{
	pid_t parent = getpid(), pid;
	int lfd = srv_listen_local(SRV_STUB_ADDR, 0, &s->stub_port);

	if (lfd < 0)
		return lfd;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(lfd);
		return err;
	}
	if (pid == 0)
		stub_main(lfd, s->opts->downstream_ms, parent);
	close(lfd);
	s->stub_pid = pid;
	return 0;
}

void srv_stub_stop(struct srv *s)
{
	if (s->stub_pid <= 0)
		return;
	kill(s->stub_pid, SIGTERM);
	while (waitpid(s->stub_pid, NULL, 0) < 0 && errno == EINTR)
		;
	s->stub_pid = 0;
}

int srv_stub_call(const struct srv *s, uint64_t req_id)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct timeval tmo = { 2, 0 };
	char msg[64], ans[64];
	size_t got = 0;
	int fd, n, err = 0;

	inet_pton(AF_INET, SRV_STUB_ADDR, &a.sin_addr);
	a.sin_port = htons(s->stub_port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
	n = snprintf(msg, sizeof(msg), "GET %llu\n", (unsigned long long)req_id);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    send(fd, msg, n, MSG_NOSIGNAL) != n)
		err = -errno;
	while (!err && (got == 0 || ans[got - 1] != '\n')) {
		ssize_t r = recv(fd, ans + got, sizeof(ans) - got, 0);

		if (r <= 0)
			err = r < 0 ? -errno : -ECONNRESET;
		else
			got += r;
		if (!err && got == sizeof(ans))
			err = -EMSGSIZE;
	}
	close(fd);
	return err;
}
