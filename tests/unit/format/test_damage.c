// SPDX-License-Identifier: MIT
/* Truncation and bit-flip sweeps, garbage, unknown chunks, versions. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/ebt.h"
#include "format/ebt_internal.h"
#include "tests/unit/format/fmt_test.h"

#define SMALL_EVENTS 120
#define SMALL_CHUNK 40

static char *dir;
static struct ebt_event small_ev[SMALL_EVENTS];

struct chunk_pos {
	uint64_t off, end;
	uint16_t type;
	uint32_t count;
};

static struct chunk_pos pos[64];
static size_t n_pos;
static uint8_t *orig;
static size_t orig_len;

/* Three META and three EVENTS chunks plus the footer. */
static void write_small(const char *path)
{
	struct ebt_writer_opts o = { .inline_io = true, .chunk_events = SMALL_CHUNK };
	struct ebt_record kv = { .kind = EBT_REC_FILE_INFO };
	struct ebt_record loss = { .kind = EBT_REC_LOSS };
	struct ebt_writer *w = NULL;

	kv.kv.key = ebt_str_c("hostname");
	kv.kv.value = ebt_str_c("box");
	loss.loss = (struct ebt_loss){ EBT_LOSS_RINGBUF, 1, 5, 6, 7 };
	fmt_gen_events(small_ev, SMALL_EVENTS, 9);
	cr_assert_eq(ebt_writer_open(path, &o, &w), 0);
	for (size_t i = 0; i < SMALL_EVENTS; i++) {
		if (i % SMALL_CHUNK == 0)
			cr_assert_eq(ebt_writer_add_record(w, i ? &loss : &kv), 0);
		cr_assert_eq(ebt_writer_append(w, &small_ev[i]), 0);
	}
	cr_assert_eq(ebt_writer_close(w, NULL), 0);
}

static void index_chunks(void)
{
	uint64_t off = EBT_HEADER_LEN;

	n_pos = 0;
	while (off < orig_len) {
		struct ebt_chunk_hdr h;

		cr_assert(ebt_chunk_hdr_get(orig + off, &h));
		pos[n_pos] = (struct chunk_pos){ off,
			off + EBT_CHUNK_HDR_LEN + ebt_pad8(h.stored_len), h.type, h.count };
		off = pos[n_pos++].end;
	}
	cr_assert_eq(off, orig_len);
	cr_assert_eq(n_pos, 7);
	cr_assert_eq(pos[n_pos - 1].type, EBT_CHUNK_FOOTER);
}

static void setup(void)
{
	dir = fmt_mkdtemp();
	write_small(fmt_path(dir, "small.ebt"));
	orig = fmt_slurp(fmt_path(dir, "small.ebt"), &orig_len);
	index_chunks();
}

static void teardown(void)
{
	free(orig);
	fmt_rmdir(dir);
}

TestSuite(format_damage, .init = setup, .fini = teardown);

static size_t events_before(uint64_t cut)
{
	size_t n = 0;

	for (size_t i = 0; i < n_pos; i++) {
		if (pos[i].type == EBT_CHUNK_EVENTS && pos[i].end <= cut)
			n += pos[i].count;
	}
	return n;
}

static bool is_boundary(uint64_t cut)
{
	if (cut == EBT_HEADER_LEN)
		return true;
	for (size_t i = 0; i < n_pos; i++) {
		if (pos[i].end == cut)
			return true;
	}
	return false;
}

