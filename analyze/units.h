/* SPDX-License-Identifier: MIT */
/* Human formatting shared by the reports: durations, counts, times, errnos. */
#ifndef ANALYZE_UNITS_H
#define ANALYZE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "812 ns", "4.21 us", "13.0 ms", "2.10 s", "1h02m". Returns buf. */
const char *ana_fmt_ns(char *buf, size_t len, uint64_t ns);

/* "52,000". Returns buf. */
const char *ana_fmt_count(char *buf, size_t len, uint64_t n);

/* "2026-11-23T16:00:00.123456789Z" (UTC); "" for 0. Returns buf. */
const char *ana_fmt_wall(char *buf, size_t len, uint64_t wall_ns);

/* "EAGAIN" for 11; "E<n>" when unknown. Returns buf. */
const char *ana_errno_name(char *buf, size_t len, uint32_t no);

#endif
