/* SPDX-License-Identifier: MIT */
/*
 * requests.first_event_id / last_event_id: the events.id range that holds a
 * request's events, so that "a request's syscalls" is a rowid range read
 * (events.id is load order) instead of an index over events, whose sort cost
 * 0.3-0.6 us per event, a third of the whole load.
 *
 * A table keyed by request id holds the range of each request with events
 * but no row yet (live requests only: memory bounded like the analysis').
 * The engine writes a request's row when it closes the request, which can
 * happen while the event that closed it is being processed and before that
 * event is written: the range written therefore ends at the id the next
 * event will get, and the closed entry stays until that next event is in.
 * Whether an event's request is new or already written is told by a bitmap
 * of the request ids seen (the engine numbers requests 0, 1, ...: one bit per
 * request, 125 KiB per million). Anything else (an event for a request whose
 * row is written, other than the next one; a second row; an id past
 * SEEN_MAX) sets "broken": the loader then makes every range the whole table
 * and builds the events_by_request index after all, so lookups stay exact.
 */
#include "analyze/sqlite_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"

#define SLOT_EMPTY INT64_MIN
#define RANGES_MIN_CAP 1024
/* Ids past it (1 Gi requests: a 128 MiB bitmap) are not tracked. */
#define SEEN_MAX ((int64_t)1 << 30)

static size_t slot_of(const struct sql_ranges *g, int64_t id)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 32) & (g->cap - 1);
}

static struct sql_range *find(struct sql_ranges *g, int64_t id)
{
	size_t i;

	if (!g->cap)
		return NULL;
	for (i = slot_of(g, id); g->slot[i].id != SLOT_EMPTY; i = (i + 1) & (g->cap - 1)) {
		if (g->slot[i].id == id)
			return &g->slot[i];
	}
	return NULL;
}

static int grow(struct sql_ranges *g)
{
	size_t ncap = g->cap ? g->cap * 2 : RANGES_MIN_CAP, i, old = g->cap;
	struct sql_range *ns = alloc_array(ncap, sizeof(*ns)), *os = g->slot;

	if (!ns)
		return -ENOMEM;
	for (i = 0; i < ncap; i++)
		ns[i].id = SLOT_EMPTY;
	g->slot = ns;
	g->cap = ncap;
	for (i = 0; i < old; i++) {
		size_t j;

		if (os[i].id == SLOT_EMPTY)
			continue;
		for (j = slot_of(g, os[i].id); ns[j].id != SLOT_EMPTY; j = (j + 1) & (ncap - 1))
			;
		ns[j] = os[i];
	}
	free(os);
	return 0;
}

static int insert(struct sql_ranges *g, int64_t id, uint64_t event_id)
{
	size_t i;
	int err;

	if ((g->n + 1) * 2 > g->cap) {
		err = grow(g);
		if (err)
			return err;
	}
	for (i = slot_of(g, id); g->slot[i].id != SLOT_EMPTY; i = (i + 1) & (g->cap - 1))
		;
	g->slot[i] = (struct sql_range){ .id = id, .first = event_id, .last = event_id };
	g->n++;
	return 0;
}

/* Linear probing's deletion: later entries of the cluster move back. */
static void erase(struct sql_ranges *g, struct sql_range *r)
{
	size_t i = (size_t)(r - g->slot), j = i, k;

	for (;;) {
		j = (j + 1) & (g->cap - 1);
		if (g->slot[j].id == SLOT_EMPTY)
			break;
		k = slot_of(g, g->slot[j].id);
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			g->slot[i] = g->slot[j];
			i = j;
		}
	}
	g->slot[i].id = SLOT_EMPTY;
	g->n--;
}

/* Drops the requests closed before event next_id can still arrive. */
static void purge(struct sql_ranges *g, uint64_t next_id)
{
	size_t i;

	if (!g->nclosing || next_id == g->closing_at)
		return;
	for (i = 0; i < g->nclosing; i++) {
		struct sql_range *r = find(g, g->closing[i]);

		if (r)
			erase(g, r);
	}
	g->nclosing = 0;
}

int sql_ranges_event(struct ana_sql *s, int64_t req, uint64_t event_id)
{
	struct sql_ranges *g = &s->ranges;
	struct sql_range *r;

	purge(g, event_id);
	r = find(g, req);
	if (r) {
		if (r->closed && event_id != g->closing_at)
			g->broken = true;
		r->last = event_id;
		return 0;
	}
	if (req >= SEEN_MAX) {
		g->broken = true;
		return 0;
	}
	if (alloc_grow((void **)&g->seen, &g->seen_cap, (size_t)req / 8 + 1, 1))
		return sql_fail(s, SQLITE_NOMEM, "request ranges");
	if (g->seen[req / 8] & (1u << (req % 8))) {
		/* its row is written and its entry gone: a late event */
		g->broken = true;
		return 0;
	}
	g->seen[req / 8] |= (uint8_t)(1u << (req % 8));
	if (insert(g, req, event_id))
		return sql_fail(s, SQLITE_NOMEM, "request ranges");
	return 0;
}

int sql_ranges_close(struct ana_sql *s, int64_t req, uint64_t next_id, uint64_t *first,
		     uint64_t *last)
{
	struct sql_ranges *g = &s->ranges;
	struct sql_range *r;

	purge(g, next_id);
	r = find(g, req);
	if (r && r->closed) {
		/* a second row for one request */
		g->broken = true;
		return 0;
	}
	if (!r) {
		/* no event yet (an empty request): its range is the one event
		 * that may still come; any later one is found late by the bitmap */
		if (req < 0 || req >= SEEN_MAX) {
			g->broken = true;
			return 0;
		}
		if (alloc_grow((void **)&g->seen, &g->seen_cap, (size_t)req / 8 + 1, 1) ||
		    insert(g, req, next_id))
			return sql_fail(s, SQLITE_NOMEM, "request ranges");
		if (g->seen[req / 8] & (1u << (req % 8)))
			g->broken = true;
		g->seen[req / 8] |= (uint8_t)(1u << (req % 8));
		r = find(g, req);
	}
	*first = r->first;
	*last = next_id;
	r->closed = true;
	g->closing_at = next_id;
	if (alloc_grow((void **)&g->closing, &g->closing_cap, g->nclosing + 1,
		       sizeof(*g->closing)))
		return sql_fail(s, SQLITE_NOMEM, "request ranges");
	g->closing[g->nclosing++] = req;
	return 1;
}

void sql_ranges_init(struct sql_ranges *g)
{
	memset(g, 0, sizeof(*g));
}

void sql_ranges_free(struct sql_ranges *g)
{
	free(g->slot);
	free(g->closing);
	free(g->seen);
	sql_ranges_init(g);
}
