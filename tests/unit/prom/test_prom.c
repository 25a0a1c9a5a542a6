// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/prom.h"
#include "tests/unit/analyze/util.h"

/* The exposition of e, NUL-terminated (free it). */
static char *render(const struct ana_engine *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(ana_report_prom(e, f), 0);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

/* The value of the sample line starting with series + " ", or -1. */
static double value_of(const char *text, const char *series)
{
	size_t n = strlen(series);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, series, n) && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	}
	return -1;
}

static uint64_t count_le(const uint64_t *v, uint64_t n, uint64_t lim)
{
	uint64_t k = 0;

	for (uint64_t i = 0; i < n; i++)
		k += v[i] <= lim;
	return k;
}

Test(prom_format, seconds_are_exact_decimals)
{
	char b[40];

	cr_assert_str_eq(ana_prom_seconds(b, sizeof(b), 0), "0");
	cr_assert_str_eq(ana_prom_seconds(b, sizeof(b), 100), "0.0000001");
	cr_assert_str_eq(ana_prom_seconds(b, sizeof(b), 1000000000), "1");
	cr_assert_str_eq(ana_prom_seconds(b, sizeof(b), 1500000000), "1.5");
	cr_assert_str_eq(ana_prom_seconds(b, sizeof(b), 10000000001ull), "10.000000001");
	cr_assert_str_eq(ana_prom_seconds(b, sizeof(b), UINT64_MAX), "18446744073.709551615");
}

Test(prom_format, ladder_is_1_2_5_from_100ns_to_10s)
{
	cr_assert_eq(ana_prom_bounds_ns[0], 100);
	cr_assert_eq(ana_prom_bounds_ns[ANA_PROM_NBOUNDS - 1], 10000000000ull);
	for (int i = 1; i < ANA_PROM_NBOUNDS; i++) {
		uint64_t a = ana_prom_bounds_ns[i - 1], b = ana_prom_bounds_ns[i];

		cr_assert(b * 2 == a * 5 || b == a * 2, "step %llu -> %llu",
			  (unsigned long long)a, (unsigned long long)b);
	}
}

/* Every value <= L is in le=L; the only extra values are those of the one
 * engine bucket straddling L, less than L * (1 + 1/128). */
Test(prom_format, ladder_counts_within_the_stated_bound)
{
	struct ana_hist h;
	uint64_t cum[ANA_PROM_NBOUNDS], *v, n = 200000, x = 88172645463325252ull;

	v = calloc(n, sizeof(*v));
	cr_assert_not_null(v);
	ana_hist_init(&h);
	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* log-uniform over 10 ns .. 40 s, plus exact bounds and bound + 1 */
		v[i] = (uint64_t)(10.0 * __builtin_powi(2.0, (int)(x % 32)) *
				  (1.0 + (double)((x >> 8) % 1000) / 1000.0));
		if (i % 50 == 0)
			v[i] = ana_prom_bounds_ns[(x >> 20) % ANA_PROM_NBOUNDS] + (i % 100 == 0);
		ana_hist_add1(&h, v[i]);
	}
	ana_prom_ladder(&h, cum);
	for (int j = 0; j < ANA_PROM_NBOUNDS; j++) {
		uint64_t l = ana_prom_bounds_ns[j];
		uint64_t lo = count_le(v, n, l), hi = count_le(v, n, l + l / 128);

		cr_assert(cum[j] >= lo && cum[j] <= hi, "le=%llu: %llu not in [%llu, %llu]",
			  (unsigned long long)l, (unsigned long long)cum[j],
			  (unsigned long long)lo, (unsigned long long)hi);
		if (j)
			cr_assert_geq(cum[j], cum[j - 1]);
	}
	cr_assert_leq(cum[ANA_PROM_NBOUNDS - 1], h.count);
	ana_hist_reset(&h);
	free(v);
}

/* Bounds below 128 ns and bounds whose next value starts an engine bucket
 * are exact: 100 and 200 ns are, 1 us (bucket [1000, 1004)) is not. */
