/* SPDX-License-Identifier: MIT */
/*
 * The /metrics endpoint of `ebpf-analyze --listen`: libmicrohttpd serving a
 * snapshot buffer. The analysis thread renders a new exposition and swaps it
 * in with ana_snap_set() (a pointer swap under a short lock); HTTP threads
 * only copy the current buffer, so no client can slow the analysis down.
 */
#ifndef ANALYZE_HTTP_H
#define ANALYZE_HTTP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ana_snap {
	pthread_mutex_t mu;
	char *buf;		/* owned; NULL before the first snapshot */
	size_t len;
	uint64_t scrapes;	/* /metrics answers served */
};

void ana_snap_init(struct ana_snap *s);
/* Frees the buffer. */
void ana_snap_fini(struct ana_snap *s);
/* Takes ownership of buf (malloc'd) and frees the previous one. */
void ana_snap_set(struct ana_snap *s, char *buf, size_t len);
/* A malloc'd copy of the current buffer into *out / *len (the caller frees).
 * 0, -EAGAIN no snapshot yet, -ENOMEM. */
int ana_snap_copy(struct ana_snap *s, char **out, size_t *len);

/*
 * Parses "PORT", "HOST:PORT" or "[V6ADDR]:PORT" (HOST numeric or a name the
 * resolver knows, e.g. localhost). A bare port means 127.0.0.1. 0 or
 * -EINVAL (err says why).
 */
int ana_http_parse_addr(const char *s, struct sockaddr_storage *out, socklen_t *outlen,
			char *err, size_t errlen);

struct ana_http_opts {
	unsigned int timeout_s;		/* idle connection timeout */
	unsigned int max_conns;		/* connection limit */
};

struct ana_http;

/*
 * Binds addr (e.g. "127.0.0.1:9464"; port 0 picks a free port) and starts
 * serving s (borrowed, must outlive the server): GET/HEAD /metrics and /,
 * 404 elsewhere, 405 for other methods; libmicrohttpd answers malformed
 * requests with 400. opts may be NULL (10 s, 64 connections). 0, -EINVAL bad
 * address (err), -EADDRINUSE/-EACCES/... from bind, -EIO server start.
 */
int ana_http_open(const char *addr, const struct ana_http_opts *opts, struct ana_snap *s,
		  struct ana_http **out, char *err, size_t errlen);

/* The bound address as "HOST:PORT" (the real port when 0 was asked). */
const char *ana_http_address(const struct ana_http *h);

/* Stops the server (closes every connection) and frees h; NULL is fine. */
void ana_http_close(struct ana_http *h);

#endif
