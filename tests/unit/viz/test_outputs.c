// SPDX-License-Identifier: MIT
/* Folded stacks, heat map, Perfetto and the HTML page against the engine. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/viz/vizfix.h"

static const char hostile[] = "</script><script>alert(1)</script>;\n\xff";

static uint64_t total_ns(const struct ana_engine *e)
{
	return e->idle_ns + e->attributed_ns + e->unattributed_ns;
}

Test(analyze_viz, folded_lines_sum_to_the_engine_totals_per_mode)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 400, .seed = 3, .comm = hostile };
	uint64_t sum[3] = { 0 }, all = 0;
	struct vfix x;
	char *line, *save = NULL;

	vfix_run(&x, &g, ANA_VIZ_FLAME, false, 0);
	ana_viz_sort_leaves(x.v, x.e);
	cr_assert_eq(ana_folded_write(x.v, x.e, x.f), 0);
	vfix_close_out(&x);
	for (line = strtok_r(x.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strrchr(line, ' ');
		int semis = 0;
		uint64_t v;

		for (char *p = line; p < sp; p++)
			semis += *p == ';';
		cr_assert_eq(semis, 4, "frames of '%s'", line);
		v = strtoull(sp + 1, NULL, 10);
		all += v;
		for (int m = 0; m < 3; m++)
			sum[m] += strstr(line, m == 0 ? ";request;" : m == 1 ? ";idle;" : ";other;")
				  ? v : 0;
	}
	cr_assert_gt(all, 0);
	cr_assert_eq(all, total_ns(x.e));
	cr_assert_eq(sum[0], x.e->attributed_ns);
	cr_assert_eq(sum[1], x.e->idle_ns);
	cr_assert_eq(sum[2], x.e->unattributed_ns);
	vfix_done(&x);
}

Test(analyze_viz, heat_map_counts_every_event_once)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 50000, .threads = 3, .seed = 9 };
	uint64_t n = 0;
	struct vfix x;

	vfix_run(&x, &g, ANA_VIZ_FLAME, false, 0);
	for (int c = 0; c < ANA_VIZ_HEAT_COLS; c++)
		for (int r = 0; r < ANA_VIZ_HEAT_ROWS; r++)
			n += x.v->heat[c][r];
	cr_assert_eq(n, x.e->kept);
	cr_assert_eq(n, x.truth.events);
	/* widened to fit: the last event's column is inside the map */
	cr_assert_gt(x.v->heat_width, 10000000ull);
	vfix_done(&x);
}

static json_t *load(const char *s)
{
	json_error_t err;
	json_t *j = json_loads(s, 0, &err);

	cr_assert_not_null(j, "%s at %d", err.text, err.line);
	return j;
}

static size_t count_ph(json_t *evs, const char *ph)
{
	size_t i, n = 0;
	json_t *ev;

	json_array_foreach(evs, i, ev)
		n += !strcmp(json_string_value(json_object_get(ev, "ph")), ph);
	return n;
}

Test(analyze_viz, perfetto_has_a_slice_per_event_and_paired_requests)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 200, .threads = 4, .seed = 5,
			      .comm = hostile };
	struct vfix x;
	json_t *j, *evs;

	vfix_run(&x, &g, 0, true, 1000000);
	cr_assert_eq(ana_pf_finish(x.v, x.e), 0);
	vfix_close_out(&x);
	j = load(x.out);
	evs = json_object_get(j, "traceEvents");
	cr_assert_eq(count_ph(evs, "X"), x.e->kept);
	cr_assert_eq(count_ph(evs, "b"), count_ph(evs, "e"));
	cr_assert_gt(count_ph(evs, "b"), 190);
	cr_assert_geq(count_ph(evs, "M"), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "otherData"),
							"slices_not_written")), 0);
	json_decref(j);
	vfix_done(&x);
}

