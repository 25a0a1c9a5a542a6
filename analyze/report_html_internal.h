/* SPDX-License-Identifier: MIT */
/* Pieces of the HTML report (report_html*.c), shared among its files. */
#ifndef ANALYZE_REPORT_HTML_INTERNAL_H
#define ANALYZE_REPORT_HTML_INTERNAL_H

#include "analyze/engine.h"
#include "analyze/jsonw.h"
#include "analyze/viz.h"

/* The report's data document (report_html_data.c). 0 or -EIO. */
int ana_html_data(struct ana_jw *w, const struct ana_viz *v, const struct ana_engine *e);
/* Its "requests", "hotspots", "outliers", "suggestions" members. */
void ana_html_data_requests(struct ana_jw *w, const struct ana_viz *v,
			    const struct ana_engine *e);
void ana_html_data_findings(struct ana_jw *w, const struct ana_engine *e);

/* The page's style sheet and script (report_html_js.c), hand-written. */
extern const char ana_html_css[];
extern const char ana_html_js[];

#endif
