/* SPDX-License-Identifier: MIT */
/*
 * The one layout shared by the BPF programs and record/. Any change bumps
 * SYSCALL_EVENT_ABI (stored in the .ebt FILE_INFO as "event_abi").
 *
 * Several kinds of samples travel through the one ring buffer; their sizes
 * differ, and record/ tells them apart by size alone:
 *   struct event_batch (8 + 48 * count bytes, count 1..BATCH_EVENTS): the
 *   finished syscalls of one CPU, in exit order, batched in a per-CPU map
 *   before they reach the ring (one ring reservation per batch, not per
 *   syscall);
 *   struct task_event (192 bytes): fork, thread start, exec, exit, rename;
 *   struct stack_event (1136 bytes): one finished syscall with its user
 *   stack (--stacks, only syscalls of at least cfg_stack_min_ns);
 *   struct early_exit_event (32 bytes): a syscall entered before tracing
 *   began returned (see below);
 *   struct connect_event (80 bytes): a connect() that succeeded or is in
 *   progress, with the address it was given (the peer, known even when the
 *   socket is closed before /proc can be read).
 */
#ifndef BPF_SYSCALL_EVENT_H
#define BPF_SYSCALL_EVENT_H
#ifndef __VMLINUX_H__			/* user space; BPF already has vmlinux.h */
#include <linux/types.h>
#endif

#define SYSCALL_EVENT_ABI 4

struct syscall_event {
	__u64 enter_ns;			/* CLOCK_BOOTTIME (bpf_ktime_get_boot_ns) */
	__u64 duration_ns;
	__s64 ret;
	__u64 arg0;			/* the first argument (the fd, for fd syscalls);
					 * pipe, pipe2, socketpair that succeeded: the
					 * two new fds, fd[0] | fd[1] << 32 */
	__u32 tgid, tid;
	__u32 nr, cpu;			/* nr is the arch's syscall number, with
					 * SYSCALL_NR_COMPAT for a compat one */
};
_Static_assert(sizeof(struct syscall_event) == 48, "syscall_event layout changed");

/*
 * A batch is sent when it is full, when its oldest event is older than
 * cfg_batch_age_ns at the next exit on that CPU, before any other sample of
 * that CPU (so one CPU's samples reach the ring in exit order), and when
 * record/ runs the flush program on a CPU whose batch went stale
 * (batch_since[] in .bss says which) or at the end of a recording.
 */
#define BATCH_EVENTS	32
#define BATCH_MAGIC	0x48435442u	/* "BTCH" */
#define BATCH_MAX_CPUS	4096		/* batch_since[] entries; more CPUs still
					 * batch, they are only flushed later */

struct event_batch {
	__u32 magic;			/* BATCH_MAGIC */
	__u32 count;			/* events in ev; the sample holds only those */
	struct syscall_event ev[BATCH_EVENTS];
};
#define BATCH_HDR_LEN	8
_Static_assert(sizeof(struct event_batch) == BATCH_HDR_LEN + BATCH_EVENTS * 48,
	       "event_batch layout changed");

/* One CPU's batch, the value of the per-CPU "batches" map (record/ reads it
 * after detaching). busy is set while an append or flush runs, so that
 * whatever interrupts or preempts it on this CPU (the flush program run by
 * record/ through an IPI, another task if the kernel lets tracepoint
 * programs be preempted) leaves the batch alone. */
struct cpu_batch {
	__u32 n;			/* events in b.ev */
	__u32 busy;
	__u64 first_ns;			/* exit time of b.ev[0] */
	struct event_batch b;
};

/* The kernel's default perf_event_max_stack, and the format's cap. */
#define STACK_MAX_DEPTH	127
#define STACK_SP_WORDS	8

struct stack_event {
	struct syscall_event ev;
	__u64 sp_words[STACK_SP_WORDS];	/* the top of the user stack: it holds the
					 * return address into the wrapper's caller,
					 * which the frame-pointer walk skips since
					 * libc's syscall wrappers keep no frame
					 * pointer; record/ takes the first word
					 * that follows a call instruction */
	__u32 depth;			/* frames in ips, innermost first */
	__u32 pad;
	__u64 ips[STACK_MAX_DEPTH];	/* user return addresses */
};
_Static_assert(sizeof(struct stack_event) == 1136, "stack_event layout changed");