Test(format_damage, truncation_at_every_byte_keeps_complete_chunks)
{
	const char *path = strdup(fmt_path(dir, "cut.ebt"));

	for (size_t cut = 0; cut <= orig_len; cut++) {
		struct fmt_read r;
		size_t want = events_before(cut);

		fmt_spit(path, orig, cut);
		fmt_read_file(path, &r);
		if (cut < EBT_HEADER_LEN) {
			cr_assert_eq(r.open_err, -EBADMSG, "cut %zu", cut);
			continue;
		}
		cr_assert_eq(r.open_err, 0, "cut %zu", cut);
		cr_assert_eq(r.end, 0, "cut %zu", cut);
		cr_assert_eq(r.n_events, want, "cut %zu: %zu events, want %zu", cut,
			     r.n_events, want);
		for (size_t i = 0; i < want; i++)
			cr_assert(fmt_event_eq(&r.events[i], &small_ev[i]), "cut %zu", cut);
		cr_assert_eq(r.info.truncated, !is_boundary(cut), "cut %zu", cut);
		cr_assert_eq(r.info.footer_seen, cut == orig_len, "cut %zu", cut);
		cr_assert_eq(r.info.damaged_chunks, 0, "cut %zu", cut);
		if (r.info.truncated)
			cr_assert_gt(r.warnings, 0, "cut %zu: torn tail without warning", cut);
		fmt_read_free(&r);
	}
	free((void *)path);
}

/* Every delivered events chunk must equal the original chunk of its seq. */
static void expect_intact_chunks(const struct fmt_read *r, size_t at)
{
	for (size_t c = 0; c < r->n_ev_chunks; c++) {
		size_t first = (size_t)-1, k = 0;

		for (size_t i = 0; i < n_pos; i++) {
			if (pos[i].type == EBT_CHUNK_EVENTS) {
				if (i == r->chunk_seq[c])
					first = k;
				k += pos[i].count;
			}
		}
		cr_assert_neq(first, (size_t)-1, "flip %zu: unknown seq", at);
		for (size_t i = 0; i < SMALL_CHUNK; i++)
			cr_assert(fmt_event_eq(&r->events[r->chunk_first[c] + i],
					       &small_ev[first + i]), "flip at %zu", at);
	}
}

Test(format_damage, bit_flip_at_every_byte_is_contained)
{
	uint8_t *buf = malloc(orig_len);
	const char *path = strdup(fmt_path(dir, "flip.ebt"));

	cr_assert_not_null(buf);
	for (size_t at = 0; at < orig_len; at++) {
		struct fmt_read r;

		memcpy(buf, orig, orig_len);
		buf[at] ^= (uint8_t)(1u << (at % 8));
		fmt_spit(path, buf, orig_len);
		fmt_read_file(path, &r);
		if (at < EBT_HEADER_LEN) {
			cr_assert_eq(r.open_err, -EBADMSG, "flip %zu", at);
			continue;
		}
		cr_assert_eq(r.open_err, 0, "flip %zu", at);
		cr_assert_eq(r.end, 0, "flip %zu: %d", at, r.end);
		cr_assert_eq(r.n_events % SMALL_CHUNK, 0, "flip %zu", at);
		expect_intact_chunks(&r, at);
		cr_assert(r.info.lost_events == 0 || r.info.lost_events == 7 ||
			  r.info.lost_events == 14, "flip %zu: loss records altered", at);
		cr_assert(!r.kv[0] || !strcmp(r.kv, "hostname=box;"), "flip %zu: %s", at, r.kv);
		if (r.n_events < SMALL_EVENTS || !r.info.footer_seen)
			cr_assert(r.warnings > 0 && (r.info.damaged_chunks || r.info.truncated),
				  "flip %zu: data lost silently", at);
		fmt_read_free(&r);
	}
	free(buf);
	free((void *)path);
}

/* orig with len bytes of ins inserted at offset at (renumbering nothing). */
static void write_with(const char *name, uint64_t at, const uint8_t *ins, size_t len)
{
	uint8_t *buf = malloc(orig_len + len);

	cr_assert_not_null(buf);
	memcpy(buf, orig, at);
	memcpy(buf + at, ins, len);
	memcpy(buf + at + len, orig + at, orig_len - at);
	fmt_spit(fmt_path(dir, name), buf, orig_len + len);
	free(buf);
}

