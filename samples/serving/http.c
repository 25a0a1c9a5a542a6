// SPDX-License-Identifier: MIT
/* Just enough HTTP/1.1 for the sample: request line, Content-Length,
 * Connection, keep-alive by default. No chunked bodies (411 upstream). */
#include "samples/serving/serving.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *find_crlf2(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 3 < len; i++)
		if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' &&
		    buf[i + 3] == '\n')
			return buf + i;
	return NULL;
}

static int name_is(const char *p, size_t n, const char *name)
{
	return n == strlen(name) && !strncasecmp(p, name, n);
}

static const char *trim(const char *p, const char *end, size_t *out_len)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*out_len = end - p;
	return p;
}

/* One "Name: value" line; sets *clen (or -1 on a bad number) and keep-alive. */
static int parse_header(const char *p, const char *eol, long *clen, int *keep)
{
	const char *colon = memchr(p, ':', eol - p);
	const char *v;
	size_t vlen;
	char num[24];

	if (!colon)
		return -EBADMSG;
	v = trim(colon + 1, eol, &vlen);
	if (name_is(p, colon - p, "content-length")) {
		char *end;

		if (vlen == 0 || vlen >= sizeof(num) || !isdigit((unsigned char)v[0]))
			return -EBADMSG;
		memcpy(num, v, vlen);
		num[vlen] = 0;
		*clen = strtol(num, &end, 10);
		if (*end || *clen < 0)
			return -EBADMSG;
	} else if (name_is(p, colon - p, "connection")) {
		if (name_is(v, vlen, "close"))
			*keep = 0;
		else if (name_is(v, vlen, "keep-alive"))
			*keep = 1;
	} else if (name_is(p, colon - p, "transfer-encoding")) {
		return -EBADMSG;
	}
	return 0;
}

static int parse_request_line(const char *p, const char *eol, struct srv_http_req *out,
			      int *keep)
{
	const char *sp1 = memchr(p, ' ', eol - p), *sp2;

	if (!sp1 || sp1 == p)
		return -EBADMSG;
	sp2 = memchr(sp1 + 1, ' ', eol - sp1 - 1);
	if (!sp2 || sp2 == sp1 + 1)
		return -EBADMSG;
	out->method = p;
	out->method_len = sp1 - p;
	out->path = sp1 + 1;
	out->path_len = sp2 - sp1 - 1;
	if (eol - sp2 - 1 != 8 || strncmp(sp2 + 1, "HTTP/1.", 7))
		return -EBADMSG;
	*keep = sp2[8] == '1';
	return 0;
}

int srv_http_parse(const char *buf, size_t len, struct srv_http_req *out)
{
	const char *hend = find_crlf2(buf, len), *p, *eol;
	long clen = 0;
	int keep = 1, err;
	size_t need;

	if (!hend)
		return len >= SRV_CONN_BUF ? -EFBIG : 0;
	memset(out, 0, sizeof(*out));
	eol = memmem(buf, hend + 2 - buf, "\r\n", 2);
	err = parse_request_line(buf, eol, out, &keep);
	for (p = eol + 2; !err && p < hend; p = eol + 2) {
		eol = memmem(p, hend + 2 - p, "\r\n", 2);
		err = parse_header(p, eol, &clen, &keep);
	}
	if (err)
		return err;
	need = (size_t)(hend + 4 - buf);
	if (clen > SRV_CONN_BUF || need + (size_t)clen > SRV_CONN_BUF)
		return -EFBIG;
	if (len < need + (size_t)clen)
		return 0;
	out->body = hend + 4;
	out->body_len = clen;
	out->total_len = need + clen;
	out->keep_alive = keep;
	return 1;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	default: return "Internal Server Error";
	}
}

int srv_http_response(int status, const char *body, size_t body_len, int keep_alive,
		      char **out)
{
	size_t cap = body_len + 160;
	char *buf = malloc(cap);
	int n;

	if (!buf)
		return -ENOMEM;
	n = snprintf(buf, cap,
		     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
		     "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
		     status, reason(status), body_len, keep_alive ? "keep-alive" : "close");
	if (n < 0 || (size_t)n + body_len > cap) {
		free(buf);
		return -ENOMEM;
	}
	memcpy(buf + n, body, body_len);
	*out = buf;
	return n + (int)body_len;
}
