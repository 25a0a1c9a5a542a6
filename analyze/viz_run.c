// SPDX-License-Identifier: MIT
/* Driver of --report html and --export: the sink wired into the analysis. */
#include "analyze/viz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/output.h"
#include "common/log.h"

#define CAPTURE_MAX 20		/* slowest requests drawn with their syscalls */

static int req_cmp(const void *pa, const void *pb)
{
	const struct ana_req *a = pa, *b = pb;
	uint64_t da = a->end_ts - a->start_ts, db = b->end_ts - b->start_ts;

	if (da != db)
		return da < db ? 1 : -1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The slowest requests of e as capture slots of v. 0 or -ENOMEM. */
static int pick_requests(struct ana_viz *v, const struct ana_engine *e)
{
	struct ana_req *tmp = calloc(e->nslowest ? e->nslowest : 1, sizeof(*tmp));
	uint32_t n = e->nslowest < CAPTURE_MAX ? e->nslowest : CAPTURE_MAX;
	int err = 0;

	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, e->slowest, e->nslowest * sizeof(*tmp));
	qsort(tmp, e->nslowest, sizeof(*tmp), req_cmp);
	v->reqs = calloc(n ? n : 1, sizeof(*v->reqs));
	if (!v->reqs)
		err = -ENOMEM;
	for (uint32_t i = 0; !err && i < n; i++) {
		v->reqs[i].r = tmp[i];
		v->reqs[i].r.lnext = v->reqs[i].r.lprev = NULL;
		v->reqs[i].ev = calloc(ANA_VIZ_CAP_EVENTS, sizeof(struct ana_viz_ev));
		if (!v->reqs[i].ev)
			err = -ENOMEM;
		v->nreqs = i + 1;
	}
	free(tmp);
	return err;
}

/* Second pass: the same analysis (so the same request ids) with only the
 * capture on; the captured syscalls move into v. */
static int capture_pass(const struct ana_opts *o, struct ana_viz *v,
			const struct ana_engine *e)
{
	struct ana_opts co = *o;
	struct ana_engine *e2 = NULL;
	struct ana_viz *cv = NULL;
	int err;

	err = ana_viz_new(ANA_VIZ_CAPTURE, &cv);
	if (!err)
		err = pick_requests(cv, e);
	co.viz = cv;
	co.sqlite = NULL;
	co.verbosity = -1;
	if (!err && cv->nreqs)
		err = ana_analyze_files(&co, &e2);
	ana_engine_free(e2);
	if (!err) {
		v->reqs = cv->reqs;
		v->nreqs = cv->nreqs;
		cv->reqs = NULL;
		cv->nreqs = 0;
	}
	ana_viz_free(cv);
	return err;
}

static int write_out(const struct ana_opts *o, struct ana_viz *v, const struct ana_engine *e,
		     FILE *f)
{
	int err;

	if (o->export_fmt == ANA_EXPORT_PERFETTO)
		return ana_pf_finish(v, e);
	ana_viz_sort_leaves(v, e);
	if (o->export_fmt == ANA_EXPORT_FOLDED)
		return ana_folded_write(v, e, f);
	err = capture_pass(o, v, e);
	if (err)
		log_warn("slowest requests drawn without their syscalls: %s", strerror(-err));
	return ana_report_html(v, e, f);
}

int ana_viz_run(const struct ana_opts *o)
{
	struct ana_opts vo = *o;
	struct ana_engine *e = NULL;
	struct ana_viz *v = NULL;
	FILE *f = stdout;
	int err;

	err = ana_viz_new(o->export_fmt == ANA_EXPORT_PERFETTO ? 0 : ANA_VIZ_FLAME, &v);
	if (!err)
		err = ana_output_open(o->output, &f);
	if (!err && o->export_fmt == ANA_EXPORT_PERFETTO)
		err = ana_pf_begin(v, f, o->max_events);
	vo.viz = v;
	if (!err)
		err = ana_analyze_files(&vo, &e);
	if (!err) {
		ana_output_warn_damage(e, "output");
		if (o->csv_dir)
			err = ana_report_csv_dir(e, o->csv_dir);
		if (err)
			log_error("cannot write CSV files into %s: %s", o->csv_dir,
				  strerror(-err));
	}
	if (!err) {
		err = write_out(o, v, e, f);
		if (fflush(f) && !err)
			err = -EIO;
		if (err)
			log_error("cannot write the output: %s", strerror(-err));
	}
	if (f != stdout && fclose(f) && !err)
		err = -EIO;
	if (err && f != stdout)
		unlink(o->output);	/* no half-written JSON or page left behind */
	ana_engine_free(e);
	ana_viz_free(v);
	return err;
}
