/* SPDX-License-Identifier: MIT */
/*
 * META payload codec: struct ebt_record as tagged fields (docs/FORMAT.md,
 * "META payload"). One table per record kind maps a tag to a field of the
 * struct, so encoder and decoder cannot disagree and new tags are one line.
 */
#include "format/ebt_internal.h"

#include <stddef.h>
#include <string.h>

enum ftype { F_U16, F_U32, F_I32, F_U64, F_STR, F_IPS };

struct field {
	uint16_t tag;
	uint8_t type;
	uint16_t off;	/* offsetof(struct ebt_record, ...) */
};

#define R(m) ((uint16_t)offsetof(struct ebt_record, m))

static const struct field f_kv[] = {
	{ 1, F_STR, R(kv.key) }, { 2, F_STR, R(kv.value) }, { 0, 0, 0 },
};
static const struct field f_sys[] = {
	{ 1, F_U32, R(sys.nr) }, { 2, F_STR, R(sys.abi) }, { 3, F_STR, R(sys.name) },
	{ 0, 0, 0 },
};
static const struct field f_clock[] = {
	{ 1, F_U64, R(clock.event_ns) }, { 2, F_U64, R(clock.monotonic_ns) },
	{ 3, F_U64, R(clock.boottime_ns) }, { 4, F_U64, R(clock.realtime_ns) },
	{ 5, F_U64, R(clock.uncertainty_ns) }, { 0, 0, 0 },
};
static const struct field f_task[] = {
	{ 1, F_U32, R(task.kind) }, { 2, F_U32, R(task.pid) },
	{ 3, F_U32, R(task.tid) }, { 4, F_U32, R(task.ppid) },
	{ 5, F_U64, R(task.ts_ns) }, { 6, F_U64, R(task.start_ns) },
	{ 7, F_I32, R(task.exit_code) }, { 8, F_U32, R(task.uid) },
	{ 9, F_STR, R(task.comm) }, { 10, F_STR, R(task.exe) },
	{ 11, F_STR, R(task.cmdline) }, { 0, 0, 0 },
};
static const struct field f_fd[] = {
	{ 1, F_U32, R(fd.event) }, { 2, F_U32, R(fd.kind) }, { 3, F_U32, R(fd.pid) },
	{ 4, F_I32, R(fd.fd) }, { 5, F_U64, R(fd.ts_ns) }, { 6, F_U16, R(fd.family) },
	{ 7, F_U16, R(fd.sock_type) }, { 8, F_U32, R(fd.flags) },
	{ 9, F_STR, R(fd.path) }, { 10, F_STR, R(fd.local) },
	{ 11, F_STR, R(fd.peer) }, { 0, 0, 0 },
};
static const struct field f_loss[] = {
	{ 1, F_U32, R(loss.source) }, { 2, F_U32, R(loss.cpu) },
	{ 3, F_U64, R(loss.ts_start_ns) }, { 4, F_U64, R(loss.ts_end_ns) },
	{ 5, F_U64, R(loss.count) }, { 0, 0, 0 },
};
static const struct field f_stack[] = {
	{ 1, F_U32, R(stack.id) }, { 2, F_U32, R(stack.pid) },
	{ 3, F_IPS, R(stack.ips) }, { 0, 0, 0 },
};
static const struct field f_sym[] = {
	{ 1, F_U32, R(sym.pid) }, { 2, F_U64, R(sym.addr) }, { 3, F_U64, R(sym.offset) },
	{ 4, F_STR, R(sym.name) }, { 5, F_STR, R(sym.object) },
	{ 6, F_STR, R(sym.build_id) }, { 0, 0, 0 },
};
static const struct field f_map[] = {
	{ 1, F_U32, R(map.pid) }, { 2, F_U64, R(map.start) }, { 3, F_U64, R(map.end) },
	{ 4, F_U64, R(map.file_offset) }, { 5, F_STR, R(map.path) },
	{ 6, F_STR, R(map.build_id) }, { 0, 0, 0 },
};

