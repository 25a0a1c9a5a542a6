/* SPDX-License-Identifier: MIT */
/*
 * Generated .ebt traces with known answers, for the analyze unit tests and
 * the benchmark: random syscall mixes (statistics), an event-loop server
 * and a thread-per-request server (request rebuilding).
 */
#ifndef TESTS_UNIT_ANALYZE_GEN_H
#define TESTS_UNIT_ANALYZE_GEN_H

#include <stdbool.h>
#include <stdint.h>

/* GEN_FDMIX: an event-loop server doing read()/writev() on its sockets, a
 * file read, a pipe write and an eventfd read per request (categories by
 * descriptor), and tiny_burst writes of 8 bytes per response.
 * GEN_CONNECTS: an event-loop server on 4 client connections (fds 10-13,
 * peers 10.0.3.1-4) that, for request i, connects a new socket, always fd 20,
 * to 10.2.0.(i % 4 + 1):5432 (the FD UPDATE record dated at the connect's
 * exit, as ebpf-record writes it), writes, reads and closes it, then
 * answers; the descriptor facts of a chunk all precede its events. */
enum gen_kind { GEN_RANDOM = 0, GEN_EVLOOP, GEN_THREADS, GEN_FDMIX, GEN_CONNECTS };

struct gen_opts {
	enum gen_kind kind;
	uint64_t events;	/* GEN_RANDOM: number of events */
	uint32_t requests;	/* servers: number of requests */
	uint32_t threads;	/* GEN_RANDOM/GEN_THREADS: threads */
	uint32_t seed;
	uint32_t sample_every;	/* 0/1: none */
	const char *comm;	/* process name (may be hostile) */
	const char *hostname;
	const char *path;	/* file the servers open (may be hostile) */
	bool loss;		/* add a LOSS record in the middle */
	uint32_t tiny_burst;	/* GEN_FDMIX: tiny write() calls per response */
};

#define GEN_MAX_NAMES 16
#define GEN_NCAT 10		/* SC__COUNT */

struct gen_truth {
	uint64_t events;
	/* GEN_RANDOM: per name, every duration (caller frees with gen_truth_free) */
	const char *names[GEN_MAX_NAMES];
	uint64_t *durs[GEN_MAX_NAMES];
	uint64_t count[GEN_MAX_NAMES], errors[GEN_MAX_NAMES], total[GEN_MAX_NAMES];
	/* servers */
	uint64_t requests;
	uint64_t *req_durs;	/* each request's duration */
	uint64_t req_syscall_ns;	/* syscall time inside requests */
	uint64_t idle_ns;
	uint64_t start_wall_ns;
	/* GEN_FDMIX: events and time per category (enum syscall_category),
	 * in-request time per category */
	uint64_t cat_count[GEN_NCAT], cat_ns[GEN_NCAT], cat_req_ns[GEN_NCAT];
};

/* Writes path (replacing it). 0 or -errno. */
int gen_trace(const char *path, const struct gen_opts *o, struct gen_truth *t);
void gen_truth_free(struct gen_truth *t);

/* The value of rank ceil(q * n) of sorted v (the analyzer's definition). */
uint64_t gen_quantile(uint64_t *v, uint64_t n, double q);

#endif
