// SPDX-License-Identifier: MIT
/* The life of one recording after the checks: targets, loop, finish. */
#include "record/run_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "syslat.skel.h"
#include "common/log.h"

#define POLL_MS 10
#define FLUSH_NS (100 * 1000000ull)
#define SECOND_NS 1000000000ull
#define CLOCK_EVERY_NS (10 * SECOND_NS)
#define FD_BATCH 1024
/* A CPU's event batch older than this is sent by an IPI (a CPU that still
 * runs traced syscalls sends its own after cfg_batch_age_ns, 5 ms). */
#define BATCH_STALE_NS (10 * 1000000ull)
#define TASK_BATCH 256

#define MAX_DEPTH 32

/*
 * Adds the existing descendants of pid to the traced set, with their
 * snapshots: once before attaching, and once after, for children forked in
 * between (the fork tracepoint catches every later one).
 */
static void add_descendants(struct rec_session *s, uint32_t pid, int depth)
{
	uint64_t now = rec_now_ns(CLOCK_BOOTTIME);
	uint32_t *kids = NULL;
	int n, i;

	n = rec_proc_children(pid, &kids);
	for (i = 0; i < n && depth < MAX_DEPTH; i++) {
		if (kids[i] == (uint32_t)getpid() || rec_bpf_has_tgid(s->skel, kids[i]))
			continue;
		if (rec_meta_snapshot(s->w, kids[i], EBT_TASK_SNAPSHOT, now, &s->net))
			continue;	/* gone already */
		if (rec_bpf_add_tgid(s->skel, kids[i], TGID_ACTIVE))
			continue;
		s->n_descendants++;
		add_descendants(s, kids[i], depth + 1);
	}
	free(kids);
}

void rec_session_descendants(struct rec_session *s)
{
	size_t i;

	if (s->o->cmd || !s->o->follow)
		return;
	for (i = 0; i < s->o->n_pids; i++)
		add_descendants(s, s->o->pids[i], 0);
}

int rec_session_targets(struct rec_session *s)
{
	struct rec_opts *o = s->o;
	uint64_t now = rec_now_ns(CLOCK_BOOTTIME);
	size_t i;
	int err;

	if (o->cmd) {
		err = rec_launch_prepare(o, s->cmd_path, &s->child);
		if (err)
			return err;	/* printed */
		return rec_bpf_add_tgid(s->skel, (uint32_t)s->child.pid, TGID_PENDING);
	}
	for (i = 0; i < o->n_pids; i++) {
		err = rec_meta_snapshot(s->w, o->pids[i], EBT_TASK_SNAPSHOT, now, &s->net);
		if (err == -ENOENT) {
			log_error("no such process: %u", o->pids[i]);
			return -ESRCH;
		}
		if (!err)
			err = rec_bpf_add_tgid(s->skel, o->pids[i], TGID_ACTIVE);
		if (err) {
			log_error("cannot trace %u: %s", o->pids[i], strerror(-err));
			return err;
		}
	}
	rec_session_descendants(s);
	return 0;
}

/*
 * A process that exited between its snapshot and the attach left no exit
 * event to shrink the set: drop such entries, or the recording would wait
 * for them forever.
 */
static void prune_exited(struct rec_session *s)
{
	struct rec_task_info t;
	uint32_t *tgids;
	int n, i;

	tgids = calloc(4096, sizeof(*tgids));
	if (!tgids)
		return;
	n = rec_bpf_list_tgids(s->skel, tgids, 4096);
	for (i = 0; i < n; i++) {
		if (!rec_proc_task(tgids[i], tgids[i], &t)) {
			rec_task_info_free(&t);
			if (t.state != 'Z' && t.state != 'X')
				continue;
		}
		rec_bpf_del_tgid(s->skel, tgids[i]);
	}
	free(tgids);
}

int rec_session_start(struct rec_session *s)
{
	int err;

	s->start_mono = rec_now_ns(CLOCK_MONOTONIC);
	s->start_boot = rec_now_ns(CLOCK_BOOTTIME);
	s->last_flush = s->last_second = s->start_mono;
	s->last_clock = s->start_mono;
	s->loss_window_start = s->start_boot;
	err = rec_status_init(s);
	if (err)
		return err;
	if (!s->o->cmd) {
		rec_session_descendants(s);
		prune_exited(s);
		log_info("recording %zu process%s into %s; Ctrl-C to stop",
			 s->o->n_pids + s->n_descendants,
			 s->o->n_pids + s->n_descendants == 1 ? "" : "es", s->o->output);
		return 0;
	}
	err = rec_launch_release(&s->child);
	if (err) {
		log_error("cannot execute %s: %s", s->o->cmd[0], strerror(-err));
		s->exit_status = err == -ENOENT ? REC_EXIT_NOTFOUND : REC_EXIT_NOEXEC;
	}
	return 0;	/* the trace of the failed exec is still written */
}

static void reap_child(struct rec_session *s, int flags)
{
	int ws;
	pid_t r;

	if (s->child.pid <= 0 || s->child_reaped)
		return;
	do
		r = waitpid(s->child.pid, &ws, flags);
	while (r < 0 && errno == EINTR && !(flags & WNOHANG));
	if (r == s->child.pid) {
		s->child_reaped = true;
		s->child_wstatus = ws;
	}
}

