// SPDX-License-Identifier: MIT
/*
 * One thread per connection, each in a closed loop: send one request, read
 * the whole response, record the latency, send the next. Request classes are
 * drawn from the weighted mix with a per-connection PRNG, so a seed gives the
 * same sequence every run.
 */
#include "samples/loadgen/loadgen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"

#define RESP_MAX 65536

struct conn {
	const struct lg_opts *o;
	uint64_t *claimed;		/* shared request counter (-n mode) */
	uint64_t deadline_ns;
	uint32_t rng;
	int fd;
	struct lg_result r;		/* this connection's share */
	size_t lat_cap;
	char resp[RESP_MAX];
	size_t resp_len;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint32_t rnd(uint32_t *st)
{
	uint32_t x = *st;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *st = x;
}

static int dial(const struct lg_opts *o)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct timeval tmo = { 10, 0 };
	int one = 1, fd;

	a.sin_port = htons(o->port);
	if (inet_pton(AF_INET, o->host, &a.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static uint32_t pick_class(const struct lg_opts *o, uint32_t *rng)
{
	uint32_t total = 0, i, x;

	for (i = 0; i < o->n_classes; i++)
		total += o->classes[i].weight;
	x = rnd(rng) % total;
	for (i = 0; i + 1 < o->n_classes; i++) {
		if (x < o->classes[i].weight)
			return i;
		x -= o->classes[i].weight;
	}
	return i;
}

static int build_request(const char *cls, uint32_t *rng, char *buf, size_t cap)
{
	char body[1400];
	int n, i, hn;

	n = snprintf(body, sizeof(body), "{\"class\":\"%s\",\"input\":[", cls);
	for (i = 0; i < 128 && n < (int)sizeof(body) - 8; i++)
		n += snprintf(body + n, sizeof(body) - n, "%s%u.%02u", i ? "," : "",
			      rnd(rng) % 2, rnd(rng) % 100);
	n += snprintf(body + n, sizeof(body) - n, "]}");
	hn = snprintf(buf, cap, "POST /infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		      "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		      n, body);
	return hn > 0 && (size_t)hn < cap ? hn : -ENOMEM;
}

/* Bytes of a whole response at the start of buf (0: need more, <0: bad). */
static long response_len(const char *buf, size_t len, int *status)
{
	const char *hend = memmem(buf, len, "\r\n\r\n", 4);
	const char *cl;
	long body;

	if (!hend)
		return len >= RESP_MAX ? -EBADMSG : 0;
	if (len < 12 || strncmp(buf, "HTTP/1.", 7))
		return -EBADMSG;
	*status = atoi(buf + 9);
	cl = memmem(buf, hend - buf, "Content-Length:", 15);
	if (!cl)
		return -EBADMSG;
	body = strtol(cl + 15, NULL, 10);
	if (body < 0 || hend + 4 - buf + body > RESP_MAX)
		return -EBADMSG;
	return (size_t)(hend + 4 - buf) + body <= len ? hend + 4 - buf + body : 0;
}

/* Reads one response; its status in *status. 0 or -errno. */
static int read_response(struct conn *c, int *status)
{
	long n;

	for (;;) {
		ssize_t r;

		n = response_len(c->resp, c->resp_len, status);
		if (n != 0)
			break;
		r = recv(c->fd, c->resp + c->resp_len, RESP_MAX - c->resp_len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -ECONNRESET;
		c->resp_len += r;
	}
	if (n < 0)
		return (int)n;
	c->resp_len -= n;
	memmove(c->resp, c->resp + n, c->resp_len);
	return 0;
}

static int claim(struct conn *c)
{
	if (lg_stop)
		return 0;
	if (c->deadline_ns && now_ns() >= c->deadline_ns)
		return 0;
	if (c->o->requests &&
	    __atomic_fetch_add(c->claimed, 1, __ATOMIC_RELAXED) >= c->o->requests)
		return 0;
	return 1;
}

static void fail(struct conn *c)
{
	c->r.errors++;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->resp_len = 0;
}

/* One request on the connection, dialling first when needed. */
static void one_request(struct conn *c, char *req, size_t cap)
{
	uint32_t k = pick_class(c->o, &c->rng);
	uint64_t t0;
	int n, status = 0;

	if (c->fd < 0) {
		struct timespec pause = { 0, 100000000L };

		c->fd = dial(c->o);
		if (c->fd < 0) {
			fail(c);
			nanosleep(&pause, NULL);
			return;
		}
		c->r.reconnects++;
	}
	n = build_request(c->o->classes[k].name, &c->rng, req, cap);
	t0 = now_ns();
	if (n < 0 || send(c->fd, req, n, MSG_NOSIGNAL) != n) {
		fail(c);
		return;
	}
	c->r.sent++;
	c->r.per_class[k]++;
	if (read_response(c, &status)) {
		fail(c);
		return;
	}
	if (!alloc_grow((void **)&c->r.lat_ns, &c->lat_cap, c->r.n_lat + 1, sizeof(uint64_t)))
		c->r.lat_ns[c->r.n_lat++] = now_ns() - t0;
	if (status == 200)
		c->r.ok++;
	else
		c->r.errors++;
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	char req[2048];

	while (claim(c))
		one_request(c, req, sizeof(req));
	if (c->fd >= 0 && c->o->linger_ms && !lg_stop) {
		struct timespec idle = { c->o->linger_ms / 1000,
					 (long)(c->o->linger_ms % 1000) * 1000000L };

		nanosleep(&idle, NULL);
	}
	if (c->fd >= 0)
		close(c->fd);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sums the connections' shares into *out and sorts the latencies. */
static int merge(struct conn **cs, uint32_t n, struct lg_result *out)
{
	uint64_t total = 0;
	uint32_t i, k;

	for (i = 0; i < n; i++)
		total += cs[i]->r.n_lat;
	out->lat_ns = alloc_array(total ? total : 1, sizeof(uint64_t));
	if (!out->lat_ns)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct lg_result *r = &cs[i]->r;

		out->sent += r->sent;
		out->ok += r->ok;
		out->errors += r->errors;
		out->reconnects += r->reconnects;
		for (k = 0; k < LG_MAX_CLASSES; k++)
			out->per_class[k] += r->per_class[k];
		memcpy(out->lat_ns + out->n_lat, r->lat_ns, r->n_lat * sizeof(uint64_t));
		out->n_lat += r->n_lat;
	}
	qsort(out->lat_ns, out->n_lat, sizeof(uint64_t), cmp_u64);
	return 0;
}

static int start_conns(const struct lg_opts *o, struct conn **cs, pthread_t *tids,
		       uint64_t *claimed, uint32_t *started)
{
	uint64_t t0 = now_ns();
	uint32_t i;
	int err = 0;

	for (i = 0; !err && i < o->connections; i++) {
		cs[i] = calloc(1, sizeof(*cs[i]));
		if (!cs[i])
			return -ENOMEM;
		cs[i]->o = o;
		cs[i]->claimed = claimed;
		cs[i]->deadline_ns = o->duration_ns ? t0 + o->duration_ns : 0;
		cs[i]->rng = (o->seed + 1) * 2654435761u + i * 40503u + 1;
		cs[i]->fd = dial(o);
		if (cs[i]->fd < 0)
			err = cs[i]->fd;
		else
			err = -pthread_create(&tids[i], NULL, conn_main, cs[i]);
		if (!err)
			(*started)++;
		else if (cs[i]->fd >= 0)
			close(cs[i]->fd);
	}
	return err;
}

int lg_run(const struct lg_opts *o, struct lg_result *out)
{
	struct conn *cs[LG_MAX_CONNS] = { NULL };
	pthread_t tids[LG_MAX_CONNS];
	uint64_t claimed = 0, t0 = now_ns();
	uint32_t i, started = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = start_conns(o, cs, tids, &claimed, &started);
	if (err)
		lg_stop = 1;
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	out->elapsed_ns = now_ns() - t0;
	if (!err)
		err = merge(cs, started, out);
	for (i = 0; i < o->connections && i < LG_MAX_CONNS; i++) {
		if (cs[i])
			free(cs[i]->r.lat_ns);
		free(cs[i]);
	}
	return err;
}

void lg_result_free(struct lg_result *r)
{
	free(r->lat_ns);
	r->lat_ns = NULL;
}

uint64_t lg_quantile(const struct lg_result *r, double q)
{
	uint64_t rank;

	if (!r->n_lat)
		return 0;
	rank = (uint64_t)(q * r->n_lat);
	if ((double)rank < q * r->n_lat)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > r->n_lat)
		rank = r->n_lat;
	return r->lat_ns[rank - 1];
}
