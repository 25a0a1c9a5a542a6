// SPDX-License-Identifier: MIT
/*
 * `ebpf-analyze redact`: options, the key, and the copy itself. The copy
 * streams the input chunk by chunk (bounded memory), redacts each record,
 * appends each event unchanged and closes a chunk wherever the input closed
 * one, so the output has the input's chunk grouping and record order. It is
 * written to a temporary file beside OUT, given the input's header facts,
 * and renamed over OUT only when complete.
 */
#include "analyze/redact.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>	/* header check of the patched file header (docs/FORMAT.md §3) */

#include "common/log.h"
#include "common/parse.h"

#define HDR_LEN 64
#define KEY_FILE_MAX 4096

static const char *const what_names[] = { "paths", "cmdline", "hosts", "peers", "comm", "exe" };
#define N_WHAT (sizeof(what_names) / sizeof(what_names[0]))

void ana_redact_opts_init(struct ana_redact_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->what = ANA_RED_ALL;
	o->hash_chars = ANA_RED_HASH_CHARS;
}

int ana_redact_parse_what(const char *s, uint32_t *out)
{
	uint32_t what = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	while (*p) {
		size_t n = strcspn(p, ","), i;

		if (n == 3 && !strncmp(p, "all", 3)) {
			what |= ANA_RED_ALL;
		} else {
			for (i = 0; i < N_WHAT; i++) {
				if (strlen(what_names[i]) == n && !strncmp(p, what_names[i], n))
					break;
			}
			if (i == N_WHAT)
				return -EINVAL;
			what |= 1u << i;
		}
		p += n;
		if (*p == ',' && !*++p)
			return -EINVAL;	/* trailing comma */
	}
	*out = what;
	return 0;
}