/* The periodic work: never inside the ring-buffer callback. */
static void tick(struct rec_session *s, uint64_t now)
{
	rec_bpf_flush_stale(s->skel, rec_now_ns(CLOCK_BOOTTIME), BATCH_STALE_NS, s->n_cpus);
	rec_drain_tasks(&s->d, &s->net, TASK_BATCH);
	rec_drain_fds(&s->d, &s->net, FD_BATCH);
	if (now - s->last_flush >= FLUSH_NS) {
		s->last_flush = now;
		ebt_writer_flush(s->w, now, false);
		reap_child(s, WNOHANG);
		if (!rec_bpf_tgids_left(s->skel))
			s->all_exited = true;
	}
	if (now - s->last_second >= SECOND_NS) {
		s->last_second = now;
		rec_status_losses(s, rec_now_ns(CLOCK_BOOTTIME));
		rec_status_line(s, now);
	}
	if (now - s->last_clock >= CLOCK_EVERY_NS) {
		s->last_clock = now;
		rec_meta_clock(s->w);
	}
}

int rec_session_loop(struct rec_session *s, volatile sig_atomic_t *stop)
{
	uint64_t now;
	int n;

	while (!*stop && !s->all_exited) {
		n = ring_buffer__poll(s->rb, POLL_MS);
		if (n < 0 && n != -EINTR) {
			log_error("ring buffer poll failed: %s", strerror(-n));
			return n;
		}
		/* Events are submitted without wakeups: always drain. */
		n = ring_buffer__consume(s->rb);
		if (n < 0 && n != -EINTR) {
			log_error("ring buffer read failed: %s", strerror(-n));
			return n;
		}
		now = rec_now_ns(CLOCK_MONOTONIC);
		tick(s, now);
		if (s->o->duration_ns && now - s->start_mono >= s->o->duration_ns)
			break;
	}
	return 0;
}

/* Stops the command we launched if the recording ends before it does. */
static void stop_child(struct rec_session *s, int stop_sig)
{
	int i;

	reap_child(s, WNOHANG);
	if (s->child.pid <= 0 || s->child_reaped)
		return;
	if (!s->attached) {
		kill(s->child.pid, SIGKILL);	/* it never ran CMD */
	} else if (!s->all_exited) {
		kill(s->child.pid, stop_sig ? stop_sig : SIGTERM);
		for (i = 0; i < 50 && !s->child_reaped; i++) {
			usleep(100000);
			reap_child(s, WNOHANG);
		}
		if (!s->child_reaped) {
			log_warn("%s still running 5 s after the stop; killing it", s->o->cmd[0]);
			kill(s->child.pid, SIGKILL);
		}
	}
	reap_child(s, 0);
}

static void final_drain(struct rec_session *s)
{
	int err;

	if (s->skel) {
		syslat__detach(s->skel);
		usleep(2000);	/* programs that passed the tracepoint finish */
	}
	if (s->rb)
		ring_buffer__consume(s->rb);
	/* each CPU's newest events, after everything it sent before */
	if (s->skel) {
		err = rec_bpf_take_batches(s->skel, s->n_cpus, rec_drain_sample, &s->d);
		if (err)
			log_warn("cannot read the last per-CPU event batches: %s", strerror(-err));
	}
	while (rec_drain_tasks(&s->d, &s->net, REC_TASKQ_LEN))
		;
	while (rec_drain_fds(&s->d, &s->net, REC_FDQ_LEN))
		;
	if (s->attached)
		rec_status_losses(s, rec_now_ns(CLOCK_BOOTTIME));
	rec_meta_clock(s->w);
	if (s->d.stacks && rec_stacks_symbolize(s->d.stacks) < 0)
		log_warn("cannot name stack frames: %s", strerror(ENOMEM));
}

int rec_session_finish(struct rec_session *s, int err, int stop_sig)
{
	struct ebt_writer_stats st;
	uint64_t elapsed;
	int cerr;

	memset(&st, 0, sizeof(st));
	elapsed = rec_now_ns(CLOCK_MONOTONIC) - s->start_mono;
	if (s->w && s->attached)
		final_drain(s);
	ring_buffer__free(s->rb);
	syslat__destroy(s->skel);	/* the one place BPF is detached */
	s->rb = NULL;
	s->skel = NULL;
	cerr = s->w ? ebt_writer_close(s->w, &st) : 0;
	/* Failed before the first event: no half trace blocks the next try. */
	if (s->w && !s->attached)
		unlink(s->o->output);
	s->w = NULL;
	if (cerr && !err)
		log_error("error writing %s: %s", s->o->output, strerror(-cerr));
	stop_child(s, stop_sig);
	if (s->attached && !s->o->quiet)
		rec_status_summary(s, &st, elapsed);
	rec_drain_fini(&s->d);
	rec_net_free(&s->net);
	free(s->drops_prev);
	free(s->drops_cur);
	if (s->child.go_fd >= 0)
		close(s->child.go_fd);
	if (s->child.err_fd >= 0)
		close(s->child.err_fd);
	if (err || cerr)
		return s->exit_status != REC_EXIT_FAIL && err ? s->exit_status : REC_EXIT_FAIL;
	if (s->o->cmd && s->exit_status == REC_EXIT_FAIL && s->child_reaped)
		return rec_exit_status(s->child_wstatus);
	return s->o->cmd ? s->exit_status : REC_EXIT_OK;
}
