// SPDX-License-Identifier: MIT
/*
 * ebt-count TRACE [-v]: counts what an .ebt trace holds, independent of
 * ebpf-analyze. One "key value" line each, sorted:
 *   events N, lost N, truncated 0|1, footer 0|1, damaged N
 *   sys NAME COUNT            syscall events by name
 *   sys32 NAME COUNT          compat (32-bit) syscall events, i386 names
 *   sysfd NAME FD COUNT       for syscalls whose first argument is an fd
 *   task KIND COUNT           TASK records by kind
 *   fd KIND COUNT             FD records by fd kind
 *   pids N                    distinct pids in events
 *   disorder N                events that exited before the previous event
 *                             of their thread in file order (must be 0: a
 *                             thread's syscalls are sequential)
 * -v adds one line per TASK and FD record and per LOSS record.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/syscalls.h"
#include "format/ebt.h"

#define MAX_NR 1024
#define MAX_FD 1024
#define MAX_PIDS 4096
#define TID_SLOTS 65536		/* power of two; more threads are not checked */

struct counts {
	char *names[MAX_NR];
	uint64_t sys[MAX_NR];
	uint64_t sys32[MAX_NR];		/* compat (32-bit) syscalls */
	uint64_t sysfd[MAX_NR][MAX_FD];	/* 8 MiB, touched sparsely */
	uint64_t task[8];
	uint64_t fd[16];
	uint32_t pids[MAX_PIDS];
	size_t n_pids;
	uint32_t tid_key[TID_SLOTS];	/* tid + 1; 0 = free */
	uint64_t tid_exit[TID_SLOTS];	/* exit time of the thread's last event */
	uint64_t disorder;
	int verbose;
};

static void check_order(struct counts *c, const struct ebt_event *e)
{
	uint64_t exit = e->enter_ns + e->duration_ns;
	uint32_t h = (e->tid * 2654435761u) & (TID_SLOTS - 1), probe;

	for (probe = 0; probe < TID_SLOTS; probe++, h = (h + 1) & (TID_SLOTS - 1)) {
		if (c->tid_key[h] == e->tid + 1) {
			c->disorder += exit < c->tid_exit[h];
			c->tid_exit[h] = exit;
			return;
		}
		if (!c->tid_key[h]) {
			c->tid_key[h] = e->tid + 1;
			c->tid_exit[h] = exit;
			return;
		}
	}
}

static void add_pid(struct counts *c, uint32_t pid)
{
	size_t i;

	for (i = 0; i < c->n_pids; i++)
		if (c->pids[i] == pid)
			return;
	if (c->n_pids < MAX_PIDS)
		c->pids[c->n_pids++] = pid;
}

static void on_record(struct counts *c, const struct ebt_record *r)
{
	if (r->kind == EBT_REC_SYSCALL && r->sys.nr < MAX_NR && !c->names[r->sys.nr]) {
		c->names[r->sys.nr] = strndup(r->sys.name.p, r->sys.name.len);
	} else if (r->kind == EBT_REC_TASK && r->task.kind < 8) {
		c->task[r->task.kind]++;
		if (c->verbose)
			printf("rec task %s pid=%u tid=%u ppid=%u exit=%d comm=%.*s exe=%.*s\n",
			       ebt_task_kind_name(r->task.kind), r->task.pid, r->task.tid,
			       r->task.ppid, r->task.exit_code, (int)r->task.comm.len,
			       r->task.comm.p, (int)r->task.exe.len, r->task.exe.p);
	} else if (r->kind == EBT_REC_FD && r->fd.kind < 16) {
		c->fd[r->fd.kind]++;
		if (c->verbose)
			printf("rec fd ev=%u %s pid=%u fd=%d fam=%u type=%u path=%.*s local=%.*s "
			       "peer=%.*s\n", r->fd.event, ebt_fd_kind_name(r->fd.kind),
			       r->fd.pid, r->fd.fd, r->fd.family, r->fd.sock_type,
			       (int)r->fd.path.len, r->fd.path.p, (int)r->fd.local.len,
			       r->fd.local.p, (int)r->fd.peer.len, r->fd.peer.p);
	} else if (r->kind == EBT_REC_LOSS && c->verbose) {
		printf("rec loss source=%u cpu=%u count=%" PRIu64 "\n", r->loss.source,
		       r->loss.cpu, r->loss.count);
	}
}

