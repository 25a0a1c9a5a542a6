/* SPDX-License-Identifier: MIT */
/*
 * Strict number parsing for options and config files: the whole string must
 * be a number in [min, max]. 0 on success, -EINVAL not a number, -ERANGE out
 * of range. *out is untouched on failure.
 */
#ifndef COMMON_PARSE_H
#define COMMON_PARSE_H

#include <stdint.h>

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* A non-negative decimal number of seconds, fraction allowed ("2.5"), to ns. */
int parse_seconds_ns(const char *s, uint64_t *out);

/* A size with an optional K/M/G suffix (powers of 1024): "256K", "8M". */
int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
