// SPDX-License-Identifier: MIT
/* Metadata written before attaching: host facts, syscall table, clock
 * anchors, and /proc snapshots of the traced processes. */
#include "record/rec_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/syscalls.h"

uint64_t rec_now_ns(int clock_id)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int add_kv(struct ebt_writer *w, const char *key, const char *value)
{
	struct ebt_record r;

	memset(&r, 0, sizeof(r));
	r.kind = EBT_REC_FILE_INFO;
	r.kv.key = ebt_str_c(key);
	r.kv.value = ebt_str_c(value);
	return ebt_writer_add_record(w, &r);
}

static int add_kv_u64(struct ebt_writer *w, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return add_kv(w, key, buf);
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static void os_release(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/os-release", "re");

	buf[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "PRETTY_NAME=", 12))
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(buf, len, "%s", line + 12 + (line[12] == '"'));
		if (buf[0] && buf[strlen(buf) - 1] == '"')
			buf[strlen(buf) - 1] = 0;
		break;
	}
	fclose(f);
}

static void targets_text(const struct rec_opts *o, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = 0;
	if (o->cmd) {
		snprintf(buf, len, "cmd:%s", o->cmd[0]);
		return;
	}
	for (i = 0; i < o->n_pids && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? "," : "",
					 o->pids[i]);
}

static int host_info(struct ebt_writer *w)
{
	char buf[256];
	struct utsname u;
	int err;

	uname(&u);
	gethostname(buf, sizeof(buf));
	buf[sizeof(buf) - 1] = 0;
	err = add_kv(w, "hostname", buf);
	err = err ? err : add_kv(w, "kernel_release", u.release);
	err = err ? err : add_kv(w, "kernel_version", u.version);
	err = err ? err : add_kv(w, "arch", u.machine);
	os_release(buf, sizeof(buf));
	err = err ? err : add_kv(w, "os_release", buf);
	err = err ? err : add_kv_u64(w, "nr_cpus", (uint64_t)sysconf(_SC_NPROCESSORS_CONF));
	err = err ? err : add_kv_u64(w, "page_size", (uint64_t)sysconf(_SC_PAGESIZE));
	read_line("/proc/sys/kernel/random/boot_id", buf, sizeof(buf));
	err = err ? err : add_kv(w, "boot_id", buf);
	return err;
}

static int recorder_info(struct ebt_writer *w, const struct rec_opts *o, const char *abi)
{
	char buf[1024];
	int err;

	err = add_kv(w, "abi", abi);
	err = err ? err : add_kv(w, "recorder_version", REC_VERSION);
	err = err ? err : add_kv(w, "recorder_args", o->args_text ? o->args_text : "");
	err = err ? err : add_kv_u64(w, "event_abi", SYSCALL_EVENT_ABI);
	err = err ? err : add_kv(w, "clock", "boottime");
	targets_text(o, buf, sizeof(buf));
	err = err ? err : add_kv(w, "targets", buf);
	err = err ? err : add_kv(w, "follow_children", o->follow ? "true" : "false");
	err = err ? err : add_kv_u64(w, "sample_every", o->sample_every);
	err = err ? err : add_kv_u64(w, "min_duration_ns", o->min_duration_ns);
	/* stack_min_ns: only syscalls this slow carry a stack; absent: no stacks */
	if (o->stacks)
		err = err ? err : add_kv_u64(w, "stack_min_ns", o->stack_min_ns);
	err = err ? err : add_kv(w, "syscall_filter",
				 o->filter_syscalls && o->syscalls ? o->syscalls : "all");
	err = err ? err : add_kv_u64(w, "buffer_bytes", o->buffer_bytes);
	err = err ? err : add_kv_u64(w, "started_realtime_ns", rec_now_ns(CLOCK_REALTIME));
	return err;
}

