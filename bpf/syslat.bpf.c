// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Per-syscall latency of a set of processes.
 *
 * sys_enter stores the start time, syscall number and first argument in
 * task-local storage; sys_exit appends one struct syscall_event to its CPU's
 * batch, which reaches the ring buffer as one sample of up to BATCH_EVENTS
 * events (see syscall_event.h for when a batch is sent). Filters run in the
 * order of their cost, before any map write: traced thread (its task
 * storage; the tgids hash only at a thread's first syscall), syscall
 * allowlist (bitmap in .rodata), 1-in-N sampling; the minimum duration is
 * checked at exit. The consumer is woken only when the ring passes
 * cfg_wakeup_bytes (it also drains on a short timer). Batching and lazy
 * wakeups keep the per-event cost near the cost of the tracepoints
 * themselves: a ring reservation per syscall cost about 45 ns here.
 *
 * sched_process_fork grows the traced set when following children (the
 * child is in the map before it runs), sched_process_exit shrinks it, and
 * fork/thread/exec/exit/rename reach user space as struct task_event.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/syscall_event.h"
#include "bpf/fd_info.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Linux 6.2+. Weak: record/ loads handle_sys_enter_core instead where the
 * kernel lacks it. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

const volatile __u32 cfg_self_tgid;		/* never traced */
const volatile __u32 cfg_follow = 1;		/* add forked children */
const volatile __u32 cfg_filter_syscalls;	/* cfg_allow is in force */
const volatile __u64 cfg_allow[SYSCALL_ALLOW_WORDS];
const volatile __u64 cfg_fd_arg[SYSCALL_ALLOW_WORDS];	/* first argument kept */
const volatile __u64 cfg_allow_by_fd[SYSCALL_ALLOW_WORDS];	/* kept if fd kind fits */
const volatile __u32 cfg_fd_kinds;			/* FDK_* */
const volatile __u64 cfg_min_duration_ns;
const volatile __u32 cfg_sample_every;		/* 0 or 1: every syscall */
const volatile __u64 cfg_wakeup_bytes = 1 << 20;
const volatile __s64 cfg_nr_execve = -1;
const volatile __s64 cfg_nr_execveat = -1;
const volatile __s64 cfg_nr_pipe = -1;
const volatile __s64 cfg_nr_pipe2 = -1;
const volatile __s64 cfg_nr_socketpair = -1;
const volatile __s64 cfg_nr_connect = -1;
const volatile __s64 cfg_nr_accept = -1;
const volatile __s64 cfg_nr_accept4 = -1;
const volatile __u32 cfg_stacks;		/* --stacks */
const volatile __u64 cfg_stack_min_ns = 1000000;
const volatile __u64 cfg_batch_age_ns = 5000000;

/* Bumped by record/ whenever it adds a process to tgids after attaching:
 * threads remembered as untraced look again. (Forked children need no
 * bump: a new task has no storage yet.) */
__u32 tgids_gen;

/* Per CPU: exit time of the oldest event waiting in its batch, 0 if none.
 * Read by record/ (mmapped .bss) to find stale batches to flush. */
__u64 batch_since[BATCH_MAX_CPUS];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);		/* tgid */
	__type(value, __u32);		/* TGID_* */
} tgids SEC(".maps");

/* Per traced thread; its presence means "traced", so the hot path needs
 * one task-storage lookup and no hash lookup. */
struct inflight_val {
	__u64 enter_ns;			/* 0: nothing in flight */
	__u64 arg0;
	__u64 arg1;			/* connect: the sockaddr pointer */
	__u32 nr;
	__u32 state;			/* TGID_*, copied from tgids */
	__u32 arg2;			/* connect: the sockaddr length */
	__u32 gen;			/* UNTRACED: tgids_gen when it was decided */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight_val);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* record/ sets --buffer-size */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROP_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_batch);
} batches SEC(".maps");

#define barrier() asm volatile("" ::: "memory")

