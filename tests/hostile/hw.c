// SPDX-License-Identifier: MIT
/* Writer helpers shared by the ebt-hostile modes. */
#include "tests/hostile/hostile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint32_t hostile_size(uint32_t full, uint32_t small)
{
	const char *v = getenv("EBT_HOSTILE_FULL");

	return v && !strcmp(v, "1") ? full : small;
}

int hw_open(struct hw *h, const char *path, uint32_t chunk_events)
{
	struct ebt_writer_opts o = {
		.inline_io = true, .overwrite = true, .chunk_events = chunk_events,
		.pool_chunks = 4,
	};

	memset(h, 0, sizeof(*h));
	h->err = ebt_writer_open(path, &o, &h->w);
	return h->err;
}

void hw_rec(struct hw *h, const struct ebt_record *r)
{
	int err;

	if (h->err)
		return;
	err = ebt_writer_add_record(h->w, r);
	if (err == -ENOBUFS) {
		hw_flush(h);
		err = h->err ? h->err : ebt_writer_add_record(h->w, r);
	}
	h->err = err;
}

void hw_ev(struct hw *h, const struct ebt_event *ev)
{
	if (!h->err)
		h->err = ebt_writer_append(h->w, ev);
}

void hw_flush(struct hw *h)
{
	if (!h->err)
		h->err = ebt_writer_flush(h->w, ++h->now, true);
}

int hw_close(struct hw *h)
{
	int err = ebt_writer_close(h->w, NULL);

	h->w = NULL;
	return h->err ? h->err : err;
}

static void kv(struct hw *h, const char *k, const char *v)
{
	struct ebt_record r = { .kind = EBT_REC_FILE_INFO };

	r.kv.key = ebt_str_c(k);
	r.kv.value = ebt_str_c(v);
	hw_rec(h, &r);
}

static const struct { uint32_t nr; const char *name; } std_names[] = {
	{ NR_READ, "read" }, { NR_WRITE, "write" }, { NR_CLOSE, "close" },
	{ NR_SENDTO, "sendto" }, { NR_RECVFROM, "recvfrom" }, { NR_FSYNC, "fsync" },
	{ NR_FUTEX, "futex" }, { NR_EPOLL_WAIT, "epoll_wait" }, { NR_OPENAT, "openat" },
	{ NR_ACCEPT4, "accept4" },
};

void hw_std_meta(struct hw *h, uint64_t base_ns)
{
	struct ebt_record r = { .kind = EBT_REC_CLOCK };

	kv(h, "arch", "x86_64");
	kv(h, "abi", "x86_64");
	kv(h, "clock", "boottime");
	r.clock = (struct ebt_clock){ .event_ns = base_ns, .monotonic_ns = base_ns,
				      .boottime_ns = base_ns,
				      .realtime_ns = 1795000000000000000ull, .uncertainty_ns = 10 };
	hw_rec(h, &r);
	for (size_t i = 0; i < sizeof(std_names) / sizeof(std_names[0]); i++) {
		r = (struct ebt_record){ .kind = EBT_REC_SYSCALL };
		r.sys.nr = std_names[i].nr;
		r.sys.abi = ebt_str_c("x86_64");
		r.sys.name = ebt_str_c(std_names[i].name);
		hw_rec(h, &r);
	}
}

void hw_task(struct hw *h, uint32_t kind, uint32_t pid, uint32_t tid, struct ebt_str comm,
	     struct ebt_str exe, struct ebt_str cmdline)
{
	struct ebt_record r = { .kind = EBT_REC_TASK };

	r.task = (struct ebt_task){ .kind = kind, .pid = pid, .tid = tid, .ppid = 1,
				    .comm = comm, .exe = exe, .cmdline = cmdline };
	hw_rec(h, &r);
}

void hw_fd(struct hw *h, uint32_t kind, uint32_t pid, int32_t fd, struct ebt_str path,
	   struct ebt_str peer)
{
	struct ebt_record r = { .kind = EBT_REC_FD };

	r.fd = (struct ebt_fd){ .event = EBT_FDE_SNAPSHOT, .kind = kind, .pid = pid, .fd = fd,
				.path = path, .peer = peer };
	if (kind == EBT_FD_SOCKET) {
		r.fd.family = 2;	/* AF_INET */
		r.fd.sock_type = 1;	/* SOCK_STREAM */
		r.fd.local = ebt_str_c("127.0.0.1:8080");
	}
	hw_rec(h, &r);
}

struct ebt_event hev(uint64_t enter, uint64_t dur, int64_t ret, uint64_t arg0,
		     uint32_t pid, uint32_t tid, uint32_t nr)
{
	return (struct ebt_event){ .enter_ns = enter, .duration_ns = dur, .ret = ret,
				   .arg0 = arg0, .pid = pid, .tid = tid, .nr = nr };
}
