// SPDX-License-Identifier: MIT
/*
 * Raw-crafted files (bytes per docs/FORMAT.md, bypassing the writer's
 * rules): zstd frames that expand beyond their declared size, chunk headers
 * claiming huge lengths or counts, and chunks repeated many times. Headers
 * and checks are valid, so the reader gets as far as the lie.
 */
#include "tests/hostile/hostile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "format/ebt_internal.h"

#define T0 1000000000ull
#define BIG (64u << 20)		/* EBT_MAX_CHUNK_BYTES */

struct raw {
	FILE *f;
	uint64_t seq;
	int err;
};

static int raw_open(struct raw *w, const char *path)
{
	uint8_t hdr[EBT_HEADER_LEN] = { 0 };

	memset(w, 0, sizeof(*w));
	w->f = fopen(path, "wb");
	if (!w->f)
		return -errno;
	memcpy(hdr, EBT_SIGNATURE, EBT_SIG_LEN);
	ebt_put_le16(hdr + 8, EBT_VERSION_MAJOR);
	ebt_put_le16(hdr + 10, EBT_VERSION_MINOR);
	ebt_put_le32(hdr + 12, EBT_HEADER_LEN);
	memset(hdr + 32, 0x5a, 16);
	ebt_put_le64(hdr + 48, 1795000000000000000ull);
	ebt_put_le32(hdr + 56, 7);
	ebt_put_le32(hdr + 60, ebt_header_check(hdr, EBT_HEADER_LEN));
	if (fwrite(hdr, 1, sizeof(hdr), w->f) != sizeof(hdr))
		w->err = -EIO;
	return w->err;
}

/* Writes one chunk: header fields as given (checks computed), payload, and
 * padding. stored bytes of p are written, whatever stored_len claims. */
static void raw_chunk(struct raw *w, struct ebt_chunk_hdr h, const void *p, size_t stored)
{
	static const uint8_t zero[8];
	uint8_t buf[EBT_CHUNK_HDR_LEN];

	if (w->err)
		return;
	h.magic = EBT_CHUNK_MAGIC;
	h.payload_check = ebt_check32(p, stored);
	ebt_chunk_hdr_put(buf, &h);
	if (fwrite(buf, 1, sizeof(buf), w->f) != sizeof(buf) ||
	    fwrite(p, 1, stored, w->f) != stored ||
	    fwrite(zero, 1, ebt_pad8(stored) - stored, w->f) != ebt_pad8(stored) - stored)
		w->err = -EIO;
	w->seq++;
}

static int raw_close(struct raw *w)
{
	if (fclose(w->f) && !w->err)
		w->err = -errno;
	return w->err;
}

/* One zstd frame of raw[0, n); content size written only if with_size. */
static int zframe(const void *raw, size_t n, bool with_size, void **out, size_t *len)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(n), r;
	void *p = malloc(cap);

	if (!c || !p) {
		ZSTD_freeCCtx(c);
		free(p);
		return -ENOMEM;
	}
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, with_size);
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1);
	r = ZSTD_compress2(c, p, cap, raw, n);
	ZSTD_freeCCtx(c);
	if (ZSTD_isError(r)) {
		free(p);
		return -EIO;
	}
	*out = p;
	*len = r;
	return 0;
}

/* A META payload: FILE_INFO/CLOCK/SYSCALL/TASK records. */
static int meta_payload(struct ebt_buf *b)
{
	struct ebt_record r[5];
	int err = 0;

	memset(r, 0, sizeof(r));
	r[0].kind = EBT_REC_FILE_INFO;
	r[0].kv = (struct ebt_kv){ ebt_str_c("abi"), ebt_str_c("x86_64") };
	r[1].kind = EBT_REC_FILE_INFO;
	r[1].kv = (struct ebt_kv){ ebt_str_c("hostname"), ebt_str_c("rawhost") };
	r[2].kind = EBT_REC_CLOCK;
	r[2].clock = (struct ebt_clock){ T0, T0, T0, 1795000000000000000ull, 5 };
	r[3].kind = EBT_REC_SYSCALL;
	r[3].sys = (struct ebt_syscall_name){ 0, ebt_str_c("x86_64"), ebt_str_c("read") };
	r[4].kind = EBT_REC_TASK;
	r[4].task = (struct ebt_task){ .kind = EBT_TASK_SNAPSHOT, .pid = 77, .tid = 77,
				       .comm = ebt_str_c("rawproc") };
	for (int i = 0; i < 5 && !err; i++)
		err = ebt_record_encode(b, &r[i]);
	return err;
}

