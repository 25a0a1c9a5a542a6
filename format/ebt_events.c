/* SPDX-License-Identifier: MIT */
/*
 * EVENTS payload codec (docs/FORMAT.md, "EVENTS payload").
 *
 * Layout chosen by measurement (tests/bench/format, docs/FORMAT.md): a
 * per-chunk thread table (pid is not stored per event), an interned
 * dictionary of the identity tuple (thread, nr, arg0, stack, flags), and
 * varint columns for the key index, exit-time delta, duration, return value
 * and cpu. Events are sorted by exit time so the deltas are small.
 */
#include "format/ebt_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct sortent {
	uint64_t exit;
	uint32_t idx;
	uint32_t pad;
};

struct enc_key {
	uint64_t arg0;
	uint32_t thread, nr, stack_id, flags;
};

enum { COL_KEY, COL_EXIT, COL_DUR, COL_RET, COL_CPU, N_EVCOLS };

struct ebt_enc {
	uint32_t max;
	struct sortent *sort;
	uint32_t hmask;		/* both hash tables have hmask + 1 slots */
	uint32_t *th_hash;	/* thread index + 1, 0 = empty */
	uint32_t *th_tid, *th_pid;
	uint32_t n_th;
	uint32_t *key_hash;	/* key index + 1, 0 = empty */
	struct enc_key *keys;
	uint32_t n_keys;
	uint8_t *col[N_EVCOLS];
};

static const uint8_t col_worst[N_EVCOLS] = { 5, 10, 10, 10, 5 };

void ebt_enc_free(struct ebt_enc *e)
{
	if (!e)
		return;
	free(e->sort);
	free(e->th_hash);
	free(e->th_tid);
	free(e->th_pid);
	free(e->key_hash);
	free(e->keys);
	for (int i = 0; i < N_EVCOLS; i++)
		free(e->col[i]);
	free(e);
}

int ebt_enc_new(uint32_t max_events, struct ebt_enc **out)
{
	uint32_t per = max_events < EBT_ENCODE_MAX_EVENTS ? max_events
							  : EBT_ENCODE_MAX_EVENTS;
	struct ebt_enc *e;
	uint32_t slots = 16;
	bool ok;

	if (!max_events || max_events > EBT_MAX_CHUNK_EVENTS)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	while (slots < 2 * per)
		slots *= 2;
	e->max = max_events;
	e->hmask = slots - 1;
	e->sort = malloc(sizeof(*e->sort) * max_events);
	e->th_hash = malloc(sizeof(uint32_t) * slots);
	e->th_tid = malloc(sizeof(uint32_t) * per);
	e->th_pid = malloc(sizeof(uint32_t) * per);
	e->key_hash = malloc(sizeof(uint32_t) * slots);
	e->keys = malloc(sizeof(*e->keys) * per);
	ok = e->sort && e->th_hash && e->th_tid && e->th_pid && e->key_hash && e->keys;
	for (int i = 0; i < N_EVCOLS; i++) {
		e->col[i] = malloc((size_t)col_worst[i] * per);
		ok = ok && e->col[i];
	}
	if (!ok) {
		ebt_enc_free(e);
		return -ENOMEM;
	}
	*out = e;
	return 0;
}

static int sortent_cmp(const void *a, const void *b)
{
	const struct sortent *x = a, *y = b;

	if (x->exit != y->exit)
		return x->exit < y->exit ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Ring-buffer order is nearly exit order, so an insertion sort is linear in
 * practice; past a move budget (adversarial input) fall back to qsort with
 * the index as tie-break, which gives the same stable order.
 */
void ebt_enc_sort(struct ebt_enc *e, const struct ebt_event *ev, uint32_t n)
{
	struct sortent *s = e->sort;
	uint64_t budget = 16ull * n + 1024;

	for (uint32_t i = 0; i < n; i++) {
		struct sortent cur = { ev[i].enter_ns + ev[i].duration_ns, i, 0 };
		uint32_t j = i;

		while (j > 0 && s[j - 1].exit > cur.exit && budget) {
			s[j] = s[j - 1];
			j--;
			budget--;
		}
		s[j] = cur;
		if (!budget) {
			for (uint32_t k = i + 1; k < n; k++) {
				s[k].exit = ev[k].enter_ns + ev[k].duration_ns;
				s[k].idx = k;
				s[k].pad = 0;
			}
			qsort(s, n, sizeof(*s), sortent_cmp);
			return;
		}
	}
}

void ebt_enc_gather(const struct ebt_enc *e, const struct ebt_event *ev, uint32_t n,
		    struct ebt_event *out)
{
	for (uint32_t i = 0; i < n; i++)
		out[i] = ev[e->sort[i].idx];
}

static inline uint32_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (uint32_t)h;
}

