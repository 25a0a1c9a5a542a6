// SPDX-License-Identifier: MIT
/*
 * Modes with extreme or inconsistent counts, ids and times, all written
 * through the real writer (the files are valid .ebt): the analyzer must
 * cap its tables, warn, and finish in bounded time and memory.
 */
#include "tests/hostile/hostile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1000000000ull

/* 100k processes and 50k extra threads from TASK records, only some of them
 * with events; then 150k more threads seen only in events (no TASK record):
 * 300k threads in all, more than the analyzer's thread table holds. */
int gen_threads(const char *out)
{
	char comm[32];
	struct ebt_event ev;
	uint64_t t = T0;
	struct hw h;
	/* small: 60k threads from TASK records + 30k unknown > ANA_MAX_THREADS */
	uint32_t nproc = hostile_size(100000, 40000), nunk = hostile_size(150000, 30000);

	if (hw_open(&h, out, 65536))
		return h.err;
	hw_std_meta(&h, T0);
	for (uint32_t i = 0; i < nproc && !h.err; i++) {
		snprintf(comm, sizeof(comm), "proc%u", i);
		hw_task(&h, EBT_TASK_SNAPSHOT, 100000 + i, 100000 + i, ebt_str_c(comm),
			ebt_str_c("/bin/x"), ebt_str_c(comm));
		if (i % 2 == 0)
			hw_task(&h, EBT_TASK_THREAD, 100000 + i, 400000 + i, ebt_str_c("thr"),
				(struct ebt_str){ 0 }, (struct ebt_str){ 0 });
	}
	for (uint32_t i = 0; i < nproc && !h.err; i += 4) {	/* 1 event per 4 tasks */
		ev = hev(t, 100 + i % 1000, 1, 0, 100000 + i, 100000 + i, NR_READ);
		hw_ev(&h, &ev);
		t += 50;
	}
	for (uint32_t i = 0; i < nunk && !h.err; i++) {	/* unknown threads */
		ev = hev(t, 100, 8, 3, 700000 + i / 3, 700000 + i, NR_WRITE);
		hw_ev(&h, &ev);
		t += 50;
	}
	return hw_close(&h);
}

/* 5000 sockets with distinct peers (more than the peer table), 1.1M FD
 * records with distinct paths (more than the fd table holds), 300k events
 * each on a distinct fd, and fds that are negative or never described. */
int gen_fds(const char *out)
{
	char path[64];
	struct ebt_event ev;
	uint64_t t = T0;
	struct hw h;
	/* small: 300k distinct fds > ANA_MAX_FDS, 5000 peers > ANA_MAX_PEERS */
	uint32_t nrec = hostile_size(1100000, 300000), nev = hostile_size(300000, 30000);

	if (hw_open(&h, out, 65536))
		return h.err;
	hw_std_meta(&h, T0);
	hw_task(&h, EBT_TASK_SNAPSHOT, 42, 42, ebt_str_c("fdhog"), ebt_str_c("/bin/fdhog"),
		ebt_str_c("fdhog"));
	for (uint32_t i = 0; i < 5000 && !h.err; i++) {
		snprintf(path, sizeof(path), "10.%u.%u.%u:%u", i >> 16, (i >> 8) & 255,
			 i & 255, 1000 + i);
		hw_fd(&h, EBT_FD_SOCKET, 42, (int32_t)(2000000 + i), ebt_str_c("socket:[1]"),
		      ebt_str_c(path));
	}
	for (uint32_t i = 0; i < nrec && !h.err; i++) {
		snprintf(path, sizeof(path), "/tmp/f%u", i);
		hw_fd(&h, EBT_FD_FILE, 42, (int32_t)(10 + i), ebt_str_c(path),
		      (struct ebt_str){ 0 });
	}
	hw_fd(&h, EBT_FD_FILE, 42, -1, ebt_str_c("/neg"), (struct ebt_str){ 0 });
	hw_fd(&h, EBT_FD_FILE, 42, INT32_MIN, ebt_str_c("/min"), (struct ebt_str){ 0 });
	for (uint32_t i = 0; i < nev && !h.err; i++) {
		uint32_t fd = i % 3 == 0 ? 2000000 + i % 5000 : 10 + i;

		ev = hev(t, 1000, 10, fd, 42, 42, i % 2 ? NR_READ : NR_WRITE);
		hw_ev(&h, &ev);
		t += 2000;
	}
	ev = hev(t, 10, 0, (uint64_t)-1, 42, 42, NR_CLOSE);
	hw_ev(&h, &ev);
	ev = hev(t + 20, 10, 0, (uint64_t)INT32_MIN, 42, 42, NR_READ);
	hw_ev(&h, &ev);
	ev = hev(t + 40, 10, 0, UINT64_MAX - 5, 42, 42, NR_WRITE);
	hw_ev(&h, &ev);
	return hw_close(&h);
}

