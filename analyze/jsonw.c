// SPDX-License-Identifier: MIT
#include "analyze/jsonw.h"

#include <math.h>
#include <string.h>

#include "analyze/escape.h"

void ana_jw_init(struct ana_jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = true;
}

static void indent(struct ana_jw *w)
{
	if (!w->pretty)
		return;
	putc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void key(struct ana_jw *w, const char *k)
{
	if (w->need_comma[w->depth])
		putc(',', w->f);
	w->need_comma[w->depth] = true;
	if (w->depth)
		indent(w);
	if (k) {
		ana_esc_json(w->f, k, strlen(k));
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void open_(struct ana_jw *w, const char *k, char c)
{
	key(w, k);
	putc(c, w->f);
	if (w->depth + 1 < ANA_JW_DEPTH)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_(struct ana_jw *w, char c)
{
	bool had = w->need_comma[w->depth];

	if (w->depth)
		w->depth--;
	if (had)
		indent(w);
	putc(c, w->f);
	if (!w->depth)
		putc('\n', w->f);
}

void ana_jw_obj(struct ana_jw *w, const char *k)
{
	open_(w, k, '{');
}

void ana_jw_arr(struct ana_jw *w, const char *k)
{
	open_(w, k, '[');
}

void ana_jw_end_obj(struct ana_jw *w)
{
	close_(w, '}');
}

void ana_jw_end_arr(struct ana_jw *w)
{
	close_(w, ']');
}

void ana_jw_u64(struct ana_jw *w, const char *k, uint64_t v)
{
	key(w, k);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void ana_jw_i64(struct ana_jw *w, const char *k, int64_t v)
{
	key(w, k);
	fprintf(w->f, "%lld", (long long)v);
}

void ana_jw_dbl(struct ana_jw *w, const char *k, double v)
{
	key(w, k);
	if (isfinite(v))
		fprintf(w->f, "%.6g", v);
	else
		fputs("null", w->f);
}

void ana_jw_bool(struct ana_jw *w, const char *k, bool v)
{
	key(w, k);
	fputs(v ? "true" : "false", w->f);
}

void ana_jw_null(struct ana_jw *w, const char *k)
{
	key(w, k);
	fputs("null", w->f);
}

void ana_jw_strn(struct ana_jw *w, const char *k, const char *s, size_t len)
{
	key(w, k);
	if (s)
		ana_esc_json(w->f, s, len);
	else
		fputs("null", w->f);
}

void ana_jw_str(struct ana_jw *w, const char *k, const char *s)
{
	ana_jw_strn(w, k, s, s ? strlen(s) : 0);
}
