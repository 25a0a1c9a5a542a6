/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer: commas and nesting handled here, strings
 * through analyze/escape.h. Keys are ASCII literals of the schema. */
#ifndef ANALYZE_JSONW_H
#define ANALYZE_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ANA_JW_DEPTH 16

struct ana_jw {
	FILE *f;
	int depth;
	bool need_comma[ANA_JW_DEPTH];
	bool pretty;
};

void ana_jw_init(struct ana_jw *w, FILE *f);
void ana_jw_obj(struct ana_jw *w, const char *key);	/* key NULL in arrays */
void ana_jw_arr(struct ana_jw *w, const char *key);
void ana_jw_end_obj(struct ana_jw *w);
void ana_jw_end_arr(struct ana_jw *w);
void ana_jw_u64(struct ana_jw *w, const char *key, uint64_t v);
void ana_jw_i64(struct ana_jw *w, const char *key, int64_t v);
void ana_jw_dbl(struct ana_jw *w, const char *key, double v);
void ana_jw_bool(struct ana_jw *w, const char *key, bool v);
void ana_jw_null(struct ana_jw *w, const char *key);
/* s may be NULL (written as null); len bytes, any content. */
void ana_jw_strn(struct ana_jw *w, const char *key, const char *s, size_t len);
void ana_jw_str(struct ana_jw *w, const char *key, const char *s);

#endif
