/* SPDX-License-Identifier: MIT */
/*
 * The reader: streams chunks in bounded memory (one chunk's buffers, capped
 * by max_chunk_bytes), checks every length against the bytes left and a cap
 * before allocating, and applies the damage rules of docs/FORMAT.md
 * ("Damage"): skip a chunk whose payload is bad, resynchronise on chunk
 * magic plus header check after a bad header, report a torn tail as
 * truncation.
 */
#include "format/ebt_internal.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define SCAN_BYTES (64u << 10)
#define MSG_LEN 256		/* longer than any one message (about 160 bytes) */
#define WARN_LEN 1024		/* the warnings of one ebt_reader_next() call */
#define WARN_MORE "; and more warnings"

struct ebt_reader {
	int fd;
	struct ebt_reader_opts o;
	struct ebt_info info;
	uint64_t off;		/* next chunk header */
	uint64_t expect_seq;
	uint64_t run_start;	/* first seq of the current run of consecutive seqs */
	bool seq_known, done, resyncing;
	int fatal;		/* sticky error (unknown critical chunk) */
	uint8_t *stored, *raw, *arena, *scan;
	size_t stored_cap, raw_cap, arena_cap;
	struct ebt_event *events;
	size_t events_cap;
	struct ebt_record *recs;
	size_t recs_cap;
	struct ebt_dec dec;
	ZSTD_DCtx *dctx;
	char errmsg[MSG_LEN];
	char warnbuf[WARN_LEN];
	bool warned, warn_full;
};

/* The one piece of thread state: why this thread's last ebt_reader_open()
 * failed, since no reader object exists then (ebt_reader_errmsg(NULL)). */
static __thread char open_errmsg[MSG_LEN];

static void set_err(struct ebt_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(struct ebt_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r ? r->errmsg : open_errmsg, MSG_LEN, fmt, ap);
	va_end(ap);
}

