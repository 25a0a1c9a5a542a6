// SPDX-License-Identifier: MIT
/* The BPF side from user space: privileges, skeleton lifecycle, maps. */
#include "record/rec_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "syslat.skel.h"
#include "common/log.h"
#include "common/syscalls.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

const char *rec_bpf_strerror(int err, char *buf, size_t len)
{
	if (err < 0)
		err = -err;
	if (err == 524) {
		snprintf(buf, len, "operation not supported by this kernel (ENOTSUPP)");
		return buf;
	}
	if (libbpf_strerror(err, buf, len))
		snprintf(buf, len, "%s", strerror(err));
	return buf;
}

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

int rec_bpf_privileged(char *why, size_t len)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return 0;	/* cannot tell: let bpf() decide */
	if (has_cap(data, CAP_SYS_ADMIN))
		return 0;
	if (has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON))
		return 0;
	snprintf(why, len, "missing %s%s%s", has_cap(data, CAP_BPF) ? "" : "CAP_BPF",
		 !has_cap(data, CAP_BPF) && !has_cap(data, CAP_PERFMON) ? " and " : "",
		 has_cap(data, CAP_PERFMON) ? "" : "CAP_PERFMON");
	return -EPERM;
}

static int verbose_level;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's own log: -v shows warnings and info, -vv its debug log. */
	if (verbose_level < 1 || (level == LIBBPF_DEBUG && verbose_level < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void rec_bpf_log_init(int verbose)
{
	verbose_level = verbose;
	libbpf_set_print(libbpf_print);
}

static int64_t nr_of(const char *name)
{
	const char *const *table;
	unsigned int count;
	const char *abi;
	int nr;

	table = syscalls_native(&count, &abi);
	nr = syscalls_lookup(table, count, name);
	return nr < 0 ? -1 : nr;
}

/* The syscalls whose first argument the kernel side keeps: those taking an
 * fd (the analyzer's view of descriptors) and pipe/pipe2 (the exit side
 * reads the new fds through it). */
static void fd_arg_mask(volatile __u64 *mask)
{
	const char *const *table;
	unsigned int count, nr;
	const char *abi;

	table = syscalls_native(&count, &abi);
	for (nr = 0; nr < count && nr < SYSCALL_MAX_NR; nr++) {
		const char *name = table[nr];

		if (name && (syscalls_first_arg_is_fd(name) || !strcmp(name, "pipe") ||
			     !strcmp(name, "pipe2")))
			mask[nr / 64] |= 1ull << (nr % 64);
	}
}

static void configure(struct syslat *skel, const struct rec_opts *o)
{
	size_t i;

	skel->rodata->cfg_self_tgid = (__u32)getpid();
	skel->rodata->cfg_follow = o->follow;
	skel->rodata->cfg_filter_syscalls = o->filter_syscalls;
	for (i = 0; i < SYSCALL_ALLOW_WORDS; i++) {
		skel->rodata->cfg_allow[i] = o->allow[i];
		skel->rodata->cfg_allow_by_fd[i] = o->allow_by_fd[i];
	}
	skel->rodata->cfg_fd_kinds = o->fd_kinds;
	fd_arg_mask(skel->rodata->cfg_fd_arg);
	skel->rodata->cfg_min_duration_ns = o->min_duration_ns;
	skel->rodata->cfg_sample_every = o->sample_every;
	skel->rodata->cfg_stacks = o->stacks;
	skel->rodata->cfg_stack_min_ns = o->stack_min_ns;
	skel->rodata->cfg_wakeup_bytes = o->buffer_bytes / 4;
	skel->rodata->cfg_nr_execve = nr_of("execve");
	skel->rodata->cfg_nr_execveat = nr_of("execveat");
	skel->rodata->cfg_nr_pipe = nr_of("pipe");
	skel->rodata->cfg_nr_pipe2 = nr_of("pipe2");
	skel->rodata->cfg_nr_socketpair = nr_of("socketpair");
	skel->rodata->cfg_nr_connect = nr_of("connect");
	skel->rodata->cfg_nr_accept = nr_of("accept");
	skel->rodata->cfg_nr_accept4 = nr_of("accept4");
}

bool rec_bpf_kernel_has_rdonly_cast(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool has;

	if (!vmlinux)
		return false;
	has = btf__find_by_name_kind(vmlinux, "bpf_rdonly_cast", BTF_KIND_FUNC) > 0;
	btf__free(vmlinux);
	return has;
}

int rec_bpf_load_variant(const struct rec_opts *o, enum rec_regs_read regs,
			 struct syslat **out)
{
	struct syslat *skel;
	char buf[128];
	int err;

	if (regs == REC_REGS_AUTO)
		regs = rec_bpf_kernel_has_rdonly_cast() ? REC_REGS_CAST : REC_REGS_PROBE;
	skel = syslat__open();
	if (!skel) {
		err = -errno;
		log_error("cannot open BPF skeleton: %s", rec_bpf_strerror(err, buf, sizeof(buf)));
		return err;
	}
	bpf_program__set_autoload(skel->progs.handle_sys_enter, regs == REC_REGS_CAST);
	bpf_program__set_autoload(skel->progs.handle_sys_enter_core, regs == REC_REGS_PROBE);
	configure(skel, o);
	err = bpf_map__set_max_entries(skel->maps.events, (__u32)o->buffer_bytes);
	if (!err)
		err = syslat__load(skel);
	if (err) {
		log_error("cannot load BPF programs: %s%s", rec_bpf_strerror(err, buf, sizeof(buf)),
			  err == -EPERM ? " (run as root or grant CAP_BPF and CAP_PERFMON)" :
			  " (see 'ebpf-record check')");
		syslat__destroy(skel);
		return err;
	}
	*out = skel;
	return 0;
}

int rec_bpf_load(const struct rec_opts *o, struct syslat **out)
{
	return rec_bpf_load_variant(o, REC_REGS_AUTO, out);
}

int rec_bpf_add_tgid(struct syslat *skel, uint32_t tgid, uint32_t state)
{
	int err;

	err = bpf_map__update_elem(skel->maps.tgids, &tgid, sizeof(tgid), &state,
				   sizeof(state), BPF_ANY);
	if (err)
		return -errno;
	/* threads that already ran while untraced look again */
	__atomic_add_fetch(&skel->bss->tgids_gen, 1, __ATOMIC_SEQ_CST);
	return 0;
}

int rec_bpf_has_tgid(struct syslat *skel, uint32_t tgid)
{
	uint32_t state;

	return !bpf_map__lookup_elem(skel->maps.tgids, &tgid, sizeof(tgid), &state,
				     sizeof(state), 0);
}

int rec_bpf_del_tgid(struct syslat *skel, uint32_t tgid)
{
	return bpf_map__delete_elem(skel->maps.tgids, &tgid, sizeof(tgid), 0) ? -errno : 0;
}

int rec_bpf_list_tgids(struct syslat *skel, uint32_t *out, int max)
{
	uint32_t key, next;
	int n = 0;

	if (bpf_map__get_next_key(skel->maps.tgids, NULL, &next, sizeof(next)))
		return 0;
	do {
		out[n++] = next;
		key = next;
	} while (n < max && !bpf_map__get_next_key(skel->maps.tgids, &key, &next,
						    sizeof(next)));
	return n;
}

int rec_bpf_tgids_left(struct syslat *skel)
{
	uint32_t key;

	return bpf_map__get_next_key(skel->maps.tgids, NULL, &key, sizeof(key)) ? 0 : 1;
}

int rec_bpf_read_drops(struct syslat *skel, uint32_t slot, uint64_t *percpu, int n_cpus)
{
	if (bpf_map__lookup_elem(skel->maps.drops, &slot, sizeof(slot), percpu,
				 sizeof(uint64_t) * (size_t)n_cpus, 0))
		return -errno;
	return 0;
}

int rec_bpf_flush_cpu(struct syslat *skel, int cpu)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = (__u32)cpu);

	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.flush_batch), &opts))
		return -errno;
	return opts.retval ? 1 : 0;
}

