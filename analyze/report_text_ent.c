// SPDX-License-Identifier: MIT
/* Text/Markdown sections about processes, threads, peers, fds and loss. */
#include "analyze/report_util.h"

#include <string.h>

#include "analyze/table.h"
#include "analyze/units.h"

#define NS(b, v) ana_fmt_ns(b, sizeof(b), v)
#define CNT(b, v) ana_fmt_count(b, sizeof(b), v)

static uint32_t top(const struct ana_engine *e, uint32_t n)
{
	return n < e->opts->top ? n : e->opts->top;
}

static void procs(const struct ana_engine *e, FILE *f, bool md, bool color)
{
	static const struct ana_col cols[] = {
		{ "pid", 7, true, false }, { "comm", 15, false, true },
		{ "method", 10, false, false }, { "calls", 10, true, false },
		{ "total", 8, true, false }, { "idle", 8, true, false },
		{ "in req", 8, true, false },
	};
	static const struct ana_col tcols[] = {
		{ "tid", 7, true, false }, { "comm", 15, false, true },
		{ "pid", 7, true, false }, { "calls", 10, true, false },
		{ "total", 8, true, false }, { "idle", 8, true, false },
		{ "in req", 8, true, false },
	};
	struct ana_tbl t = { f, md, color, cols, 7 };
	char id[16], id2[16], a[32], b[32], c[32], d[32];

	ana_section(f, md, color, "Processes");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < top(e, e->nproc_order); i++) {
		const struct ana_proc *p = e->proc_order[i];

		snprintf(id, sizeof(id), "%u", p->pid);
		ana_tbl_row(&t, (const char *[]){
			id, p->comm ? p->comm : "?", p->method == ANA_REQ_CONNECTION ? "connection"
			: p->method == ANA_REQ_THREAD ? "thread" : "-", CNT(a, p->h.count),
			NS(b, p->h.total), NS(c, p->idle_ns), NS(d, p->req_ns) });
	}
	ana_section(f, md, color, "Threads");
	t.cols = tcols;
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < top(e, e->nthr_order); i++) {
		const struct ana_thread *th = e->thr_order[i];

		snprintf(id, sizeof(id), "%u", th->tid);
		snprintf(id2, sizeof(id2), "%u", th->pid);
		ana_tbl_row(&t, (const char *[]){ id, th->comm, id2, CNT(a, th->h.count),
						  NS(b, th->h.total), NS(c, th->idle_ns),
						  NS(d, th->req_ns) });
	}
}

static void peers(const struct ana_engine *e, FILE *f, bool md, bool color)
{
	static const struct ana_col cols[] = {
		{ "peer", 26, false, true }, { "conns", 7, true, false },
		{ "calls", 10, true, false }, { "time", 8, true, false },
		{ "share", 6, true, false }, { "max", 8, true, false },
	};
	struct ana_tbl t = { f, md, color, cols, 6 };
	uint64_t total = ana_peer_total_ns(e);
	char a[32], b[32], c[32], d[32], s[16];

	ana_section(f, md, color, "Network peers by socket syscall time");
	if (!e->npeers) {
		fprintf(f, "%sNo socket with a known peer.\n", md ? "" : "  ");
		return;
	}
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < top(e, e->npeers); i++) {
		const struct ana_peer *p = &e->peers[i];

		snprintf(s, sizeof(s), "%.0f%%", 100.0 * ana_share(p->ns, total));
		ana_tbl_row(&t, (const char *[]){ p->host, CNT(a, p->conns), CNT(b, p->syscalls),
						  NS(c, p->ns), s, NS(d, p->max_ns) });
	}
}

