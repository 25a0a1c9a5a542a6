// SPDX-License-Identifier: MIT
/* Whole files: numbers kept, names gone (checked on decompressed bytes),
 * output safety (no overwrite, no symlink followed, no half file). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/redact/red_test.h"

#ifndef SAMPLE_TRACE
#error "SAMPLE_TRACE must name samples/serving.ebt (tests/unit/redact/module.mk)"
#endif

static char *dir, *in, *out;

static void setup(void)
{
	dir = red_mkdtemp();
	in = red_path(dir, "in.ebt");
	out = red_path(dir, "out.ebt");
	red_write_trace(in, 3);
}

static void teardown(void)
{
	free(in);
	free(out);
	red_rmdir(dir);
}

TestSuite(redact_file, .init = setup, .fini = teardown, .timeout = 60);

static bool is_token(const struct ebt_str *s)
{
	static const char *const pre[] = { "path:", "comm:", "host:", "id:", "arg:", "cmd:",
					   "peer-", "local-", "[peer-", "[local-", "/peer-",
					   "@peer-", "/local-", "@local-", NULL };

	for (int i = 0; pre[i]; i++) {
		if (s->len > strlen(pre[i]) && !memcmp(s->p, pre[i], strlen(pre[i])))
			return true;
	}
	return false;
}

static void no_secret(const struct ebt_record *a, const struct ebt_record *b, void *arg)
{
	const struct ebt_str *sa[3], *sb[3];
	size_t n = red_record_strs(a, sa, 3);
	int *changed = arg;

	cr_assert_eq(red_record_strs(b, sb, 3), n);
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; red_secret_names[k]; k++)
			cr_assert_null(memmem(sb[i]->p, sb[i]->len, red_secret_names[k],
					      strlen(red_secret_names[k])),
				       "'%s' survived in '%.*s'", red_secret_names[k],
				       (int)sb[i]->len, sb[i]->p);
		if (sa[i]->len != sb[i]->len || memcmp(sa[i]->p, sb[i]->p, sa[i]->len)) {
			(*changed)++;
			cr_assert(is_token(sb[i]) || memchr(sb[i]->p, ':', sb[i]->len),
				  "'%.*s' is no token", (int)sb[i]->len, sb[i]->p);
		}
	}
}

Test(redact_file, events_bit_for_bit_names_gone)
{
	int changed = 0;

	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, false), 0);
	cr_assert_eq(red_compare(in, out, no_secret, &changed), 3000);
	cr_assert_geq(changed, 15, "only %d strings changed", changed);
}

Test(redact_file, decompressed_bytes_hold_no_name)
{
	size_t n_in, n_out;
	uint8_t *a, *b;

	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, false), 0);
	a = red_payloads(in, &n_in);
	b = red_payloads(out, &n_out);
	for (int k = 0; red_secret_names[k]; k++) {
		const char *s = red_secret_names[k];

		cr_assert(red_contains(a, n_in, s, strlen(s)), "the input lacks '%s'", s);
		cr_assert(!red_contains(b, n_out, s, strlen(s)), "'%s' is in the output", s);
	}
	cr_assert(red_contains(b, n_out, "redacted", 8));
	cr_assert(red_contains(b, n_out, "paths,cmdline,hosts,peers,comm,exe", 34));
	cr_assert(red_contains(b, n_out, "handle_request", 14), "symbol names are kept");
	free(a);
	free(b);
}

Test(redact_file, one_category_leaves_the_others)
{
	size_t n;
	uint8_t *b;

	cr_assert_eq(red_redact(in, out, ANA_RED_PATHS, false), 0);
	b = red_payloads(out, &n);
	cr_assert(!red_contains(b, n, "/var/lib/secret/data.db", 23));
	cr_assert(!red_contains(b, n, "/usr/lib/libsecret.so", 21));
	cr_assert(red_contains(b, n, "secretcomm", 10));
	cr_assert(red_contains(b, n, "192.168.77.5", 12));
	cr_assert(red_contains(b, n, red_hostname, strlen(red_hostname)));
	free(b);
	red_compare(in, out, NULL, NULL);
}

Test(redact_file, header_facts_kept_and_output_deterministic)
{
	struct ebt_reader *ra, *rb;
	char *out2 = red_path(dir, "out2.ebt"), cmd[512];

	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, false), 0);
	cr_assert_eq(red_redact(in, out2, ANA_RED_ALL, false), 0);
	cr_assert_eq(ebt_reader_open(in, NULL, &ra), 0);
	cr_assert_eq(ebt_reader_open(out, NULL, &rb), 0);
	cr_assert_eq(memcmp(ebt_reader_info(ra)->uuid, ebt_reader_info(rb)->uuid, 16), 0);
	cr_assert_eq(ebt_reader_info(ra)->created_realtime_ns,
		     ebt_reader_info(rb)->created_realtime_ns);
	ebt_reader_close(ra);
	ebt_reader_close(rb);
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", out, out2);
	cr_assert_eq(system(cmd), 0, "same input and key, same bytes");
	free(out2);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static size_t files_in(const char *d)
{
	char cmd[512];
	FILE *p;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", d);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_eq(fscanf(p, "%zu", &n), 1);
	pclose(p);
	return n;
}

Test(redact_file, never_overwrites_without_force)
{
	char buf[16] = "";
	FILE *f;

	put_file(out, "precious");
	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, false), -EEXIST);
	f = fopen(out, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	cr_assert_str_eq(buf, "precious");
	cr_assert_eq(files_in(dir), 2, "no temporary file left");
	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, true), 0);
	red_compare(in, out, NULL, NULL);
}

Test(redact_file, symlink_output_replaced_never_followed)
{
	char *victim = red_path(dir, "victim");
	char buf[16] = "";
	struct stat st;
	FILE *f;

	put_file(victim, "victim");
	cr_assert_eq(symlink(victim, out), 0);
	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, false), -EEXIST);
	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, true), 0);
	cr_assert_eq(lstat(out, &st), 0);
	cr_assert(S_ISREG(st.st_mode), "the link itself was replaced");
	f = fopen(victim, "r");
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	cr_assert_str_eq(buf, "victim");
	free(victim);
}

Test(redact_file, in_place_with_force)
{
	char *copy = red_path(dir, "copy.ebt"), cmd[512];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", in, copy);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(red_redact(copy, copy, ANA_RED_ALL, true), 0);
	red_compare(in, copy, NULL, NULL);
	free(copy);
}

Test(redact_file, missing_or_bad_input_leaves_nothing)
{
	char *bad = red_path(dir, "bad.ebt"), *nope = red_path(dir, "nope.ebt");

	cr_assert_eq(red_redact(nope, out, ANA_RED_ALL, false), -ENOENT);
	put_file(bad, "not a trace at all, not at all, really not a trace file");
	cr_assert_eq(red_redact(bad, out, ANA_RED_ALL, false), -EBADMSG);
	cr_assert_eq(access(out, F_OK), -1);
	cr_assert_eq(files_in(dir), 2, "only in.ebt and bad.ebt");
	free(bad);
	free(nope);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

Test(redact_file, damaged_input_becomes_damage_loss)
{
	struct ebt_reader *r;
	struct ebt_chunk c;
	uint64_t damage = 0, events = 0;
	uint8_t buf[56];
	size_t off = 64;
	int fd = open(in, O_RDWR), evchunks = 0;

	cr_assert_geq(fd, 0);
	/* spoil the payload of the second EVENTS chunk */
	while (pread(fd, buf, 56, (off_t)off) == 56) {
		if ((buf[4] | buf[5] << 8) == EBT_CHUNK_EVENTS && ++evchunks == 2) {
			cr_assert_eq(pwrite(fd, "\xff\xff\xff\xff", 4, (off_t)off + 60), 4);
			break;
		}
		off += 56 + ((le32(buf + 8) + 7u) & ~7u);
	}
	close(fd);
	cr_assert_eq(evchunks, 2);
	cr_assert_eq(red_redact(in, out, ANA_RED_ALL, false), 0);
	cr_assert_eq(ebt_reader_open(out, NULL, &r), 0);
	while (ebt_reader_next(r, &c) == 1) {
		events += c.n_events;
		for (size_t i = 0; i < c.n_records; i++) {
			if (c.records[i].kind == EBT_REC_LOSS &&
			    c.records[i].loss.source == EBT_LOSS_DAMAGE)
				damage += c.records[i].loss.count;
		}
	}
	ebt_reader_close(r);
	cr_assert_eq(events, 2000);
	cr_assert_eq(damage, 1000);
}

