// SPDX-License-Identifier: MIT
/* `ebpf-record info PID`: what the recorder would snapshot of a process. */
#include "record/rec_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"

static void print_cmdline(const struct rec_task_info *t)
{
	size_t i;

	for (i = 0; i < t->cmdline_len; i++)
		putchar(t->cmdline[i] ? t->cmdline[i] : ' ');
	putchar('\n');
}

static void print_threads(uint32_t pid)
{
	struct rec_task_info t;
	uint32_t *tids = NULL;
	int n, i;

	n = rec_proc_threads(pid, &tids);
	printf("threads: %d\n", n < 0 ? 0 : n);
	for (i = 0; i < n; i++) {
		if (rec_proc_task(pid, tids[i], &t))
			continue;
		printf("  %-8u %-16s %c\n", t.tid, t.comm, t.state);
		rec_task_info_free(&t);
	}
	free(tids);
}

static void print_fds(uint32_t pid)
{
	unsigned int counts[EBT_FD_MEMFD + 1] = { 0 };
	struct rec_net net = { 0 };
	struct rec_fd_info *fi;
	int *fds = NULL;
	int n, i;
	uint32_t k;

	fi = malloc(sizeof(*fi));
	n = rec_proc_fds(pid, &fds);
	if (!fi || n < 0) {
		printf("fds: unreadable\n");
		goto out;
	}
	printf("fds: %d\n", n);
	for (i = 0; i < n; i++) {
		if (rec_proc_fd(pid, fds[i], &net, fi))
			continue;
		counts[fi->kind <= EBT_FD_MEMFD ? fi->kind : 0]++;
		printf("  %-5d %-9s %s", fi->fd, ebt_fd_kind_name(fi->kind),
		       fi->local[0] ? fi->local : fi->path);
		printf("%s%s\n", fi->peer[0] ? " -> " : "", fi->peer);
	}
	printf("by type:");
	for (k = 0; k <= EBT_FD_MEMFD; k++)
		if (counts[k])
			printf(" %s=%u", ebt_fd_kind_name(k), counts[k]);
	printf("\n");
out:
	free(fi);
	free(fds);
	rec_net_free(&net);
}

int rec_info_main(int argc, char **argv)
{
	struct rec_task_info t;
	uint32_t pid;

	if (argc != 2 || parse_u32(argv[1], 1, 0x3fffffff, &pid)) {
		fprintf(stderr, "ebpf-record: usage: ebpf-record info PID\n"
			"Try 'ebpf-record --help'.\n");
		return REC_EXIT_USAGE;
	}
	if (rec_proc_task(pid, pid, &t)) {
		fprintf(stderr, "ebpf-record: no such process: %u\n", pid);
		return REC_EXIT_FAIL;
	}
	printf("pid:     %u\nppid:    %u\nuid:     %u\ncomm:    %s\nexe:     %s\ncmdline: ",
	       t.pid, t.ppid, t.uid, t.comm, t.exe ? t.exe : "");
	print_cmdline(&t);
	rec_task_info_free(&t);
	print_threads(pid);
	print_fds(pid);
	return REC_EXIT_OK;
}