static const struct field *const kinds[] = {
	[EBT_REC_FILE_INFO] = f_kv, [EBT_REC_SYSCALL] = f_sys,
	[EBT_REC_CLOCK] = f_clock, [EBT_REC_TASK] = f_task, [EBT_REC_FD] = f_fd,
	[EBT_REC_LOSS] = f_loss, [EBT_REC_STACK] = f_stack,
	[EBT_REC_SYMBOL] = f_sym, [EBT_REC_MAP] = f_map,
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct field *kind_fields(uint32_t kind)
{
	return kind < N_KINDS ? kinds[kind] : NULL;
}

static const size_t int_width[] = { [F_U16] = 2, [F_U32] = 4, [F_I32] = 4, [F_U64] = 8 };

static uint64_t get_int(const struct ebt_record *rec, const struct field *f)
{
	const uint8_t *p = (const uint8_t *)rec + f->off;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (f->type) {
	case F_U16:
		memcpy(&v16, p, 2);
		return v16;
	case F_U32:
	case F_I32:
		memcpy(&v32, p, 4);
		return v32;
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}

static void set_int(struct ebt_record *rec, const struct field *f, uint64_t v)
{
	uint8_t *p = (uint8_t *)rec + f->off;
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;

	if (f->type == F_U16)
		memcpy(p, &v16, 2);
	else if (f->type == F_U64)
		memcpy(p, &v, 8);
	else
		memcpy(p, &v32, 4);
}

static int put_tlv(struct ebt_buf *b, uint16_t tag, const void *v, size_t len)
{
	int err = ebt_buf_reserve(b, EBT_TLV_HDR_LEN + len);

	if (err)
		return err;
	ebt_put_le16(b->p + b->len, tag);
	ebt_put_le16(b->p + b->len + 2, 0);
	ebt_put_le32(b->p + b->len + 4, (uint32_t)len);
	if (len)
		memcpy(b->p + b->len + EBT_TLV_HDR_LEN, v, len);
	b->len += EBT_TLV_HDR_LEN + len;
	return 0;
}

static int encode_field(struct ebt_buf *b, const struct ebt_record *rec,
			const struct field *f)
{
	const uint8_t *base = (const uint8_t *)rec;
	uint8_t tmp[8];

	if (f->type == F_STR) {
		const struct ebt_str *s = (const struct ebt_str *)(base + f->off);

		if (s->len > EBT_MAX_STRING)
			return -EFBIG;
		if (s->len && !s->p)
			return -EINVAL;
		return s->len ? put_tlv(b, f->tag, s->p, s->len) : 0;
	}
	if (f->type == F_IPS) {
		uint8_t ips[8 * EBT_MAX_STACK_DEPTH];

		if (rec->stack.depth > EBT_MAX_STACK_DEPTH)
			return -EFBIG;
		if (rec->stack.depth && !rec->stack.ips)
			return -EINVAL;
		for (uint32_t i = 0; i < rec->stack.depth; i++)
			ebt_put_le64(ips + 8 * i, rec->stack.ips[i]);
		return put_tlv(b, f->tag, ips, 8 * (size_t)rec->stack.depth);
	}
	if (!get_int(rec, f))
		return 0;
	ebt_put_le64(tmp, get_int(rec, f));
	return put_tlv(b, f->tag, tmp, int_width[f->type]);
}

int ebt_record_encode(struct ebt_buf *b, const struct ebt_record *rec)
{
	const struct field *f = rec ? kind_fields(rec->kind) : NULL;
	size_t start = b->len;
	int err;

	if (!f)
		return -EINVAL;
	err = ebt_buf_reserve(b, EBT_TLV_HDR_LEN);
	if (err)
		return err;
	b->len += EBT_TLV_HDR_LEN;
	for (; f->tag; f++) {
		err = encode_field(b, rec, f);
		if (err) {
			b->len = start;
			return err;
		}
	}
	ebt_put_le16(b->p + start, (uint16_t)rec->kind);
	ebt_put_le16(b->p + start + 2, 0);
	ebt_put_le32(b->p + start + 4, (uint32_t)(b->len - start - EBT_TLV_HDR_LEN));
	return 0;
}

struct arena {
	uint8_t *p;
	size_t used;
};

static int decode_value(struct ebt_record *rec, const struct field *f,
			const uint8_t *v, uint32_t len, struct arena *a)
{
	uint8_t *base = (uint8_t *)rec;
	uint64_t x = 0;

	if (f->type == F_STR) {
		struct ebt_str *s = (struct ebt_str *)(base + f->off);
		char *dst = (char *)a->p + a->used;

		if (len > EBT_MAX_STRING)
			return -EBADMSG;
		memcpy(dst, v, len);
		dst[len] = '\0';
		a->used += (size_t)len + 1;
		s->p = dst;
		s->len = len;
		return 0;
	}
	if (f->type == F_IPS) {
		uint64_t *ips;

		if (len % 8 || len / 8 > EBT_MAX_STACK_DEPTH)
			return -EBADMSG;
		a->used = ebt_pad8(a->used);
		ips = (uint64_t *)(void *)(a->p + a->used);
		for (uint32_t i = 0; i < len / 8; i++)
			ips[i] = ebt_get_le64(v + 8 * i);
		a->used += len;
		rec->stack.ips = ips;
		rec->stack.depth = len / 8;
		return 0;
	}
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return -EBADMSG;
	for (uint32_t i = 0; i < len; i++)
		x |= (uint64_t)v[i] << (8 * i);
	if (int_width[f->type] < 8 && x >> (8 * int_width[f->type]))
		return -EBADMSG;
	set_int(rec, f, x);
	return 0;
}

static void clear_record(struct ebt_record *rec, uint32_t kind,
			 const struct field *f)
{
	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	for (; f->tag; f++) {
		if (f->type == F_STR)
			((struct ebt_str *)((uint8_t *)rec + f->off))->p = "";
	}
}

static int decode_fields(struct ebt_record *rec, const struct field *fields,
			 const uint8_t *p, const uint8_t *end, struct arena *a,
			 const char **msg)
{
	while (p < end) {
		const struct field *f;
		uint16_t tag, flags;
		uint32_t len;

		if ((size_t)(end - p) < EBT_TLV_HDR_LEN) {
			*msg = "record field header runs past its record";
			return -EBADMSG;
		}
		tag = ebt_get_le16(p);
		flags = ebt_get_le16(p + 2);
		len = ebt_get_le32(p + 4);
		p += EBT_TLV_HDR_LEN;
		if (len > (size_t)(end - p)) {
			*msg = "record field runs past its record";
			return -EBADMSG;
		}
		for (f = fields; f->tag && f->tag != tag; f++)
			;
		if (f->tag && decode_value(rec, f, p, len, a)) {
			*msg = "malformed record field";
			return -EBADMSG;
		}
		if (!f->tag && (flags & EBT_TLV_CRITICAL)) {
			*msg = "unknown critical record field (newer writer)";
			return -ENOTSUP;
		}
		p += len;
	}
	return 0;
}

int ebt_records_decode(const uint8_t *p, size_t len, uint32_t count,
		       struct ebt_record *recs, uint8_t *arena,
		       const char **msg)
{
	const uint8_t *end = p + len;
	struct arena a = { arena, 0 };
	int n = 0;

	for (uint32_t i = 0; i < count; i++) {
		const struct field *fields;
		uint16_t kind, flags;
		uint32_t rlen;
		int err;

		if ((size_t)(end - p) < EBT_TLV_HDR_LEN) {
			*msg = "fewer records than the chunk header says";
			return -EBADMSG;
		}
		kind = ebt_get_le16(p);
		flags = ebt_get_le16(p + 2);
		rlen = ebt_get_le32(p + 4);
		p += EBT_TLV_HDR_LEN;
		if (rlen > (size_t)(end - p)) {
			*msg = "record runs past the payload";
			return -EBADMSG;
		}
		fields = kind_fields(kind);
		if (!fields && (flags & EBT_TLV_CRITICAL)) {
			*msg = "unknown critical record kind (newer writer)";
			return -ENOTSUP;
		}
		if (fields) {
			clear_record(&recs[n], kind, fields);
			err = decode_fields(&recs[n], fields, p, p + rlen, &a, msg);
			if (err)
				return err;
			n++;
		}
		p += rlen;
	}
	if (p != end) {
		*msg = "bytes after the last record";
		return -EBADMSG;
	}
	return n;
}