size_t ana_redact_what_text(uint32_t what, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = 0;
	for (size_t i = 0; i < N_WHAT; i++) {
		if (!(what & (1u << i)))
			continue;
		int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", what_names[i]);

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return used;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int ana_redact_parse_key(const char *hex, size_t len, uint8_t *key)
{
	size_t i, n;

	while (len && space(hex[len - 1]))
		len--;
	while (len && space(*hex)) {
		hex++;
		len--;
	}
	if (!len || len % 2)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (hexval(hex[i]) < 0)
			return -EINVAL;
	}
	n = len / 2;
	if (n < ANA_RED_KEY_MIN || n > ANA_RED_KEY_MAX)
		return -ERANGE;
	for (i = 0; i < n; i++)
		key[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
	return (int)n;
}

/* ---------------------------------------------------------------- command line */

void ana_redact_usage(FILE *f)
{
	fputs("Usage: ebpf-analyze redact [OPTIONS] IN.ebt OUT.ebt\n"
	      "Copy a trace with its names replaced by stable keyed tokens.\n"
	      "\n"
	      "  -k, --key-file FILE   key: hex text (or 16+ raw bytes) in FILE\n"
	      "      --key HEX         key as 32 to 128 hex digits\n"
	      "      --save-key FILE   write the key used to FILE (new, mode 0600)\n"
	      "  -w, --what LIST       categories: paths,cmdline,hosts,peers,comm,exe,all\n"
	      "                        [default: all]\n"
	      "      --keep-ports      keep the port of socket addresses\n"
	      "      --whole-cmdline   one token per command line, not one per word\n"
	      "      --hash-chars N    hex digits per token, 8..64 [default: 12]\n"
	      "  -f, --force           replace OUT if it exists\n"
	      "  -q, --quiet           no summary, no key on stderr\n"
	      "  -h, --help            show this help\n"
	      "\n"
	      "Without --key or --key-file a random key is made and printed to stderr;\n"
	      "tokens of two traces match only if both were redacted with the same key.\n"
	      "\n"
	      "Examples:\n"
	      "  ebpf-analyze redact --save-key team.key app.ebt app-shared.ebt\n"
	      "  ebpf-analyze redact -k team.key --what paths,hosts in.ebt out.ebt\n", f);
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct option long_opts[] = {
	{ "key-file", required_argument, NULL, 'k' },
	{ "key", required_argument, NULL, 'K' },
	{ "save-key", required_argument, NULL, 'S' },
	{ "what", required_argument, NULL, 'w' },
	{ "keep-ports", no_argument, NULL, 'P' },
	{ "whole-cmdline", no_argument, NULL, 'W' },
	{ "hash-chars", required_argument, NULL, 'H' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A --key that does not decode is a usage error (a key file's content is
 * checked when it is read). */
static int check_key_hex(const char *hex, char *err, size_t errlen)
{
	uint8_t key[ANA_RED_KEY_MAX];
	int n = ana_redact_parse_key(hex, strlen(hex), key);

	memset(key, 0, sizeof(key));
	if (n < 0)
		return fail(err, errlen, "redact: --key needs %u to %u bytes as hex digits",
			    ANA_RED_KEY_MIN, ANA_RED_KEY_MAX);
	return 0;
}

static int parse_one(struct ana_redact_opts *o, int c, const char *arg, char *err,
		     size_t errlen)
{
	switch (c) {
	case 'k': o->key_file = arg; break;
	case 'K':
		if (check_key_hex(arg, err, errlen))
			return -EINVAL;
		o->key_hex = arg;
		break;
	case 'S': o->save_key = arg; break;
	case 'P': o->keep_ports = true; break;
	case 'W': o->whole_cmdline = true; break;
	case 'f': o->force = true; break;
	case 'q': o->quiet = true; break;
	case 'w':
		if (ana_redact_parse_what(arg, &o->what))
			return fail(err, errlen, "redact: bad --what '%s' (paths, cmdline, hosts, "
				    "peers, comm, exe, all)", arg);
		break;
	case 'H':
		if (parse_u32(arg, 8, 2 * ANA_SHA256_LEN, &o->hash_chars))
			return fail(err, errlen, "redact: bad --hash-chars '%s' (8..64)", arg);
		break;
	default:
		return fail(err, errlen, "redact: unknown or incomplete option");
	}
	return 0;
}

int ana_redact_opts_parse(struct ana_redact_opts *o, int argc, char **argv, char *err,
			  size_t errlen)
{
	int c, rc;

	opterr = 0;
	optind = 0;	/* GNU: full re-initialisation (tests parse many times) */
	while ((c = getopt_long(argc, argv, "k:w:fqh", long_opts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':')
			return fail(err, errlen, "redact: unknown or incomplete option '%s'",
				    argv[optind - 1]);
		rc = parse_one(o, c, optarg, err, errlen);
		if (rc)
			return rc;
	}
	if (argc - optind != 2)
		return fail(err, errlen, "redact: needs IN.ebt and OUT.ebt");
	o->input = argv[optind];
	o->output = argv[optind + 1];
	if (o->key_file && o->key_hex)
		return fail(err, errlen, "redact: --key and --key-file exclude each other");
	if (!strcmp(o->input, o->output) && !o->force)
		return fail(err, errlen, "redact: OUT is IN ('%s'); add --force to replace it",
			    o->input);
	return 0;
}

/* ---------------------------------------------------------------- the key */

static int read_key_file(const char *path, uint8_t *key)
{
	char *buf = malloc(KEY_FILE_MAX + 1);
	ssize_t n = 0, got;
	int fd, err = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	while (n <= KEY_FILE_MAX && (got = read(fd, buf + n, KEY_FILE_MAX + 1 - (size_t)n)) > 0)
		n += got;
	if (got < 0)
		err = -errno;
	close(fd);
	if (!err && n > KEY_FILE_MAX)
		err = -EFBIG;
	if (!err) {
		err = ana_redact_parse_key(buf, (size_t)n, key);
		/* Raw bytes: HMAC would hash a key over 64 bytes; do it here. */
		if (err == -EINVAL && n >= (ssize_t)ANA_RED_KEY_MIN && n <= ANA_RED_KEY_MAX) {
			memcpy(key, buf, (size_t)n);
			err = (int)n;
		} else if (err == -EINVAL && n > ANA_RED_KEY_MAX) {
			struct ana_sha256 s;

			ana_sha256_init(&s);
			ana_sha256_update(&s, buf, (size_t)n);
			ana_sha256_final(&s, key);
			err = ANA_SHA256_LEN;
		}
	}
	free(buf);
	return err;
}

static int save_key(const char *path, const uint8_t *key, size_t klen)
{
	char text[2 * ANA_RED_KEY_MAX + 2];
	size_t len = 0;
	int fd, err = 0;

	for (size_t i = 0; i < klen; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%02x", key[i]);
	text[len++] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd))
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (err)
		unlink(path);
	return err;
}

/* The key of o, or a new random one (announced unless quiet). Length or -errno. */
static int get_key(const struct ana_redact_opts *o, uint8_t *key)
{
	int n;

	if (o->key_hex) {
		n = ana_redact_parse_key(o->key_hex, strlen(o->key_hex), key);
		if (n < 0)
			log_error("redact: --key needs %u to %u bytes as hex digits",
				  ANA_RED_KEY_MIN, ANA_RED_KEY_MAX);
		return n;
	}
	if (o->key_file) {
		n = read_key_file(o->key_file, key);
		if (n < 0)
			log_error("redact: cannot use key file %s: %s", o->key_file,
				  n == -EINVAL || n == -ERANGE ? "not a key (16+ bytes or hex)"
							      : strerror(-n));
		return n;
	}
	n = 32;
	if (getrandom(key, (size_t)n, 0) != n) {
		log_error("redact: cannot make a random key: %s", strerror(errno));
		return -EIO;
	}
	if (!o->quiet && !o->save_key) {
		fputs("ebpf-analyze: redact: random key (keep it to match tokens across traces): ",
		      stderr);
		for (int i = 0; i < n; i++)
			fprintf(stderr, "%02x", key[i]);
		fputc('\n', stderr);
	}
	return n;
}

/* ---------------------------------------------------------------- the copy */

struct copy {
	const struct ana_redact_opts *o;
	struct ebt_reader *rd;
	struct ebt_writer *w;
	struct ana_redactor *red;
	struct ana_redact_stats st;
	char *tmp;
};

static int add_kv(struct copy *c, const char *key, const char *value)
{
	struct ebt_record rec = { .kind = EBT_REC_FILE_INFO };

	rec.kv.key = ebt_str_c(key);
	rec.kv.value = ebt_str_c(value);
	return ebt_writer_add_record(c->w, &rec);
}

static int add_own_records(struct copy *c)
{
	char text[128], id[96];
	int err;

	ana_redact_what_text(c->o->what, text, sizeof(text));
	err = ana_redactor_key_id(c->red, id, sizeof(id));
	err = err < 0 ? err : add_kv(c, "redacted", text);
	return err ? err : add_kv(c, "redact_key_id", id);
}

/* Damaged input chunks become LOSS records of source DAMAGE (docs/FORMAT.md
 * §6.5 reserves it for tools that rewrite damaged files). */
static int note_damage(struct copy *c, uint64_t *seen)
{
	const struct ebt_info *info = ebt_reader_info(c->rd);
	const char *warn = ebt_reader_warning(c->rd);
	struct ebt_record rec = { .kind = EBT_REC_LOSS };

	if (warn)
		log_warn("redact: %s: %s", c->o->input, warn);
	if (info->damaged_events == *seen)
		return 0;
	rec.loss.source = EBT_LOSS_DAMAGE;
	rec.loss.cpu = UINT32_MAX;
	rec.loss.ts_start_ns = info->ts_max;
	rec.loss.ts_end_ns = info->ts_max;
	rec.loss.count = info->damaged_events - *seen;
	*seen = info->damaged_events;
	return ebt_writer_add_record(c->w, &rec);
}

static int copy_chunk(struct copy *c, const struct ebt_chunk *ch)
{
	struct ebt_record out;
	int err = 0;

	for (size_t i = 0; !err && i < ch->n_records; i++) {
		err = ana_redactor_record(c->red, &ch->records[i], &out);
		err = err ? err : ebt_writer_add_record(c->w, &out);
	}
	for (size_t i = 0; !err && i < ch->n_events; i++)
		err = ebt_writer_append(c->w, &ch->events[i]);
	c->st.records += ch->n_records;
	c->st.events += ch->n_events;
	c->st.chunks_in++;
	/* inline writer: this writes the chunk now, keeping the input's grouping */
	return err ? err : ebt_writer_flush(c->w, 0, true);
}

static int copy_all(struct copy *c)
{
	struct ebt_chunk ch;
	uint64_t damaged = 0;
	int rc = 0, err = 0;

	while (!err && (rc = ebt_reader_next(c->rd, &ch)) == 1) {
		err = note_damage(c, &damaged);
		err = err ? err : copy_chunk(c, &ch);
	}
	if (!err && rc < 0) {
		log_error("redact: cannot read %s: %s", c->o->input, ebt_reader_errmsg(c->rd));
		return rc;
	}
	err = err ? err : note_damage(c, &damaged);
	if (err)
		log_error("redact: cannot write %s: %s", c->o->output, strerror(-err));
	return err;
}

/* Gives the new file the input's uuid and creation time: numbers are kept. */
static int patch_header(const char *path, const struct ebt_info *in)
{
	uint8_t h[HDR_LEN];
	uint32_t check;
	int fd, err = 0;

	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    (h[12] | h[13] << 8) != HDR_LEN) {
		close(fd);
		return -EIO;
	}
	memcpy(h + 32, in->uuid, 16);
	for (int i = 0; i < 8; i++)
		h[48 + i] = (uint8_t)(in->created_realtime_ns >> (8 * i));
	check = (uint32_t)XXH3_64bits(h, 60);
	for (int i = 0; i < 4; i++)
		h[60 + i] = (uint8_t)(check >> (8 * i));
	if (pwrite(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) || fsync(fd))
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* Moves the finished file to OUT: never replaces OUT without force. */
static int publish(const struct copy *c)
{
	const char *out = c->o->output;
	int err;

	if (c->o->force)
		return rename(c->tmp, out) ? -errno : 0;
	err = renameat2(AT_FDCWD, c->tmp, AT_FDCWD, out, RENAME_NOREPLACE) ? -errno : 0;
	if (err == -EINVAL || err == -ENOSYS) {	/* filesystem without NOREPLACE */
		err = link(c->tmp, out) ? -errno : 0;
		if (!err)
			unlink(c->tmp);
	}
	return err;
}

static int open_files(struct copy *c, const uint8_t *key, size_t klen)
{
	struct ebt_writer_opts wo = { .inline_io = true, .pool_chunks = 2 };
	struct stat st;
	int err;

	if (!c->o->force && !lstat(c->o->output, &st))
		return -EEXIST;
	err = ebt_reader_open(c->o->input, NULL, &c->rd);
	if (err) {
		log_error("redact: cannot open %s: %s", c->o->input,
			  err == -EBADMSG || err == -ENOTSUP ? ebt_reader_errmsg(NULL)
							     : strerror(-err));
		return err;
	}
	c->tmp = malloc(strlen(c->o->output) + 32);
	if (!c->tmp)
		return -ENOMEM;
	sprintf(c->tmp, "%s.redact-%d.tmp", c->o->output, (int)getpid());
	wo.clock_id = ebt_reader_info(c->rd)->clock_id;
	err = ebt_writer_open(c->tmp, &wo, &c->w);
	if (err) {
		log_error("redact: cannot create %s: %s", c->tmp, strerror(-err));
		free(c->tmp);
		c->tmp = NULL;	/* not ours: never unlinked */
		return err;
	}
	err = ana_redactor_new(c->o, key, klen, &c->red);
	return err ? err : add_own_records(c);
}

int ana_redact_file(const struct ana_redact_opts *o, const uint8_t *key, size_t klen,
		    struct ana_redact_stats *stats)
{
	struct copy c = { .o = o };
	const struct ebt_info *info;
	int err, cerr;

	err = open_files(&c, key, klen);
	if (!err)
		err = copy_all(&c);
	cerr = ebt_writer_close(c.w, NULL);
	if (!err && cerr)
		log_error("redact: cannot write %s: %s", c.tmp, strerror(-cerr));
	err = err ? err : cerr;
	if (!err) {
		info = ebt_reader_info(c.rd);
		c.st.damaged_chunks = info->damaged_chunks;
		c.st.truncated = info->truncated;
		c.st.replaced = ana_redactor_count(c.red);
		err = patch_header(c.tmp, info);
	}
	if (!err)
		err = publish(&c);
	if (c.tmp && err)
		unlink(c.tmp);
	if (stats)
		*stats = c.st;
	free(c.tmp);
	ana_redactor_free(c.red);
	ebt_reader_close(c.rd);
	return err;
}

/* ---------------------------------------------------------------- the verb */

static void summary(const struct ana_redact_opts *o, const struct ana_redact_stats *st)
{
	if (st->damaged_chunks || st->truncated)
		log_warn("redact: %s was damaged (%llu chunks skipped%s): the copy holds what "
			 "was intact", o->input, (unsigned long long)st->damaged_chunks,
			 st->truncated ? ", torn end" : "");
	if (o->quiet)
		return;
	printf("redacted %llu names in %llu records; %llu events copied\n",
	       (unsigned long long)st->replaced, (unsigned long long)st->records,
	       (unsigned long long)st->events);
}

static int run(const struct ana_redact_opts *o)
{
	uint8_t key[ANA_RED_KEY_MAX];
	struct ana_redact_stats st;
	int klen, err;

	klen = get_key(o, key);
	if (klen < 0)
		return klen;
	if (o->save_key) {
		err = save_key(o->save_key, key, (size_t)klen);
		if (err) {
			log_error("redact: cannot save the key to %s: %s", o->save_key,
				  strerror(-err));
			return err;
		}
	}
	err = ana_redact_file(o, key, (size_t)klen, &st);
	memset(key, 0, sizeof(key));
	if (err == -EEXIST)
		log_error("redact: %s exists; add --force to replace it", o->output);
	if (!err)
		summary(o, &st);
	return err;
}

int ana_redact_main(int argc, char **argv)
{
	struct ana_redact_opts o;
	char err[256] = "";
	int rc;

	ana_redact_opts_init(&o);
	rc = ana_redact_opts_parse(&o, argc, argv, err, sizeof(err));
	if (rc == 1) {
		ana_redact_usage(stdout);
		return 0;
	}
	if (rc) {
		fprintf(stderr, "ebpf-analyze: %s\nTry 'ebpf-analyze redact --help'.\n", err);
		return 2;
	}
	return run(&o) ? 1 : 0;
}
