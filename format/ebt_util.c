/* SPDX-License-Identifier: MIT */
/*
 * Checksums, chunk header (de)serialisation, buffers and names.
 *
 * Checks are the low 32 bits of XXH3-64: libxxhash is a well-kept Debian
 * library, portable (no CPU-specific instructions needed) and far faster than
 * zstd, so checking costs nothing next to decompression. It is used inline
 * (header only), so nothing extra is linked.
 */
#include "format/ebt_internal.h"

#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

uint32_t ebt_check32(const void *p, size_t n)
{
	return (uint32_t)XXH3_64bits(p, n);
}

uint32_t ebt_header_check(const uint8_t *hdr, size_t len)
{
	XXH3_state_t st;

	XXH3_64bits_reset(&st);
	XXH3_64bits_update(&st, hdr, EBT_HDR_CHECK_OFF);
	if (len > EBT_HDR_CHECK_OFF + 4)
		XXH3_64bits_update(&st, hdr + EBT_HDR_CHECK_OFF + 4,
				   len - EBT_HDR_CHECK_OFF - 4);
	return (uint32_t)XXH3_64bits_digest(&st);
}

void ebt_chunk_hdr_put(uint8_t *p, struct ebt_chunk_hdr *h)
{
	ebt_put_le32(p, h->magic);
	ebt_put_le16(p + 4, h->type);
	ebt_put_le16(p + 6, h->flags);
	ebt_put_le32(p + 8, h->stored_len);
	ebt_put_le32(p + 12, h->raw_len);
	ebt_put_le64(p + 16, h->seq);
	ebt_put_le64(p + 24, h->ts_min);
	ebt_put_le64(p + 32, h->ts_max);
	ebt_put_le32(p + 40, h->count);
	ebt_put_le32(p + 44, h->payload_check);
	ebt_put_le32(p + 48, h->reserved);
	h->header_check = ebt_check32(p, 52);
	ebt_put_le32(p + 52, h->header_check);
}

bool ebt_chunk_hdr_get(const uint8_t *p, struct ebt_chunk_hdr *h)
{
	h->magic = ebt_get_le32(p);
	h->type = ebt_get_le16(p + 4);
	h->flags = ebt_get_le16(p + 6);
	h->stored_len = ebt_get_le32(p + 8);
	h->raw_len = ebt_get_le32(p + 12);
	h->seq = ebt_get_le64(p + 16);
	h->ts_min = ebt_get_le64(p + 24);
	h->ts_max = ebt_get_le64(p + 32);
	h->count = ebt_get_le32(p + 40);
	h->payload_check = ebt_get_le32(p + 44);
	h->reserved = ebt_get_le32(p + 48);
	h->header_check = ebt_get_le32(p + 52);
	return h->magic == EBT_CHUNK_MAGIC && h->header_check == ebt_check32(p, 52);
}

int ebt_buf_reserve(struct ebt_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (extra > SIZE_MAX - b->len)
		return -ENOMEM;
	need = b->len + extra;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

void ebt_buf_free(struct ebt_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

struct ebt_str ebt_str_c(const char *s)
{
	struct ebt_str r = { .p = s, .len = s ? (uint32_t)strnlen(s, UINT32_MAX) : 0 };

	return r;
}

const char *ebt_fd_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[EBT_FD_UNKNOWN] = "unknown", [EBT_FD_FILE] = "file",
		[EBT_FD_DIR] = "dir", [EBT_FD_CHAR] = "char",
		[EBT_FD_BLOCK] = "block", [EBT_FD_PIPE] = "pipe",
		[EBT_FD_SOCKET] = "socket", [EBT_FD_EVENTFD] = "eventfd",
		[EBT_FD_EPOLL] = "epoll", [EBT_FD_TIMERFD] = "timerfd",
		[EBT_FD_SIGNALFD] = "signalfd", [EBT_FD_INOTIFY] = "inotify",
		[EBT_FD_ANON] = "anon", [EBT_FD_MEMFD] = "memfd",
	};

	if (kind >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[kind];
}

const char *ebt_task_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[EBT_TASK_SNAPSHOT] = "snapshot", [EBT_TASK_FORK] = "fork",
		[EBT_TASK_THREAD] = "thread", [EBT_TASK_EXEC] = "exec",
		[EBT_TASK_EXIT] = "exit", [EBT_TASK_RENAME] = "rename",
	};

	if (kind == 0 || kind >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[kind];
}

const char *ebt_chunk_type_name(uint16_t type)
{
	switch (type) {
	case EBT_CHUNK_EVENTS:
		return "EVENTS";
	case EBT_CHUNK_META:
		return "META";
	case EBT_CHUNK_FOOTER:
		return "FOOTER";
	default:
		return "unknown";
	}
}

const char *ebt_loss_source_name(uint32_t source)
{
	switch (source) {
	case EBT_LOSS_RINGBUF:
		return "ringbuf";
	case EBT_LOSS_WRITER:
		return "writer";
	case EBT_LOSS_DAMAGE:
		return "damage";
	case EBT_LOSS_FILTER:
		return "filter";
	default:
		return "unknown";
	}
}
