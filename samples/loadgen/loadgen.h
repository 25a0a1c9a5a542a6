/* SPDX-License-Identifier: MIT */
/* loadgen: closed-loop HTTP load over keep-alive connections (internal). */
#ifndef SAMPLES_LOADGEN_LOADGEN_H
#define SAMPLES_LOADGEN_LOADGEN_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#define LG_MAX_CLASSES 8
#define LG_MAX_CONNS 1024

struct lg_class {
	char name[32];
	uint32_t weight;
};

struct lg_opts {
	const char *host;		/* IPv4 address */
	uint32_t port;
	uint32_t connections;
	uint64_t duration_ns;		/* 0: run until 'requests' are done */
	uint64_t requests;		/* 0: run for duration_ns */
	struct lg_class classes[LG_MAX_CLASSES];
	uint32_t n_classes;
	uint32_t seed;
	uint32_t linger_ms;		/* idle time before closing, after the last answer */
	const char *json_path;
	int quiet;
};

struct lg_result {
	uint64_t sent;			/* requests written completely */
	uint64_t ok;			/* 200 responses */
	uint64_t errors;		/* non-200 answers, failed or cut requests */
	uint64_t reconnects;
	uint64_t elapsed_ns;
	uint64_t per_class[LG_MAX_CLASSES];
	uint64_t *lat_ns;		/* every answered request's latency, sorted */
	uint64_t n_lat;
};

/* Set by SIGINT/SIGTERM: connections finish their request and stop. */
extern volatile sig_atomic_t lg_stop;

/* "normal:90,config:5,enrich:5" into o->classes. 0 or -EINVAL. */
int lg_mix_parse(const char *spec, struct lg_opts *o);

/* Runs the load; *out owns lat_ns until lg_result_free(). 0, or -errno when
 * a connection cannot be opened at the start (later failures count as
 * errors and the connection is dialled again). */
int lg_run(const struct lg_opts *o, struct lg_result *out);
void lg_result_free(struct lg_result *r);

/* The q-th quantile (0..1) of the sorted latencies, nearest rank; 0 if none. */
uint64_t lg_quantile(const struct lg_result *r, double q);

void lg_print_text(const struct lg_opts *o, const struct lg_result *r, FILE *f);
void lg_print_json(const struct lg_opts *o, const struct lg_result *r, FILE *f);

#endif
