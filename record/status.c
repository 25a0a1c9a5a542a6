// SPDX-License-Identifier: MIT
/* Loss accounting (kernel drops -> LOSS records), the live status line on a
 * terminal and the summary at the end. */
#include "record/run_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "common/log.h"

int rec_status_init(struct rec_session *s)
{
	int n = libbpf_num_possible_cpus();

	if (n <= 0) {
		log_error("cannot count CPUs: %s", strerror(n ? -n : EINVAL));
		return n ? n : -EINVAL;
	}
	s->n_cpus = n;
	s->drops_prev = calloc((size_t)n, sizeof(uint64_t));
	s->drops_cur = calloc((size_t)n, sizeof(uint64_t));
	if (!s->drops_prev || !s->drops_cur)
		return -ENOMEM;
	return 0;
}

static void loss_record(struct rec_session *s, uint32_t source, uint32_t cpu, uint64_t from,
			uint64_t to, uint64_t count)
{
	struct ebt_record r;

	memset(&r, 0, sizeof(r));
	r.kind = EBT_REC_LOSS;
	r.loss.source = source;
	r.loss.cpu = cpu;
	r.loss.ts_start_ns = from;
	r.loss.ts_end_ns = to;
	r.loss.count = count;
	if (ebt_writer_add_record(s->w, &r))
		log_warn("cannot record the loss of %" PRIu64 " events", count);
}

/* Syscalls the filters dropped on purpose (sampling, minimum duration):
 * informational LOSS records (EBT_LOSS_FILTER, all CPUs), never a loss. */
static void filtered(struct rec_session *s, uint64_t now_boot)
{
	uint64_t total = 0;
	int cpu;

	if (rec_bpf_read_drops(s->skel, DROP_FILTERED, s->drops_cur, s->n_cpus))
		return;
	for (cpu = 0; cpu < s->n_cpus; cpu++)
		total += s->drops_cur[cpu];
	if (total > s->d.cnt.filtered)
		loss_record(s, EBT_LOSS_FILTER, UINT32_MAX, s->loss_window_start, now_boot,
			    total - s->d.cnt.filtered);
	s->d.cnt.filtered = total;
}

/* Reads the per-CPU drop counters and writes one LOSS record per CPU that
 * lost events since the last call. */
void rec_status_losses(struct rec_session *s, uint64_t now_boot)
{
	uint64_t delta, task_total = 0;
	int cpu;

	if (!s->drops_cur)
		return;
	if (!rec_bpf_read_drops(s->skel, DROP_SYSCALL, s->drops_cur, s->n_cpus)) {
		for (cpu = 0; cpu < s->n_cpus; cpu++) {
			delta = s->drops_cur[cpu] - s->drops_prev[cpu];
			if (!delta)
				continue;
			loss_record(s, EBT_LOSS_RINGBUF, (uint32_t)cpu, s->loss_window_start,
				    now_boot, delta);
			s->d.cnt.ringbuf_lost += delta;
			s->drops_prev[cpu] = s->drops_cur[cpu];
		}
	}
	filtered(s, now_boot);
	s->loss_window_start = now_boot;
	if (!rec_bpf_read_drops(s->skel, DROP_TASK, s->drops_cur, s->n_cpus)) {
		for (cpu = 0; cpu < s->n_cpus; cpu++)
			task_total += s->drops_cur[cpu];
		if (task_total > s->task_drops_prev)
			log_warn("%" PRIu64 " process events lost (ring buffer full or too many "
				 "processes); names of some processes may be missing",
				 task_total - s->task_drops_prev);
		s->d.cnt.task_lost = task_total;
		s->task_drops_prev = task_total;
	}
}

static void human_bytes(uint64_t b, char *buf, size_t len)
{
	if (b >= (10ull << 20))
		snprintf(buf, len, "%" PRIu64 " MiB", b >> 20);
	else if (b >= (10ull << 10))
		snprintf(buf, len, "%" PRIu64 " KiB", b >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " B", b);
}

