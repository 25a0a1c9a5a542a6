/* SPDX-License-Identifier: MIT */
/*
 * The writer's worker: sorts and encodes full event buffers, compresses each
 * payload as one independent zstd frame (content checksum on) and writes
 * each chunk with one write() loop. Runs on its own thread, or in the
 * caller in inline mode. Never touches the appending thread's state.
 */
#include "format/ebt_writer_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Payloads at most this big are stored uncompressed (a zstd frame would not
 * be smaller). */
#define STORE_BELOW 64u

int wio_write_full(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int grow(uint8_t **p, size_t *cap, size_t need)
{
	uint8_t *q;

	if (need <= *cap)
		return 0;
	q = realloc(*p, need);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = need;
	return 0;
}

int wio_init(struct ebt_writer *w, uint32_t chunk_events)
{
	uint32_t per = chunk_events < EBT_ENCODE_MAX_EVENTS ? chunk_events
							    : EBT_ENCODE_MAX_EVENTS;
	size_t raw = ebt_events_bound(per);
	int err;

	err = ebt_enc_new(chunk_events, &w->enc);
	if (err)
		return err;
	w->cctx = ZSTD_createCCtx();
	if (!w->cctx)
		return -ENOMEM;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel,
						w->o.level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_contentSizeFlag, 1)))
		return -EINVAL;
	if (w->o.reorder_ms) {
		w->hold_ns = (uint64_t)w->o.reorder_ms * 1000000u;
		w->held = malloc(sizeof(*w->held) * chunk_events);
		w->merged = malloc(sizeof(*w->merged) * 2 * (size_t)chunk_events);
		if (!w->held || !w->merged)
			return -ENOMEM;
	}
	err = grow(&w->raw, &w->raw_cap, raw);
	if (!err)
		err = grow(&w->out, &w->out_cap,
			   EBT_CHUNK_HDR_LEN + ZSTD_compressBound(raw) + 8);
	return err;
}

void wio_fini(struct ebt_writer *w)
{
	ebt_enc_free(w->enc);
	ZSTD_freeCCtx(w->cctx);
	free(w->raw);
	free(w->out);
	free(w->held);
	free(w->merged);
	ebt_buf_free(&w->index);
}

static void set_io_err(struct ebt_writer *w, int err)
{
	int zero = 0;

	atomic_compare_exchange_strong(&w->io_err, &zero, err);
}

static void add_index(struct ebt_writer *w, const struct ebt_chunk_hdr *h)
{
	uint8_t *e;

	if (w->index_full)
		return;
	if (w->index.len + EBT_FOOTER_ENTRY_LEN + EBT_FOOTER_TOTALS_LEN +
	    EBT_FOOTER_TAIL_LEN > EBT_MAX_CHUNK_BYTES ||
	    ebt_buf_reserve(&w->index, EBT_FOOTER_ENTRY_LEN)) {
		w->index_full = true;	/* the index is optional: drop it */
		return;
	}
	e = w->index.p + w->index.len;
	ebt_put_le64(e, w->offset);
	ebt_put_le64(e + 8, h->ts_min);
	ebt_put_le64(e + 16, h->ts_max);
	ebt_put_le32(e + 24, h->count);
	ebt_put_le16(e + 28, h->type);
	ebt_put_le16(e + 30, 0);
	w->index.len += EBT_FOOTER_ENTRY_LEN;
}

/*
 * Compresses (or stores) raw into w->out after a chunk header and writes the
 * chunk. After the first write error nothing more is written: a reader then
 * sees a clean torn tail instead of chunks after a hole.
 */
static int write_chunk(struct ebt_writer *w, struct ebt_chunk_hdr *h,
		       const uint8_t *raw, size_t raw_len, bool compress)
{
	uint8_t *payload = w->out + EBT_CHUNK_HDR_LEN;
	size_t stored = raw_len, total;
	int err;

	if (atomic_load(&w->io_err))
		return atomic_load(&w->io_err);
	err = grow(&w->out, &w->out_cap,
		   EBT_CHUNK_HDR_LEN + ZSTD_compressBound(raw_len) + 8);
	if (err)
		goto fail;
	payload = w->out + EBT_CHUNK_HDR_LEN;
	h->flags = EBT_CODEC_STORED;
	if (compress && raw_len > STORE_BELOW) {
		stored = ZSTD_compress2(w->cctx, payload, ZSTD_compressBound(raw_len),
					raw, raw_len);
		if (ZSTD_isError(stored)) {
			err = -EIO;
			goto fail;
		}
		h->flags = EBT_CODEC_ZSTD;
	}
	if (h->flags == EBT_CODEC_STORED || stored >= raw_len) {
		/* small or incompressible: a frame would only add bytes */
		h->flags = EBT_CODEC_STORED;
		stored = raw_len;
		memcpy(payload, raw, raw_len);
	}
	total = EBT_CHUNK_HDR_LEN + ebt_pad8(stored);
	memset(payload + stored, 0, ebt_pad8(stored) - stored);
	h->magic = EBT_CHUNK_MAGIC;
	h->stored_len = (uint32_t)stored;
	h->raw_len = (uint32_t)raw_len;
	h->seq = w->seq;
	h->payload_check = ebt_check32(payload, stored);
	h->reserved = 0;
	ebt_chunk_hdr_put(w->out, h);
	err = wio_write_full(w->fd, w->out, total);
	if (err)
		goto fail;
	add_index(w, h);
	w->seq++;
	w->offset += total;
	atomic_fetch_add(&w->st_chunks, 1);
	atomic_fetch_add(&w->st_raw, raw_len);
	atomic_store(&w->st_file, w->offset);
	return 0;
fail:
	set_io_err(w, err);
	return err;
}