static void unknown_meta(struct hw *h)
{
	static const uint32_t nrs[] = { 1022, 1023, 1024, 2047, 2048, 65535, UINT32_MAX };
	struct ebt_record r;

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		for (int abi = 0; abi < 3; abi++) {
			r = (struct ebt_record){ .kind = EBT_REC_SYSCALL };
			r.sys.nr = nrs[i];
			r.sys.abi = ebt_str_c(abi == 0 ? "x86_64" : abi == 1 ? "i386" : "\xff");
			r.sys.name = ebt_str_c("bogus_syscall");
			hw_rec(h, &r);
		}
	}
	hw_task(h, 999, 7, 7, ebt_str_c("badkind"), (struct ebt_str){ 0 },
		(struct ebt_str){ 0 });
	hw_task(h, EBT_TASK_EXIT, 8, 9, ebt_str_c("exit-unknown"), (struct ebt_str){ 0 },
		(struct ebt_str){ 0 });
	hw_task(h, EBT_TASK_THREAD, UINT32_MAX, UINT32_MAX, ebt_str_c("max"),
		(struct ebt_str){ 0 }, (struct ebt_str){ 0 });
	hw_task(h, EBT_TASK_SNAPSHOT, 0, 0, ebt_str_c("zero"), (struct ebt_str){ 0 },
		(struct ebt_str){ 0 });
	r = (struct ebt_record){ .kind = EBT_REC_FD };
	r.fd = (struct ebt_fd){ .event = 999, .kind = 999, .pid = 7, .fd = 3 };
	hw_rec(h, &r);
	r.fd = (struct ebt_fd){ .event = EBT_FDE_CLOSE, .kind = EBT_FD_SOCKET, .pid = 55,
				.fd = 77 };
	hw_rec(h, &r);
}

/* Events whose syscall numbers, threads, fds, returns, cpus, flags and stack
 * ids have no metadata or lie outside every table. */
int gen_unknown(const char *out)
{
	static const uint32_t nrs[] = {
		1022, 1023, 1024, 1025, 2047, 2048, 4096, 65535, 0x7fffffff, UINT32_MAX,
	};
	static const int64_t rets[] = { INT64_MIN, INT64_MAX, -4095, -4096, -1, -4097, 0 };
	static const uint32_t pids[] = { 0, 7, 8, UINT32_MAX, 123456789 };
	struct ebt_event ev;
	uint64_t t = T0;
	struct hw h;

	if (hw_open(&h, out, 1024))
		return h.err;
	hw_std_meta(&h, T0);
	unknown_meta(&h);
	for (uint32_t k = 0; k < hostile_size(20000, 5000) && !h.err; k++) {
		uint32_t pid = pids[k % 5];

		ev = hev(t, 100 + k, rets[k % 7], k % 4 ? k : UINT64_MAX, pid,
			 k % 11 ? pid : UINT32_MAX - k, nrs[k % 10]);
		ev.cpu = k % 13 ? k % 4 : UINT32_MAX;
		ev.flags = k % 3 == 0 ? EBT_EV_COMPAT : k % 3 == 1 ? 0 : UINT32_MAX;
		ev.stack_id = k % 5 ? 0 : UINT32_MAX - k;
		hw_ev(&h, &ev);
		t += 1000;
	}
	return hw_close(&h);
}

/* Timestamps near UINT64_MAX (exit wrapping past 2^64), zero time, huge
 * durations, time going backwards between chunks, clock anchors that are
 * extreme, backwards and too many. */
