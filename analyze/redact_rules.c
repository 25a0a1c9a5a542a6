// SPDX-License-Identifier: MIT
/*
 * What becomes a token, record by record. A token is "<kind>:<hex>" where hex
 * is the start of HMAC-SHA256(key, the original bytes): the same bytes give
 * the same hex whatever the field, so a path seen as an fd path, an exe and a
 * map path gets one token, and joins across records and traces (same key)
 * still work. Socket addresses keep their shape for the analyzer, which
 * groups peers by host: "10.0.0.5:5432" -> "peer-<hex(10.0.0.5)>[:5432]",
 * "[::1]:443" -> "[peer-<hex(::1)>][:443]" (no ':' inside the host part).
 */
#include "analyze/redact.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"

#define MAX_FIX 8
#define HOST_SUBSTR_MIN 4	/* shorter host names are replaced as whole values only */

struct fix {
	struct ebt_str *dst;
	size_t off, len;
};

struct ana_redactor {
	struct ana_hmac mac;
	uint32_t what;
	uint32_t hash_chars;
	bool keep_ports, whole_cmdline;
	char *buf;		/* output strings of the current record */
	size_t len, cap;
	struct fix fix[MAX_FIX];
	int nfix;
	char **hosts;		/* host names met so far (originals) */
	size_t nhosts, hcap;
	uint64_t replaced;
};

int ana_redactor_new(const struct ana_redact_opts *o, const uint8_t *key, size_t klen,
		     struct ana_redactor **out)
{
	struct ana_redactor *r;

	if (!o || !key || klen < ANA_RED_KEY_MIN || klen > ANA_RED_KEY_MAX || !out ||
	    o->hash_chars < 8 || o->hash_chars > 2 * ANA_SHA256_LEN)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	ana_hmac_init(&r->mac, key, klen);
	r->what = o->what;
	r->hash_chars = o->hash_chars;
	r->keep_ports = o->keep_ports;
	r->whole_cmdline = o->whole_cmdline;
	*out = r;
	return 0;
}

void ana_redactor_free(struct ana_redactor *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nhosts; i++)
		free(r->hosts[i]);
	free(r->hosts);
	free(r->buf);
	free(r);
}

uint64_t ana_redactor_count(const struct ana_redactor *r)
{
	return r->replaced;
}

