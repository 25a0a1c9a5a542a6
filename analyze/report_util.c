// SPDX-License-Identifier: MIT
#include "analyze/report_util.h"

#include <string.h>

#include "analyze/units.h"

static void join(char *dst, size_t len, const char *s)
{
	size_t n = strlen(dst);

	if (!s || !s[0] || strstr(dst, s))
		return;
	snprintf(dst + n, len - n, "%s%s", n ? ", " : "", s);
}

void ana_trace_summary(const struct ana_engine *e, struct ana_trace_sum *out)
{
	uint64_t ts = 0;

	memset(out, 0, sizeof(*out));
	out->sample_every = 1;
	for (uint32_t i = 0; i < e->nfiles; i++) {
		const struct ana_file *f = &e->files[i];

		join(out->host, sizeof(out->host), f->hostname);
		join(out->kernel, sizeof(out->kernel), f->kernel);
		out->lost = ana_sat_add(out->lost, f->lost);
		out->damaged_events = ana_sat_add(out->damaged_events, f->damaged_events);
		out->damaged |= f->damaged_chunks || f->truncated;
		if (f->sample_every > out->sample_every)
			out->sample_every = f->sample_every;
		if (f->have_ts && f->ts_last - f->ts_first > ts)
			ts = f->ts_last - f->ts_first;
	}
	if (e->lost_total > out->lost)
		out->lost = e->lost_total;
	out->duration_ns = e->ts_wall_max > e->ts_wall_min ? e->ts_wall_max - e->ts_wall_min : ts;
}

double ana_share(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / (double)whole : 0;
}

const char *ana_method_summary(const struct ana_engine *e, char *buf, size_t len)
{
	if (e->opts->requests != ANA_REQ_AUTO)
		snprintf(buf, len, "%s", ana_req_method_name(e->opts->requests));
	else
		snprintf(buf, len, "auto (connection: %llu processes, thread: %llu)",
			 (unsigned long long)e->procs_conn, (unsigned long long)e->procs_thread);
	return buf;
}

const char *ana_loss_source_name(uint32_t source)
{
	static const char *const src[] = { "unknown", "ringbuf", "writer", "damage", "filter" };

	return src[source < 5 ? source : 0];
}

uint64_t ana_peer_total_ns(const struct ana_engine *e)
{
	uint64_t t = 0;

	for (uint32_t i = 0; i < e->npeers; i++)
		t += e->peers[i].ns;
	return t;
}

bool ana_window_lossy(const struct ana_engine *e, uint32_t i)
{
	uint64_t lo = e->win_base + i * e->win_width, hi = lo + e->win_width;

	for (uint32_t k = 0; k < e->nloss; k++) {
		const struct ana_loss_win *l = &e->loss[k];

		if (ana_engine_wall(e, l->file, l->start) < hi &&
		    ana_engine_wall(e, l->file, l->end) >= lo)
			return true;
	}
	return false;
}