int rec_bpf_flush_stale(struct syslat *skel, uint64_t now_boot, uint64_t max_age_ns,
			int n_cpus)
{
	int cpu, busy = 0;

	for (cpu = 0; cpu < n_cpus && cpu < BATCH_MAX_CPUS; cpu++) {
		uint64_t since = __atomic_load_n(&skel->bss->batch_since[cpu], __ATOMIC_RELAXED);

		if (since && now_boot - since >= max_age_ns && since < now_boot)
			busy += rec_bpf_flush_cpu(skel, cpu) == 1;
	}
	return busy;
}

int rec_bpf_take_batches(struct syslat *skel, int n_cpus,
			 int (*sample)(void *ctx, void *data, size_t size), void *ctx)
{
	struct cpu_batch *v;
	uint32_t zero = 0;
	int cpu, round, busy = 1;

	v = calloc((size_t)n_cpus, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (round = 0; round < 100 && busy; round++) {
		if (round)
			usleep(1000);	/* a program still running on that CPU */
		if (bpf_map__lookup_elem(skel->maps.batches, &zero, sizeof(zero), v,
					 sizeof(*v) * (size_t)n_cpus, 0)) {
			free(v);
			return -errno;
		}
		busy = 0;
		for (cpu = 0; cpu < n_cpus; cpu++)
			busy += v[cpu].busy != 0;
	}
	for (cpu = 0; cpu < n_cpus; cpu++) {
		uint32_t n = v[cpu].n;

		if (!n || n > BATCH_EVENTS)
			continue;
		v[cpu].b.magic = BATCH_MAGIC;
		v[cpu].b.count = n;
		sample(ctx, &v[cpu].b, BATCH_HDR_LEN + n * sizeof(struct syscall_event));
		v[cpu].n = 0;
	}
	/* taken: a second call must not hand them over again */
	if (bpf_map__update_elem(skel->maps.batches, &zero, sizeof(zero), v,
				 sizeof(*v) * (size_t)n_cpus, BPF_ANY) && !busy)
		busy = -errno;
	free(v);
	return busy > 0 ? -EBUSY : busy;
}
