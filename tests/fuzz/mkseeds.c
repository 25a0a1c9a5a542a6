// SPDX-License-Identifier: MIT
/* Writes the fuzz seed corpus: small real traces and payloads, each behind
 * the mode byte fuzz_reader.c expects. Usage: mkseeds DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/ebt.h"
#include "format/ebt_internal.h"

static int put_seed(const char *dir, const char *name, uint8_t mode,
		    const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	if (fputc(mode, f) == EOF || fwrite(p, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static void make_events(struct ebt_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].enter_ns = 1000 + 100 * i;
		ev[i].duration_ns = 50 + i % 7;
		ev[i].ret = i % 3 ? (int64_t)i : -11;
		ev[i].arg0 = i % 4;
		ev[i].pid = 10;
		ev[i].tid = 10 + i % 3;
		ev[i].nr = (uint32_t)(i % 5);
		ev[i].cpu = (uint32_t)(i % 2);
		ev[i].stack_id = i % 4 == 0;
	}
}

static const uint64_t ips[2] = { 0x401000, 0x402000 };

static void make_records(struct ebt_record *r)
{
	memset(r, 0, 6 * sizeof(*r));
	r[0].kind = EBT_REC_FILE_INFO;
	r[0].kv.key = ebt_str_c("hostname");
	r[0].kv.value = ebt_str_c("fuzz");
	r[1].kind = EBT_REC_SYSCALL;
	r[1].sys = (struct ebt_syscall_name){ 0, ebt_str_c("x86_64"), ebt_str_c("read") };
	r[2].kind = EBT_REC_TASK;
	r[2].task = (struct ebt_task){ .kind = EBT_TASK_SNAPSHOT, .pid = 10, .tid = 11,
				       .comm = ebt_str_c("worker") };
	r[3].kind = EBT_REC_FD;
	r[3].fd = (struct ebt_fd){ .event = EBT_FDE_SNAPSHOT, .kind = EBT_FD_SOCKET, .pid = 10,
				   .fd = 3, .peer = ebt_str_c("127.0.0.1:80") };
	r[4].kind = EBT_REC_STACK;
	r[4].stack = (struct ebt_stack){ 1, 10, 2, ips };
	r[5].kind = EBT_REC_LOSS;
	r[5].loss = (struct ebt_loss){ EBT_LOSS_RINGBUF, 0, 1000, 2000, 3 };
}

static int trace_seed(const char *dir, const char *name, size_t n_events, size_t cut)
{
	struct ebt_writer_opts o = { .inline_io = true, .chunk_events = 16, .overwrite = true };
	char path[4096];
	struct ebt_event ev[64];
	struct ebt_record rec[6];
	struct ebt_writer *w = NULL;
	uint8_t buf[1 << 16];
	size_t len = 0;
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/.tmp.ebt", dir);
	make_events(ev, n_events);
	make_records(rec);
	err = ebt_writer_open(path, &o, &w);
	for (size_t i = 0; !err && i < 6; i++)
		err = ebt_writer_add_record(w, &rec[i]);
	for (size_t i = 0; !err && i < n_events; i++)
		err = ebt_writer_append(w, &ev[i]);
	err = ebt_writer_close(w, NULL) ?: err;
	f = err ? NULL : fopen(path, "rb");
	if (f) {
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
	}
	unlink(path);
	if (err || !len)
		return err ? err : -EIO;
	if (cut && cut < len)
		len = cut;
	err = put_seed(dir, name, 0, buf, len);
	return err ?: put_seed(dir, name[0] == 'f' ? "fixed-full" : "fixed-other", 1, buf, len);
}

static int payload_seeds(const char *dir)
{
	struct ebt_event ev[40];
	struct ebt_record rec[6];
	struct ebt_buf b = { 0 };
	struct ebt_enc *e = NULL;
	uint8_t *out = malloc(ebt_events_bound(40));
	uint64_t lo, hi;
	size_t len;
	int err;

	make_events(ev, 40);
	make_records(rec);
	err = out ? ebt_enc_new(40, &e) : -ENOMEM;
	if (!err) {
		ebt_enc_sort(e, ev, 40);
		len = ebt_enc_encode(e, ev, 0, 40, out, &lo, &hi);
		err = put_seed(dir, "events-payload", 2, out, len);
	}
	for (size_t i = 0; !err && i < 6; i++)
		err = ebt_record_encode(&b, &rec[i]);
	if (!err)
		err = put_seed(dir, "records-payload", 3, b.p, b.len);
	ebt_buf_free(&b);
	ebt_enc_free(e);
	free(out);
	return err;
}

int main(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	err = trace_seed(argv[1], "full", 40, 0);
	if (!err)
		err = trace_seed(argv[1], "meta-only", 0, 0);
	if (!err)
		err = trace_seed(argv[1], "torn", 40, 300);
	if (!err)
		err = payload_seeds(argv[1]);
	if (err) {
		fprintf(stderr, "mkseeds: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
