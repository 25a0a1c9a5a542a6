// SPDX-License-Identifier: MIT
/* Keyed state of the engine: threads, processes, fds, and the map they use. */
#include "analyze/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/log.h"

/* Key 0 marks an empty slot, so stored keys are (key | 1 << 63). */
#define LIVE (1ull << 63)

static inline size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

int ana_map_init(struct ana_map *m, size_t cap)
{
	m->keys = calloc(cap, sizeof(*m->keys));
	m->vals = calloc(cap, sizeof(*m->vals));
	m->cap = cap;
	m->n = 0;
	if (!m->keys || !m->vals) {
		ana_map_free(m);
		return -ENOMEM;
	}
	return 0;
}

void ana_map_free(struct ana_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

void *ana_map_get(const struct ana_map *m, uint64_t key)
{
	size_t i = slot_of(key, m->cap);

	key |= LIVE;
	for (;;) {
		if (m->keys[i] == key)
			return m->vals[i];
		if (!m->keys[i])
			return NULL;
		i = (i + 1) & (m->cap - 1);
	}
}

static int grow(struct ana_map *m)
{
	struct ana_map n;
	int err = ana_map_init(&n, m->cap * 2);

	if (err)
		return err;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i])
			ana_map_put(&n, m->keys[i] & ~LIVE, m->vals[i]);
	}
	ana_map_free(m);
	*m = n;
	return 0;
}

int ana_map_put(struct ana_map *m, uint64_t key, void *val)
{
	size_t i;

	if ((m->n + 1) * 4 > m->cap * 3 && grow(m))
		return -ENOMEM;
	i = slot_of(key, m->cap);
	key |= LIVE;
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
	return 0;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
void ana_map_del(struct ana_map *m, uint64_t key)
{
	size_t i = slot_of(key, m->cap), j, k;

	key |= LIVE;
	while (m->keys[i] != key) {
		if (!m->keys[i])
			return;
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = 0;
	m->n--;
	for (j = (i + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		k = slot_of(m->keys[j] & ~LIVE, m->cap);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->keys[j] = 0;
			i = j;
		}
	}
}

size_t ana_name_copy(char *dst, size_t size, const char *s, size_t len)
{
	static const char nul_sym[] = "\xe2\x90\x80";	/* U+2400 SYMBOL FOR NULL */
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < size; i++) {
		if (s[i]) {
			dst[n++] = s[i];
		} else if (n + 3 < size) {
			memcpy(dst + n, nul_sym, 3);
			n += 3;
		} else {
			break;
		}
	}
	dst[n] = 0;
	return n;
}

char *ana_strndup(const char *s, size_t len)
{
	char *p;

	size_t out = 0;

	if (len > ANA_MAX_STR)
		len = ANA_MAX_STR;
	for (size_t i = 0; i < len; i++)
		out += s[i] ? 1 : 3;
	if (out > ANA_MAX_STR)
		out = ANA_MAX_STR;
	p = malloc(out + 1);
	if (p)
		ana_name_copy(p, out + 1, s, len);
	return p;
}

void ana_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

void ana_warn_cap(struct ana_engine *e, int which, const char *what, const char *fate)
{
	if (e->cap_warned[which])
		return;
	e->cap_warned[which] = true;
	log_warn("more than the cap of tracked %s: %s", what, fate);
}

static uint64_t tkey(uint32_t file, uint32_t id)
{
	return (uint64_t)file << 32 | id;
}

struct ana_proc *ana_proc_get(struct ana_engine *e, uint32_t file, uint32_t pid)
{
	uint64_t key = tkey(file, pid);
	struct ana_proc *p = ana_map_get(&e->procs, key);

	if (p)
		return p;
	if (e->procs.n >= ANA_MAX_PROCS) {
		ana_warn_cap(e, 0, "processes", ANA_CAP_MERGED);
		key = tkey(file, UINT32_MAX);
		pid = UINT32_MAX;
		p = ana_map_get(&e->procs, key);
		if (p)
			return p;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->key = key;
	p->file = file;
	p->pid = pid;
	p->exit_code = -1;
	ana_hist_init(&p->h);
	p->h.budget = &e->proc_pages;
	if (ana_map_put(&e->procs, key, p)) {
		free(p);
		return NULL;
	}
	return p;
}

struct ana_thread *ana_thread_get(struct ana_engine *e, uint32_t file, uint32_t pid,
				  uint32_t tid)
{
	uint64_t key = tkey(file, tid);
	struct ana_thread *t = ana_map_get(&e->threads, key);
	struct ana_proc *p;

	if (t)
		return t;
	if (e->threads.n >= ANA_MAX_THREADS) {
		ana_warn_cap(e, 1, "threads", ANA_CAP_MERGED);
		key = tkey(file, UINT32_MAX);
		tid = UINT32_MAX;
		t = ana_map_get(&e->threads, key);
		if (t)
			return t;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->key = key;
	t->file = file;
	t->pid = pid;
	t->tid = tid;
	t->cur_id = -1;
	ana_hist_init(&t->h);
	t->h.budget = &e->thr_pages;
	if (ana_map_put(&e->threads, key, t)) {
		free(t);
		return NULL;
	}
	p = ana_proc_get(e, file, pid);
	t->proc = p;
	if (p) {
		p->threads++;
		if (!t->comm[0] && p->comm)
			snprintf(t->comm, sizeof(t->comm), "%s", p->comm);
	}
	return t;
}

struct ana_fd *ana_fd_get(struct ana_engine *e, uint32_t file, uint32_t pid, int32_t fd,
			  bool create)
{
	uint64_t key = (uint64_t)file << 58 ^ (uint64_t)pid << 26 ^ (uint64_t)(uint32_t)fd;
	struct ana_fd *f;

	f = ana_map_get(&e->fds, key);
	while (f && (f->pid != pid || f->fd != fd || f->file != file)) {
		key += 0x9e3779b97f4a7c15ull;	/* key collision: probe a derived key */
		f = ana_map_get(&e->fds, key);
	}
	if (f && create && f->closed) {
		f->closed = false;	/* the number is in use again */
		e->fds_closed--;
	}
	if (f || !create)
		return f;
	if (e->fds.n >= ANA_MAX_FDS && e->fds_closed * 2 >= e->fds.n)
		ana_fd_purge(e);
	if (e->fds.n >= ANA_MAX_FDS) {
		ana_warn_cap(e, 2, "file descriptors",
			     "the rest are counted without their descriptor's facts");
		return NULL;
	}
	f = e->free_fds;
	if (f) {
		e->free_fds = f->next_free;
		memset(f, 0, sizeof(*f));
	} else {
		f = calloc(1, sizeof(*f));
	}
	if (!f)
		return NULL;
	f->live = true;
	f->key = key;
	f->file = file;
	f->pid = pid;
	f->fd = fd;
	if (ana_map_put(&e->fds, key, f)) {
		free(f);
		return NULL;
	}
	return f;
}