static void put_meta(struct raw *w)
{
	struct ebt_buf b = { 0 };

	w->err = w->err ? w->err : meta_payload(&b);
	raw_chunk(w, (struct ebt_chunk_hdr){ .type = EBT_CHUNK_META, .stored_len = b.len,
					     .raw_len = b.len, .seq = w->seq, .count = 5 },
		  b.p, b.len);
	ebt_buf_free(&b);
}

/* n read events of pid 77 from t0, encoded as one EVENTS payload. */
static int events_payload(uint32_t n, uint64_t t0, uint8_t **out, size_t *len,
			  uint64_t *lo, uint64_t *hi)
{
	struct ebt_event *ev = calloc(n, sizeof(*ev));
	uint8_t *p = malloc(ebt_events_bound(n));
	struct ebt_enc *e = NULL;
	int err = ev && p ? ebt_enc_new(n, &e) : -ENOMEM;

	for (uint32_t i = 0; !err && i < n; i++)
		ev[i] = hev(t0 + 1000ull * i, 100 + i % 50, 1, 3, 77, 77, NR_READ);
	if (!err) {
		ebt_enc_sort(e, ev, n);
		*len = ebt_enc_encode(e, ev, 0, n, p, lo, hi);
		*out = p;
		p = NULL;
	}
	ebt_enc_free(e);
	free(ev);
	free(p);
	return err;
}

/* A valid zstd EVENTS chunk of n events. */
static void put_events(struct raw *w, uint32_t n, uint64_t t0)
{
	uint8_t *p = NULL;
	void *z = NULL;
	size_t len = 0, zlen = 0;
	uint64_t lo = 0, hi = 0;

	if (!w->err)
		w->err = events_payload(n, t0, &p, &len, &lo, &hi);
	if (!w->err)
		w->err = zframe(p, len, true, &z, &zlen);
	raw_chunk(w, (struct ebt_chunk_hdr){ .type = EBT_CHUNK_EVENTS, .flags = EBT_CODEC_ZSTD,
					     .stored_len = zlen, .raw_len = len, .seq = w->seq,
					     .ts_min = lo, .ts_max = hi, .count = n }, z, zlen);
	free(p);
	free(z);
}

/* A zstd chunk of type whose frame holds content (n bytes) but whose
 * header declares raw_len. */
static void put_bomb(struct raw *w, uint16_t type, const void *content, size_t n,
		     uint32_t raw_len, uint32_t count, bool with_size)
{
	void *z = NULL;
	size_t zlen = 0;

	if (!w->err)
		w->err = zframe(content, n, with_size, &z, &zlen);
	raw_chunk(w, (struct ebt_chunk_hdr){ .type = type, .flags = EBT_CODEC_ZSTD,
					     .stored_len = zlen, .raw_len = raw_len,
					     .seq = w->seq, .ts_min = T0, .ts_max = T0 + 1,
					     .count = count }, z, zlen);
	free(z);
}

/* 64 MiB of META records (FILE_INFO with a 64-byte value) and their count. */
static uint8_t *big_meta(size_t *len, uint32_t *count)
{
	struct ebt_buf b = { 0 };
	struct ebt_record r = { .kind = EBT_REC_FILE_INFO };
	char v[65];

	memset(v, 'v', 64);
	v[64] = '\0';
	r.kv = (struct ebt_kv){ ebt_str_c("k"), ebt_str_c(v) };
	*count = 0;
	while (b.len + 128 < BIG && !ebt_record_encode(&b, &r))
		(*count)++;
	*len = b.len;
	return b.p;
}

