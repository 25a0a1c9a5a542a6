// SPDX-License-Identifier: MIT
#include "analyze/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze/http.h"
#include "common/parse.h"

void ana_opts_init(struct ana_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->report = ANA_REPORT_TEXT;
	o->top = 10;
	o->requests = ANA_REQ_AUTO;
	o->request_timeout_ns = 30ull * 1000000000ull;
	o->color = ANA_COLOR_AUTO;
	o->max_events = 1000000;
	for (size_t i = 0; i < sizeof(o->spool_fd) / sizeof(o->spool_fd[0]); i++)
		o->spool_fd[i] = -1;
}

void ana_opts_free(struct ana_opts *o)
{
	for (uint32_t i = 0; i < o->nowned; i++)
		free(o->owned[i]);
	o->nowned = 0;
	for (size_t i = 0; i < sizeof(o->spool_fd) / sizeof(o->spool_fd[0]); i++) {
		if (o->spool_fd[i] >= 0)
			close(o->spool_fd[i]);
		o->spool_fd[i] = -1;
	}
}

void ana_usage(FILE *f)
{
	fputs(
"Usage: ebpf-analyze [OPTIONS] TRACE...\n"
"       ebpf-analyze info TRACE...\n"
"       ebpf-analyze diff BEFORE AFTER\n"
"       ebpf-analyze redact [OPTIONS] IN OUT\n"
"Explain where syscall latency goes in .ebt traces, offline.\n"
"\n"
"  -r, --report FORMAT         text, md, json, csv, html or prometheus\n"
"                              [default: text]\n"
"  -o, --output FILE           write the report to FILE [default: stdout]\n"
"      --csv-dir DIR           write every CSV table into DIR\n"
"      --export KIND           perfetto (trace-event JSON) or folded (stacks of\n"
"                              time in ns) instead of the report\n"
"      --max-events N          Perfetto: write at most N syscall slices\n"
"                              [default: 1000000]\n"
"      --sqlite FILE           load events and results into an SQLite database\n"
"      --force                 replace an existing --sqlite database\n"
"      --follow                read TRACE while the recorder writes it, until\n"
"                              it finishes or SIGINT/SIGTERM\n"
"      --listen ADDR:PORT      serve Prometheus metrics on\n"
"                              http://ADDR:PORT/metrics (PORT: on 127.0.0.1)\n"
"      --linger SEC            keep serving the final metrics SEC seconds\n"
"                              [default: 0 with --follow, else until SIGTERM]\n"
"  -p, --pid PID               only these processes; repeatable or comma list\n"
"  -t, --tid TID               only these threads; repeatable or comma list\n"
"  -c, --comm NAME             only processes/threads named NAME; repeatable\n"
"  -s, --syscalls LIST         only these syscalls or categories (comma list)\n"
"      --since TIME            skip events before TIME (2026-11-23T16:00:00\n"
"                              UTC, or an offset from the start: +5s, +200ms)\n"
"      --until TIME            skip events after TIME (same forms)\n"
"      --slow-threshold-us N   also flag every syscall slower than N us\n"
"  -n, --top N                 rows per ranking [default: 10]\n"
"      --requests METHOD       auto, connection, thread or none [default: auto]\n"
"      --request-timeout-ms N  close a silent request after N ms\n"
"                              [default: 30000]\n"
"      --config FILE           read the `analysis` section of a YAML config\n"
"      --color WHEN            auto, always or never [default: auto]\n"
"  -q, --quiet                 print errors only\n"
"  -v, --verbose               print progress and details\n"
"  -h, --help                  print this help and exit\n"
"\n"
"Verbs:\n"
"  info TRACE...               print a trace's metadata without analysing it\n"
"  diff BEFORE AFTER           compare two traces (--report text, md, json, html)\n"
"  redact IN OUT               replace names by keyed tokens (redact --help)\n"
"\n"
"Examples:\n"
"  ebpf-analyze app.ebt                     text report on the terminal\n"
"  ebpf-analyze app.ebt --report md -o r.md Markdown for a ticket\n"
"  ebpf-analyze app.ebt --sqlite app.db     load everything into SQLite\n"
"  ebpf-analyze --follow app.ebt --listen 9464   live Prometheus /metrics\n"
"  ebpf-analyze a.ebt b.ebt --report json   merge two traces by time\n"
"  ebpf-analyze app.ebt --report html -o r.html  report to open in a browser\n"
"  ebpf-analyze diff old.ebt new.ebt        what changed after a fix\n"
"  ssh host cat app.ebt | ebpf-analyze -    a trace on stdin (a pipe is\n"
"                                           copied to $TMPDIR first)\n",
	      f);
}

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const char *ana_req_method_name(enum ana_req_method m)
{
	static const char *const names[] = { "auto", "connection", "thread", "none" };

	return (unsigned int)m < 4 ? names[m] : "?";
}

