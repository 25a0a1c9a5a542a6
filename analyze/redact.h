/* SPDX-License-Identifier: MIT */
/*
 * `ebpf-analyze redact IN.ebt OUT.ebt`: a copy of a trace whose names
 * (paths, command lines, host names, socket addresses, comms, executables)
 * are replaced by stable keyed tokens, "path:3fa9c01b22de" = the first hex
 * digits of HMAC-SHA256(key, original bytes). Every number is kept: events
 * are copied bit for bit, records keep every integer field, so the analysis
 * of the copy equals the original's except for the names. docs/REDACT.md.
 *
 * Files: redact.c (command line, streaming), redact_rules.c (what becomes a
 * token), redact_hash.c (SHA-256, HMAC).
 */
#ifndef ANALYZE_REDACT_H
#define ANALYZE_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format/ebt.h"

/* ---------------------------------------------------------------- hashing */

#define ANA_SHA256_LEN 32

struct ana_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];
	size_t n;		/* bytes in buf */
};

void ana_sha256_init(struct ana_sha256 *s);
void ana_sha256_update(struct ana_sha256 *s, const void *data, size_t n);
/* Writes the digest; s must be re-initialised before reuse. */
void ana_sha256_final(struct ana_sha256 *s, uint8_t out[ANA_SHA256_LEN]);

/* HMAC-SHA256 with the key's pads hashed once (RFC 2104). */
struct ana_hmac {
	struct ana_sha256 inner, outer;
};

void ana_hmac_init(struct ana_hmac *m, const uint8_t *key, size_t klen);
void ana_hmac_sum(const struct ana_hmac *m, const void *msg, size_t n,
		  uint8_t out[ANA_SHA256_LEN]);
void ana_hmac_sha256(const uint8_t *key, size_t klen, const void *msg, size_t n,
		     uint8_t out[ANA_SHA256_LEN]);

/* ---------------------------------------------------------------- options */

/* Categories of names (--what). */
#define ANA_RED_PATHS	0x01u	/* fd paths, exe, map paths, symbol objects */
#define ANA_RED_CMDLINE	0x02u	/* argv words, recorder_args, targets */
#define ANA_RED_HOSTS	0x04u	/* hostname, boot_id, the host name anywhere */
#define ANA_RED_PEERS	0x08u	/* socket local and peer addresses */
#define ANA_RED_COMM	0x10u	/* thread names */
#define ANA_RED_EXE	0x20u	/* TASK exe (also covered by paths) */
#define ANA_RED_ALL	0x3fu

#define ANA_RED_KEY_MIN 16u	/* bytes; shorter keys are refused */
#define ANA_RED_KEY_MAX 64u
#define ANA_RED_HASH_CHARS 12u	/* default hex digits per token */

struct ana_redact_opts {
	const char *input;
	const char *output;
	const char *key_file;	/* hex text (or >= 16 raw bytes) */
	const char *key_hex;
	const char *save_key;	/* write the key used here (new file, 0600) */
	uint32_t what;		/* ANA_RED_* */
	uint32_t hash_chars;	/* 8..64 */
	bool force;		/* replace OUT if it exists (never via a symlink) */
	bool keep_ports;	/* "10.0.0.5:5432" -> "peer-<hash>:5432" */
	bool whole_cmdline;	/* one token per command line, not per word */
	bool quiet;
};

void ana_redact_opts_init(struct ana_redact_opts *o);

/*
 * Parses "paths,cmdline,hosts,peers,comm,exe,all" (any order, comma
 * separated) into ANA_RED_* bits. 0, or -EINVAL for an empty list or an
 * unknown word.
 */
int ana_redact_parse_what(const char *s, uint32_t *out);

/* Writes the names of the bits of what, comma separated, in a fixed order
 * ("paths,cmdline,hosts,peers,comm,exe"). Returns the length. */
size_t ana_redact_what_text(uint32_t what, char *buf, size_t len);