static __always_inline void count_drops(__u32 slot, __u64 count)
{
	__u64 *n = bpf_map_lookup_elem(&drops, &slot);

	if (n)
		*n += count;
}

static __always_inline void count_drop(__u32 slot)
{
	count_drops(slot, 1);
}

static __always_inline __u64 wakeup_flag(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg_wakeup_bytes ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline struct cpu_batch *this_batch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&batches, &zero);
}

static __always_inline void set_since(__u64 ns)
{
	__u32 cpu = bpf_get_smp_processor_id();

	if (cpu < BATCH_MAX_CPUS)
		batch_since[cpu] = ns;
}

/* Sends the batch; the caller holds c->busy. */
static __always_inline void batch_send(struct cpu_batch *c)
{
	__u32 n = c->n;
	__u64 size;

	if (!n)
		return;
	if (n > BATCH_EVENTS)		/* cannot happen */
		n = BATCH_EVENTS;
	size = BATCH_HDR_LEN + n * sizeof(struct syscall_event);
	/* hide the computation, or clang turns "+ 8" into "| 8" and the
	 * verifier loses the bound */
	asm volatile("" : "+r"(size));
	if (size > sizeof(c->b))
		return;
	c->b.magic = BATCH_MAGIC;
	c->b.count = n;
	if (bpf_ringbuf_output(&events, &c->b, size, wakeup_flag()))
		count_drops(DROP_SYSCALL, n);
	c->n = 0;
	set_since(0);
}

/* Before any other sample of this CPU: keeps the CPU's samples in order. */
static __always_inline void batch_flush_here(void)
{
	struct cpu_batch *c = this_batch();

	if (!c || c->busy || !c->n)
		return;
	c->busy = 1;
	barrier();
	batch_send(c);
	barrier();
	c->busy = 0;
}

static __always_inline int syscall_allowed(long nr)
{
	__u64 n = (__u64)nr;

	if (n >= SYSCALL_MAX_NR)
		return 0;
	return (cfg_allow[n / 64] >> (n % 64)) & 1;
}

/* Reading an argument from pt_regs is a helper call (~35 ns of a ~500 ns
 * traced getppid): only syscalls whose first argument is an fd (or a
 * pointer the exit side reads, pipe/pipe2) pay for it. */
static __always_inline int keeps_first_arg(long nr)
{
	__u64 n = (__u64)nr;

	if (n >= SYSCALL_MAX_NR)
		return 0;
	return (cfg_fd_arg[n / 64] >> (n % 64)) & 1;
}

/*
 * The thread's slot, created at its first syscall. A thread of a process
 * that is not traced gets one too, marked UNTRACED: every other process on
 * the machine runs these programs, and a task-storage hit costs them far
 * less than the tgids hash lookup at each syscall (measured: an untraced
 * getppid paid ~220 ns with the lookup each time).
 */
static __always_inline struct inflight_val *thread_slot(struct task_struct *task)
{
	__u32 tgid, *state, gen = tgids_gen;
	struct inflight_val *in;

	in = bpf_task_storage_get(&inflight, task, 0, 0);
	if (in && in->state != TGID_UNTRACED)
		return in;
	if (in && in->gen == gen)
		return NULL;
	tgid = bpf_get_current_pid_tgid() >> 32;
	state = tgid == cfg_self_tgid ? NULL : bpf_map_lookup_elem(&tgids, &tgid);
	if (!in)
		in = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!in)
		return NULL;
	in->enter_ns = 0;
	in->state = state ? *state : TGID_UNTRACED;
	in->gen = gen;
	return state ? in : NULL;
}

/*
 * The syscall's first arguments, for the syscalls that keep them. fast: the
 * registers through bpf_rdonly_cast(), plain loads once verified (a
 * register move and a load each); otherwise a bpf_probe_read_kernel() per
 * register, about 20 ns more per fd syscall here.
 */