Test(format_damage, garbage_in_the_middle_is_skipped_with_resync)
{
	uint8_t junk[1003];
	uint64_t s = 5;
	struct fmt_read r;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)fmt_rand(&s);
	write_with("junk.ebt", pos[2].off, junk, sizeof(junk));
	fmt_read_file(fmt_path(dir, "junk.ebt"), &r);
	cr_assert_eq(r.end, 0);
	cr_assert_eq(r.n_events, SMALL_EVENTS);
	cr_assert_eq(r.info.skipped_bytes, sizeof(junk));
	cr_assert_eq(r.info.damaged_chunks, 1);
	cr_assert(r.info.footer_seen);
	cr_assert_gt(r.warnings, 0);
	fmt_read_free(&r);
}

Test(format_damage, zeros_after_the_end_are_a_torn_tail)
{
	uint8_t zeros[4096] = { 0 };
	uint8_t *buf = malloc(pos[3].end + sizeof(zeros));
	struct fmt_read r;

	memcpy(buf, orig, pos[3].end);
	memcpy(buf + pos[3].end, zeros, sizeof(zeros));
	fmt_spit(fmt_path(dir, "z.ebt"), buf, pos[3].end + sizeof(zeros));
	free(buf);
	fmt_read_file(fmt_path(dir, "z.ebt"), &r);
	cr_assert_eq(r.end, 0);
	cr_assert_eq(r.n_events, events_before(pos[3].end));
	cr_assert(r.info.truncated);
	cr_assert_gt(r.warnings, 0);
	fmt_read_free(&r);
}

/* seq 1000: out of the file's run, so no chunk reads as its copy. */
static void unknown_chunk(uint16_t type, uint8_t *out)
{
	struct ebt_chunk_hdr h = { .magic = EBT_CHUNK_MAGIC, .type = type,
				   .stored_len = 8, .raw_len = 8, .seq = 1000, .count = 1 };

	memcpy(out + EBT_CHUNK_HDR_LEN, "future!!", 8);
	h.payload_check = ebt_check32(out + EBT_CHUNK_HDR_LEN, 8);
	ebt_chunk_hdr_put(out, &h);
}

Test(format_damage, unknown_non_critical_chunk_is_skipped)
{
	uint8_t c[EBT_CHUNK_HDR_LEN + 8];
	struct fmt_read r;

	unknown_chunk(0x0042, c);
	write_with("unk.ebt", pos[2].off, c, sizeof(c));
	fmt_read_file(fmt_path(dir, "unk.ebt"), &r);
	cr_assert_eq(r.end, 0);
	cr_assert_eq(r.n_events, SMALL_EVENTS);
	cr_assert_eq(r.info.unknown_chunks, 1);
	cr_assert_eq(r.info.damaged_chunks, 0);
	fmt_read_free(&r);
}

Test(format_damage, unknown_critical_chunk_is_refused)
{
	uint8_t c[EBT_CHUNK_HDR_LEN + 8];
	struct ebt_reader *rd = NULL;
	struct ebt_chunk ch;
	size_t events = 0;
	int n;

	unknown_chunk(0x8042, c);
	write_with("crit.ebt", pos[2].off, c, sizeof(c));
	cr_assert_eq(ebt_reader_open(fmt_path(dir, "crit.ebt"), NULL, &rd), 0);
	while ((n = ebt_reader_next(rd, &ch)) == 1)
		events += ch.n_events;
	cr_assert_eq(n, -ENOTSUP);
	cr_assert_eq(events, events_before(pos[2].off));
	cr_assert(strstr(ebt_reader_errmsg(rd), "0x8042"), "%s", ebt_reader_errmsg(rd));
	cr_assert_eq(ebt_reader_next(rd, &ch), -ENOTSUP, "the refusal sticks");
	ebt_reader_close(rd);
}

static void patch_header(const char *name, uint16_t major, uint16_t minor, uint64_t incompat)
{
	uint8_t *buf = malloc(orig_len);

	memcpy(buf, orig, orig_len);
	ebt_put_le16(buf + 8, major);
	ebt_put_le16(buf + 10, minor);
	ebt_put_le64(buf + 16, incompat);
	ebt_put_le32(buf + 60, ebt_header_check(buf, EBT_HEADER_LEN));
	fmt_spit(fmt_path(dir, name), buf, orig_len);
	free(buf);
}

