// SPDX-License-Identifier: MIT
/*
 * Pool mode: the main thread accepts connections with a blocking accept()
 * and queues them; a worker thread takes a connection and serves it with
 * blocking read()/write() until the client closes it, each request start to
 * end on that one thread (thread-per-request processing, as in classic
 * thread-pool servers). There is no epoll or poll anywhere in this mode, so
 * the process looks like what it is: a thread-per-request server. The pool
 * starts with --workers threads and grows by one (up to POOL_MAX_WORKERS)
 * whenever a connection arrives while every worker is busy, so keep-alive
 * clients never starve each other.
 */
#include "samples/serving/serving.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define POOL_MAX_FDS 65536
#define POOL_MAX_WORKERS 256

struct pool {
	struct srv *s;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct srv_conn **q;		/* ring of accepted connections */
	size_t q_head, q_len, q_cap;
	struct srv_conn **by_fd;	/* every open connection, for shutdown */
	size_t max_fds;
	uint32_t idle;			/* workers waiting in pop() */
	uint32_t nthreads;
	pthread_t tids[POOL_MAX_WORKERS];
	int stopping;
};

static struct srv_conn *pop(struct pool *p)
{
	struct srv_conn *c = NULL;

	pthread_mutex_lock(&p->mu);
	p->idle++;
	while (!p->q_len && !p->stopping)
		pthread_cond_wait(&p->cv, &p->mu);
	p->idle--;
	if (p->q_len && !p->stopping) {
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

/* Serves one connection until it closes, fails or the server stops. */
static void serve(struct pool *p, struct srv_conn *c)
{
	while (!srv_stop) {
		char *resp = NULL;
		int n = srv_conn_next(p->s, c, &resp);

		if (n > 0) {
			int err = srv_write_all(c->fd, resp, n);

			free(resp);
			if (err || c->close_after)
				return;
			continue;
		}
		if (n < 0 || c->close_after)
			return;
		if (srv_conn_read(c) <= 0)
			return;
	}
}

static void *worker_main(void *arg)
{
	struct pool *p = arg;
	struct srv_conn *c;

	while ((c = pop(p))) {
		serve(p, c);
		drop(p, c);
	}
	return NULL;
}

static int add_worker(struct pool *p)
{
	sigset_t block, old;
	int err;

	/* Only the main thread takes SIGTERM/SIGINT: its accept() gets EINTR. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	err = -pthread_create(&p->tids[p->nthreads], NULL, worker_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		p->nthreads++;
	return err;
}

static void enqueue(struct pool *p, struct srv_conn *c)
{
	int grow;

	pthread_mutex_lock(&p->mu);
	p->by_fd[c->fd] = c;
	p->q[(p->q_head + p->q_len++) % p->q_cap] = c;
	grow = p->idle < p->q_len && p->nthreads < POOL_MAX_WORKERS;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (grow)
		add_worker(p);
}

static void accept_loop(struct pool *p)
{
	int one = 1;

	while (!srv_stop) {
		struct srv_conn *c;
		int fd = accept4(p->s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0)
			continue;	/* EINTR at shutdown; EMFILE and friends: retry */
		c = (size_t)fd < p->max_fds ? srv_conn_new(fd) : NULL;
		if (!c) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		__atomic_add_fetch(&p->s->c.connections, 1, __ATOMIC_RELAXED);
		enqueue(p, c);
	}
}

static int pool_init(struct pool *p, struct srv *s)
{
	struct rlimit rl;

	memset(p, 0, sizeof(*p));
	p->s = s;
	p->max_fds = POOL_MAX_FDS;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < p->max_fds)
		p->max_fds = rl.rlim_cur;
	p->q_cap = p->max_fds;
	p->q = calloc(p->q_cap, sizeof(*p->q));
	p->by_fd = calloc(p->max_fds, sizeof(*p->by_fd));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	return p->q && p->by_fd ? 0 : -ENOMEM;
}

/* Wakes every worker: idle ones from the queue, busy ones from read(). */
static void pool_stop(struct pool *p)
{
	size_t i;

	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	for (i = 0; p->by_fd && i < p->max_fds; i++)
		if (p->by_fd[i])
			shutdown(p->by_fd[i]->fd, SHUT_RDWR);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

int srv_pool_run(struct srv *s)
{
	struct pool *p = malloc(sizeof(*p));
	uint32_t i;
	int err;

	if (!p)
		return -ENOMEM;
	err = pool_init(p, s);
	for (i = 0; !err && i < s->opts->workers && i < POOL_MAX_WORKERS; i++)
		err = add_worker(p);
	if (!err)
		accept_loop(p);
	pool_stop(p);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->tids[i], NULL);
	for (i = 0; p->by_fd && i < p->max_fds; i++)
		srv_conn_free(p->by_fd[i]);
	free(p->q);
	free(p->by_fd);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	return err;
}
