/* SPDX-License-Identifier: MIT */
/* Internals of ebpf-record shared between its files. */
#ifndef RECORD_REC_INTERNAL_H
#define RECORD_REC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bpf/syscall_event.h"
#include "format/ebt.h"
#include "record/record.h"

struct syslat;
struct ring_buffer;

/* ---------------------------------------------------------------- /proc */

/* One process or thread, read from /proc. Strings are owned. */
struct rec_task_info {
	uint32_t pid, tid, ppid, uid;
	uint64_t start_ns;	/* CLOCK_BOOTTIME */
	char comm[64];
	char *exe;		/* "" when unreadable */
	char *cmdline;		/* argv joined by NULs */
	size_t cmdline_len;
	char state;
};

/* 0, -ENOENT no such task, -errno. Free with rec_task_info_free(). */
int rec_proc_task(uint32_t pid, uint32_t tid, struct rec_task_info *out);
void rec_task_info_free(struct rec_task_info *t);

/* 1 when pid runs a 32-bit ELF on this 64-bit machine (its syscall numbers
 * are the compat table's, which the trace does not name), else 0. */
int rec_proc_elf32(uint32_t pid);

/* The process (thread group) of thread tid. 0, -ENOENT, -errno. */
int rec_proc_tgid(uint32_t tid, uint32_t *out);

/* The tids of pid, sorted; *out is malloc'd. Returns the count or -errno. */
int rec_proc_threads(uint32_t pid, uint32_t **out);

/* The child processes of pid (all its threads' children); *out is
 * malloc'd. Returns the count or -errno. */
int rec_proc_children(uint32_t pid, uint32_t **out);

/* The open fds of pid, sorted; *out is malloc'd. Returns the count or -errno. */
int rec_proc_fds(uint32_t pid, int **out);

/* The sockets of one network namespace, from /proc/PID/net/... */
struct rec_sock {
	uint64_t ino;
	uint16_t family, type;
	char local[112];
	char peer[112];
};
struct rec_net {
	uint64_t netns;		/* inode of the namespace; 0 not loaded */
	struct rec_sock *socks;
	size_t n, cap;
};
int rec_net_load(struct rec_net *net, uint32_t pid);
void rec_net_free(struct rec_net *net);
const struct rec_sock *rec_net_find(const struct rec_net *net, uint64_t ino);

/* One descriptor, resolved. */
struct rec_fd_info {
	int fd;
	uint32_t kind;		/* EBT_FD_* */
	uint16_t family, type;
	uint32_t flags;		/* O_* from fdinfo */
	uint64_t sock_ino;	/* sockets: inode, to look up in a rec_net */
	char path[512];
	char local[112];
	char peer[112];
};

/*
 * Reads /proc/PID/fd/FD (+fdinfo). net may be NULL; sockets are then left
 * without addresses. Otherwise net is loaded when it holds another
 * namespace than pid's (set net->netns = 0 to force a fresh read).
 * 0, -ENOENT gone, -errno.
 */
int rec_proc_fd(uint32_t pid, int fd, struct rec_net *net, struct rec_fd_info *out);

/*
 * Family, type and addresses of socket fd of pid, asked of the socket itself
 * through pidfd_getfd(). 0, or -errno (-EPERM no ptrace rights, -ENOSYS old
 * kernel, -EBADF gone): then /proc/net is the fallback.
 */
int rec_sock_query(uint32_t pid, int fd, struct rec_fd_info *out);

/* A struct sockaddr of len bytes as "1.2.3.4:80", "[::1]:443", "/path",
 * "@abstract", or "" for other families. */
void rec_sockaddr_text(const void *addr, uint32_t len, char *out, size_t size);

/* Fills an EBT_REC_FD record from fi (borrowing its strings). */
void rec_fd_record(const struct rec_fd_info *fi, uint32_t pid, uint32_t event,
		   uint64_t ts_ns, struct ebt_record *out);

/* Fills an EBT_REC_TASK record from ti (borrowing its strings). */
void rec_task_record(const struct rec_task_info *ti, uint32_t kind, uint64_t ts_ns,
		     struct ebt_record *out);

/* ---------------------------------------------------------------- BPF */

/* libbpf_strerror() plus the kernel's 524 (ENOTSUPP). err may be < 0. */
const char *rec_bpf_strerror(int err, char *buf, size_t len);

/* 0 when this process may use bpf() for tracing; -EPERM after naming the
 * missing capabilities in why (size len): "missing CAP_BPF and CAP_PERFMON". */
#define REC_PRIV_HINT "run as root, or grant CAP_BPF and CAP_PERFMON " \
	"(CAP_SYS_ADMIN on kernels before 5.8)"
int rec_bpf_privileged(char *why, size_t len);

/* Routes libbpf's log to ours (debug level unless verbose > 1). */
void rec_bpf_log_init(int verbose);

/* open -> configure from opts -> load. 0 or -errno (printed). */
int rec_bpf_load(const struct rec_opts *o, struct syslat **out);