Test(format_damage, newer_major_is_refused_naming_both_versions)
{
	struct ebt_reader *rd = NULL;
	const char *m;

	patch_header("major.ebt", 2, 3, 0);
	cr_assert_eq(ebt_reader_open(fmt_path(dir, "major.ebt"), NULL, &rd), -ENOTSUP);
	cr_assert_null(rd);
	m = ebt_reader_errmsg(NULL);
	cr_assert(strstr(m, "2.3") && strstr(m, "1.0"), "%s", m);
}

Test(format_damage, newer_minor_is_read_and_unknown_incompat_refused)
{
	struct fmt_read r;

	patch_header("minor.ebt", 1, 9, 0);
	fmt_read_file(fmt_path(dir, "minor.ebt"), &r);
	cr_assert_eq(r.open_err, 0);
	cr_assert_eq(r.info.minor, 9);
	cr_assert_eq(r.n_events, SMALL_EVENTS);
	fmt_read_free(&r);
	patch_header("incompat.ebt", 1, 0, 1u << 5);
	fmt_read_file(fmt_path(dir, "incompat.ebt"), &r);
	cr_assert_eq(r.open_err, -ENOTSUP);
}

Test(format_damage, longer_header_from_a_newer_minor_is_skipped)
{
	size_t extra = 16;
	uint8_t *buf = calloc(1, orig_len + extra);
	struct fmt_read r;

	memcpy(buf, orig, EBT_HEADER_LEN);
	memset(buf + EBT_HEADER_LEN, 0xab, extra);
	memcpy(buf + EBT_HEADER_LEN + extra, orig + EBT_HEADER_LEN, orig_len - EBT_HEADER_LEN);
	ebt_put_le32(buf + 12, EBT_HEADER_LEN + (uint32_t)extra);
	ebt_put_le32(buf + 60, ebt_header_check(buf, EBT_HEADER_LEN + extra));
	fmt_spit(fmt_path(dir, "long.ebt"), buf, orig_len + extra);
	free(buf);
	fmt_read_file(fmt_path(dir, "long.ebt"), &r);
	cr_assert_eq(r.open_err, 0);
	cr_assert_eq(r.n_events, SMALL_EVENTS);
	cr_assert(r.info.footer_seen);
	fmt_read_free(&r);
}

Test(format_damage, non_ebt_and_empty_files_are_clear_errors)
{
	struct fmt_read r;
	uint8_t crlf[80];

	fmt_spit(fmt_path(dir, "empty.ebt"), (const uint8_t *)"", 0);
	fmt_read_file(fmt_path(dir, "empty.ebt"), &r);
	cr_assert_eq(r.open_err, -EBADMSG);
	cr_assert(strstr(ebt_reader_errmsg(NULL), "empty"), "%s", ebt_reader_errmsg(NULL));
	fmt_spit(fmt_path(dir, "text.ebt"), (const uint8_t *)"hello, world\n", 13);
	fmt_read_file(fmt_path(dir, "text.ebt"), &r);
	cr_assert_eq(r.open_err, -EBADMSG);
	cr_assert(strstr(ebt_reader_errmsg(NULL), "not an .ebt"), "%s",
		  ebt_reader_errmsg(NULL));
	memcpy(crlf, orig, sizeof(crlf));
	memcpy(crlf + 4, "\r\r\n\x1a", 4);
	fmt_spit(fmt_path(dir, "crlf.ebt"), crlf, sizeof(crlf));
	fmt_read_file(fmt_path(dir, "crlf.ebt"), &r);
	cr_assert_eq(r.open_err, -EBADMSG);
	cr_assert(strstr(ebt_reader_errmsg(NULL), "text-mode"), "%s",
		  ebt_reader_errmsg(NULL));
	fmt_read_file(dir, &r);
	cr_assert_eq(r.open_err, -EBADMSG, "a directory is not a trace");
}

