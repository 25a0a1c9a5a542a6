// SPDX-License-Identifier: MIT
/* The text report (terminal, 80 columns) and the Markdown report (a ticket):
 * the same content, rendered by analyze/table.h. */
#include "analyze/analyze.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/engine.h"
#include "analyze/report_util.h"
#include "analyze/stacks.h"
#include "analyze/table.h"
#include "analyze/units.h"

struct rt {
	const struct ana_engine *e;
	FILE *f;
	bool md, color;
	uint32_t top;
};

#define NS(b, v) ana_fmt_ns(b, sizeof(b), v)
#define CNT(b, v) ana_fmt_count(b, sizeof(b), v)
#define PCT(b, x) (snprintf(b, sizeof(b), "%.1f%%", 100.0 * (x)), b)

static void section(struct rt *r, const char *title)
{
	ana_section(r->f, r->md, r->color, title);
}

static void bullet(struct rt *r)
{
	fputs(r->md ? "- " : "  ", r->f);
}

static void header(struct rt *r)
{
	const struct ana_engine *e = r->e;
	struct ana_trace_sum t;
	char a[48], b[48], c[32], d[32], m[96];

	ana_trace_summary(e, &t);
	fputs(r->md ? "# Syscall latency report\n\n" : "Syscall latency report\n", r->f);
	bullet(r);
	fputs("Host: ", r->f);
	ana_put_untrusted(r->f, r->md, t.host[0] ? t.host : "unknown");
	fputs(", kernel ", r->f);
	ana_put_untrusted(r->f, r->md, t.kernel[0] ? t.kernel : "unknown");
	fputc('\n', r->f);
	bullet(r);
	ana_fmt_wall(a, sizeof(a), e->ts_wall_min);
	ana_fmt_wall(b, sizeof(b), e->ts_wall_max);
	if (strlen(a) > 23)
		strcpy(a + 23, "Z");	/* milliseconds are enough here */
	if (strlen(b) > 23)
		strcpy(b + 23, "Z");
	fprintf(r->f, "Time: %s to %s (%s)\n", a, b, NS(c, t.duration_ns));
	bullet(r);
	fprintf(r->f, "Events: %s read, %s analysed, %s lost\n", CNT(c, e->events),
		CNT(d, e->kept), CNT(a, t.lost));
	bullet(r);
	fprintf(r->f, "Requests rebuilt by: %s,\n%s  timeout %llu ms\n",
		ana_method_summary(e, m, sizeof(m)), r->md ? "" : "  ",
		(unsigned long long)(e->opts->request_timeout_ns / 1000000));
	bullet(r);
	fprintf(r->f, "Percentiles: log-linear histograms, within %.2f%% of the true value\n",
		100.0 * ANA_HIST_REL_ERROR);
	if (t.sample_every > 1) {
		bullet(r);
		fprintf(r->f, "Sampled: 1 event in %llu was recorded; counts and totals are"
			" scaled estimates\n", (unsigned long long)t.sample_every);
	}
	if (t.damaged) {
		bullet(r);
		fprintf(r->f, "Damaged trace: %s events in damaged chunks were skipped;"
			" this report covers the intact part\n", CNT(c, t.damaged_events));
	}
}

static void time_split(struct rt *r)
{
	const struct ana_engine *e = r->e;
	uint64_t all = e->idle_ns + e->attributed_ns + e->unattributed_ns;
	static const struct ana_col cols[] = {
		{ "time in syscalls", 32, false, false }, { "total", 9, true, false },
		{ "share", 7, true, false },
	};
	struct ana_tbl t = { r->f, r->md, r->color, cols, 3 };
	char a[32], b[32];

	section(r, "Where syscall time went");
	ana_tbl_head(&t);
	ana_tbl_row(&t, (const char *[]){ "on a request's path", NS(a, e->attributed_ns),
					  PCT(b, ana_share(e->attributed_ns, all)) });
	ana_tbl_row(&t, (const char *[]){ "working, not in any request",
					  NS(a, e->unattributed_ns),
					  PCT(b, ana_share(e->unattributed_ns, all)) });
	ana_tbl_row(&t, (const char *[]){ "idle: waiting for work", NS(a, e->idle_ns),
					  PCT(b, ana_share(e->idle_ns, all)) });
	fprintf(r->f, "%sUnattributed share of non-idle syscall time: %.1f%%\n",
		r->md ? "\n" : "  ",
		100.0 * ana_share(e->unattributed_ns, e->attributed_ns + e->unattributed_ns));
}

