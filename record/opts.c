// SPDX-License-Identifier: MIT
/* Command-line options: defaults, parsing, validation, help. */
#include "record/record.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/parse.h"
#include "common/syscalls.h"

void rec_opts_init(struct rec_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->follow = true;
	o->sample_every = 1;
	o->buffer_bytes = REC_DEFAULT_BUFFER;
	o->mode = 0600;
	o->stack_min_ns = REC_DEFAULT_STACK_MIN_NS;
}

void rec_opts_free(struct rec_opts *o)
{
	if (!o)
		return;
	free(o->output);
	free(o->config);
	free(o->syscalls);
	free(o->user);
	free(o->args_text);
	o->output = o->config = o->syscalls = o->user = o->args_text = NULL;
}

static int set_str(char **dst, const char *value)
{
	char *s = strdup(value);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int add_pid(struct rec_opts *o, const char *value)
{
	uint32_t pid;
	size_t i;
	int err;

	err = parse_u32(value, 1, 0x3fffffff, &pid);
	if (err)
		return err;
	for (i = 0; i < o->n_pids; i++)
		if (o->pids[i] == pid)
			return 0;	/* given twice */
	if (o->n_pids >= REC_MAX_PIDS)
		return -ERANGE;
	o->pids[o->n_pids++] = pid;
	return 0;
}

static int set_mode(struct rec_opts *o, const char *value)
{
	char *end;
	unsigned long m;

	errno = 0;
	m = strtoul(value, &end, 8);
	if (!*value || *end || errno)
		return -EINVAL;
	if (m > 0777)
		return -ERANGE;
	o->mode = (uint32_t)m;
	return 0;
}

static int set_number(struct rec_opts *o, const char *name, const char *value)
{
	uint64_t v;
	int err;

	if (!strcmp(name, "duration"))
		return parse_seconds_ns(value, &o->duration_ns);
	if (!strcmp(name, "min-duration-us")) {
		err = parse_u64(value, 0, UINT64_MAX / 1000, &v);
		if (!err)
			o->min_duration_ns = v * 1000;
		return err;
	}
	if (!strcmp(name, "stack-min-us")) {
		err = parse_u64(value, 0, UINT64_MAX / 1000, &v);
		if (!err)
			o->stack_min_ns = v * 1000;
		return err;
	}
	if (!strcmp(name, "sample"))
		return parse_u32(value, 1, 1u << 30, &o->sample_every);
	if (!strcmp(name, "buffer-size"))
		return parse_size(value, REC_MIN_BUFFER, REC_MAX_BUFFER, &o->buffer_bytes);
	if (!strcmp(name, "mode"))
		return set_mode(o, value);
	return -ENOENT;
}

int rec_opts_set(struct rec_opts *o, const char *name, const char *value)
{
	int err;

	if (!strcmp(name, "output"))
		return set_str(&o->output, value);
	if (!strcmp(name, "syscalls"))
		return set_str(&o->syscalls, value);
	if (!strcmp(name, "user"))
		return set_str(&o->user, value);
	if (!strcmp(name, "pid"))
		return add_pid(o, value);
	if (!strcmp(name, "follow"))
		return parse_bool(value, &o->follow);
	if (!strcmp(name, "force"))
		return parse_bool(value, &o->force);
	if (!strcmp(name, "quiet"))
		return parse_bool(value, &o->quiet);
	if (!strcmp(name, "stacks"))
		return parse_bool(value, &o->stacks);
	err = set_number(o, name, value);
	return err;
}

void rec_usage(void)
{
	fputs(
"Usage: ebpf-record [OPTIONS] -o FILE -- CMD [ARGS...]\n"
"       ebpf-record [OPTIONS] -o FILE -p PID [-p PID...]\n"
"       ebpf-record check | info PID\n"
"Record per-syscall latency into an .ebt trace.\n"
"\n"
"  -o, --output FILE        write the trace to FILE (required; never follows a\n"
"                           symlink, never replaces a file without --force)\n"
"  -p, --pid PID            trace this process, its threads and its children\n"
"                           (existing and forked later); repeatable\n"
"      --no-follow          trace no children: only the processes given (or\n"
"                           the launched command)\n"
"  -d, --duration SEC       stop after SEC seconds [default: until the traced\n"
"                           processes exit or Ctrl-C]\n"
"  -s, --syscalls LIST      only these syscalls: names or categories (file,\n"
"                           network, memory, process, time, sync, poll, ipc,\n"
"                           signal, other), comma-separated\n"
"      --min-duration-us N  drop syscalls shorter than N microseconds\n"
"      --sample N           keep one syscall in N, at random [default: 1]\n"
"      --stacks             record the user stack of slow syscalls and the\n"
"                           function names of its frames (stacks may be\n"
"                           truncated: build with -fno-omit-frame-pointer)\n"
"      --stack-min-us N     slow means at least N microseconds [default: 1000]\n"
"      --buffer-size SIZE   ring buffer size, rounded up to a power of two\n"
"                           [default: 8M]\n"
"  -c, --config FILE        read settings from a YAML file; options given on\n"
"                           the command line win\n"
"  -f, --force              replace FILE if it exists\n"
"      --mode OCTAL         permission bits of FILE [default: 0600]\n"
"  -u, --user NAME          run CMD as user NAME (launch mode)\n"
"  -q, --quiet              no status line, no summary\n"
"  -v, --verbose            more diagnostics (repeat for libbpf's log)\n"
"  -h, --help               show this help\n"
"  -V, --version            show the version\n"
"\n"
"Launch mode starts CMD with tracing already on at its execve and stops when\n"
"CMD and its children have exited; the exit status is CMD's (127: command\n"
"not found, 126: not executable, 128+N: killed by signal N). --duration\n"
"ends a launched CMD with SIGTERM.\n"
"\n"
"Examples:\n"
"  ebpf-record -o ls.ebt -- ls -l /            every syscall of one command\n"
"  ebpf-record -o app.ebt -p 4242 -d 30        trace one process for 30 s\n"
"  ebpf-record -o net.ebt -s network -p 4242   only network syscalls\n"
"  ebpf-record check                           can this machine record?\n",
	stdout);
}

enum {
	OPT_NO_FOLLOW = 256, OPT_MIN_DUR, OPT_SAMPLE, OPT_BUFFER, OPT_MODE, OPT_STACKS,
	OPT_STACK_MIN,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ "no-follow", no_argument, NULL, OPT_NO_FOLLOW },
	{ "duration", required_argument, NULL, 'd' },
	{ "syscalls", required_argument, NULL, 's' },
	{ "min-duration-us", required_argument, NULL, OPT_MIN_DUR },
	{ "sample", required_argument, NULL, OPT_SAMPLE },
	{ "stacks", no_argument, NULL, OPT_STACKS },
	{ "stack-min-us", required_argument, NULL, OPT_STACK_MIN },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER },
	{ "config", required_argument, NULL, 'c' },
	{ "force", no_argument, NULL, 'f' },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "user", required_argument, NULL, 'u' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char short_opts[] = "+o:p:d:s:c:fu:qvhV";

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ebpf-record: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ebpf-record --help'.\n", stderr);
	return -EINVAL;
}

