// SPDX-License-Identifier: MIT
/* The Prometheus text exposition (0.0.4) of an engine; see docs/METRICS.md. */
#include "analyze/prom.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/engine.h"
#include "analyze/escape.h"
#include "analyze/report_util.h"
#include "analyze/units.h"

const uint64_t ana_prom_bounds_ns[ANA_PROM_NBOUNDS] = {
	100, 200, 500,
	1000, 2000, 5000,
	10000, 20000, 50000,
	100000, 200000, 500000,
	1000000, 2000000, 5000000,
	10000000, 20000000, 50000000,
	100000000, 200000000, 500000000,
	1000000000, 2000000000, 5000000000,
	10000000000,
};

static const double quantiles[] = { 0.5, 0.9, 0.99, 0.999 };
static const char *const quantile_names[] = { "0.5", "0.9", "0.99", "0.999" };

void ana_prom_ladder(const struct ana_hist *h, uint64_t *cum)
{
	uint32_t j = 0;

	memset(cum, 0, ANA_PROM_NBOUNDS * sizeof(*cum));
	for (uint32_t p = 0; p < ANA_HIST_PAGES && j < ANA_PROM_NBOUNDS; p++) {
		const uint64_t *pg = h->pages[p];

		if (!pg)
			continue;
		for (uint32_t i = 0; i < ANA_HIST_SUB; i++) {
			uint64_t low = ana_hist_bucket_low(p * ANA_HIST_SUB + i);

			if (!pg[i])
				continue;
			while (j < ANA_PROM_NBOUNDS && ana_prom_bounds_ns[j] < low)
				j++;
			if (j == ANA_PROM_NBOUNDS)
				break;
			cum[j] += pg[i];
		}
	}
	for (j = 1; j < ANA_PROM_NBOUNDS; j++)
		cum[j] += cum[j - 1];
}

const char *ana_prom_seconds(char *buf, size_t len, uint64_t ns)
{
	unsigned long long sec = ns / 1000000000ull, frac = ns % 1000000000ull;
	int n;

	if (!frac) {
		snprintf(buf, len, "%llu", sec);
		return buf;
	}
	n = snprintf(buf, len, "%llu.%09llu", sec, frac);
	while (n > 0 && (size_t)n < len && buf[n - 1] == '0')
		buf[--n] = 0;
	return buf;
}

/* Up to three label pairs; values are escaped on output. */
struct lbl {
	const char *k[3];
	const char *v[3];
	int n;
};