static int pick(const char *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++) {
		if (!strcmp(v, names[i]))
			return i;
	}
	return -1;
}

/* Splits a comma list into the id array. */
static int add_ids(uint32_t *arr, uint32_t *n, const char *v)
{
	char buf[32];
	const char *p = v;

	while (*p) {
		size_t l = strcspn(p, ",");
		uint32_t id;

		if (!l || l >= sizeof(buf) || *n >= ANA_MAX_FILTER)
			return -EINVAL;
		memcpy(buf, p, l);
		buf[l] = 0;
		if (parse_u32(buf, 0, UINT32_MAX - 1, &id))
			return -EINVAL;
		arr[(*n)++] = id;
		p += l + (p[l] == ',');
	}
	return *n ? 0 : -EINVAL;
}

static int own(struct ana_opts *o, const char *s, size_t len, const char **out)
{
	char *p;

	if (o->nowned >= sizeof(o->owned) / sizeof(o->owned[0]))
		return -ENOSPC;
	p = strndup(s, len);
	if (!p)
		return -ENOMEM;
	o->owned[o->nowned++] = p;
	*out = p;
	return 0;
}

static int add_names(struct ana_opts *o, const char **arr, uint32_t *n, const char *v)
{
	const char *p = v;

	while (*p) {
		size_t l = strcspn(p, ",");

		if (!l || *n >= ANA_MAX_FILTER || own(o, p, l, &arr[*n]))
			return -EINVAL;
		(*n)++;
		p += l + (p[l] == ',');
	}
	return *n ? 0 : -EINVAL;
}

int ana_parse_time_bound(const char *s, struct ana_time_bound *out)
{
	struct tm tm = { 0 };
	const char *end;
	uint64_t ns = 0, mult = 1000000000ull, frac = 0, scale = 1000000000ull;
	char num[40];
	size_t l;

	if (s[0] == '+') {
		l = strspn(s + 1, "0123456789.");
		if (!l || l >= sizeof(num))
			return -EINVAL;
		memcpy(num, s + 1, l);
		num[l] = 0;
		end = s + 1 + l;
		if (!strcmp(end, "ms"))
			mult = 1000000ull;
		else if (!strcmp(end, "us"))
			mult = 1000ull;
		else if (!strcmp(end, "m"))
			mult = 60000000000ull;
		else if (!strcmp(end, "h"))
			mult = 3600000000000ull;
		else if (strcmp(end, "s") && *end)
			return -EINVAL;
		if (parse_seconds_ns(num, &ns))
			return -EINVAL;
		out->set = out->relative = true;
		out->ns = (uint64_t)((double)ns * ((double)mult / 1e9));
		return 0;
	}
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (!end)
		return -EINVAL;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*end - '0') * scale;
			}
		}
	}
	if (*end == 'Z')
		end++;
	if (*end)
		return -EINVAL;
	out->set = true;
	out->relative = false;
	out->ns = (uint64_t)timegm(&tm) * 1000000000ull + frac;
	return 0;
}