#define CONNECT_ADDR_LEN 28		/* sockaddr_in6; longer ones are cut */

struct connect_event {
	struct syscall_event ev;
	__u8 addr[CONNECT_ADDR_LEN];	/* struct sockaddr, as the caller passed it */
	__u32 addr_len;			/* bytes valid in addr */
};
_Static_assert(sizeof(struct connect_event) == 80, "connect_event layout changed");

/*
 * A syscall that began before tracing did and returned a value >= 0 in a
 * traced process (its enter was never seen: no duration). Sent once per
 * thread at most (the next enter creates the thread's slot), so record/ can
 * still learn the descriptor an accept() or open() blocked at attach time
 * returned.
 */
struct early_exit_event {
	__u64 ts_ns;			/* CLOCK_BOOTTIME, at the exit */
	__s64 ret;
	__u32 tgid, tid;
	__u32 nr, pad;
};
_Static_assert(sizeof(struct early_exit_event) == 32, "early_exit_event layout changed");

/* task_event.kind */
#define TEV_FORK	1		/* new process: tgid == tid == the child */
#define TEV_THREAD	2		/* new thread tid in process tgid */
#define TEV_EXEC	3		/* tgid ran execve; comm and file are new */
#define TEV_EXIT	4		/* thread tid exited */
#define TEV_RENAME	5		/* tid changed its comm (prctl), not by exec */

/* task_event.flags */
#define TEV_F_GROUP_DEAD	0x1	/* EXIT: the last thread: the process is gone */

#define TEV_COMM_LEN	16
#define TEV_FILE_LEN	144		/* exec: bprm->filename, truncated */

struct task_event {
	__u64 ts_ns;			/* CLOCK_BOOTTIME */
	__u32 kind;			/* TEV_* */
	__u32 tgid, tid;
	__u32 ppid;			/* FORK: parent tgid; THREAD: creating tid */
	__s32 exit_code;		/* EXIT: wait status (task->exit_code) */
	__u32 flags;			/* TEV_F_* */
	char comm[TEV_COMM_LEN];
	char file[TEV_FILE_LEN];	/* EXEC only; NUL-terminated */
};
_Static_assert(sizeof(struct task_event) == 192, "task_event layout changed");

/* No other sample may have a size a batch can have (8 + 48 * k). */
#define BATCH_SIZE_OK(s) ((s) > BATCH_HDR_LEN && ((s) - BATCH_HDR_LEN) % 48 == 0)
_Static_assert(!BATCH_SIZE_OK(sizeof(struct task_event)) &&
	       !BATCH_SIZE_OK(sizeof(struct stack_event)) &&
	       !BATCH_SIZE_OK(sizeof(struct connect_event)) &&
	       !BATCH_SIZE_OK(sizeof(struct early_exit_event)), "sample sizes collide");

/* Values of the tgids map (traced processes). */
#define TGID_ACTIVE	1		/* every syscall is traced */
#define TGID_PENDING	2		/* launch mode: traced from its execve on */
#define TGID_UNTRACED	3		/* task storage only: a thread of a process
					 * that is not traced, remembered so its
					 * next syscalls skip the tgids hash */

/* Index of the per-CPU drops map: what could not be reserved, and what the
 * filters dropped on purpose. */
#define DROP_SYSCALL	0
#define DROP_TASK	1
#define DROP_FILTERED	2		/* not lost: sampled out or below min duration */
#define DROP_SLOTS	3

/* Descriptor kinds the kernel tells apart for --syscalls CATEGORY, for
 * the syscalls whose category is their fd's (read, write, close...):
 * network on a socket, ipc on a pipe, else file, or ipc/time/signal for an
 * eventfd/timerfd/signalfd, which are OTHER here (kept a little wider). */
#define FDK_SOCKET	0x1
#define FDK_FIFO	0x2
#define FDK_OTHER	0x4

/* syscall_event.nr: a 32-bit compat syscall (int $0x80, a 32-bit program),
 * numbered in the compat (i386) table. */
#define SYSCALL_NR_COMPAT	0x40000000u

/* Syscall allowlist: a bitmap over syscall numbers. */
#define SYSCALL_MAX_NR		1024
#define SYSCALL_ALLOW_WORDS	(SYSCALL_MAX_NR / 64)

#endif
