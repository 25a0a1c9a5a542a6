// SPDX-License-Identifier: MIT
/*
 * Pool mode: the main thread accepts connections and watches idle keep-alive
 * connections with epoll (EPOLLONESHOT); a ready connection is queued to one
 * of N worker threads, which reads the request, processes it start to end
 * (thread-per-request) and writes the response with blocking calls, then
 * re-arms the connection. A request therefore runs on one thread from its
 * read to its response, and a worker that waits for work waits on the queue.
 */
#include "samples/serving/serving.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define POOL_MAX_FDS 65536
#define POOL_MAX_WORKERS 256

struct pool {
	struct srv *s;
	int epfd;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct srv_conn **q;		/* ring of ready connections */
	size_t q_head, q_len, q_cap;
	struct srv_conn **by_fd;	/* every open connection, for shutdown */
	size_t max_fds;
	int stopping;
};

static void push(struct pool *p, struct srv_conn *c)
{
	pthread_mutex_lock(&p->mu);
	p->q[(p->q_head + p->q_len++) % p->q_cap] = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static struct srv_conn *pop(struct pool *p)
{
	struct srv_conn *c = NULL;

	pthread_mutex_lock(&p->mu);
	while (!p->q_len && !p->stopping)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->q_len) {
		c = p->q[p->q_head];
		p->q_head = (p->q_head + 1) % p->q_cap;
		p->q_len--;
	}
	pthread_mutex_unlock(&p->mu);
	return c;
}

static void drop(struct pool *p, struct srv_conn *c)
{
	pthread_mutex_lock(&p->mu);
	p->by_fd[c->fd] = NULL;
	pthread_mutex_unlock(&p->mu);
	srv_conn_free(c);
}

/* Answers every whole request buffered, reading until there is one.
 * 0: keep the connection, <0: close it. */
static int serve(struct pool *p, struct srv_conn *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	int n, answered = 0, err;


	for (;;) {
		char *resp = NULL;

		n = srv_conn_next(p->s, c, &resp);
		if (n > 0) {
			err = srv_write_all(c->fd, resp, n);
			free(resp);
			if (err || c->close_after)
				return -ECONNRESET;
			answered = 1;
			continue;
		}
		if (n < 0 || c->close_after)
			return -ECONNRESET;
		if (answered && c->len == 0)
			return 0;
		/* The first read does not wait: the connection was ready. */
		if (c->len)
			while (!srv_stop && (err = poll(&pfd, 1, 200)) == 0)
				;
		if (srv_stop)
			return -ECANCELED;
		n = srv_conn_read(c);
		if (n <= 0)
			return n == -EAGAIN ? 0 : -ECONNRESET;
	}
}

static void *worker_main(void *arg)
{
	struct pool *p = arg;
	struct srv_conn *c;

	while ((c = pop(p))) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.ptr = c };

		if (serve(p, c) || epoll_ctl(p->epfd, EPOLL_CTL_MOD, c->fd, &ev))
			drop(p, c);
	}
	return NULL;
}

static void accept_all(struct pool *p)
{
	int one = 1;

	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT };
		struct srv_conn *c;
		int fd = accept4(p->s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0)
			return;
		c = (size_t)fd < p->max_fds ? srv_conn_new(fd) : NULL;
		if (!c) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		__atomic_add_fetch(&p->s->c.connections, 1, __ATOMIC_RELAXED);
		pthread_mutex_lock(&p->mu);
		p->by_fd[fd] = c;
		pthread_mutex_unlock(&p->mu);
		ev.data.ptr = c;
		if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev))
			drop(p, c);
	}
}

static void dispatch(struct pool *p)
{
	struct epoll_event evs[64];

	while (!srv_stop) {
		int i, n = epoll_wait(p->epfd, evs, 64, 200);

		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				accept_all(p);
			else
				push(p, evs[i].data.ptr);
		}
	}
}

static int pool_init(struct pool *p, struct srv *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct rlimit rl;

	memset(p, 0, sizeof(*p));
	p->epfd = -1;
	p->s = s;
	p->max_fds = POOL_MAX_FDS;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < p->max_fds)
		p->max_fds = rl.rlim_cur;
	p->q_cap = p->max_fds;
	p->q = calloc(p->q_cap, sizeof(*p->q));
	p->by_fd = calloc(p->max_fds, sizeof(*p->by_fd));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!p->q || !p->by_fd || p->epfd < 0)
		return p->epfd < 0 ? -errno : -ENOMEM;
	if (fcntl(s->listen_fd, F_SETFL, O_NONBLOCK) ||
	    epoll_ctl(p->epfd, EPOLL_CTL_ADD, s->listen_fd, &ev))
		return -errno;
	return 0;
}

static void pool_fini(struct pool *p)
{
	size_t i;

	for (i = 0; p->by_fd && i < p->max_fds; i++)
		srv_conn_free(p->by_fd[i]);
	if (p->epfd >= 0)
		close(p->epfd);
	free(p->q);
	free(p->by_fd);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

int srv_pool_run(struct srv *s)
{
	pthread_t tids[POOL_MAX_WORKERS];
	uint32_t i, started = 0;
	sigset_t block, old;
	struct pool p;
	int err;

	/* Only the dispatcher takes SIGTERM/SIGINT; workers never see EINTR. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	err = pool_init(&p, s);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; !err && i < s->opts->workers && i < POOL_MAX_WORKERS; i++) {
		err = -pthread_create(&tids[i], NULL, worker_main, &p);
		if (!err)
			started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		dispatch(&p);
	pthread_mutex_lock(&p.mu);
	p.stopping = 1;
	p.q_len = 0;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pool_fini(&p);
	return err;
}