/* One option by its long name; shared by argv and the config file. */
int ana_opts_set(struct ana_opts *o, const char *name, const char *v, char *err, size_t len)
{
	static const char *const reports[] = { "text", "md", "json", "csv", "html" };
	static const char *const exports[] = { "none", "perfetto", "folded" };
	static const char *const methods[] = { "auto", "connection", "thread", "none" };
	static const char *const colors[] = { "auto", "always", "never" };
	uint64_t n;
	int i;

	if (!strcmp(name, "report") && !strcmp(v, "prometheus")) {
		o->report = ANA_REPORT_PROM;
	} else if (!strcmp(name, "report")) {
		i = pick(v, reports, 5);
		if (i < 0)
			return fail(err, len, "unknown report format '%s'", v);
		o->report = (enum ana_report)i;
	} else if (!strcmp(name, "export")) {
		i = pick(v, exports, 3);
		if (i < 0)
			return fail(err, len, "unknown export '%s' (perfetto or folded)", v);
		o->export_fmt = (enum ana_export)i;
	} else if (!strcmp(name, "max-events")) {
		if (parse_u64(v, 1, UINT64_MAX, &n))
			return fail(err, len, "invalid --max-events '%s'", v);
		o->max_events = n;
	} else if (!strcmp(name, "requests")) {
		i = pick(v, methods, 4);
		if (i < 0)
			return fail(err, len, "unknown request method '%s'", v);
		o->requests = (enum ana_req_method)i;
	} else if (!strcmp(name, "color")) {
		i = pick(v, colors, 3);
		if (i < 0)
			return fail(err, len, "invalid --color '%s'", v);
		o->color = (enum ana_color)i;
	} else if (!strcmp(name, "pid")) {
		if (add_ids(o->pids, &o->npids, v))
			return fail(err, len, "invalid --pid '%s'", v);
	} else if (!strcmp(name, "tid")) {
		if (add_ids(o->tids, &o->ntids, v))
			return fail(err, len, "invalid --tid '%s'", v);
	} else if (!strcmp(name, "comm")) {
		if (o->ncomms >= ANA_MAX_FILTER || own(o, v, strlen(v), &o->comms[o->ncomms]))
			return fail(err, len, "too many --comm values");
		o->ncomms++;
	} else if (!strcmp(name, "syscalls")) {
		if (add_names(o, o->syscalls, &o->nsyscalls, v))
			return fail(err, len, "invalid --syscalls '%s'", v);
	} else if (!strcmp(name, "since") || !strcmp(name, "until")) {
		if (ana_parse_time_bound(v, name[0] == 's' ? &o->since : &o->until))
			return fail(err, len, "invalid --%s '%s' (want 2026-11-23T16:00:00 or +5s)",
				    name, v);
	} else if (!strcmp(name, "slow-threshold-us")) {
		if (parse_u64(v, 1, UINT64_MAX / 1000, &n))
			return fail(err, len, "invalid --slow-threshold-us '%s'", v);
		o->slow_threshold_ns = n * 1000;
	} else if (!strcmp(name, "top")) {
		if (parse_u64(v, 1, 100000, &n))
			return fail(err, len, "invalid --top '%s' (1..100000)", v);
		o->top = (uint32_t)n;
	} else if (!strcmp(name, "listen")) {
		if (!*v || own(o, v, strlen(v), &o->listen))
			return fail(err, len, "invalid --listen '%s'", v);
	} else if (!strcmp(name, "linger")) {
		if (parse_u64(v, 0, 31536000, &n))
			return fail(err, len, "invalid --linger '%s' (0..31536000 s)", v);
		o->linger_s = (uint32_t)n;
		o->linger_set = true;
	} else if (!strcmp(name, "request-timeout-ms")) {
		if (parse_u64(v, 1, 86400000, &n))
			return fail(err, len, "invalid --request-timeout-ms '%s'", v);
		o->request_timeout_ns = n * 1000000;
	} else {
		return fail(err, len, "unknown setting '%s'", name);
	}
	return 0;
}

