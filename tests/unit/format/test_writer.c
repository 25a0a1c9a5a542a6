// SPDX-License-Identifier: MIT
/* Writer behaviour: pool exhaustion, flushing, file creation, follow mode. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

TestSuite(format_writer, .init = setup, .fini = teardown, .timeout = 30);

struct drain {
	int in, out;
};

static void *drain_pipe(void *arg)
{
	struct drain *d = arg;
	char buf[65536];
	ssize_t n;

	while ((n = read(d->in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(d->out, buf, (size_t)n), n);
	return NULL;
}

Test(format_writer, pool_exhaustion_is_counted_and_written_as_loss)
{
	struct ebt_writer_opts o = { .chunk_events = 1024, .pool_chunks = 2 };
	size_t n = 200000, dropped = 0, kept = 0;
	struct ebt_event *ev = malloc(n * sizeof(*ev));
	struct ebt_writer_stats st;
	struct ebt_writer *w = NULL;
	struct drain d;
	pthread_t t;
	struct fmt_read r;
	int p[2];

	cr_assert_not_null(ev);
	fmt_gen_events(ev, n, 11);
	cr_assert_eq(pipe(p), 0);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	/* nobody reads the pipe yet: the worker blocks in write() */
	cr_assert_eq(ebt_writer_open_fd(p[1], &o, &w), 0);
	for (size_t i = 0; i < n; i++) {
		int err = ebt_writer_append(w, &ev[i]);

		cr_assert(err == 0 || err == -ENOBUFS, "append: %d", err);
		if (err)
			dropped++;
		else
			kept++;
	}
	cr_assert_gt(dropped, 0, "a blocked worker must make the pool run dry");
	ebt_writer_get_stats(w, &st);
	cr_assert_eq(st.dropped, dropped);
	d.in = p[0];
	d.out = open(fmt_path(dir, "pipe.ebt"), O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(d.out, 0);
	cr_assert_eq(pthread_create(&t, NULL, drain_pipe, &d), 0);
	cr_assert_eq(ebt_writer_close(w, &st), 0);
	pthread_join(t, NULL);
	close(p[0]);
	close(d.out);
	cr_assert_eq(st.events, kept);
	cr_assert_eq(st.dropped, dropped);

	fmt_read_file(fmt_path(dir, "pipe.ebt"), &r);
	cr_assert_eq(r.end, 0);
	cr_assert_eq(r.n_events, kept);
	cr_assert_eq(r.info.lost_events, dropped, "LOSS records must hold every drop");
	cr_assert(r.info.footer_seen);
	fmt_read_free(&r);
	free(ev);
}

Test(format_writer, flush_hands_off_chunks_older_than_flush_ms)
{
	struct ebt_writer_opts o = { .inline_io = true, .flush_ms = 100 };
	struct ebt_writer_stats st;
	struct ebt_writer *w = NULL;
	struct ebt_event ev[10];
	struct fmt_read r;

	fmt_gen_events(ev, 10, 2);
	cr_assert_eq(ebt_writer_open(fmt_path(dir, "f.ebt"), &o, &w), 0);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(ebt_writer_append(w, &ev[i]), 0);
	cr_assert_eq(ebt_writer_flush(w, 5000000000ull, false), 0);
	cr_assert_eq(ebt_writer_flush(w, 5050000000ull, false), 0);
	ebt_writer_get_stats(w, &st);
	cr_assert_eq(st.chunks, 0, "a 50 ms old chunk stays open");
	cr_assert_eq(ebt_writer_flush(w, 5100000000ull, false), 0);
	ebt_writer_get_stats(w, &st);
	cr_assert_eq(st.chunks, 1);
	cr_assert_eq(st.events, 10);

	/* readable while the writer is still open, and not torn */
	fmt_read_file(fmt_path(dir, "f.ebt"), &r);
	cr_assert_eq(r.n_events, 10);
	cr_assert(!r.info.truncated && !r.info.footer_seen);
	fmt_read_free(&r);
	cr_assert_eq(ebt_writer_flush(w, 0, true), 0, "force with nothing open");
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
}

static void spit_text(const char *path, const char *s)
{
	fmt_spit(path, (const uint8_t *)s, strlen(s));
}

