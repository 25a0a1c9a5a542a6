// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/ebt.h"
#include "tests/unit/format/fmt_test.h"

static char *dir;

static void setup(void)
{
	dir = fmt_mkdtemp();
}

static void teardown(void)
{
	fmt_rmdir(dir);
}

TestSuite(format_records, .init = setup, .fini = teardown);

static const char weird[] = "a\0b\xff\x01\n";	/* any byte, embedded NUL */
static const uint64_t ips[3] = { 0x401000, UINT64_MAX, 0 };

static struct ebt_str bytes(const char *p, uint32_t len)
{
	struct ebt_str s = { p, len };

	return s;
}

/* One record of each kind, every field non-zero. */
static size_t make_records(struct ebt_record *r)
{
	memset(r, 0, 9 * sizeof(*r));
	r[0].kind = EBT_REC_FILE_INFO;
	r[0].kv.key = ebt_str_c("hostname");
	r[0].kv.value = bytes(weird, sizeof(weird) - 1);
	r[1].kind = EBT_REC_SYSCALL;
	r[1].sys = (struct ebt_syscall_name){ 59, ebt_str_c("x86_64"), ebt_str_c("execve") };
	r[2].kind = EBT_REC_CLOCK;
	r[2].clock = (struct ebt_clock){ 1, 2, 3, UINT64_MAX, 5 };
	r[3].kind = EBT_REC_TASK;
	r[3].task = (struct ebt_task){ EBT_TASK_EXIT, 10, 11, 1, 123, 100, -9, 1000,
				       ebt_str_c("nginx"), ebt_str_c("/usr/sbin/nginx"),
				       bytes("nginx\0-g\0off", 12) };
	r[4].kind = EBT_REC_FD;
	r[4].fd = (struct ebt_fd){ EBT_FDE_OPEN, EBT_FD_SOCKET, 10, -100, 77, 10, 1,
				   0x80002, ebt_str_c("socket:[123]"),
				   ebt_str_c("[::1]:443"), ebt_str_c("[::1]:5555") };
	r[5].kind = EBT_REC_LOSS;
	r[5].loss = (struct ebt_loss){ EBT_LOSS_RINGBUF, 3, 100, 200, 42 };
	r[6].kind = EBT_REC_STACK;
	r[6].stack = (struct ebt_stack){ 1, 10, 3, ips };
	r[7].kind = EBT_REC_SYMBOL;
	r[7].sym = (struct ebt_symbol){ 10, 0x401000, 0x10, ebt_str_c("main"),
					ebt_str_c("/bin/x"), ebt_str_c("abcdef") };
	r[8].kind = EBT_REC_MAP;
	r[8].map = (struct ebt_map){ 10, 0x400000, 0x500000, 0x1000, ebt_str_c("/bin/x"),
				     ebt_str_c("abcdef") };
	return 9;
}

static void expect_str(struct ebt_str got, struct ebt_str want)
{
	cr_assert_eq(got.len, want.len);
	cr_assert(!memcmp(got.p, want.p, want.len));
	cr_assert_eq(got.p[got.len], '\0', "reader strings are NUL-terminated");
}

static void expect_same(const struct ebt_record *a, const struct ebt_record *b)
{
	cr_assert_eq(a->kind, b->kind);
	switch (a->kind) {
	case EBT_REC_FILE_INFO:
		expect_str(a->kv.key, b->kv.key);
		expect_str(a->kv.value, b->kv.value);
		break;
	case EBT_REC_SYSCALL:
		cr_assert_eq(a->sys.nr, b->sys.nr);
		expect_str(a->sys.abi, b->sys.abi);
		expect_str(a->sys.name, b->sys.name);
		break;
	case EBT_REC_CLOCK:
		cr_assert(!memcmp(&a->clock, &b->clock, sizeof(a->clock)));
		break;
	case EBT_REC_TASK:
		cr_assert(a->task.kind == b->task.kind && a->task.pid == b->task.pid &&
			  a->task.tid == b->task.tid && a->task.ppid == b->task.ppid &&
			  a->task.ts_ns == b->task.ts_ns && a->task.start_ns == b->task.start_ns &&
			  a->task.exit_code == b->task.exit_code && a->task.uid == b->task.uid);
		expect_str(a->task.comm, b->task.comm);
		expect_str(a->task.exe, b->task.exe);
		expect_str(a->task.cmdline, b->task.cmdline);
		break;
	case EBT_REC_FD:
		cr_assert(a->fd.event == b->fd.event && a->fd.kind == b->fd.kind &&
			  a->fd.pid == b->fd.pid && a->fd.fd == b->fd.fd &&
			  a->fd.ts_ns == b->fd.ts_ns && a->fd.family == b->fd.family &&
			  a->fd.sock_type == b->fd.sock_type && a->fd.flags == b->fd.flags);
		expect_str(a->fd.path, b->fd.path);
		expect_str(a->fd.local, b->fd.local);
		expect_str(a->fd.peer, b->fd.peer);
		break;
	case EBT_REC_LOSS:
		cr_assert(!memcmp(&a->loss, &b->loss, sizeof(a->loss)));
		break;
	case EBT_REC_STACK:
		cr_assert(a->stack.id == b->stack.id && a->stack.pid == b->stack.pid &&
			  a->stack.depth == b->stack.depth);
		cr_assert(!memcmp(a->stack.ips, b->stack.ips, 8 * a->stack.depth));
		break;
	case EBT_REC_SYMBOL:
		cr_assert(a->sym.pid == b->sym.pid && a->sym.addr == b->sym.addr &&
			  a->sym.offset == b->sym.offset);
		expect_str(a->sym.name, b->sym.name);
		expect_str(a->sym.object, b->sym.object);
		expect_str(a->sym.build_id, b->sym.build_id);
		break;
	case EBT_REC_MAP:
		cr_assert(a->map.pid == b->map.pid && a->map.start == b->map.start &&
			  a->map.end == b->map.end && a->map.file_offset == b->map.file_offset);
		expect_str(a->map.path, b->map.path);
		expect_str(a->map.build_id, b->map.build_id);
		break;
	default:
		cr_assert_fail("unexpected kind %u", a->kind);
	}
}