static void warn(struct ebt_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends one whole message to the call's warnings; one that no longer
 * fits (with room for WARN_MORE) is replaced by WARN_MORE, never cut. */
static void warn(struct ebt_reader *r, const char *fmt, ...)
{
	size_t used = r->warned ? strlen(r->warnbuf) : 0;
	char one[MSG_LEN];
	va_list ap;
	size_t len;

	if (r->warn_full)
		return;
	va_start(ap, fmt);
	vsnprintf(one, sizeof(one), fmt, ap);
	va_end(ap);
	len = strlen(one);
	if (used + 2 + len + sizeof(WARN_MORE) > WARN_LEN) {
		memcpy(r->warnbuf + used, WARN_MORE, sizeof(WARN_MORE));
		r->warn_full = true;
		return;
	}
	if (used) {
		memcpy(r->warnbuf + used, "; ", 2);
		used += 2;
	}
	memcpy(r->warnbuf + used, one, len + 1);
	r->warned = true;
}

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the file shrank under us */
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	void *q;

	if (need <= *cap)
		return 0;
	q = realloc(*p, need * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = need;
	return 0;
}

static int check_signature(const uint8_t *h, size_t len)
{
	if (len >= 4 && !memcmp(h, EBT_SIGNATURE, 4) &&
	    (len < EBT_SIG_LEN || memcmp(h, EBT_SIGNATURE, EBT_SIG_LEN))) {
		set_err(NULL, "not a valid .ebt file: signature damaged "
			"(by a text-mode transfer?)");
		return -EBADMSG;
	}
	if (len < EBT_SIG_LEN || memcmp(h, EBT_SIGNATURE, EBT_SIG_LEN)) {
		set_err(NULL, len ? "not an .ebt file (bad signature)"
				  : "not an .ebt file (empty file)");
		return -EBADMSG;
	}
	return 0;
}

static int parse_header(struct ebt_reader *r, const uint8_t *h, size_t len)
{
	uint32_t hlen;
	uint16_t major, minor;
	uint64_t incompat;
	int err = check_signature(h, len);

	if (err)
		return err;
	hlen = ebt_get_le32(h + 12);
	if (len < EBT_HEADER_LEN || hlen < EBT_HEADER_LEN || hlen > len || hlen % 8) {
		set_err(NULL, "damaged .ebt file: header length %u (file has %zu bytes)",
			hlen, len);
		return -EBADMSG;
	}
	if (ebt_get_le32(h + EBT_HDR_CHECK_OFF) != ebt_header_check(h, hlen)) {
		set_err(NULL, "damaged .ebt file: file header checksum mismatch");
		return -EBADMSG;
	}
	major = ebt_get_le16(h + 8);
	minor = ebt_get_le16(h + 10);
	incompat = ebt_get_le64(h + 16);
	if (major > EBT_VERSION_MAJOR) {
		set_err(NULL, "file format %u.%u is newer than this reader (%u.%u)",
			major, minor, EBT_VERSION_MAJOR, EBT_VERSION_MINOR);
		return -ENOTSUP;
	}
	if (major == 0) {
		set_err(NULL, "damaged .ebt file: format version 0.%u", minor);
		return -EBADMSG;
	}
	if (incompat & ~EBT_INCOMPAT_KNOWN) {
		set_err(NULL, "file needs features 0x%llx this reader (%u.%u) lacks",
			(unsigned long long)(incompat & ~EBT_INCOMPAT_KNOWN),
			EBT_VERSION_MAJOR, EBT_VERSION_MINOR);
		return -ENOTSUP;
	}
	r->info.major = major;
	r->info.minor = minor;
	memcpy(r->info.uuid, h + 32, 16);
	r->info.created_realtime_ns = ebt_get_le64(h + 48);
	r->info.clock_id = ebt_get_le32(h + 56);
	r->off = hlen;
	return 0;
}

static int read_header(struct ebt_reader *r)
{
	uint8_t h[EBT_HEADER_MAX];
	struct stat st;
	size_t len;
	int err;

	if (fstat(r->fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		set_err(NULL, "not an .ebt file (not a regular file)");
		return -EBADMSG;
	}
	r->info.file_size = (uint64_t)st.st_size;
	len = r->info.file_size < sizeof(h) ? (size_t)r->info.file_size : sizeof(h);
	err = pread_full(r->fd, h, len, 0);
	if (err)
		return err;
	return parse_header(r, h, len);
}

void ebt_reader_close(struct ebt_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->stored);
	free(r->raw);
	free(r->arena);
	free(r->scan);
	free(r->events);
	free(r->recs);
	ebt_dec_free(&r->dec);
	ZSTD_freeDCtx(r->dctx);
	free(r);
}

int ebt_reader_open(const char *path, const struct ebt_reader_opts *opts,
		    struct ebt_reader **out)
{
	struct ebt_reader *r;
	int err;

	if (out)
		*out = NULL;
	if (!path || !out)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (opts)
		r->o = *opts;
	if (!r->o.max_chunk_bytes || r->o.max_chunk_bytes > EBT_MAX_CHUNK_BYTES)
		r->o.max_chunk_bytes = EBT_MAX_CHUNK_BYTES;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		err = -errno;
		set_err(NULL, "cannot open: %s", strerror(errno));
		goto fail;
	}
	r->dctx = ZSTD_createDCtx();
	err = r->dctx ? read_header(r) : -ENOMEM;
	if (err)
		goto fail;
	*out = r;
	return 0;
fail:
	if (err == -ENOMEM)
		set_err(NULL, "out of memory");
	ebt_reader_close(r);
	return err;
}

const struct ebt_info *ebt_reader_info(const struct ebt_reader *r)
{
	return &r->info;
}

const char *ebt_reader_errmsg(const struct ebt_reader *r)
{
	return r ? r->errmsg : open_errmsg;
}

const char *ebt_reader_warning(const struct ebt_reader *r)
{
	return r && r->warned ? r->warnbuf : NULL;
}

/* ------------------------------------------------------------ chunks */

/* True when [0, end) is in the file; follow mode re-reads the size. */
static bool have_bytes(struct ebt_reader *r, uint64_t end)
{
	struct stat st;

	if (end <= r->info.file_size)
		return true;
	if (r->o.follow && !fstat(r->fd, &st) && (uint64_t)st.st_size > r->info.file_size)
		r->info.file_size = (uint64_t)st.st_size;
	return end <= r->info.file_size;
}

/* No complete chunk at r->off: wait (follow) or end with a torn tail. */
static int at_end(struct ebt_reader *r)
{
	uint64_t left = r->info.file_size - r->off;

	if (r->o.follow)
		return -EAGAIN;
	if (left) {
		r->info.truncated = true;
		warn(r, "capture ended abruptly: last %llu bytes (from offset %llu) "
		     "are an incomplete chunk", (unsigned long long)left,
		     (unsigned long long)r->off);
	}
	r->done = true;
	return 0;
}