/* How sys_enter reads syscall arguments: AUTO picks CAST when the kernel
 * has bpf_rdonly_cast() (plain loads), else PROBE (bpf_probe_read_kernel). */
enum rec_regs_read { REC_REGS_AUTO, REC_REGS_CAST, REC_REGS_PROBE };
bool rec_bpf_kernel_has_rdonly_cast(void);	/* the kfunc, Linux 6.2+ */
int rec_bpf_load_variant(const struct rec_opts *o, enum rec_regs_read regs,
			 struct syslat **out);

/* Adds tgid to the traced set with state TGID_*. */
int rec_bpf_add_tgid(struct syslat *skel, uint32_t tgid, uint32_t state);

/* 1 when tgid is in the traced set, else 0. */
int rec_bpf_has_tgid(struct syslat *skel, uint32_t tgid);

/* Removes tgid from the traced set. 0 or -errno. */
int rec_bpf_del_tgid(struct syslat *skel, uint32_t tgid);

/* Up to max tgids of the traced set into out; returns how many. */
int rec_bpf_list_tgids(struct syslat *skel, uint32_t *out, int max);

/* Number of traced processes left in the kernel map (capped at 2). */
int rec_bpf_tgids_left(struct syslat *skel);

/* Sum over CPUs of drops slot; per-CPU values into percpu (n_cpus long). */
int rec_bpf_read_drops(struct syslat *skel, uint32_t slot, uint64_t *percpu, int n_cpus);

/* Runs the flush program on cpu (an IPI): 0 sent or nothing to send, 1 the
 * batch was busy, -errno (e.g. a kernel without BPF_F_TEST_RUN_ON_CPU). */
int rec_bpf_flush_cpu(struct syslat *skel, int cpu);

/* Sends the per-CPU event batches whose oldest event is at least max_age_ns
 * old (batch_since[] in the mmapped .bss; now_boot: CLOCK_BOOTTIME). Returns
 * how many CPUs were busy (tried again at the next call). */
int rec_bpf_flush_stale(struct syslat *skel, uint64_t now_boot, uint64_t max_age_ns,
			int n_cpus);

/* After detaching: reads every CPU's batch from the map and hands each
 * non-empty one to sample() as a ring sample (waits up to 100 ms for a
 * program still finishing an append). 0, -EBUSY (some batch stayed busy:
 * the others were handed over), or -errno. */
int rec_bpf_take_batches(struct syslat *skel, int n_cpus,
			 int (*sample)(void *ctx, void *data, size_t size), void *ctx);

/* ---------------------------------------------------------------- time */

uint64_t rec_now_ns(int clock_id);

/* ---------------------------------------------------------------- metadata */

/* FILE_INFO, SYSCALL table and a CLOCK record. */
int rec_meta_header(struct ebt_writer *w, const struct rec_opts *o);

/* The compat (32-bit) syscall table's records, abi "i386": written once, at
 * the first compat syscall. 0 or -errno (-ENOENT: no compat table here). */
int rec_meta_compat_table(struct ebt_writer *w);
int rec_meta_clock(struct ebt_writer *w);

/* TASK snapshot of pid and all its threads, and its FD snapshot. */
int rec_meta_snapshot(struct ebt_writer *w, uint32_t pid, uint32_t task_kind,
		      uint64_t ts_ns, struct rec_net *net);
/* Warns when pid runs a 32-bit program (see rec_proc_elf32()). */
void rec_meta_warn_elf32(uint32_t pid);

/* Only the FD snapshot (EBT_FDE_SNAPSHOT records) of pid. */
int rec_meta_snapshot_fds(struct ebt_writer *w, uint32_t pid, uint64_t ts_ns,
			  struct rec_net *net);

/* ---------------------------------------------------------------- stacks */

struct rec_stacks;

struct rec_stack_counters {
	uint64_t maps_missed;	/* process gone before its maps were read */
	uint64_t records_lost;	/* STACK records the writer refused */
	uint64_t symbols;	/* SYMBOL records written */
	uint64_t unnamed;	/* addresses without a function name */
};

/* The stack table of one recording, writing into w (borrowed). 0, -ENOMEM. */
int rec_stacks_new(struct ebt_writer *w, struct rec_stacks **out);
void rec_stacks_free(struct rec_stacks *s);

/*
 * The file-local id (> 0) of this stack of pid (ips innermost first) taken
 * at ts_ns (CLOCK_BOOTTIME, the syscall's exit),
 * writing its STACK record the first time, and snapshotting pid's
 * mappings (MAP records) at its first stack. sp_words (STACK_SP_WORDS, top
 * of the user stack, may be NULL): the first that is a return address
 * (follows a call in an executable mapping) is inserted as the second
 * frame, unless it is the second already: the caller of a frameless
 * syscall wrapper, which the frame-pointer walk skips. A heuristic: a stale
 * return address among the wrapper's locals would name a wrong caller.
 * 0 when the stack cannot be kept.
 */
