/* SPDX-License-Identifier: MIT */
/*
 * SQLite output of ebpf-analyze: the schema of docs/SQL.md, loaded in one
 * transaction with prepared statements. The analysis engine calls these as
 * it streams; every argument is plain data, so this module knows nothing of
 * the engine. Strings are borrowed (bound with SQLITE_TRANSIENT) and may hold
 * any byte: they are bound as parameters, never spliced into SQL.
 *
 * Times: *_ns are nanoseconds; wall_ns is Unix-epoch ns (realtime), ts_ns the
 * trace's event clock. request_id < 0 means "no request". -1 integers and
 * NULL strings are stored as SQL NULL where the column allows it.
 *
 * All functions return 0 or -errno: -EEXIST (open: the file exists and
 * force is false), -EIO (an SQLite error; ana_sql_errmsg() has its text),
 * -ENOMEM, -EINVAL, -ENOSPC (disk full while loading). ana_sql_open()
 * fails with the errno of the file operation that failed (-EACCES, -ENOENT,
 * -EISDIR, ...); it hands no object back, so there is no message to read.
 */
#ifndef ANALYZE_SQLITE_OUT_H
#define ANALYZE_SQLITE_OUT_H

#include <stdbool.h>
#include <stdint.h>

struct ana_sql;

/* Creates path (replaced only when force), the schema, and opens the
 * transaction. */
int ana_sql_open(const char *path, bool force, struct ana_sql **out);

/* One row of trace_info per (file, key): host facts, recorder options,
 * analysis method, totals. file_idx numbers the input files from 0;
 * UINT32_MAX (stored as NULL) means the row is about the whole analysis. */
int ana_sql_trace_info(struct ana_sql *s, uint32_t file_idx, const char *key,
		       const char *value);

struct ana_sql_event {
	uint32_t file_idx;
	uint64_t ts_ns;		/* enter, event clock */
	uint64_t wall_ns;	/* enter, wall clock */
	uint64_t duration_ns;
	uint32_t pid, tid, cpu;
	uint32_t nr;
	const char *syscall;	/* name, or "syscall_<nr>" */
	const char *category;
	int64_t ret;
	int32_t err;		/* errno when ret is -errno, else 0 */
	int64_t fd;		/* -1 when the syscall has no fd argument */
	int64_t request_id;	/* -1 none */
	bool idle;		/* classified as waiting for work */
	uint32_t stack_id;	/* 0 none */
};
/* Events are copied into a buffer (strings included) and inserted 1024 at a
 * time: an SQLite error surfaces from the call that fills the buffer, or
 * from ana_sql_close(). After any error the load is lost (close cannot
 * commit it). */
int ana_sql_event(struct ana_sql *s, const struct ana_sql_event *ev);

struct ana_sql_process {
	uint32_t file_idx, pid, ppid;
	const char *comm, *exe, *cmdline;	/* cmdline: args joined by spaces */
	uint64_t start_wall_ns, exit_wall_ns;	/* 0 unknown */
	int32_t exit_code;			/* -1 unknown */
};
int ana_sql_process(struct ana_sql *s, const struct ana_sql_process *p);

struct ana_sql_thread {
	uint32_t file_idx, pid, tid;
	const char *comm;
	uint64_t start_wall_ns, exit_wall_ns;
	uint64_t syscalls, syscall_ns, idle_ns;
};
int ana_sql_thread(struct ana_sql *s, const struct ana_sql_thread *t);

struct ana_sql_fd {
	uint32_t file_idx, pid;
	int32_t fd;
	const char *kind;	/* "file", "socket", ... */
	const char *path, *local, *peer;
	uint64_t first_wall_ns, last_wall_ns;
	uint64_t syscalls, syscall_ns;
};
int ana_sql_fd(struct ana_sql *s, const struct ana_sql_fd *f);

/* scope: "syscall", "category", "process", "thread", "window";
 * key: the syscall/category name, pid, tid, or window start (wall ns as text). */
struct ana_sql_stat {
	const char *scope, *key;
	const char *category;	/* for scope "syscall", else NULL */
	uint64_t count, errors;
	uint64_t total_ns, mean_ns, min_ns, max_ns;
	uint64_t p50_ns, p90_ns, p99_ns, p999_ns;
	/* Added: scope "window" only: the syscall this window row covers, or
	 * NULL for all syscalls of the window (window_stats.syscall). */
	const char *window_syscall;
	/* Added: scope "window" only: the window's length (window_stats.window_ns;
	 * 0 stores NULL, unknown). */
	uint64_t window_ns;
};
int ana_sql_stat(struct ana_sql *s, const struct ana_sql_stat *st);

struct ana_sql_request {
	int64_t id;
	uint32_t file_idx, pid, tid;
	int64_t fd;
	const char *peer;
	const char *method;	/* "connection" or "thread" */
	uint64_t start_wall_ns, end_wall_ns, duration_ns;
	uint64_t syscall_ns, syscalls;
	const uint64_t *category_ns;	/* SC__COUNT values, common/syscalls.h order */
	bool complete;		/* false: closed by timeout or end of trace */
	bool lossy;		/* overlaps a loss window */
};
int ana_sql_request(struct ana_sql *s, const struct ana_sql_request *r);

struct ana_sql_hotspot {
	uint32_t rank;
	const char *kind;	/* "syscall" or "category" */
	const char *name;
	uint64_t count, total_ns;
	double share;		/* of in-request syscall time, 0..1 */
	uint64_t p99_ns;
};
int ana_sql_hotspot(struct ana_sql *s, const struct ana_sql_hotspot *h);

struct ana_sql_outlier {
	const char *kind;	/* "syscall" or "request" */
	const char *name;	/* syscall name, or "request" */
	uint64_t wall_ns, duration_ns;
	uint32_t pid, tid;
	int64_t request_id;
	double score;		/* duration / threshold */
	const char *rule;	/* the rule that flagged it */
};
int ana_sql_outlier(struct ana_sql *s, const struct ana_sql_outlier *o);

struct ana_sql_loss {
	uint32_t file_idx;
	const char *source;	/* "ringbuf", "writer", "damage" */
	uint32_t cpu;		/* UINT32_MAX: all */
	uint64_t start_wall_ns, end_wall_ns, count;
};
int ana_sql_loss(struct ana_sql *s, const struct ana_sql_loss *l);

struct ana_sql_suggestion {
	uint32_t rank;
	const char *rule, *title, *evidence;
};
int ana_sql_suggestion(struct ana_sql *s, const struct ana_sql_suggestion *g);

/* A user stack (issue 7): frames as "func+0xoff (object)". */
int ana_sql_stack(struct ana_sql *s, uint32_t file_idx, uint32_t stack_id,
		  uint32_t depth, const char *const *frames);

/* Commits, creates the indexes and views, closes. s == NULL is fine.
 * Without commit (an earlier error), rolls back and removes the file. */
int ana_sql_close(struct ana_sql *s, bool commit);

const char *ana_sql_errmsg(const struct ana_sql *s);

/* Added: the Linux name of errno err (sign ignored): "EAGAIN", or the
 * kernel-internal "ERESTARTSYS"...; NULL when unknown or 0. Static storage. */
const char *ana_sql_errno_name(int err);

#endif /* ANALYZE_SQLITE_OUT_H */