Test(format_damage, chunk_over_the_reader_cap_is_damage)
{
	struct ebt_reader_opts o = { .max_chunk_bytes = 64 };
	struct ebt_reader *rd = NULL;
	struct ebt_chunk c;
	int n;

	cr_assert_eq(ebt_reader_open(fmt_path(dir, "small.ebt"), &o, &rd), 0);
	while ((n = ebt_reader_next(rd, &c)) == 1)
		cr_assert_leq(c.n_events, 0, "no chunk over 64 bytes may be decoded");
	cr_assert_eq(n, 0);
	cr_assert_gt(ebt_reader_info(rd)->damaged_chunks, 0);
	ebt_reader_close(rd);
}

Test(format_damage, a_missing_chunk_is_reported_as_a_sequence_jump)
{
	uint8_t *buf = malloc(orig_len);
	size_t cut = pos[2].end - pos[2].off;	/* drop META chunk 2 */
	struct ebt_reader *rd = NULL;
	struct ebt_chunk c;
	size_t events = 0, warned = 0;
	int n;

	memcpy(buf, orig, pos[2].off);
	memcpy(buf + pos[2].off, orig + pos[2].end, orig_len - pos[2].end);
	fmt_spit(fmt_path(dir, "gap.ebt"), buf, orig_len - cut);
	free(buf);
	cr_assert_eq(ebt_reader_open(fmt_path(dir, "gap.ebt"), NULL, &rd), 0);
	while ((n = ebt_reader_next(rd, &c)) == 1) {
		events += c.n_events;
		if (ebt_reader_warning(rd)) {
			warned++;
			cr_assert(strstr(ebt_reader_warning(rd), "sequence jumps from 2 to 3"),
				  "%s", ebt_reader_warning(rd));
		}
	}
	cr_assert_eq(n, 0);
	cr_assert_eq(warned, 1);
	cr_assert_eq(events, SMALL_EVENTS);
	cr_assert_eq(ebt_reader_info(rd)->damaged_chunks, 0);
	ebt_reader_close(rd);
}

/* orig with `extra` bytes inserted at offset at, written to name. */
static const char *splice(const char *name, size_t at, const uint8_t *extra, size_t n)
{
	uint8_t *buf = malloc(orig_len + n);

	cr_assert_not_null(buf);
	memcpy(buf, orig, at);
	memcpy(buf + at, extra, n);
	memcpy(buf + at + n, orig + at, orig_len - at);
	fmt_spit(fmt_path(dir, name), buf, orig_len + n);
	free(buf);
	return fmt_path(dir, name);
}

static size_t first_events_chunk(void)
{
	for (size_t i = 0; i < n_pos; i++) {
		if (pos[i].type == EBT_CHUNK_EVENTS)
			return i;
	}
	cr_assert_fail("no EVENTS chunk");
	return 0;
}

Test(format_damage, a_repeated_chunk_is_skipped_as_a_duplicate)
{
	size_t k = first_events_chunk();
	const char *p = splice("dup.ebt", pos[k].end, orig + pos[k].off,
			       pos[k].end - pos[k].off);
	struct ebt_reader *rd = NULL;
	struct ebt_chunk c;
	size_t events = 0;
	bool warned = false;
	int n;

	cr_assert_eq(ebt_reader_open(p, NULL, &rd), 0);
	while ((n = ebt_reader_next(rd, &c)) == 1) {
		events += c.n_events;
		if (ebt_reader_warning(rd) && strstr(ebt_reader_warning(rd), "duplicate"))
			warned = true;
	}
	cr_assert_eq(n, 0);
	cr_assert_eq(events, SMALL_EVENTS, "a copy counted again: %zu events", events);
	cr_assert(warned);
	cr_assert_eq(ebt_reader_info(rd)->duplicate_chunks, 1);
	cr_assert_eq(ebt_reader_info(rd)->damaged_events, 0);
	cr_assert(ebt_reader_info(rd)->footer_seen);
	ebt_reader_close(rd);
}