static void put_labels(FILE *f, const struct lbl *l, const char *xk, const char *xv)
{
	int n = 0;

	if ((!l || !l->n) && !xk)
		return;
	fputc('{', f);
	for (int i = 0; l && i < l->n; i++) {
		const char *v = l->v[i] ? l->v[i] : "";

		fprintf(f, "%s%s=\"", n++ ? "," : "", l->k[i]);
		ana_esc_prom(f, v, strlen(v));
		fputc('"', f);
	}
	if (xk) {
		fprintf(f, "%s%s=\"", n ? "," : "", xk);
		ana_esc_prom(f, xv, strlen(xv));
		fputc('"', f);
	}
	fputc('}', f);
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(FILE *f, const char *name, const struct lbl *l, uint64_t v)
{
	fputs(name, f);
	put_labels(f, l, NULL, NULL);
	fprintf(f, " %llu\n", (unsigned long long)v);
}

static void sample_sec(FILE *f, const char *name, const struct lbl *l, uint64_t ns)
{
	char b[40];

	fputs(name, f);
	put_labels(f, l, NULL, NULL);
	fprintf(f, " %s\n", ana_prom_seconds(b, sizeof(b), ns));
}

/* The _bucket, _sum and _count lines of one histogram series. */
static void hist_lines(FILE *f, const char *name, const struct lbl *l, const uint64_t *cum,
		       uint64_t count, uint64_t total_ns)
{
	char b[40];

	for (uint32_t j = 0; j < ANA_PROM_NBOUNDS; j++) {
		fprintf(f, "%s_bucket", name);
		put_labels(f, l, "le", ana_prom_seconds(b, sizeof(b), ana_prom_bounds_ns[j]));
		fprintf(f, " %llu\n", (unsigned long long)cum[j]);
	}
	fprintf(f, "%s_bucket", name);
	put_labels(f, l, "le", "+Inf");
	fprintf(f, " %llu\n%s_sum", (unsigned long long)count, name);
	put_labels(f, l, NULL, NULL);
	fprintf(f, " %s\n%s_count", ana_prom_seconds(b, sizeof(b), total_ns), name);
	put_labels(f, l, NULL, NULL);
	fprintf(f, " %llu\n", (unsigned long long)count);
}

static void hist_series(FILE *f, const char *name, const struct lbl *l, const struct ana_hist *h)
{
	uint64_t cum[ANA_PROM_NBOUNDS];

	ana_prom_ladder(h, cum);
	hist_lines(f, name, l, cum, h->count, h->total);
}

/* The summary form: percentiles of the engine's histogram (error <= 1/256),
 * cumulative since the start of the trace; NaN while empty. */
static void summary_series(FILE *f, const char *name, const struct lbl *l,
			   const struct ana_hist *h)
{
	char b[40];

	for (size_t i = 0; i < sizeof(quantiles) / sizeof(quantiles[0]); i++) {
		fputs(name, f);
		put_labels(f, l, "quantile", quantile_names[i]);
		if (!h->count)
			fputs(" NaN\n", f);
		else
			fprintf(f, " %s\n", ana_prom_seconds(b, sizeof(b),
							     ana_hist_quantile(h, quantiles[i])));
	}
	fprintf(f, "%s_sum", name);
	put_labels(f, l, NULL, NULL);
	fprintf(f, " %s\n%s_count", ana_prom_seconds(b, sizeof(b), h->total), name);
	put_labels(f, l, NULL, NULL);
	fprintf(f, " %llu\n", (unsigned long long)h->count);
}

static bool same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static void trace_info(FILE *f, const struct ana_engine *e)
{
	family(f, "ebpf_trace_info", "gauge",
	       "Facts about the recording (one series per distinct recorder), always 1.");
	for (uint32_t i = 0; i < e->nfiles; i++) {
		const struct ana_file *a = &e->files[i];
		struct lbl l = { { "host", "kernel", "arch" },
				 { a->hostname, a->kernel, a->arch }, 3 };
		bool dup = false;

		for (uint32_t k = 0; k < i && !dup; k++) {
			const struct ana_file *b = &e->files[k];

			dup = same(a->hostname, b->hostname) && same(a->kernel, b->kernel) &&
			      same(a->arch, b->arch) && same(a->recorder, b->recorder);
		}
		if (dup)
			continue;
		fputs("ebpf_trace_info", f);
		put_labels(f, &l, "recorder_version", a->recorder ? a->recorder : "");
		fputs(" 1\n", f);
	}
}

static void trace_counters(FILE *f, const struct ana_engine *e)
{
	struct ana_trace_sum t;
	uint64_t last = 0;
	bool closed = e->nfiles > 0;

	ana_trace_summary(e, &t);
	for (uint32_t i = 0; i < e->nfiles; i++) {
		const struct ana_file *a = &e->files[i];
		uint64_t w = a->have_ts ? ana_engine_wall(e, i, a->ts_last) : 0;

		closed = closed && a->footer_seen;
		if (w > last)
			last = w;
	}
	family(f, "ebpf_trace_events_total", "counter", "Syscall events read from the trace.");
	sample(f, "ebpf_trace_events_total", NULL, e->events);
	family(f, "ebpf_trace_events_analyzed_total", "counter",
	       "Events left after the --pid/--comm/--syscalls/--since filters.");
	sample(f, "ebpf_trace_events_analyzed_total", NULL, e->kept);
	family(f, "ebpf_trace_lost_events_total", "counter",
	       "Events the recorder lost (ring buffer full, writer pool full).");
	sample(f, "ebpf_trace_lost_events_total", NULL, t.lost);
	family(f, "ebpf_trace_damaged_events_total", "counter",
	       "Events in damaged chunks of the file, skipped.");
	sample(f, "ebpf_trace_damaged_events_total", NULL, t.damaged_events);
	family(f, "ebpf_trace_sample_every", "gauge",
	       "The recorder kept one syscall in N; counts below are scaled by N.");
	sample(f, "ebpf_trace_sample_every", NULL, t.sample_every);
	family(f, "ebpf_trace_closed", "gauge",
	       "1 once the recorder closed the trace cleanly (footer read).");
	sample(f, "ebpf_trace_closed", NULL, closed);
	family(f, "ebpf_trace_last_event_timestamp_seconds", "gauge",
	       "Wall-clock time of the newest event read, Unix seconds.");
	sample_sec(f, "ebpf_trace_last_event_timestamp_seconds", NULL, last);
}

static void syscall_hists(FILE *f, const struct ana_engine *e)
{
	family(f, "ebpf_syscall_duration_seconds", "histogram",
	       "Syscall latency by syscall; le within +1/128 of the bound (docs/METRICS.md).");
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];
		struct lbl l = { { "syscall", "category" },
				 { s->name, syscalls_category_name(s->cat) }, 2 };

		if (s->h.count)
			hist_series(f, "ebpf_syscall_duration_seconds", &l, &s->h);
	}
	family(f, "ebpf_syscall_latency_seconds", "summary",
	       "Syscall latency percentiles since the trace start (error <= 1/256).");
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];
		struct lbl l = { { "syscall", "category" },
				 { s->name, syscalls_category_name(s->cat) }, 2 };

		if (s->h.count)
			summary_series(f, "ebpf_syscall_latency_seconds", &l, &s->h);
	}
}

/* Category series are sums of the syscall ones, each event in its event
 * category (a read on a socket is network): works live. */
