// SPDX-License-Identifier: MIT
/*
 * `diff --report html`: before and after side by side, static HTML (no
 * script), every trace string through ana_esc_html_text(), no network
 * (Content-Security-Policy).
 */
#include "analyze/diff.h"

#include <errno.h>
#include <string.h>

#include "analyze/escape.h"
#include "analyze/report_util.h"
#include "analyze/units.h"

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:20px;color:#222}\n"
	"table{border-collapse:collapse;font-size:13px;margin-bottom:18px}\n"
	"th,td{padding:3px 8px;border-bottom:1px solid #eee}\n"
	"th{background:#f3f5f7;text-align:left}td.num{text-align:right;"
	"font-variant-numeric:tabular-nums}\n"
	"tr.regression td,tr.new td{background:#fdecea}tr.improvement td,"
	"tr.gone td{background:#e8f5e9}tr.mixed td{background:#fff8e1}\n"
	"td.flag{font-weight:bold}td.b{border-left:2px solid #ccc}\n"
	".note{color:#666;font-size:12px}\n";

static void esc(FILE *f, const char *s)
{
	ana_esc_html_text(f, s ? s : "", s ? strlen(s) : 0);
}

static void val(FILE *f, int m, uint64_t v)
{
	char b[32];

	esc(f, m == ANA_DM_COUNT ? ana_fmt_count(b, sizeof(b), v) : ana_fmt_ns(b, sizeof(b), v));
}

/* Two bars, before over after, scaled to the bigger of the two. */
static void bars(FILE *f, const struct ana_diff_row *r)
{
	uint64_t a = r->a.v[ANA_DM_TIME], b = r->b.v[ANA_DM_TIME], m = a > b ? a : b;

	fputs("<td><svg width=\"120\" height=\"14\">", f);
	if (m) {
		fprintf(f, "<rect x=\"0\" y=\"1\" height=\"5\" width=\"%.1f\" fill=\"#90a4ae\"/>"
			"<rect x=\"0\" y=\"8\" height=\"5\" width=\"%.1f\" fill=\"#f28e2b\"/>",
			120.0 * (double)a / (double)m, 120.0 * (double)b / (double)m);
	}
	fputs("</svg></td>", f);
}

static void row(FILE *f, const struct ana_diff_row *r)
{
	const char *v = ana_diff_verdict_name(r->verdict);

	fprintf(f, "<tr class=\"%s\"><td>", v);
	esc(f, r->name);
	fprintf(f, "</td><td>%s</td>", v);
	for (int m = 0; m < ANA_DM__N; m++) {
		const char *fl = r->flag[m] ? " flag" : "";

		fprintf(f, "<td class=\"num b%s\">", fl);
		val(f, m, r->a.v[m]);
		fprintf(f, "</td><td class=\"num%s\">", fl);
		val(f, m, r->b.v[m]);
		fputs("</td>", f);
		if (m == ANA_DM_TIME)
			bars(f, r);
	}
	fputs("</tr>\n", f);
}

static void table(FILE *f, const struct ana_diff *d, const char *title, int which)
{
	fprintf(f, "<h2>%s</h2>\n<table><thead><tr><th>name</th><th>verdict</th>"
		"<th>calls before</th><th>calls after</th><th>busy before</th>"
		"<th>busy after</th><th>busy (grey before, orange after)</th>"
		"<th>p50 before</th><th>p50 after</th><th>p99 before</th><th>p99 after</th>"
		"</tr></thead><tbody>\n", title);
	for (uint32_t i = 0; i < d->nrows; i++) {
		const struct ana_diff_row *r = &d->rows[i];

		if ((which == 0 && r->kind != ANA_DK_SYSCALL) ||
		    (which == 1 && r->kind == ANA_DK_SYSCALL && r->verdict != ANA_DV_SAME) ||
		    (which == 2 && r->kind == ANA_DK_SYSCALL && r->verdict == ANA_DV_SAME))
			row(f, r);
	}
	fputs("</tbody></table>\n", f);
}

static void side(FILE *f, const char *label, const struct ana_engine *e)
{
	struct ana_trace_sum s;
	char n[32], t[32], q[32];

	ana_trace_summary(e, &s);
	fprintf(f, "<tr><th>%s</th><td>", label);
	esc(f, e->nfiles ? e->files[0].path : "");
	fputs("</td><td>", f);
	esc(f, s.host);
	fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		"<td class=\"num\">%s</td><td class=\"num\">%llu</td></tr>\n",
		ana_fmt_count(n, sizeof(n), e->kept), ana_fmt_ns(t, sizeof(t), s.duration_ns),
		ana_fmt_count(q, sizeof(q), e->req_count), (unsigned long long)s.lost);
}

int ana_diff_html(const struct ana_diff *d, FILE *f)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n<title>trace comparison</title>\n<style>\n", f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n<h1>Trace comparison</h1>\n<table id=\"sides\">"
	      "<thead><tr><th></th><th>trace</th><th>host</th><th>events</th><th>duration"
	      "</th><th>requests</th><th>lost</th></tr></thead><tbody>\n", f);
	side(f, "before", d->a);
	side(f, "after", d->b);
	fprintf(f, "</tbody></table>\n<p id=\"verdict\"><b>%u regression(s), %u improvement(s)"
		"</b> beyond noise. Busy time is syscall time minus idle time.</p>\n"
		"<p class=\"note\">Rule: ", d->regressions, d->improvements);
	esc(f, ana_diff_rule);
	fputs(".</p>\n", f);
	table(f, d, "Requests and categories", 0);
	table(f, d, "Syscalls beyond noise", 1);
	table(f, d, "Syscalls within noise", 2);
	fputs("</body>\n</html>\n", f);
	return ferror(f) ? -EIO : 0;
}