static void procs(struct ana_jw *w, const struct ana_engine *e)
{
	uint32_t n = e->nproc_order < e->opts->top ? e->nproc_order : e->opts->top;

	ana_jw_arr(w, "processes");
	for (uint32_t i = 0; i < n; i++) {
		const struct ana_proc *p = e->proc_order[i];

		ana_jw_obj(w, NULL);
		ana_jw_u64(w, "file", p->file);
		ana_jw_u64(w, "pid", p->pid);
		ana_jw_u64(w, "ppid", p->ppid);
		ana_jw_str(w, "comm", p->comm);
		ana_jw_str(w, "exe", p->exe);
		ana_jw_str(w, "cmdline", p->cmdline);
		ana_jw_str(w, "request_method", p->method == ANA_REQ_CONNECTION ? "connection" :
			   p->method == ANA_REQ_THREAD ? "thread" : NULL);
		ana_jw_u64(w, "threads", p->threads);
		ana_jw_u64(w, "count", p->h.count);
		ana_jw_u64(w, "errors", p->errors);
		ana_jw_u64(w, "total_ns", p->h.total);
		ana_jw_u64(w, "idle_ns", p->idle_ns);
		ana_jw_u64(w, "in_request_ns", p->req_ns);
		ana_jw_u64(w, "p50_ns", ana_hist_quantile(&p->h, 0.5));
		ana_jw_u64(w, "p99_ns", ana_hist_quantile(&p->h, 0.99));
		ana_jw_u64(w, "max_ns", p->h.max);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

static void threads(struct ana_jw *w, const struct ana_engine *e)
{
	uint32_t n = e->nthr_order < e->opts->top ? e->nthr_order : e->opts->top;

	ana_jw_arr(w, "threads");
	for (uint32_t i = 0; i < n; i++) {
		const struct ana_thread *t = e->thr_order[i];

		ana_jw_obj(w, NULL);
		ana_jw_u64(w, "file", t->file);
		ana_jw_u64(w, "pid", t->pid);
		ana_jw_u64(w, "tid", t->tid);
		ana_jw_str(w, "comm", t->comm);
		ana_jw_u64(w, "count", t->h.count);
		ana_jw_u64(w, "errors", t->errors);
		ana_jw_u64(w, "total_ns", t->h.total);
		ana_jw_u64(w, "idle_ns", t->idle_ns);
		ana_jw_u64(w, "in_request_ns", t->req_ns);
		ana_jw_u64(w, "max_ns", t->h.max);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

static void fds(struct ana_jw *w, const struct ana_engine *e)
{
	uint32_t n = e->nfd_order < e->opts->top ? e->nfd_order : e->opts->top;
	uint64_t total = ana_peer_total_ns(e);

	ana_jw_arr(w, "fds");
	for (uint32_t i = 0; i < n; i++) {
		const struct ana_fd_sum *f = &e->fd_order[i];

		ana_jw_obj(w, NULL);
		ana_jw_u64(w, "file", f->file);
		ana_jw_u64(w, "pid", f->pid);
		ana_jw_i64(w, "fd", f->fd);
		ana_jw_str(w, "kind", ebt_fd_kind_name(f->kind));
		ana_jw_str(w, "path", f->path[0] ? f->path : NULL);
		ana_jw_str(w, "peer", f->peer[0] ? f->peer : NULL);
		ana_jw_u64(w, "syscalls", f->syscalls);
		ana_jw_u64(w, "total_ns", f->ns);
		ana_jw_u64(w, "reads", f->reads);
		ana_jw_u64(w, "writes", f->writes);
		ana_jw_u64(w, "small_reads", f->tiny_reads);
		ana_jw_u64(w, "small_writes", f->tiny_writes);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	n = e->npeers < e->opts->top ? e->npeers : e->opts->top;
	ana_jw_arr(w, "peers");
	for (uint32_t i = 0; i < n; i++) {
		const struct ana_peer *p = &e->peers[i];

		ana_jw_obj(w, NULL);
		ana_jw_str(w, "host", p->host);
		ana_jw_str(w, "example", p->example);
		ana_jw_u64(w, "connections", p->conns);
		ana_jw_u64(w, "syscalls", p->syscalls);
		ana_jw_u64(w, "total_ns", p->ns);
		ana_jw_dbl(w, "share", ana_share(p->ns, total));
		ana_jw_u64(w, "max_ns", p->max_ns);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

static const struct ana_json_stat_keys window_stats = {
	.total = "total_ns", .p50 = "p50_ns", .p99 = "p99_ns", .max = "max_ns"
};

static void windows(struct ana_jw *w, const struct ana_engine *e)
{
	char b[48];

	ana_jw_arr(w, "loss");
	for (uint32_t i = 0; i < e->nloss; i++) {
		const struct ana_loss_win *l = &e->loss[i];

		ana_jw_obj(w, NULL);
		ana_jw_u64(w, "file", l->file);
		ana_jw_str(w, "source", ana_loss_source_name(l->source));
		ana_jw_i64(w, "cpu", l->cpu == UINT32_MAX ? -1 : (int64_t)l->cpu);
		ana_jw_str(w, "start", ana_fmt_wall(b, sizeof(b), ana_engine_wall(e, l->file,
										   l->start)));
		ana_jw_str(w, "end", ana_fmt_wall(b, sizeof(b), ana_engine_wall(e, l->file,
										 l->end)));
		ana_jw_u64(w, "count", l->count);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	ana_jw_obj(w, "windows");
	ana_jw_u64(w, "width_ns", e->win_width);
	ana_jw_arr(w, "items");
	for (uint32_t i = 0; i < e->nwin; i++) {
		const struct ana_window *x = &e->win[i];
		uint64_t start = e->win_base + i * e->win_width;

		ana_jw_obj(w, NULL);
		ana_jw_str(w, "start", ana_fmt_wall(b, sizeof(b), start));
		ana_jw_u64(w, "start_wall_ns", start);
		ana_jw_u64(w, "count", x->h.count);
		ana_jw_u64(w, "errors", x->errors);
		ana_json_stats(w, &x->h, &window_stats);
		ana_jw_u64(w, "idle_ns", x->idle_ns);
		ana_jw_u64(w, "in_request_ns", x->req_ns);
		ana_jw_u64(w, "requests", x->requests);
		ana_jw_bool(w, "lossy", ana_window_lossy(e, i));
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	ana_jw_end_obj(w);
}

void ana_report_json_entities(struct ana_jw *w, const struct ana_engine *e)
{
	procs(w, e);
	threads(w, e);
	fds(w, e);
	windows(w, e);
}
