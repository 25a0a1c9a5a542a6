// SPDX-License-Identifier: MIT
#include "tests/unit/format/fmt_test.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *fmt_mkdtemp(void)
{
	char *d = strdup("/tmp/ebt-test-XXXXXX");

	cr_assert_not_null(d);
	cr_assert_not_null(mkdtemp(d));
	return d;
}

void fmt_rmdir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(fmt_path(dir, e->d_name));
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

const char *fmt_path(const char *dir, const char *name)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

uint64_t fmt_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void fmt_gen_events(struct ebt_event *ev, size_t n, uint64_t seed)
{
	uint64_t s = seed, exit = 1000000000ull;

	for (size_t i = 0; i < n; i++) {
		uint64_t r = fmt_rand(&s);
		uint32_t th = (uint32_t)(r % 37);

		exit += 1 + (r >> 40) % 5000;
		ev[i].duration_ns = (r >> 8) % 200000;
		ev[i].enter_ns = exit - ev[i].duration_ns;
		ev[i].pid = 1000 + th / 8;
		ev[i].tid = 1000 + th;
		ev[i].nr = (uint32_t)((r >> 20) % 12);
		ev[i].arg0 = (r >> 32) % 9;
		ev[i].ret = (r & 1) ? -11 : (int64_t)((r >> 12) % 4096);
		ev[i].cpu = th % 4;
		ev[i].stack_id = (r >> 50) % 3;
		ev[i].flags = 0;
	}
}

bool fmt_event_eq(const struct ebt_event *a, const struct ebt_event *b)
{
	return a->enter_ns == b->enter_ns && a->duration_ns == b->duration_ns &&
	       a->ret == b->ret && a->arg0 == b->arg0 && a->pid == b->pid &&
	       a->tid == b->tid && a->nr == b->nr && a->cpu == b->cpu &&
	       a->stack_id == b->stack_id && a->flags == b->flags;
}

static void add_events(struct fmt_read *r, const struct ebt_chunk *c)
{
	size_t cap = r->n_events + c->n_events;

	r->events = realloc(r->events, (cap ? cap : 1) * sizeof(*r->events));
	cr_assert_not_null(r->events);
	if (r->n_ev_chunks < 256) {
		r->chunk_seq[r->n_ev_chunks] = c->seq;
		r->chunk_first[r->n_ev_chunks] = r->n_events;
	}
	r->n_ev_chunks++;
	memcpy(r->events + r->n_events, c->events, c->n_events * sizeof(*c->events));
	r->n_events += c->n_events;
}

void fmt_read_file(const char *path, struct fmt_read *out)
{
	struct ebt_reader *rd = NULL;
	struct ebt_chunk c;
	int n = 0;

	memset(out, 0, sizeof(*out));
	out->open_err = ebt_reader_open(path, NULL, &rd);
	if (out->open_err) {
		cr_assert_null(rd);
		cr_assert(ebt_reader_errmsg(NULL)[0], "open failed without a message");
		return;
	}
	while ((n = ebt_reader_next(rd, &c)) == 1) {
		if (ebt_reader_warning(rd))
			out->warnings++;
		out->n_chunks++;
		out->n_records += c.n_records;
		for (size_t i = 0; i < c.n_records; i++) {
			const struct ebt_kv *kv = &c.records[i].kv;
			size_t used = strlen(out->kv);

			if (c.records[i].kind == EBT_REC_FILE_INFO)
				snprintf(out->kv + used, sizeof(out->kv) - used, "%s=%s;",
					 kv->key.p, kv->value.p);
		}
		if (c.type == EBT_CHUNK_EVENTS)
			add_events(out, &c);
	}
	if (ebt_reader_warning(rd))
		out->warnings++;
	out->end = n;
	out->info = *ebt_reader_info(rd);
	ebt_reader_close(rd);
}

void fmt_read_free(struct fmt_read *r)
{
	free(r->events);
	r->events = NULL;
}

uint8_t *fmt_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;

	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc(n > 0 ? (size_t)n : 1);
	cr_assert_not_null(p);
	cr_assert_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

void fmt_spit(const char *path, const uint8_t *p, size_t len)
{
	FILE *f;

	/* a new inode: rewriting a truncated file makes ext4 flush it on close */
	unlink(path);
	f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(p, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

void fmt_write_events(const char *path, const struct ebt_event *ev, size_t n,
		      const struct ebt_writer_opts *o)
{
	struct ebt_writer_stats st;
	struct ebt_writer *w = NULL;

	cr_assert_eq(ebt_writer_open(path, o, &w), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(ebt_writer_append(w, &ev[i]), 0, "append %zu", i);
	cr_assert_eq(ebt_writer_close(w, &st), 0);
	cr_assert_eq(st.events, n);
	cr_assert_eq(st.dropped, 0);
}
