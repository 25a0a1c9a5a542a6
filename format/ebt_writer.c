/* SPDX-License-Identifier: MIT */
/*
 * The writer, appending side. append() copies into the open chunk buffer;
 * full buffers go to the worker (ebt_writer_io.c) through a lock-free
 * single-producer ring, and come back through another. Metadata records are
 * encoded at once into a pending buffer that is queued before the events
 * chunk open at the time, so the reader meets them first.
 */
#include "format/ebt_writer_internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEF_CHUNK_EVENTS 65536u
#define DEF_POOL 8u
#define MAX_POOL 1024u
#define DEF_FLUSH_MS 1000u
#define DEF_LEVEL 3
#define META_HANDOFF_BYTES (1u << 20)
#define MAX_REORDER_MS 60000u

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p *= 2;
	return p;
}

static int check_opts(const struct ebt_writer_opts *in, struct ebt_writer_opts *o)
{
	*o = in ? *in : (struct ebt_writer_opts){ 0 };
	if (!o->level)
		o->level = DEF_LEVEL;
	if (!o->chunk_events)
		o->chunk_events = DEF_CHUNK_EVENTS;
	if (!o->pool_chunks)
		o->pool_chunks = DEF_POOL;
	if (!o->flush_ms)
		o->flush_ms = DEF_FLUSH_MS;
	if (!o->mode)
		o->mode = 0600;
	if (!o->clock_id)
		o->clock_id = CLOCK_BOOTTIME;
	if (o->level < ZSTD_minCLevel() || o->level > ZSTD_maxCLevel() ||
	    o->chunk_events > EBT_MAX_CHUNK_EVENTS || o->pool_chunks > MAX_POOL ||
	    (o->pool_chunks < 2 && !o->inline_io) || o->mode > 07777 ||
	    o->reorder_ms > MAX_REORDER_MS)
		return -EINVAL;
	return 0;
}