static int syscall_table(struct ebt_writer *w, const char *const *table, unsigned int count,
			 const char *abi)
{
	struct ebt_record r;
	const char *name;
	unsigned int nr;
	int err = 0;

	for (nr = 0; nr < count && !err; nr++) {
		name = syscalls_name(table, count, nr);
		if (!name)
			continue;
		memset(&r, 0, sizeof(r));
		r.kind = EBT_REC_SYSCALL;
		r.sys.nr = nr;
		r.sys.abi = ebt_str_c(abi);
		r.sys.name = ebt_str_c(name);
		err = ebt_writer_add_record(w, &r);
	}
	return err;
}

int rec_meta_compat_table(struct ebt_writer *w)
{
	const char *const *table;
	unsigned int count;
	const char *abi;

	table = syscalls_compat(&count, &abi);
	return table ? syscall_table(w, table, count, abi) : -ENOENT;
}

int rec_meta_header(struct ebt_writer *w, const struct rec_opts *o)
{
	const char *const *table;
	const char *abi;
	unsigned int count;
	int err;

	table = syscalls_native(&count, &abi);
	err = host_info(w);
	if (!err)
		err = recorder_info(w, o, abi);
	if (!err)
		err = syscall_table(w, table, count, abi);
	if (!err)
		err = rec_meta_clock(w);
	return err;
}

int rec_meta_clock(struct ebt_writer *w)
{
	struct ebt_record r;
	uint64_t b1, b2, rt, mono;

	memset(&r, 0, sizeof(r));
	r.kind = EBT_REC_CLOCK;
	b1 = rec_now_ns(CLOCK_BOOTTIME);
	rt = rec_now_ns(CLOCK_REALTIME);
	b2 = rec_now_ns(CLOCK_BOOTTIME);
	mono = rec_now_ns(CLOCK_MONOTONIC);
	r.clock.event_ns = b1 + (b2 - b1) / 2;
	r.clock.boottime_ns = r.clock.event_ns;
	r.clock.realtime_ns = rt;
	r.clock.monotonic_ns = mono - (rec_now_ns(CLOCK_BOOTTIME) - r.clock.event_ns);
	r.clock.uncertainty_ns = (b2 - b1) / 2;
	return ebt_writer_add_record(w, &r);
}

int rec_meta_snapshot_fds(struct ebt_writer *w, uint32_t pid, uint64_t ts_ns,
			  struct rec_net *net)
{
	struct rec_fd_info *fi;
	struct ebt_record r;
	int *fds = NULL;
	int n, i, err = 0;

	fi = malloc(sizeof(*fi));
	if (!fi)
		return -ENOMEM;
	n = rec_proc_fds(pid, &fds);
	for (i = 0; i < n && !err; i++) {
		if (rec_proc_fd(pid, fds[i], net, fi))
			continue;
		rec_fd_record(fi, pid, EBT_FDE_SNAPSHOT, ts_ns, &r);
		err = ebt_writer_add_record(w, &r);
	}
	free(fds);
	free(fi);
	return err;
}

void rec_meta_warn_elf32(uint32_t pid)
{
	if (rec_proc_elf32(pid))
		log_info("process %u runs a 32-bit program: its syscalls are recorded as "
			 "compat syscalls, named with the i386 table", pid);
}

int rec_meta_snapshot(struct ebt_writer *w, uint32_t pid, uint32_t task_kind,
		      uint64_t ts_ns, struct rec_net *net)
{
	struct rec_task_info ti;
	struct ebt_record r;
	uint32_t *tids = NULL;
	int n, i, err = 0;

	n = rec_proc_threads(pid, &tids);
	if (n < 0)
		return n;
	rec_meta_warn_elf32(pid);
	for (i = 0; i < n && !err; i++) {
		if (rec_proc_task(pid, tids[i], &ti))
			continue;
		/* The first record of a process has pid == tid. */
		rec_task_record(&ti, tids[i] == pid ? task_kind : (task_kind == EBT_TASK_SNAPSHOT ?
				EBT_TASK_SNAPSHOT : EBT_TASK_THREAD), ts_ns, &r);
		err = ebt_writer_add_record(w, &r);
		rec_task_info_free(&ti);
	}
	free(tids);
	if (!err)
		err = rec_meta_snapshot_fds(w, pid, ts_ns, net);
	return err;
}