int gen_time(const char *out)
{
	static const uint64_t enter[] = {
		0, 0, 1, UINT64_MAX, UINT64_MAX - 1000, UINT64_MAX / 2, 1ull << 63,
		T0, T0, UINT64_MAX - 5,
	};
	static const uint64_t dur[] = {
		0, UINT64_MAX, 1, 0, 2000, UINT64_MAX / 2, 1ull << 63, UINT64_MAX - T0, 0,
		10,
	};
	struct ebt_record r = { .kind = EBT_REC_CLOCK };
	struct ebt_event ev;
	struct hw h;

	if (hw_open(&h, out, 512))
		return h.err;
	hw_std_meta(&h, T0);
	hw_task(&h, EBT_TASK_SNAPSHOT, 5, 5, ebt_str_c("timewarp"), ebt_str_c("/t"),
		ebt_str_c("t"));
	for (uint32_t i = 0; i < 70000 && !h.err; i++) {
		r.clock = (struct ebt_clock){
			.event_ns = i % 7 ? UINT64_MAX - i : i,
			.realtime_ns = i % 5 ? UINT64_MAX - 3 * (uint64_t)i : i,
			.uncertainty_ns = i % 2 ? UINT64_MAX : 0,
		};
		hw_rec(&h, &r);
	}
	for (uint32_t round = 0; round < hostile_size(40, 10) && !h.err; round++) {
		for (uint32_t i = 0; i < 1000; i++) {
			size_t k = (i + round) % 10;
			uint32_t nr = i % 4 ? NR_READ : NR_FUTEX;

			ev = hev(enter[k] - (round % 2 ? 0 : i), dur[k], (int64_t)i, 3, 5, 5, nr);
			ev.pid = i % 3 ? 5 : 6;
			ev.tid = ev.pid;
			hw_ev(&h, &ev);
		}
		hw_flush(&h);	/* each round its own chunk: time jumps back */
	}
	return hw_close(&h);
}

/* LOSS records whose counts sum past 2^64, with backwards windows, unknown
 * sources and more windows than the analyzer keeps. */
int gen_loss(const char *out)
{
	struct ebt_record r = { .kind = EBT_REC_LOSS };
	struct ebt_event ev;
	uint64_t t = T0;
	struct hw h;

	if (hw_open(&h, out, 4096))
		return h.err;
	hw_std_meta(&h, T0);
	hw_task(&h, EBT_TASK_SNAPSHOT, 9, 9, ebt_str_c("lossy"), ebt_str_c("/l"),
		ebt_str_c("l"));
	for (uint32_t i = 0; i < 6000 && !h.err; i++) {
		r.loss = (struct ebt_loss){
			.source = i % 7 == 6 ? 999 : 1 + i % 4,
			.cpu = i % 2 ? UINT32_MAX : i,
			.ts_start_ns = i % 3 ? T0 + i * 1000ull : UINT64_MAX - i,
			.ts_end_ns = i % 3 ? T0 + i * 500ull : 0,
			.count = i < 5 ? UINT64_MAX : UINT64_MAX / 3 + i,
		};
		hw_rec(&h, &r);
		ev = hev(t, 500, 10, 3, 9, 9, NR_READ);
		hw_ev(&h, &ev);
		t += 1000;
		if (i % 500 == 0)
			hw_flush(&h);
	}
	return hw_close(&h);
}

/* 200k threads, each with 4 durations 2^12 apart (2^8 to 2^44 ns): per-thread
 * and per-process histograms, if each one allocates a page per power of two,
 * need GiBs. */
int gen_histbomb(const char *out)
{
	struct ebt_event ev;
	uint64_t t = T0;
	struct hw h;
	uint32_t n = hostile_size(200000, 70000);	/* small: > ANA_MAX_THREADS */

	if (hw_open(&h, out, 65536))
		return h.err;
	hw_std_meta(&h, T0);
	for (uint32_t k = 0; k < 4 && !h.err; k++) {
		for (uint32_t i = 0; i < n && !h.err; i++) {
			uint32_t id = 10000 + i;

			ev = hev(t, (1ull << (8 + 12 * k)) + i, 1, 3, id, id, NR_READ);
			hw_ev(&h, &ev);
			t += 10;
		}
	}
	return hw_close(&h);
}

/* 4000 processes whose comm, exe, cmdline and an fd path are each
 * EBT_MAX_STRING bytes (distinct): about 1 GiB of strings in a small file. */