static void category_hists(FILE *f, const struct ana_engine *e)
{
	uint64_t cum[ANA_PROM_NBOUNDS], one[ANA_PROM_NBOUNDS];
	struct ana_sys_alt part;

	family(f, "ebpf_category_duration_seconds", "histogram",
	       "Syscall latency by category (file, network, ...).");
	for (int c = 0; c < SC__COUNT; c++) {
		struct lbl l = { { "category" }, { syscalls_category_name(c) }, 1 };
		uint64_t count = 0, total = 0;

		memset(cum, 0, sizeof(cum));
		for (uint32_t i = 0; i < e->nsys; i++) {
			const struct ana_sys *s = e->sys[i];
			const struct ana_hist *h = &s->h;

			if (!s->h.count || ((int)s->cat != c && !s->alt))
				continue;
			if (s->alt) {
				ana_sys_cat_part(s, c, &part);
				h = &part.h;
			}
			ana_prom_ladder(h, one);
			for (uint32_t j = 0; j < ANA_PROM_NBOUNDS; j++)
				cum[j] += one[j];
			count += h->count;
			total = total + h->total < total ? UINT64_MAX : total + h->total;
			if (s->alt)
				ana_hist_reset(&part.h);
		}
		if (count)
			hist_lines(f, "ebpf_category_duration_seconds", &l, cum, count, total);
	}
}

static void errors(FILE *f, const struct ana_engine *e)
{
	char b[32];

	family(f, "ebpf_syscall_errors_total", "counter",
	       "Syscalls that returned an error, by syscall and errno.");
	for (uint32_t i = 0; i < e->nsys; i++) {
		const struct ana_sys *s = e->sys[i];
		struct lbl l = { { "syscall", "category", "errno" },
				 { s->name, syscalls_category_name(s->cat), NULL }, 3 };
		uint64_t named = 0;

		if (!s->errors)
			continue;
		for (uint32_t no = 1; s->errnos && no < ANA_MAX_ERRNO; no++) {
			if (!s->errnos[no])
				continue;
			l.v[2] = ana_errno_name(b, sizeof(b), no);
			sample(f, "ebpf_syscall_errors_total", &l, s->errnos[no]);
			named += s->errnos[no];
		}
		l.v[2] = "other";
		if (s->errors > named)
			sample(f, "ebpf_syscall_errors_total", &l, s->errors - named);
	}
}

static void time_split(FILE *f, const struct ana_engine *e)
{
	struct lbl l = { { "state" }, { "idle" }, 1 };

	family(f, "ebpf_syscall_time_seconds_total", "counter",
	       "Time in syscalls: idle (waiting for work), request (inside a request),"
	       " unattributed (work outside any request).");
	sample_sec(f, "ebpf_syscall_time_seconds_total", &l, e->idle_ns);
	l.v[0] = "request";
	sample_sec(f, "ebpf_syscall_time_seconds_total", &l, e->attributed_ns);
	l.v[0] = "unattributed";
	sample_sec(f, "ebpf_syscall_time_seconds_total", &l, e->unattributed_ns);
}

static void requests(FILE *f, const struct ana_engine *e)
{
	family(f, "ebpf_request_duration_seconds", "histogram",
	       "Latency of the requests rebuilt from syscalls (closed requests only).");
	hist_series(f, "ebpf_request_duration_seconds", NULL, &e->req_h);
	family(f, "ebpf_request_latency_seconds", "summary",
	       "Request latency percentiles since the trace start (error <= 1/256).");
	summary_series(f, "ebpf_request_latency_seconds", NULL, &e->req_h);
	family(f, "ebpf_requests_incomplete_total", "counter",
	       "Requests closed by timeout, thread exit or the end of the trace.");
	sample(f, "ebpf_requests_incomplete_total", NULL, e->req_incomplete);
	family(f, "ebpf_requests_open", "gauge", "Requests still open (not in the histogram yet).");
	sample(f, "ebpf_requests_open", NULL, e->nlive);
}

int ana_report_prom(const struct ana_engine *e, FILE *f)
{
	trace_info(f, e);
	trace_counters(f, e);
	syscall_hists(f, e);
	category_hists(f, e);
	errors(f, e);
	time_split(f, e);
	requests(f, e);
	return ferror(f) ? -EIO : 0;
}

int ana_prom_write_buf(const char *path, const char *buf, size_t len)
{
	size_t plen = strlen(path) + 32;
	char *tmp = malloc(plen);
	int fd = -1, err = 0;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, plen, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		err = -errno;
	for (size_t off = 0; !err && off < len;) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (fd >= 0 && close(fd) && !err)
		err = -EIO;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err && fd >= 0)
		unlink(tmp);
	free(tmp);
	return err;
}

int ana_prom_write_file(const struct ana_engine *e, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	if (!f)
		return -ENOMEM;
	err = ana_report_prom(e, f);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (!err)
		err = ana_prom_write_buf(path, buf, len);
	free(buf);
	return err;
}
