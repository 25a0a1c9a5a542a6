/* SPDX-License-Identifier: MIT */
/*
 * Internals of format/: on-disk constants (docs/FORMAT.md), little-endian
 * and varint helpers, and the two payload codecs shared by writer and reader.
 */
#ifndef FORMAT_EBT_INTERNAL_H
#define FORMAT_EBT_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/ebt.h"

#define EBT_SIGNATURE		"\x89" "EBT\r\n\x1a\n"
#define EBT_SIG_LEN		8u
#define EBT_HEADER_LEN		64u	/* what this version writes */
#define EBT_HEADER_MAX		4096u	/* largest header_len a reader accepts */
#define EBT_HDR_CHECK_OFF	60u

#define EBT_CHUNK_MAGIC		0x1a4b43ebu	/* bytes EB 43 4B 1A */
#define EBT_CHUNK_HDR_LEN	56u
#define EBT_CHUNK_ALIGN		8u
#define EBT_CODEC_MASK		0x000fu
#define EBT_CODEC_STORED	0u
#define EBT_CODEC_ZSTD		1u

#define EBT_INCOMPAT_KNOWN	0ull	/* incompat feature bits this reader knows */

/* FOOTER payload: totals, index, then a tail that ends the file. */
#define EBT_FOOTER_TOTALS_LEN	48u
#define EBT_FOOTER_ENTRY_LEN	32u
#define EBT_FOOTER_TAIL_LEN	24u
#define EBT_FOOTER_TAIL_MAGIC	0x4c494154u	/* "TAIL" */

/* EVENTS payload. */
#define EBT_EV_HDR_LEN		16u
#define EBT_EV_DIR_LEN		8u
#define EBT_EV_SORTED		0x1u	/* payload flag: sorted by exit time */
#define EBT_COL_CRITICAL	0x1u
#define EBT_ENC_VARINT		1u
enum ebt_col_id {
	EBT_COL_THREADS = 1,	/* n, then n x (tid, pid) uvarint */
	EBT_COL_KEYDICT = 2,	/* n, then n x (thread, nr, arg0 zz, stack, flags) */
	EBT_COL_KEY = 3,	/* per event: key index, uvarint */
	EBT_COL_EXIT_DELTA = 4,	/* per event: exit - previous exit, zigzag */
	EBT_COL_DURATION = 5,	/* per event: uvarint */
	EBT_COL_RET = 6,	/* per event: zigzag */
	EBT_COL_CPU = 7,	/* per event: uvarint */
	EBT_COL_MAX = 7,
};
/* Largest encoded size of one event, dictionary entries included. */
#define EBT_EV_WORST_BYTES	96u
/* Events per encoded EVENTS chunk, so that the worst case stays under the
 * raw-length cap. */
#define EBT_ENCODE_MAX_EVENTS	262144u

/* META payload: records of u16 kind, u16 flags, u32 len, then field TLVs of
 * u16 tag, u16 flags, u32 len, value. */
#define EBT_TLV_HDR_LEN		8u
#define EBT_TLV_CRITICAL	0x1u

static inline void ebt_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void ebt_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void ebt_put_le64(uint8_t *p, uint64_t v)
{
	ebt_put_le32(p, (uint32_t)v);
	ebt_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t ebt_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t ebt_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t ebt_get_le64(const uint8_t *p)
{
	return (uint64_t)ebt_get_le32(p) | (uint64_t)ebt_get_le32(p + 4) << 32;
}

static inline uint64_t ebt_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t ebt_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* LEB128; p needs room for 10 bytes. Returns the bytes written. */
static inline size_t ebt_put_uvarint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/*
 * Reads one LEB128 value from [*p, end). 0 and *p advanced, or -EBADMSG for
 * a value running past end or longer than 10 bytes / 64 bits.
 */
static inline int ebt_get_uvarint(const uint8_t **p, const uint8_t *end,
				  uint64_t *out)
{
	const uint8_t *q = *p;
	uint64_t v = 0;
	unsigned int shift = 0;

	if (q < end && *q < 0x80) {
		*out = *q;
		*p = q + 1;
		return 0;
	}
	while (q < end) {
		uint8_t b = *q++;

		if (shift == 63 && b > 1)
			return -EBADMSG;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*out = v;
			*p = q;
			return 0;
		}
		shift += 7;
		if (shift > 63)
			return -EBADMSG;
	}
	return -EBADMSG;
}

/* Low 32 bits of XXH3-64 (seed 0) of the bytes. */
uint32_t ebt_check32(const void *p, size_t n);

/* The file header check: bytes [0, 60) then [64, len). */
uint32_t ebt_header_check(const uint8_t *hdr, size_t len);

