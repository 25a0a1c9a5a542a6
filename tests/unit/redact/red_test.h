/* SPDX-License-Identifier: MIT */
/* Helpers of the redact unit tests: scratch dirs, a trace full of known
 * names, lockstep comparison of two traces, a byte scan of the decompressed
 * chunk payloads. */
#ifndef TESTS_UNIT_REDACT_RED_TEST_H
#define TESTS_UNIT_REDACT_RED_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/redact.h"

/* A fresh directory under /tmp; red_rmdir removes it and its files. */
char *red_mkdtemp(void);
void red_rmdir(char *dir);
/* dir/name, malloc'd. */
char *red_path(const char *dir, const char *name);

/* The names planted by red_write_trace(), NULL-terminated, each a string
 * that must not survive redaction with --what all. */
extern const char *const red_secret_names[];
extern const char red_hostname[];

/* Writes a trace with every record kind (names from red_secret_names) and
 * n_chunks EVENTS chunks of 1000 events each. */
void red_write_trace(const char *path, int n_chunks);

/* The 16-byte test key. */
extern const uint8_t red_key[16];

/* Redacts in -> out with what and red_key (opts otherwise default). */
int red_redact(const char *in, const char *out, uint32_t what, bool force);

/*
 * Reads a and b in lockstep: same chunk types and sizes, events identical
 * bit for bit, records of the same kind with equal integer fields; b may
 * hold extra FILE_INFO "redacted"/"redact_key_id" records. Calls
 * fn(ra, rb, arg) for every pair of records. Fails the test on a mismatch.
 * Returns the number of events compared.
 */
typedef void (*red_pair_fn)(const struct ebt_record *a, const struct ebt_record *b, void *arg);
size_t red_compare(const char *a, const char *b, red_pair_fn fn, void *arg);

/* Decompressed payloads of every chunk of path, concatenated (malloc'd). */
uint8_t *red_payloads(const char *path, size_t *len);
bool red_contains(const uint8_t *p, size_t n, const void *needle, size_t nlen);

/* A record's strings, as a list for loops. */
size_t red_record_strs(const struct ebt_record *r, const struct ebt_str **out, size_t max);

#endif