static void fds(const struct ana_engine *e, FILE *f, bool md, bool color)
{
	static const struct ana_col cols[] = {
		{ "pid", 7, true, false }, { "fd", 4, true, false },
		{ "kind", 7, false, false }, { "path or peer", 26, false, true },
		{ "calls", 9, true, false }, { "time", 8, true, false },
		{ "small rd", 8, true, false },
	};
	struct ana_tbl t = { f, md, color, cols, 7 };
	char pid[16], fd[16], a[32], b[32], c[32];

	ana_section(f, md, color, "File descriptors by syscall time");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < top(e, e->nfd_order); i++) {
		const struct ana_fd_sum *s = &e->fd_order[i];

		snprintf(pid, sizeof(pid), "%u", s->pid);
		snprintf(fd, sizeof(fd), "%d", s->fd);
		ana_tbl_row(&t, (const char *[]){ pid, fd, ebt_fd_kind_name(s->kind),
						  s->peer[0] ? s->peer : s->path,
						  CNT(a, s->syscalls), NS(b, s->ns),
						  CNT(c, s->tiny_reads) });
	}
}

static void loss(const struct ana_engine *e, FILE *f, bool md, bool color)
{
	static const struct ana_col cols[] = {
		{ "source", 8, false, false }, { "cpu", 4, true, false },
		{ "from", 30, false, false }, { "events", 10, true, false },
	};
	struct ana_tbl t = { f, md, color, cols, 4 };
	char cpu[16], w[48], a[32];

	if (!e->nloss)
		return;
	ana_section(f, md, color, "Loss windows");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < top(e, e->nloss); i++) {
		const struct ana_loss_win *l = &e->loss[i];

		snprintf(cpu, sizeof(cpu), l->cpu == UINT32_MAX ? "all" : "%u", l->cpu);
		ana_tbl_row(&t, (const char *[]){ ana_loss_source_name(l->source), cpu,
						  ana_fmt_wall(w, sizeof(w),
							       ana_engine_wall(e, l->file, l->start)),
						  CNT(a, l->count) });
	}
}

/* The windows with the worst p99 first, at most --top of them. */
static void windows(const struct ana_engine *e, FILE *f, bool md, bool color)
{
	static const struct ana_col cols[] = {
		{ "window start (UTC)", 19, false, false }, { "calls", 10, true, false },
		{ "p50", 8, true, false }, { "p99", 8, true, false },
		{ "max", 8, true, false }, { "requests", 8, true, false },
		{ "loss", 4, false, false },
	};
	struct ana_tbl t = { f, md, color, cols, 7 };
	uint32_t order[ANA_MAX_WINDOWS], n = 0;
	uint64_t p99[ANA_MAX_WINDOWS];
	char w[48], a[32], b[32], c[32], d[32], r[32];

	for (uint32_t i = 0; i < e->nwin; i++) {
		if (!e->win[i].h.count)
			continue;
		p99[i] = ana_hist_quantile(&e->win[i].h, 0.99);
		order[n++] = i;
	}
	for (uint32_t i = 1; i < n; i++) {	/* insertion sort: n <= 240 */
		uint32_t k = order[i], j = i;

		while (j && p99[order[j - 1]] < p99[k]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	if (!n)
		return;
	ana_section(f, md, color, "Time windows, worst p99 first");
	fprintf(f, "%s%u windows of %s\n%s", md ? "" : "  ", e->nwin,
		NS(a, e->win_width), md ? "\n" : "");
	ana_tbl_head(&t);
	for (uint32_t i = 0; i < top(e, n); i++) {
		const struct ana_window *x = &e->win[order[i]];

		ana_fmt_wall(w, sizeof(w), e->win_base + order[i] * e->win_width);
		if (strlen(w) > 19)
			w[19] = 0;
		ana_tbl_row(&t, (const char *[]){ w, CNT(a, x->h.count), NS(b, p99[order[i]] ?
			ana_hist_quantile(&x->h, 0.5) : 0), NS(c, p99[order[i]]), NS(d, x->h.max),
			CNT(r, x->requests), ana_window_lossy(e, order[i]) ? "yes" : "" });
	}
}

void ana_report_text_entities(const struct ana_engine *e, FILE *f, bool md, bool color)
{
	windows(e, f, md, color);
	procs(e, f, md, color);
	peers(e, f, md, color);
	fds(e, f, md, color);
	loss(e, f, md, color);
}