/*
 * Decodes a hex key (whitespace around it ignored) into key[ANA_RED_KEY_MAX].
 * Returns the key length, or -EINVAL (not hex, odd length), -ERANGE (shorter
 * than ANA_RED_KEY_MIN or longer than ANA_RED_KEY_MAX bytes).
 */
int ana_redact_parse_key(const char *hex, size_t len, uint8_t *key);

/*
 * Parses argv (argv[0] is the verb or program name) into o, which must have
 * been initialised. Returns 0, 1 for --help, or -EINVAL with a one-line
 * reason in err. Validation (two files, one key source) is included.
 */
int ana_redact_opts_parse(struct ana_redact_opts *o, int argc, char **argv, char *err,
			  size_t errlen);

void ana_redact_usage(FILE *f);

/* ---------------------------------------------------------------- rules */

struct ana_redactor;

/*
 * A redactor for one key and one set of options (copied). *out is freed with
 * ana_redactor_free(). 0, -EINVAL (key length), -ENOMEM.
 */
int ana_redactor_new(const struct ana_redact_opts *o, const uint8_t *key, size_t klen,
		     struct ana_redactor **out);
void ana_redactor_free(struct ana_redactor *r);

/*
 * Fills out with in, names of the chosen categories replaced. The strings of
 * out point into in or into r's buffer and stay valid until the next call.
 * A FILE_INFO "hostname" seen here is remembered and replaced wherever it
 * occurs later in kept strings. "redacted" FILE_INFO values are widened to
 * hold r's categories too. 0, or -ENOMEM, -EFBIG (a string would exceed
 * EBT_MAX_STRING).
 */
int ana_redactor_record(struct ana_redactor *r, const struct ebt_record *in,
			struct ebt_record *out);

/*
 * The token of the bytes p[0..n) with prefix ("path", "host", ...):
 * "<prefix>:<hex>" into buf (NUL-terminated). Returns the length, or -ENOSPC
 * if buf is too small.
 */
int ana_redactor_token(const struct ana_redactor *r, const char *prefix, const void *p,
		       size_t n, char *buf, size_t len);

/* Key fingerprint: the token of the text "ebpf-analyze redact key id", so
 * two redacted traces can be seen to share a key. Same return as above. */
int ana_redactor_key_id(const struct ana_redactor *r, char *buf, size_t len);

/* Strings replaced so far. */
uint64_t ana_redactor_count(const struct ana_redactor *r);

/* ---------------------------------------------------------------- files */

struct ana_redact_stats {
	uint64_t events;
	uint64_t records;
	uint64_t chunks_in;
	uint64_t replaced;	/* strings replaced by tokens */
	uint64_t damaged_chunks;/* of the input, skipped by the reader */
	bool truncated;		/* the input ended in a torn chunk */
};

/*
 * Streams o->input into o->output through a redactor of key. The output
 * keeps the input's header facts (clock, uuid, creation time), every event
 * bit for bit and each chunk's grouping; it gets FILE_INFO "redacted" and
 * "redact_key_id". It is written beside the output and renamed over it when
 * complete (so output == input works, with force). On failure nothing is
 * left. 0, or -errno: -EEXIST (output exists, no force), -ENOENT/-EACCES
 * (input), -EBADMSG/-ENOTSUP (input, see the message logged), -EIO,
 * -ENOMEM, -EINVAL (key length).
 */
int ana_redact_file(const struct ana_redact_opts *o, const uint8_t *key, size_t klen,
		    struct ana_redact_stats *stats);

/*
 * The verb: parse argv, get the key, run; returns the exit status (0 ok,
 * 1 failure, 2 usage error). argv[0] is the verb itself, so main() calls
 * ana_redact_main(argc - 1, argv + 1) for `ebpf-analyze redact ...`, after
 * log_init(). Prints --help to stdout, diagnostics to stderr, a one-line
 * summary to stdout unless --quiet.
 */
int ana_redact_main(int argc, char **argv);

#endif /* ANALYZE_REDACT_H */
