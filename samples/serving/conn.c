// SPDX-License-Identifier: MIT
/* Turning a connection's buffered bytes into responses, shared by both modes. */
#include "samples/serving/serving.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct srv_conn *srv_conn_new(int fd)
{
	struct srv_conn *c = calloc(1, sizeof(*c));

	if (c)
		c->fd = fd;
	return c;
}

void srv_conn_free(struct srv_conn *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	free(c);
}

int srv_conn_read(struct srv_conn *c)
{
	ssize_t n;

	if (c->len >= SRV_CONN_BUF)
		return -EFBIG;
	do
		n = read(c->fd, c->buf + c->len, SRV_CONN_BUF - c->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	c->len += n;
	return n;
}

static int reject(struct srv *s, struct srv_conn *c, int err, char **out)
{
	static const char bad[] = "{\"error\":\"malformed request\"}";
	static const char big[] = "{\"error\":\"request too large\"}";

	__atomic_add_fetch(&s->c.requests, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->c.errors, 1, __ATOMIC_RELAXED);
	c->close_after = 1;
	c->len = 0;
	if (err == -EFBIG)
		return srv_http_response(413, big, sizeof(big) - 1, 0, out);
	return srv_http_response(400, bad, sizeof(bad) - 1, 0, out);
}

int srv_conn_next(struct srv *s, struct srv_conn *c, char **out)
{
	struct srv_http_req req;
	int n, err;

	if (c->close_after)
		return 0;
	err = srv_http_parse(c->buf, c->len, &req);
	if (err < 0)
		return reject(s, c, err, out);
	if (err == 0)
		return 0;
	n = srv_handle(s, &req, out);
	if (!req.keep_alive)
		c->close_after = 1;
	c->len -= req.total_len;
	memmove(c->buf, c->buf + req.total_len, c->len);
	return n;
}