/* Escaped prose, wrapped at spaces to fit 80 columns after the indent. */
static void wrapped(struct rt *r, const char *s, const char *indent)
{
	char *mem = NULL, *p, *sp;
	size_t n = 0;
	FILE *m = open_memstream(&mem, &n);
	int col = 0, w;

	if (!m)
		return;
	ana_put_untrusted(m, false, s);
	fclose(m);
	for (p = mem; *p; p = sp ? sp + 1 : p + strlen(p)) {
		sp = strchr(p, ' ');
		w = sp ? (int)(sp - p) : (int)strlen(p);
		if (col && col + 1 + w > 80 - (int)strlen(indent)) {
			fprintf(r->f, "\n%s", indent);
			col = 0;
		} else if (col) {
			fputc(' ', r->f);
			col++;
		}
		fwrite(p, 1, (size_t)w, r->f);
		col += w;
	}
	free(mem);
}

static void suggestions(struct rt *r)
{
	const struct ana_engine *e = r->e;

	section(r, "Suggestions");
	if (!e->nsugg)
		fprintf(r->f, "%sNo rule fired.\n", r->md ? "" : "  ");
	for (uint32_t i = 0; i < e->nsugg; i++) {
		fprintf(r->f, r->md ? "%u. **%s**: " : "  %u. %s\n     ", i + 1, e->sugg[i].title);
		/* evidence quotes paths and peers from the trace */
		if (r->md)
			ana_put_untrusted(r->f, true, e->sugg[i].evidence);
		else
			wrapped(r, e->sugg[i].evidence, "     ");
		fputc('\n', r->f);
	}
}

static void hotspots(struct rt *r)
{
	const struct ana_engine *e = r->e;
	static const struct ana_col cols[] = {
		{ "#", 3, true, false }, { "kind", 8, false, false },
		{ "name", 18, false, true }, { "calls", 11, true, false },
		{ "time", 9, true, false }, { "share", 7, true, false },
		{ "p99", 9, true, false },
	};
	struct ana_tbl t = { r->f, r->md, r->color, cols, 7 };
	char n[16], a[32], b[32], c[32], d[32];

	section(r, e->hot_in_request ? "Hotspots (share of in-request syscall time)"
				     : "Hotspots (share of non-idle syscall time; no requests)");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < e->nhot; i++) {
		const struct ana_hotspot *h = &e->hot[i];

		snprintf(n, sizeof(n), "%u", i + 1);
		ana_tbl_row(&t, (const char *[]){ n, h->is_category ? "category" : "syscall",
						  h->name, CNT(a, h->count), NS(b, h->ns),
						  PCT(c, h->share), NS(d, h->p99_ns) });
	}
}

static void syscalls(struct rt *r)
{
	const struct ana_engine *e = r->e;
	static const struct ana_col cols[] = {
		{ "syscall", 14, false, true }, { "cat", 7, false, false },
		{ "calls", 10, true, false }, { "errors", 7, true, false },
		{ "total", 8, true, false }, { "p50", 8, true, false },
		{ "p99", 8, true, false }, { "max", 8, true, false },
	};
	struct ana_tbl t = { r->f, r->md, r->color, cols, 8 };
	char a[32], b[32], c[32], d[32], g[32], h[32];
	uint32_t n = 0;

	section(r, "Syscalls by total time");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < e->nsys && n < r->top; i++) {
		const struct ana_sys *s = e->sys[e->sys_order[i]];

		if (!s->h.count)
			continue;
		n++;
		ana_tbl_row(&t, (const char *[]){
			s->name, syscalls_category_name(s->cat), CNT(a, s->h.count),
			CNT(b, s->errors), NS(c, s->h.total), NS(d, ana_hist_quantile(&s->h, .5)),
			NS(g, ana_hist_quantile(&s->h, .99)), NS(h, s->h.max) });
	}
	section(r, "Categories");
	ana_tbl_head(&t);
	for (int k = 0; k < SC__COUNT; k++) {
		const struct ana_hist *hh = &e->cat_h[k];

		if (!hh->count)
			continue;
		ana_tbl_row(&t, (const char *[]){
			syscalls_category_name(k), "", CNT(a, hh->count), CNT(b, e->cat_errors[k]),
			NS(c, hh->total), NS(d, ana_hist_quantile(hh, .5)),
			NS(g, ana_hist_quantile(hh, .99)), NS(h, hh->max) });
	}
}