static uint32_t thread_index(struct ebt_enc *e, uint32_t tid, uint32_t pid)
{
	uint32_t h = mix64(((uint64_t)tid << 32 | pid) * 0x9e3779b97f4a7c15ull);

	for (;; h++) {
		uint32_t *slot = &e->th_hash[h & e->hmask];
		uint32_t i = *slot;

		if (!i) {
			i = e->n_th++;
			e->th_tid[i] = tid;
			e->th_pid[i] = pid;
			*slot = i + 1;
			return i;
		}
		if (e->th_tid[i - 1] == tid && e->th_pid[i - 1] == pid)
			return i - 1;
	}
}

static uint32_t key_index(struct ebt_enc *e, const struct enc_key *k)
{
	uint64_t x = k->arg0 * 0x9e3779b97f4a7c15ull;
	uint32_t h;

	x ^= ((uint64_t)k->thread << 32 | k->nr) * 0xc2b2ae3d27d4eb4full;
	x ^= ((uint64_t)k->stack_id << 32 | k->flags) * 0x165667b19e3779f9ull;
	h = mix64(x);
	for (;; h++) {
		uint32_t *slot = &e->key_hash[h & e->hmask];
		uint32_t i = *slot;
		const struct enc_key *o;

		if (!i) {
			i = e->n_keys++;
			e->keys[i] = *k;
			*slot = i + 1;
			return i;
		}
		o = &e->keys[i - 1];
		if (o->arg0 == k->arg0 && o->thread == k->thread && o->nr == k->nr &&
		    o->stack_id == k->stack_id && o->flags == k->flags)
			return i - 1;
	}
}

/* Fills the per-event columns; returns their lengths in len[]. */
static void encode_rows(struct ebt_enc *e, const struct ebt_event *ev,
			uint32_t from, uint32_t n, size_t len[N_EVCOLS],
			uint64_t *ts_min, uint64_t *ts_max)
{
	uint8_t *c[N_EVCOLS];
	uint64_t prev = e->sort[from].exit, lo = UINT64_MAX, hi = 0;
	uint32_t last_tid = 0, last_pid = 0, last_th = UINT32_MAX;

	for (int i = 0; i < N_EVCOLS; i++)
		c[i] = e->col[i];
	for (uint32_t i = from; i < from + n; i++) {
		const struct ebt_event *x = &ev[e->sort[i].idx];
		uint64_t exit = e->sort[i].exit;
		struct enc_key k;

		if (last_th == UINT32_MAX || x->tid != last_tid || x->pid != last_pid) {
			last_th = thread_index(e, x->tid, x->pid);
			last_tid = x->tid;
			last_pid = x->pid;
		}
		k.thread = last_th;
		k.nr = x->nr;
		k.arg0 = x->arg0;
		k.stack_id = x->stack_id;
		k.flags = x->flags;
		c[COL_KEY] += ebt_put_uvarint(c[COL_KEY], key_index(e, &k));
		c[COL_EXIT] += ebt_put_uvarint(c[COL_EXIT], ebt_zigzag((int64_t)(exit - prev)));
		c[COL_DUR] += ebt_put_uvarint(c[COL_DUR], x->duration_ns);
		c[COL_RET] += ebt_put_uvarint(c[COL_RET], ebt_zigzag(x->ret));
		c[COL_CPU] += ebt_put_uvarint(c[COL_CPU], x->cpu);
		prev = exit;
		lo = x->enter_ns < lo ? x->enter_ns : lo;
		hi = exit > hi ? exit : hi;
	}
	for (int i = 0; i < N_EVCOLS; i++)
		len[i] = (size_t)(c[i] - e->col[i]);
	*ts_min = lo;
	*ts_max = hi;
}

static uint8_t *put_dir(uint8_t *d, uint16_t id, size_t len)
{
	ebt_put_le16(d, id);
	d[2] = EBT_ENC_VARINT;
	d[3] = EBT_COL_CRITICAL;
	ebt_put_le32(d + 4, (uint32_t)len);
	return d + EBT_EV_DIR_LEN;
}

