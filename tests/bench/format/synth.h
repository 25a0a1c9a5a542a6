/* SPDX-License-Identifier: MIT */
/* A synthetic, realistic server syscall stream for the format benchmark. */
#ifndef TESTS_BENCH_FORMAT_SYNTH_H
#define TESTS_BENCH_FORMAT_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "format/ebt.h"

struct synth_info {
	uint32_t processes, threads, cpus;
	double events_per_sec;	/* simulated aggregate rate */
};

/*
 * Fills ev[0..n) in ring-buffer commit order (exit time plus a small jitter)
 * from a deterministic seed. -ENOMEM or 0.
 */
int synth_generate(struct ebt_event *ev, size_t n, uint64_t seed,
		   struct synth_info *info);

#endif
