// SPDX-License-Identifier: MIT
/* HTML report data: requests with their captured syscalls, and findings. */
#include "analyze/report_html_internal.h"

#include <string.h>

#include "analyze/report_util.h"

static void req_events(struct ana_jw *w, const struct ana_viz_req *q)
{
	ana_jw_arr(w, "events");
	for (uint32_t i = 0; i < q->n; i++) {
		const struct ana_viz_ev *ev = &q->ev[i];

		ana_jw_arr(w, NULL);
		ana_jw_i64(w, NULL, (int64_t)(ev->ts - q->r.start_ts));
		ana_jw_u64(w, NULL, ev->dur);
		ana_jw_u64(w, NULL, ev->sid);
		ana_jw_i64(w, NULL, ev->ret);
		ana_jw_u64(w, NULL, ev->in_req);
		ana_jw_end_arr(w);
	}
	ana_jw_end_arr(w);
	ana_jw_u64(w, "more", q->more);
}

static void request(struct ana_jw *w, const struct ana_engine *e, const struct ana_req *r,
		    const struct ana_viz_req *q)
{
	const struct ana_thread *t = ana_map_get(&e->threads, (uint64_t)r->file << 32 | r->tid);

	ana_jw_obj(w, NULL);
	ana_jw_i64(w, "id", r->id);
	ana_jw_u64(w, "pid", r->pid);
	ana_jw_u64(w, "tid", r->tid);
	ana_jw_str(w, "comm", t ? t->comm : "");
	ana_jw_i64(w, "fd", r->fd);
	ana_jw_str(w, "peer", r->peer);
	ana_jw_u64(w, "start", ana_engine_wall(e, r->file, r->start_ts));
	ana_jw_u64(w, "dur", r->end_ts - r->start_ts);
	ana_jw_u64(w, "syscalls", r->syscalls);
	ana_jw_u64(w, "syscall_ns", r->syscall_ns);
	ana_jw_bool(w, "complete", r->complete);
	ana_jw_bool(w, "lossy", r->lossy);
	if (q)
		req_events(w, q);
	ana_jw_end_obj(w);
}

void ana_html_data_requests(struct ana_jw *w, const struct ana_viz *v,
			    const struct ana_engine *e)
{
	char method[96];

	ana_jw_obj(w, "requests");
	ana_jw_str(w, "method", ana_method_summary(e, method, sizeof(method)));
	ana_json_request_counts(w, e, &ana_json_html_keys);
	ana_jw_arr(w, "slowest");
	for (uint32_t i = 0; i < v->nreqs; i++)
		request(w, e, &v->reqs[i].r, &v->reqs[i]);
	if (!v->nreqs) {
		for (uint32_t i = 0; i < e->nslowest; i++)
			request(w, e, &e->slowest[i], NULL);
	}
	ana_jw_end_arr(w);
	ana_jw_u64(w, "cap_events", ANA_VIZ_CAP_EVENTS);
	ana_jw_end_obj(w);
}

#define MAX_IO_ROWS 50

static void io(struct ana_jw *w, const struct ana_engine *e)
{
	ana_jw_arr(w, "peers");
	for (uint32_t i = 0; i < e->npeers && i < MAX_IO_ROWS; i++) {
		const struct ana_peer *p = &e->peers[i];

		ana_jw_obj(w, NULL);
		ana_jw_str(w, "host", p->host);
		ana_jw_u64(w, "conns", p->conns);
		ana_jw_u64(w, "calls", p->syscalls);
		ana_jw_u64(w, "time", p->ns);
		ana_jw_u64(w, "max", p->max_ns);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
	ana_jw_arr(w, "fds");
	for (uint32_t i = 0; i < e->nfd_order && i < MAX_IO_ROWS; i++) {
		const struct ana_fd_sum *f = &e->fd_order[i];

		ana_jw_obj(w, NULL);
		ana_jw_u64(w, "pid", f->pid);
		ana_jw_i64(w, "fd", f->fd);
		ana_jw_str(w, "kind", ebt_fd_kind_name(f->kind));
		ana_jw_str(w, "name", f->peer[0] ? f->peer : f->path);
		ana_jw_u64(w, "calls", f->syscalls);
		ana_jw_u64(w, "time", f->ns);
		ana_jw_u64(w, "small", f->tiny_reads + f->tiny_writes);
		ana_jw_end_obj(w);
	}
	ana_jw_end_arr(w);
}

void ana_html_data_findings(struct ana_jw *w, const struct ana_engine *e)
{
	io(w, e);
	ana_json_hotspots(w, e, &ana_json_html_keys);
	ana_json_outliers(w, e, &ana_json_html_keys);
	ana_json_suggestions(w, e, &ana_json_html_keys);
}