size_t ebt_enc_encode(struct ebt_enc *e, const struct ebt_event *ev,
		      uint32_t from, uint32_t n, uint8_t *out,
		      uint64_t *ts_min, uint64_t *ts_max)
{
	static const uint16_t ids[N_EVCOLS] = {
		EBT_COL_KEY, EBT_COL_EXIT_DELTA, EBT_COL_DURATION, EBT_COL_RET, EBT_COL_CPU,
	};
	size_t len[N_EVCOLS];
	uint8_t *dir = out + EBT_EV_HDR_LEN, *p, *body;

	memset(e->th_hash, 0, sizeof(uint32_t) * ((size_t)e->hmask + 1));
	memset(e->key_hash, 0, sizeof(uint32_t) * ((size_t)e->hmask + 1));
	e->n_th = e->n_keys = 0;
	encode_rows(e, ev, from, n, len, ts_min, ts_max);

	ebt_put_le32(out, n);
	ebt_put_le16(out + 4, EBT_COL_MAX);
	ebt_put_le16(out + 6, EBT_EV_SORTED);
	ebt_put_le64(out + 8, e->sort[from].exit);
	p = body = dir + EBT_EV_DIR_LEN * EBT_COL_MAX;

	p += ebt_put_uvarint(p, e->n_th);
	for (uint32_t i = 0; i < e->n_th; i++) {
		p += ebt_put_uvarint(p, e->th_tid[i]);
		p += ebt_put_uvarint(p, e->th_pid[i]);
	}
	dir = put_dir(dir, EBT_COL_THREADS, (size_t)(p - body));
	body = p;
	p += ebt_put_uvarint(p, e->n_keys);
	for (uint32_t i = 0; i < e->n_keys; i++) {
		const struct enc_key *k = &e->keys[i];

		p += ebt_put_uvarint(p, k->thread);
		p += ebt_put_uvarint(p, k->nr);
		p += ebt_put_uvarint(p, ebt_zigzag((int64_t)k->arg0));
		p += ebt_put_uvarint(p, k->stack_id);
		p += ebt_put_uvarint(p, k->flags);
	}
	dir = put_dir(dir, EBT_COL_KEYDICT, (size_t)(p - body));
	for (int i = 0; i < N_EVCOLS; i++) {
		memcpy(p, e->col[i], len[i]);
		p += len[i];
		dir = put_dir(dir, ids[i], len[i]);
	}
	return (size_t)(p - out);
}

/* ------------------------------------------------------------ decoding */

struct col {
	const uint8_t *p, *end;
	bool seen;
};

void ebt_dec_free(struct ebt_dec *d)
{
	free(d->tid);
	free(d->pid);
	free(d->keys);
	memset(d, 0, sizeof(*d));
}

static int dec_reserve(struct ebt_dec *d, size_t threads, size_t keys)
{
	if (threads > d->threads_cap) {
		uint32_t *t = realloc(d->tid, threads * sizeof(uint32_t));

		if (!t)
			return -ENOMEM;
		d->tid = t;
		t = realloc(d->pid, threads * sizeof(uint32_t));
		if (!t)
			return -ENOMEM;
		d->pid = t;
		d->threads_cap = threads;
	}
	if (keys > d->keys_cap) {
		struct ebt_deckey *k = realloc(d->keys, keys * sizeof(*k));

		if (!k)
			return -ENOMEM;
		d->keys = k;
		d->keys_cap = keys;
	}
	return 0;
}

/* Parses the column directory into cols[1..EBT_COL_MAX]. */
static int parse_dir(const uint8_t *p, size_t len, struct col *cols,
		     const char **msg)
{
	uint16_t ncol = ebt_get_le16(p + 4);
	size_t off = EBT_EV_HDR_LEN + (size_t)ncol * EBT_EV_DIR_LEN;
	const uint8_t *d = p + EBT_EV_HDR_LEN;

	if (off > len) {
		*msg = "column directory runs past the payload";
		return -EBADMSG;
	}
	for (uint16_t i = 0; i < ncol; i++, d += EBT_EV_DIR_LEN) {
		uint16_t id = ebt_get_le16(d);
		uint32_t blen = ebt_get_le32(d + 4);
		bool critical = d[3] & EBT_COL_CRITICAL;
		bool known = id >= 1 && id <= EBT_COL_MAX && d[2] == EBT_ENC_VARINT;

		if (blen > len - off) {
			*msg = "column runs past the payload";
			return -EBADMSG;
		}
		if (!known && critical) {
			*msg = "unknown critical column or encoding (newer writer)";
			return -ENOTSUP;
		}
		if (known) {
			if (cols[id].seen) {
				*msg = "column appears twice";
				return -EBADMSG;
			}
			cols[id].seen = true;
			cols[id].p = p + off;
			cols[id].end = p + off + blen;
		}
		off += blen;
	}
	if (off != len) {
		*msg = "bytes after the last column";
		return -EBADMSG;
	}
	for (int id = 1; id <= EBT_COL_MAX; id++) {
		if (!cols[id].seen) {
			*msg = "a required column is missing";
			return -EBADMSG;
		}
	}
	return 0;
}