struct ebt_chunk_hdr {
	uint32_t magic;
	uint16_t type;
	uint16_t flags;
	uint32_t stored_len;
	uint32_t raw_len;
	uint64_t seq;
	uint64_t ts_min;
	uint64_t ts_max;
	uint32_t count;
	uint32_t payload_check;
	uint32_t reserved;
	uint32_t header_check;
};

/* Serialises h into p (56 bytes) and fills in its header_check. */
void ebt_chunk_hdr_put(uint8_t *p, struct ebt_chunk_hdr *h);
/* Parses 56 bytes; true when magic and header_check both match. */
bool ebt_chunk_hdr_get(const uint8_t *p, struct ebt_chunk_hdr *h);

static inline size_t ebt_pad8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

/* A growable byte buffer (used off the hot path only). */
struct ebt_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

int ebt_buf_reserve(struct ebt_buf *b, size_t extra);
void ebt_buf_free(struct ebt_buf *b);

/* ------------------------------------------------------------ events */

struct ebt_enc;

/* An encoder for chunks of up to max_events (<= EBT_MAX_CHUNK_EVENTS),
 * encoded EBT_ENCODE_MAX_EVENTS at a time at most. */
int ebt_enc_new(uint32_t max_events, struct ebt_enc **out);
void ebt_enc_free(struct ebt_enc *e);

/*
 * Sorts events [0, n) by exit time (stable) into the encoder's order array.
 * n <= the encoder's max_events.
 */
void ebt_enc_sort(struct ebt_enc *e, const struct ebt_event *ev, uint32_t n);

/* After ebt_enc_sort(e, ev, n): copies ev[0..n) into out in exit order. */
void ebt_enc_gather(const struct ebt_enc *e, const struct ebt_event *ev, uint32_t n,
		    struct ebt_event *out);

/*
 * Encodes the sorted events [from, from + n), n <= EBT_ENCODE_MAX_EVENTS,
 * into out, which holds at least ebt_events_bound(n) bytes. Returns the
 * payload length; ts range of the events (min enter, max exit) in *ts_min,
 * *ts_max.
 */
size_t ebt_enc_encode(struct ebt_enc *e, const struct ebt_event *ev,
		      uint32_t from, uint32_t n, uint8_t *out,
		      uint64_t *ts_min, uint64_t *ts_max);

static inline size_t ebt_events_bound(size_t n)
{
	return EBT_EV_HDR_LEN + EBT_EV_DIR_LEN * EBT_COL_MAX + 2 * 10 +
	       n * EBT_EV_WORST_BYTES;
}

/* A KEYDICT entry, thread resolved. Laid out like struct ebt_event from
 * arg0 to flags, so decoding copies it in one go (cpu is then set). */
struct ebt_deckey {
	uint64_t arg0;
	uint32_t pid, tid, nr, cpu, stack_id, flags;
};

struct ebt_dec {
	uint32_t *tid, *pid;
	size_t threads_cap;
	struct ebt_deckey *keys;
	size_t keys_cap;
};

void ebt_dec_free(struct ebt_dec *d);

/*
 * Decodes an EVENTS payload of 'count' events into out (room for count).
 * 0, -EBADMSG (msg says why), -ENOTSUP unknown critical column/encoding,
 * -ENOMEM.
 */
int ebt_events_decode(struct ebt_dec *d, const uint8_t *p, size_t len,
		      uint32_t count, struct ebt_event *out, const char **msg);

/* ------------------------------------------------------------ records */

/*
 * Appends one record to b. -EFBIG a string over EBT_MAX_STRING or a stack
 * deeper than EBT_MAX_STACK_DEPTH, -EINVAL unknown kind or NULL with a
 * length, -ENOMEM.
 */
int ebt_record_encode(struct ebt_buf *b, const struct ebt_record *rec);

/*
 * Bytes of arena ebt_records_decode() may need for a payload of len: a
 * string of n bytes needs n + 1 and took 8 + n in the payload; an ips array
 * needs at most 7 bytes of alignment plus its 8 * depth, and took 8 + 8 *
 * depth.
 */
static inline size_t ebt_records_arena_bound(size_t len)
{
	return len + 16;
}

/*
 * Decodes 'count' records from a META payload into recs (room for count);
 * strings and stack ips are copied into arena. Records of unknown kinds are
 * skipped. Returns the number of records stored, -EBADMSG (msg), -ENOTSUP
 * an unknown critical record kind or field.
 */
int ebt_records_decode(const uint8_t *p, size_t len, uint32_t count,
		       struct ebt_record *recs, uint8_t *arena,
		       const char **msg);

#endif /* FORMAT_EBT_INTERNAL_H */
