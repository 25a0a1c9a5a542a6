// SPDX-License-Identifier: MIT
/* Readers of /proc: tasks, threads, descriptors. Best effort by nature:
 * a process can exit between any two reads; -ENOENT then. */
#include "record/rec_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"

/* Reads a small file whole; returns its length or -errno. buf gets a NUL. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n, total = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total + 1 < len) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = 0;
	close(fd);
	return total;
}

/* /proc/PID/task/TID/stat: comm, state, ppid, start time. */
static int read_stat(const char *dir, struct rec_task_info *t)
{
	unsigned long long start = 0;
	char buf[1024], path[96], *open_p, *close_p;
	unsigned int ppid = 0;
	ssize_t n;
	long hz = sysconf(_SC_CLK_TCK);

	snprintf(path, sizeof(path), "%s/stat", dir);
	n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	open_p = strchr(buf, '(');
	close_p = strrchr(buf, ')');
	if (!open_p || !close_p || close_p < open_p)
		return -EIO;
	snprintf(t->comm, sizeof(t->comm), "%.*s", (int)(close_p - open_p - 1), open_p + 1);
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
	 * utime stime cutime cstime priority nice threads itreal starttime */
	if (sscanf(close_p + 2, "%c %u %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s"
		   " %*s %*s %*s %*s %*s %llu", &t->state, &ppid, &start) != 3)
		return -EIO;
	t->ppid = ppid;
	if (hz > 0)
		t->start_ns = start * (1000000000ull / (unsigned long long)hz);
	return 0;
}

static void read_uid(const char *dir, struct rec_task_info *t)
{
	char buf[2048], path[96], *p;

	snprintf(path, sizeof(path), "%s/status", dir);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return;
	p = strstr(buf, "\nUid:");
	if (p)
		t->uid = (uint32_t)strtoul(p + 5, NULL, 10);
}

static void read_exe_cmdline(uint32_t pid, struct rec_task_info *t)
{
	char path[64];
	ssize_t n;

	t->exe = calloc(1, 4096);
	t->cmdline = calloc(1, 4096);
	if (!t->exe || !t->cmdline)
		return;
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	n = readlink(path, t->exe, 4095);
	t->exe[n > 0 ? n : 0] = 0;
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	n = read_small(path, t->cmdline, 4096);
	t->cmdline_len = n > 0 ? (size_t)n : 0;
	/* argv ends in a NUL; the record holds the strings joined by NULs. */
	while (t->cmdline_len && !t->cmdline[t->cmdline_len - 1])
		t->cmdline_len--;
}

int rec_proc_task(uint32_t pid, uint32_t tid, struct rec_task_info *out)
{
	char dir[64];
	int err;

	memset(out, 0, sizeof(*out));
	out->pid = pid;
	out->tid = tid;
	snprintf(dir, sizeof(dir), "/proc/%u/task/%u", pid, tid);
	err = read_stat(dir, out);
	if (err)
		return err == -ESRCH ? -ENOENT : err;
	read_uid(dir, out);
	read_exe_cmdline(pid, out);
	return 0;
}

void rec_task_info_free(struct rec_task_info *t)
{
	if (!t)
		return;
	free(t->exe);
	free(t->cmdline);
	t->exe = t->cmdline = NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* The numeric entries of a /proc directory. */
static int list_numeric(const char *path, uint32_t **out)
{
	uint32_t *arr = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ENOENT : -errno;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (alloc_grow((void **)&arr, &cap, n + 1, sizeof(*arr))) {
			free(arr);
			closedir(d);
			return -ENOMEM;
		}
		arr[n++] = (uint32_t)strtoul(de->d_name, NULL, 10);
	}
	closedir(d);
	if (n)
		qsort(arr, n, sizeof(*arr), cmp_u32);
	*out = arr;
	return (int)n;
}

int rec_proc_threads(uint32_t pid, uint32_t **out)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	return list_numeric(path, out);
}