/* The config file is loaded before the other options, wherever it is. */
static int preload_config(struct rec_opts *o, int argc, char **argv)
{
	char err[512];
	const char *path = NULL;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if ((!strcmp(argv[i], "--config") || !strcmp(argv[i], "-c")) && i + 1 < argc)
			path = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
	}
	if (!path)
		return 0;
	if (set_str(&o->config, path) || rec_config_load(o, path, err, sizeof(err))) {
		fprintf(stderr, "ebpf-record: %s\n", err);
		return -EINVAL;
	}
	return 0;
}

static int save_args(struct rec_opts *o, int argc, char **argv)
{
	size_t len = 1;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	free(o->args_text);
	o->args_text = calloc(1, len);
	if (!o->args_text)
		return -ENOMEM;
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(o->args_text, " ");
		strcat(o->args_text, argv[i]);
	}
	return 0;
}

static const char *opt_name(int c)
{
	const struct option *lo;

	for (lo = long_opts; lo->name; lo++)
		if (lo->val == c)
			return lo->name;
	return "?";
}

static int parse_one(struct rec_opts *o, int c, const char *arg)
{
	int err;

	switch (c) {
	case 'h':
		rec_usage();
		return 1;
	case 'V':
		printf("ebpf-record %s (event abi %d)\n", REC_VERSION, SYSCALL_EVENT_ABI);
		return 1;
	case 'c':
		return 0;	/* loaded by preload_config() */
	case OPT_NO_FOLLOW:
		o->follow = false;
		return 0;
	case 'f':
		o->force = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case OPT_STACKS:
		o->stacks = true;
		return 0;
	case 'v':
		o->verbose++;
		return 0;
	default:
		break;
	}
	err = rec_opts_set(o, opt_name(c), arg);
	if (err == -ENOMEM)
		return err;
	if (err)
		return usage_error("invalid value for --%s: '%s'", opt_name(c), arg);
	return 0;
}

