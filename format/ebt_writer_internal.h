/* SPDX-License-Identifier: MIT */
/* The writer object, shared by ebt_writer.c (appending thread) and
 * ebt_writer_io.c (worker: encode, compress, write). */
#ifndef FORMAT_EBT_WRITER_INTERNAL_H
#define FORMAT_EBT_WRITER_INTERNAL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <zstd.h>

#include "format/ebt_internal.h"

enum job_kind { JOB_EVENTS = 1, JOB_META, JOB_STOP, JOB_RELEASE };

struct job {
	uint32_t kind;		/* enum job_kind */
	uint32_t slot;		/* JOB_EVENTS: pool index */
	uint32_t n;		/* events or records */
	uint8_t *meta;		/* JOB_META: encoded records, owned by the job */
	size_t meta_len;
};

struct ebt_writer {
	int fd;
	struct ebt_writer_opts o;

	/* Appending thread only. */
	struct ebt_event **slots;	/* pool_chunks buffers of chunk_events */
	uint32_t cur_slot, cur_n;
	bool cur_aged, meta_aged, held_aged;	/* *_since_ns is set */
	uint64_t cur_since_ns, meta_since_ns, held_since_ns;
	struct ebt_buf meta;		/* pending records */
	uint32_t meta_n;
	uint64_t drop_n, drop_lo, drop_hi;	/* drops not yet in a LOSS record */
	int err;			/* first producer-side error */

	/* Single-producer single-consumer rings (producer -> worker jobs,
	 * worker -> producer free slots). */
	struct job *jobs;
	uint32_t jobs_mask;
	_Atomic uint32_t jobs_head, jobs_tail;
	uint32_t *free_ring;
	uint32_t free_mask;
	_Atomic uint32_t free_head, free_tail;
	sem_t wake;
	bool sem_ok, threaded;
	pthread_t thread;

	/* Worker only (or the caller in inline mode, and close after join). */
	struct ebt_enc *enc;
	ZSTD_CCtx *cctx;
	uint8_t *out;
	size_t out_cap;
	uint8_t *raw;
	size_t raw_cap;
	uint64_t seq, offset;
	uint64_t ts_lo, ts_hi;
	struct ebt_buf index;		/* FOOTER entries */
	bool index_full;
	/* reorder_ms: merged holds the events held back for the next buffer
	 * (sorted, at its front) and then the next buffer (2 x chunk_events);
	 * held is the merge's scratch (chunk_events) */
	struct ebt_event *held, *merged;
	uint32_t held_n;
	uint64_t hold_ns;

	_Atomic uint64_t st_events, st_dropped, st_records, st_chunks, st_raw;
	_Atomic uint64_t st_file;
	_Atomic uint32_t st_held;	/* held_n, for the producer's flush */
	_Atomic int io_err;
};

/* Worker side (ebt_writer_io.c). */
int wio_init(struct ebt_writer *w, uint32_t chunk_events);
void wio_fini(struct ebt_writer *w);
/* Pops and runs every queued job; false once JOB_STOP was run. */
bool wio_drain(struct ebt_writer *w);
void *wio_thread(void *arg);
/* Writes the FOOTER chunk; called once, after the worker stopped. */
void wio_footer(struct ebt_writer *w);
/* Writes all of buf to fd (loops on short writes and EINTR). */
int wio_write_full(int fd, const uint8_t *buf, size_t len);

#endif /* FORMAT_EBT_WRITER_INTERNAL_H */