Test(analyze_viz, perfetto_cap_keeps_the_first_slices_and_says_so)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 300, .seed = 4 };
	struct vfix x;
	json_t *j, *other;

	vfix_run(&x, &g, 0, true, 50);
	cr_assert_eq(ana_pf_finish(x.v, x.e), 0);
	vfix_close_out(&x);
	j = load(x.out);
	cr_assert_eq(count_ph(json_object_get(j, "traceEvents"), "X"), 50);
	cr_assert_eq(count_ph(json_object_get(j, "traceEvents"), "i"), 1);
	other = json_object_get(j, "otherData");
	cr_assert_eq(json_integer_value(json_object_get(other, "slices_not_written")),
		     (json_int_t)(x.e->kept - 50));
	json_decref(j);
	vfix_done(&x);
}

/* The page's data document, between its script tags. */
static json_t *page_data(const char *page)
{
	const char *a = strstr(page, "id=\"ebt-data\">"), *b;
	char *doc;
	json_t *j;

	cr_assert_not_null(a);
	a += strlen("id=\"ebt-data\">");
	b = strstr(a, "</script>");
	cr_assert_not_null(b);
	doc = strndup(a, (size_t)(b - a));
	j = load(doc);
	free(doc);
	return j;
}

Test(analyze_viz, html_page_embeds_hostile_names_as_data_only)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 300, .seed = 6, .comm = hostile,
			      .hostname = hostile };
	uint64_t flame = 0;
	struct vfix x;
	json_t *j, *leaf, *thr;
	size_t i, scripts = 0;
	const char *p;

	vfix_run(&x, &g, ANA_VIZ_FLAME, false, 0);
	ana_viz_sort_leaves(x.v, x.e);
	cr_assert_eq(ana_report_html(x.v, x.e, x.f), 0);
	vfix_close_out(&x);
	for (p = x.out; (p = strstr(p, "<script")); p++)
		scripts++;
	cr_assert_eq(scripts, 2);
	cr_assert_null(strstr(x.out, "<script>alert"));
	cr_assert_not_null(strstr(x.out, "&lt;/script&gt;&lt;script&gt;alert(1)"));
	j = page_data(x.out);
	json_array_foreach(json_object_get(json_object_get(j, "flame"), "leaves"), i, leaf)
		flame += (uint64_t)json_integer_value(json_array_get(leaf, 4));
	cr_assert_eq(flame, total_ns(x.e));
	thr = json_array_get(json_object_get(json_object_get(j, "flame"), "threads"), 0);
	cr_assert_not_null(strstr(json_string_value(json_array_get(thr, 1)),
				  "</script><script>alert(1)</script>;\n"));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "trace"), "host")),
			 "</script><script>alert(1)</script>;\n\xef\xbf\xbd");
	json_decref(j);
	vfix_done(&x);
}

Test(analyze_viz, html_run_draws_the_slowest_requests_with_their_syscalls)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = 300, .threads = 4, .seed = 8 };
	struct ana_opts o;
	struct tctx c;
	char path[160], *page;
	json_t *j, *q;
	size_t i;

	tctx_run(&c, &g, NULL);
	snprintf(path, sizeof(path), "%s/r.html", c.dir);
	ana_opts_init(&o);
	o.inputs[0] = c.trace;
	o.ninputs = 1;
	o.report = ANA_REPORT_HTML;
	o.output = path;
	cr_assert_eq(ana_viz_run(&o), 0);
	page = slurp(path, NULL);
	j = page_data(page);
	cr_assert_gt(json_array_size(json_object_get(json_object_get(j, "requests"),
						     "slowest")), 0);
	json_array_foreach(json_object_get(json_object_get(j, "requests"), "slowest"), i, q) {
		json_t *ev;
		size_t k;
		json_int_t mine = 0;

		json_array_foreach(json_object_get(q, "events"), k, ev)
			mine += json_integer_value(json_array_get(ev, 4));
		cr_assert_eq(mine, json_integer_value(json_object_get(q, "syscalls")),
			     "request %lld", json_integer_value(json_object_get(q, "id")));
	}
	json_decref(j);
	free(page);
	tctx_done(&c);
}