void rec_status_line(struct rec_session *s, uint64_t now_mono)
{
	struct ebt_writer_stats st;
	uint64_t rate;
	char bytes[32];

	if (s->o->quiet || !isatty(STDERR_FILENO))
		return;
	ebt_writer_get_stats(s->w, &st);
	rate = s->d.cnt.events - s->status_events;
	s->status_events = s->d.cnt.events;
	human_bytes(st.file_bytes, bytes, sizeof(bytes));
	fprintf(stderr, "\r\033[Krecording %" PRIu64 "s: %" PRIu64 " events/s, %" PRIu64
		" lost, %s written, %.1f B/event",
		(uint64_t)((now_mono - s->start_mono) / 1000000000u), rate,
		s->d.cnt.ringbuf_lost + s->d.cnt.writer_drops, bytes,
		st.events ? (double)st.file_bytes / (double)st.events : 0.0);
	s->status_shown = true;
}

/* The recorder's own cost: CPU time of all its threads (children excluded). */
static void status_cpu(uint64_t elapsed_ns, uint64_t events)
{
	struct rusage ru;
	double cpu;

	if (getrusage(RUSAGE_SELF, &ru))
		return;
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	fprintf(stderr, "ebpf-record: recorder CPU %.3f s (%.1f%% of one core)", cpu,
		elapsed_ns ? 100.0 * cpu * 1e9 / (double)elapsed_ns : 0.0);
	if (events >= 100000)	/* below that, start-up costs dominate */
		fprintf(stderr, ", %.1f%% of a core per 1M events/s", 100.0 * cpu * 1e6 /
			(double)events);
	fputc('\n', stderr);
}

static void stacks_summary(const struct rec_session *s, const struct rec_counters *c)
{
	const struct rec_stack_counters *k = rec_stacks_counters(s->d.stacks);

	fprintf(stderr, "ebpf-record: %" PRIu64 " slow syscalls with a user stack; %" PRIu64
		" frame addresses named, %" PRIu64 " not", c->stack_events,
		k->symbols - k->unnamed, k->unnamed);
	if (k->maps_missed || k->records_lost)
		fprintf(stderr, "; %" PRIu64 " processes gone before their maps were read, %"
			PRIu64 " stack records lost", k->maps_missed, k->records_lost);
	fputs(" (stacks may be truncated: build with -fno-omit-frame-pointer)\n", stderr);
}

void rec_status_summary(struct rec_session *s, const struct ebt_writer_stats *st,
			uint64_t elapsed_ns)
{
	const struct rec_counters *c = &s->d.cnt;
	char bytes[32];

	if (s->status_shown)
		fputs("\r\033[K", stderr);
	human_bytes(st->file_bytes, bytes, sizeof(bytes));
	fprintf(stderr, "ebpf-record: %s: %" PRIu64 " syscalls recorded, %" PRIu64
		" lost (ring buffer %" PRIu64 ", writer %" PRIu64 ") in %.1f s; %s, "
		"%.1f B/event\n", s->o->output, st->events, c->ringbuf_lost + st->dropped,
		c->ringbuf_lost, st->dropped, (double)elapsed_ns / 1e9, bytes,
		st->events ? (double)st->file_bytes / (double)st->events : 0.0);
	if (c->filtered)
		fprintf(stderr, "ebpf-record: %" PRIu64 " more syscalls filtered out on purpose "
			"(--sample, --min-duration-us)\n", c->filtered);
	status_cpu(elapsed_ns, st->events);
	if (s->d.stacks)
		stacks_summary(s, c);
	/* Missed fds are routine (closed before /proc was read): -v only. */
	if (s->o->verbose || c->taskq_full || c->task_lost || c->bad_samples)
		fprintf(stderr, "ebpf-record: %" PRIu64 " new fds resolved (%" PRIu64 " peers "
			"taken in the kernel at connect/accept), %" PRIu64 " missed; %" PRIu64 " syscalls "
			"in progress at the start returned; %" PRIu64
			" process events lost%s\n", c->fd_resolved, c->fd_from_connect,
			c->fd_missed, c->early_exits, c->task_lost + c->taskq_full,
			c->bad_samples ? "; unexpected samples seen" : "");
}