static const struct option longopts[] = {
	{ "report", required_argument, NULL, 'r' },
	{ "output", required_argument, NULL, 'o' },
	{ "csv-dir", required_argument, NULL, 'D' },
	{ "export", required_argument, NULL, 'X' },
	{ "max-events", required_argument, NULL, 'M' },
	{ "follow", no_argument, NULL, 'L' },
	{ "listen", required_argument, NULL, 'N' },
	{ "linger", required_argument, NULL, 'G' },
	{ "sqlite", required_argument, NULL, 'S' },
	{ "force", no_argument, NULL, 'F' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "comm", required_argument, NULL, 'c' },
	{ "syscalls", required_argument, NULL, 's' },
	{ "since", required_argument, NULL, 'B' },
	{ "until", required_argument, NULL, 'U' },
	{ "slow-threshold-us", required_argument, NULL, 'T' },
	{ "top", required_argument, NULL, 'n' },
	{ "requests", required_argument, NULL, 'R' },
	{ "request-timeout-ms", required_argument, NULL, 'W' },
	{ "config", required_argument, NULL, 'C' },
	{ "color", required_argument, NULL, 'K' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char shortopts[] = ":r:o:p:t:c:s:n:qvh";

/* The config file is applied before the rest of argv, so find it first. */
static int preload_config(struct ana_opts *o, int argc, char **argv, char *err, size_t len)
{
	for (int i = 0; i < argc; i++) {
		const char *path = NULL;

		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
		if (path) {
			o->config = path;
			return ana_config_load(o, path, err, len);
		}
	}
	return 0;
}

static int one_opt(struct ana_opts *o, int c, const char *arg, char *err, size_t len)
{
	for (const struct option *lo = longopts; lo->name; lo++) {
		if (lo->val == c && lo->has_arg == required_argument)
			return ana_opts_set(o, lo->name, arg, err, len);
	}
	return fail(err, len, "unknown option");
}

int ana_opts_parse(struct ana_opts *o, int argc, char **argv, char *err, size_t len)
{
	int c, rc;

	rc = preload_config(o, argc, argv, err, len);
	if (rc)
		return rc == -EINVAL ? rc : fail(err, len, "cannot read config: %s",
						 strerror(-rc));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'D': o->csv_dir = optarg; break;
		case 'S': o->sqlite = optarg; break;
		case 'F': o->force = true; break;
		case 'L': o->follow = true; break;
		case 'C': o->config = optarg; break;
		case 'q': o->verbosity = -1; break;
		case 'v': o->verbosity++; break;
		case 'h': return 1;
		case '?':
			if (optopt)
				return fail(err, len, "invalid option or missing value: -%c", optopt);
			return fail(err, len, "unknown option '%s'", argv[optind - 1]);
		case ':':
			return fail(err, len, "option needs a value: %s", argv[optind - 1]);
		default:
			rc = one_opt(o, c, optarg, err, len);
			if (rc)
				return rc;
		}
	}
	for (; optind < argc; optind++) {
		if (o->ninputs >= sizeof(o->inputs) / sizeof(o->inputs[0]))
			return fail(err, len, "too many input files (max 64)");
		o->inputs[o->ninputs++] = argv[optind];
	}
	return 0;
}

int ana_opts_validate(const struct ana_opts *o, char *err, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sslen;

	if (!o->ninputs)
		return fail(err, len, "no trace file given");
	if (o->since.set && o->until.set && o->since.relative == o->until.relative &&
	    o->since.ns > o->until.ns)
		return fail(err, len, "--since is after --until");
	if (o->follow && o->ninputs != 1)
		return fail(err, len, "--follow reads exactly one trace");
	if (o->linger_set && !o->listen)
		return fail(err, len, "--linger needs --listen");
	if ((o->follow || o->listen) &&
	    (o->report == ANA_REPORT_HTML || o->export_fmt != ANA_EXPORT_NONE))
		return fail(err, len, "--follow/--listen cannot make html or --export");
	/* an address that does not parse or resolve is a usage error; one
	 * that cannot be bound fails later (exit 1) */
	if (o->listen && ana_http_parse_addr(o->listen, &ss, &sslen, err, len))
		return -EINVAL;
	if (o->sqlite && o->output && !strcmp(o->sqlite, o->output))
		return fail(err, len, "--sqlite and --output name the same file");
	return 0;
}
