// SPDX-License-Identifier: MIT
/* CSV tables (RFC 4180, strings quoted and neutralised by ana_esc_csv()). */
#include "analyze/analyze.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/engine.h"
#include "analyze/escape.h"
#include "analyze/report_util.h"
#include "analyze/stacks_report.h"
#include "analyze/units.h"

const char *const ana_csv_tables[] = {
	"syscalls", "categories", "requests", "hotspots", "outliers", "patterns",
	"suggestions", "processes", "threads", "fds", "peers", "windows", "loss", "stacks",
	NULL,
};

struct cw {
	FILE *f;
	bool first;
};

static void sep(struct cw *w)
{
	if (!w->first)
		putc(',', w->f);
	w->first = false;
}

static void s_(struct cw *w, const char *s)
{
	sep(w);
	ana_esc_csv(w->f, s ? s : "", s ? strlen(s) : 0);
}

static void u_(struct cw *w, uint64_t v)
{
	sep(w);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

static void i_(struct cw *w, int64_t v)
{
	sep(w);
	fprintf(w->f, "%lld", (long long)v);
}

static void d_(struct cw *w, double v)
{
	sep(w);
	fprintf(w->f, "%.6g", v);
}

static void eol(struct cw *w)
{
	fputs("\r\n", w->f);
	w->first = true;
}

static void head(struct cw *w, const char *cols)
{
	fputs(cols, w->f);
	eol(w);
}

static void hist(struct cw *w, const struct ana_hist *h)
{
	u_(w, h->total);
	u_(w, ana_hist_mean(h));
	u_(w, h->count ? h->min : 0);
	u_(w, ana_hist_quantile(h, .5));
	u_(w, ana_hist_quantile(h, .9));
	u_(w, ana_hist_quantile(h, .99));
	u_(w, ana_hist_quantile(h, .999));
	u_(w, h->max);
}

#define HIST_COLS "total_ns,mean_ns,min_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns"

static void t_syscalls(struct cw *w, const struct ana_engine *e)
{
	head(w, "name,category,count,errors," HIST_COLS ",idle_ns,in_request_ns");
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[e->sys_order[i]];

		if (!s->h.count)
			continue;
		s_(w, s->name);
		s_(w, syscalls_category_name(s->cat));
		u_(w, s->h.count);
		u_(w, s->errors);
		hist(w, &s->h);
		u_(w, s->idle_ns);
		u_(w, s->req_ns);
		eol(w);
	}
}

static void t_categories(struct cw *w, const struct ana_engine *e)
{
	head(w, "name,count,errors," HIST_COLS ",in_request_ns");
	for (int c = 0; c < SC__COUNT; c++) {
		if (!e->cat_h[c].count)
			continue;
		s_(w, syscalls_category_name(c));
		u_(w, e->cat_h[c].count);
		u_(w, e->cat_errors[c]);
		hist(w, &e->cat_h[c]);
		u_(w, e->cat_req_ns[c]);
		eol(w);
	}
}

static void t_requests(struct cw *w, const struct ana_engine *e)
{
	char b[48];

	fputs("id,file,pid,tid,fd,peer,method,start,duration_ns,syscalls,syscall_ns", w->f);
	for (int c = 0; c < SC__COUNT; c++)
		fprintf(w->f, ",%s_ns", syscalls_category_name(c));
	fputs(",complete,lossy", w->f);
	eol(w);
	for (uint32_t i = 0; i < e->nslowest; i++) {
		const struct ana_req *r = &e->slowest[i];

		i_(w, r->id);
		u_(w, r->file);
		u_(w, r->pid);
		u_(w, r->tid);
		i_(w, r->fd);
		s_(w, r->peer);
		s_(w, r->method == ANA_REQ_CONNECTION ? "connection" : "thread");
		s_(w, ana_fmt_wall(b, sizeof(b), ana_engine_wall(e, r->file, r->start_ts)));
		u_(w, r->end_ts - r->start_ts);
		u_(w, r->syscalls);
		u_(w, r->syscall_ns);
		for (int c = 0; c < SC__COUNT; c++)
			u_(w, r->cat_ns[c]);
		u_(w, r->complete);
		u_(w, r->lossy);
		eol(w);
	}
}

