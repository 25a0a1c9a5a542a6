// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <csv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/escape.h"

typedef int (*esc_fn)(FILE *, const char *, size_t);

static char *run(esc_fn fn, const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	cr_assert_eq(fn(f, s, len), 0);
	fclose(f);
	return buf;
}

static const char hostile[] = "<script>alert(1)</script>\"'\\\n\r\t\x01\x1b[31m\x7f|*_`"
			      "\xff\xc3\x28 =cmd|' /C calc'!A0 \xe2\x80\xae \xc3\xa9";

Test(analyze_escape, json_round_trips_through_a_parser)
{
	char *out = run(ana_esc_json, hostile, sizeof(hostile) - 1), *doc;
	json_error_t jerr;
	json_t *j;

	cr_assert_eq(asprintf(&doc, "[%s]", out) > 0, 1);
	j = json_loads(doc, 0, &jerr);
	cr_assert_not_null(j, "json: %s in %s", jerr.text, doc);
	cr_assert(strstr(json_string_value(json_array_get(j, 0)), "<script>alert(1)</script>"));
	cr_assert(strstr(json_string_value(json_array_get(j, 0)), "\xef\xbf\xbd("),
		  "invalid UTF-8 replaced by U+FFFD");
	cr_assert(strstr(json_string_value(json_array_get(j, 0)), "\xc3\xa9"), "valid kept");
	json_decref(j);
	free(doc);
	free(out);
}

Test(analyze_escape, json_never_passes_control_or_invalid_bytes)
{
	char in[256], *out;

	for (int i = 0; i < 256; i++)
		in[i] = (char)i;
	out = run(ana_esc_json, in, sizeof(in));
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		cr_assert(*p >= 0x20 && *p != 0x7f, "byte %#x in output", *p);
	free(out);
}

struct cells {
	char *v[4];
	int n;
};

static void cell_cb(void *s, size_t len, void *data)
{
	struct cells *c = data;

	if (c->n < 4)
		c->v[c->n++] = strndup(s, len);
}

Test(analyze_escape, csv_quotes_and_neutralises_formulas)
{
	const char *inputs[] = { "=1+2", "+SUM(A1)", "-3", "@x", "a,b\"c\nd" };
	const char *want[] = { "'=1+2", "'+SUM(A1)", "'-3", "'@x", "a,b\"c\nd" };

	for (int i = 0; i < 5; i++) {
		char *out = run(ana_esc_csv, inputs[i], strlen(inputs[i]));
		struct csv_parser p;
		struct cells c = { 0 };

		cr_assert_eq(csv_init(&p, CSV_STRICT), 0);
		cr_assert_eq(csv_parse(&p, out, strlen(out), cell_cb, NULL, &c), strlen(out));
		csv_fini(&p, cell_cb, NULL, &c);
		csv_free(&p);
		cr_assert_eq(c.n, 1, "%s parsed into %d cells", out, c.n);
		cr_assert_str_eq(c.v[0], want[i]);
		free(c.v[0]);
		free(out);
	}
}

Test(analyze_escape, text_makes_control_characters_visible)
{
	char *out = run(ana_esc_text, hostile, sizeof(hostile) - 1);

	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		cr_assert(*p >= 0x20 && *p != 0x7f, "raw control byte %#x", *p);
	cr_assert(strstr(out, "\\x1b[31m"));
	cr_assert(strstr(out, "\\n"));
	cr_assert(strstr(out, "\\u{202e}"), "bidi override shown, got %s", out);
	cr_assert(strstr(out, "\\xff"));
	cr_assert(strstr(out, "\xc3\xa9"));
	free(out);
}

Test(analyze_escape, markdown_cell_cannot_break_the_table)
{
	char *out = run(ana_esc_md, hostile, sizeof(hostile) - 1);

	cr_assert_null(strchr(out, '\n'));
	cr_assert_null(strstr(out, "<script"));
	for (const char *p = out; *p; p++) {
		if (*p == '|')
			cr_assert_eq(p[-1], '\\', "unescaped pipe in %s", out);
	}
	free(out);
}

Test(analyze_escape, html_and_prometheus)
{
	char *h = run(ana_esc_html_attr, hostile, sizeof(hostile) - 1);
	char *p = run(ana_esc_prom, hostile, sizeof(hostile) - 1);

	cr_assert_null(strpbrk(h, "<>\"'"));
	cr_assert(strstr(h, "&lt;script&gt;"));
	cr_assert_null(strchr(p, '\n'));
	cr_assert(strstr(p, "\\\"'\\\\\\n"), "got %s", p);
	free(h);
	free(p);
}

Test(analyze_escape, utf8_decoder_rejects_overlong_and_surrogates)
{
	unsigned int cp;

	cr_assert_eq(ana_utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp), 0);
	cr_assert_eq(ana_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	cr_assert_eq(ana_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	cr_assert_eq(ana_utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
	cr_assert_eq(cp, 0x20ac);
	cr_assert_eq(ana_utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp), 0);
}

Test(analyze_escape, text_and_markdown_show_invisible_characters)
{
	static const char in[] = "a\xe2\x80\xa8" "b\xe2\x80\xae" "c\xef\xbb\xbf" "d\xe2\x80\x8b";
	esc_fn fns[] = { ana_esc_text, ana_esc_md };

	for (int i = 0; i < 2; i++) {
		char *out = run(fns[i], in, sizeof(in) - 1);

		cr_assert_null(strstr(out, "\xe2\x80\xa8"), "raw U+2028 in %s", out);
		cr_assert_null(strstr(out, "\xe2\x80\xae"), "raw U+202E");
		cr_assert_null(strstr(out, "\xef\xbb\xbf"), "raw BOM");
		cr_assert(strstr(out, "\\u{2028}") && strstr(out, "\\u{200b}"), "%s", out);
		free(out);
	}
}