static int get_u32(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
	uint64_t v;

	if (ebt_get_uvarint(p, end, &v) || v > UINT32_MAX)
		return -EBADMSG;
	*out = (uint32_t)v;
	return 0;
}

static int decode_threads(struct ebt_dec *d, struct col *c, uint32_t count,
			  uint32_t *n_out)
{
	uint32_t n;

	if (get_u32(&c->p, c->end, &n) || n > count ||
	    n > (size_t)(c->end - c->p) / 2)
		return -EBADMSG;
	if (dec_reserve(d, n, 0))
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (get_u32(&c->p, c->end, &d->tid[i]) ||
		    get_u32(&c->p, c->end, &d->pid[i]))
			return -EBADMSG;
	}
	*n_out = n;
	return c->p == c->end ? 0 : -EBADMSG;
}

static int decode_keys(struct ebt_dec *d, struct col *c, uint32_t count,
		       uint32_t n_th, uint32_t *n_out)
{
	uint32_t n;

	if (get_u32(&c->p, c->end, &n) || n > count ||
	    n > (size_t)(c->end - c->p) / 5)
		return -EBADMSG;
	if (dec_reserve(d, 0, n))
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct ebt_deckey *k = &d->keys[i];
		uint32_t th;
		uint64_t arg0;

		if (get_u32(&c->p, c->end, &th) || th >= n_th ||
		    get_u32(&c->p, c->end, &k->nr) ||
		    ebt_get_uvarint(&c->p, c->end, &arg0) ||
		    get_u32(&c->p, c->end, &k->stack_id) ||
		    get_u32(&c->p, c->end, &k->flags))
			return -EBADMSG;
		k->arg0 = (uint64_t)ebt_unzigzag(arg0);
		k->cpu = 0;
		k->tid = d->tid[th];
		k->pid = d->pid[th];
	}
	*n_out = n;
	return c->p == c->end ? 0 : -EBADMSG;
}

#define SAME_OFF(f) (offsetof(struct ebt_event, f) - offsetof(struct ebt_event, arg0) == \
		     offsetof(struct ebt_deckey, f))
_Static_assert(SAME_OFF(pid) && SAME_OFF(tid) && SAME_OFF(nr) && SAME_OFF(cpu) &&
	       SAME_OFF(stack_id) && SAME_OFF(flags) &&
	       sizeof(struct ebt_deckey) == sizeof(struct ebt_event) -
					    offsetof(struct ebt_event, arg0),
	       "struct ebt_deckey must mirror struct ebt_event from arg0 on");

/* LEB128 without a bounds check: the caller guarantees 10 readable bytes.
 * Same acceptance as ebt_get_uvarint(). */
