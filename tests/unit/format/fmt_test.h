/* SPDX-License-Identifier: MIT */
/* Helpers shared by the format unit tests. */
#ifndef TESTS_UNIT_FORMAT_FMT_TEST_H
#define TESTS_UNIT_FORMAT_FMT_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "format/ebt.h"

/* A fresh directory under /tmp (malloc'd path); fmt_rmdir removes it and
 * the files in it, then frees the path. */
char *fmt_mkdtemp(void);
void fmt_rmdir(char *dir);
/* dir/name in a static buffer (one at a time). */
const char *fmt_path(const char *dir, const char *name);

uint64_t fmt_rand(uint64_t *state);

/* Plausible events in strictly increasing exit order. Never change the
 * sequence: the golden file test (test_golden.c) depends on it. */
void fmt_gen_events(struct ebt_event *ev, size_t n, uint64_t seed);

bool fmt_event_eq(const struct ebt_event *a, const struct ebt_event *b);

struct fmt_read {
	int open_err;		/* ebt_reader_open() result */
	int end;		/* last ebt_reader_next() result */
	struct ebt_event *events;	/* all events, in file order */
	size_t n_events;
	size_t n_records;
	size_t n_chunks;	/* EVENTS + META chunks delivered */
	size_t warnings;	/* calls that left a warning */
	uint64_t chunk_seq[256];	/* seq of each delivered EVENTS chunk */
	size_t chunk_first[256];	/* index of its first event */
	size_t n_ev_chunks;
	char kv[64];		/* "key=value" of every FILE_INFO, concatenated */
	struct ebt_info info;
};

/* Writes ev[0..n) to path with opts o, asserting that every event is kept. */
void fmt_write_events(const char *path, const struct ebt_event *ev, size_t n,
		      const struct ebt_writer_opts *o);

/* Reads a whole file (not follow mode); free with fmt_read_free. */
void fmt_read_file(const char *path, struct fmt_read *out);
void fmt_read_free(struct fmt_read *r);

/* Reads a whole file into memory (malloc'd); size in *len. */
uint8_t *fmt_slurp(const char *path, size_t *len);
void fmt_spit(const char *path, const uint8_t *p, size_t len);

#endif
