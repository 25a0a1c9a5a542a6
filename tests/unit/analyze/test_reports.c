// SPDX-License-Identifier: MIT
/* Every output format parsed back by a real parser and compared. */
#include <criterion/criterion.h>
#include <csv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/report_util.h"
#include "tests/unit/analyze/util.h"

static const char hostile_comm[] = "<b>\"x\"\n=cmd|'/C calc'!A0\xff\x1b[2J";
static const char formula_comm[] = "=cmd|' /C calc'!A0\n<b>,\"";
static const char hostile_path[] = "/tmp/a,b\"c\n|d`*_\xc3\x28.log";

static char *render(const struct ana_engine *e, int kind, const char *table)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int err;

	cr_assert_not_null(f);
	if (kind == 0)
		err = ana_report_json(e, f);
	else if (kind == 1)
		err = ana_report_csv(e, f, table);
	else
		err = ana_report_text(e, f, kind == 3, false);
	cr_assert_eq(err, 0);
	fclose(f);
	return buf;
}

Test(analyze_reports, json_parses_and_matches_the_engine)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 500, .seed = 12,
			      .comm = hostile_comm, .hostname = hostile_comm };
	struct tctx c;
	json_error_t jerr;
	json_t *j, *sys, *req;
	char *out;
	size_t i;

	tctx_run(&c, &g, NULL);
	out = render(c.e, 0, NULL);
	j = json_loads(out, 0, &jerr);
	cr_assert_not_null(j, "%s at line %d", jerr.text, jerr.line);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "trace"), "events")),
		     (json_int_t)c.truth.events);
	cr_assert(strstr(json_string_value(json_object_get(json_object_get(j, "trace"),
								 "host")), "<b>\"x\"\n=cmd"));
	sys = json_object_get(j, "syscalls");
	cr_assert(json_array_size(sys) > 0);
	json_array_foreach(sys, i, req) {
		const struct ana_sys *s = find_sys(c.e, json_string_value(json_object_get(req,
											"name")));

		cr_assert_not_null(s);
		cr_assert_eq(json_integer_value(json_object_get(req, "count")), (json_int_t)s->h.count);
		cr_assert_eq(json_integer_value(json_object_get(req, "p99_ns")),
			     (json_int_t)ana_hist_quantile(&s->h, 0.99));
		cr_assert_not_null(json_object_get(req, "p999_ns"));
	}
	req = json_object_get(j, "requests");
	cr_assert_eq(json_integer_value(json_object_get(req, "count")), 500);
	cr_assert(strstr(json_string_value(json_object_get(req, "method")), "auto"));
	cr_assert_not_null(json_object_get(req, "unattributed_ns"));
	cr_assert(json_array_size(json_object_get(req, "slowest")) == 10);
	for (const char *k = "hotspots\0outliers\0patterns\0suggestions\0processes\0threads\0"
			     "fds\0peers\0loss\0categories\0"; *k; k += strlen(k) + 1)
		cr_assert(json_is_array(json_object_get(j, k)), "%s", k);
	cr_assert_str_eq(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "processes"), 0), "comm")),
		"<b>\"x\"\n=cmd|'/C calc'!A0\xef\xbf\xbd\x1b[2J");
	json_decref(j);
	free(out);
	tctx_done(&c);
}

struct rows {
	int row, col, ncols0;
	char *cells[64][16];
};

static void cb_cell(void *s, size_t len, void *data)
{
	struct rows *r = data;

	if (r->row < 64 && r->col < 16)
		r->cells[r->row][r->col] = strndup(s, len);
	r->col++;
}

static void cb_row(int c, void *data)
{
	struct rows *r = data;

	(void)c;
	if (r->row == 0)
		r->ncols0 = r->col;
	cr_assert_eq(r->col, r->ncols0, "row %d has %d cells, header %d", r->row, r->col,
		     r->ncols0);
	r->row++;
	r->col = 0;
}

static struct rows *parse_csv(const char *text)
{
	struct rows *r = calloc(1, sizeof(*r));
	struct csv_parser p;

	cr_assert_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	cr_assert_eq(csv_parse(&p, text, strlen(text), cb_cell, cb_row, r), strlen(text));
	cr_assert_eq(csv_fini(&p, cb_cell, cb_row, r), 0);
	csv_free(&p);
	return r;
}

static void free_rows(struct rows *r)
{
	for (int i = 0; i < 64; i++)
		for (int j = 0; j < 16; j++)
			free(r->cells[i][j]);
	free(r);
}

Test(analyze_reports, csv_tables_parse_with_libcsv)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 300, .threads = 3, .seed = 13,
			      .comm = formula_comm, .path = hostile_path };
	struct tctx c;

	tctx_run(&c, &g, NULL);
	for (int t = 0; ana_csv_tables[t]; t++) {
		char *out = render(c.e, 1, ana_csv_tables[t]);
		struct rows *r = parse_csv(out);

		cr_assert(r->row >= 1, "%s has a header", ana_csv_tables[t]);
		if (!strcmp(ana_csv_tables[t], "syscalls")) {
			for (int i = 1; i < r->row && i < 64; i++) {
				const struct ana_sys *s = find_sys(c.e, r->cells[i][0]);

				cr_assert_not_null(s);
				cr_assert_eq(strtoull(r->cells[i][2], NULL, 10), s->h.count);
			}
		}
		if (!strcmp(ana_csv_tables[t], "processes")) {
			cr_assert_str_eq(r->cells[0][3], "comm");
			cr_assert_eq(r->cells[1][3][0], '\'', "formula neutralised: %s",
				     r->cells[1][3]);
			cr_assert_str_eq(r->cells[1][3] + 1, formula_comm, "intact as data");
		}
		free_rows(r);
		free(out);
	}
	tctx_done(&c);
}

Test(analyze_reports, text_and_markdown_contain_no_raw_control_bytes)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 300, .threads = 3, .seed = 14,
			      .comm = hostile_comm, .hostname = hostile_comm };
	struct tctx c;

	tctx_run(&c, &g, NULL);
	for (int kind = 2; kind <= 3; kind++) {
		char *out = render(c.e, kind, NULL);
		const unsigned char *p = (const unsigned char *)out;

		for (; *p; p++)
			cr_assert(*p >= 0x20 || *p == '\n', "control byte %#x", *p);
		cr_assert(strstr(out, kind == 2 ? "\\x1b[2J" : "\\\\x1b"), "escape visible");
		cr_assert(strstr(out, "Requests rebuilt by: auto"));
		cr_assert(strstr(out, "within 0.39%"));
		free(out);
	}
	tctx_done(&c);
}

Test(analyze_reports, text_fits_80_columns)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 300, .seed = 15 };
	struct tctx c;
	char *out, *line, *save = NULL;

	tctx_run(&c, &g, NULL);
	out = render(c.e, 2, NULL);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t cols = 0;

		for (const char *p = line; *p; p++)
			cols += ((unsigned char)*p & 0xc0) != 0x80;
		/* suggestion evidence is prose and may wrap in the terminal */
		if (!strstr(line, ": ") || strncmp(line, "     ", 5))
			cr_assert(cols <= 80, "%zu columns: %s", cols, line);
	}
	free(out);
	tctx_done(&c);
}