/* n STORED EVENTS chunks with valid header checks and a 64-byte payload
 * whose payload check fails; chunk i claims counts[i] events. */
static uint8_t *lying_chunks(const uint32_t *counts, size_t n, size_t *len)
{
	size_t one = EBT_CHUNK_HDR_LEN + 64;
	uint8_t *p = calloc(n, one);

	cr_assert_not_null(p);
	for (size_t i = 0; i < n; i++) {
		struct ebt_chunk_hdr h = {
			.magic = EBT_CHUNK_MAGIC, .type = EBT_CHUNK_EVENTS,
			.stored_len = 64, .raw_len = 64, .seq = 1000 + i,
			.count = counts[i],
		};

		h.payload_check = ebt_check32(p + i * one + EBT_CHUNK_HDR_LEN, 64) ^ 1;
		ebt_chunk_hdr_put(p + i * one, &h);
	}
	*len = n * one;
	return p;
}

Test(format_damage, damaged_events_ignore_counts_a_header_cannot_hold)
{
	uint32_t counts[14];
	size_t len, k = first_events_chunk();
	uint8_t *extra;
	struct ebt_reader *rd = NULL;
	struct ebt_chunk c;
	size_t events = 0;
	int n;

	for (size_t i = 0; i < 14; i++)
		counts[i] = i == 0 ? 5 : i % 2 ? UINT32_MAX : EBT_MAX_CHUNK_EVENTS;
	extra = lying_chunks(counts, 14, &len);
	cr_assert_eq(ebt_reader_open(splice("lie.ebt", pos[k].end, extra, len), NULL, &rd),
		     0);
	free(extra);
	while ((n = ebt_reader_next(rd, &c)) == 1)
		events += c.n_events;
	cr_assert_eq(n, 0);
	cr_assert_eq(events, SMALL_EVENTS);
	cr_assert_eq(ebt_reader_info(rd)->damaged_chunks, 14);
	/* only the first fits its 64-byte payload (5 bytes per event at least) */
	cr_assert_eq(ebt_reader_info(rd)->damaged_events, 5);
	ebt_reader_close(rd);
}

/* Each piece is a whole message: the skip or the jump, or the overflow
 * marker (returns true for the marker). */
static bool whole_warning(const char *m)
{
	size_t len = strlen(m);
	bool skip = strstr(m, " skipped: payload checksum mismatch") &&
		    !strcmp(m + len - 8, "mismatch");
	bool jump = strstr(m, "chunk sequence jumps from") && strstr(m, " at offset ") &&
		    m[len - 1] >= '0' && m[len - 1] <= '9';

	if (!strcmp(m, " and more warnings"))
		return true;
	cr_assert(skip || jump, "cut or unexpected warning: '%s'", m);
	return false;
}

Test(format_damage, warnings_of_one_call_are_whole_messages)
{
	uint32_t counts[30] = { 1 };
	size_t len, k = first_events_chunk();
	uint8_t *extra = lying_chunks(counts, 30, &len);
	struct ebt_reader *rd = NULL;
	struct ebt_chunk c;
	bool more = false;
	int n;

	cr_assert_eq(ebt_reader_open(splice("many.ebt", pos[k].end, extra, len), NULL, &rd),
		     0);
	free(extra);
	while ((n = ebt_reader_next(rd, &c)) == 1) {
		const char *w = ebt_reader_warning(rd);
		char *copy, *save = NULL;

		if (!w)
			continue;
		copy = strdup(w);
		for (char *m = strtok_r(copy, ";", &save); m; m = strtok_r(NULL, ";", &save))
			more |= whole_warning(m);
		free(copy);
	}
	cr_assert_eq(n, 0);
	cr_assert(more, "30 skipped chunks in one call should overflow the buffer");
	ebt_reader_close(rd);
}
