// SPDX-License-Identifier: MIT
#include "analyze/hist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ana_hist_init(struct ana_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void ana_hist_reset(struct ana_hist *h)
{
	uint64_t *budget = h->budget;

	for (uint32_t i = 0; i < ANA_HIST_PAGES; i++) {
		if (h->pages[i] && budget)
			(*budget)++;
		free(h->pages[i]);
	}
	ana_hist_init(h);
	h->budget = budget;
}

void ana_hist_drop_buckets(struct ana_hist *h)
{
	for (uint32_t i = 0; i < ANA_HIST_PAGES; i++) {
		if (h->pages[i] && h->budget)
			(*h->budget)++;
		free(h->pages[i]);
		h->pages[i] = NULL;
	}
	h->oom = h->count;
}

static uint64_t *new_page(struct ana_hist *h)
{
	uint64_t *p;

	if (h->budget && !*h->budget)
		return NULL;
	p = calloc(ANA_HIST_SUB, sizeof(*p));
	if (p && h->budget)
		(*h->budget)--;
	return p;
}

uint64_t ana_hist_bucket_low(uint32_t idx)
{
	uint32_t page = idx / ANA_HIST_SUB, sub = idx % ANA_HIST_SUB;

	if (page == 0)
		return sub;
	return ((uint64_t)ANA_HIST_SUB + sub) << (page - 1);
}

uint64_t ana_hist_bucket_width(uint32_t idx)
{
	uint32_t page = idx / ANA_HIST_SUB;

	return page == 0 ? 1 : (uint64_t)1 << (page - 1);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

static int add_bucket(struct ana_hist *h, uint32_t idx, uint64_t w)
{
	uint64_t *page = h->pages[idx / ANA_HIST_SUB];

	if (!page) {
		page = new_page(h);
		if (!page)
			return -ENOMEM;
		h->pages[idx / ANA_HIST_SUB] = page;
	}
	page[idx % ANA_HIST_SUB] += w;
	return 0;
}

void ana_hist_add(struct ana_hist *h, uint64_t v, uint64_t w)
{
	uint64_t t;

	h->count += w;
	if (__builtin_mul_overflow(v, w, &t))
		t = UINT64_MAX;
	h->total = sat_add(h->total, t);
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	if (add_bucket(h, ana_hist_index(v), w))
		h->oom += w;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void ana_hist_sub(struct ana_hist *dst, const struct ana_hist *src)
{
	dst->count = sub0(dst->count, src->count);
	dst->total = dst->total == UINT64_MAX ? dst->total : sub0(dst->total, src->total);
	dst->oom = sub0(dst->oom, src->oom);
	for (uint32_t p = 0; p < ANA_HIST_PAGES; p++) {
		if (!src->pages[p] || !dst->pages[p])
			continue;
		for (uint32_t i = 0; i < ANA_HIST_SUB; i++)
			dst->pages[p][i] = sub0(dst->pages[p][i], src->pages[p][i]);
	}
}

int ana_hist_merge(struct ana_hist *dst, const struct ana_hist *src)
{
	int err = 0;

	if (!src->count)
		return 0;
	dst->count += src->count;
	dst->total = sat_add(dst->total, src->total);
	dst->oom += src->oom;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	for (uint32_t p = 0; p < ANA_HIST_PAGES; p++) {
		const uint64_t *sp = src->pages[p];

		if (!sp)
			continue;
		if (!dst->pages[p]) {
			dst->pages[p] = new_page(dst);
			if (!dst->pages[p]) {
				/* counted, not bucketed */
				for (uint32_t i = 0; i < ANA_HIST_SUB; i++)
					dst->oom += sp[i];
				err = -ENOMEM;
				continue;
			}
		}
		for (uint32_t i = 0; i < ANA_HIST_SUB; i++)
			dst->pages[p][i] += sp[i];
	}
	return err;
}

static uint64_t clamp(const struct ana_hist *h, uint64_t v)
{
	if (v < h->min)
		return h->min;
	if (v > h->max)
		return h->max;
	return v;
}

uint64_t ana_hist_quantile(const struct ana_hist *h, double q)
{
	uint64_t rank, seen = 0, bucketed = h->count - h->oom;

	if (!h->count || !bucketed)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	rank = (uint64_t)ceil(q * (double)bucketed);
	if (rank < 1)
		rank = 1;
	for (uint32_t p = 0; p < ANA_HIST_PAGES; p++) {
		const uint64_t *pg = h->pages[p];

		if (!pg)
			continue;
		for (uint32_t i = 0; i < ANA_HIST_SUB; i++) {
			uint32_t idx = p * ANA_HIST_SUB + i;

			seen += pg[i];
			if (seen >= rank)
				return clamp(h, ana_hist_bucket_low(idx) +
						ana_hist_bucket_width(idx) / 2);
		}
	}
	return h->max;
}

uint64_t ana_hist_mean(const struct ana_hist *h)
{
	return h->count ? h->total / h->count : 0;
}