static int write_header(struct ebt_writer *w)
{
	uint8_t h[EBT_HEADER_LEN] = { 0 };
	struct timespec ts;
	size_t got = 0;

	memcpy(h, EBT_SIGNATURE, EBT_SIG_LEN);
	ebt_put_le16(h + 8, EBT_VERSION_MAJOR);
	ebt_put_le16(h + 10, EBT_VERSION_MINOR);
	ebt_put_le32(h + 12, EBT_HEADER_LEN);
	/* 16: incompat features, 24: compat features, both 0 */
	while (got < 16) {
		ssize_t n = getrandom(h + 32 + got, 16 - got, 0);

		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			got += (size_t)n;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	ebt_put_le64(h + 48, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
	ebt_put_le32(h + 56, w->o.clock_id);
	ebt_put_le32(h + EBT_HDR_CHECK_OFF, ebt_header_check(h, EBT_HEADER_LEN));
	w->offset = EBT_HEADER_LEN;
	atomic_store(&w->st_file, w->offset);
	return wio_write_full(w->fd, h, sizeof(h));
}

static int alloc_pool(struct ebt_writer *w)
{
	uint32_t n = w->o.pool_chunks;

	w->slots = calloc(n, sizeof(*w->slots));
	w->jobs_mask = pow2_at_least(2 * n + 8) - 1;
	w->jobs = calloc((size_t)w->jobs_mask + 1, sizeof(*w->jobs));
	w->free_mask = pow2_at_least(n) - 1;
	w->free_ring = calloc((size_t)w->free_mask + 1, sizeof(*w->free_ring));
	if (!w->slots || !w->jobs || !w->free_ring)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		w->slots[i] = malloc(sizeof(struct ebt_event) * w->o.chunk_events);
		if (!w->slots[i])
			return -ENOMEM;
	}
	/* slot 0 is the open chunk; the others are free */
	for (uint32_t i = 1; i < n; i++)
		w->free_ring[i - 1] = i;
	atomic_store(&w->free_head, n - 1);
	return 0;
}

static void writer_free(struct ebt_writer *w)
{
	if (!w)
		return;
	wio_fini(w);
	if (w->slots) {
		for (uint32_t i = 0; i < w->o.pool_chunks; i++)
			free(w->slots[i]);
	}
	free(w->slots);
	/* META jobs left in the ring own their buffers */
	for (uint32_t t = atomic_load(&w->jobs_tail); w->jobs && t != atomic_load(&w->jobs_head);
	     t++) {
		if (w->jobs[t & w->jobs_mask].kind == JOB_META)
			free(w->jobs[t & w->jobs_mask].meta);
	}
	free(w->jobs);
	free(w->free_ring);
	ebt_buf_free(&w->meta);
	if (w->sem_ok)
		sem_destroy(&w->wake);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

int ebt_writer_open_fd(int fd, const struct ebt_writer_opts *opts,
		       struct ebt_writer **out)
{
	struct ebt_writer *w;
	int err;

	if (out)
		*out = NULL;
	if (fd < 0 || !out)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->ts_lo = UINT64_MAX;
	err = check_opts(opts, &w->o);
	if (!err)
		err = alloc_pool(w);
	if (!err)
		err = wio_init(w, w->o.chunk_events);
	if (!err)
		err = write_header(w);
	if (!err && !w->o.inline_io) {
		w->sem_ok = !sem_init(&w->wake, 0, 0);
		err = w->sem_ok ? -pthread_create(&w->thread, NULL, wio_thread, w) : -errno;
		w->threaded = !err;
	}
	if (err) {
		w->fd = -1;	/* fd stays the caller's on failure */
		writer_free(w);
		return err;
	}
	*out = w;
	return 0;
}

int ebt_writer_open(const char *path, const struct ebt_writer_opts *opts,
		    struct ebt_writer **out)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	mode_t mode = opts && opts->mode ? (mode_t)opts->mode : 0600;
	int fd, err;

	if (out)
		*out = NULL;
	if (!path || !out)
		return -EINVAL;
	/* unlink removes a symlink itself, never its target; O_EXCL then
	 * refuses whatever appeared in between */
	if (opts && opts->overwrite && unlink(path) && errno != ENOENT)
		return -errno;
	fd = open(path, flags, mode);
	if (fd < 0)
		return -errno;
	err = ebt_writer_open_fd(fd, opts, out);
	if (err) {
		unlink(path);
		close(fd);
	}
	return err;
}

static uint32_t jobs_space(const struct ebt_writer *w)
{
	uint32_t used = atomic_load_explicit(&w->jobs_head, memory_order_relaxed) -
			atomic_load_explicit(&w->jobs_tail, memory_order_acquire);

	return w->jobs_mask + 1 - used;
}

static void push_job(struct ebt_writer *w, const struct job *j)
{
	uint32_t h = atomic_load_explicit(&w->jobs_head, memory_order_relaxed);

	w->jobs[h & w->jobs_mask] = *j;
	atomic_store_explicit(&w->jobs_head, h + 1, memory_order_release);
}

/* Lets the worker run: one non-blocking futex wake when it sleeps, or the
 * work itself in inline mode. */
static void kick(struct ebt_writer *w)
{
	if (w->threaded)
		sem_post(&w->wake);
	else
		wio_drain(w);
}

static void note_loss(struct ebt_writer *w)
{
	struct ebt_record r = { .kind = EBT_REC_LOSS };

	if (!w->drop_n)
		return;
	r.loss.source = EBT_LOSS_WRITER;
	r.loss.cpu = UINT32_MAX;
	r.loss.ts_start_ns = w->drop_lo;
	r.loss.ts_end_ns = w->drop_hi;
	r.loss.count = w->drop_n;
	if (ebt_record_encode(&w->meta, &r))
		return;	/* out of memory: keep counting, retry later */
	w->meta_n++;
	w->drop_n = 0;
}

/* Queues the pending records (and any loss not yet recorded). Needs one
 * free job entry. */
static void push_meta(struct ebt_writer *w)
{
	struct job j = { .kind = JOB_META };

	note_loss(w);
	if (!w->meta_n)
		return;
	j.n = w->meta_n;
	j.meta = w->meta.p;
	j.meta_len = w->meta.len;
	push_job(w, &j);
	memset(&w->meta, 0, sizeof(w->meta));
	w->meta_n = 0;
	w->meta_aged = false;
}

/* Hands the open chunk (after pending records) to the worker and opens a
 * fresh one. -ENOBUFS: no free buffer or queue entry yet. */
static int handoff(struct ebt_writer *w)
{
	uint32_t ft = atomic_load_explicit(&w->free_tail, memory_order_relaxed);
	struct job j = { .kind = JOB_EVENTS, .slot = w->cur_slot, .n = w->cur_n };

	/* inline mode gets the buffer back from kick() itself */
	if ((w->threaded && ft == atomic_load_explicit(&w->free_head, memory_order_acquire)) ||
	    jobs_space(w) < 2)
		return -ENOBUFS;
	push_meta(w);
	push_job(w, &j);
	kick(w);
	w->cur_slot = w->free_ring[ft & w->free_mask];
	atomic_store_explicit(&w->free_tail, ft + 1, memory_order_release);
	w->cur_n = 0;
	w->cur_aged = false;
	w->held_aged = false;
	return 0;
}

int ebt_writer_append(struct ebt_writer *w, const struct ebt_event *ev)
{
	if (w->cur_n == w->o.chunk_events && handoff(w)) {
		uint64_t exit = ev->enter_ns + ev->duration_ns;

		if (!w->drop_n || ev->enter_ns < w->drop_lo)
			w->drop_lo = ev->enter_ns;
		if (!w->drop_n || exit > w->drop_hi)
			w->drop_hi = exit;
		w->drop_n++;
		atomic_fetch_add_explicit(&w->st_dropped, 1, memory_order_relaxed);
		return -ENOBUFS;
	}
	w->slots[w->cur_slot][w->cur_n++] = *ev;
	if (w->cur_n == w->o.chunk_events)
		handoff(w);	/* retried on the next append if the pool is empty */
	return 0;
}

int ebt_writer_add_record(struct ebt_writer *w, const struct ebt_record *rec)
{
	int err;

	if (!w || !rec)
		return -EINVAL;
	/* the worker is far behind: keep the pending chunk under the caps */
	if (w->meta_n >= EBT_MAX_CHUNK_RECORDS ||
	    w->meta.len > EBT_MAX_CHUNK_BYTES / 2)
		return -ENOBUFS;
	err = ebt_record_encode(&w->meta, rec);
	if (err)
		return err;
	w->meta_n++;
	if (w->meta.len >= META_HANDOFF_BYTES && jobs_space(w) >= 3) {
		push_meta(w);
		kick(w);
	}
	return 0;
}

static bool due(bool *aged, uint64_t *since, uint64_t now, uint64_t max_ns)
{
	if (!*aged) {
		*aged = true;
		*since = now;
	}
	return now - *since >= max_ns;
}

int ebt_writer_flush(struct ebt_writer *w, uint64_t now_ns, bool force)
{
	uint64_t max_ns = (uint64_t)w->o.flush_ms * 1000000u;
	bool ev_due = false, meta_due = false;

	if (w->cur_n)
		ev_due = due(&w->cur_aged, &w->cur_since_ns, now_ns, max_ns) || force;
	if (w->meta_n || w->drop_n)
		meta_due = due(&w->meta_aged, &w->meta_since_ns, now_ns, max_ns) || force;
	if (ev_due) {
		handoff(w);	/* -ENOBUFS: the chunk waits for the next flush */
	} else if (meta_due && jobs_space(w) >= 3) {
		push_meta(w);
		kick(w);
	} else if (!w->cur_n && atomic_load_explicit(&w->st_held, memory_order_relaxed) &&
		   (due(&w->held_aged, &w->held_since_ns, now_ns, max_ns) || force) &&
		   jobs_space(w) >= 2) {
		/* no new events for flush_ms: the held ones need not wait more */
		struct job j = { .kind = JOB_RELEASE };

		push_job(w, &j);
		kick(w);
		w->held_aged = false;
	}
	return atomic_load(&w->io_err);
}

void ebt_writer_get_stats(const struct ebt_writer *w, struct ebt_writer_stats *out)
{
	struct ebt_writer *m = (struct ebt_writer *)w;

	memset(out, 0, sizeof(*out));
	if (!w)
		return;
	out->events = atomic_load(&m->st_events);
	out->dropped = atomic_load(&m->st_dropped);
	out->records = atomic_load(&m->st_records);
	out->chunks = atomic_load(&m->st_chunks);
	out->raw_bytes = atomic_load(&m->st_raw);
	out->file_bytes = atomic_load(&m->st_file);
	out->io_err = atomic_load(&m->io_err);
}

/* Hands off everything left, waiting for the worker to free a buffer if it
 * has to (close is allowed to wait). */
static void drain_all(struct ebt_writer *w)
{
	struct timespec ms = { 0, 1000000 };
	struct job stop = { .kind = JOB_STOP };

	while (w->cur_n && handoff(w))
		nanosleep(&ms, NULL);
	while (jobs_space(w) < 3)
		nanosleep(&ms, NULL);
	push_meta(w);
	push_job(w, &stop);
	kick(w);
	if (w->threaded)
		pthread_join(w->thread, NULL);
	w->threaded = false;
}

int ebt_writer_close(struct ebt_writer *w, struct ebt_writer_stats *stats)
{
	int err;

	if (!w) {
		if (stats)
			memset(stats, 0, sizeof(*stats));
		return 0;
	}
	drain_all(w);
	wio_footer(w);
	if (!atomic_load(&w->io_err) && fsync(w->fd) && errno != EINVAL &&
	    errno != EROFS)
		atomic_store(&w->io_err, -errno);
	err = close(w->fd) ? -errno : 0;
	w->fd = -1;
	if (stats)
		ebt_writer_get_stats(w, stats);
	if (atomic_load(&w->io_err))
		err = atomic_load(&w->io_err);
	else if (w->err)
		err = w->err;
	if (stats)
		stats->io_err = err;
	writer_free(w);
	return err;
}
