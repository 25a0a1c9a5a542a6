/* SPDX-License-Identifier: MIT */
/*
 * Log-linear (HDR-style) latency histogram. Values below 128 are counted
 * exactly; above, each power of two is split into 128 equal sub-buckets, so a
 * bucket's width is at most 1/128 of its lower bound. Percentiles report the
 * bucket midpoint (clamped to the exact min/max): the relative error of any
 * reported percentile is at most 1/256 (0.39%) of the true value.
 *
 * Buckets live in 1 KiB pages, one per power of two, allocated on first use:
 * a histogram costs what its value range needs. Merging adds counts bucket by
 * bucket and is exact (merge then query == query of the union).
 */
#ifndef ANALYZE_HIST_H
#define ANALYZE_HIST_H

#include <stdint.h>

#define ANA_HIST_SUB_BITS 7
#define ANA_HIST_SUB (1u << ANA_HIST_SUB_BITS)
#define ANA_HIST_PAGES (64 - ANA_HIST_SUB_BITS + 1)
/* The stated bound, for reports: |reported - true| <= true / 256. */
#define ANA_HIST_REL_ERROR (1.0 / 256.0)

struct ana_hist {
	uint64_t count;		/* weighted number of values */
	uint64_t total;		/* weighted sum (saturates) */
	uint64_t min, max;	/* exact; min is UINT64_MAX when empty */
	uint64_t oom;		/* values not bucketed for lack of memory or budget */
	uint64_t *budget;	/* pages this histogram may still take, shared by a
				 * family of histograms; NULL: no limit */
	uint64_t *pages[ANA_HIST_PAGES];
};

void ana_hist_init(struct ana_hist *h);
/* Frees the pages (back to the budget); h is empty afterwards, same budget. */
void ana_hist_reset(struct ana_hist *h);


/* Frees the buckets but keeps count, total, min and max (percentiles are
 * gone). */
void ana_hist_drop_buckets(struct ana_hist *h);

/* Adds value v with weight w (w copies of v). */
void ana_hist_add(struct ana_hist *h, uint64_t v, uint64_t w);

static inline uint32_t ana_hist_index(uint64_t v);

/* Adds one value whose bucket index (ana_hist_index(v)) the caller computed
 * once for several histograms. */
static inline void ana_hist_add1i(struct ana_hist *h, uint64_t v, uint32_t idx)
{
	uint64_t *pg = h->pages[idx / ANA_HIST_SUB];

	if (__builtin_expect(!pg || h->total + v < h->total, 0)) {
		ana_hist_add(h, v, 1);
		return;
	}
	h->count++;
	h->total += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	pg[idx % ANA_HIST_SUB]++;
}

/* Adds one value: the per-event fast path of ana_hist_add(h, v, 1). */
static inline void ana_hist_add1(struct ana_hist *h, uint64_t v)
{
	ana_hist_add1i(h, v, ana_hist_index(v));
}

/* dst -= src, where src holds a subset of the values added to dst: count,
 * total, oom and buckets (each floored at 0). min and max are left as they
 * are: the caller knows the remainder's. */
void ana_hist_sub(struct ana_hist *dst, const struct ana_hist *src);

/* dst += src, exactly. 0 or -ENOMEM (dst then misses some buckets). */
int ana_hist_merge(struct ana_hist *dst, const struct ana_hist *src);

/*
 * The value at quantile q in [0, 1]: the ceil(q * count)-th smallest value
 * (the smallest for q = 0), within the bound above. 0 when empty.
 */
uint64_t ana_hist_quantile(const struct ana_hist *h, double q);

uint64_t ana_hist_mean(const struct ana_hist *h);

/* Bucket index helpers, exposed for tests. */
static inline uint32_t ana_hist_index(uint64_t v)
{
	uint32_t e, shift;

	if (v < ANA_HIST_SUB)
		return (uint32_t)v;
	e = 63u - (uint32_t)__builtin_clzll(v);
	shift = e - ANA_HIST_SUB_BITS;
	return (shift + 1) * ANA_HIST_SUB + (uint32_t)((v >> shift) - ANA_HIST_SUB);
}
uint64_t ana_hist_bucket_low(uint32_t idx);
uint64_t ana_hist_bucket_width(uint32_t idx);

#endif