int rec_opts_parse(struct rec_opts *o, int argc, char **argv)
{
	int c, err;

	err = save_args(o, argc, argv);
	if (!err)
		err = preload_config(o, argc, argv);
	if (err)
		return err;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				return usage_error("invalid option '-%c'", optopt);
			return usage_error("invalid option '%s'", argv[optind - 1]);
		}
		err = parse_one(o, c, optarg);
		if (err)
			return err;
	}
	if (optind < argc)
		o->cmd = argv + optind;
	return 0;
}

static void allow_nr(struct rec_opts *o, unsigned int nr)
{
	if (nr < SYSCALL_MAX_NR)
		o->allow[nr / 64] |= 1ull << (nr % 64);
}

/* One item of --syscalls: a syscall name or a category name. */
static int allow_item(struct rec_opts *o, const char *item)
{
	const char *const *table;
	unsigned int count, nr;
	const char *abi, *name;
	int cat, n;

	table = syscalls_native(&count, &abi);
	n = syscalls_lookup(table, count, item);
	if (n >= 0) {
		allow_nr(o, (unsigned int)n);
		return 0;
	}
	cat = syscalls_category_parse(item);
	if (cat < 0)
		return -ENOENT;
	for (nr = 0; nr < count; nr++) {
		name = syscalls_name(table, count, nr);
		if (!name)
			continue;
		if (syscalls_category_by_fd(name)) {	/* decided by the fd's kind */
			if (nr < SYSCALL_MAX_NR)
				o->allow_by_fd[nr / 64] |= 1ull << (nr % 64);
		} else if ((int)syscalls_category(name) == cat) {
			allow_nr(o, nr);
		}
	}
	if (cat == SC_NETWORK)
		o->fd_kinds |= FDK_SOCKET;
	else if (cat == SC_IPC)
		o->fd_kinds |= FDK_FIFO | FDK_OTHER;	/* pipes, eventfds */
	else if (cat == SC_FILE || cat == SC_TIME || cat == SC_SIGNAL)
		o->fd_kinds |= FDK_OTHER;	/* files; timerfds; signalfds */
	return 0;
}

static int build_allowlist(struct rec_opts *o)
{
	char *copy, *item, *save = NULL;
	int err = 0;

	memset(o->allow, 0, sizeof(o->allow));
	memset(o->allow_by_fd, 0, sizeof(o->allow_by_fd));
	o->fd_kinds = 0;
	o->filter_syscalls = false;
	if (!o->syscalls || !*o->syscalls || !strcmp(o->syscalls, "all"))
		return 0;
	copy = strdup(o->syscalls);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ", ", &save); item && !err;
	     item = strtok_r(NULL, ", ", &save)) {
		err = allow_item(o, item);
		if (err)
			usage_error("unknown syscall or category '%s'%s", item,
				    " (see --help for categories)");
	}
	free(copy);
	o->filter_syscalls = true;
	return err ? -EINVAL : 0;
}

static uint64_t round_pow2(uint64_t v)
{
	uint64_t p = REC_MIN_BUFFER;

	while (p < v)
		p <<= 1;
	return p;
}

int rec_opts_validate(struct rec_opts *o)
{
	if (!o->output)
		return usage_error("missing --output FILE");
	if (!o->n_pids && !o->cmd)
		return usage_error("nothing to trace: give --pid PID or -- CMD");
	if (o->n_pids && o->cmd)
		return usage_error("--pid and a command exclude each other");
	if (o->user && !o->cmd)
		return usage_error("--user needs a command to launch");
	o->buffer_bytes = round_pow2(o->buffer_bytes);
	return build_allowlist(o);
}