int rec_proc_fds(uint32_t pid, int **out)
{
	char path[64];
	int n;

	snprintf(path, sizeof(path), "/proc/%u/fd", pid);
	n = list_numeric(path, (uint32_t **)out);
	if (n > 0)
		qsort(*out, (size_t)n, sizeof(int), cmp_int);
	return n;
}

static uint32_t anon_kind(const char *link)
{
	static const struct {
		const char *name;
		uint32_t kind;
	} anon[] = {
		{ "anon_inode:[eventfd]", EBT_FD_EVENTFD },
		{ "anon_inode:[eventpoll]", EBT_FD_EPOLL },
		{ "anon_inode:[timerfd]", EBT_FD_TIMERFD },
		{ "anon_inode:[signalfd]", EBT_FD_SIGNALFD },
		{ "anon_inode:inotify", EBT_FD_INOTIFY },
	};
	size_t i;

	for (i = 0; i < sizeof(anon) / sizeof(anon[0]); i++)
		if (!strcmp(link, anon[i].name))
			return anon[i].kind;
	return EBT_FD_ANON;
}

static uint32_t classify(const char *link, const char *proc_path)
{
	struct stat st;

	if (!strncmp(link, "socket:[", 8))
		return EBT_FD_SOCKET;
	if (!strncmp(link, "pipe:[", 6))
		return EBT_FD_PIPE;
	if (!strncmp(link, "anon_inode:", 11))
		return anon_kind(link);
	if (!strncmp(link, "/memfd:", 7))
		return EBT_FD_MEMFD;
	if (stat(proc_path, &st))
		return EBT_FD_UNKNOWN;
	if (S_ISREG(st.st_mode))
		return EBT_FD_FILE;
	if (S_ISDIR(st.st_mode))
		return EBT_FD_DIR;
	if (S_ISCHR(st.st_mode))
		return EBT_FD_CHAR;
	if (S_ISBLK(st.st_mode))
		return EBT_FD_BLOCK;
	if (S_ISFIFO(st.st_mode))
		return EBT_FD_PIPE;
	return EBT_FD_UNKNOWN;
}

static void read_fdinfo_flags(uint32_t pid, int fd, struct rec_fd_info *out)
{
	char buf[512], path[80], *p;

	snprintf(path, sizeof(path), "/proc/%u/fdinfo/%d", pid, fd);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return;
	p = strstr(buf, "flags:");
	if (p)
		out->flags = (uint32_t)strtoul(p + 6, NULL, 8);
}