Test(format_records, every_kind_round_trips_and_precedes_later_events)
{
	struct ebt_record want[9], empty = { .kind = EBT_REC_TASK };
	struct ebt_writer_opts o = { .inline_io = true };
	struct ebt_writer *w = NULL;
	struct ebt_reader *r = NULL;
	struct ebt_event ev[10];
	struct ebt_chunk c;
	size_t n = make_records(want), got = 0;
	int seen_events_first = 0;

	fmt_gen_events(ev, 10, 1);
	cr_assert_eq(ebt_writer_open(fmt_path(dir, "r.ebt"), &o, &w), 0);
	cr_assert_eq(ebt_writer_append(w, &ev[0]), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(ebt_writer_add_record(w, &want[i]), 0);
	cr_assert_eq(ebt_writer_add_record(w, &empty), 0);
	cr_assert_eq(ebt_writer_close(w, NULL), 0);

	cr_assert_eq(ebt_reader_open(fmt_path(dir, "r.ebt"), NULL, &r), 0);
	while (ebt_reader_next(r, &c) == 1) {
		if (c.type == EBT_CHUNK_EVENTS && got < n)
			seen_events_first = 1;
		for (size_t i = 0; i < c.n_records && got < n; i++, got++)
			expect_same(&c.records[i], &want[got]);
		if (c.n_records == n + 1) {
			const struct ebt_task *t = &c.records[n].task;

			cr_assert_eq(t->comm.len, 0);
			cr_assert_str_eq(t->comm.p, "", "absent strings read as \"\"");
		}
	}
	cr_assert_eq(got, n);
	cr_assert(!seen_events_first, "records must precede the events chunk");
	cr_assert_eq(ebt_reader_info(r)->records, n + 1);
	cr_assert_eq(ebt_reader_info(r)->lost_events, 42);
	ebt_reader_close(r);
}

Test(format_records, rejects_oversized_and_invalid_records)
{
	struct ebt_writer_opts o = { .inline_io = true };
	struct ebt_writer *w = NULL;
	struct ebt_record r = { .kind = EBT_REC_FILE_INFO };
	uint64_t deep[EBT_MAX_STACK_DEPTH + 1] = { 0 };
	char *big = calloc(1, EBT_MAX_STRING + 2);

	cr_assert_eq(ebt_writer_open(fmt_path(dir, "bad.ebt"), &o, &w), 0);
	r.kv.key = bytes(big, EBT_MAX_STRING + 1);
	cr_expect_eq(ebt_writer_add_record(w, &r), -EFBIG);
	r.kv.key = bytes(big, EBT_MAX_STRING);
	cr_expect_eq(ebt_writer_add_record(w, &r), 0, "the cap itself is allowed");
	r.kv.key = bytes(NULL, 3);
	cr_expect_eq(ebt_writer_add_record(w, &r), -EINVAL);
	r.kind = EBT_REC_STACK;
	r.stack = (struct ebt_stack){ 1, 1, EBT_MAX_STACK_DEPTH + 1, deep };
	cr_expect_eq(ebt_writer_add_record(w, &r), -EFBIG);
	r.kind = 99;
	cr_expect_eq(ebt_writer_add_record(w, &r), -EINVAL);
	cr_expect_eq(ebt_writer_close(w, NULL), 0);
	free(big);
}

Test(format_records, names_cover_every_kind)
{
	cr_expect_str_eq(ebt_fd_kind_name(EBT_FD_SOCKET), "socket");
	cr_expect_str_eq(ebt_fd_kind_name(EBT_FD_MEMFD), "memfd");
	cr_expect_str_eq(ebt_fd_kind_name(1000), "unknown");
	cr_expect_str_eq(ebt_task_kind_name(EBT_TASK_EXEC), "exec");
	cr_expect_str_eq(ebt_task_kind_name(0), "unknown");
}

Test(format_records, chunk_and_loss_names)
{
	cr_expect_str_eq(ebt_chunk_type_name(EBT_CHUNK_EVENTS), "EVENTS");
	cr_expect_str_eq(ebt_chunk_type_name(EBT_CHUNK_META), "META");
	cr_expect_str_eq(ebt_chunk_type_name(EBT_CHUNK_FOOTER), "FOOTER");
	cr_expect_str_eq(ebt_chunk_type_name(0x1234), "unknown");
	cr_expect_str_eq(ebt_loss_source_name(EBT_LOSS_RINGBUF), "ringbuf");
	cr_expect_str_eq(ebt_loss_source_name(EBT_LOSS_WRITER), "writer");
	cr_expect_str_eq(ebt_loss_source_name(77), "unknown");
}
