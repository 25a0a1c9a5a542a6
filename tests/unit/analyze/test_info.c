// SPDX-License-Identifier: MIT
/* `ebpf-analyze info` counts processes however the trace met them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "common/syscalls.h"
#include "format/ebt.h"

static void task(struct ebt_writer *w, uint32_t kind, uint32_t pid, uint32_t tid)
{
	struct ebt_record r = { .kind = EBT_REC_TASK };

	r.task.kind = kind;
	r.task.pid = pid;
	r.task.tid = tid;
	r.task.comm = ebt_str_c("launched");
	cr_assert_eq(ebt_writer_add_record(w, &r), 0);
}

static void events(struct ebt_writer *w, uint32_t pid, uint32_t tid, int n)
{
	for (int i = 0; i < n; i++) {
		struct ebt_event e = { .enter_ns = 1000000 + (uint64_t)i * 1000,
				       .duration_ns = 500, .pid = pid, .tid = tid,
				       .nr = (uint32_t)syscalls_lookup(syscalls_x86_64,
								       syscalls_x86_64_count,
								       "getppid") };

		cr_assert_eq(ebt_writer_append(w, &e), 0);
	}
}

static char *info_of(const char *path)
{
	struct ana_opts o;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	ana_opts_init(&o);
	o.inputs[0] = path;
	o.ninputs = 1;
	cr_assert_eq(ana_info(&o, f), 0);
	fclose(f);
	ana_opts_free(&o);
	return buf;
}

Test(analyze_info, counts_launched_threaded_and_unrecorded_processes)
{
	struct ebt_writer_opts wo = { .inline_io = true, .overwrite = true };
	char dir[] = "/tmp/ana-info-XXXXXX", path[64], cmd[96], *out;
	struct ebt_writer *w;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.ebt", dir);
	cr_assert_eq(ebt_writer_open(path, &wo, &w), 0);
	task(w, EBT_TASK_EXEC, 100, 100);	/* the launched command */
	task(w, EBT_TASK_THREAD, 200, 201);	/* met through a thread only */
	task(w, EBT_TASK_RENAME, 900, 900);	/* not a process fact */
	events(w, 100, 100, 50);
	events(w, 200, 201, 50);
	events(w, 300, 300, 50);		/* forked child, no record */
	events(w, 100, 100, 50);
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
	out = info_of(path);
	cr_assert(strstr(out, "processes        3 processes, 3 task records"), "%s", out);
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}
