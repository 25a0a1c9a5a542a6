// SPDX-License-Identifier: MIT
/* Helpers of the redact unit tests (red_test.h). */
#include "tests/unit/redact/red_test.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

const uint8_t red_key[16] = { 0x0b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
const char red_hostname[] = "buildhost-alpha";

const char *const red_secret_names[] = {
	"buildhost-alpha", "5f2a-boot-id-77c1", "/secret/out.ebt", "/opt/secret-app/bin/app",
	"/etc/secret.conf", "secretcomm", "/var/lib/secret/data.db", "10.1.2.3",
	"192.168.77.5", "fe80::1", "/run/secret.sock", "@secret-abstract",
	"/usr/lib/libsecret.so", "--config", NULL,
};

char *red_mkdtemp(void)
{
	char *d = strdup("/tmp/ebt-redact-XXXXXX");

	cr_assert_not_null(d);
	cr_assert_not_null(mkdtemp(d));
	return d;
}

char *red_path(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	cr_assert_not_null(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

void red_rmdir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *p;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = red_path(dir, e->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

static void kv(struct ebt_writer *w, const char *k, const char *v, size_t vlen)
{
	struct ebt_record r = { .kind = EBT_REC_FILE_INFO };

	r.kv.key = ebt_str_c(k);
	r.kv.value = (struct ebt_str){ v, (uint32_t)vlen };
	cr_assert_eq(ebt_writer_add_record(w, &r), 0);
}

static void add(struct ebt_writer *w, const struct ebt_record *r)
{
	cr_assert_eq(ebt_writer_add_record(w, r), 0);
}

static void fd_rec(struct ebt_writer *w, uint32_t kind, int32_t fd, const char *path,
		   const char *local, const char *peer)
{
	struct ebt_record r = { .kind = EBT_REC_FD };

	r.fd = (struct ebt_fd){ .event = EBT_FDE_OPEN, .kind = kind, .pid = 100, .fd = fd,
				.ts_ns = 1000 + (uint64_t)fd, .family = kind == EBT_FD_SOCKET ? 2 : 0,
				.sock_type = 1, .flags = 0x42 };
	r.fd.path = ebt_str_c(path);
	r.fd.local = ebt_str_c(local);
	r.fd.peer = ebt_str_c(peer);
	add(w, &r);
}

static void host_records(struct ebt_writer *w)
{
	static const char args[] = "ebpf-record -o /secret/out.ebt -- /opt/secret-app/bin/app "
				   "--config /etc/secret.conf";

	kv(w, "hostname", red_hostname, strlen(red_hostname));
	kv(w, "boot_id", "5f2a-boot-id-77c1", 17);
	kv(w, "kernel_version", "#1 SMP buildhost-alpha 2026", 27);
	kv(w, "recorder_args", args, strlen(args));
	kv(w, "targets", "cmd:/opt/secret-app/bin/app", 27);
	kv(w, "arch", "x86_64", 6);
}

static void other_records(struct ebt_writer *w)
{
	static const char cmd[] = "/opt/secret-app/bin/app\0--config\0/etc/secret.conf";
	static const uint64_t ips[3] = { 0x401000, 0x402000, 0x403000 };
	struct ebt_record r = { .kind = EBT_REC_SYSCALL };

	r.sys = (struct ebt_syscall_name){ 0, ebt_str_c("x86_64"), ebt_str_c("read") };
	add(w, &r);
	r = (struct ebt_record){ .kind = EBT_REC_CLOCK, .clock = { 5, 6, 7, 8, 9 } };
	add(w, &r);
	r = (struct ebt_record){ .kind = EBT_REC_TASK };
	r.task = (struct ebt_task){ .kind = EBT_TASK_SNAPSHOT, .pid = 100, .tid = 100,
				    .ppid = 1, .start_ns = 77, .exit_code = -9, .uid = 1000 };
	r.task.comm = ebt_str_c("secretcomm");
	r.task.exe = ebt_str_c("/opt/secret-app/bin/app");
	r.task.cmdline = (struct ebt_str){ cmd, sizeof(cmd) - 1 };
	add(w, &r);
	fd_rec(w, EBT_FD_FILE, 3, "/var/lib/secret/data.db", "", "");
	fd_rec(w, EBT_FD_SOCKET, 4, "socket:[12345]", "10.1.2.3:8080", "192.168.77.5:5432");
	fd_rec(w, EBT_FD_SOCKET, 5, "socket:[12346]", "[fe80::1]:443", "[fe80::1]:50000");
	fd_rec(w, EBT_FD_SOCKET, 6, "socket:[12347]", "/run/secret.sock", "@secret-abstract");
	r = (struct ebt_record){ .kind = EBT_REC_MAP };
	r.map = (struct ebt_map){ .pid = 100, .start = 0x400000, .end = 0x500000,
				  .file_offset = 0x1000 };
	r.map.path = ebt_str_c("/usr/lib/libsecret.so");
	r.map.build_id = ebt_str_c("abcdef0123");
	add(w, &r);
	r = (struct ebt_record){ .kind = EBT_REC_STACK };
	r.stack = (struct ebt_stack){ .id = 1, .pid = 100, .depth = 3, .ips = ips };
	add(w, &r);
	r = (struct ebt_record){ .kind = EBT_REC_SYMBOL };
	r.sym = (struct ebt_symbol){ .pid = 100, .addr = 0x401000, .offset = 16 };
	r.sym.name = ebt_str_c("handle_request");
	r.sym.object = ebt_str_c("/usr/lib/libsecret.so");
	add(w, &r);
	r = (struct ebt_record){ .kind = EBT_REC_LOSS };
	r.loss = (struct ebt_loss){ EBT_LOSS_RINGBUF, 1, 10, 20, 33 };
	add(w, &r);
}

void red_write_trace(const char *path, int n_chunks)
{
	struct ebt_writer_opts o = { .inline_io = true };
	struct ebt_writer *w;
	uint64_t t = 1000000, x = 42;

	cr_assert_eq(ebt_writer_open(path, &o, &w), 0);
	host_records(w);
	other_records(w);
	for (int c = 0; c < n_chunks; c++) {
		for (int i = 0; i < 1000; i++) {
			struct ebt_event ev = { 0 };

			x = x * 6364136223846793005ull + 1442695040888963407ull;
			t += 1000 + (x >> 54);
			ev.enter_ns = t;
			ev.duration_ns = 100 + (x >> 60);
			ev.ret = (int64_t)(x >> 40) % 7 - 3;
			ev.arg0 = (x >> 20) & 0xffff;
			ev.pid = 100;
			ev.tid = 100 + (uint32_t)(x >> 62);
			ev.nr = (uint32_t)(x >> 33) % 300;
			ev.cpu = (uint32_t)(x >> 50) % 2;
			ev.stack_id = i % 5 == 0;
			cr_assert_eq(ebt_writer_append(w, &ev), 0);
		}
		cr_assert_eq(ebt_writer_flush(w, 0, true), 0);
	}
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
}

int red_redact(const char *in, const char *out, uint32_t what, bool force)
{
	struct ana_redact_opts o;

	ana_redact_opts_init(&o);
	o.input = in;
	o.output = out;
	o.what = what;
	o.force = force;
	o.quiet = true;
	return ana_redact_file(&o, red_key, sizeof(red_key), NULL);
}

size_t red_record_strs(const struct ebt_record *r, const struct ebt_str **out, size_t max)
{
	size_t n = 0;

	cr_assert_geq(max, 3);
	switch (r->kind) {
	case EBT_REC_FILE_INFO:
		out[n++] = &r->kv.key;
		out[n++] = &r->kv.value;
		break;
	case EBT_REC_SYSCALL:
		out[n++] = &r->sys.abi;
		out[n++] = &r->sys.name;
		break;
	case EBT_REC_TASK:
		out[n++] = &r->task.comm;
		out[n++] = &r->task.exe;
		out[n++] = &r->task.cmdline;
		break;
	case EBT_REC_FD:
		out[n++] = &r->fd.path;
		out[n++] = &r->fd.local;
		out[n++] = &r->fd.peer;
		break;
	case EBT_REC_SYMBOL:
		out[n++] = &r->sym.name;
		out[n++] = &r->sym.object;
		out[n++] = &r->sym.build_id;
		break;
	case EBT_REC_MAP:
		out[n++] = &r->map.path;
		out[n++] = &r->map.build_id;
		break;
	default:
		break;
	}
	return n;
}

/* Integer fields equal, kind by kind. */
static void numbers_equal(const struct ebt_record *a, const struct ebt_record *b)
{
	cr_assert_eq(a->kind, b->kind);
	switch (a->kind) {
	case EBT_REC_SYSCALL:
		cr_assert_eq(a->sys.nr, b->sys.nr);
		break;
	case EBT_REC_CLOCK:
		cr_assert_eq(memcmp(&a->clock, &b->clock, sizeof(a->clock)), 0);
		break;
	case EBT_REC_TASK:
		cr_assert(a->task.kind == b->task.kind && a->task.pid == b->task.pid &&
			  a->task.tid == b->task.tid && a->task.ppid == b->task.ppid &&
			  a->task.ts_ns == b->task.ts_ns && a->task.start_ns == b->task.start_ns &&
			  a->task.exit_code == b->task.exit_code && a->task.uid == b->task.uid);
		break;
	case EBT_REC_FD:
		cr_assert(a->fd.event == b->fd.event && a->fd.kind == b->fd.kind &&
			  a->fd.pid == b->fd.pid && a->fd.fd == b->fd.fd &&
			  a->fd.ts_ns == b->fd.ts_ns && a->fd.family == b->fd.family &&
			  a->fd.sock_type == b->fd.sock_type && a->fd.flags == b->fd.flags);
		break;
	case EBT_REC_LOSS:
		cr_assert_eq(memcmp(&a->loss, &b->loss, sizeof(a->loss)), 0);
		break;
	case EBT_REC_STACK:
		cr_assert(a->stack.id == b->stack.id && a->stack.pid == b->stack.pid &&
			  a->stack.depth == b->stack.depth);
		cr_assert_eq(memcmp(a->stack.ips, b->stack.ips, 8 * a->stack.depth), 0);
		break;
	case EBT_REC_SYMBOL:
		cr_assert(a->sym.pid == b->sym.pid && a->sym.addr == b->sym.addr &&
			  a->sym.offset == b->sym.offset);
		break;
	case EBT_REC_MAP:
		cr_assert(a->map.pid == b->map.pid && a->map.start == b->map.start &&
			  a->map.end == b->map.end && a->map.file_offset == b->map.file_offset);
		break;
	default:
		break;
	}
}

static bool own_record(const struct ebt_record *r)
{
	return r->kind == EBT_REC_FILE_INFO &&
	       ((r->kv.key.len == 8 && !memcmp(r->kv.key.p, "redacted", 8)) ||
		(r->kv.key.len == 13 && !memcmp(r->kv.key.p, "redact_key_id", 13)));
}

static size_t compare_chunk(const struct ebt_chunk *ca, const struct ebt_chunk *cb,
			    red_pair_fn fn, void *arg)
{
	size_t j = 0;

	cr_assert_eq(ca->type, cb->type);
	cr_assert_eq(ca->n_events, cb->n_events);
	if (ca->n_events)
		cr_assert_eq(memcmp(ca->events, cb->events, ca->n_events * sizeof(*ca->events)),
			     0, "events differ");
	for (size_t i = 0; i < ca->n_records; i++, j++) {
		while (j < cb->n_records && own_record(&cb->records[j]) && !own_record(&ca->records[i]))
			j++;
		cr_assert_lt(j, cb->n_records, "record %zu missing", i);
		numbers_equal(&ca->records[i], &cb->records[j]);
		if (fn)
			fn(&ca->records[i], &cb->records[j], arg);
	}
	while (j < cb->n_records && own_record(&cb->records[j]))
		j++;
	cr_assert_eq(j, cb->n_records, "extra records");
	return ca->n_events;
}

size_t red_compare(const char *a, const char *b, red_pair_fn fn, void *arg)
{
	struct ebt_reader *ra, *rb;
	struct ebt_chunk ca, cb;
	size_t events = 0;
	int na, nb;

	cr_assert_eq(ebt_reader_open(a, NULL, &ra), 0);
	cr_assert_eq(ebt_reader_open(b, NULL, &rb), 0);
	do {
		na = ebt_reader_next(ra, &ca);
		nb = ebt_reader_next(rb, &cb);
		cr_assert_eq(na, nb, "chunk count differs");
		if (na == 1)
			events += compare_chunk(&ca, &cb, fn, arg);
	} while (na == 1);
	cr_assert_eq(na, 0);
	cr_assert_eq(ebt_reader_info(ra)->lost_events, ebt_reader_info(rb)->lost_events);
	cr_assert_eq(ebt_reader_info(ra)->clock_id, ebt_reader_info(rb)->clock_id);
	cr_assert(ebt_reader_info(rb)->footer_seen);
	ebt_reader_close(ra);
	ebt_reader_close(rb);
	return events;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Walks chunk headers (docs/FORMAT.md §4.1) without the library's reader. */
uint8_t *red_payloads(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *file, *out = NULL;
	size_t size, off = 64, used = 0;

	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	rewind(f);
	file = malloc(size);
	cr_assert_not_null(file);
	cr_assert_eq(fread(file, 1, size, f), size);
	fclose(f);
	while (off + 56 <= size) {
		uint32_t stored = le32(file + off + 8), raw = le32(file + off + 12);
		unsigned int codec = (file[off + 6] | file[off + 7] << 8) & 0xf;

		cr_assert_eq(le32(file + off), 0x1a4b43ebu, "chunk magic at %zu", off);
		cr_assert_leq(off + 56 + stored, size);
		out = realloc(out, used + raw + 1);
		cr_assert_not_null(out);
		if (codec == 1)
			cr_assert_eq(ZSTD_decompress(out + used, raw, file + off + 56, stored), raw);
		else
			memcpy(out + used, file + off + 56, stored);
		used += codec == 1 ? raw : stored;
		off += 56 + ((stored + 7u) & ~7u);
	}
	free(file);
	*len = used;
	return out;
}

bool red_contains(const uint8_t *p, size_t n, const void *needle, size_t nlen)
{
	return memmem(p, n, needle, nlen) != NULL;
}
