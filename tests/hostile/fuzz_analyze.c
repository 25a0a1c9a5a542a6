// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the whole analysis: each input is an .ebt file. It
 * goes through ana_analyze_files() (reader, engine, requests, results) and
 * then every report writer: JSON, text, Markdown and each CSV table, to
 * /dev/null; one input in four also loads SQLite (a scratch database,
 * replaced each time). Warnings are silenced unless FUZZ_ANA_LOG is set.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/engine.h"
#include "common/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static FILE *null_out;
static char db_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz_analyze", getenv("FUZZ_ANA_LOG") ? LOG_DEBUG : LOG_QUIET);
	null_out = fopen("/dev/null", "w");
	snprintf(db_path, sizeof(db_path), "/tmp/fuzz_analyze.%d.db", (int)getpid());
	return null_out ? 0 : -1;
}

static void reports(const struct ana_engine *e)
{
	ana_report_json(e, null_out);
	ana_report_text(e, null_out, false, false);
	ana_report_text(e, null_out, true, false);
	ana_report_text(e, null_out, false, true);
	for (int i = 0; ana_csv_tables[i]; i++)
		ana_report_csv(e, null_out, ana_csv_tables[i]);
	fflush(null_out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ana_engine *e = NULL;
	struct ana_opts o;
	char path[64];
	int fd = memfd_create("fuzz.ebt", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ana_opts_init(&o);
	o.inputs[0] = path;
	o.ninputs = 1;
	o.top = 5;
	o.slow_threshold_ns = size % 3 ? 0 : 1000;
	o.requests = (enum ana_req_method)(size % 4);
	if (size % 4 == 0) {
		unlink(db_path);
		o.sqlite = db_path;
		o.force = true;
	}
	if (!ana_analyze_files(&o, &e)) {
		reports(e);
		ana_engine_free(e);
	}
	ana_opts_free(&o);
	close(fd);
	return 0;
}
