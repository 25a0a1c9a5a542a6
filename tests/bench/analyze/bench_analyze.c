// SPDX-License-Identifier: MIT
/*
 * make bench (analyze part): events/s of the full JSON report on one core,
 * events/s of the SQLite load, and peak RSS of the analysis for a trace and
 * one 10x larger (memory must stay flat). Usage: bench-analyze [REQUESTS] [DIR]
 * (BENCH_ANALYZE_KEEP=1 keeps the generated traces)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/engine.h"
#include "common/parse.h"
#include "tests/unit/analyze/gen.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int make_trace(const char *path, uint64_t requests, uint64_t *events)
{
	struct gen_opts g = { .kind = GEN_THREADS, .requests = (uint32_t)requests,
			      .threads = 16, .seed = 42 };
	struct gen_truth t;
	int err = gen_trace(path, &g, &t);

	*events = t.events;
	gen_truth_free(&t);
	return err;
}

/* One analysis writing the JSON report (to /dev/null) and maybe SQLite. */
static int analyse(const char *trace, const char *sqlite, double *cpu)
{
	struct ana_opts o;
	struct ana_engine *e = NULL;
	FILE *f = fopen("/dev/null", "w");
	double c0 = cpu_s();
	int err;

	ana_opts_init(&o);
	o.inputs[0] = trace;
	o.ninputs = 1;
	o.sqlite = sqlite;
	o.force = true;
	err = ana_analyze_files(&o, &e);
	if (!err)
		err = ana_report_json(e, f);
	*cpu = cpu_s() - c0;
	ana_engine_free(e);
	fclose(f);
	return err;
}

/* Peak RSS (KiB) of a child doing one analysis. */
static long child_rss(const char *trace)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		double cpu;

		_exit(analyse(trace, NULL, &cpu) ? 1 : 0);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	uint64_t reqs = 300000, ev1 = 0, ev10 = 0;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	char t1[4096], t10[4096], db[4096];
	double cpu, sql_cpu, w0;
	long rss1, rss10;

	if (argc > 1 && parse_u64(argv[1], 1000, 100000000, &reqs)) {
		fprintf(stderr, "usage: bench-analyze [REQUESTS] [DIR]\n");
		return 2;
	}
	snprintf(t1, sizeof(t1), "%s/bench-analyze-1x.ebt", dir);
	snprintf(t10, sizeof(t10), "%s/bench-analyze-10x.ebt", dir);
	snprintf(db, sizeof(db), "%s/bench-analyze.db", dir);
	w0 = now_s();
	if (make_trace(t1, reqs, &ev1) || make_trace(t10, reqs * 10, &ev10)) {
		fprintf(stderr, "bench-analyze: cannot generate traces in %s\n", dir);
		return 1;
	}
	fprintf(stderr, "generated %llu + %llu events in %.1f s\n", (unsigned long long)ev1,
		(unsigned long long)ev10, now_s() - w0);
	if (analyse(t10, NULL, &cpu) || analyse(t1, db, &sql_cpu))
		return 1;
	rss1 = child_rss(t1);
	rss10 = child_rss(t10);
	printf("analyze: JSON report   %8.1f M events/s on one core (%llu events, %.2f s CPU)"
	       "  target >= 20 M/s\n", (double)ev10 / cpu / 1e6, (unsigned long long)ev10, cpu);
	printf("analyze: SQLite load   %8.2f M events/s (%llu events, %.2f s CPU)"
	       "  target >= 1 M/s\n", (double)ev1 / sql_cpu / 1e6, (unsigned long long)ev1,
	       sql_cpu);
	printf("analyze: peak RSS      %ld KiB at 1x, %ld KiB at 10x (ratio %.2f)"
	       "  target: flat\n", rss1, rss10, rss1 > 0 ? (double)rss10 / (double)rss1 : 0);
	if (!getenv("BENCH_ANALYZE_KEEP")) {
		unlink(t1);
		unlink(t10);
	}
	unlink(db);
	return 0;
}
