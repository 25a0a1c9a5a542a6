/* SPDX-License-Identifier: MIT */
/*
 * ebt-hostile: writes hostile .ebt traces for the tests of issue 8. Each
 * mode is one function taking the output path; the modes that plant strings
 * also write a manifest (JSON: every planted string as hex bytes) so a
 * checker can compare what the outputs show with what the trace holds.
 */
#ifndef TESTS_HOSTILE_HOSTILE_H
#define TESTS_HOSTILE_HOSTILE_H

#include <stddef.h>
#include <stdint.h>

#include "format/ebt.h"

/* A writer in inline mode with checked helpers; the first error sticks. */
struct hw {
	struct ebt_writer *w;
	int err;
	uint64_t now;		/* flush clock */
};

int hw_open(struct hw *h, const char *path, uint32_t chunk_events);
void hw_rec(struct hw *h, const struct ebt_record *r);
void hw_ev(struct hw *h, const struct ebt_event *ev);
/* Forces pending records and the open chunk to disk. */
void hw_flush(struct hw *h);
int hw_close(struct hw *h);

/* Sizes of the resource-bomb modes: full when EBT_HOSTILE_FULL=1 (make
 * check), else small ones that still cross every cap the mode aims at. */
uint32_t hostile_size(uint32_t full, uint32_t small);

/* Standard metadata: FILE_INFO arch/abi, a CLOCK anchor at event time
 * base_ns, and the x86_64 names of the syscalls the modes use. */
void hw_std_meta(struct hw *h, uint64_t base_ns);
void hw_task(struct hw *h, uint32_t kind, uint32_t pid, uint32_t tid, struct ebt_str comm,
	     struct ebt_str exe, struct ebt_str cmdline);
void hw_fd(struct hw *h, uint32_t kind, uint32_t pid, int32_t fd, struct ebt_str path,
	   struct ebt_str peer);

/* x86_64 numbers used by the modes. */
enum {
	NR_READ = 0, NR_WRITE = 1, NR_CLOSE = 3, NR_SENDTO = 44, NR_RECVFROM = 45,
	NR_FSYNC = 74, NR_FUTEX = 202, NR_EPOLL_WAIT = 232, NR_OPENAT = 257,
	NR_ACCEPT4 = 288,
};

struct ebt_event hev(uint64_t enter, uint64_t dur, int64_t ret, uint64_t arg0,
		     uint32_t pid, uint32_t tid, uint32_t nr);

/* The planted strings (explicit lengths: some hold NUL bytes). */
size_t hostile_nstrings(void);
struct ebt_str hostile_string(size_t i);
/* Writes the manifest: {"strings": [{"id": i, "hex": "..."}, ...]}. */
int hostile_manifest(const char *path);
void hostile_strings_free(void);

/* Modes: 0 or -errno. */
int gen_names(const char *out, const char *manifest);
int gen_threads(const char *out);
int gen_fds(const char *out);
int gen_unknown(const char *out);
int gen_time(const char *out);
int gen_loss(const char *out);
int gen_histbomb(const char *out);
int gen_longnames(const char *out);
int gen_metabomb(const char *out);
int gen_clockbomb(const char *out);
int gen_zbomb(const char *out);
int gen_hugelen(const char *out);
/* repeats: copies of the EVENTS chunk (0: 400). */
int gen_repeat(const char *out, uint32_t repeats);

#endif