/* Finds the next offset >= from holding a valid chunk header (any byte
 * offset: inserted garbage need not keep the 8-byte alignment);
 * returns 1 (*out set), 0 none before EOF (*out = first offset not
 * scanned), <0 read error. */
static int scan_for_header(struct ebt_reader *r, uint64_t from, uint64_t *out)
{
	struct ebt_chunk_hdr h;
	uint64_t pos = from;
	int err;

	if (!r->scan && !(r->scan = malloc(SCAN_BYTES)))
		return -ENOMEM;
	while (have_bytes(r, pos + EBT_CHUNK_HDR_LEN)) {
		uint64_t avail = r->info.file_size - pos;
		size_t len = avail < SCAN_BYTES ? (size_t)avail : SCAN_BYTES;
		size_t i;

		err = pread_full(r->fd, r->scan, len, pos);
		if (err)
			return err;
		for (i = 0; i + EBT_CHUNK_HDR_LEN <= len; i++) {
			if (ebt_get_le32(r->scan + i) == EBT_CHUNK_MAGIC &&
			    ebt_chunk_hdr_get(r->scan + i, &h)) {
				*out = pos + i;
				return 1;
			}
		}
		pos += i;
	}
	*out = pos;
	return 0;
}

static int resync(struct ebt_reader *r, const char *why)
{
	uint64_t next = r->off;
	int err;

	if (!r->resyncing) {
		r->info.damaged_chunks++;
		warn(r, "chunk at offset %llu: %s", (unsigned long long)r->off, why);
		r->resyncing = true;
	}
	err = scan_for_header(r, r->off + 1, &next);
	if (err < 0)
		return err;
	r->info.skipped_bytes += next - r->off;
	if (err == 0 && !r->o.follow) {
		r->info.skipped_bytes += r->info.file_size - next;
		r->off = r->info.file_size;
		r->info.truncated = true;
		warn(r, "no valid chunk after it: treated as a torn tail");
		r->done = true;
		return 0;
	}
	r->off = next;
	if (err == 0)
		return -EAGAIN;
	r->resyncing = false;
	r->run_start = r->expect_seq;	/* after damage, no seq counts as a copy */
	warn(r, "resynchronised at offset %llu", (unsigned long long)next);
	return 0;
}

/* An EVENTS header's count is believed only within the caps and the
 * payload size (its header check held, but a crafted header lies). */
static bool count_plausible(const struct ebt_chunk_hdr *h)
{
	return h->count <= EBT_MAX_CHUNK_EVENTS && h->count <= h->raw_len / 5;
}

static int skip_damaged(struct ebt_reader *r, const struct ebt_chunk_hdr *h,
			const char *why)
{
	r->info.damaged_chunks++;
	if (h->type == EBT_CHUNK_EVENTS && count_plausible(h))
		r->info.damaged_events += h->count;
	warn(r, "chunk %llu at offset %llu skipped: %s%s",
	     (unsigned long long)h->seq, (unsigned long long)r->off, why,
	     h->type == EBT_CHUNK_META ? " (names, fds or stacks may be missing)" : "");
	r->off += EBT_CHUNK_HDR_LEN + ebt_pad8(h->stored_len);
	return 0;
}

/* true when h repeats a seq of the current run (a copied chunk: counting
 * it again would double its events); jumps start a new run. */
static bool check_seq(struct ebt_reader *r, const struct ebt_chunk_hdr *h)
{
	if (r->seq_known && h->type != EBT_CHUNK_FOOTER && h->seq >= r->run_start &&
	    h->seq < r->expect_seq)
		return true;
	if (r->seq_known && h->seq != r->expect_seq)
		warn(r, "chunk sequence jumps from %llu to %llu at offset %llu",
		     (unsigned long long)r->expect_seq, (unsigned long long)h->seq,
		     (unsigned long long)r->off);
	if (!r->seq_known || h->seq != r->expect_seq)
		r->run_start = h->seq;
	r->seq_known = true;
	r->expect_seq = h->seq + 1;
	return false;
}

/* A chunk whose seq was already read: skipped, counted as damage (its
 * events are not lost: the first copy was delivered). */
static int skip_duplicate(struct ebt_reader *r, const struct ebt_chunk_hdr *h)
{
	r->info.damaged_chunks++;
	r->info.duplicate_chunks++;
	if (r->info.duplicate_chunks == 1)
		warn(r, "chunk %llu at offset %llu skipped: repeats a sequence number "
		     "already read (duplicate chunk)", (unsigned long long)h->seq,
		     (unsigned long long)r->off);
	r->off += EBT_CHUNK_HDR_LEN + ebt_pad8(h->stored_len);
	return 0;
}