static void expect_content(const char *path, const char *s)
{
	size_t len;
	uint8_t *p = fmt_slurp(path, &len);

	cr_assert_eq(len, strlen(s));
	cr_assert(!memcmp(p, s, len));
	free(p);
}

Test(format_writer, creates_exclusively_and_never_follows_symlinks)
{
	struct ebt_writer_opts over = { .inline_io = true, .overwrite = true };
	struct ebt_writer_opts o = { .inline_io = true };
	char target[512], link[512], dangling[512];
	struct ebt_writer *w = NULL;
	struct stat st;

	snprintf(target, sizeof(target), "%s", fmt_path(dir, "target"));
	snprintf(link, sizeof(link), "%s", fmt_path(dir, "link.ebt"));
	snprintf(dangling, sizeof(dangling), "%s", fmt_path(dir, "dangling.ebt"));
	spit_text(target, "precious");
	cr_assert_eq(symlink(target, link), 0);
	cr_assert_eq(symlink(fmt_path(dir, "nowhere"), dangling), 0);

	cr_assert_eq(ebt_writer_open(target, &o, &w), -EEXIST);
	cr_assert_eq(ebt_writer_open(link, &o, &w), -EEXIST);
	cr_assert_eq(ebt_writer_open(dangling, &o, &w), -EEXIST);
	cr_assert_eq(access(fmt_path(dir, "nowhere"), F_OK), -1);
	expect_content(target, "precious");

	cr_assert_eq(ebt_writer_open(link, &over, &w), 0);
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
	expect_content(target, "precious");
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISREG(st.st_mode), "the symlink was replaced, not followed");
	cr_assert_eq(st.st_mode & 0777, 0600);

	cr_assert_eq(ebt_writer_open(fmt_path(dir, "m.ebt"),
				     &(struct ebt_writer_opts){ .inline_io = true,
								.mode = 0640 }, &w), 0);
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
	cr_assert_eq(stat(fmt_path(dir, "m.ebt"), &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640 & ~(mode_t)umask(022) & 0777);
}

Test(format_writer, rejects_bad_options)
{
	struct ebt_writer *w = NULL;

	cr_assert_eq(ebt_writer_open(fmt_path(dir, "a.ebt"),
				     &(struct ebt_writer_opts){ .level = 99 }, &w), -EINVAL);
	cr_assert_eq(ebt_writer_open(fmt_path(dir, "b.ebt"),
				     &(struct ebt_writer_opts){ .pool_chunks = 1 }, &w), -EINVAL);
	cr_assert_eq(ebt_writer_open(fmt_path(dir, "c.ebt"),
				     &(struct ebt_writer_opts){ .chunk_events = EBT_MAX_CHUNK_EVENTS + 1 },
				     &w), -EINVAL);
	cr_assert_eq(access(fmt_path(dir, "a.ebt"), F_OK), -1, "no file left behind");
	cr_assert_eq(ebt_writer_close(NULL, NULL), 0);
}

struct producer {
	const char *path;
	struct ebt_event *ev;
	size_t n;
	volatile int opened;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	struct ebt_writer_opts o = { .chunk_events = 500 };
	struct timespec ms = { 0, 1000000 };
	struct ebt_writer *w = NULL;

	cr_assert_eq(ebt_writer_open(p->path, &o, &w), 0);
	__atomic_store_n(&p->opened, 1, __ATOMIC_RELEASE);
	for (size_t i = 0; i < p->n; i++) {
		cr_assert_eq(ebt_writer_append(w, &p->ev[i]), 0);
		if (i % 300 == 0) {
			ebt_writer_flush(w, 0, true);
			nanosleep(&ms, NULL);
		}
	}
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
	return NULL;
}

