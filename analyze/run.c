// SPDX-License-Identifier: MIT
/* Reading the inputs: chunk streams of several files merged by time. */
#include "analyze/analyze.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/engine.h"
#include "analyze/engine_sql.h"
#include "analyze/live.h"
#include "analyze/output.h"
#include "analyze/prom.h"
#include "analyze/spool.h"
#include "analyze/viz.h"
#include "common/log.h"

struct input {
	struct ebt_reader *r;
	struct ebt_chunk c;
	uint32_t idx;
	bool pending, done;
};

/* Fetches the next chunk of in; at the end or on an error the input is done. */
static void fetch(struct ana_engine *e, struct input *in)
{
	const char *w;
	int rc;

	rc = ebt_reader_next(in->r, &in->c);
	w = ebt_reader_warning(in->r);
	if (w)
		log_warn("%s: %s; skipped", e->files[in->idx].path, w);
	if (rc > 0) {
		in->pending = true;
		return;
	}
	if (rc < 0)
		log_warn("%s: %s (%s); analysing what was read",
			 e->files[in->idx].path, ebt_reader_errmsg(in->r), strerror(-rc));
	in->pending = false;
	in->done = true;
	ana_engine_file_info(e, in->idx, ebt_reader_info(in->r));
	if (rc < 0)
		e->files[in->idx].truncated = true;
}

/*
 * Metadata chunks are fed at once (they precede the events they describe);
 * among events chunks the one with the smallest ts_min goes next. Within a
 * file chunk order is kept, so per-thread order is the file's order.
 */
static int merge(struct ana_engine *e, struct input *in, uint32_t n)
{
	int err = 0;

	for (uint32_t i = 0; i < n; i++)
		fetch(e, &in[i]);
	for (;;) {
		struct input *best = NULL;

		for (uint32_t i = 0; i < n; i++) {
			if (!in[i].pending)
				continue;
			if (in[i].c.type != EBT_CHUNK_EVENTS) {
				best = &in[i];
				break;
			}
			if (!best || in[i].c.ts_min < best->c.ts_min)
				best = &in[i];
		}
		if (!best)
			return 0;
		err = ana_engine_chunk(e, best->idx, &best->c);
		if (err)
			return err;
		fetch(e, best);
	}
}

static int open_inputs(const struct ana_opts *o, struct ana_engine *e, struct input *in)
{
	int err = 0;

	for (uint32_t i = 0; i < o->ninputs && !err; i++) {
		err = ana_engine_add_file(e, o->inputs[i], &in[i].idx);
		if (!err)
			err = ebt_reader_open(ana_input_path(o, i), NULL, &in[i].r);
		if (err && in[i].r)
			log_error("cannot read %s: %s", o->inputs[i], ebt_reader_errmsg(in[i].r));
		else if (err == -EBADMSG || err == -ENOTSUP)
			log_error("cannot read %s: %s", o->inputs[i],
				  err == -EBADMSG ? "not an .ebt trace or damaged header"
						  : "made by a newer ebpf-record");
		else if (err)
			log_error("cannot open %s: %s", o->inputs[i], strerror(-err));
		if (!err)
			ana_engine_file_info(e, in[i].idx, ebt_reader_info(in[i].r));
	}
	return err;
}

int ana_analyze_files(const struct ana_opts *o, struct ana_engine **out)
{
	struct input *in = calloc(o->ninputs ? o->ninputs : 1, sizeof(*in));
	struct ana_engine *e = NULL;
	int err;

	if (!in)
		return -ENOMEM;
	err = ana_engine_new(o, &e);
	if (!err)
		err = open_inputs(o, e, in);
	if (!err && o->sqlite)
		err = ana_sqlsink_open(e);
	if (!err)
		err = merge(e, in, o->ninputs);
	if (!err)
		err = ana_engine_finish(e);
	if (e && e->sql) {
		int cerr = ana_sqlsink_close(e, !err);

		err = err ? err : cerr;
	}
	for (uint32_t i = 0; i < o->ninputs; i++)
		ebt_reader_close(in[i].r);
	free(in);
	if (err) {
		ana_engine_free(e);
		return err;
	}
	*out = e;
	return 0;
}

static int write_report(const struct ana_opts *o, const struct ana_engine *e, FILE *f)
{
	switch (o->report) {
	case ANA_REPORT_JSON:
		return ana_report_json(e, f);
	case ANA_REPORT_CSV:
		return ana_report_csv(e, f, "syscalls");
	case ANA_REPORT_PROM:
		return ana_report_prom(e, f);
	case ANA_REPORT_MD:
		return ana_report_text(e, f, true, false);
	default:
		return ana_report_text(e, f, false, o->use_color);
	}
}

int ana_run(const struct ana_opts *o)
{
	struct ana_engine *e = NULL;
	FILE *f = stdout;
	int err;

	if (o->report == ANA_REPORT_HTML || o->export_fmt != ANA_EXPORT_NONE)
		return ana_viz_run(o);
	err = ana_live_wanted(o) ? ana_live_analyze(o, &e) : ana_analyze_files(o, &e);
	if (err)
		return err;
	ana_output_warn_damage(e, "report");
	if (o->csv_dir) {
		err = ana_report_csv_dir(e, o->csv_dir);
		if (err)
			log_error("cannot write CSV files into %s: %s", o->csv_dir, strerror(-err));
		if (err || (o->report == ANA_REPORT_CSV && !o->output))
			goto out;
	}
	if (o->sqlite && !o->output && o->report == ANA_REPORT_TEXT && o->verbosity < 0)
		goto out;
	if (o->report == ANA_REPORT_PROM && o->output) {
		err = ana_prom_write_file(e, o->output);
		if (err)
			log_error("cannot write %s: %s", o->output, strerror(-err));
		goto out;
	}
	err = ana_output_open(o->output, &f);
	if (err)
		goto out;
	err = write_report(o, e, f);
	if (fflush(f) && !err)
		err = -EIO;
	if (f != stdout && fclose(f) && !err)
		err = -EIO;
	if (err)
		log_error("cannot write the report: %s", strerror(-err));
out:
	ana_engine_free(e);
	return err;
}
