// SPDX-License-Identifier: MIT
/*
 * "Top stacks" in the text/Markdown, JSON and CSV reports: the code paths
 * behind each hotspot, outlier and slowest request.
 */
#include "analyze/stacks.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/engine.h"
#include "analyze/escape.h"
#include "analyze/jsonw.h"
#include "analyze/stacks_internal.h"
#include "analyze/stacks_report.h"
#include "analyze/table.h"
#include "analyze/units.h"

/* The stack of a request's slowest syscall, and that syscall. */
bool ana_stacks_of_request(const struct ana_engine *e, const struct ana_req *q, uint32_t *sid,
			   struct ana_frames *out)
{
	int m = 0;

	for (int k = 1; k < 3; k++)
		m = q->top[k].dur > q->top[m].dur ? k : m;
	*sid = q->top[m].sid;
	if (!q->top[m].dur)
		return false;
	return ana_stacks_of_event(e, q->file, q->tid, q->top[m].ts, out);
}

/* Frames outermost first, " > " between them, each escaped for the mode. */
static void put_frames(FILE *f, bool md, const struct ana_frames *fr)
{
	uint32_t i;

	for (i = fr->depth; i-- > 0;) {
		ana_put_untrusted(f, md, fr->names[i]);
		if (i)
			fputs(" > ", f);
	}
	fputc('\n', f);
}

static void hot_stacks(const struct ana_engine *e, FILE *f, bool md)
{
	struct ana_stack_top top[ANA_STACKS_TOP];
	char a[32], b[32];
	uint64_t with;
	uint32_t i, j, n;

	for (i = 0; i < e->nhot; i++) {
		const struct ana_hotspot *h = &e->hot[i];

		n = ana_stacks_top(e, h->is_category, h->id, top, ANA_STACKS_TOP, &with);
		if (!n)
			continue;
		fprintf(f, md ? "- hotspot #%u %s " : "  hotspot #%u %s ", i + 1,
			h->is_category ? "category" : "syscall");
		ana_put_untrusted(f, md, h->name);
		fprintf(f, ": %s of %s calls with a stack\n", ana_fmt_count(a, sizeof(a), with),
			ana_fmt_count(b, sizeof(b), h->count));
		for (j = 0; j < n; j++) {
			fprintf(f, md ? "  - %s calls, %s: " : "    %9s calls %9s  ",
				ana_fmt_count(a, sizeof(a), top[j].count),
				ana_fmt_ns(b, sizeof(b), top[j].ns));
			put_frames(f, md, &top[j].fr);
		}
	}
}

static void outlier_stacks(const struct ana_engine *e, FILE *f, bool md)
{
	struct ana_frames st;
	char a[32];
	uint32_t i;

	for (i = 0; i < e->noutliers; i++) {
		const struct ana_outlier *o = &e->outliers[i];

		if (o->is_request)
			continue;
		if (!ana_stacks_of_event(e, o->ev.file, o->ev.tid, o->ev.ts, &st))
			continue;
		fprintf(f, md ? "- outlier #%u " : "  outlier #%u ", i + 1);
		ana_put_untrusted(f, md, e->sys[o->sid]->name);
		fprintf(f, " %s (tid %u): ", ana_fmt_ns(a, sizeof(a), o->ev.dur), o->ev.tid);
		put_frames(f, md, &st);
	}
}

static void request_stacks(const struct ana_engine *e, FILE *f, bool md)
{
	struct ana_frames st;
	uint32_t i, sid;

	for (i = 0; i < e->nslowest; i++) {
		const struct ana_req *q = &e->slowest[i];

		if (!ana_stacks_of_request(e, q, &sid, &st))
			continue;
		fprintf(f, md ? "- request %lld, slowest syscall " : "  request %lld, slowest "
			"syscall ", (long long)q->id);
		ana_put_untrusted(f, md, e->sys[sid]->name);
		fputs(": ", f);
		put_frames(f, md, &st);
	}
}

void ana_stacks_report_text(const struct ana_engine *e, FILE *f, bool md, bool color)
{
	if (!ana_stacks_any(e))
		return;
	ana_section(f, md, color, "Top stacks (outermost frame first)");
	fprintf(f, "%sUser stacks of the slow syscalls (ebpf-record --stacks); they may be\n"
		"%struncated where code was built without frame pointers.\n%s", md ? "" : "  ",
		md ? "" : "  ", md ? "\n" : "");
	hot_stacks(e, f, md);
	outlier_stacks(e, f, md);
	request_stacks(e, f, md);
}

