// SPDX-License-Identifier: MIT
/*
 * The body of POST /infer: {"class": "normal", "input": [0.1, 2, ...]}.
 * A small recursive-descent reader: other keys are skipped whatever their
 * type, nesting is capped, every access is bounds-checked.
 */
#include "samples/serving/serving.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

struct cur {
	const char *p, *end;
};

static void ws(struct cur *c)
{
	while (c->p < c->end && isspace((unsigned char)*c->p))
		c->p++;
}

static int eat(struct cur *c, char ch)
{
	ws(c);
	if (c->p >= c->end || *c->p != ch)
		return -EBADMSG;
	c->p++;
	return 0;
}

/* A string; its raw bytes (escapes kept as written) go to out[cap]. */
static int string(struct cur *c, char *out, size_t cap)
{
	size_t n = 0;
	int err = eat(c, '"');

	while (!err && c->p < c->end && *c->p != '"') {
		if (*c->p == '\\' && c->p + 1 < c->end)
			c->p++;
		if (out && n + 1 < cap)
			out[n++] = *c->p;
		c->p++;
	}
	if (!err && c->p >= c->end)
		err = -EBADMSG;
	if (!err)
		c->p++;
	if (out && cap)
		out[n] = 0;
	return err;
}

static int number(struct cur *c, double *out)
{
	char tmp[64], *end;
	size_t n = 0;

	ws(c);
	while (c->p + n < c->end && n + 1 < sizeof(tmp) &&
	       strchr("+-.eE0123456789", c->p[n]) && c->p[n])
		n++;
	if (n == 0)
		return -EBADMSG;
	memcpy(tmp, c->p, n);
	tmp[n] = 0;
	*out = strtod(tmp, &end);
	if (*end)
		return -EBADMSG;
	c->p += n;
	return 0;
}

static int skip_value(struct cur *c, int depth);

static int skip_list(struct cur *c, int depth, char close, int keyed)
{
	int err = 0;

	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		if (keyed) {
			err = string(c, NULL, 0);
			if (!err)
				err = eat(c, ':');
		}
		if (!err)
			err = skip_value(c, depth + 1);
		ws(c);
		if (err || c->p >= c->end)
			return -EBADMSG;
		if (*c->p++ == close)
			return 0;
		if (c->p[-1] != ',')
			return -EBADMSG;
	}
}

static int skip_value(struct cur *c, int depth)
{
	double d;

	if (depth > MAX_DEPTH)
		return -EBADMSG;
	ws(c);
	if (c->p >= c->end)
		return -EBADMSG;
	switch (*c->p) {
	case '"':
		return string(c, NULL, 0);
	case '{':
		c->p++;
		return skip_list(c, depth, '}', 1);
	case '[':
		c->p++;
		return skip_list(c, depth, ']', 0);
	case 't':
	case 'f':
	case 'n':
		while (c->p < c->end && isalpha((unsigned char)*c->p))
			c->p++;
		return 0;
	default:
		return number(c, &d);
	}
}

static int input_array(struct cur *c, struct srv_infer_req *out)
{
	double d;
	int err = eat(c, '[');

	ws(c);
	if (!err && c->p < c->end && *c->p == ']') {
		c->p++;
		return 0;
	}
	while (!err) {
		err = number(c, &d);
		if (!err && out->n_input >= SRV_MODEL_IN)
			err = -EBADMSG;
		if (!err)
			out->input[out->n_input++] = (float)d;
		ws(c);
		if (err || c->p >= c->end)
			return -EBADMSG;
		if (*c->p++ == ']')
			return 0;
		if (c->p[-1] != ',')
			return -EBADMSG;
	}
	return err;
}

static int member(struct cur *c, struct srv_infer_req *out)
{
	char key[32];
	int err = string(c, key, sizeof(key));

	if (!err)
		err = eat(c, ':');
	if (err)
		return err;
	if (!strcmp(key, "class")) {
		ws(c);
		err = string(c, out->cls, sizeof(out->cls));
		/* The class is echoed in JSON and the log: a plain word only. */
		for (size_t i = 0; !err && out->cls[i]; i++)
			if (!isalnum((unsigned char)out->cls[i]) && !strchr("_-", out->cls[i]))
				err = -EBADMSG;
		return err;
	}
	if (!strcmp(key, "input"))
		return input_array(c, out);
	return skip_value(c, 1);
}

int srv_json_parse_infer(const char *body, size_t len, struct srv_infer_req *out)
{
	struct cur c = { body, body + len };
	int err;

	memset(out, 0, sizeof(*out));
	strcpy(out->cls, "normal");
	err = eat(&c, '{');
	ws(&c);
	if (!err && c.p < c.end && *c.p == '}')
		return 0;
	while (!err) {
		err = member(&c, out);
		ws(&c);
		if (err || c.p >= c.end)
			return -EBADMSG;
		if (*c.p++ == '}')
			break;
		if (c.p[-1] != ',')
			return -EBADMSG;
	}
	ws(&c);
	return err ? err : (c.p == c.end ? 0 : -EBADMSG);
}
