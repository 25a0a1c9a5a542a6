// SPDX-License-Identifier: MIT
/*
 * --report html: one self-contained page. The summary is static HTML (every
 * trace string through ana_esc_html_*); the rest is drawn by the inline
 * script from an inline JSON document (application/json, escaped by
 * ana_esc_json_script()), which sets text with textContent only. A
 * Content-Security-Policy forbids every network load, so the page works
 * offline and a hostile trace cannot make it fetch anything.
 */
#include "analyze/viz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/escape.h"
#include "analyze/report_html_internal.h"
#include "analyze/report_util.h"
#include "analyze/stacks_report.h"
#include "analyze/units.h"

static const char head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	"style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";

static const char sections[] =
	"<nav><a href=\"#findings\">Findings</a> <a href=\"#flame\">Flame graph</a> "
	"<a href=\"#heat\">Heat map</a> <a href=\"#requests\">Slowest requests</a> "
	"<a href=\"#tables\">Tables</a> <a href=\"#io\">Peers and files</a> "
	"<a href=\"#hists\">Histograms</a></nav>\n"
	"<section id=\"findings\"><h2>Findings</h2><div id=\"suggestions\"></div>"
	"<h3>Hotspots</h3><div id=\"hotspots\"></div>"
	"<h3>Outliers</h3><div id=\"outliers\"></div></section>\n"
	"<section id=\"flame\"><h2>Where syscall time goes</h2>"
	"<p class=\"note\">process &gt; thread &gt; in a request / idle (waiting for work) /"
	" other &gt; category &gt; syscall; width is time. Click to zoom, click the top bar"
	" to zoom out.</p>"
	"<div class=\"bar\"><input id=\"flame-search\" type=\"search\" "
	"placeholder=\"search (regular expression)\"> <button id=\"flame-reset\">"
	"reset zoom</button> <span id=\"flame-match\"></span></div>"
	"<div id=\"flame-graph\"></div><p id=\"flame-info\" class=\"note\"></p></section>\n"
	"<section id=\"heat\"><h2>Latency heat map</h2><p class=\"note\">time on x, "
	"latency (log2 buckets) on y, colour = number of syscalls.</p>"
	"<div id=\"heat-map\"></div></section>\n"
	"<section id=\"requests\"><h2>Slowest requests</h2><div id=\"req-summary\"></div>"
	"<div id=\"req-list\"></div></section>\n"
	"<section id=\"tables\"><h2>Syscalls</h2><p class=\"note\">Click a column to sort."
	"</p><div id=\"sys-table\"></div><h2>Categories</h2><div id=\"cat-table\"></div>"
	"</section>\n<section id=\"io\"><h2>Network peers</h2><p class=\"note\">Socket "
	"syscall time per remote host (waiting for work excluded).</p><div id=\"peer-table\">"
	"</div><h2>File descriptors</h2><p class=\"note\">The fds with the most syscall time;"
	" small: reads and writes of at most 16 bytes.</p><div id=\"fd-table\"></div>"
	"</section>\n<section id=\"hists\"><h2>Latency histograms</h2><p class=\"note\">"
	"log2 latency buckets; bar height is the share of that syscall's calls.</p>"
	"<div id=\"hist-grid\"></div></section>\n";

static void row(FILE *f, const char *k, const char *v, const char *cls)
{
	fprintf(f, "<tr%s%s%s><th>%s</th><td>", cls ? " class=\"" : "", cls ? cls : "",
		cls ? "\"" : "", k);
	ana_esc_html_text(f, v, strlen(v));
	fputs("</td></tr>\n", f);
}

static void summary(FILE *f, const struct ana_engine *e)
{
	struct ana_trace_sum t;
	char b[96], c[96], m[256];

	ana_trace_summary(e, &t);
	fputs("<section id=\"summary\"><h2>Trace</h2><table class=\"facts\">\n", f);
	row(f, "host", t.host, NULL);
	row(f, "kernel", t.kernel, NULL);
	row(f, "start", ana_fmt_wall(b, sizeof(b), e->ts_wall_min), NULL);
	row(f, "duration", ana_fmt_ns(b, sizeof(b), t.duration_ns), NULL);
	ana_fmt_count(b, sizeof(b), e->events);
	snprintf(m, sizeof(m), "%s (%s analyzed)", b, ana_fmt_count(c, sizeof(c), e->kept));
	row(f, "events", m, NULL);
	snprintf(m, sizeof(m), "%s%s", ana_fmt_count(b, sizeof(b), t.lost),
		 t.lost ? " (numbers below miss these events)" : "");
	row(f, "lost events", m, t.lost ? "warn" : NULL);
	if (t.damaged)
		row(f, "damaged", "yes: only the intact part is analyzed", "warn");
	if (t.sample_every > 1) {
		snprintf(m, sizeof(m), "1 in %llu events, counts scaled",
			 (unsigned long long)t.sample_every);
		row(f, "sampling", m, "warn");
	}
	row(f, "requests", ana_method_summary(e, m, sizeof(m)), NULL);
	for (uint32_t i = 0; i < e->nfiles; i++)
		row(f, "file", e->files[i].path, NULL);
	fputs("</table><div id=\"totals\"></div></section>\n", f);
}

int ana_report_html(struct ana_viz *v, const struct ana_engine *e, FILE *f)
{
	struct ana_trace_sum t;
	char *buf = NULL;
	size_t len = 0;
	struct ana_jw w;
	FILE *m;
	int err;

	m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	ana_jw_init(&w, m);
	w.pretty = false;
	err = ana_html_data(&w, v, e);
	if (fclose(m) && !err)
		err = -ENOMEM;
	if (err) {
		free(buf);
		return err;
	}
	ana_trace_summary(e, &t);
	fputs(head, f);
	fputs("<title>syscall latency: ", f);
	ana_esc_html_text(f, t.host, strlen(t.host));
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", ana_html_css);
	fputs("<header><h1>Syscall latency report</h1><p class=\"note\">ebpf-analyze; "
	      "self-contained, works offline.</p></header>\n<main>\n", f);
	summary(f, e);
	fputs(sections, f);
	ana_stacks_report_html(f, e);
	fputs("</main>\n<script type=\"application/json\" id=\"ebt-data\">", f);
	ana_esc_json_script(f, buf, len);
	free(buf);
	fprintf(f, "</script>\n<script>\n%s</script>\n</body>\n</html>\n", ana_html_js);
	return ferror(f) ? -EIO : 0;
}