/* Encodes and writes events [0, total) of ev, sorted by ebt_enc_sort(). */
static void write_sorted(struct ebt_writer *w, const struct ebt_event *ev, uint32_t total)
{
	uint32_t per = EBT_ENCODE_MAX_EVENTS;

	for (uint32_t from = 0; from < total; from += per) {
		uint32_t n = total - from < per ? total - from : per;
		struct ebt_chunk_hdr h = { .type = EBT_CHUNK_EVENTS, .count = n };
		size_t len;

		len = ebt_enc_encode(w->enc, ev, from, n, w->raw, &h.ts_min, &h.ts_max);
		if (write_chunk(w, &h, w->raw, len, true))
			break;
		atomic_fetch_add(&w->st_events, n);
		if (h.ts_min < w->ts_lo)
			w->ts_lo = h.ts_min;
		if (h.ts_max > w->ts_hi)
			w->ts_hi = h.ts_max;
	}
}

static inline uint64_t exit_of(const struct ebt_event *e)
{
	return e->enter_ns + e->duration_ns;
}

/* Writes the already sorted events [0, n) of ev in chunks of at most
 * chunk_events (the encoder's size). */
static void write_run(struct ebt_writer *w, const struct ebt_event *ev, uint32_t n)
{
	for (uint32_t from = 0; from < n; from += w->o.chunk_events) {
		uint32_t k = n - from < w->o.chunk_events ? n - from : w->o.chunk_events;

		ebt_enc_sort(w->enc, ev + from, k);	/* sorted: one pass */
		write_sorted(w, ev + from, k);
	}
}

