// SPDX-License-Identifier: MIT
/*
 * Epoll mode: one thread, non-blocking sockets, level-triggered epoll. A
 * readable connection is drained, every whole request in its buffer is
 * answered in order, and what the socket does not take at once waits for
 * EPOLLOUT. The work of a request (inference, log, faults) runs inline, so a
 * slow step stalls every connection: that is what the faults show here. The
 * downstream call is a blocking connect/send/recv inside the loop, and the
 * fault lock is never contended (one thread), so it costs no futex wait, only
 * its synchronous write.
 */
#include "samples/serving/serving.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define EV_MAX_FDS 65536

struct evloop {
	struct srv *s;
	int epfd;
	struct srv_conn **by_fd;
};

static void drop(struct evloop *l, struct srv_conn *c)
{
	l->by_fd[c->fd] = NULL;
	srv_conn_free(c);
}

static int set_events(struct evloop *l, struct srv_conn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, c->fd, &ev) ? -errno : 0;
}

/* Sends pending output; 1 when some is still pending, 0 done, <0 error. */
static int flush_out(struct srv_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 1 : -errno;
		c->out_off += n;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return 0;
}

/* Answers buffered requests while the socket takes the answers. */
static int answer(struct evloop *l, struct srv_conn *c)
{
	int n, pending = 0;

	while (!pending && (n = srv_conn_next(l->s, c, &c->out)) > 0) {
		c->out_len = n;
		c->out_off = 0;
		pending = flush_out(c);
		if (pending < 0)
			return pending;
	}
	if (!pending && c->close_after)
		return -ECONNRESET;
	return set_events(l, c, pending ? EPOLLOUT : EPOLLIN);
}

static int on_readable(struct evloop *l, struct srv_conn *c)
{
	int n;

	for (;;) {
		n = srv_conn_read(c);
		if (n == -EAGAIN || n == -EFBIG)
			break;
		if (n <= 0)
			return -ECONNRESET;
	}
	return answer(l, c);
}

static int on_writable(struct evloop *l, struct srv_conn *c)
{
	int pending = flush_out(c);

	if (pending)
		return pending < 0 ? pending : 0;
	return answer(l, c);
}

static void accept_all(struct evloop *l)
{
	int one = 1;

	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct srv_conn *c;
		int fd = accept4(l->s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0)
			return;
		c = fd < EV_MAX_FDS ? srv_conn_new(fd) : NULL;
		if (!c) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		__atomic_add_fetch(&l->s->c.connections, 1, __ATOMIC_RELAXED);
		l->by_fd[fd] = c;
		ev.data.ptr = c;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev))
			drop(l, c);
	}
}

static void loop(struct evloop *l)
{
	struct epoll_event evs[64];

	while (!srv_stop) {
		int i, n = epoll_wait(l->epfd, evs, 64, 200);

		for (i = 0; i < n; i++) {
			struct srv_conn *c = evs[i].data.ptr;
			int err;

			if (!c) {
				accept_all(l);
				continue;
			}
			if (c->out)
				err = on_writable(l, c);
			else
				err = on_readable(l, c);
			if (err)
				drop(l, c);
		}
	}
}

int srv_evloop_run(struct srv *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct evloop l = { .s = s, .epfd = -1 };
	size_t i;
	int err = 0;

	l.by_fd = calloc(EV_MAX_FDS, sizeof(*l.by_fd));
	l.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!l.by_fd)
		err = -ENOMEM;
	else if (l.epfd < 0 || fcntl(s->listen_fd, F_SETFL, O_NONBLOCK) ||
		 epoll_ctl(l.epfd, EPOLL_CTL_ADD, s->listen_fd, &ev))
		err = -errno;
	if (!err)
		loop(&l);
	for (i = 0; l.by_fd && i < EV_MAX_FDS; i++)
		srv_conn_free(l.by_fd[i]);
	free(l.by_fd);
	if (l.epfd >= 0)
		close(l.epfd);
	return err;
}