Test(format_writer, follow_mode_sees_chunks_of_a_concurrent_writer)
{
	struct producer p = { .n = 30000 };
	struct ebt_reader_opts ro = { .follow = true };
	struct timespec ms = { 0, 500000 };
	struct ebt_reader *r = NULL;
	struct ebt_chunk c;
	size_t got = 0, again = 0;
	pthread_t t;
	int n;

	p.path = strdup(fmt_path(dir, "live.ebt"));
	p.ev = malloc(p.n * sizeof(*p.ev));
	fmt_gen_events(p.ev, p.n, 4);
	cr_assert_eq(pthread_create(&t, NULL, produce, &p), 0);
	while (!__atomic_load_n(&p.opened, __ATOMIC_ACQUIRE))
		nanosleep(&ms, NULL);
	cr_assert_eq(ebt_reader_open(p.path, &ro, &r), 0);
	while ((n = ebt_reader_next(r, &c)) != 0) {
		if (n == -EAGAIN) {
			again++;
			nanosleep(&ms, NULL);
			continue;
		}
		cr_assert_eq(n, 1, "next: %d (%s)", n, ebt_reader_errmsg(r));
		cr_assert_null(ebt_reader_warning(r), "%s", ebt_reader_warning(r));
		for (size_t i = 0; i < c.n_events; i++, got++)
			cr_assert(fmt_event_eq(&c.events[i], &p.ev[got]), "event %zu", got);
	}
	pthread_join(t, NULL);
	cr_assert_eq(got, p.n);
	cr_assert(ebt_reader_info(r)->footer_seen);
	cr_assert_gt(again, 0, "the reader did run ahead of the writer");
	ebt_reader_close(r);
	free(p.ev);
	free((void *)p.path);
}

Test(format_writer, records_alone_are_flushed_when_old)
{
	struct ebt_writer_opts o = { .inline_io = true, .flush_ms = 10 };
	struct ebt_record kv = { .kind = EBT_REC_FILE_INFO };
	struct ebt_writer_stats st;
	struct ebt_writer *w = NULL;

	kv.kv.key = ebt_str_c("arch");
	kv.kv.value = ebt_str_c("x86_64");
	cr_assert_eq(ebt_writer_open(fmt_path(dir, "meta.ebt"), &o, &w), 0);
	cr_assert_eq(ebt_writer_add_record(w, &kv), 0);
	cr_assert_eq(ebt_writer_flush(w, 1000, false), 0);
	ebt_writer_get_stats(w, &st);
	cr_assert_eq(st.records, 0);
	cr_assert_eq(ebt_writer_flush(w, 1000 + 10000000, false), 0);
	ebt_writer_get_stats(w, &st);
	cr_assert_eq(st.records, 1);
	cr_assert_eq(st.chunks, 1);
	cr_assert_eq(ebt_writer_close(w, &st), 0);
	cr_assert_eq(st.chunks, 2, "META and FOOTER");
}

/* A recorder killed with SIGKILL leaves exactly a prefix of its events. */
Test(format_writer, sigkill_leaves_a_readable_prefix)
{
	size_t n = 400000;
	struct ebt_event *ev = malloc(n * sizeof(*ev));
	const char *path = strdup(fmt_path(dir, "killed.ebt"));
	struct timespec ms = { 0, 2000000 };
	struct fmt_read r;
	struct stat st;
	pid_t pid;

	cr_assert_not_null(ev);
	fmt_gen_events(ev, n, 8);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct ebt_writer_opts o = { .chunk_events = 2000 };
		struct ebt_writer *w = NULL;

		if (ebt_writer_open(path, &o, &w))
			_exit(1);
		for (size_t i = 0;; i++) {
			if (i == n) {	/* all written: just wait */
				ebt_writer_close(w, NULL);
				w = NULL;
			}
			if (!w) {
				nanosleep(&ms, NULL);
				continue;
			}
			while (ebt_writer_append(w, &ev[i]) == -ENOBUFS)
				nanosleep(&ms, NULL);
			if (i % 5000 == 0)
				ebt_writer_flush(w, 0, true);
		}
	}
	for (int tries = 0; tries < 5000; tries++) {	/* 10 s at most */
		nanosleep(&ms, NULL);
		if (!stat(path, &st) && st.st_size >= 200000)
			break;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fmt_read_file(path, &r);
	cr_assert_eq(r.end, 0);
	cr_assert_eq(r.info.damaged_chunks, 0);
	cr_assert_gt(r.n_events, 0);
	cr_assert_leq(r.n_events, n);
	for (size_t i = 0; i < r.n_events; i++)
		cr_assert(fmt_event_eq(&r.events[i], &ev[i]), "event %zu is not the prefix", i);
	fmt_read_free(&r);
	free(ev);
	free((void *)path);
}