static __always_inline void keep_args(struct bpf_raw_tracepoint_args *ctx,
				      struct inflight_val *in, long nr, const bool fast)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	if (fast)
		regs = bpf_rdonly_cast(regs, bpf_core_type_id_kernel(struct pt_regs));
	if (nr == cfg_nr_socketpair)		/* int sv[2] */
		in->arg0 = fast ? PT_REGS_PARM4_SYSCALL(regs) : PT_REGS_PARM4_CORE_SYSCALL(regs);
	else if (keeps_first_arg(nr))
		in->arg0 = fast ? PT_REGS_PARM1_SYSCALL(regs) : PT_REGS_PARM1_CORE_SYSCALL(regs);
	else
		in->arg0 = 0;
	if (nr == cfg_nr_connect) {
		in->arg1 = fast ? PT_REGS_PARM2_SYSCALL(regs) : PT_REGS_PARM2_CORE_SYSCALL(regs);
		in->arg2 = (__u32)(fast ? PT_REGS_PARM3_SYSCALL(regs) :
					  PT_REGS_PARM3_CORE_SYSCALL(regs));
	}
}

/* --syscalls CATEGORY and a read(), write(), close()...: kept when its fd's
 * kind belongs to a selected category (read() on a socket is network). */
static __always_inline int kept_by_fd(struct bpf_raw_tracepoint_args *ctx, long nr,
				      const bool fast)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u64 n = (__u64)nr;
	long fd;

	if (!cfg_fd_kinds || n >= SYSCALL_MAX_NR || !((cfg_allow_by_fd[n / 64] >> (n % 64)) & 1))
		return 0;
	if (fast) {
		regs = bpf_rdonly_cast(regs, bpf_core_type_id_kernel(struct pt_regs));
		fd = PT_REGS_PARM1_SYSCALL(regs);
	} else {
		fd = PT_REGS_PARM1_CORE_SYSCALL(regs);
	}
	return fd_kind((int)fd) & cfg_fd_kinds;
}

/* A 32-bit syscall (int $0x80 or a 32-bit program): its number is in the
 * compat table, so no native rule applies to it (TS_COMPAT, x86 only). */
static __always_inline bool compat_syscall(struct task_struct *task)
{
#ifdef __TARGET_ARCH_x86
	return task->thread_info.status & 0x0002;	/* TS_COMPAT */
#else
	return false;
#endif
}

static __always_inline int sys_enter(struct bpf_raw_tracepoint_args *ctx, const bool fast)
{
	struct task_struct *task = bpf_get_current_task_btf();
	long nr = (long)ctx->args[1];
	struct inflight_val *in;

	in = thread_slot(task);
	if (!in)
		return 0;
	if (compat_syscall(task)) {
		/* recorded whole (no native allowlist, argument or fd rule) */
		if (in->state == TGID_PENDING || cfg_filter_syscalls)
			return 0;
		in->arg0 = 0;
		in->nr = (__u32)nr | SYSCALL_NR_COMPAT;
		in->enter_ns = bpf_ktime_get_boot_ns();
		return 0;
	}
	if (in->state == TGID_PENDING && nr != cfg_nr_execve && nr != cfg_nr_execveat)
		return 0;
	if (cfg_filter_syscalls && !syscall_allowed(nr) && !kept_by_fd(ctx, nr, fast))
		return 0;
	if (cfg_sample_every > 1 && bpf_get_prandom_u32() % cfg_sample_every) {
		count_drop(DROP_FILTERED);
		return 0;
	}
	keep_args(ctx, in, nr, fast);
	in->nr = nr;
	in->enter_ns = bpf_ktime_get_boot_ns();
	return 0;
}

/* Exactly one of the two is loaded (record/rec_bpf.c). */
SEC("raw_tp/sys_enter")
int handle_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return sys_enter(ctx, true);
}

SEC("raw_tp/sys_enter")
int handle_sys_enter_core(struct bpf_raw_tracepoint_args *ctx)
{
	return sys_enter(ctx, false);
}

