// SPDX-License-Identifier: MIT
/* Command line of `ebpf-analyze redact`: categories, keys, argv. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "analyze/redact.h"

Test(redact_opts, what_words_and_all)
{
	uint32_t w = 0;
	char text[128];

	cr_assert_eq(ana_redact_parse_what("paths", &w), 0);
	cr_assert_eq(w, ANA_RED_PATHS);
	cr_assert_eq(ana_redact_parse_what("comm,peers,hosts", &w), 0);
	cr_assert_eq(w, ANA_RED_COMM | ANA_RED_PEERS | ANA_RED_HOSTS);
	cr_assert_eq(ana_redact_parse_what("all", &w), 0);
	cr_assert_eq(w, ANA_RED_ALL);
	ana_redact_what_text(ANA_RED_ALL, text, sizeof(text));
	cr_assert_str_eq(text, "paths,cmdline,hosts,peers,comm,exe");
	ana_redact_what_text(ANA_RED_EXE | ANA_RED_CMDLINE, text, sizeof(text));
	cr_assert_str_eq(text, "cmdline,exe");
}

Test(redact_opts, what_rejects_unknown_empty_and_trailing_comma)
{
	uint32_t w = 7;

	cr_assert_eq(ana_redact_parse_what("", &w), -EINVAL);
	cr_assert_eq(ana_redact_parse_what("path", &w), -EINVAL);
	cr_assert_eq(ana_redact_parse_what("paths,", &w), -EINVAL);
	cr_assert_eq(ana_redact_parse_what("paths,,comm", &w), -EINVAL);
	cr_assert_eq(ana_redact_parse_what("allx", &w), -EINVAL);
	cr_assert_eq(w, 7, "untouched on failure");
}

Test(redact_opts, key_hex_lengths)
{
	uint8_t key[ANA_RED_KEY_MAX];

	cr_assert_eq(ana_redact_parse_key(" 000102030405060708090a0b0c0d0E0F\n", 34, key), 16);
	cr_assert_eq(key[0], 0);
	cr_assert_eq(key[15], 0x0f);
	cr_assert_eq(ana_redact_parse_key("0001", 4, key), -ERANGE);
	cr_assert_eq(ana_redact_parse_key("000", 3, key), -EINVAL);
	cr_assert_eq(ana_redact_parse_key("zz0102030405060708090a0b0c0d0e0f", 32, key), -EINVAL);
	cr_assert_eq(ana_redact_parse_key("", 0, key), -EINVAL);
}

static int parse(struct ana_redact_opts *o, char *err, int argc, ...)
{
	char *argv[16];
	va_list ap;

	va_start(ap, argc);
	for (int i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	ana_redact_opts_init(o);
	return ana_redact_opts_parse(o, argc, argv, err, 256);
}

Test(redact_opts, defaults_and_full_form)
{
	struct ana_redact_opts o;
	char err[256] = "";

	cr_assert_eq(parse(&o, err, 3, "redact", "a.ebt", "b.ebt"), 0, "%s", err);
	cr_assert_eq(o.what, ANA_RED_ALL);
	cr_assert_eq(o.hash_chars, 12);
	cr_assert(!o.force && !o.keep_ports && !o.key_file && !o.key_hex);
	cr_assert_str_eq(o.input, "a.ebt");
	cr_assert_str_eq(o.output, "b.ebt");
	cr_assert_eq(parse(&o, err, 11, "redact", "--what", "paths,hosts", "--keep-ports",
			   "-f", "--key-file", "k", "--hash-chars", "16", "in", "out"), 0, "%s", err);
	cr_assert_eq(o.what, ANA_RED_PATHS | ANA_RED_HOSTS);
	cr_assert(o.force && o.keep_ports);
	cr_assert_str_eq(o.key_file, "k");
	cr_assert_eq(o.hash_chars, 16);
	cr_assert_eq(parse(&o, err, 2, "redact", "--help"), 1);
}

Test(redact_opts, usage_errors)
{
	struct ana_redact_opts o;
	char err[256];

	cr_assert_eq(parse(&o, err, 2, "redact", "a.ebt"), -EINVAL);
	cr_assert_eq(parse(&o, err, 4, "redact", "a", "b", "c"), -EINVAL);
	cr_assert_eq(parse(&o, err, 4, "redact", "--bogus", "a", "b"), -EINVAL);
	cr_assert(strstr(err, "--bogus"), "%s", err);
	cr_assert_eq(parse(&o, err, 5, "redact", "--what", "nope", "a", "b"), -EINVAL);
	cr_assert_eq(parse(&o, err, 5, "redact", "--hash-chars", "7", "a", "b"), -EINVAL);
	cr_assert_eq(parse(&o, err, 7, "redact", "--key", "00", "--key-file", "f", "a", "b"),
		     -EINVAL);
	cr_assert_eq(parse(&o, err, 3, "redact", "same.ebt", "same.ebt"), -EINVAL);
	cr_assert_eq(parse(&o, err, 4, "redact", "-f", "same.ebt", "same.ebt"), 0);
}
