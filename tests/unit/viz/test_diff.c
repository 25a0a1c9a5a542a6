// SPDX-License-Identifier: MIT
/* The diff's noise rule on generated traces. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/diff.h"
#include "tests/unit/analyze/util.h"

static void random_trace(struct tctx *c, uint64_t events)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = events, .threads = 4, .seed = 21 };

	tctx_run(c, &g, NULL);
}

Test(analyze_viz, diff_of_a_trace_with_itself_flags_nothing)
{
	struct ana_diff d;
	struct tctx c;

	random_trace(&c, 30000);
	cr_assert_eq(ana_diff_compute(c.e, c.e, &d), 0);
	cr_assert_gt(d.nrows, 3);
	cr_assert_eq(d.regressions + d.improvements, 0);
	for (uint32_t i = 0; i < d.nrows; i++) {
		cr_assert_eq(d.rows[i].verdict, ANA_DV_SAME, "%s", d.rows[i].name);
		for (int m = 0; m < ANA_DM__N; m++)
			cr_assert_eq(d.rows[i].flag[m], 0);
	}
	ana_diff_free(&d);
	tctx_done(&c);
}

Test(analyze_viz, diff_flags_doubled_counts_but_not_the_same_latencies)
{
	struct tctx a, b;
	struct ana_diff d, r;
	uint32_t busy_rows = 0;

	random_trace(&a, 30000);
	random_trace(&b, 60000);
	cr_assert_eq(ana_diff_compute(a.e, b.e, &d), 0);
	cr_assert_eq(ana_diff_compute(b.e, a.e, &r), 0);
	for (uint32_t i = 0; i < d.nrows; i++) {
		const struct ana_diff_row *x = &d.rows[i];

		cr_assert_eq(x->flag[ANA_DM_P50], 0, "%s p50", x->name);
		cr_assert_eq(x->flag[ANA_DM_P99], 0, "%s p99", x->name);
		if (x->kind != ANA_DK_SYSCALL || 2 * x->a.v[ANA_DM_TIME] < x->a.total_ns)
			continue;
		busy_rows++;
		cr_assert_eq(x->flag[ANA_DM_COUNT], 1, "%s count", x->name);
		for (uint32_t k = 0; k < r.nrows; k++) {
			if (r.rows[k].kind == ANA_DK_SYSCALL && !strcmp(r.rows[k].name, x->name))
				cr_assert_eq(r.rows[k].flag[ANA_DM_COUNT], -1, "%s reverse",
					     x->name);
		}
	}
	cr_assert_gt(busy_rows, 5);
	cr_assert_gt(d.regressions, 5);
	cr_assert_eq(d.improvements, 0);
	ana_diff_free(&d);
	ana_diff_free(&r);
	tctx_done(&a);
	tctx_done(&b);
}

Test(analyze_viz, diff_writers_print_every_format)
{
	struct ana_diff d;
	struct tctx c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	random_trace(&c, 5000);
	cr_assert_eq(ana_diff_compute(c.e, c.e, &d), 0);
	f = open_memstream(&buf, &len);
	cr_assert_eq(ana_diff_text(&d, f, false), 0);
	cr_assert_eq(ana_diff_text(&d, f, true), 0);
	cr_assert_eq(ana_diff_json(&d, f), 0);
	cr_assert_eq(ana_diff_html(&d, f), 0);
	fclose(f);
	cr_assert_not_null(strstr(buf, "0 regression(s), 0 improvement(s)"));
	cr_assert_not_null(strstr(buf, "\"regressions\": 0"));
	cr_assert_not_null(strstr(buf, "<p id=\"verdict\">"));
	free(buf);
	ana_diff_free(&d);
	tctx_done(&c);
}