int gen_longnames(const char *out)
{
	char *s[4];
	struct ebt_event ev;
	uint64_t t = T0;
	struct hw h;
	int err = 0;

	for (int k = 0; k < 4; k++) {
		s[k] = malloc(EBT_MAX_STRING);
		if (!s[k])
			err = -ENOMEM;
		else
			memset(s[k], 'a' + k, EBT_MAX_STRING);
	}
	if (!err)
		err = hw_open(&h, out, 65536);
	if (!err)
		hw_std_meta(&h, T0);
	uint32_t n = hostile_size(4000, 300);

	for (uint32_t i = 0; i < n && !err && !h.err; i++) {
		for (int k = 0; k < 4; k++)
			snprintf(s[k], 16, "%c%u", 'A' + k, i);
		for (int k = 0; k < 4; k++)
			s[k][strlen(s[k])] = 'a' + k;
		hw_task(&h, EBT_TASK_SNAPSHOT, 10 + i, 10 + i,
			(struct ebt_str){ s[0], EBT_MAX_STRING },
			(struct ebt_str){ s[1], EBT_MAX_STRING },
			(struct ebt_str){ s[2], EBT_MAX_STRING });
		hw_fd(&h, EBT_FD_FILE, 10 + i, 3, (struct ebt_str){ s[3], EBT_MAX_STRING },
		      (struct ebt_str){ 0 });
		ev = hev(t, 1000, 1, 3, 10 + i, 10 + i, NR_READ);
		hw_ev(&h, &ev);
		t += 2000;
		if (i % 200 == 199)
			hw_flush(&h);
	}
	if (!err)
		err = hw_close(&h);
	for (int k = 0; k < 4; k++)
		free(s[k]);
	return err;
}

/* 2M FILE_INFO records with distinct keys and 1M SYSCALL records (distinct
 * numbers below 1024 repeat): metadata the analyzer might keep unbounded. */
int gen_metabomb(const char *out)
{
	struct ebt_record r;
	char key[32];
	struct ebt_event ev;
	struct hw h;

	if (hw_open(&h, out, 65536))
		return h.err;
	hw_std_meta(&h, T0);
	/* small: still far past ANA_MAX_SYS distinct syscall names */
	uint32_t nkv = hostile_size(2000000, 200000), nsys = hostile_size(1000000, 100000);

	for (uint32_t i = 0; i < nkv && !h.err; i++) {
		r = (struct ebt_record){ .kind = EBT_REC_FILE_INFO };
		snprintf(key, sizeof(key), "k%u", i);
		r.kv.key = ebt_str_c(key);
		r.kv.value = ebt_str_c(i % 2 ? "v" : "hostname");
		hw_rec(&h, &r);
	}
	for (uint32_t i = 0; i < nsys && !h.err; i++) {
		r = (struct ebt_record){ .kind = EBT_REC_SYSCALL };
		snprintf(key, sizeof(key), "sys%u", i);
		r.sys.nr = i % 1100;
		r.sys.abi = ebt_str_c(i % 2 ? "x86_64" : "i386");
		r.sys.name = ebt_str_c(key);
		hw_rec(&h, &r);
	}
	for (uint32_t i = 0; i < 5000 && !h.err; i++) {
		ev = hev(T0 + 1000ull * i, 100, 1, 3, 1, 1, i % 1100);
		hw_ev(&h, &ev);
	}
	return hw_close(&h);
}

/* 1M CLOCK records in descending event time (each sorts to the front of
 * the anchors seen so far), then a few events. */
int gen_clockbomb(const char *out)
{
	struct ebt_record r = { .kind = EBT_REC_CLOCK };
	struct ebt_event ev;
	struct hw h;

	if (hw_open(&h, out, 65536))
		return h.err;
	hw_std_meta(&h, T0);
	uint32_t n = hostile_size(1000000, 100000);	/* small: > ANA_MAX_ANCHORS */

	for (uint32_t i = 0; i < n && !h.err; i++) {
		uint64_t t = T0 + 2000000000ull - 1000ull * i;

		r.clock = (struct ebt_clock){ .event_ns = t, .monotonic_ns = t, .boottime_ns = t,
					      .realtime_ns = 1795000000000000000ull + t,
					      .uncertainty_ns = 10 };
		hw_rec(&h, &r);
	}
	for (uint32_t i = 0; i < 1000 && !h.err; i++) {
		ev = hev(T0 + 1000ull * i, 100, 1, 3, 1, 1, NR_READ);
		hw_ev(&h, &ev);
	}
	return hw_close(&h);
}