/* Reads, checks and decompresses the payload into r->raw. 0, 1 damaged
 * (msg set), <0 error. */
static int load_payload(struct ebt_reader *r, const struct ebt_chunk_hdr *h,
			const char **msg)
{
	size_t raw_len = h->raw_len, got;
	int err;

	err = grow((void **)&r->stored, &r->stored_cap, h->stored_len ? h->stored_len : 1, 1);
	if (!err)
		err = grow((void **)&r->raw, &r->raw_cap, raw_len ? raw_len : 1, 1);
	if (!err)
		err = pread_full(r->fd, r->stored, h->stored_len,
				 r->off + EBT_CHUNK_HDR_LEN);
	if (err)
		return err;
	if (ebt_check32(r->stored, h->stored_len) != h->payload_check) {
		*msg = "payload checksum mismatch";
		return 1;
	}
	if ((h->flags & EBT_CODEC_MASK) == EBT_CODEC_STORED) {
		memcpy(r->raw, r->stored, raw_len);
		return 0;
	}
	if (ZSTD_getFrameContentSize(r->stored, h->stored_len) != raw_len ||
	    ZSTD_findFrameCompressedSize(r->stored, h->stored_len) != h->stored_len) {
		*msg = "zstd frame does not match the chunk lengths";
		return 1;
	}
	got = ZSTD_decompressDCtx(r->dctx, r->raw, raw_len, r->stored, h->stored_len);
	if (ZSTD_isError(got) || got != raw_len) {
		*msg = "zstd frame does not decompress";
		return 1;
	}
	return 0;
}

static void count_records(struct ebt_reader *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ebt_loss *l = &r->recs[i].loss;

		if (r->recs[i].kind == EBT_REC_LOSS &&
		    (l->source == EBT_LOSS_RINGBUF || l->source == EBT_LOSS_WRITER))
			r->info.lost_events += l->count;
	}
	r->info.records += n;
}

/* Decodes r->raw into chunk. 0, 1 damaged (msg), <0 error. */
static int decode(struct ebt_reader *r, const struct ebt_chunk_hdr *h,
		  struct ebt_chunk *chunk, const char **msg)
{
	int err;

	if (h->type == EBT_CHUNK_EVENTS) {
		if (h->count > EBT_MAX_CHUNK_EVENTS || h->count > h->raw_len / 5) {
			*msg = "event count over the cap or the payload size";
			return 1;
		}
		err = grow((void **)&r->events, &r->events_cap, h->count ? h->count : 1,
			   sizeof(*r->events));
		if (!err)
			err = ebt_events_decode(&r->dec, r->raw, h->raw_len, h->count,
						r->events, msg);
		if (err)
			return err == -EBADMSG ? 1 : err;
		chunk->events = r->events;
		chunk->n_events = h->count;
		r->info.events += h->count;
		if (h->count && (!r->info.ts_max || h->ts_min < r->info.ts_min))
			r->info.ts_min = h->ts_min;
		if (h->count && h->ts_max > r->info.ts_max)
			r->info.ts_max = h->ts_max;
		return 0;
	}
	if (h->count > h->raw_len / EBT_TLV_HDR_LEN || h->count > EBT_MAX_CHUNK_RECORDS) {
		*msg = "record count over the cap or the payload size";
		return 1;
	}
	err = grow((void **)&r->recs, &r->recs_cap, h->count ? h->count : 1, sizeof(*r->recs));
	if (!err)
		err = grow((void **)&r->arena, &r->arena_cap,
			   ebt_records_arena_bound(h->raw_len), 1);
	if (!err)
		err = ebt_records_decode(r->raw, h->raw_len, h->count, r->recs, r->arena, msg);
	if (err < 0)
		return err == -EBADMSG ? 1 : err;
	chunk->records = r->recs;
	chunk->n_records = (size_t)err;
	count_records(r, chunk->n_records);
	return 0;
}

/* Header sanity past the check: caps and the codec. 0 ok, 1 damaged
 * (resync), 2 unknown codec or flag. */
