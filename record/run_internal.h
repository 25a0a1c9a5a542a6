/* SPDX-License-Identifier: MIT */
/* The state of one recording, shared by run.c, session.c and status.c. */
#ifndef RECORD_RUN_INTERNAL_H
#define RECORD_RUN_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "record/rec_internal.h"

struct rec_session {
	struct rec_opts *o;
	struct syslat *skel;
	struct ring_buffer *rb;
	struct ebt_writer *w;
	struct rec_drain d;
	struct rec_net net;
	struct rec_child child;
	char cmd_path[4096];
	bool attached;
	int exit_status;	/* what main() returns */
	int child_wstatus;	/* launch mode, once reaped */
	bool child_reaped;
	int n_cpus;
	uint64_t *drops_prev;	/* per CPU, syscall slot */
	uint64_t *drops_cur;
	uint64_t task_drops_prev;
	uint64_t start_mono, start_boot;
	uint64_t last_flush, last_second, last_clock, loss_window_start;
	uint64_t status_events;	/* events at the last status line */
	bool status_shown;
	bool all_exited;
	size_t n_descendants;	/* attach mode: existing children traced too */
};

/* Snapshots the targets (attach) or forks the command (launch) and fills
 * the tgids map. Before attaching. */
int rec_session_targets(struct rec_session *s);

/* Attach mode with follow: traces the targets' existing descendants. */
void rec_session_descendants(struct rec_session *s);

/* After attaching: lets the launched command exec. */
int rec_session_start(struct rec_session *s);

/* Drains until a signal, the duration, or the end of all traced processes. */
int rec_session_loop(struct rec_session *s, volatile sig_atomic_t *stop);

/* Detaches, drains the rest, closes the trace, waits for the command,
 * prints the summary; returns the exit status. err: the run's error. */
int rec_session_finish(struct rec_session *s, int err, int stop_sig);

/* status.c: loss records, live status line, end summary. */
int rec_status_init(struct rec_session *s);
void rec_status_losses(struct rec_session *s, uint64_t now_boot);
void rec_status_line(struct rec_session *s, uint64_t now_mono);
void rec_status_summary(struct rec_session *s, const struct ebt_writer_stats *st,
			uint64_t elapsed_ns);

#endif
