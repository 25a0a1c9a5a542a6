// SPDX-License-Identifier: MIT
/* `ebpf-record check` (prerequisites, each with a fix) and `info PID`. */
#include "record/rec_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "syslat.skel.h"
#include "common/log.h"

struct check_ctx {
	int failed;
	char buf[256];
};

static void report(struct check_ctx *c, int ok, const char *what, const char *detail,
		   const char *fix)
{
	printf("%-4s %-30s %s\n", ok ? "ok" : "FAIL", what, detail);
	if (!ok) {
		printf("     fix: %s\n", fix);
		c->failed++;
	}
}

static void check_kernel(struct check_ctx *c)
{
	struct utsname u;
	int major = 0, minor = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	report(c, major > 5 || (major == 5 && minor >= 11), "kernel version >= 5.11", u.release,
	       "upgrade the kernel (ring buffer: 5.8, task storage for tracing: 5.11)");
	report(c, !access("/sys/kernel/btf/vmlinux", R_OK), "kernel BTF",
	       "/sys/kernel/btf/vmlinux",
	       "use a kernel built with CONFIG_DEBUG_INFO_BTF=y (most distributions are)");
}

static int check_privileges(struct check_ctx *c)
{
	int err = rec_bpf_privileged(c->buf, sizeof(c->buf));

	report(c, !err, "privileges for bpf()", err ? c->buf :
	       "CAP_SYS_ADMIN or CAP_BPF+CAP_PERFMON", REC_PRIV_HINT);
	return err;
}

/* Without the privileges every BPF probe fails the same way: say so once. */
static void skip_bpf_checks(struct check_ctx *c)
{
	static const char *const rows[] = {
		"bpf() raw tracepoint programs", "BPF ring buffer", "BPF task storage",
		"raw tracepoint attach", "recorder programs load+attach",
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		printf("%-4s %-30s %s\n", "skip", rows[i], "needs the privileges above");
	c->failed++;
}

static void check_probe(struct check_ctx *c, int ret, const char *what, const char *fix)
{
	char err[128];

	if (ret == 1)
		report(c, 1, what, "supported", fix);
	else if (ret == 0)
		report(c, 0, what, "not supported by this kernel", fix);
	else
		report(c, 0, what, rec_bpf_strerror(ret, err, sizeof(err)), fix);
}

static int raw_tp_attach(void)
{
	struct bpf_insn insns[] = {
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
		{ .code = 0x95 },				/* exit */
	};
	int prog, link, err;

	prog = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "check", "GPL", insns, 2, NULL);
	if (prog < 0)
		return -errno;
	link = bpf_raw_tracepoint_open("sys_enter", prog);
	err = link < 0 ? -errno : 0;
	if (link >= 0)
		close(link);
	close(prog);
	return err;
}

static void check_recorder(struct check_ctx *c)
{
	struct rec_opts o;
	struct syslat *skel = NULL;
	char err_buf[128];
	int err;

	err = raw_tp_attach();
	report(c, !err, "raw tracepoint attach", err ? rec_bpf_strerror(err, err_buf,
	       sizeof(err_buf)) : "sys_enter", "raw tracepoints need CONFIG_BPF_EVENTS; "
	       "check lockdown (cat /sys/kernel/security/lockdown) and seccomp");
	rec_opts_init(&o);
	log_set_level(LOG_QUIET);
	err = rec_bpf_load(&o, &skel);
	if (!err)
		err = syslat__attach(skel);
	log_set_level(LOG_INFO);
	report(c, !err, "recorder programs load+attach",
	       err ? rec_bpf_strerror(err, err_buf, sizeof(err_buf)) : "ok",
	       "run 'ebpf-record -v -v ...' to see the verifier log");
	if (!err)
		report(c, 1, "syscall argument reads", rec_bpf_kernel_has_rdonly_cast() ?
		       "plain loads (bpf_rdonly_cast)" : "bpf_probe_read_kernel (Linux < 6.2: "
		       "about 20 ns more per fd syscall)", "");
	if (!err) {
		err = rec_bpf_flush_cpu(skel, 0);
		report(c, err >= 0, "batch flush on one CPU",
		       err >= 0 ? "ok" : rec_bpf_strerror(err, err_buf, sizeof(err_buf)),
		       "needs Linux 5.10 or later (BPF_F_TEST_RUN_ON_CPU): without it the "
		       "events of a CPU that goes idle reach the trace late, at worst at the "
		       "end, and a migrating thread's events may be out of order");
	}
	syslat__destroy(skel);
}

int rec_check_main(int argc, char **argv)
{
	struct check_ctx c = { 0 };

	if (argc > 1) {
		fprintf(stderr, "ebpf-record: check takes no arguments\n"
			"Try 'ebpf-record --help'.\n");
		return REC_EXIT_USAGE;
	}
	rec_bpf_log_init(0);
	check_kernel(&c);
	if (check_privileges(&c)) {
		skip_bpf_checks(&c);
		goto out;
	}
	check_probe(&c, libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL),
		    "bpf() raw tracepoint programs", "grant CAP_BPF+CAP_PERFMON or run as root; "
		    "check kernel.unprivileged_bpf_disabled and LSM policy");
	check_probe(&c, libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL),
		    "BPF ring buffer", "needs Linux 5.8 or later (CONFIG_BPF_SYSCALL)");
	check_probe(&c, libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL),
		    "BPF task storage", "needs Linux 5.11 or later");
	check_recorder(&c);
out:
	printf("%s\n", c.failed ? "some checks failed" : "all checks passed");
	return c.failed ? REC_EXIT_FAIL : REC_EXIT_OK;
}