uint32_t rec_stacks_intern(struct rec_stacks *s, uint32_t pid, uint64_t ts_ns,
			   const uint64_t *ips, uint32_t depth, const uint64_t *sp_words);

/* pid ran execve at ts_ns (CLOCK_BOOTTIME): its next stack from after that
 * time takes a new snapshot. s may be NULL. */
void rec_stacks_exec(struct rec_stacks *s, uint32_t pid, uint64_t ts_ns);

/*
 * Resolves every address of every stack through the ELF symbol tables of
 * the files mapped at the time, and writes one SYMBOL record per (pid,
 * address). Slow: call once, when the recording ends. Returns the number
 * of records written or -errno.
 */
int rec_stacks_symbolize(struct rec_stacks *s);

const struct rec_stack_counters *rec_stacks_counters(const struct rec_stacks *s);

/* ---------------------------------------------------------------- drain */

struct rec_fd_req {
	uint64_t ts_ns;
	uint32_t pid;
	int32_t fd;
	uint32_t event;		/* EBT_FDE_OPEN, EBT_FDE_UPDATE, EBT_FDE_CLOSE;
				 * 0: superseded by a later request */
	uint32_t nr;		/* the syscall that made the request */
};

#define REC_TASKQ_LEN 4096
#define REC_FDQ_LEN 8192

struct rec_counters {
	uint64_t events;	/* syscall events handed to the writer */
	uint64_t stack_events;	/* of which with a user stack */
	uint64_t writer_drops;	/* refused by the writer (-ENOBUFS) */
	uint64_t bad_samples;	/* wrong size: never expected */
	uint64_t ringbuf_lost;	/* syscall events the kernel could not reserve */
	uint64_t task_lost;	/* task events the kernel could not reserve */
	uint64_t filtered;	/* dropped by --sample / --min-duration-us */
	uint64_t taskq_full;	/* task events dropped by a full queue */
	uint64_t fd_resolved;
	uint64_t fd_missed;	/* fd gone before it could be read, or queue full */
	uint64_t fd_from_connect;	/* of fd_resolved: peer taken in the kernel
					 * (connect's argument, accepted socket) */
	uint64_t early_exits;	/* syscalls blocked when tracing began, returned */
};

/* State the ring-buffer callback writes into: copies only. */
struct rec_drain {
	struct ebt_writer *w;
	uint64_t fd_open_mask[SYSCALL_ALLOW_WORDS];	/* ret is a new fd */
	uint64_t fd_update_mask[SYSCALL_ALLOW_WORDS];	/* arg0 got new facts */
	uint64_t fd_sock_mask[SYSCALL_ALLOW_WORDS];	/* the fd must be a socket */
	uint64_t fd_pair_mask[SYSCALL_ALLOW_WORDS];	/* arg0 holds two new fds */
	uint64_t fd_pipe_mask[SYSCALL_ALLOW_WORDS];	/* of which pipes */
	int32_t nr_close;
	int32_t nr_accept, nr_accept4;
	bool compat_table;	/* the compat table's records are written */
	struct task_event *taskq;
	size_t task_head, task_tail;
	struct rec_fd_req *fdq;
	size_t fd_head, fd_tail;
	struct rec_counters cnt;
	struct rec_stacks *stacks;	/* --stacks, else NULL */
};

int rec_drain_init(struct rec_drain *d, struct ebt_writer *w);
void rec_drain_fini(struct rec_drain *d);

/* The ring_buffer__new() callback; ctx is a struct rec_drain. */
int rec_drain_sample(void *ctx, void *data, size_t size);

/* The one conversion from the kernel's event to the file's. */
void rec_event_from_wire(const struct syscall_event *in, struct ebt_event *out);

/*
 * Work outside the drain, bounded per call so that draining stays prompt:
 * turns up to max queued task events into TASK records (reading /proc), and
 * up to max queued fds into FD records. Both return how many they consumed.
 */
size_t rec_drain_tasks(struct rec_drain *d, struct rec_net *net, size_t max);
size_t rec_drain_fds(struct rec_drain *d, struct rec_net *net, size_t max);

/* ---------------------------------------------------------------- launch */

struct rec_child {
	pid_t pid;
	int go_fd;		/* write end: closing it lets the child exec */
	int err_fd;		/* read end: errno of a failed exec, or EOF */
};

/*
 * Resolves cmd[0] through PATH: 0, -ENOENT not found, -EACCES not
 * executable. path (len bytes) gets the file to exec.
 */
int rec_launch_resolve(const char *cmd, char *path, size_t len);

/* Forks a child that waits for rec_launch_release() and then execs. */
int rec_launch_prepare(const struct rec_opts *o, const char *path,
		       struct rec_child *out);

/* Lets the child exec; returns 0 or the child's exec errno (-errno). */
int rec_launch_release(struct rec_child *c);

/* Exit status of the shell kind for a wait status. */
int rec_exit_status(int wstatus);

#endif
