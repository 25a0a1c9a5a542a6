// SPDX-License-Identifier: MIT
/* /metrics over libmicrohttpd, serving copies of a snapshot buffer. */
#include "analyze/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/log.h"
#include "common/parse.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ebpf-analyze</title>"
	"</head>\n<body><h1>ebpf-analyze</h1>\n<p>Syscall latency of the trace being "
	"followed, in the Prometheus text format: <a href=\"/metrics\">/metrics</a>.</p>\n"
	"</body></html>\n";

struct ana_http {
	struct MHD_Daemon *d;
	struct ana_snap *snap;
	char addr[80];
};

void ana_snap_init(struct ana_snap *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->mu, NULL);
}

void ana_snap_fini(struct ana_snap *s)
{
	free(s->buf);
	s->buf = NULL;
	pthread_mutex_destroy(&s->mu);
}

void ana_snap_set(struct ana_snap *s, char *buf, size_t len)
{
	char *old;

	pthread_mutex_lock(&s->mu);
	old = s->buf;
	s->buf = buf;
	s->len = len;
	pthread_mutex_unlock(&s->mu);
	free(old);
}

int ana_snap_copy(struct ana_snap *s, char **out, size_t *len)
{
	char *p = NULL;
	int err = 0;

	pthread_mutex_lock(&s->mu);
	if (!s->buf)
		err = -EAGAIN;
	else
		p = malloc(s->len ? s->len : 1);
	if (!err && !p)
		err = -ENOMEM;
	if (!err) {
		memcpy(p, s->buf, s->len);
		*len = s->len;
		s->scrapes++;
	}
	pthread_mutex_unlock(&s->mu);
	*out = p;
	return err;
}

static int fail(char *err, size_t len, const char *what, const char *s)
{
	snprintf(err, len, "%s '%s' (want PORT, HOST:PORT or [ADDR]:PORT)", what, s);
	return -EINVAL;
}

int ana_http_parse_addr(const char *s, struct sockaddr_storage *out, socklen_t *outlen,
			char *err, size_t errlen)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	char host[256], port[8];
	const char *colon = strrchr(s, ':');
	uint32_t pn;
	size_t hl;
	int rc;

	if (!colon) {
		snprintf(host, sizeof(host), "127.0.0.1");
		colon = s - 1;
		hl = 0;
	} else {
		hl = (size_t)(colon - s);
		if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
			s++;
			hl -= 2;
		}
		if (!hl || hl >= sizeof(host))
			return fail(err, errlen, "invalid listen address", s);
		memcpy(host, s, hl);
		host[hl] = 0;
	}
	if (parse_u32(colon + 1, 0, 65535, &pn))
		return fail(err, errlen, "invalid port in", colon + 1);
	snprintf(port, sizeof(port), "%u", pn);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc || !res) {
		snprintf(err, errlen, "cannot resolve listen host '%s': %s", host,
			 rc ? gai_strerror(rc) : "no address");
		return -EINVAL;
	}
	memcpy(out, res->ai_addr, res->ai_addrlen);
	*outlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void name_addr(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	}
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a))
			return a->s6_addr[12] == 127;
		return IN6_IS_ADDR_LOOPBACK(a);
	}
	return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
}

/* A bound, listening socket; its real address into name. fd or -errno. */
static int listen_on(const struct sockaddr_storage *ss, socklen_t sl, char *name, size_t len)
{
	struct sockaddr_storage got;
	socklen_t gl = sizeof(got);
	int fd, one = 1, err = 0;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, sl) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)&got, &gl))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	name_addr(&got, name, len);
	if (!is_loopback(&got))
		log_warn("%s is not a loopback address: anyone who can reach it reads the"
			 " metrics (no authentication, no TLS)", name);
	return fd;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, void *body,
			     size_t len, enum MHD_ResponseMemoryMode mode, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	return reply(c, status, (void *)msg, strlen(msg), MHD_RESPMEM_PERSISTENT,
		     "text/plain; charset=utf-8");
}

static enum MHD_Result metrics(struct MHD_Connection *c, struct ana_snap *s)
{
	char *buf;
	size_t len = 0;
	int err = ana_snap_copy(s, &buf, &len);

	if (err == -EAGAIN)
		return text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no metrics yet\n");
	if (err)
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	return reply(c, MHD_HTTP_OK, buf, len, MHD_RESPMEM_MUST_FREE, PROM_CONTENT_TYPE);
}

/* Answers on the first call: no request of ours has a body worth reading. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **req_cls)
{
	struct ana_http *h = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!strcmp(url, "/metrics"))
		return metrics(c, h->snap);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, (void *)index_page, sizeof(index_page) - 1,
			     MHD_RESPMEM_PERSISTENT, "text/html; charset=utf-8");
	return text(c, MHD_HTTP_NOT_FOUND, "not found; try /metrics\n");
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char b[256];
	size_t n;

	vsnprintf(b, sizeof(b), fmt, ap);
	n = strlen(b);
	while (n && b[n - 1] == '\n')
		b[--n] = 0;
	log_debug("http: %s", b);
}

int ana_http_open(const char *addr, const struct ana_http_opts *opts, struct ana_snap *s,
		  struct ana_http **out, char *err, size_t errlen)
{
	struct ana_http_opts def = { 10, 64 };
	struct sockaddr_storage ss;
	struct ana_http *h;
	socklen_t sl;
	int fd, rc;

	*out = NULL;
	opts = opts ? opts : &def;
	rc = ana_http_parse_addr(addr, &ss, &sl, err, errlen);
	if (rc)
		return rc;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->snap = s;
	fd = listen_on(&ss, sl, h->addr, sizeof(h->addr));
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr, strerror(-fd));
		free(h);
		return fd;
	}
	h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
				MHD_USE_ERROR_LOG, 0, NULL, NULL, answer, h,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_TIMEOUT, opts->timeout_s,
				MHD_OPTION_CONNECTION_LIMIT, opts->max_conns,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, errlen, "cannot start the HTTP server on %s", h->addr);
		close(fd);
		free(h);
		return -EIO;
	}
	*out = h;
	return 0;
}

const char *ana_http_address(const struct ana_http *h)
{
	return h->addr;
}

void ana_http_close(struct ana_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