static void requests(struct rt *r)
{
	const struct ana_engine *e = r->e;
	const struct ana_hist *hh = &e->req_h;
	static const struct ana_col cols[] = {
		{ "id", 7, true, false }, { "pid", 7, true, false }, { "fd", 4, true, false },
		{ "peer", 21, false, true }, { "duration", 9, true, false },
		{ "in sys", 9, true, false }, { "calls", 6, true, false },
		{ "slowest", 10, false, true },
	};
	struct ana_tbl t = { r->f, r->md, r->color, cols, 8 };
	char a[32], b[32], c[32], d[32], g[32], h[32], id[24], pid[16], fd[16], sl[64];

	section(r, "Requests");
	fprintf(r->f, "%s%s requests (%s incomplete, %s overlapping loss)\n%s"
		"duration p50 %s, p90 %s, p99 %s, max %s\n", r->md ? "" : "  ",
		CNT(a, e->req_count), CNT(b, e->req_incomplete), CNT(c, e->req_lossy),
		r->md ? "\n" : "  ", NS(d, ana_hist_quantile(hh, .5)),
		NS(g, ana_hist_quantile(hh, .9)), NS(h, ana_hist_quantile(hh, .99)),
		NS(sl, hh->max));
	if (!e->nslowest)
		return;
	fprintf(r->f, r->md ? "\nSlowest requests:\n\n" : "  Slowest requests:\n");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < e->nslowest; i++) {
		const struct ana_req *q = &e->slowest[i];
		int m = 0;

		for (int k = 1; k < 3; k++)
			m = q->top[k].dur > q->top[m].dur ? k : m;
		snprintf(id, sizeof(id), "%lld%s", (long long)q->id,
			 q->lossy ? "!" : q->complete ? "" : "?");
		snprintf(pid, sizeof(pid), "%u", q->pid);
		snprintf(fd, sizeof(fd), "%d", q->fd);
		snprintf(sl, sizeof(sl), "%s", q->top[m].dur ? e->sys[q->top[m].sid]->name : "");
		ana_tbl_row(&t, (const char *[]){ id, pid, fd, q->peer,
						  NS(a, q->end_ts - q->start_ts),
						  NS(b, q->syscall_ns), CNT(c, q->syscalls), sl });
	}
	fprintf(r->f, "%s(? incomplete, ! overlaps a loss window)\n", r->md ? "\n" : "  ");
}

static void outliers(struct rt *r)
{
	const struct ana_engine *e = r->e;
	static const struct ana_col cols[] = {
		{ "when", 15, false, false }, { "what", 14, false, true },
		{ "duration", 9, true, false }, { "pid", 7, true, false },
		{ "tid", 7, true, false }, { "request", 8, true, false },
		{ "x limit", 8, true, false },
	};
	struct ana_tbl t = { r->f, r->md, r->color, cols, 7 };
	char w[48], a[32], pid[16], tid[16], rq[24], sc[24];

	section(r, "Outliers");
	fprintf(r->f, "%sRule: slower than max(p99.9, 10 x p50) of its own syscall\n%s"
		"(or of all requests)%s.\n", r->md ? "" : "  ", r->md ? "" : "  ",
		e->opts->slow_threshold_ns ? ", or over --slow-threshold-us" : "");
	if (!e->noutliers)
		return;
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < e->noutliers; i++) {
		const struct ana_outlier *o = &e->outliers[i];

		ana_fmt_wall(w, sizeof(w), ana_engine_wall(e, o->ev.file, o->ev.ts));
		snprintf(pid, sizeof(pid), "%u", o->ev.pid);
		snprintf(tid, sizeof(tid), "%u", o->ev.tid);
		snprintf(rq, sizeof(rq), o->ev.req >= 0 ? "%lld" : "-", (long long)o->ev.req);
		snprintf(sc, sizeof(sc), "%.1f", o->score);
		if (strlen(w) > 26)
			w[26] = 0;	/* HH:MM:SS.micro */
		ana_tbl_row(&t, (const char *[]){ strlen(w) > 11 ? w + 11 : w,
						  o->is_request ? "request" : e->sys[o->sid]->name,
						  NS(a, o->ev.dur), pid, tid, rq, sc });
	}
}

static void patterns(struct rt *r)
{
	const struct ana_engine *e = r->e;
	static const struct ana_col cols[] = {
		{ "count", 10, true, false }, { "sequence inside requests", 60, false, true },
	};
	struct ana_tbl t = { r->f, r->md, r->color, cols, 2 };
	char a[32], seq[200];

	if (!e->npat_order)
		return;
	section(r, "Frequent syscall sequences in requests");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < e->npat_order; i++) {
		uint64_t k = e->pat_order[i].key;

		snprintf(seq, sizeof(seq), "%s > %s > %s", e->sys[(k >> 32 & 0xffff) - 1]->name,
			 e->sys[(k >> 16 & 0xffff) - 1]->name, e->sys[(k & 0xffff) - 1]->name);
		ana_tbl_row(&t, (const char *[]){ CNT(a, e->pat_order[i].count), seq });
	}
}

int ana_report_text(const struct ana_engine *e, FILE *f, bool markdown, bool color)
{
	struct rt r = { e, f, markdown, color && !markdown, e->opts->top };

	header(&r);
	time_split(&r);
	suggestions(&r);
	hotspots(&r);
	requests(&r);
	syscalls(&r);
	outliers(&r);
	ana_stacks_report_text(e, f, markdown, r.color);
	patterns(&r);
	ana_report_text_entities(e, f, markdown, r.color);
	return ferror(f) ? -EIO : 0;
}