static uint64_t netns_of(uint32_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/ns/net", pid);
	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

int rec_proc_fd(uint32_t pid, int fd, struct rec_net *net, struct rec_fd_info *out)
{
	const struct rec_sock *s;
	char path[80];
	ssize_t n;

	memset(out, 0, sizeof(*out));
	out->fd = fd;
	snprintf(path, sizeof(path), "/proc/%u/fd/%d", pid, fd);
	n = readlink(path, out->path, sizeof(out->path) - 1);
	if (n < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	out->path[n] = 0;
	out->kind = classify(out->path, path);
	read_fdinfo_flags(pid, fd, out);
	if (out->kind != EBT_FD_SOCKET)
		return 0;
	out->sock_ino = strtoull(out->path + 8, NULL, 10);
	if (!net || !rec_sock_query(pid, fd, out))
		return 0;
	if (net->netns != netns_of(pid))
		rec_net_load(net, pid);
	s = rec_net_find(net, out->sock_ino);
	if (s) {
		out->family = s->family;
		out->type = s->type;
		memcpy(out->local, s->local, sizeof(out->local));
		memcpy(out->peer, s->peer, sizeof(out->peer));
	}
	return 0;
}

void rec_fd_record(const struct rec_fd_info *fi, uint32_t pid, uint32_t event,
		   uint64_t ts_ns, struct ebt_record *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = EBT_REC_FD;
	out->fd.event = event;
	out->fd.kind = fi->kind;
	out->fd.pid = pid;
	out->fd.fd = fi->fd;
	out->fd.ts_ns = ts_ns;
	out->fd.family = fi->family;
	out->fd.sock_type = fi->type;
	out->fd.flags = fi->flags;
	out->fd.path = ebt_str_c(fi->path);
	out->fd.local = ebt_str_c(fi->local);
	out->fd.peer = ebt_str_c(fi->peer);
}

void rec_task_record(const struct rec_task_info *ti, uint32_t kind, uint64_t ts_ns,
		     struct ebt_record *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = EBT_REC_TASK;
	out->task.kind = kind;
	out->task.pid = ti->pid;
	out->task.tid = ti->tid;
	out->task.ppid = ti->ppid;
	out->task.ts_ns = ts_ns;
	out->task.start_ns = ti->start_ns;
	out->task.uid = ti->uid;
	out->task.comm = ebt_str_c(ti->comm);
	out->task.exe = ebt_str_c(ti->exe);
	out->task.cmdline.p = ti->cmdline;
	out->task.cmdline.len = ti->cmdline ? (uint32_t)ti->cmdline_len : 0;
}

static int push_pid(uint32_t **arr, size_t *n, size_t *cap, uint32_t pid)
{
	if (alloc_grow((void **)arr, cap, *n + 1, sizeof(**arr)))
		return -ENOMEM;
	(*arr)[(*n)++] = pid;
	return 0;
}

/* Without CONFIG_PROC_CHILDREN: every process whose parent is pid. */
static int children_by_scan(uint32_t pid, uint32_t **out)
{
	struct rec_task_info t;
	uint32_t *all = NULL, *arr = NULL;
	size_t n = 0, cap = 0;
	char dir[48];
	int count, i, err = 0;

	count = list_numeric("/proc", &all);
	for (i = 0; i < count && !err; i++) {
		memset(&t, 0, sizeof(t));
		snprintf(dir, sizeof(dir), "/proc/%u", all[i]);
		if (!read_stat(dir, &t) && t.ppid == pid)
			err = push_pid(&arr, &n, &cap, all[i]);
	}
	free(all);
	if (err) {
		free(arr);
		return err;
	}
	*out = arr;
	return (int)n;
}

int rec_proc_children(uint32_t pid, uint32_t **out)
{
	char path[80], buf[4096], *p, *end;
	uint32_t *tids = NULL, *arr = NULL;
	size_t n = 0, cap = 0;
	int count, i, err = 0;
	unsigned long v;
	ssize_t rd;

	count = rec_proc_threads(pid, &tids);
	if (count < 0)
		return count;
	for (i = 0; i < count && !err; i++) {
		snprintf(path, sizeof(path), "/proc/%u/task/%u/children", pid, tids[i]);
		rd = read_small(path, buf, sizeof(buf));
		if (rd < 0) {
			if (rd != -ENOENT || i)
				continue;
			free(tids);
			return children_by_scan(pid, out);
		}
		for (p = buf; !err; p = end) {
			v = strtoul(p, &end, 10);
			if (end == p)
				break;
			err = push_pid(&arr, &n, &cap, (uint32_t)v);
		}
	}
	free(tids);
	if (err) {
		free(arr);
		return err;
	}
	*out = arr;
	return (int)n;
}

int rec_proc_tgid(uint32_t tid, uint32_t *out)
{
	char path[48], buf[2048], *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/status", tid);
	n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	p = strstr(buf, "\nTgid:");
	if (!p)
		return -EIO;
	*out = (uint32_t)strtoul(p + 6, NULL, 10);
	return 0;
}

int rec_proc_elf32(uint32_t pid)
{
	unsigned char id[5];
	char path[48];
	ssize_t n;
	int fd;

	if (sizeof(void *) != 8)
		return 0;
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, id, sizeof(id));
	close(fd);
	/* "\177ELF" then EI_CLASS: 1 = 32-bit, 2 = 64-bit */
	return n == (ssize_t)sizeof(id) && !memcmp(id, "\177ELF", 4) && id[4] == 1;
}