/* The two fds a pipe or socketpair just wrote to user memory. */
static __always_inline __u64 new_fd_pair(__u64 uptr)
{
	int fds[2] = { -1, -1 };

	if (bpf_probe_read_user(fds, sizeof(fds), (const void *)uptr))
		return ~0ull;
	return (__u32)fds[0] | (__u64)(__u32)fds[1] << 32;
}

static __always_inline void fill_event(struct syscall_event *e, struct inflight_val *in,
					__u64 start, __u64 now, __s64 ret)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->enter_ns = start;
	e->duration_ns = now - start;
	e->ret = ret;
	e->arg0 = in->arg0;
	if (ret == 0 && (in->nr == cfg_nr_pipe || in->nr == cfg_nr_pipe2 ||
			 in->nr == cfg_nr_socketpair))
		e->arg0 = new_fd_pair(in->arg0);
	e->tgid = id >> 32;
	e->tid = (__u32)id;
	e->nr = in->nr;
	e->cpu = bpf_get_smp_processor_id();
}

static __always_inline void submit(void *e)
{
	bpf_ringbuf_submit(e, wakeup_flag());
}

/*
 * A slow syscall with its user stack. The stack at sys_exit is the one at
 * sys_enter (the task is still inside the syscall). The walk is the
 * kernel's frame-pointer unwinder: code built without frame pointers gives
 * short stacks.
 */
static __always_inline int emit_with_stack(struct bpf_raw_tracepoint_args *ctx,
					   struct inflight_val *in, __u64 start, __u64 now,
					   __s64 ret)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	struct stack_event *se;
	__u64 sp;
	long n;

	batch_flush_here();
	se = bpf_ringbuf_reserve(&events, sizeof(*se), 0);
	if (!se) {
		count_drop(DROP_SYSCALL);
		return 0;
	}
	fill_event(&se->ev, in, start, now, ret);
	n = bpf_get_stack(ctx, se->ips, sizeof(se->ips), BPF_F_USER_STACK);
	se->depth = n > 0 ? n / sizeof(__u64) : 0;
	se->pad = 0;
	sp = PT_REGS_SP_CORE(regs);
	if (bpf_probe_read_user(se->sp_words, sizeof(se->sp_words), (const void *)sp))
		__builtin_memset(se->sp_words, 0, sizeof(se->sp_words));
	submit(se);
	return 0;
}

/* A connect_event for connect() or accept(), the syscall filled in and the
 * address zeroed (this CPU's batch is sent first), or NULL (counted). */
static __always_inline struct connect_event *addr_event(struct inflight_val *in, __u64 start,
							 __u64 now, __s64 ret)
{
	struct connect_event *ce;

	batch_flush_here();
	ce = bpf_ringbuf_reserve(&events, sizeof(*ce), 0);
	if (!ce) {
		count_drop(DROP_SYSCALL);
		return NULL;
	}
	fill_event(&ce->ev, in, start, now, ret);
	__builtin_memset(ce->addr, 0, sizeof(ce->addr));
	return ce;
}

/* connect() that succeeded or is in progress: its address travels along. */
static __always_inline int emit_connect(struct inflight_val *in, __u64 start, __u64 now,
					__s64 ret)
{
	struct connect_event *ce = addr_event(in, start, now, ret);
	__u32 len = in->arg2;

	if (!ce)
		return 0;
	if (len > CONNECT_ADDR_LEN)
		len = CONNECT_ADDR_LEN;
	if (len < 2 || bpf_probe_read_user(ce->addr, len & 31, (const void *)in->arg1))
		len = 0;
	ce->addr_len = len;
	submit(ce);
	return 0;
}

/* The batch is busy (this CPU was interrupted or preempted inside an append):
 * the event goes to the ring alone. */
