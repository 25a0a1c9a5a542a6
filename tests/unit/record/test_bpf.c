// SPDX-License-Identifier: MIT
/*
 * The BPF programs themselves, loaded and attached for real (root only;
 * without privileges the tests skip, and fail under EBT_REQUIRE_BPF=1):
 * per-CPU batches reach user space whole and only for traced processes, and
 * a process added to the traced set after its threads were remembered as
 * untraced is traced from then on.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "bpf/syscall_event.h"
#include "record/rec_internal.h"
#include "syslat.skel.h"

struct seen {
	uint32_t pid;
	int rfd, wfd;		/* a pipe the child reads and writes */
	uint64_t reads, writes;	/* events of pid on rfd/wfd, by arg0 */
	uint64_t getppid;	/* events of pid with nr getppid */
	uint64_t other_pids;	/* events of any other process */
	uint64_t batches, bad;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	const struct event_batch *b = data;
	struct seen *s = ctx;
	uint32_t n;

	if (!BATCH_SIZE_OK(size))
		return 0;	/* task events */
	n = (uint32_t)((size - BATCH_HDR_LEN) / sizeof(struct syscall_event));
	if (b->magic != BATCH_MAGIC || b->count != n || n > BATCH_EVENTS) {
		s->bad++;
		return 0;
	}
	s->batches++;
	for (uint32_t i = 0; i < n; i++) {
		if (b->ev[i].tgid != s->pid)
			s->other_pids++;
		else if (b->ev[i].nr == SYS_getppid)
			s->getppid++;
		else if (b->ev[i].nr == SYS_read && b->ev[i].arg0 == (uint64_t)s->rfd)
			s->reads++;
		else if (b->ev[i].nr == SYS_write && b->ev[i].arg0 == (uint64_t)s->wfd)
			s->writes++;
	}
	return 0;
}

static bool can_bpf(void)
{
	char why[128];

	if (geteuid() == 0 && !rec_bpf_privileged(why, sizeof(why)))
		return true;
	if (getenv("EBT_REQUIRE_BPF") && !strcmp(getenv("EBT_REQUIRE_BPF"), "1"))
		cr_assert_fail("BPF tests need root (EBT_REQUIRE_BPF=1)");
	return false;
}

/* A child that makes n getppid calls and n 1-byte write+read round trips
 * on the pipe rw each time it reads a byte on go, and answers with a byte on
 * done. */
