/* SPDX-License-Identifier: MIT */
/* Tables of the text and Markdown reports. Cells marked untrusted hold
 * bytes from the trace and go through analyze/escape.h. */
#ifndef ANALYZE_TABLE_H
#define ANALYZE_TABLE_H

#include <stdbool.h>
#include <stdio.h>

struct ana_col {
	const char *head;
	int width;		/* text mode; untrusted cells are cut to it */
	bool right, untrusted;
};

struct ana_tbl {
	FILE *f;
	bool md, color;
	const struct ana_col *cols;
	int ncols;
};

void ana_tbl_head(struct ana_tbl *t);
void ana_tbl_row(struct ana_tbl *t, const char *const *cells);
/* A section title: "\nTitle\n" (text, bold on color) or "\n## Title\n\n". */
void ana_section(FILE *f, bool md, bool color, const char *title);
/* Untrusted text in running prose (escaped for the mode). */
void ana_put_untrusted(FILE *f, bool md, const char *s);

#endif