static __always_inline int emit_alone(struct inflight_val *in, __u64 start, __u64 now,
				      __s64 ret)
{
	struct event_batch *e;

	e = bpf_ringbuf_reserve(&events, BATCH_HDR_LEN + sizeof(struct syscall_event), 0);
	if (!e) {
		count_drop(DROP_SYSCALL);
		return 0;
	}
	e->magic = BATCH_MAGIC;
	e->count = 1;
	fill_event(&e->ev[0], in, start, now, ret);
	submit(e);
	return 0;
}

static __always_inline int emit(struct inflight_val *in, __u64 start, __u64 now, __s64 ret)
{
	struct cpu_batch *c = this_batch();
	__u32 i;

	if (!c)
		return 0;
	if (c->busy)
		return emit_alone(in, start, now, ret);
	c->busy = 1;
	barrier();
	i = c->n;
	if (i >= BATCH_EVENTS)		/* cannot happen; bounds the index */
		i = 0;
	fill_event(&c->b.ev[i], in, start, now, ret);
	if (i == 0) {
		c->first_ns = now;
		set_since(now);
	}
	c->n = i + 1;
	if (i + 1 == BATCH_EVENTS || now - c->first_ns >= cfg_batch_age_ns)
		batch_send(c);
	barrier();
	c->busy = 0;
	return 0;
}

/* The first exit of a thread that has no slot: a thread that was inside a
 * syscall when tracing began (or a bystander's, once). */
static __always_inline int early_exit(struct bpf_raw_tracepoint_args *ctx, __s64 ret)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, *state;
	struct early_exit_event *e;

	if (ret < 0 || tgid == cfg_self_tgid)
		return 0;
	state = bpf_map_lookup_elem(&tgids, &tgid);
	if (!state || *state != TGID_ACTIVE)
		return 0;
	batch_flush_here();
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;	/* a hint, not an event: nothing to count */
	e->ts_ns = bpf_ktime_get_boot_ns();
	e->ret = ret;
	e->tgid = tgid;
	e->tid = (__u32)id;
	e->nr = (__u32)BPF_CORE_READ(regs, orig_ax);
	e->pad = 0;
	submit(e);
	return 0;
}

/* accept() that returned a socket: its peer travels along, taken from the
 * kernel, so a connection closed before /proc is read still has it. */
static __always_inline int emit_accept(struct inflight_val *in, __u64 start, __u64 now,
				       __s64 ret)
{
	struct connect_event *ce = addr_event(in, start, now, ret);

	if (!ce)
		return 0;
	ce->addr_len = accepted_peer((int)ret, ce->addr);
	submit(ce);
	return 0;
}

SEC("raw_tp/sys_exit")
int handle_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__s64 ret = (__s64)ctx->args[1];	/* read once: clang may otherwise
						 * rebase ctx, which the verifier refuses */
	struct inflight_val *in;
	__u64 now, start;

	in = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	if (!in)
		return early_exit(ctx, ret);
	if (!in->enter_ns)
		return 0;
	now = bpf_ktime_get_boot_ns();
	start = in->enter_ns;
	in->enter_ns = 0;
	if (now - start < cfg_min_duration_ns) {
		count_drop(DROP_FILTERED);
		return 0;
	}
	if (cfg_stacks && now - start >= cfg_stack_min_ns)
		return emit_with_stack(ctx, in, start, now, ret);
	if (in->nr == cfg_nr_connect && (ret == 0 || ret == -115 /* EINPROGRESS */))
		return emit_connect(in, start, now, ret);
	if ((in->nr == cfg_nr_accept || in->nr == cfg_nr_accept4) && ret >= 0)
		return emit_accept(in, start, now, ret);
	return emit(in, start, now, ret);
}

/*
 * Not attached: record/ runs it on one CPU (BPF_PROG_TEST_RUN with
 * BPF_F_TEST_RUN_ON_CPU, an IPI) to send that CPU's stale batch. Returns 1
 * when the batch was busy (record/ tries again later).
 */