/* First index in m[lo, hi) whose exit is > x (after: ties stay before). */
static uint32_t upper_bound(const struct ebt_event *m, uint32_t lo, uint32_t hi, uint64_t x)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (exit_of(&m[mid]) > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* First index in m[lo, hi) whose exit is >= x. */
static uint32_t lower_bound(const struct ebt_event *m, uint32_t lo, uint32_t hi, uint64_t x)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (exit_of(&m[mid]) >= x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * m[0, h) and m[h, h + n) are each sorted by exit: merges them in place,
 * the first run first on ties. Only the overlap moves (late events are few
 * and near the boundary); tmp holds at least h events.
 */
static void merge_runs(struct ebt_event *m, uint32_t h, uint32_t n, struct ebt_event *tmp)
{
	uint32_t p, q, i, j, out, na;

	if (!h || !n || exit_of(&m[h - 1]) <= exit_of(&m[h]))
		return;
	p = upper_bound(m, 0, h, exit_of(&m[h]));	/* first of run 1 that moves */
	q = lower_bound(m, h, h + n, exit_of(&m[h - 1]));	/* run 2 before q moves */
	na = h - p;
	memcpy(tmp, m + p, sizeof(*tmp) * na);
	for (i = 0, j = h, out = p; i < na && j < q; out++) {
		if (exit_of(&tmp[i]) <= exit_of(&m[j]))
			m[out] = tmp[i++];
		else
			m[out] = m[j++];
	}
	while (i < na)		/* run 2's rest (j..q) is already in place */
		m[out++] = tmp[i++];
}

/*
 * reorder_ms: the held events wait at the front of w->merged. The new
 * buffer goes after them in exit order and the two runs are merged; what
 * is older than the newest exit minus hold_ns is written, the rest (at
 * most chunk_events) moves to the front for the next buffer.
 */
static void run_held(struct ebt_writer *w, const struct ebt_event *ev, uint32_t n)
{
	uint32_t total = w->held_n + n, keep, cut;
	uint64_t limit;

	ebt_enc_sort(w->enc, ev, n);
	ebt_enc_gather(w->enc, ev, n, w->merged + w->held_n);
	merge_runs(w->merged, w->held_n, n, w->held);
	limit = total ? exit_of(&w->merged[total - 1]) : 0;
	limit = limit > w->hold_ns ? limit - w->hold_ns : 0;
	cut = upper_bound(w->merged, 0, total, limit);
	keep = total - cut;
	if (keep > w->o.chunk_events) {		/* faster than chunk_events per hold */
		keep = w->o.chunk_events;
		cut = total - keep;
	}
	write_run(w, w->merged, cut);
	memmove(w->merged, w->merged + cut, sizeof(*w->merged) * keep);
	w->held_n = keep;
	atomic_store(&w->st_held, keep);
}

/* Writes every held event (idle writer, or close). */
static void release_held(struct ebt_writer *w)
{
	write_run(w, w->merged, w->held_n);
	w->held_n = 0;
	atomic_store(&w->st_held, 0);
}

static void run_events(struct ebt_writer *w, const struct job *j)
{
	const struct ebt_event *ev = w->slots[j->slot];

	if (w->held) {
		run_held(w, ev, j->n);
		return;
	}
	ebt_enc_sort(w->enc, ev, j->n);
	write_sorted(w, ev, j->n);
}

static void run_meta(struct ebt_writer *w, const struct job *j)
{
	struct ebt_chunk_hdr h = { .type = EBT_CHUNK_META, .count = j->n };

	if (!write_chunk(w, &h, j->meta, j->meta_len, true))
		atomic_fetch_add(&w->st_records, j->n);
	free(j->meta);
}

bool wio_drain(struct ebt_writer *w)
{
	uint32_t tail = atomic_load_explicit(&w->jobs_tail, memory_order_relaxed);

	while (tail != atomic_load_explicit(&w->jobs_head, memory_order_acquire)) {
		struct job j = w->jobs[tail & w->jobs_mask];
		uint32_t fh;

		atomic_store_explicit(&w->jobs_tail, ++tail, memory_order_release);
		if (j.kind == JOB_STOP) {
			release_held(w);
			return false;
		}
		if (j.kind == JOB_META) {
			run_meta(w, &j);
			continue;
		}
		if (j.kind == JOB_RELEASE) {
			release_held(w);
			continue;
		}
		run_events(w, &j);
		fh = atomic_load_explicit(&w->free_head, memory_order_relaxed);
		w->free_ring[fh & w->free_mask] = j.slot;
		atomic_store_explicit(&w->free_head, fh + 1, memory_order_release);
	}
	return true;
}

void *wio_thread(void *arg)
{
	struct ebt_writer *w = arg;

	for (;;) {
		while (sem_wait(&w->wake) && errno == EINTR)
			;
		if (!wio_drain(w))
			break;
	}
	return NULL;
}

void wio_footer(struct ebt_writer *w)
{
	struct ebt_chunk_hdr h = { .type = EBT_CHUNK_FOOTER };
	size_t n = w->index_full ? 0 : w->index.len / EBT_FOOTER_ENTRY_LEN;
	size_t len = EBT_FOOTER_TOTALS_LEN + n * EBT_FOOTER_ENTRY_LEN + EBT_FOOTER_TAIL_LEN;
	uint8_t *p, *tail;

	if (grow(&w->raw, &w->raw_cap, len)) {
		set_io_err(w, -ENOMEM);
		return;
	}
	p = w->raw;
	ebt_put_le64(p, atomic_load(&w->st_events));
	ebt_put_le64(p + 8, atomic_load(&w->st_dropped));
	ebt_put_le64(p + 16, w->seq);
	ebt_put_le64(p + 24, w->ts_lo == UINT64_MAX ? 0 : w->ts_lo);
	ebt_put_le64(p + 32, w->ts_hi);
	ebt_put_le64(p + 40, n);
	if (n)
		memcpy(p + EBT_FOOTER_TOTALS_LEN, w->index.p, n * EBT_FOOTER_ENTRY_LEN);
	tail = p + len - EBT_FOOTER_TAIL_LEN;
	ebt_put_le64(tail, w->offset);
	ebt_put_le64(tail + 8, w->seq);
	ebt_put_le32(tail + 16, ebt_check32(tail, 16));
	ebt_put_le32(tail + 20, EBT_FOOTER_TAIL_MAGIC);
	h.count = (uint32_t)n;
	h.ts_min = w->ts_lo == UINT64_MAX ? 0 : w->ts_lo;
	h.ts_max = w->ts_hi;
	write_chunk(w, &h, p, len, false);
}