static inline int get_uv_fast(const uint8_t **pp, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t v;

	if (p[0] < 0x80) {
		*out = p[0];
		*pp = p + 1;
		return 0;
	}
	if (p[1] < 0x80) {
		*out = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
		*pp = p + 2;
		return 0;
	}
	v = (uint64_t)(p[0] & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7;
	if (p[2] < 0x80) {		/* durations of 16 us to 2 ms, most deltas */
		*out = v | (uint64_t)p[2] << 14;
		*pp = p + 3;
		return 0;
	}
	for (unsigned int i = 2; i < 10; i++) {
		uint8_t b = p[i];

		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (b < 0x80) {
			if (i == 9 && b > 1)
				return -EBADMSG;
			*pp = p + i + 1;
			*out = v;
			return 0;
		}
	}
	return -EBADMSG;
}

/* Events every column can still supply without a bounds check. */
static size_t safe_rows(const struct col *cols)
{
	size_t safe = SIZE_MAX;

	for (int id = EBT_COL_KEY; id <= EBT_COL_CPU; id++) {
		size_t n = (size_t)(cols[id].end - cols[id].p) / 10;

		safe = n < safe ? n : safe;
	}
	return safe;
}

#define DECODE_ROW(get)                                                         \
	do {                                                                    \
		const struct ebt_deckey *k;                                     \
		uint64_t key, delta, dur, ret, cpu;                             \
		if (get(ck, &key) || key >= n_keys)                             \
			return -EBADMSG;                                        \
		k = &d->keys[key];                                              \
		__builtin_prefetch(k);                                          \
		if (get(cx, &delta) || get(cd, &dur) || get(cr, &ret) ||       \
		    get(cc, &cpu) || cpu > UINT32_MAX)                          \
			return -EBADMSG;                                        \
		exit += (uint64_t)ebt_unzigzag(delta);                          \
		ev->enter_ns = exit - dur;                                      \
		ev->duration_ns = dur;                                          \
		ev->ret = ebt_unzigzag(ret);                                    \
		memcpy(&ev->arg0, k, sizeof(*k));                               \
		ev->cpu = (uint32_t)cpu;                                        \
		ev++;                                                           \
	} while (0)

/* c: a cursor (const uint8_t *) for GET_FAST, a struct col * for GET_SAFE */
#define GET_FAST(c, out) get_uv_fast(&(c), out)
#define GET_SAFE(c, out) ebt_get_uvarint(&(c)->p, (c)->end, out)

/*
 * Rows [ev, end) from columns holding 10 readable bytes per row. The
 * cursors are locals here, kept in registers (through cols they would be
 * stored and loaded again for every value).
 */
static int decode_fast(const struct ebt_dec *d, struct col *cols, uint32_t n_keys,
		       uint64_t *exit_io, struct ebt_event *ev, const struct ebt_event *end)
{
	const uint8_t *ck = cols[EBT_COL_KEY].p, *cx = cols[EBT_COL_EXIT_DELTA].p;
	const uint8_t *cd = cols[EBT_COL_DURATION].p, *cr = cols[EBT_COL_RET].p;
	const uint8_t *cc = cols[EBT_COL_CPU].p;
	uint64_t exit = *exit_io;

	while (ev < end)
		DECODE_ROW(GET_FAST);
	cols[EBT_COL_KEY].p = ck;
	cols[EBT_COL_EXIT_DELTA].p = cx;
	cols[EBT_COL_DURATION].p = cd;
	cols[EBT_COL_RET].p = cr;
	cols[EBT_COL_CPU].p = cc;
	*exit_io = exit;
	return 0;
}

static int decode_rows(struct ebt_dec *d, struct col *cols, uint32_t count,
		       uint32_t n_keys, uint64_t exit, struct ebt_event *out)
{
	struct col *ck = &cols[EBT_COL_KEY], *cx = &cols[EBT_COL_EXIT_DELTA];
	struct col *cd = &cols[EBT_COL_DURATION], *cr = &cols[EBT_COL_RET];
	struct col *cc = &cols[EBT_COL_CPU];
	struct ebt_event *ev = out, *stop = out + count;

	while (ev < stop) {
		size_t safe = safe_rows(cols);
		struct ebt_event *fast_end;
		int err;

		if (!safe) {
			DECODE_ROW(GET_SAFE);
			continue;
		}
		fast_end = (size_t)(stop - ev) < safe ? stop : ev + safe;
		err = decode_fast(d, cols, n_keys, &exit, ev, fast_end);
		if (err)
			return err;
		ev = fast_end;
	}
	for (int id = EBT_COL_KEY; id <= EBT_COL_CPU; id++) {
		if (cols[id].p != cols[id].end)
			return -EBADMSG;
	}
	return 0;
}

int ebt_events_decode(struct ebt_dec *d, const uint8_t *p, size_t len,
		      uint32_t count, struct ebt_event *out, const char **msg)
{
	struct col cols[EBT_COL_MAX + 1];
	uint32_t n_th = 0, n_keys = 0;
	int err;

	memset(cols, 0, sizeof(cols));
	if (len < EBT_EV_HDR_LEN) {
		*msg = "events payload shorter than its header";
		return -EBADMSG;
	}
	if (ebt_get_le32(p) != count) {
		*msg = "event count differs from the chunk header";
		return -EBADMSG;
	}
	err = parse_dir(p, len, cols, msg);
	if (err)
		return err;
	err = decode_threads(d, &cols[EBT_COL_THREADS], count, &n_th);
	if (!err)
		err = decode_keys(d, &cols[EBT_COL_KEYDICT], count, n_th, &n_keys);
	if (!err)
		err = decode_rows(d, cols, count, n_keys, ebt_get_le64(p + 8), out);
	if (err == -EBADMSG)
		*msg = "malformed events column";
	else if (err)
		*msg = "out of memory";
	return err;
}
