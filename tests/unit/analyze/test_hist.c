// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdlib.h>

#include "analyze/hist.h"
#include "tests/unit/analyze/gen.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void within_bound(uint64_t got, uint64_t want)
{
	double err = want ? ((double)got - (double)want) / (double)want : (double)got;

	cr_assert(err <= ANA_HIST_REL_ERROR && err >= -ANA_HIST_REL_ERROR,
		  "got %llu want %llu (rel %g)", (unsigned long long)got,
		  (unsigned long long)want, err);
}

Test(analyze_hist, small_values_are_exact)
{
	struct ana_hist h;

	ana_hist_init(&h);
	for (uint64_t v = 0; v < 128; v++)
		ana_hist_add(&h, v, 1);
	cr_assert_eq(ana_hist_quantile(&h, 0.5), 63);
	cr_assert_eq(ana_hist_quantile(&h, 0.99), 126);
	cr_assert_eq(h.min, 0);
	cr_assert_eq(h.max, 127);
	cr_assert_eq(h.total, 127 * 128 / 2);
	ana_hist_reset(&h);
}

Test(analyze_hist, bucket_bounds_hold_every_value)
{
	for (int i = 0; i < 100000; i++) {
		uint64_t v = next() >> (next() % 64);
		uint32_t idx = ana_hist_index(v);
		uint64_t lo = ana_hist_bucket_low(idx), w = ana_hist_bucket_width(idx);

		cr_assert(v >= lo && v - lo < w, "v %llu idx %u", (unsigned long long)v, idx);
		cr_assert(w == 1 || (double)w / (double)lo <= 1.0 / ANA_HIST_SUB);
	}
	cr_assert_eq(ana_hist_index(UINT64_MAX) / ANA_HIST_SUB, ANA_HIST_PAGES - 1);
}

/* The edges of every page: 2^k - 1, 2^k, 2^k + 1, and all values < 1024. */
Test(analyze_hist, index_at_every_power_of_two)
{
	uint32_t prev = 0;

	for (uint64_t v = 0; v < 1024; v++) {
		uint32_t idx = ana_hist_index(v);

		cr_assert(v >= ana_hist_bucket_low(idx) &&
			  v - ana_hist_bucket_low(idx) < ana_hist_bucket_width(idx), "v %llu",
			  (unsigned long long)v);
		cr_assert(idx == prev || idx == prev + 1, "v %llu: index %u after %u",
			  (unsigned long long)v, idx, prev);
		prev = idx;
	}
	for (int k = 7; k < 64; k++) {
		uint64_t p = 1ull << k;
		const uint64_t vs[] = { p - 1, p, p + 1, p | (p >> 1), p + (p - 1) };

		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
			uint32_t idx = ana_hist_index(vs[i]);
			uint64_t lo = ana_hist_bucket_low(idx);

			cr_assert(vs[i] >= lo && vs[i] - lo < ana_hist_bucket_width(idx),
				  "v %llu idx %u", (unsigned long long)vs[i], idx);
		}
		cr_assert_eq(ana_hist_index(p), (uint32_t)(k - 6) * ANA_HIST_SUB, "2^%d", k);
	}
}

Test(analyze_hist, quantiles_within_bound_of_brute_force)
{
	const uint64_t n = 200000;
	uint64_t *v = malloc(n * sizeof(*v));
	const double qs[] = { 0.5, 0.9, 0.99, 0.999 };
	struct ana_hist h;

	cr_assert_not_null(v);
	ana_hist_init(&h);
	for (uint64_t i = 0; i < n; i++) {
		v[i] = 100 + (next() % 1000) * (1 + next() % 100000);
		ana_hist_add(&h, v[i], 1);
	}
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		within_bound(ana_hist_quantile(&h, qs[i]), gen_quantile(v, n, qs[i]));
	cr_assert_eq(h.count, n);
	free(v);
	ana_hist_reset(&h);
}

Test(analyze_hist, merge_is_exact)
{
	struct ana_hist a, b, all;

	ana_hist_init(&a);
	ana_hist_init(&b);
	ana_hist_init(&all);
	for (int i = 0; i < 50000; i++) {
		uint64_t v = next() % 10000000;

		ana_hist_add(i % 3 ? &a : &b, v, 1);
		ana_hist_add(&all, v, 1);
	}
	cr_assert_eq(ana_hist_merge(&a, &b), 0);
	cr_assert_eq(a.count, all.count);
	cr_assert_eq(a.total, all.total);
	cr_assert_eq(a.min, all.min);
	cr_assert_eq(a.max, all.max);
	for (double q = 0.01; q < 1; q += 0.01)
		cr_assert_eq(ana_hist_quantile(&a, q), ana_hist_quantile(&all, q));
	ana_hist_reset(&a);
	ana_hist_reset(&b);
	ana_hist_reset(&all);
}

Test(analyze_hist, weights_scale_counts)
{
	struct ana_hist h;

	ana_hist_init(&h);
	ana_hist_add(&h, 1000, 10);
	ana_hist_add(&h, 5, 1);
	cr_assert_eq(h.count, 11);
	cr_assert_eq(h.total, 10005);
	cr_assert_eq(ana_hist_quantile(&h, 0.05), 5);
	within_bound(ana_hist_quantile(&h, 0.5), 1000);
	ana_hist_reset(&h);
}