static void on_event(struct counts *c, const struct ebt_event *e)
{
	if (e->nr >= MAX_NR)
		return;
	check_order(c, e);
	if (e->flags & EBT_EV_COMPAT) {
		c->sys32[e->nr]++;
		add_pid(c, e->pid);
		return;
	}
	c->sys[e->nr]++;
	if (e->arg0 < MAX_FD)
		c->sysfd[e->nr][e->arg0]++;
	add_pid(c, e->pid);
}

static const char *name_of(struct counts *c, unsigned int nr)
{
	const char *const *table;
	unsigned int count;
	const char *abi;

	if (c->names[nr])
		return c->names[nr];
	table = syscalls_native(&count, &abi);
	return syscalls_name(table, count, nr);
}

static void print_counts(struct counts *c)
{
	const char *name;
	unsigned int nr, fd;

	for (nr = 0; nr < MAX_NR; nr++) {
		if (!c->sys[nr])
			continue;
		name = name_of(c, nr);
		printf("sys %s %" PRIu64 "\n", name ? name : "?", c->sys[nr]);
		if (!name || !syscalls_first_arg_is_fd(name))
			continue;
		for (fd = 0; fd < MAX_FD; fd++)
			if (c->sysfd[nr][fd])
				printf("sysfd %s %u %" PRIu64 "\n", name, fd, c->sysfd[nr][fd]);
	}
	for (nr = 0; nr < MAX_NR; nr++) {
		const char *const *table32;
		unsigned int count32;
		const char *abi32;

		if (!c->sys32[nr])
			continue;
		table32 = syscalls_compat(&count32, &abi32);
		name = table32 ? syscalls_name(table32, count32, nr) : NULL;
		printf("sys32 %s %" PRIu64 "\n", name ? name : "?", c->sys32[nr]);
	}
	for (nr = 1; nr < 8; nr++)
		if (c->task[nr])
			printf("task %s %" PRIu64 "\n", ebt_task_kind_name(nr), c->task[nr]);
	for (nr = 0; nr < 16; nr++)
		if (c->fd[nr])
			printf("fd %s %" PRIu64 "\n", ebt_fd_kind_name(nr), c->fd[nr]);
	printf("pids %zu\n", c->n_pids);
	printf("disorder %" PRIu64 "\n", c->disorder);
}

int main(int argc, char **argv)
{
	const struct ebt_info *info;
	struct ebt_reader *r = NULL;
	struct ebt_chunk ch;
	struct counts *c;
	size_t i;
	int err;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: ebt-count TRACE [-v]\n");
		return 2;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return 1;
	c->verbose = argc == 3 && !strcmp(argv[2], "-v");
	err = ebt_reader_open(argv[1], NULL, &r);
	if (err) {
		fprintf(stderr, "ebt-count: %s: %s %s\n", argv[1], strerror(-err),
			r ? ebt_reader_errmsg(r) : "");
		return 1;
	}
	while ((err = ebt_reader_next(r, &ch)) == 1) {
		for (i = 0; i < ch.n_records; i++)
			on_record(c, &ch.records[i]);
		for (i = 0; i < ch.n_events; i++)
			on_event(c, &ch.events[i]);
	}
	info = ebt_reader_info(r);
	printf("events %" PRIu64 "\nlost %" PRIu64 "\ntruncated %d\nfooter %d\ndamaged %" PRIu64
	       "\n", info->events, info->lost_events, info->truncated, info->footer_seen,
	       info->damaged_chunks);
	print_counts(c);
	if (err < 0)
		fprintf(stderr, "ebt-count: %s: %s\n", strerror(-err), ebt_reader_errmsg(r));
	ebt_reader_close(r);
	for (i = 0; i < MAX_NR; i++)
		free(c->names[i]);
	free(c);
	return err < 0 ? 1 : 0;
}