static void t_hotspots(struct cw *w, const struct ana_engine *e)
{
	head(w, "rank,kind,name,count,total_ns,share,p99_ns,basis");
	for (uint32_t i = 0; i < e->nhot; i++) {
		const struct ana_hotspot *h = &e->hot[i];

		u_(w, i + 1);
		s_(w, h->is_category ? "category" : "syscall");
		s_(w, h->name);
		u_(w, h->count);
		u_(w, h->ns);
		d_(w, h->share);
		u_(w, h->p99_ns);
		s_(w, e->hot_in_request ? "in_request" : "non_idle");
		eol(w);
	}
}

static void t_outliers(struct cw *w, const struct ana_engine *e)
{
	char b[48];

	head(w, "kind,name,start,duration_ns,pid,tid,request_id,score,rule");
	for (uint32_t i = 0; i < e->noutliers; i++) {
		const struct ana_outlier *o = &e->outliers[i];

		s_(w, o->is_request ? "request" : "syscall");
		s_(w, o->is_request ? "request" : e->sys[o->sid]->name);
		s_(w, ana_fmt_wall(b, sizeof(b), ana_engine_wall(e, o->ev.file, o->ev.ts)));
		u_(w, o->ev.dur);
		u_(w, o->ev.pid);
		u_(w, o->ev.tid);
		i_(w, o->ev.req);
		d_(w, o->score);
		s_(w, o->rule);
		eol(w);
	}
}

static void t_patterns(struct cw *w, const struct ana_engine *e)
{
	head(w, "first,second,third,count");
	for (uint32_t i = 0; i < e->npat_order; i++) {
		uint64_t k = e->pat_order[i].key;

		s_(w, e->sys[(k >> 32 & 0xffff) - 1]->name);
		s_(w, e->sys[(k >> 16 & 0xffff) - 1]->name);
		s_(w, e->sys[(k & 0xffff) - 1]->name);
		u_(w, e->pat_order[i].count);
		eol(w);
	}
}

static void t_suggestions(struct cw *w, const struct ana_engine *e)
{
	head(w, "rank,rule,title,evidence");
	for (uint32_t i = 0; i < e->nsugg; i++) {
		u_(w, i + 1);
		s_(w, e->sugg[i].rule);
		s_(w, e->sugg[i].title);
		s_(w, e->sugg[i].evidence);
		eol(w);
	}
}

static void t_processes(struct cw *w, const struct ana_engine *e)
{
	head(w, "file,pid,ppid,comm,exe,cmdline,method,threads,count,errors," HIST_COLS
	     ",idle_ns,in_request_ns");
	for (uint32_t i = 0; i < e->nproc_order; i++) {
		const struct ana_proc *p = e->proc_order[i];

		u_(w, p->file);
		u_(w, p->pid);
		u_(w, p->ppid);
		s_(w, p->comm);
		s_(w, p->exe);
		s_(w, p->cmdline);
		s_(w, p->method == ANA_REQ_CONNECTION ? "connection" :
		   p->method == ANA_REQ_THREAD ? "thread" : "");
		u_(w, p->threads);
		u_(w, p->h.count);
		u_(w, p->errors);
		hist(w, &p->h);
		u_(w, p->idle_ns);
		u_(w, p->req_ns);
		eol(w);
	}
}

static void t_threads(struct cw *w, const struct ana_engine *e)
{
	head(w, "file,pid,tid,comm,count,errors,total_ns,max_ns,idle_ns,in_request_ns");
	for (uint32_t i = 0; i < e->nthr_order; i++) {
		const struct ana_thread *t = e->thr_order[i];

		u_(w, t->file);
		u_(w, t->pid);
		u_(w, t->tid);
		s_(w, t->comm);
		u_(w, t->h.count);
		u_(w, t->errors);
		u_(w, t->h.total);
		u_(w, t->h.max);
		u_(w, t->idle_ns);
		u_(w, t->req_ns);
		eol(w);
	}
}

