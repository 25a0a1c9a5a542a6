// SPDX-License-Identifier: MIT
/*
 * make bench: bytes/event, writer and reader speed of the .ebt library on
 * the synthetic server mix (synth.c), on one core. Usage:
 *   bench-format [EVENTS] [--levels]
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "format/ebt.h"
#include "tests/bench/format/synth.h"

#define TARGET_BYTES 9.0
#define TARGET_WRITER 5.0
#define TARGET_READER 30.0

/*
 * Rates are per CPU-second of this thread (user + system, write() and
 * read() included): the figure is "events per second on one core", and it
 * stays meaningful on a shared, loaded machine where wall time does not.
 */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct result {
	double bytes_per_event, writer_mev, reader_mev;
};

static int write_trace(const char *path, const struct ebt_event *ev, size_t n,
		       int level, struct result *res)
{
	struct ebt_writer_opts o = { .level = level, .inline_io = true, .overwrite = true };
	struct ebt_writer_stats st;
	struct ebt_writer *w = NULL;
	double t0;
	int err;

	err = ebt_writer_open(path, &o, &w);
	if (err)
		return err;
	t0 = now_s();
	for (size_t i = 0; i < n; i++) {
		err = ebt_writer_append(w, &ev[i]);
		if (err)
			break;
	}
	err = ebt_writer_close(w, &st) ?: err;
	res->writer_mev = (double)n / (now_s() - t0) / 1e6;
	res->bytes_per_event = (double)st.file_bytes / (double)n;
	return err;
}

/* The recorder's side of a threaded writer: CPU of the appending thread. */
static double append_rate(const char *path, const struct ebt_event *ev, size_t n)
{
	struct ebt_writer_opts o = { .overwrite = true, .pool_chunks = 16 };
	struct ebt_writer *w = NULL;
	size_t ok = 0;
	double t0, t;

	if (ebt_writer_open(path, &o, &w))
		return 0;
	t0 = now_s();
	for (size_t i = 0; i < n; i++)
		ok += ebt_writer_append(w, &ev[i]) == 0;
	t = now_s() - t0;
	ebt_writer_close(w, NULL);
	return (double)ok / t / 1e6;
}

static int read_trace(const char *path, size_t n, struct result *res)
{
	struct ebt_reader *r = NULL;
	struct ebt_chunk c;
	size_t got = 0;
	uint64_t sum = 0;
	double t0 = now_s();
	int err;

	err = ebt_reader_open(path, NULL, &r);
	if (err)
		return err;
	while ((err = ebt_reader_next(r, &c)) == 1) {
		for (size_t i = 0; i < c.n_events; i++)
			sum += c.events[i].duration_ns;	/* touch what was decoded */
		got += c.n_events;
	}
	res->reader_mev = (double)got / (now_s() - t0) / 1e6;
	ebt_reader_close(r);
	if (!err && got != n)
		err = -EBADMSG;
	return err ? err : (int)(sum & 0);
}

/* Reference: the 48-byte BPF struct, zstd per 65536-event chunk. */
static double raw_struct_bytes(const struct ebt_event *ev, size_t n, int level)
{
	size_t per = 65536, total = 0;
	uint8_t *raw = malloc(per * 48), *out = malloc(ZSTD_compressBound(per * 48));

	for (size_t from = 0; raw && out && from < n; from += per) {
		size_t k = n - from < per ? n - from : per;

		for (size_t i = 0; i < k; i++) {
			const struct ebt_event *e = &ev[from + i];
			uint8_t *p = raw + 48 * i;
			uint32_t w32[4] = { e->tid, e->pid, e->nr, e->cpu };

			memcpy(p, &e->enter_ns, 8);
			memcpy(p + 8, &e->duration_ns, 8);
			memcpy(p + 16, &e->ret, 8);
			memcpy(p + 24, &e->arg0, 8);
			memcpy(p + 32, w32, 16);
		}
		total += ZSTD_compress(out, ZSTD_compressBound(per * 48), raw, 48 * k, level);
	}
	free(raw);
	free(out);
	return (double)total / (double)n;
}

static void line(const char *what, double v, const char *unit, bool upper, double target)
{
	bool pass = upper ? v <= target : v >= target;

	printf("  %-34s %8.2f %-9s target %s %-5.1f %s\n", what, v, unit,
	       upper ? "<=" : ">=", target, pass ? "PASS" : "MISS");
}

static int run_level(const char *path, const struct ebt_event *ev, size_t n, int level,
		     bool brief)
{
	struct result res;
	int err = write_trace(path, ev, n, level, &res);

	if (!err)
		err = read_trace(path, n, &res);
	if (err) {
		fprintf(stderr, "bench-format: level %d: %s\n", level, strerror(-err));
		return 1;
	}
	if (brief) {
		printf("  level %-2d %6.2f B/event  writer %6.2f M ev/s  reader %6.2f M ev/s"
		       "  (raw struct + zstd: %.2f B/event)\n", level, res.bytes_per_event,
		       res.writer_mev, res.reader_mev, raw_struct_bytes(ev, n, level));
		return 0;
	}
	line("bytes/event (default level 3)", res.bytes_per_event, "B", true, TARGET_BYTES);
	line("writer, 1 core (append..write)", res.writer_mev, "M ev/s", false, TARGET_WRITER);
	line("reader, decoded", res.reader_mev, "M ev/s", false, TARGET_READER);
	printf("  reference: 48-byte struct + zstd 3 per 64Ki chunk: %.2f B/event\n",
	       raw_struct_bytes(ev, n, 3));
	printf("  info: append alone (threaded writer, caller's CPU): %.1f M ev/s\n",
	       append_rate(path, ev, n));
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 && argv[1][0] != '-' ? strtoull(argv[1], NULL, 10) : 2000000;
	bool levels = argc > 1 && !strcmp(argv[argc - 1], "--levels");
	struct ebt_event *ev = malloc((n ? n : 1) * sizeof(*ev));
	char path[] = "/tmp/ebt-bench-XXXXXX";
	struct synth_info si;
	cpu_set_t one;
	int fd, rc = 0;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);	/* one core, best effort */
	fd = mkstemp(path);
	if (!ev || n < 2 || fd < 0 || synth_generate(ev, n, 1, &si)) {
		fprintf(stderr, "bench-format: cannot set up\n");
		return 1;
	}
	close(fd);
	printf("format: %zu events, synthetic server mix (%u processes, %u threads, "
	       "%u cpus, %.2f M ev/s simulated)\n", n, si.processes, si.threads, si.cpus,
	       si.events_per_sec / 1e6);
	/* warm-up: first-touch page faults of the buffers are not steady state */
	printf("warm-up (not counted):\n");
	rc = run_level(path, ev, n < 300000 ? n : 300000, 3, true) ? 1 : 0;
	printf("measured:\n");
	if (!rc)
		rc = run_level(path, ev, n, 3, false);
	if (levels && !rc)
		printf("by zstd level:\n");
	for (int l = 1; levels && !rc && l <= 9; l += l < 3 ? 2 : 3)
		rc = run_level(path, ev, n, l, true);
	unlink(path);
	free(ev);
	return rc;
}