Test(redact_file, sample_trace_same_events_no_names)
{
	static const char *const names[] = { "serving", "127.0.0.", NULL };
	const char *sample = SAMPLE_TRACE;
	size_t n_in, n_out;
	uint8_t *a, *b;
	int changed = 0;

	cr_assert_eq(red_redact(sample, out, ANA_RED_ALL, false), 0);
	cr_assert_gt(red_compare(sample, out, NULL, &changed), 10000);
	a = red_payloads(sample, &n_in);
	b = red_payloads(out, &n_out);
	for (int k = 0; names[k]; k++) {
		cr_assert(red_contains(a, n_in, names[k], strlen(names[k])), "%s", names[k]);
		cr_assert(!red_contains(b, n_out, names[k], strlen(names[k])), "%s", names[k]);
	}
	free(a);
	free(b);
}

static int run_main(const char *a1, const char *a2, const char *a3, const char *a4,
		    const char *a5)
{
	char *argv[] = { "redact", "-q", (char *)a1, (char *)a2, (char *)a3, (char *)a4,
			 (char *)a5, NULL };
	int argc = 2;

	while (argv[argc])
		argc++;
	return ana_redact_main(argc, argv);
}

Test(redact_file, saved_key_gives_the_same_tokens)
{
	char *key = red_path(dir, "k"), *out2 = red_path(dir, "out2.ebt");
	char *out3 = red_path(dir, "out3.ebt"), cmd[768];
	struct stat st;

	cr_assert_eq(run_main("--save-key", key, in, out, NULL), 0);
	cr_assert_eq(stat(key, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(run_main("--key-file", key, in, out2, NULL), 0);
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", out, out2);
	cr_assert_eq(system(cmd), 0, "same key from the file, same output");
	cr_assert_eq(run_main(in, out3, NULL, NULL, NULL), 0);
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", out, out3);
	cr_assert_neq(system(cmd), 0, "a new random key, other tokens");
	cr_assert_eq(run_main("--save-key", key, in, out3, NULL), 1, "key file exists");
	cr_assert_eq(run_main("--bogus", in, out3, NULL, NULL), 2);
	cr_assert_eq(run_main("--key", "abcd", in, out3, NULL), 2, "short key: usage error");
	free(key);
	free(out2);
	free(out3);
}

Test(redact_file, truncated_inputs_give_data_or_an_error)
{
	char *cut = red_path(dir, "cut.ebt"), *dst = red_path(dir, "dst.ebt"), cmd[768];
	struct stat st;
	int ok = 0;

	cr_assert_eq(stat(in, &st), 0);
	for (off_t at = 0; at < st.st_size; at += st.st_size / 37 + 1) {
		snprintf(cmd, sizeof(cmd), "head -c %lld '%s' >'%s'", (long long)at, in, cut);
		cr_assert_eq(system(cmd), 0);
		int err = red_redact(cut, dst, ANA_RED_ALL, true);

		if (!err) {
			struct ebt_reader *r;

			ok++;
			cr_assert_eq(ebt_reader_open(dst, NULL, &r), 0, "output of a cut at %lld",
				     (long long)at);
			ebt_reader_close(r);
		} else {
			cr_assert(err == -EBADMSG || err == -ENOTSUP, "cut at %lld: %d",
				  (long long)at, err);
		}
	}
	cr_assert_gt(ok, 30, "most cuts keep a readable head");
	free(cut);
	free(dst);
}
