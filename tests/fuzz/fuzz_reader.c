// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the .ebt reader. The first input byte picks a mode:
 *   0 the rest is a file, read as is (bit 2 of the byte: follow mode);
 *   1 the same, after fixing every check that can be fixed (file header
 *     check, then each chunk's payload and header checks), so mutations
 *     reach the decoders instead of stopping at a checksum;
 *   2 the rest is an EVENTS payload, decoded directly;
 *   3 the rest is a META payload, decoded directly.
 * Build and run: make fuzz (long run), make fuzz-smoke (about 20 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "format/ebt.h"
#include "format/ebt_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fix_checks(uint8_t *b, size_t size)
{
	uint32_t hlen;
	uint64_t off;

	if (size < EBT_HEADER_LEN)
		return;
	hlen = ebt_get_le32(b + 12);
	if (hlen < EBT_HEADER_LEN || hlen > size || hlen > EBT_HEADER_MAX)
		hlen = EBT_HEADER_LEN;
	ebt_put_le32(b + EBT_HDR_CHECK_OFF, ebt_header_check(b, hlen));
	for (off = hlen; off + EBT_CHUNK_HDR_LEN <= size;) {
		struct ebt_chunk_hdr h;

		ebt_chunk_hdr_get(b + off, &h);
		if (h.magic != EBT_CHUNK_MAGIC ||
		    h.stored_len > size - off - EBT_CHUNK_HDR_LEN)
			break;
		h.payload_check = ebt_check32(b + off + EBT_CHUNK_HDR_LEN, h.stored_len);
		ebt_chunk_hdr_put(b + off, &h);
		off += EBT_CHUNK_HDR_LEN + ebt_pad8(h.stored_len);
	}
}

static volatile uint64_t sink;

static void read_file(const char *path, bool follow)
{
	struct ebt_reader_opts o = { .follow = follow };
	struct ebt_reader *r = NULL;
	struct ebt_chunk c;

	if (ebt_reader_open(path, &o, &r))
		return;
	for (int i = 0; i < 100000 && ebt_reader_next(r, &c) == 1; i++) {
		for (size_t k = 0; k < c.n_events; k++)
			sink += c.events[k].enter_ns ^ c.events[k].tid;
		for (size_t k = 0; k < c.n_records; k++) {
			const struct ebt_record *rec = &c.records[k];

			if (rec->kind == EBT_REC_TASK)
				sink += strlen(rec->task.comm.p) + rec->task.comm.len;
			if (rec->kind == EBT_REC_STACK && rec->stack.depth)
				sink += rec->stack.ips[rec->stack.depth - 1];
		}
		(void)ebt_reader_warning(r);
	}
	sink += ebt_reader_info(r)->events + strlen(ebt_reader_errmsg(r));
	ebt_reader_close(r);
}

static void decode_events(const uint8_t *p, size_t size)
{
	struct ebt_dec d = { 0 };
	struct ebt_event *ev;
	const char *msg;
	uint32_t count;

	if (size < 4)
		return;
	count = ebt_get_le32(p);
	if (count > size)	/* the reader caps it the same way */
		return;
	ev = malloc(((size_t)count + 1) * sizeof(*ev));
	if (ev && !ebt_events_decode(&d, p, size, count, ev, &msg) && count)
		sink += ev[count - 1].enter_ns;
	free(ev);
	ebt_dec_free(&d);
}

static void decode_records(const uint8_t *p, size_t size)
{
	size_t count = size / EBT_TLV_HDR_LEN;
	struct ebt_record *recs = malloc((count + 1) * sizeof(*recs));
	uint8_t *arena = malloc(ebt_records_arena_bound(size));
	const char *msg;
	int n;

	if (recs && arena) {
		for (size_t want = 0; want <= count && want < 4; want++) {
			n = ebt_records_decode(p, size, (uint32_t)(count - want), recs,
					       arena, &msg);
			if (n > 0)
				sink += recs[n - 1].kind;
		}
	}
	free(recs);
	free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	uint8_t *buf;

	if (fd < 0) {
		fd = memfd_create("ebt-fuzz", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (!size)
		return 0;
	switch (data[0] & 3) {
	case 2:
		decode_events(data + 1, size - 1);
		return 0;
	case 3:
		decode_records(data + 1, size - 1);
		return 0;
	}
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if ((data[0] & 3) == 1)
		fix_checks(buf, size - 1);
	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, size - 1, 0) == (ssize_t)(size - 1))
		read_file(path, data[0] & 4);
	free(buf);
	return 0;
}
