// SPDX-License-Identifier: MIT
/* `ebpf-analyze info`: what a trace holds, from its metadata and chunk
 * headers, without the analysis. */
#include "analyze/analyze.h"

#include <errno.h>
#include <string.h>

#include "analyze/engine.h"
#include "analyze/escape.h"
#include "analyze/spool.h"
#include "analyze/units.h"
#include "common/log.h"

struct info_acc {
	uint64_t events_chunks, meta_chunks, tasks, fds, records;
	uint64_t ts_min, ts_max;
	struct ana_map pids;	/* every pid seen: task records and events */
	uint32_t last_pid;	/* a cache: events come in runs of one pid */
	bool pids_full;		/* more than ANA_MAX_PROCS pids: a lower bound */
};

/* Remembers pid; the set is bounded like the engine's process table. */
static void pid_seen(struct info_acc *a, uint32_t pid)
{
	if (pid == a->last_pid && a->pids.n)
		return;
	a->last_pid = pid;
	if (a->pids_full || ana_map_get(&a->pids, pid))
		return;
	if (a->pids.n >= ANA_MAX_PROCS || ana_map_put(&a->pids, pid, a))
		a->pids_full = true;
}

static void line(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%-16s ", key);
	ana_esc_text(f, val ? val : "unknown", val ? strlen(val) : 7);
	putc('\n', f);
}

static void accumulate(struct info_acc *a, const struct ebt_chunk *c)
{
	if (c->type == EBT_CHUNK_EVENTS) {
		a->events_chunks++;
		if (c->n_events && (!a->ts_min || c->ts_min < a->ts_min))
			a->ts_min = c->ts_min;
		if (c->ts_max > a->ts_max)
			a->ts_max = c->ts_max;
		for (size_t i = 0; i < c->n_events; i++)
			pid_seen(a, c->events[i].pid);
	} else {
		a->meta_chunks++;
	}
	for (size_t i = 0; i < c->n_records; i++) {
		const struct ebt_record *r = &c->records[i];

		a->records++;
		if (r->kind == EBT_REC_TASK) {
			a->tasks++;
			/* a launched command has only an EXEC record, a
			 * process met through its threads only THREAD ones */
			if (r->task.kind == EBT_TASK_SNAPSHOT || r->task.kind == EBT_TASK_FORK ||
			    r->task.kind == EBT_TASK_EXEC || r->task.kind == EBT_TASK_THREAD)
				pid_seen(a, r->task.pid);
		} else if (r->kind == EBT_REC_FD) {
			a->fds++;
		}
	}
}

static void print_one(FILE *f, const struct ana_engine *e, uint32_t idx,
		      const struct info_acc *a, const struct ebt_info *in)
{
	const struct ana_file *F = &e->files[idx];
	char b1[64], b2[64];

	line(f, "file", F->path);
	line(f, "host", F->hostname);
	line(f, "kernel", F->kernel);
	line(f, "arch", F->arch);
	line(f, "recorder", F->recorder);
	fprintf(f, "%-16s %u.%u\n", "format", in->major, in->minor);
	fprintf(f, "%-16s %s\n", "start", a->ts_min ?
		ana_fmt_wall(b1, sizeof(b1), ana_engine_wall(e, idx, a->ts_min)) : "unknown");
	fprintf(f, "%-16s %s\n", "end", a->ts_max ?
		ana_fmt_wall(b1, sizeof(b1), ana_engine_wall(e, idx, a->ts_max)) : "unknown");
	fprintf(f, "%-16s %s\n", "duration", ana_fmt_ns(b1, sizeof(b1), a->ts_max - a->ts_min));
	fprintf(f, "%-16s %s\n", "events", ana_fmt_count(b1, sizeof(b1), in->events));
	fprintf(f, "%-16s %s\n", "lost events", ana_fmt_count(b1, sizeof(b1), in->lost_events));
	fprintf(f, "%-16s %llu\n", "sample every", (unsigned long long)F->sample_every);
	fprintf(f, "%-16s %llu (%llu events, %llu metadata)\n", "chunks",
		(unsigned long long)in->chunks, (unsigned long long)a->events_chunks,
		(unsigned long long)a->meta_chunks);
	fprintf(f, "%-16s %s%llu processes, %llu task records\n", "processes",
		a->pids_full ? "at least " : "", (unsigned long long)a->pids.n,
		(unsigned long long)a->tasks);
	fprintf(f, "%-16s %llu fd records, %llu records in all\n", "metadata",
		(unsigned long long)a->fds, (unsigned long long)a->records);
	fprintf(f, "%-16s %s\n", "damage",
		!in->damaged_chunks && !in->truncated && !in->skipped_bytes ? "none" : "yes");
	if (in->damaged_chunks || in->truncated || in->skipped_bytes)
		fprintf(f, "  %s damaged chunks (%s events), %s bytes skipped%s\n",
			ana_fmt_count(b1, sizeof(b1), in->damaged_chunks),
			ana_fmt_count(b2, sizeof(b2), in->damaged_events),
			ana_fmt_count(b2, sizeof(b2), in->skipped_bytes),
			in->truncated ? ", torn tail" : "");
	fprintf(f, "%-16s %s\n", "closed cleanly", in->footer_seen ? "yes" : "no");
}

static int info_file(const struct ana_opts *o, struct ana_engine *e, uint32_t i, FILE *f)
{
	struct ebt_reader *r = NULL;
	struct info_acc a = { 0 };
	struct ebt_chunk c;
	uint32_t idx;
	int rc;

	rc = ana_map_init(&a.pids, 1024);
	if (rc)
		return rc;
	rc = ana_engine_add_file(e, o->inputs[i], &idx);
	if (!rc)
		rc = ebt_reader_open(ana_input_path(o, i), NULL, &r);
	if (rc) {
		log_error("cannot read %s: %s", o->inputs[i],
			  r ? ebt_reader_errmsg(r) : strerror(-rc));
		ebt_reader_close(r);
		ana_map_free(&a.pids);
		return rc;
	}
	while ((rc = ebt_reader_next(r, &c)) > 0) {
		accumulate(&a, &c);
		for (size_t k = 0; k < c.n_records; k++) {
			uint32_t kind = c.records[k].kind;

			if (kind == EBT_REC_FILE_INFO || kind == EBT_REC_CLOCK)
				ana_meta_record(e, idx, &c.records[k]);
		}
		ana_meta_chunk_end(e, idx);
	}
	if (rc < 0)
		log_warn("%s: %s", o->inputs[i], ebt_reader_errmsg(r));
	print_one(f, e, idx, &a, ebt_reader_info(r));
	ebt_reader_close(r);
	ana_map_free(&a.pids);
	return 0;
}

int ana_info(const struct ana_opts *o, FILE *f)
{
	struct ana_engine *e = NULL;
	int err = ana_engine_new(o, &e);

	for (uint32_t i = 0; i < o->ninputs && !err; i++) {
		if (i)
			putc('\n', f);
		err = info_file(o, e, i, f);
	}
	ana_engine_free(e);
	return err;
}
