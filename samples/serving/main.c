// SPDX-License-Identifier: MIT
/* serving: command line, start-up and shutdown. See samples/README.md. */
#include "samples/serving/serving.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/parse.h"
#include "samples/cli.h"

volatile sig_atomic_t srv_stop;

static const char usage_text[] =
"Usage: serving [OPTIONS]\n"
"A small model-serving HTTP/1.1 server (POST /infer, GET /health) on\n"
"127.0.0.1 with planted latency faults, the workload of the ebpf-record demo.\n"
"\n"
"  -m, --mode MODE          pool (accept thread + worker threads) or epoll\n"
"                           (one thread, non-blocking event loop) [default: pool]\n"
"  -p, --port PORT          listen on 127.0.0.1:PORT, 0 = any free port; the\n"
"                           port is printed on stdout as 'port N' [default: 8080]\n"
"  -w, --workers N          initial worker threads in pool mode; the pool grows\n"
"                           while every worker is busy [default: 4]\n"
"  -D, --data-dir DIR       model.bin, access.log, config.json, stats.snap\n"
"                           [default: serving-data]\n"
"      --fault-fsync N      fsync the access log every Nth request\n"
"      --fault-small-reads  class \"config\" reads its side file 1 byte per read()\n"
"      --fault-lock         every request takes one global mutex; every 4th\n"
"                           holds it across a synchronous (O_DSYNC) 4 KiB write\n"
"      --fault-downstream N every Nth request and every class \"enrich\" request\n"
"                           calls a stub server on 127.0.0.2 (a child process,\n"
"                           its port printed as 'stub-port N') that sleeps first\n"
"      --downstream-ms MS   how long the stub sleeps [default: 5]\n"
"      --all-faults         --fault-fsync 10 --fault-small-reads --fault-lock\n"
"                           --fault-downstream 20 (explicit values win)\n"
"  -q, --quiet              no start-up and shutdown messages on stderr\n"
"  -h, --help               show this help\n"
"\n"
"On exit (SIGTERM, SIGINT) it prints 'stats {json}' with its counters.\n"
"\n"
"Examples:\n"
"  serving --port 0 --all-faults             all faults, any free port\n"
"  serving --mode epoll --fault-fsync 5      event loop, fsync every 5th request\n";

static void opts_default(struct srv_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = SRV_MODE_POOL;
	o->port = 8080;
	o->workers = 4;
	o->data_dir = "serving-data";
	o->downstream_ms = 5;
}

static const struct option long_opts[] = {
	{ "mode", required_argument, NULL, 'm' },
	{ "port", required_argument, NULL, 'p' },
	{ "workers", required_argument, NULL, 'w' },
	{ "data-dir", required_argument, NULL, 'D' },
	{ "fault-fsync", required_argument, NULL, 'F' },
	{ "fault-small-reads", no_argument, NULL, 'S' },
	{ "fault-lock", no_argument, NULL, 'L' },
	{ "fault-downstream", required_argument, NULL, 'N' },
	{ "downstream-ms", required_argument, NULL, 'M' },
	{ "all-faults", no_argument, NULL, 'A' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct parse_ctx {
	struct srv_opts *o;
	int all;		/* --all-faults seen */
};

/* One option; -EINVAL on a bad value (reported). */
static int parse_one(int c, const char *arg, void *ctx)
{
	struct parse_ctx *p = ctx;
	struct srv_opts *o = p->o;

	switch (c) {
	case 'm':
		if (!strcmp(arg, "pool"))
			o->mode = SRV_MODE_POOL;
		else if (!strcmp(arg, "epoll"))
			o->mode = SRV_MODE_EPOLL;
		else
			return sample_bad("mode (pool or epoll)", arg);
		return 0;
	case 'p':
		return parse_u32(arg, 0, 65535, &o->port) ? sample_bad("port", arg) : 0;
	case 'w':
		return parse_u32(arg, 1, 256, &o->workers) ? sample_bad("worker count", arg) : 0;
	case 'D':
		o->data_dir = arg;
		return 0;
	case 'F':
		return parse_u32(arg, 1, 1000000, &o->fault_fsync) ?
			sample_bad("fsync period", arg) : 0;
	case 'S':
		o->fault_small_reads = 1;
		return 0;
	case 'L':
		o->fault_lock = 1;
		return 0;
	case 'N':
		return parse_u32(arg, 1, 1000000, &o->fault_downstream) ?
			sample_bad("downstream period", arg) : 0;
	case 'M':
		return parse_u32(arg, 0, 10000, &o->downstream_ms) ? sample_bad("delay", arg) : 0;
	case 'A':
		p->all = 1;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	default:
		return -EINVAL;
	}
}

/* 0 run, 1 help shown, -EINVAL usage error (reported). */
static int parse_args(int argc, char **argv, struct srv_opts *o)
{
	struct parse_ctx ctx = { .o = o };
	int err;

	opts_default(o);
	err = sample_getopt(argc, argv, "m:p:w:D:qh", long_opts, parse_one, &ctx);
	if (err)
		return err;
	if (ctx.all) {
		o->fault_small_reads = o->fault_lock = 1;
		o->fault_fsync = o->fault_fsync ? o->fault_fsync : 10;
		o->fault_downstream = o->fault_downstream ? o->fault_downstream : 20;
	}
	return 0;
}

static void on_signal(int sig)
{
	srv_stop = 1;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int start(struct srv *s, const struct srv_opts *o)
{
	int err = srv_state_open(s, o);

	if (err)
		log_error("cannot open %s: %s", o->data_dir, strerror(-err));
	if (!err) {
		s->listen_fd = srv_listen_local("127.0.0.1", o->port, &s->port);
		err = s->listen_fd < 0 ? s->listen_fd : 0;
		if (err)
			log_error("cannot listen on 127.0.0.1:%u: %s", o->port, strerror(-err));
	}
	if (!err && o->fault_downstream) {
		err = srv_stub_start(s);
		if (err)
			log_error("cannot start the downstream stub: %s", strerror(-err));
	}
	return err;
}

static int serve(struct srv *s, const struct srv_opts *o)
{
	int err;

	install_signals();
	printf("port %u\n", s->port);
	if (s->stub_pid)
		printf("stub-port %u\nstub-pid %d\n", s->stub_port, (int)s->stub_pid);
	fflush(stdout);
	if (!o->quiet)
		log_info("pid %d serving on 127.0.0.1:%u (%s mode)", (int)getpid(), s->port,
			 o->mode == SRV_MODE_POOL ? "pool" : "epoll");
	err = o->mode == SRV_MODE_POOL ? srv_pool_run(s) : srv_evloop_run(s);
	if (err)
		log_error("serving stopped: %s", strerror(-err));
	return err;
}

static int run(const struct srv_opts *o)
{
	struct srv *s = calloc(1, sizeof(*s));
	int err;

	if (!s) {
		log_error("out of memory");
		return -ENOMEM;
	}
	err = start(s, o);
	if (!err)
		err = serve(s, o);
	srv_stub_stop(s);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (!err)
		srv_counters_print(s, STDOUT_FILENO);
	srv_state_close(s);
	free(s);
	return err;
}

int main(int argc, char **argv)
{
	struct srv_opts o;
	int err, status;

	log_init("serving", LOG_INFO);
	err = parse_args(argc, argv, &o);
	if (sample_cli_done(err, "serving", usage_text, &status))
		return status;
	if (o.quiet)
		log_set_level(LOG_WARN);
	return run(&o) ? 1 : 0;
}