/* "<prefix><sep><hex>" */
static int token(const struct ana_redactor *r, const char *prefix, char sep, const void *p,
		 size_t n, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[ANA_SHA256_LEN];
	size_t pl = strlen(prefix), i;

	if (pl + 1 + r->hash_chars + 1 > len)
		return -ENOSPC;
	ana_hmac_sum(&r->mac, p, n, d);
	memcpy(buf, prefix, pl);
	buf[pl] = sep;
	for (i = 0; i < r->hash_chars; i++)
		buf[pl + 1 + i] = hex[(d[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	buf[pl + 1 + i] = 0;
	return (int)(pl + 1 + i);
}

int ana_redactor_token(const struct ana_redactor *r, const char *prefix, const void *p,
		       size_t n, char *buf, size_t len)
{
	return token(r, prefix, ':', p, n, buf, len);
}

int ana_redactor_key_id(const struct ana_redactor *r, char *buf, size_t len)
{
	static const char text[] = "ebpf-analyze redact key id";

	return token(r, "key", ':', text, sizeof(text) - 1, buf, len);
}

/* ---------------------------------------------------------------- output buffer */

static int put(struct ana_redactor *r, const void *p, size_t n)
{
	if (r->len + n + 1 > r->cap &&
	    alloc_grow((void **)&r->buf, &r->cap, r->len + n + 1, 1))
		return -ENOMEM;
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return 0;
}

static int put_token(struct ana_redactor *r, const char *prefix, char sep, const void *p,
		     size_t n)
{
	char t[96];
	int len = token(r, prefix, sep, p, n, t, sizeof(t));

	r->replaced++;
	return len < 0 ? len : put(r, t, (size_t)len);
}

/* Opens an output string for dst; close() records where it lies in buf. */
static int open_str(struct ana_redactor *r, struct ebt_str *dst)
{
	if (r->nfix == MAX_FIX)
		return -EINVAL;
	r->fix[r->nfix].dst = dst;
	r->fix[r->nfix].off = r->len;
	return 0;
}

static int close_str(struct ana_redactor *r)
{
	struct fix *f = &r->fix[r->nfix];
	char nul = 0;
	int err;

	f->len = r->len - f->off;
	if (f->len > EBT_MAX_STRING)
		return -EFBIG;
	err = put(r, &nul, 1);	/* readers' convenience NUL, not in len */
	if (!err)
		r->nfix++;
	return err;
}

/* Points every output string into buf, now that buf no longer moves. */
static void apply_fixes(struct ana_redactor *r)
{
	for (int i = 0; i < r->nfix; i++) {
		r->fix[i].dst->p = r->buf + r->fix[i].off;
		r->fix[i].dst->len = (uint32_t)r->fix[i].len;
	}
}

/* ---------------------------------------------------------------- rules */

static int whole(struct ana_redactor *r, struct ebt_str *dst, const char *prefix)
{
	struct ebt_str src = *dst;
	int err;

	if (!src.len)
		return 0;
	err = open_str(r, dst);
	err = err ? err : put_token(r, prefix, ':', src.p, src.len);
	return err ? err : close_str(r);
}

/* Tokens made a string longer than the format allows (EBT_MAX_STRING): the
 * whole original becomes one token instead. */
static int as_whole(struct ana_redactor *r, struct ebt_str *dst, struct ebt_str src,
		    const char *prefix)
{
	r->len = r->fix[r->nfix].off;	/* drop the string that did not fit */
	*dst = src;
	return whole(r, dst, prefix);
}

/* Each word (bytes between separators) becomes a token; separators and empty
 * words stay, so the number of arguments is kept. */
static int words(struct ana_redactor *r, struct ebt_str *dst, const char *seps, size_t nseps)
{
	struct ebt_str src = *dst;
	size_t i = 0, start = 0;
	int err;

	if (!src.len)
		return 0;
	if (r->whole_cmdline)
		return whole(r, dst, "cmd");
	err = open_str(r, dst);
	for (i = 0; !err && i <= src.len; i++) {
		if (i < src.len && !memchr(seps, src.p[i], nseps))
			continue;
		if (i > start)
			err = put_token(r, "arg", ':', src.p + start, i - start);
		if (!err && i < src.len)
			err = put(r, src.p + i, 1);
		start = i + 1;
	}
	err = err ? err : close_str(r);
	return err == -EFBIG ? as_whole(r, dst, src, "cmd") : err;
}

static int address(struct ana_redactor *r, struct ebt_str *dst, const char *prefix)
{
	struct ebt_str src = *dst;
	const char *s = src.p, *end = s + src.len, *colon, *rb;
	int err;

	if (!src.len)
		return 0;
	err = open_str(r, dst);
	colon = memrchr(s, ':', src.len);
	rb = s[0] == '[' ? memchr(s, ']', src.len) : NULL;
	if (err) {
		return err;
	} else if (rb) {		/* [v6]:port */
		err = put(r, "[", 1);
		err = err ? err : put_token(r, prefix, '-', s + 1, (size_t)(rb - s - 1));
		err = err ? err : put(r, "]", 1);
		if (!err && r->keep_ports && rb + 1 < end)
			err = put(r, rb + 1, (size_t)(end - rb - 1));
	} else if (s[0] == '/' || s[0] == '@') {	/* AF_UNIX path or abstract name */
		err = put(r, s, 1);
		err = err ? err : put_token(r, prefix, '-', s, src.len);
	} else if (colon && memchr(s, ':', src.len) == colon) {	/* v4 or name:port */
		err = put_token(r, prefix, '-', s, (size_t)(colon - s));
		if (!err && r->keep_ports)
			err = put(r, colon, (size_t)(end - colon));
	} else {			/* bare v6, or no port */
		err = put_token(r, prefix, '-', s, src.len);
	}
	return err ? err : close_str(r);
}

/* The kernel's pseudo link texts ("socket:[123]", "pipe:[4]",
 * "anon_inode:[eventfd]") name no file and are kept. */
static bool pseudo_path(const struct ebt_str *s)
{
	size_t i = 0;

	while (i < s->len && ((s->p[i] >= 'a' && s->p[i] <= 'z') || s->p[i] == '_'))
		i++;
	return i > 0 && i < s->len && s->p[i] == ':' && !memchr(s->p, '/', s->len);
}

static bool str_eq(const struct ebt_str *s, const char *c)
{
	return strlen(c) == s->len && !memcmp(s->p, c, s->len);
}

static const char *host_at(const struct ana_redactor *r, const char *p, size_t left)
{
	for (size_t h = 0; h < r->nhosts; h++) {
		size_t hl = strlen(r->hosts[h]);

		if (hl >= HOST_SUBSTR_MIN && hl <= left && !memcmp(p, r->hosts[h], hl))
			return r->hosts[h];
	}
	return NULL;
}

/* A string outside the chosen categories: kept, except that known host names
 * in it are replaced (the whole value, or a substring of 4+ bytes). */
static int kept(struct ana_redactor *r, struct ebt_str *dst)
{
	struct ebt_str src = *dst;
	size_t i, start = 0;
	bool any = false;
	int err;

	if (!(r->what & ANA_RED_HOSTS) || !src.len)
		return 0;
	for (size_t h = 0; h < r->nhosts; h++) {
		if (str_eq(&src, r->hosts[h]))
			return whole(r, dst, "host");
	}
	for (i = 0; !any && i < src.len; i++)
		any = host_at(r, src.p + i, src.len - i) != NULL;
	if (!any)
		return 0;
	err = open_str(r, dst);
	for (i = 0; !err && i < src.len;) {
		const char *h = host_at(r, src.p + i, src.len - i);

		if (!h) {
			i++;
			continue;
		}
		err = put(r, src.p + start, i - start);
		err = err ? err : put_token(r, "host", ':', h, strlen(h));
		i += strlen(h);
		start = i;
	}
	err = err ? err : put(r, src.p + start, src.len - start);
	err = err ? err : close_str(r);
	return err == -EFBIG ? as_whole(r, dst, src, "host") : err;
}

static int pick(struct ana_redactor *r, struct ebt_str *dst, uint32_t cats, const char *prefix)
{
	return (r->what & cats) ? whole(r, dst, prefix) : kept(r, dst);
}

static int remember_host(struct ana_redactor *r, const struct ebt_str *s)
{
	char *copy;

	if (!s->len || memchr(s->p, 0, s->len))
		return 0;
	for (size_t h = 0; h < r->nhosts; h++) {
		if (str_eq(s, r->hosts[h]))
			return 0;
	}
	if (alloc_grow((void **)&r->hosts, &r->hcap, r->nhosts + 1, sizeof(char *)))
		return -ENOMEM;
	copy = strndup(s->p, s->len);
	if (!copy)
		return -ENOMEM;
	r->hosts[r->nhosts++] = copy;
	return 0;
}

static int in_list(const struct ebt_str *s, const char *const *list)
{
	for (; *list; list++) {
		if (str_eq(s, *list))
			return 1;
	}
	return 0;
}

/* "redacted": the categories of every pass this trace went through. */
static int widen_redacted(struct ana_redactor *r, struct ebt_str *dst)
{
	char text[128];
	uint32_t had = 0;
	size_t n;
	int err;

	if (!memchr(dst->p, 0, dst->len) && dst->len < sizeof(text)) {
		memcpy(text, dst->p, dst->len);
		text[dst->len] = 0;
		if (ana_redact_parse_what(text, &had))
			had = 0;
	}
	n = ana_redact_what_text(had | r->what, text, sizeof(text));
	err = open_str(r, dst);
	err = err ? err : put(r, text, n);
	return err ? err : close_str(r);
}

static int file_info(struct ana_redactor *r, struct ebt_kv *kv)
{
	static const char *const host_keys[] = { "hostname", "nodename", "fqdn", "domainname",
						 "host", NULL };
	static const char *const id_keys[] = { "boot_id", "machine_id", NULL };
	/* machine-readable facts (docs/FORMAT.md §6.2): never names, and a host
	 * name that happens to be a substring must not change them */
	static const char *const fact_keys[] = {
		"abi", "arch", "clock", "event_abi", "sample_every", "min_duration_ns",
		"syscall_filter", "buffer_bytes", "follow_children", "started_realtime_ns",
		"nr_cpus", "page_size", "recorder_version", NULL,
	};
	char key_id[96];
	int err;

	if (in_list(&kv->key, host_keys) && (r->what & ANA_RED_HOSTS)) {
		err = remember_host(r, &kv->value);
		return err ? err : whole(r, &kv->value, "host");
	}
	if (in_list(&kv->key, id_keys))
		return pick(r, &kv->value, ANA_RED_HOSTS, "id");
	if (str_eq(&kv->key, "recorder_args") && (r->what & ANA_RED_CMDLINE))
		return words(r, &kv->value, " \0", 2);
	if (str_eq(&kv->key, "targets") && (r->what & ANA_RED_CMDLINE) && kv->value.len > 4 &&
	    !memcmp(kv->value.p, "cmd:", 4)) {
		struct ebt_str src = kv->value;

		err = open_str(r, &kv->value);
		err = err ? err : put(r, "cmd:", 4);
		err = err ? err : put_token(r, "arg", ':', src.p + 4, src.len - 4);
		return err ? err : close_str(r);
	}
	if (str_eq(&kv->key, "redacted"))
		return widen_redacted(r, &kv->value);
	if (in_list(&kv->key, fact_keys))
		return 0;
	if (str_eq(&kv->key, "redact_key_id")) {
		err = ana_redactor_key_id(r, key_id, sizeof(key_id));
		err = err < 0 ? err : open_str(r, &kv->value);
		err = err ? err : put(r, key_id, strlen(key_id));
		return err ? err : close_str(r);
	}
	return kept(r, &kv->value);
}

static int task(struct ana_redactor *r, struct ebt_task *t)
{
	int err;

	err = pick(r, &t->comm, ANA_RED_COMM, "comm");
	err = err ? err : pick(r, &t->exe, ANA_RED_EXE | ANA_RED_PATHS, "path");
	if (!err && (r->what & ANA_RED_CMDLINE))
		err = words(r, &t->cmdline, "\0", 1);
	else if (!err)
		err = kept(r, &t->cmdline);
	return err;
}

static int fd(struct ana_redactor *r, struct ebt_fd *f)
{
	int err;

	if (pseudo_path(&f->path))
		err = kept(r, &f->path);
	else
		err = pick(r, &f->path, ANA_RED_PATHS, "path");
	if (!err)
		err = (r->what & ANA_RED_PEERS) ? address(r, &f->local, "local") : kept(r, &f->local);
	if (!err)
		err = (r->what & ANA_RED_PEERS) ? address(r, &f->peer, "peer") : kept(r, &f->peer);
	return err;
}

int ana_redactor_record(struct ana_redactor *r, const struct ebt_record *in,
			struct ebt_record *out)
{
	int err = 0;

	*out = *in;
	r->len = 0;
	r->nfix = 0;
	switch (in->kind) {
	case EBT_REC_FILE_INFO:
		err = file_info(r, &out->kv);
		break;
	case EBT_REC_TASK:
		err = task(r, &out->task);
		break;
	case EBT_REC_FD:
		err = fd(r, &out->fd);
		break;
	case EBT_REC_SYMBOL:
		err = pick(r, &out->sym.object, ANA_RED_PATHS, "path");
		err = err ? err : kept(r, &out->sym.name);
		break;
	case EBT_REC_MAP:
		err = pick(r, &out->map.path, ANA_RED_PATHS, "path");
		break;
	default:		/* SYSCALL names, numbers only otherwise */
		break;
	}
	if (!err)
		apply_fixes(r);
	return err;
}