static void t_fds(struct cw *w, const struct ana_engine *e)
{
	head(w, "file,pid,fd,kind,path,peer,syscalls,total_ns,reads,writes,small_reads,"
	     "small_writes");
	for (uint32_t i = 0; i < e->nfd_order; i++) {
		const struct ana_fd_sum *f = &e->fd_order[i];

		u_(w, f->file);
		u_(w, f->pid);
		i_(w, f->fd);
		s_(w, ebt_fd_kind_name(f->kind));
		s_(w, f->path);
		s_(w, f->peer);
		u_(w, f->syscalls);
		u_(w, f->ns);
		u_(w, f->reads);
		u_(w, f->writes);
		u_(w, f->tiny_reads);
		u_(w, f->tiny_writes);
		eol(w);
	}
}

static void t_peers(struct cw *w, const struct ana_engine *e)
{
	uint64_t total = ana_peer_total_ns(e);

	head(w, "host,example,connections,syscalls,total_ns,share,max_ns");
	for (uint32_t i = 0; i < e->npeers; i++) {
		const struct ana_peer *p = &e->peers[i];

		s_(w, p->host);
		s_(w, p->example);
		u_(w, p->conns);
		u_(w, p->syscalls);
		u_(w, p->ns);
		d_(w, ana_share(p->ns, total));
		u_(w, p->max_ns);
		eol(w);
	}
}

static void t_windows(struct cw *w, const struct ana_engine *e)
{
	char b[48];

	head(w, "start,width_ns,count,errors,total_ns,p50_ns,p99_ns,max_ns,idle_ns,"
	     "in_request_ns,requests,lossy");
	for (uint32_t i = 0; i < e->nwin; i++) {
		const struct ana_window *x = &e->win[i];

		s_(w, ana_fmt_wall(b, sizeof(b), e->win_base + i * e->win_width));
		u_(w, e->win_width);
		u_(w, x->h.count);
		u_(w, x->errors);
		u_(w, x->h.total);
		u_(w, ana_hist_quantile(&x->h, .5));
		u_(w, ana_hist_quantile(&x->h, .99));
		u_(w, x->h.max);
		u_(w, x->idle_ns);
		u_(w, x->req_ns);
		u_(w, x->requests);
		u_(w, ana_window_lossy(e, i));
		eol(w);
	}
}

static void t_loss(struct cw *w, const struct ana_engine *e)
{
	char b[48];

	head(w, "file,source,cpu,start,end,count");
	for (uint32_t i = 0; i < e->nloss; i++) {
		const struct ana_loss_win *l = &e->loss[i];

		u_(w, l->file);
		s_(w, ana_loss_source_name(l->source));
		i_(w, l->cpu == UINT32_MAX ? -1 : (int64_t)l->cpu);
		s_(w, ana_fmt_wall(b, sizeof(b), ana_engine_wall(e, l->file, l->start)));
		s_(w, ana_fmt_wall(b, sizeof(b), ana_engine_wall(e, l->file, l->end)));
		u_(w, l->count);
		eol(w);
	}
}

static void t_stacks(struct cw *w, const struct ana_engine *e)
{
	ana_stacks_report_csv(w->f, e);
}

int ana_report_csv(const struct ana_engine *e, FILE *f, const char *table)
{
	static void (*const fns[])(struct cw *, const struct ana_engine *) = {
		t_syscalls, t_categories, t_requests, t_hotspots, t_outliers, t_patterns,
		t_suggestions, t_processes, t_threads, t_fds, t_peers, t_windows, t_loss,
		t_stacks,
	};
	struct cw w = { f, true };

	for (int i = 0; ana_csv_tables[i]; i++) {
		if (!strcmp(table, ana_csv_tables[i])) {
			fns[i](&w, e);
			return ferror(f) ? -EIO : 0;
		}
	}
	return -EINVAL;
}

int ana_report_csv_dir(const struct ana_engine *e, const char *dir)
{
	char path[4096];
	int err = 0;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	for (int i = 0; ana_csv_tables[i] && !err; i++) {
		FILE *f;
		int fd;

		snprintf(path, sizeof(path), "%s/%s.csv", dir, ana_csv_tables[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		f = fdopen(fd, "w");
		if (!f) {
			close(fd);
			return -ENOMEM;
		}
		err = ana_report_csv(e, f, ana_csv_tables[i]);
		if (fclose(f) && !err)
			err = -EIO;
	}
	return err;
}