Test(prom_format, ladder_exact_below_128ns)
{
	struct ana_hist h;
	uint64_t cum[ANA_PROM_NBOUNDS];

	ana_hist_init(&h);
	ana_hist_add(&h, 100, 3);
	ana_hist_add(&h, 101, 5);
	ana_hist_add(&h, 200, 7);
	ana_hist_add(&h, 201, 11);
	ana_prom_ladder(&h, cum);
	cr_assert_eq(cum[0], 3);
	cr_assert_eq(cum[1], 3 + 5 + 7);
	cr_assert_eq(cum[2], 26);
	ana_hist_reset(&h);
}

Test(prom_report, counts_sums_and_buckets_match_the_trace)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 100000, .threads = 3, .seed = 7 };
	struct tctx c;
	char *text, series[256];
	uint64_t all = 0;

	tctx_run(&c, &g, NULL);
	text = render(c.e);
	for (int i = 0; i < GEN_MAX_NAMES && c.truth.names[i]; i++) {
		const struct ana_sys *s = find_sys(c.e, c.truth.names[i]);
		const char *cat = syscalls_category_name(s->cat);
		uint64_t *d = c.truth.durs[i], n = c.truth.count[i];
		char le[40];

		snprintf(series, sizeof(series),
			 "ebpf_syscall_duration_seconds_count{syscall=\"%s\",category=\"%s\"}",
			 s->name, cat);
		cr_assert_eq(value_of(text, series), (double)n, "%s", series);
		snprintf(series, sizeof(series),
			 "ebpf_syscall_duration_seconds_sum{syscall=\"%s\",category=\"%s\"}",
			 s->name, cat);
		cr_assert_float_eq(value_of(text, series), (double)c.truth.total[i] / 1e9, 1e-6);
		for (int j = 0; j < ANA_PROM_NBOUNDS; j++) {
			uint64_t l = ana_prom_bounds_ns[j];
			double got;

			snprintf(series, sizeof(series), "ebpf_syscall_duration_seconds_bucket"
				 "{syscall=\"%s\",category=\"%s\",le=\"%s\"}", s->name, cat,
				 ana_prom_seconds(le, sizeof(le), l));
			got = value_of(text, series);
			cr_assert(got >= (double)count_le(d, n, l) &&
				  got <= (double)count_le(d, n, l + l / 128), "%s = %g", series, got);
		}
		snprintf(series, sizeof(series), "ebpf_syscall_duration_seconds_bucket"
			 "{syscall=\"%s\",category=\"%s\",le=\"+Inf\"}", s->name, cat);
		cr_assert_eq(value_of(text, series), (double)n);
		snprintf(series, sizeof(series), "ebpf_syscall_errors_total"
			 "{syscall=\"%s\",category=\"%s\",errno=\"EAGAIN\"}", s->name, cat);
		if (c.truth.errors[i])
			cr_assert_eq(value_of(text, series), (double)c.truth.errors[i], "%s", series);
		all += n;
	}
	cr_assert_eq(value_of(text, "ebpf_trace_events_total"), (double)c.truth.events);
	cr_assert_eq(all, c.truth.events);
	free(text);
	tctx_done(&c);
}

Test(prom_report, categories_sum_their_syscalls)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 30000, .threads = 2, .seed = 3 };
	uint64_t want[SC__COUNT] = { 0 };
	struct tctx c;
	char *text, series[128];

	tctx_run(&c, &g, NULL);
	text = render(c.e);
	/* a category holds the part of each syscall in it: read/write/close
	 * take their descriptor's category (docs/REPORT.md) */
	for (uint32_t i = 0; i < c.e->nsys; i++) {
		for (int k = 0; k < SC__COUNT; k++) {
			struct ana_sys_alt part;

			cr_assert_eq(ana_sys_cat_part(c.e->sys[i], k, &part), 0);
			want[k] += part.h.count;
			ana_hist_reset(&part.h);
		}
	}
	for (int k = 0; k < SC__COUNT; k++) {
		snprintf(series, sizeof(series),
			 "ebpf_category_duration_seconds_count{category=\"%s\"}",
			 syscalls_category_name(k));
		cr_assert_eq(value_of(text, series), want[k] ? (double)want[k] : -1, "%s", series);
	}
	free(text);
	tctx_done(&c);
}

