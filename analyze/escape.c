// SPDX-License-Identifier: MIT
#include "analyze/escape.h"

#include <csv.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t ana_utf8_decode(const unsigned char *s, size_t len, unsigned int *cp)
{
	unsigned int c = s[0], n, min;

	*cp = c;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2; min = 0x80; c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; min = 0x800; c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; min = 0x10000; c &= 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (unsigned int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int done(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

int ana_esc_json(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned int cp;

	putc('"', f);
	while (p && i < len) {
		unsigned int c = p[i];

		if (c >= 0x80) {
			n = ana_utf8_decode(p + i, len - i, &cp);
			if (n)
				fwrite(p + i, 1, n, f);
			else
				fputs("\xef\xbf\xbd", f);
			i += n ? n : 1;
			continue;
		}
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			putc((int)c, f);
		i++;
	}
	putc('"', f);
	return done(f);
}

/* Copies s into a new buffer with invalid UTF-8 replaced by U+FFFD and,
 * if the first character is a formula trigger, a leading quote. */
static char *csv_clean(const char *s, size_t len, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *buf = malloc(len * 3 + 2), *o = buf;
	unsigned int cp;
	size_t i = 0, n;

	if (!buf)
		return NULL;
	if (len && strchr("=+-@\t\r", p[0]) && p[0])
		*o++ = '\'';
	while (i < len) {
		n = ana_utf8_decode(p + i, len - i, &cp);
		if (n) {
			memcpy(o, p + i, n);
			o += n;
			i += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	*out_len = (size_t)(o - buf);
	return buf;
}

int ana_esc_csv(FILE *f, const char *s, size_t len)
{
	size_t n = 0;
	char *clean = csv_clean(s ? s : "", s ? len : 0, &n);
	int err;

	if (!clean)
		return -ENOMEM;
	err = csv_fwrite(f, clean, n) ? -EIO : 0;
	free(clean);
	return err ? err : done(f);
}

/* Writes one code point or invalid byte in visible form; returns columns. */
/*
 * Code points that change how text around them displays without showing
 * themselves: C1 controls, bidi marks, embeddings, overrides and isolates,
 * zero-width and invisible format characters, line/paragraph separators,
 * the BOM, interlinear annotation marks, and noncharacters.
 */
static bool invisible(unsigned int cp)
{
	return (cp >= 0x80 && cp < 0xa0) || cp == 0xad || cp == 0x034f || cp == 0x061c ||
	       cp == 0x115f || cp == 0x1160 || cp == 0x17b4 || cp == 0x17b5 ||
	       (cp >= 0x180b && cp <= 0x180f) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	       cp == 0x3164 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff ||
	       cp == 0xffa0 || (cp >= 0xfff0 && cp <= 0xfffb) ||
	       (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe ||
	       (cp >= 0xe0000 && cp <= 0xe0fff);
}

static void visible(FILE *f, const unsigned char *p, size_t n, unsigned int cp)
{
	if (!n) {
		fprintf(f, "\\x%02x", cp);
	} else if (cp == '\n') {
		fputs("\\n", f);
	} else if (cp == '\t') {
		fputs("\\t", f);
	} else if (cp == '\r') {
		fputs("\\r", f);
	} else if (cp < 0x20 || cp == 0x7f) {
		fprintf(f, "\\x%02x", cp);
	} else if (invisible(cp)) {
		fprintf(f, "\\u{%04x}", cp);
	} else {
		fwrite(p, 1, n, f);
	}
}

int ana_esc_text(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned int cp;

	while (p && i < len) {
		n = ana_utf8_decode(p + i, len - i, &cp);
		if (n == 1 && cp == '\\')
			fputs("\\\\", f);
		else
			visible(f, p + i, n, cp);
		i += n ? n : 1;
	}
	return done(f);
}

size_t ana_esc_text_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, w = 0;
	unsigned int cp;

	while (p && i < len) {
		n = ana_utf8_decode(p + i, len - i, &cp);
		if (!n)
			w += 4;
		else if (cp == '\\' || cp == '\n' || cp == '\t' || cp == '\r')
			w += 2;
		else if (cp < 0x20 || cp == 0x7f)
			w += 4;
		else if (invisible(cp))
			w += cp > 0xffff ? 9 : 8;
		else
			w += 1;
		i += n ? n : 1;
	}
	return w;
}

int ana_esc_md(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned int cp;

	while (p && i < len) {
		n = ana_utf8_decode(p + i, len - i, &cp);
		/* never at a line start here: inline markup is all that can form */
		if (n == 1 && strchr("\\`*_[]<>|~&", (int)cp) && cp) {
			if (cp == '<')
				fputs("&lt;", f);
			else if (cp == '>')
				fputs("&gt;", f);
			else if (cp == '&')
				fputs("&amp;", f);
			else
				fprintf(f, "\\%c", cp);
		} else if (!n || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			/* visible and inert: the backslash itself is escaped */
			fprintf(f, "\\\\x%02x", cp);
		} else if (invisible(cp)) {
			fprintf(f, "\\u{%04x}", cp);	/* \u is not a Markdown escape */
		} else {
			fwrite(p + i, 1, n, f);
		}
		i += n ? n : 1;
	}
	return done(f);
}

static int html(FILE *f, const char *s, size_t len, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned int cp;

	while (p && i < len) {
		n = ana_utf8_decode(p + i, len - i, &cp);
		if (!n) {
			fputs("&#xfffd;", f);
		} else if (cp == '&') {
			fputs("&amp;", f);
		} else if (cp == '<') {
			fputs("&lt;", f);
		} else if (cp == '>') {
			fputs("&gt;", f);
		} else if (attr && cp == '"') {
			fputs("&quot;", f);
		} else if (attr && cp == '\'') {
			fputs("&#39;", f);
		} else if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f ||
			   (cp >= 0x80 && cp < 0xa0) || (attr && cp < 0x20)) {
			fprintf(f, "&#xfffd;");
		} else {
			fwrite(p + i, 1, n, f);
		}
		i += n ? n : 1;
	}
	return done(f);
}

int ana_esc_html_text(FILE *f, const char *s, size_t len)
{
	return html(f, s, len, 0);
}

int ana_esc_html_attr(FILE *f, const char *s, size_t len)
{
	return html(f, s, len, 1);
}

int ana_esc_prom(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned int cp;

	while (p && i < len) {
		n = ana_utf8_decode(p + i, len - i, &cp);
		if (!n)
			fputs("\xef\xbf\xbd", f);
		else if (cp == '\\')
			fputs("\\\\", f);
		else if (cp == '"')
			fputs("\\\"", f);
		else if (cp == '\n')
			fputs("\\n", f);
		else
			fwrite(p + i, 1, n, f);
		i += n ? n : 1;
	}
	return done(f);
}

int ana_esc_json_script(FILE *f, const char *json, size_t len)
{
	const unsigned char *p = (const unsigned char *)json;

	for (size_t i = 0; p && i < len; i++) {
		if (p[i] == '<' || p[i] == '>' || p[i] == '&') {
			fprintf(f, "\\u%04x", p[i]);
		} else if (p[i] == 0xe2 && i + 2 < len && p[i + 1] == 0x80 &&
			   (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			fputs(p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", f);
			i += 2;
		} else {
			putc(p[i], f);
		}
	}
	return done(f);
}

int ana_esc_folded(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned int cp;

	while (p && i < len) {
		if (p[i] >= 0x80) {
			n = ana_utf8_decode(p + i, len - i, &cp);
			if (n && !invisible(cp))
				fwrite(p + i, 1, n, f);
			else
				fputs("\xef\xbf\xbd", f);
			i += n ? n : 1;
			continue;
		}
		if (p[i] == ';')
			putc(':', f);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			fputs("\xef\xbf\xbd", f);
		else
			putc(p[i], f);
		i++;
	}
	return done(f);
}
