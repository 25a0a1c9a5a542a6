// SPDX-License-Identifier: MIT
/*
 * One recording: checks, output, BPF load, metadata, launch or attach, the
 * drain loop, and one exit path that detaches everything.
 */
#include "record/rec_internal.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "syslat.skel.h"
#include "common/log.h"
#include "record/run_internal.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* A live process id: a thread id stands for its process; zombies and
 * unknown ids are errors. */
static int resolve_pid(uint32_t *pid)
{
	struct rec_task_info t;
	uint32_t tgid;

	if (rec_proc_task(*pid, *pid, &t) || rec_proc_tgid(*pid, &tgid)) {
		log_error("no such process: %u", *pid);
		return -ESRCH;
	}
	rec_task_info_free(&t);
	if (t.state == 'Z' || t.state == 'X') {
		log_error("process %u has exited (zombie): nothing to trace", *pid);
		return -ESRCH;
	}
	if (tgid != *pid) {
		log_info("%u is a thread of process %u: tracing the process", *pid, tgid);
		*pid = tgid;
	}
	return 0;
}

static int check_targets(struct rec_session *s)
{
	struct rec_opts *o = s->o;
	size_t i, j, n = 0;
	int err;

	for (i = 0; i < o->n_pids; i++) {
		err = resolve_pid(&o->pids[i]);
		if (err)
			return err;
		if (o->pids[i] == (uint32_t)getpid()) {
			log_error("refusing to trace the recorder itself (pid %u)", o->pids[i]);
			return -EINVAL;
		}
		for (j = 0; j < n && o->pids[j] != o->pids[i]; j++)
			;
		if (j == n)	/* two threads of one process: trace it once */
			o->pids[n++] = o->pids[i];
	}
	o->n_pids = n;
	if (!o->cmd)
		return 0;
	if (o->user && !getpwnam(o->user)) {
		log_error("unknown user '%s'", o->user);
		return -ENOENT;
	}
	err = rec_launch_resolve(o->cmd[0], s->cmd_path, sizeof(s->cmd_path));
	if (err == -ENOENT) {
		log_error("command not found: %s", o->cmd[0]);
		s->exit_status = REC_EXIT_NOTFOUND;
	} else if (err) {
		log_error("cannot execute %s: %s", o->cmd[0], strerror(-err));
		s->exit_status = REC_EXIT_NOEXEC;
	}
	return err;
}

static int open_output(struct rec_session *s)
{
	struct ebt_writer_opts wo;
	int err;

	memset(&wo, 0, sizeof(wo));
	wo.level = 1;
	wo.mode = s->o->mode;
	wo.overwrite = s->o->force;
	wo.flush_ms = 1000;
	/* per-CPU batches reach the ring up to ~20 ms late (session.c): keep
	 * a thread's events in order across chunks with a wide margin */
	wo.reorder_ms = 100;
	err = ebt_writer_open(s->o->output, &wo, &s->w);
	if (err == -EEXIST)
		log_error("cannot create %s: file exists (use --force to replace it)",
			  s->o->output);
	else if (err)
		log_error("cannot create %s: %s", s->o->output, strerror(-err));
	return err;
}

/* Everything that can fail before the first event: nothing is attached yet. */
static int setup(struct rec_session *s)
{
	char why[256];
	int err;

	err = rec_bpf_privileged(why, sizeof(why));
	if (err) {
		log_error("not allowed to use eBPF: %s; %s", why, REC_PRIV_HINT);
		return err;
	}
	err = check_targets(s);
	if (!err)
		err = open_output(s);
	if (!err)
		err = rec_drain_init(&s->d, s->w);
	if (!err && s->o->stacks)
		err = rec_stacks_new(s->w, &s->d.stacks);
	if (!err)
		err = rec_bpf_load(s->o, &s->skel);
	if (!err)
		err = rec_meta_header(s->w, s->o);
	if (!err)
		err = rec_session_targets(s);
	if (err)
		return err;
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), rec_drain_sample, &s->d,
				 NULL);
	if (!s->rb) {
		err = -errno;
		log_error("cannot create ring buffer: %s", rec_bpf_strerror(err, why, sizeof(why)));
		return err;
	}
	err = syslat__attach(s->skel);
	if (err) {
		log_error("cannot attach tracepoints: %s", rec_bpf_strerror(err, why, sizeof(why)));
		return err;
	}
	s->attached = true;
	return rec_session_start(s);
}

int rec_run(struct rec_opts *o)
{
	struct rec_session *s;
	int err, status;

	s = calloc(1, sizeof(*s));
	if (!s) {
		log_error("out of memory");
		return REC_EXIT_FAIL;
	}
	s->o = o;
	s->child.pid = -1;
	s->child.go_fd = s->child.err_fd = -1;
	s->exit_status = REC_EXIT_FAIL;
	rec_bpf_log_init(o->verbose);
	install_signals();
	err = setup(s);
	if (!err)
		err = rec_session_loop(s, &stop_signal);
	status = rec_session_finish(s, err, stop_signal);
	free(s);
	return status;
}