SEC("raw_tp")
int flush_batch(struct bpf_raw_tracepoint_args *ctx)
{
	struct cpu_batch *c = this_batch();

	if (!c)
		return 0;
	if (c->busy)
		return 1;
	c->busy = 1;
	barrier();
	batch_send(c);
	barrier();
	c->busy = 0;
	return 0;
}

static __always_inline struct task_event *task_reserve(__u32 kind, __u32 tgid, __u32 tid)
{
	struct task_event *e;

	batch_flush_here();
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_drop(DROP_TASK);
		return NULL;
	}
	e->ts_ns = bpf_ktime_get_boot_ns();
	e->kind = kind;
	e->tgid = tgid;
	e->tid = tid;
	e->ppid = 0;
	e->exit_code = 0;
	e->flags = 0;
	e->file[0] = 0;
	return e;
}

SEC("raw_tp/sched_process_fork")
int handle_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u32 cpid = BPF_CORE_READ(child, pid);
	__u32 active = TGID_ACTIVE;
	struct task_event *e;
	__u32 kind = TEV_THREAD;

	if (!bpf_map_lookup_elem(&tgids, &ptgid))
		return 0;
	if (ctgid != ptgid) {
		if (!cfg_follow)
			return 0;
		if (bpf_map_update_elem(&tgids, &ctgid, &active, BPF_ANY))
			count_drop(DROP_TASK);
		kind = TEV_FORK;
	}
	e = task_reserve(kind, ctgid, cpid);
	if (!e)
		return 0;
	e->ppid = kind == TEV_FORK ? ptgid : BPF_CORE_READ(parent, pid);
	BPF_CORE_READ_STR_INTO(&e->comm, child, comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int handle_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *p = (struct task_struct *)ctx->args[0];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	__u32 tgid = BPF_CORE_READ(p, tgid);
	struct inflight_val *in;
	struct task_event *e;
	const char *file;
	__u32 *state;

	state = bpf_map_lookup_elem(&tgids, &tgid);
	if (!state)
		return 0;
	if (*state == TGID_PENDING) {
		*state = TGID_ACTIVE;
		/* exec runs as the task itself: its slot, if any, is current's */
		in = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
		if (in)
			in->state = TGID_ACTIVE;
	}
	e = task_reserve(TEV_EXEC, tgid, BPF_CORE_READ(p, pid));
	if (!e)
		return 0;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	file = BPF_CORE_READ(bprm, filename);
	bpf_probe_read_kernel_str(&e->file, sizeof(e->file), file);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int handle_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *p = (struct task_struct *)ctx->args[0];
	__u32 tgid = BPF_CORE_READ(p, tgid);
	struct task_event *e;
	int live;

	if (!bpf_map_lookup_elem(&tgids, &tgid))
		return 0;
	/* do_exit() decrements signal->live before this tracepoint. */
	live = BPF_CORE_READ(p, signal, live.counter);
	if (live == 0)
		bpf_map_delete_elem(&tgids, &tgid);
	e = task_reserve(TEV_EXIT, tgid, BPF_CORE_READ(p, pid));
	if (!e)
		return 0;
	e->exit_code = BPF_CORE_READ(p, exit_code);
	e->flags = live == 0 ? TEV_F_GROUP_DEAD : 0;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&e->comm, p, comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/task_rename")
int handle_rename(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *p = (struct task_struct *)ctx->args[0];
	const char *comm = (const char *)ctx->args[1];
	__u32 tgid = BPF_CORE_READ(p, tgid);
	struct task_event *e;

	if (!bpf_map_lookup_elem(&tgids, &tgid))
		return 0;
	/* exec renames too; its EXEC event already carries the new comm */
	if (bpf_core_field_exists(p->in_execve) && BPF_CORE_READ_BITFIELD_PROBED(p, in_execve))
		return 0;
	e = task_reserve(TEV_RENAME, tgid, BPF_CORE_READ(p, pid));
	if (!e)
		return 0;
	bpf_probe_read_kernel_str(&e->comm, sizeof(e->comm), comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
