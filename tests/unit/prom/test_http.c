// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "analyze/http.h"

static int dial(const char *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { 5, 0 };
	const char *colon = strrchr(addr, ':');
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "connect %s", addr);
	return fd;
}

/* Sends raw, reads the answer until the server closes; returns it (free). */
static char *exchange(const char *addr, const char *raw)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	int fd = dial(addr);
	ssize_t n;

	cr_assert_not_null(buf);
	cr_assert_eq(write(fd, raw, strlen(raw)), (ssize_t)strlen(raw));
	while (len < cap && (n = read(fd, buf + len, cap - len)) > 0)
		len += (size_t)n;
	buf[len] = 0;
	close(fd);
	return buf;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct srv {
	struct ana_snap snap;
	struct ana_http *h;
	char addr[80];
};

static void srv_start(struct srv *s, unsigned int timeout_s)
{
	struct ana_http_opts o = { timeout_s, 8 };
	char err[256] = "";

	ana_snap_init(&s->snap);
	cr_assert_eq(ana_http_open("127.0.0.1:0", &o, &s->snap, &s->h, err, sizeof(err)), 0,
		     "%s", err);
	snprintf(s->addr, sizeof(s->addr), "%s", ana_http_address(s->h));
	cr_assert_str_neq(s->addr, "127.0.0.1:0");
}

static void srv_stop(struct srv *s)
{
	ana_http_close(s->h);
	ana_snap_fini(&s->snap);
}

static void set_body(struct srv *s, const char *body)
{
	ana_snap_set(&s->snap, strdup(body), strlen(body));
}

Test(prom_http, parses_listen_addresses)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	socklen_t sl;
	char err[128];

	cr_assert_eq(ana_http_parse_addr("9464", &ss, &sl, err, sizeof(err)), 0);
	cr_assert_eq(ss.ss_family, AF_INET);
	cr_assert_eq(ntohs(s4->sin_port), 9464);
	cr_assert_eq(ntohl(s4->sin_addr.s_addr), INADDR_LOOPBACK, "a bare port is loopback");
	cr_assert_eq(ana_http_parse_addr("0.0.0.0:80", &ss, &sl, err, sizeof(err)), 0);
	cr_assert_eq(ana_http_parse_addr("[::1]:9464", &ss, &sl, err, sizeof(err)), 0);
	cr_assert_eq(ss.ss_family, AF_INET6);
	cr_assert_eq(ana_http_parse_addr("::1:9464", &ss, &sl, err, sizeof(err)), 0);
	cr_assert_eq(ss.ss_family, AF_INET6);
	cr_assert_eq(ana_http_parse_addr("127.0.0.1:65536", &ss, &sl, err, sizeof(err)), -EINVAL);
	cr_assert_eq(ana_http_parse_addr("127.0.0.1:", &ss, &sl, err, sizeof(err)), -EINVAL);
	cr_assert_eq(ana_http_parse_addr(":80", &ss, &sl, err, sizeof(err)), -EINVAL);
	cr_assert_eq(ana_http_parse_addr("x", &ss, &sl, err, sizeof(err)), -EINVAL);
	cr_assert_eq(ana_http_parse_addr("300.1.1.1:80", &ss, &sl, err, sizeof(err)), -EINVAL);
}

Test(prom_http, busy_port_is_reported)
{
	struct srv a;
	struct ana_snap s;
	struct ana_http *h = NULL;
	char err[256] = "", addr[80];

	srv_start(&a, 5);
	ana_snap_init(&s);
	cr_assert_eq(ana_http_open(a.addr, NULL, &s, &h, err, sizeof(err)), -EADDRINUSE);
	cr_assert_null(h);
	cr_assert_not_null(strstr(err, a.addr), "%s", err);
	snprintf(addr, sizeof(addr), "%s", a.addr);
	srv_stop(&a);
	/* stopping closed the listening socket: the port is free again */
	cr_assert_eq(ana_http_open(addr, NULL, &s, &h, err, sizeof(err)), 0, "%s", err);
	ana_http_close(h);
	ana_snap_fini(&s);
}

