// SPDX-License-Identifier: MIT
/* loadgen: command line and the summary. See samples/README.md. */
#include "samples/loadgen/loadgen.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/parse.h"
#include "samples/cli.h"

volatile sig_atomic_t lg_stop;

static const char usage_text[] =
"Usage: loadgen -p PORT [OPTIONS]\n"
"Closed-loop load for the serving sample: each keep-alive connection sends\n"
"POST /infer, waits for the answer, sends the next.\n"
"\n"
"  -p, --port PORT          server port on the host (required)\n"
"      --host ADDR          IPv4 address [default: 127.0.0.1]\n"
"  -c, --connections N      keep-alive connections, one thread each [default: 4]\n"
"  -d, --duration SEC       run for SEC seconds (fraction allowed)\n"
"  -n, --requests N         send N requests in total, then stop\n"
"                           (without -d or -n: 10 seconds)\n"
"  -m, --mix SPEC           request classes and weights\n"
"                           [default: normal:90,config:5,enrich:5]\n"
"      --seed N             seed of the class and input choice [default: 1]\n"
"      --linger MS          keep each connection open and idle for MS ms after\n"
"                           its last answer, as keep-alive clients do [default: 0]\n"
"      --json FILE          also write the summary as JSON to FILE\n"
"  -q, --quiet              no summary on stdout\n"
"  -h, --help               show this help\n"
"\n"
"Examples:\n"
"  loadgen -p 8080 -c 8 -d 10              8 connections for 10 s\n"
"  loadgen -p 8080 -n 2000 -m normal:1,config:1 --json lg.json\n";

static const struct option long_opts[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "host", required_argument, NULL, 'H' },
	{ "connections", required_argument, NULL, 'c' },
	{ "duration", required_argument, NULL, 'd' },
	{ "requests", required_argument, NULL, 'n' },
	{ "mix", required_argument, NULL, 'm' },
	{ "seed", required_argument, NULL, 'S' },
	{ "linger", required_argument, NULL, 'L' },
	{ "json", required_argument, NULL, 'J' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int lg_mix_parse(const char *spec, struct lg_opts *o)
{
	const char *p = spec;

	o->n_classes = 0;
	while (*p) {
		const char *colon = strchr(p, ':'), *comma;
		struct lg_class *k = &o->classes[o->n_classes];
		char num[16];
		size_t nlen;

		comma = strchr(p, ',');
		if (!comma)
			comma = p + strlen(p);
		nlen = comma - colon - 1;
		if (!colon || colon > comma || colon == p || colon - p >= (long)sizeof(k->name) ||
		    nlen == 0 || nlen >= sizeof(num) || o->n_classes == LG_MAX_CLASSES)
			return -EINVAL;
		memcpy(k->name, p, colon - p);
		k->name[colon - p] = 0;
		memcpy(num, colon + 1, nlen);
		num[nlen] = 0;
		if (parse_u32(num, 0, 1000000, &k->weight) || strspn(k->name,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
		    strlen(k->name))
			return -EINVAL;
		if (k->weight)
			o->n_classes++;
		p = *comma ? comma + 1 : comma;
	}
	return o->n_classes ? 0 : -EINVAL;
}

static int parse_one(int c, const char *arg, void *ctx)
{
	struct lg_opts *o = ctx;

	switch (c) {
	case 'p':
		return parse_u32(arg, 1, 65535, &o->port) ? sample_bad("port", arg) : 0;
	case 'H':
		o->host = arg;
		return 0;
	case 'c':
		return parse_u32(arg, 1, LG_MAX_CONNS, &o->connections) ?
			sample_bad("connection count", arg) : 0;
	case 'd':
		return parse_seconds_ns(arg, &o->duration_ns) || !o->duration_ns ?
			sample_bad("duration", arg) : 0;
	case 'n':
		return parse_u64(arg, 1, UINT64_MAX, &o->requests) ?
			sample_bad("request count", arg) : 0;
	case 'm':
		return lg_mix_parse(arg, o) ? sample_bad("mix (name:weight,...)", arg) : 0;
	case 'S':
		return parse_u32(arg, 0, UINT32_MAX, &o->seed) ? sample_bad("seed", arg) : 0;
	case 'L':
		return parse_u32(arg, 0, 600000, &o->linger_ms) ? sample_bad("linger", arg) : 0;
	case 'J':
		o->json_path = arg;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	default:
		return -EINVAL;
	}
}

/* 0 run, 1 help shown, -EINVAL usage error (reported). */
static int parse_args(int argc, char **argv, struct lg_opts *o)
{
	int err;

	memset(o, 0, sizeof(*o));
	o->host = "127.0.0.1";
	o->connections = 4;
	o->seed = 1;
	lg_mix_parse("normal:90,config:5,enrich:5", o);
	err = sample_getopt(argc, argv, "p:c:d:n:m:qh", long_opts, parse_one, o);
	if (err)
		return err;
	if (!o->port)
		return sample_bad("port", "(missing: -p PORT)");
	if (!o->duration_ns && !o->requests)
		o->duration_ns = 10000000000ull;
	return 0;
}

static void on_signal(int sig)
{
	lg_stop = 1;
}

static int run(const struct lg_opts *o)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct lg_result r;
	FILE *f;
	int err;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = lg_run(o, &r);
	if (err) {
		log_error("cannot connect to %s:%u: %s", o->host, o->port, strerror(-err));
		return err;
	}
	if (!o->quiet)
		lg_print_text(o, &r, stdout);
	if (o->json_path) {
		f = fopen(o->json_path, "w");
		if (!f)
			err = -errno;
		else
			lg_print_json(o, &r, f);
		if (f && fclose(f))
			err = -errno;
		if (err)
			log_error("cannot write %s: %s", o->json_path, strerror(-err));
	}
	lg_result_free(&r);
	return err;
}

int main(int argc, char **argv)
{
	struct lg_opts o;
	int err, status;

	log_init("loadgen", LOG_INFO);
	err = parse_args(argc, argv, &o);
	if (sample_cli_done(err, "loadgen", usage_text, &status))
		return status;
	return run(&o) ? 1 : 0;
}
