// SPDX-License-Identifier: MIT
/* --follow and --listen: analysis of a growing trace, metrics as it goes. */
#include "analyze/live.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analyze/analyze.h"
#include "analyze/engine.h"
#include "analyze/engine_sql.h"
#include "analyze/http.h"
#include "analyze/prom.h"
#include "common/log.h"

#define POLL_NS 100000000ull		/* wait between reads at the end of the file */
#define PUBLISH_NS 250000000ull		/* snapshots at most this often while reading */
#define FILE_NS 1000000000ull		/* textfile rewrites at most this often */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct live {
	const struct ana_opts *o;
	struct ana_engine *e;
	struct ana_snap snap;
	struct ana_http *http;
	bool prom_file;		/* --report prometheus -o FILE: rewrite it live */
	bool file_warned;	/* the last rewrite failed and was reported */
	uint64_t pub_ns, file_ns;
	uint64_t pub_events, pub_chunks;
};

bool ana_live_wanted(const struct ana_opts *o)
{
	return o->follow || o->listen;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void nap(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	nanosleep(&ts, NULL);
}

/* Renders the figures so far into the snapshot and/or the textfile. */
static int publish(struct live *l, bool final)
{
	uint64_t now = now_ns();
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	l->pub_ns = now;
	l->pub_events = l->e->events;
	l->pub_chunks = l->e->chunk_no;
	if (!l->http && !l->prom_file)
		return 0;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	err = ana_report_prom(l->e, f);
	if (fclose(f) && !err)
		err = -ENOMEM;
	/* A failed rewrite is not fatal: the next one may work, and the end of
	 * the run writes the file again and reports its error then. */
	if (!err && l->prom_file && (final || now - l->file_ns >= FILE_NS)) {
		int werr = ana_prom_write_buf(l->o->output, buf, len);

		l->file_ns = now;
		if (werr && !l->file_warned)
			log_warn("cannot write %s: %s; will retry", l->o->output,
				 strerror(-werr));
		l->file_warned = werr != 0;
	}
	if (!err && l->http) {
		ana_snap_set(&l->snap, buf, len);
		buf = NULL;
	}
	free(buf);
	return err;
}

static bool changed(const struct live *l)
{
	return l->e->events != l->pub_events || l->e->chunk_no != l->pub_chunks;
}

/* Opens the trace, waiting for the recorder to create it; 0 with *out NULL
 * when a signal came first. */
static int open_follow(const char *path, struct ebt_reader **out)
{
	struct ebt_reader_opts ro = { .follow = true };
	bool said = false;
	struct stat st;
	int err;

	for (;;) {
		err = ebt_reader_open(path, &ro, out);
		if (!err)
			return 0;
		if (stop_requested) {
			*out = NULL;
			return 0;
		}
		if (err != -ENOENT && !(err == -EBADMSG && !stat(path, &st) && !st.st_size))
			return err;
		if (!said)
			log_info("waiting for %s to appear", path);
		said = true;
		nap(POLL_NS);
	}
}

static void reader_error(const char *path, struct ebt_reader *r, int err)
{
	if (r)
		log_error("cannot read %s: %s", path, ebt_reader_errmsg(r));
	else if (err == -EBADMSG || err == -ENOTSUP)
		log_error("cannot read %s: %s", path, ebt_reader_errmsg(NULL));
	else
		log_error("cannot open %s: %s", path, strerror(-err));
}

/* Feeds chunks until the footer, an error or a signal. 0 or -errno. */
static int follow_loop(struct live *l, uint32_t idx, struct ebt_reader *r)
{
	struct ebt_chunk c;
	const char *w;
	int rc, err = 0;

	while (!stop_requested && !err) {
		rc = ebt_reader_next(r, &c);
		w = ebt_reader_warning(r);
		if (w)
			log_warn("%s: %s; skipped", l->o->inputs[0], w);
		if (rc > 0) {
			err = ana_engine_chunk(l->e, idx, &c);
			if (!err && now_ns() - l->pub_ns >= PUBLISH_NS) {
				ana_engine_file_info(l->e, idx, ebt_reader_info(r));
				err = publish(l, false);
			}
			continue;
		}
		ana_engine_file_info(l->e, idx, ebt_reader_info(r));
		if (rc == 0)
			return 0;
		if (rc != -EAGAIN) {
			log_warn("%s: %s (%s); analysing what was read", l->o->inputs[0],
				 ebt_reader_errmsg(r), strerror(-rc));
			l->e->files[idx].truncated = true;
			return 0;
		}
		if (changed(l))
			err = publish(l, false);
		nap(POLL_NS);
	}
	if (stop_requested)
		log_info("stopped by a signal; reporting what was read");
	return err;
}

static int follow(struct live *l)
{
	const char *path = l->o->inputs[0];
	struct ebt_reader *r = NULL;
	uint32_t idx;
	int err;

	err = ana_engine_new(l->o, &l->e);
	if (!err)
		err = ana_engine_add_file(l->e, path, &idx);
	if (err)
		return err;
	err = open_follow(path, &r);
	if (err) {
		reader_error(path, r, err);
		return err;
	}
	if (!r)		/* a signal came before the file did */
		return ana_engine_finish(l->e);
	ana_engine_file_info(l->e, idx, ebt_reader_info(r));
	if (l->o->sqlite)
		err = ana_sqlsink_open(l->e);
	if (!err)
		err = publish(l, false);
	if (!err)
		err = follow_loop(l, idx, r);
	ebt_reader_close(r);
	if (!err)
		err = ana_engine_finish(l->e);
	if (l->e->sql) {
		int cerr = ana_sqlsink_close(l->e, !err);

		err = err ? err : cerr;
	}
	return err;
}

/* After the end: serve the final figures for --linger (or until a signal). */
static void linger(const struct live *l)
{
	const struct ana_opts *o = l->o;
	bool forever = !o->linger_set && !o->follow;
	uint64_t until = now_ns() + (uint64_t)o->linger_s * 1000000000ull;

	if (!l->http || (!forever && !o->linger_s))
		return;
	if (forever)
		log_info("serving the final metrics until SIGINT/SIGTERM");
	while (!stop_requested && (forever || now_ns() < until))
		nap(POLL_NS);
}

static int start_http(struct live *l)
{
	char err[256] = "";
	int rc;

	if (!l->o->listen)
		return 0;
	rc = ana_http_open(l->o->listen, NULL, &l->snap, &l->http, err, sizeof(err));
	if (rc) {
		log_error("%s", err);
		return rc;
	}
	if (log_get_level() >= LOG_WARN)	/* the status line, not a warning */
		fprintf(stderr, "ebpf-analyze: serving metrics on http://%s/metrics\n",
			ana_http_address(l->http));
	return 0;
}

int ana_live_analyze(const struct ana_opts *o, struct ana_engine **out)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct live l = { .o = o };
	int err;

	ana_snap_init(&l.snap);
	l.prom_file = o->follow && o->report == ANA_REPORT_PROM && o->output;
	stop_requested = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	err = start_http(&l);
	if (!err && o->follow)
		err = follow(&l);
	else if (!err)
		err = ana_analyze_files(o, &l.e);
	if (!err)
		err = publish(&l, true);
	if (!err)
		linger(&l);
	ana_http_close(l.http);
	ana_snap_fini(&l.snap);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (err) {
		ana_engine_free(l.e);
		return err;
	}
	*out = l.e;
	return 0;
}