Test(prom_report, requests_and_idle_time)
{
	struct gen_opts g = { .kind = GEN_EVLOOP, .requests = 500, .seed = 4 };
	struct tctx c;
	char *text;

	tctx_run(&c, &g, NULL);
	text = render(c.e);
	cr_assert_eq(value_of(text, "ebpf_request_duration_seconds_count"),
		     (double)c.truth.requests);
	cr_assert_eq(value_of(text, "ebpf_request_duration_seconds_bucket{le=\"+Inf\"}"),
		     (double)c.truth.requests);
	cr_assert_float_eq(value_of(text, "ebpf_syscall_time_seconds_total{state=\"idle\"}"),
			   (double)c.truth.idle_ns / 1e9, 1e-9);
	cr_assert_float_eq(value_of(text, "ebpf_syscall_time_seconds_total{state=\"request\"}"),
			   (double)c.truth.req_syscall_ns / 1e9, 1e-9);
	cr_assert_float_eq(value_of(text, "ebpf_request_latency_seconds{quantile=\"0.99\"}"),
			   (double)gen_quantile(c.truth.req_durs, c.truth.requests, 0.99) / 1e9,
			   (double)gen_quantile(c.truth.req_durs, c.truth.requests, 0.99) / 1e9 *
			   ANA_HIST_REL_ERROR + 1e-9);
	free(text);
	tctx_done(&c);
}

Test(prom_report, hostile_host_name_stays_inside_its_label)
{
	struct gen_opts g = { .kind = GEN_RANDOM, .events = 100, .threads = 1, .seed = 5,
			      .hostname = "a\"b\\c\nd}\xff" };
	struct tctx c;
	char *text;

	tctx_run(&c, &g, NULL);
	text = render(c.e);
	cr_assert_not_null(strstr(text, "ebpf_trace_info{host=\"a\\\"b\\\\c\\nd}\xef\xbf\xbd\","),
			   "%s", text);
	for (const char *p = text; *p; p = strchr(p, '\n') + 1) {
		cr_assert(*p == '#' || !strncmp(p, "ebpf_", 5), "stray line: %.40s", p);
		cr_assert_not_null(strchr(p, '\n'));
	}
	free(text);
	tctx_done(&c);
}

Test(prom_report, empty_engine_renders_valid_families)
{
	struct ana_opts o;
	struct ana_engine *e;
	char *text;

	ana_opts_init(&o);
	cr_assert_eq(ana_engine_new(&o, &e), 0);
	text = render(e);
	cr_assert_eq(value_of(text, "ebpf_trace_events_total"), 0);
	cr_assert_eq(value_of(text, "ebpf_request_duration_seconds_count"), 0);
	cr_assert_not_null(strstr(text, "ebpf_request_latency_seconds{quantile=\"0.5\"} NaN\n"));
	free(text);
	ana_engine_free(e);
}

Test(prom_file, replaces_atomically_and_leaves_no_temp)
{
	char dir[] = "/tmp/prom-test-XXXXXX", path[64], cmd[96];
	struct stat st;
	char *got;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	cr_assert_eq(ana_prom_write_buf(path, "old\n", 4), 0);
	cr_assert_eq(ana_prom_write_buf(path, "a 1\n", 4), 0);
	got = slurp(path, NULL);
	cr_assert_str_eq(got, "a 1\n");
	free(got);
	snprintf(path, sizeof(path), "%s/m.prom.tmp.%ld", dir, (long)getpid());
	cr_assert_neq(stat(path, &st), 0, "temp file left behind");
	snprintf(path, sizeof(path), "%s/missing/m.prom", dir);
	cr_assert_eq(ana_prom_write_buf(path, "x", 1), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}
