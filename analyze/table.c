// SPDX-License-Identifier: MIT
#include "analyze/table.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/escape.h"

void ana_section(FILE *f, bool md, bool color, const char *title)
{
	if (md)
		fprintf(f, "\n## %s\n\n", title);
	else if (color)
		fprintf(f, "\n\033[1m%s\033[0m\n", title);
	else
		fprintf(f, "\n%s\n", title);
}

void ana_put_untrusted(FILE *f, bool md, const char *s)
{
	if (!s)
		s = "";
	if (md)
		ana_esc_md(f, s, strlen(s));
	else
		ana_esc_text(f, s, strlen(s));
}

static int cols_of(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Escaped text of s cut to width columns (code points), into buf. */
static const char *cut(const char *s, int width, char *buf, size_t len)
{
	char *mem = NULL;
	size_t n = 0, o = 0;
	int cols = 0, total, limit;
	FILE *m = open_memstream(&mem, &n);

	if (!m) {
		snprintf(buf, len, "?");
		return buf;
	}
	ana_esc_text(m, s, strlen(s));
	fclose(m);
	total = cols_of(mem);
	limit = total > width ? width - 1 : width;
	for (size_t i = 0; i < n && o + 8 < len; i++) {
		unsigned char c = (unsigned char)mem[i];

		if ((c & 0xc0) != 0x80 && cols++ >= limit)
			break;
		buf[o++] = (char)c;
	}
	if (total > width && o + 4 < len) {
		memcpy(buf + o, "\xe2\x80\xa6", 3);	/* an ellipsis */
		o += 3;
	}
	buf[o] = 0;
	free(mem);
	return buf;
}

static void text_cell(struct ana_tbl *t, const struct ana_col *c, const char *s, bool last)
{
	char buf[1024];
	int pad;

	if (c->untrusted)
		s = cut(s ? s : "", c->width, buf, sizeof(buf));
	pad = c->width - cols_of(s);
	if (c->right)
		fprintf(t->f, "%*s%s", pad > 0 ? pad : 0, "", s);
	else if (last)
		fputs(s, t->f);
	else
		fprintf(t->f, "%s%*s", s, pad > 0 ? pad : 0, "");
}

void ana_tbl_head(struct ana_tbl *t)
{
	if (t->md) {
		fputc('|', t->f);
		for (int i = 0; i < t->ncols; i++)
			fprintf(t->f, " %s |", t->cols[i].head);
		fputs("\n|", t->f);
		for (int i = 0; i < t->ncols; i++)
			fputs(t->cols[i].right ? "---:|" : "---|", t->f);
		fputc('\n', t->f);
		return;
	}
	fputs(t->color ? "  \033[2m" : "  ", t->f);
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			fputc(' ', t->f);
		text_cell(t, &(struct ana_col){ t->cols[i].head, t->cols[i].width,
					      t->cols[i].right, false },
			  t->cols[i].head, i == t->ncols - 1);
	}
	fputs(t->color ? "\033[0m\n" : "\n", t->f);
}

void ana_tbl_row(struct ana_tbl *t, const char *const *cells)
{
	if (t->md) {
		fputc('|', t->f);
		for (int i = 0; i < t->ncols; i++) {
			fputc(' ', t->f);
			if (t->cols[i].untrusted)
				ana_esc_md(t->f, cells[i] ? cells[i] : "",
					   cells[i] ? strlen(cells[i]) : 0);
			else
				fputs(cells[i] ? cells[i] : "", t->f);
			fputs(" |", t->f);
		}
		fputc('\n', t->f);
		return;
	}
	fputs("  ", t->f);
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			fputc(' ', t->f);
		text_cell(t, &t->cols[i], cells[i] ? cells[i] : "", i == t->ncols - 1);
	}
	fputc('\n', t->f);
}