static pid_t spawn(int go[2], int done[2], int rw[2], long n)
{
	pid_t pid;

	cr_assert_eq(pipe(go), 0);
	cr_assert_eq(pipe(done), 0);
	cr_assert_eq(pipe(rw), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char c;

		close(go[1]);	/* EOF on go when the test ends, however it ends */
		close(done[0]);
		alarm(60);
		while (read(go[0], &c, 1) == 1) {
			for (long i = 0; i < n; i++)
				syscall(SYS_getppid);
			for (long i = 0; i < n; i++) {
				if (write(rw[1], &c, 1) != 1 || read(rw[0], &c, 1) != 1)
					_exit(1);
			}
			if (write(done[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	return pid;
}

static void round_trip(int go[2], int done[2])
{
	char c = 'g';

	cr_assert_eq(write(go[1], &c, 1), 1);
	cr_assert_eq(read(done[0], &c, 1), 1);
}

/* What record/ does on its timer (a CPU's batch older than 0 ns is sent
 * through the flush program), then at the end (the batches map is read). */
static void drain(struct syslat *skel, struct ring_buffer *rb, struct seen *s)
{
	int n_cpus = libbpf_num_possible_cpus();
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	cr_assert_eq(rec_bpf_flush_stale(skel, (uint64_t)ts.tv_sec * 1000000000u +
					 (uint64_t)ts.tv_nsec + 1, 0, n_cpus), 0);
	cr_assert_geq(ring_buffer__consume(rb), 0);
	cr_assert_eq(rec_bpf_take_batches(skel, n_cpus, on_sample, s), 0);
}

/* The programs loaded (one way of reading arguments), attached, and a
 * spawn()ed child making n calls per round; traced: in the set from the
 * start. */
struct rig {
	struct seen s;
	struct ring_buffer *rb;
	struct syslat *skel;
	int go[2], done[2], rw[2];
};

static void rig_start(struct rig *r, enum rec_regs_read how, long n, bool traced)
{
	struct rec_opts o;

	if (!can_bpf())
		cr_skip_test("needs root with CAP_BPF and CAP_PERFMON");
	memset(r, 0, sizeof(*r));
	rec_opts_init(&o);
	cr_assert_eq(rec_bpf_load_variant(&o, how, &r->skel), 0);
	r->s.pid = (uint32_t)spawn(r->go, r->done, r->rw, n);
	r->s.rfd = r->rw[0];
	r->s.wfd = r->rw[1];
	if (traced)
		cr_assert_eq(rec_bpf_add_tgid(r->skel, r->s.pid, TGID_ACTIVE), 0);
	r->rb = ring_buffer__new(bpf_map__fd(r->skel->maps.events), on_sample, &r->s, NULL);
	cr_assert_not_null(r->rb);
	cr_assert_eq(syslat__attach(r->skel), 0);
}

static void rig_stop(struct rig *r)
{
	int ws;

	close(r->go[1]);	/* the child reads EOF and exits */
	cr_assert_eq(waitpid((pid_t)r->s.pid, &ws, 0), (pid_t)r->s.pid);
	ring_buffer__free(r->rb);
	syslat__destroy(r->skel);
	close(r->go[0]);
	close(r->done[0]);
	close(r->done[1]);
	close(r->rw[0]);
	close(r->rw[1]);
}

Test(record_bpf, a_process_added_after_attach_is_traced_and_batches_arrive_whole,
     .timeout = 30)
{
	struct rig r;

	rig_start(&r, REC_REGS_AUTO, 1000, false);
	/* untraced: its thread is remembered as such, nothing is recorded */
	round_trip(r.go, r.done);
	round_trip(r.go, r.done);
	drain(r.skel, r.rb, &r.s);
	cr_assert_eq(r.s.getppid, 0);

	/* added now (as record/ does for children found after attaching) */
	cr_assert_eq(rec_bpf_add_tgid(r.skel, r.s.pid, TGID_ACTIVE), 0);
	round_trip(r.go, r.done);
	round_trip(r.go, r.done);
	drain(r.skel, r.rb, &r.s);
	cr_assert_eq(r.s.getppid, 2000, "traced after being added: %llu getppid",
		     (unsigned long long)r.s.getppid);
	cr_assert_eq(r.s.other_pids, 0, "only the traced process is recorded");
	cr_assert_eq(r.s.bad, 0);
	cr_assert_lt(r.s.batches, 2000 / 4, "%llu samples for 2000 events: not batched",
		     (unsigned long long)r.s.batches);
	rig_stop(&r);
}

/* Both ways of reading syscall arguments give each read and write its fd. */
static void fd_args(enum rec_regs_read how)
{
	struct rig r;

	rig_start(&r, how, 500, true);
	round_trip(r.go, r.done);
	drain(r.skel, r.rb, &r.s);
	cr_assert_eq(r.s.getppid, 500);
	cr_assert_eq(r.s.writes, 500, "writes on fd %d: %llu", r.s.wfd,
		     (unsigned long long)r.s.writes);
	cr_assert_eq(r.s.reads, 500, "reads on fd %d: %llu", r.s.rfd,
		     (unsigned long long)r.s.reads);
	rig_stop(&r);
}

Test(record_bpf, fd_arguments_through_bpf_rdonly_cast, .timeout = 30)
{
	fd_args(REC_REGS_CAST);
}

Test(record_bpf, fd_arguments_through_probe_reads, .timeout = 30)
{
	fd_args(REC_REGS_PROBE);
}
