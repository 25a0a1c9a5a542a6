// SPDX-License-Identifier: MIT
/* Lying traces stay within the caps and finish. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/analyze/util.h"

static uint64_t rng = 0x1234567;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void write_hostile(const char *path)
{
	struct ebt_writer_opts wo = { .inline_io = true, .overwrite = true };
	struct ebt_writer *w;
	char big[4000];

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	cr_assert_eq(ebt_writer_open(path, &wo, &w), 0);
	for (int i = 0; i < 3000; i++) {
		struct ebt_record r = { .kind = EBT_REC_FD };

		r.fd.event = EBT_FDE_OPEN;
		r.fd.kind = (uint32_t)(next() % 20);
		r.fd.pid = (uint32_t)(next() % 8);
		r.fd.fd = (int32_t)(next() % 100);
		r.fd.ts_ns = next();
		r.fd.path = ebt_str_c(big);
		r.fd.peer = ebt_str_c("\xff\xfe<script>");
		ebt_writer_add_record(w, &r);
		r = (struct ebt_record){ .kind = EBT_REC_TASK };
		r.task.kind = (uint32_t)(next() % 8);
		r.task.pid = (uint32_t)next();
		r.task.tid = (uint32_t)next();
		r.task.comm = ebt_str_c(big);
		ebt_writer_add_record(w, &r);
		r = (struct ebt_record){ .kind = EBT_REC_LOSS };
		r.loss.source = 1;
		r.loss.ts_start_ns = next();
		r.loss.ts_end_ns = next();
		r.loss.count = next() % 1000;
		ebt_writer_add_record(w, &r);
	}
	for (int i = 0; i < 300000; i++) {
		struct ebt_event ev = {
			.enter_ns = next() % (1ull << 40), .duration_ns = next() % (1ull << 30),
			.ret = (int64_t)next(), .arg0 = next() % 200000,
			.pid = (uint32_t)(next() % 100000), .tid = (uint32_t)next(),
			.nr = (uint32_t)next(), .flags = (uint32_t)next(),
		};

		cr_assert_eq(ebt_writer_append(w, &ev), 0);
	}
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
}

Test(analyze_hostile, random_ids_stay_within_caps, .timeout = 60)
{
	struct ana_opts o;
	struct ana_engine *e = NULL;
	char dir[] = "/tmp/ana-hostile-XXXXXX", path[64], cmd[96];
	FILE *devnull = fopen("/dev/null", "w");

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/h.ebt", dir);
	write_hostile(path);
	ana_opts_init(&o);
	o.inputs[0] = path;
	o.ninputs = 1;
	cr_assert_eq(ana_analyze_files(&o, &e), 0);
	cr_assert_eq(e->events, 300000);
	cr_assert(e->threads.n <= ANA_MAX_THREADS + 1);
	cr_assert(e->procs.n <= ANA_MAX_PROCS + 1);
	cr_assert(e->fds.n <= ANA_MAX_FDS);
	cr_assert(e->nsys <= ANA_MAX_SYS);
	cr_assert(e->npend <= ANA_MAX_PEND_TOTAL);
	cr_assert(e->nloss <= ANA_MAX_LOSS);
	cr_assert_eq(ana_report_json(e, devnull), 0);
	cr_assert_eq(ana_report_text(e, devnull, false, false), 0);
	cr_assert_eq(ana_report_text(e, devnull, true, false), 0);
	for (int t = 0; ana_csv_tables[t]; t++)
		cr_assert_eq(ana_report_csv(e, devnull, ana_csv_tables[t]), 0);
	ana_engine_free(e);
	fclose(devnull);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}
