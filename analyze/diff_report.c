// SPDX-License-Identifier: MIT
/* `diff` in text, Markdown and JSON. */
#include "analyze/diff.h"

#include <errno.h>
#include <string.h>

#include "analyze/jsonw.h"
#include "analyze/report_util.h"
#include "analyze/table.h"
#include "analyze/units.h"

#define QUIET_ROWS 10		/* syscalls within noise listed, by busy time */

/* "419 ms +12%", "[+35%]" when flagged, "new" / "gone". */
static const char *cell(char *buf, size_t len, const struct ana_diff_row *r, int m)
{
	uint64_t a = r->a.v[m], b = r->b.v[m];
	char v[32], d[24];

	if (m == ANA_DM_COUNT)
		ana_fmt_count(v, sizeof(v), b);
	else
		ana_fmt_ns(v, sizeof(v), b);
	if (a == b)
		snprintf(d, sizeof(d), "=");
	else if (!a)
		snprintf(d, sizeof(d), "new");
	else
		snprintf(d, sizeof(d), "%+.0f%%", 100.0 * ((double)b - (double)a) / (double)a);
	if (r->flag[m])
		snprintf(buf, len, "%s [%s]", v, d);
	else
		snprintf(buf, len, "%s %s", v, d);
	return buf;
}

static const struct ana_col cols[] = {
	{ "name", 10, false, true }, { "change", 6, false, false },
	{ "calls", 14, true, false }, { "busy time", 14, true, false },
	{ "p50", 14, true, false }, { "p99", 14, true, false },
};

static void row(struct ana_tbl *t, const struct ana_diff_row *r)
{
	char c[4][64];
	const char *cells[6] = { r->name, ana_diff_verdict_short(r->verdict) };

	for (int m = 0; m < ANA_DM__N; m++)
		cells[2 + m] = cell(c[m], sizeof(c[m]), r, m);
	ana_tbl_row(t, cells);
}

static void side_line(FILE *f, bool md, const char *label, const struct ana_engine *e)
{
	struct ana_trace_sum s;
	char n[32], d[32], q[32];

	ana_trace_summary(e, &s);
	fprintf(f, "%s%s: ", md ? "- " : "  ", label);
	ana_put_untrusted(f, md, e->nfiles ? e->files[0].path : "");
	fprintf(f, ", %s events, %s, %s requests%s\n", ana_fmt_count(n, sizeof(n), e->kept),
		ana_fmt_ns(d, sizeof(d), s.duration_ns),
		ana_fmt_count(q, sizeof(q), e->req_count), s.lost ? ", events lost" : "");
}

static void header(const struct ana_diff *d, FILE *f, bool md)
{
	const char *p = ana_diff_rule;

	fputs(md ? "# Trace comparison\n\n" : "Trace comparison (after vs before)\n", f);
	side_line(f, md, "before", d->a);
	side_line(f, md, "after ", d->b);
	fprintf(f, "%sCells show the after value and its change; [brackets]: beyond noise.\n",
		md ? "\n" : "");
	fputs(md ? "Rule:\n" : "Rule:", f);
	while (*p) {
		size_t l = strcspn(p, ";");

		fprintf(f, md ? "- %.*s\n" : "\n  %.*s", (int)l, p);
		p += l + (p[l] == ';');
		p += *p == ' ';
	}
	fprintf(f, "%s%u regression(s), %u improvement(s).\n", md ? "\n" : "\n",
		d->regressions, d->improvements);
}

int ana_diff_text(const struct ana_diff *d, FILE *f, bool md)
{
	struct ana_tbl t = { f, md, false, cols, 6 };
	uint32_t quiet = 0, more = 0, loud = 0;

	header(d, f, md);
	ana_section(f, md, false, "Requests and categories");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < d->nrows; i++) {
		if (d->rows[i].kind != ANA_DK_SYSCALL)
			row(&t, &d->rows[i]);
	}
	ana_section(f, md, false, "Syscalls beyond noise");
	for (uint32_t i = 0; i < d->nrows; i++) {
		if (d->rows[i].kind != ANA_DK_SYSCALL || d->rows[i].verdict == ANA_DV_SAME)
			continue;
		if (!loud++)
			ana_tbl_head(&t);
		row(&t, &d->rows[i]);
	}
	if (!loud)
		fputs(md ? "None.\n" : "  none\n", f);
	ana_section(f, md, false, "Syscalls within noise (by time after)");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < d->nrows; i++) {
		if (d->rows[i].kind != ANA_DK_SYSCALL || d->rows[i].verdict != ANA_DV_SAME)
			continue;
		if (quiet++ < QUIET_ROWS)
			row(&t, &d->rows[i]);
		else
			more++;
	}
	if (more)
		fprintf(f, "%s%u more within noise.\n", md ? "\n" : "", more);
	return ferror(f) ? -EIO : 0;
}

static void jside(struct ana_jw *w, const char *key, const struct ana_diff_side *s)
{
	ana_jw_obj(w, key);
	for (int m = 0; m < ANA_DM__N; m++)
		ana_jw_u64(w, ana_diff_metric_name(m), s->v[m]);
	ana_jw_u64(w, "total_ns", s->total_ns);
	ana_jw_end_obj(w);
}

static void jtrace(struct ana_jw *w, const char *key, const struct ana_engine *e)
{
	struct ana_trace_sum s;

	ana_trace_summary(e, &s);
	ana_jw_obj(w, key);
	ana_jw_str(w, "path", e->nfiles ? e->files[0].path : NULL);
	ana_jw_u64(w, "events", e->kept);
	ana_jw_u64(w, "duration_ns", s.duration_ns);
	ana_jw_u64(w, "lost_events", s.lost);
	ana_jw_u64(w, "requests", e->req_count);
	ana_jw_end_obj(w);
}

int ana_diff_json(const struct ana_diff *d, FILE *f)
{
	static const char *const kinds[] = { "syscall", "category", "requests" };
	struct ana_jw w;

	ana_jw_init(&w, f);
	ana_jw_obj(&w, NULL);
	ana_jw_u64(&w, "schema_version", 1);
	jtrace(&w, "before", d->a);
	jtrace(&w, "after", d->b);
	ana_jw_str(&w, "rule", ana_diff_rule);
	ana_jw_u64(&w, "time_floor_ns", d->time_floor_ns);
	ana_jw_u64(&w, "regressions", d->regressions);
	ana_jw_u64(&w, "improvements", d->improvements);
	ana_jw_arr(&w, "rows");
	for (uint32_t i = 0; i < d->nrows; i++) {
		const struct ana_diff_row *r = &d->rows[i];

		ana_jw_obj(&w, NULL);
		ana_jw_str(&w, "kind", kinds[r->kind]);
		ana_jw_str(&w, "name", r->name);
		ana_jw_str(&w, "category", r->cat);
		ana_jw_str(&w, "verdict", ana_diff_verdict_name(r->verdict));
		jside(&w, "before", &r->a);
		jside(&w, "after", &r->b);
		ana_jw_obj(&w, "flags");
		for (int m = 0; m < ANA_DM__N; m++)
			ana_jw_i64(&w, ana_diff_metric_name(m), r->flag[m]);
		ana_jw_end_obj(&w);
		ana_jw_end_obj(&w);
	}
	ana_jw_end_arr(&w);
	ana_jw_end_obj(&w);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}