/*
 * zstd bombs: frames that expand to 64 MiB under a 4 KiB declared raw_len
 * (with and without a content size), then 20 legal chunks at the 64 MiB cap
 * (1.3 GB to decompress from a few MiB), then 1000 real events.
 */
int gen_zbomb(const char *out)
{
	uint8_t *zeros = calloc(1, BIG);
	uint32_t count = 0;
	size_t len = 0;
	uint8_t *meta = big_meta(&len, &count);
	struct raw w;

	if (!zeros || !meta || raw_open(&w, out)) {
		free(zeros);
		free(meta);
		return -ENOMEM;
	}
	put_meta(&w);
	put_bomb(&w, EBT_CHUNK_EVENTS, zeros, BIG, 4096, 10, true);
	put_bomb(&w, EBT_CHUNK_EVENTS, zeros, BIG, 4096, 10, false);
	put_bomb(&w, EBT_CHUNK_META, meta, len, 4096, count, false);
	put_bomb(&w, EBT_CHUNK_META, meta, len, 4096, count, true);
	put_bomb(&w, EBT_CHUNK_META, zeros, BIG, BIG, 1000000, true);
	for (uint32_t i = 0; i < hostile_size(20, 2); i++)
		put_bomb(&w, EBT_CHUNK_META, meta, len, (uint32_t)len, count, true);
	put_events(&w, 1000, T0);
	free(zeros);
	free(meta);
	return raw_close(&w);
}

/*
 * Chunk headers (with valid header checks) claiming lengths and counts far
 * beyond the data: 4 GiB lengths, a count of 2^32 - 1, a raw_len that
 * disagrees with a stored payload; then 1000 real events; then a last
 * header claiming 60 MiB where the file ends.
 */
int gen_hugelen(const char *out)
{
	static const uint8_t junk[256];
	uint8_t *p = NULL;
	size_t len = 0;
	uint64_t lo, hi;
	struct raw w;

	if (raw_open(&w, out))
		return w.err;
	put_meta(&w);
	raw_chunk(&w, (struct ebt_chunk_hdr){ .type = EBT_CHUNK_EVENTS,
					      .stored_len = UINT32_MAX, .raw_len = UINT32_MAX,
					      .seq = w.seq, .count = UINT32_MAX }, junk, 64);
	raw_chunk(&w, (struct ebt_chunk_hdr){ .type = EBT_CHUNK_META, .stored_len = 64,
					      .raw_len = BIG, .seq = w.seq,
					      .count = UINT32_MAX }, junk, 64);
	w.err = w.err ? w.err : events_payload(100, T0, &p, &len, &lo, &hi);
	raw_chunk(&w, (struct ebt_chunk_hdr){ .type = EBT_CHUNK_EVENTS, .stored_len = len,
					      .raw_len = len, .seq = w.seq, .ts_min = lo,
					      .ts_max = hi, .count = UINT32_MAX }, p, len);
	raw_chunk(&w, (struct ebt_chunk_hdr){ .type = EBT_CHUNK_EVENTS, .stored_len = len,
					      .raw_len = len, .seq = w.seq, .ts_min = lo,
					      .ts_max = hi, .count = 1000000 }, p, len);
	put_events(&w, 1000, T0 + 1000000);
	raw_chunk(&w, (struct ebt_chunk_hdr){ .type = EBT_CHUNK_EVENTS,
					      .stored_len = 60u << 20, .raw_len = 60u << 20,
					      .seq = w.seq, .count = 1000 }, junk, 256);
	free(p);
	return raw_close(&w);
}

/*
 * The same META chunk 20000 times, then one EVENTS chunk of 65536 events
 * repeated (400 times: 26 M events from 6 MiB), all with the same seq and
 * times.
 */
int gen_repeat(const char *out, uint32_t repeats)
{
	struct raw w;

	if (!repeats)
		repeats = 400;

	if (raw_open(&w, out))
		return w.err;
	for (uint32_t i = 0; i < hostile_size(20000, 2000) && !w.err; i++) {
		w.seq = 0;
		put_meta(&w);
	}
	for (uint32_t i = 0; i < repeats && !w.err; i++) {
		w.seq = 1;
		put_events(&w, 65536, T0);
	}
	return raw_close(&w);
}