static void json_frames(struct ana_jw *w, const struct ana_frames *fr)
{
	uint32_t i;

	ana_jw_arr(w, "frames");
	for (i = fr->depth; i-- > 0;)
		ana_jw_str(w, NULL, fr->names[i]);
	ana_jw_end_arr(w);
}

static void json_hot(struct ana_jw *w, const struct ana_engine *e)
{
	struct ana_stack_top top[ANA_STACKS_TOP];
	uint64_t with;
	uint32_t i, j, n;

	ana_jw_arr(w, "hotspots");
	for (i = 0; i < e->nhot; i++) {
		const struct ana_hotspot *h = &e->hot[i];

		n = ana_stacks_top(e, h->is_category, h->id, top, ANA_STACKS_TOP, &with);
		if (!n)
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_u64(w, "rank", i + 1);
		ana_jw_str(w, "kind", h->is_category ? "category" : "syscall");
		ana_jw_str(w, "name", h->name);
		ana_jw_u64(w, "calls_with_stack", with);
		ana_jw_arr(w, "stacks");
		for (j = 0; j < n; j++) {
			ana_jw_obj(w, NULL);
			ana_jw_u64(w, "count", top[j].count);
			ana_jw_u64(w, "total_ns", top[j].ns);
			json_frames(w, &top[j].fr);
			ana_jw_end_obj(w);
		}
		ana_jw_end_arr(w);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

static void json_events(struct ana_jw *w, const struct ana_engine *e)
{
	struct ana_frames st;
	uint32_t i, sid;

	ana_jw_arr(w, "outliers");
	for (i = 0; i < e->noutliers; i++) {
		const struct ana_outlier *o = &e->outliers[i];

		if (o->is_request || !ana_stacks_of_event(e, o->ev.file, o->ev.tid, o->ev.ts, &st))
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_u64(w, "index", i);
		ana_jw_str(w, "syscall", e->sys[o->sid]->name);
		ana_jw_u64(w, "tid", o->ev.tid);
		ana_jw_u64(w, "duration_ns", o->ev.dur);
		json_frames(w, &st);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	ana_jw_arr(w, "requests");
	for (i = 0; i < e->nslowest; i++) {
		if (!ana_stacks_of_request(e, &e->slowest[i], &sid, &st))
			continue;
		ana_jw_obj(w, NULL);
		ana_jw_i64(w, "id", e->slowest[i].id);
		ana_jw_str(w, "syscall", e->sys[sid]->name);
		json_frames(w, &st);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

void ana_stacks_report_json(struct ana_jw *w, const struct ana_engine *e)
{
	const struct ana_stacks *s = e->stacks;

	ana_jw_obj(w, "stacks");
	ana_jw_u64(w, "stacks", s ? s->stacks.n : 0);
	ana_jw_u64(w, "events_with_stack", s ? s->nevents : 0);
	ana_jw_u64(w, "symbols", s ? s->syms.n : 0);
	ana_jw_u64(w, "mappings", s ? s->nmaps : 0);
	json_hot(w, e);
	json_events(w, e);
	ana_jw_end_obj(w);
}

/* frames: ';'-joined, outermost first, in one quoted cell (a name holding
 * a ';' stays as it is: JSON has the unambiguous list). */
static void csv_row(FILE *f, const char *ctx, int64_t ref, const char *name, uint64_t count,
		    uint64_t ns, const struct ana_frames *fr)
{
	char *cell = NULL;
	size_t len = 0;
	FILE *m;
	uint32_t i;

	fprintf(f, "\"%s\",%lld,", ctx, (long long)ref);
	ana_esc_csv(f, name, strlen(name));
	fprintf(f, ",%" PRIu64 ",%" PRIu64 ",", count, ns);
	m = open_memstream(&cell, &len);
	for (i = fr->depth; m && i-- > 0;)
		fprintf(m, "%s%s", fr->names[i], i ? ";" : "");
	if (m && !fclose(m))
		ana_esc_csv(f, cell, len);
	else
		ana_esc_csv(f, "", 0);
	free(cell);
	fputs("\r\n", f);
}

void ana_stacks_report_csv(FILE *f, const struct ana_engine *e)
{
	struct ana_stack_top top[ANA_STACKS_TOP];
	struct ana_frames st;
	uint32_t i, j, n, sid;

	fputs("context,ref,name,count,total_ns,frames\r\n", f);
	for (i = 0; i < e->nhot; i++) {
		n = ana_stacks_top(e, e->hot[i].is_category, e->hot[i].id, top, ANA_STACKS_TOP,
				   NULL);
		for (j = 0; j < n; j++)
			csv_row(f, "hotspot", i + 1, e->hot[i].name, top[j].count, top[j].ns,
				&top[j].fr);
	}
	for (i = 0; i < e->noutliers; i++) {
		const struct ana_outlier *o = &e->outliers[i];

		if (!o->is_request && ana_stacks_of_event(e, o->ev.file, o->ev.tid, o->ev.ts, &st))
			csv_row(f, "outlier", i, e->sys[o->sid]->name, 1, o->ev.dur, &st);
	}
	for (i = 0; i < e->nslowest; i++) {
		if (ana_stacks_of_request(e, &e->slowest[i], &sid, &st))
			csv_row(f, "request", e->slowest[i].id, e->sys[sid]->name, 1,
				e->slowest[i].syscall_ns, &st);
	}
}

uint32_t ana_stacks_depth(const struct ana_engine *e, uint32_t file, uint32_t stack_id)
{
	const struct ana_sent *ent;

	if (!e->stacks)
		return 0;
	ent = ana_stab_get(&e->stacks->stacks, (uint64_t)file << 32 | stack_id, 0);
	return ent && ent->p ? ((const struct ana_stk *)ent->p)->depth : 0;
}

/* One chain of frames per stack, outermost first: ids f<file>s<id>d<level>. */
static void pf_stack(FILE *f, const struct ana_stk *k, bool *first)
{
	uint32_t d;

	for (d = 0; k->names && d < k->depth; d++) {
		fprintf(f, "%s\n\"f%" PRIu32 "s%" PRIu32 "d%" PRIu32 "\":{\"name\":",
			*first ? "" : ",", k->file, k->id, d);
		*first = false;
		ana_esc_json(f, k->names[k->depth - 1 - d], strlen(k->names[k->depth - 1 - d]));
		if (d)
			fprintf(f, ",\"parent\":\"f%" PRIu32 "s%" PRIu32 "d%" PRIu32 "\"", k->file,
				k->id, d - 1);
		fputs("}", f);
	}
}

void ana_stacks_perfetto_frames(FILE *f, const struct ana_engine *e)
{
	const struct ana_stacks *s = e->stacks;
	bool first = true;
	size_t i;

	if (!ana_stacks_any(e))
		return;
	ana_stacks_prepare(e);
	fputs(",\"stackFrames\":{", f);
	for (i = 0; i < s->stacks.cap; i++)
		if (s->stacks.ents[i].used && s->stacks.ents[i].p)
			pf_stack(f, s->stacks.ents[i].p, &first);
	fputs("}", f);
}

void ana_stacks_report_html(FILE *f, const struct ana_engine *e)
{
	struct ana_stack_top top[ANA_STACKS_TOP];
	char a[32], b[32];
	uint32_t i, j, n;

	if (!ana_stacks_any(e))
		return;
	fputs("<section id=\"stacks\"><h2>Top stacks</h2><p class=\"note\">User stacks of "
	      "the slow syscalls (ebpf-record --stacks), outermost frame first; they may be "
	      "truncated where code was built without frame pointers.</p>\n<table>"
	      "<tr><th>hotspot</th><th>calls</th><th>time</th><th>stack</th></tr>\n", f);
	for (i = 0; i < e->nhot; i++) {
		n = ana_stacks_top(e, e->hot[i].is_category, e->hot[i].id, top, ANA_STACKS_TOP,
				   NULL);
		for (j = 0; j < n; j++) {
			fprintf(f, "<tr><td>#%u ", i + 1);
			ana_esc_html_text(f, e->hot[i].name, strlen(e->hot[i].name));
			fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"stack\">",
				ana_fmt_count(a, sizeof(a), top[j].count),
				ana_fmt_ns(b, sizeof(b), top[j].ns));
			for (uint32_t d = top[j].fr.depth; d-- > 0;) {
				ana_esc_html_text(f, top[j].fr.names[d], strlen(top[j].fr.names[d]));
				if (d)
					fputs(" &gt; ", f);
			}
			fputs("</td></tr>\n", f);
		}
	}
	fputs("</table></section>\n", f);
}