static int classify(const struct ebt_reader *r, const struct ebt_chunk_hdr *h)
{
	uint32_t cap = r->o.max_chunk_bytes;
	unsigned int codec = h->flags & EBT_CODEC_MASK;

	if (h->reserved || h->stored_len > cap || h->raw_len > cap)
		return 1;
	if ((h->flags & ~EBT_CODEC_MASK) || codec > EBT_CODEC_ZSTD)
		return 2;
	if (codec == EBT_CODEC_STORED && h->raw_len != h->stored_len)
		return 1;
	return 0;
}

static int unknown_chunk(struct ebt_reader *r, const struct ebt_chunk_hdr *h,
			 const char *what)
{
	if (h->type & EBT_CHUNK_CRITICAL) {
		set_err(r, "chunk %llu at offset %llu: %s 0x%04x is critical and "
			"unknown to this reader (%u.%u); a newer reader is needed",
			(unsigned long long)h->seq, (unsigned long long)r->off, what,
			what[0] == 't' ? h->type : h->flags, EBT_VERSION_MAJOR,
			EBT_VERSION_MINOR);
		r->fatal = -ENOTSUP;
		return -ENOTSUP;
	}
	r->info.unknown_chunks++;
	r->off += EBT_CHUNK_HDR_LEN + ebt_pad8(h->stored_len);
	return 0;
}

static int footer(struct ebt_reader *r, const struct ebt_chunk_hdr *h)
{
	const char *msg = NULL;
	int err = load_payload(r, h, &msg);

	if (err < 0)
		return err;
	if (err)
		return skip_damaged(r, h, msg);
	r->info.footer_seen = true;
	r->off += EBT_CHUNK_HDR_LEN + ebt_pad8(h->stored_len);
	r->done = true;
	return 0;
}

/* One chunk at r->off: 1 delivered, 0 go on, <0 error or -EAGAIN. */
static int step(struct ebt_reader *r, struct ebt_chunk *chunk)
{
	uint8_t hb[EBT_CHUNK_HDR_LEN];
	struct ebt_chunk_hdr h;
	const char *msg = NULL;
	int err, kind;

	if (!have_bytes(r, r->off + EBT_CHUNK_HDR_LEN))
		return at_end(r);
	err = pread_full(r->fd, hb, sizeof(hb), r->off);
	if (err)
		return err;
	if (!ebt_chunk_hdr_get(hb, &h))
		return resync(r, h.magic == EBT_CHUNK_MAGIC ? "header checksum mismatch"
							   : "no chunk magic");
	kind = classify(r, &h);
	if (kind == 1)
		return resync(r, "header lengths over the cap or inconsistent");
	r->resyncing = false;
	if (!have_bytes(r, r->off + EBT_CHUNK_HDR_LEN + ebt_pad8(h.stored_len)))
		return at_end(r);
	if (check_seq(r, &h))
		return skip_duplicate(r, &h);
	r->info.chunks++;
	if (kind == 2)
		return unknown_chunk(r, &h, "codec/flags");
	if (h.type == EBT_CHUNK_FOOTER)
		return footer(r, &h);
	if (h.type != EBT_CHUNK_EVENTS && h.type != EBT_CHUNK_META)
		return unknown_chunk(r, &h, "type");
	err = load_payload(r, &h, &msg);
	if (!err)
		err = decode(r, &h, chunk, &msg);
	if (err == -ENOTSUP) {
		set_err(r, "chunk %llu at offset %llu: %s", (unsigned long long)h.seq,
			(unsigned long long)r->off, msg);
		r->fatal = err;
	}
	if (err < 0)
		return err;
	if (err)
		return skip_damaged(r, &h, msg);
	chunk->type = h.type;
	chunk->seq = h.seq;
	chunk->offset = r->off;
	chunk->ts_min = h.ts_min;
	chunk->ts_max = h.ts_max;
	r->off += EBT_CHUNK_HDR_LEN + ebt_pad8(h.stored_len);
	return 1;
}

int ebt_reader_next(struct ebt_reader *r, struct ebt_chunk *chunk)
{
	int err;

	if (!r || !chunk)
		return -EINVAL;
	r->warned = false;
	r->warn_full = false;
	if (r->fatal)
		return r->fatal;
	memset(chunk, 0, sizeof(*chunk));
	while (!r->done) {
		err = step(r, chunk);
		if (err == -ENOMEM)
			set_err(r, "out of memory at offset %llu", (unsigned long long)r->off);
		else if (err < 0 && err != -EAGAIN && err != -ENOTSUP)
			set_err(r, "read error at offset %llu: %s", (unsigned long long)r->off,
				strerror(-err));
		if (err)
			return err;
	}
	return 0;
}