Test(prom_http, serves_the_snapshot_and_nothing_else)
{
	struct srv s;
	char *r;

	srv_start(&s, 5);
	r = exchange(s.addr, "GET /metrics HTTP/1.0\r\n\r\n");
	cr_assert(!strncmp(r, "HTTP/1.0 503", 12) || !strncmp(r, "HTTP/1.1 503", 12), "%s", r);
	free(r);
	set_body(&s, "a_total 1\n");
	r = exchange(s.addr, "GET /metrics HTTP/1.0\r\n\r\n");
	cr_assert_not_null(strstr(r, " 200 "), "%s", r);
	cr_assert_not_null(strstr(r, "text/plain; version=0.0.4"), "%s", r);
	cr_assert_not_null(strstr(r, "\r\n\r\na_total 1\n"), "%s", r);
	free(r);
	set_body(&s, "a_total 2\n");
	r = exchange(s.addr, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	cr_assert_not_null(strstr(r, "\r\n\r\na_total 2\n"), "%s", r);
	free(r);
	r = exchange(s.addr, "HEAD /metrics HTTP/1.0\r\n\r\n");
	cr_assert_not_null(strstr(r, " 200 "), "%s", r);
	cr_assert_null(strstr(r, "a_total"), "HEAD has no body: %s", r);
	free(r);
	r = exchange(s.addr, "GET / HTTP/1.0\r\n\r\n");
	cr_assert_not_null(strstr(r, "href=\"/metrics\""), "%s", r);
	free(r);
	r = exchange(s.addr, "GET /secret HTTP/1.0\r\n\r\n");
	cr_assert_not_null(strstr(r, " 404 "), "%s", r);
	free(r);
	r = exchange(s.addr, "POST /metrics HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc");
	cr_assert_not_null(strstr(r, " 405 "), "%s", r);
	free(r);
	srv_stop(&s);
}

Test(prom_http, malformed_requests_are_refused)
{
	static const char *const bad[] = {
		"GET /metrics HTTP/1.0\r\nNoColonHere\r\n\r\n",
		"GET  HTTP/1.0\r\n\r\n",
		"GET /metrics\r\n\r\n",
		"GET /metrics HTTP/1.0\r\nContent-Length: abc\r\n\r\n",
	};
	struct srv s;
	char *big, *r;

	srv_start(&s, 5);
	set_body(&s, "a 1\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = exchange(s.addr, bad[i]);
		cr_assert_not_null(strstr(r, " 400 "), "%zu: %s", i, r);
		free(r);
	}
	r = exchange(s.addr, "GARBAGE\r\n\r\n");	/* MHD just hangs up */
	cr_assert_null(strstr(r, "a 1"), "%s", r);
	free(r);
	big = malloc(50000);
	cr_assert_not_null(big);
	snprintf(big, 50000, "GET /metrics HTTP/1.0\r\nX: %040000d\r\n\r\n", 0);
	r = exchange(s.addr, big);
	cr_assert_not_null(strstr(r, " 431 "), "%.60s", r);
	free(r);
	free(big);
	r = exchange(s.addr, "GET /metrics HTTP/1.0\r\n\r\n");
	cr_assert_not_null(strstr(r, "a 1\n"), "still serving: %s", r);
	free(r);
	srv_stop(&s);
}

/* Idle connections (up to the limit) never delay a scrape; the server drops
 * them after the timeout. */
Test(prom_http, silent_clients_do_not_stall_scrapes, .timeout = 30)
{
	struct srv s;
	int idle[4];
	double t0;
	char *r, c;

	srv_start(&s, 2);
	set_body(&s, "a 1\n");
	for (int i = 0; i < 4; i++)
		idle[i] = dial(s.addr);
	cr_assert_eq(write(idle[0], "GET /met", 8), 8);	/* half a request line */
	t0 = now_s();
	r = exchange(s.addr, "GET /metrics HTTP/1.0\r\n\r\n");
	cr_assert_lt(now_s() - t0, 1.0, "scrape took %.2f s", now_s() - t0);
	cr_assert_not_null(strstr(r, "a 1\n"), "%s", r);
	free(r);
	t0 = now_s();
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(read(idle[i], &c, 1), 0, "idle client %d not closed", i);
		close(idle[i]);
	}
	cr_assert_lt(now_s() - t0, 4.5, "idle clients closed after %.2f s", now_s() - t0);
	srv_stop(&s);
}

Test(prom_http, snapshot_copy_is_independent)
{
	struct ana_snap s;
	char *a = NULL;
	size_t n = 0;

	ana_snap_init(&s);
	cr_assert_eq(ana_snap_copy(&s, &a, &n), -EAGAIN);
	ana_snap_set(&s, strdup("one"), 3);
	cr_assert_eq(ana_snap_copy(&s, &a, &n), 0);
	ana_snap_set(&s, strdup("two"), 3);
	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(a, "one", 3), 0);
	free(a);
	cr_assert_eq(s.scrapes, 1);
	ana_snap_fini(&s);
}
