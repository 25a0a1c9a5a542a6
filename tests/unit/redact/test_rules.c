// SPDX-License-Identifier: MIT
/* What becomes a token: one record at a time through a redactor. */
#include <criterion/criterion.h>
#include <errno.h>
#include <regex.h>
#include <string.h>

#include "analyze/redact.h"

static struct ana_redactor *red;
static const uint8_t key[16] = "0123456789abcdef";

static void make(uint32_t what, bool keep_ports, bool whole)
{
	struct ana_redact_opts o;

	ana_redact_opts_init(&o);
	o.what = what;
	o.keep_ports = keep_ports;
	o.whole_cmdline = whole;
	ana_redactor_free(red);
	red = NULL;
	cr_assert_eq(ana_redactor_new(&o, key, sizeof(key), &red), 0);
}

static void setup(void)
{
	make(ANA_RED_ALL, false, false);
}

static void teardown(void)
{
	ana_redactor_free(red);
	red = NULL;
}

TestSuite(redact_rules, .init = setup, .fini = teardown);

/* The token of s as ana_redactor_token() makes it, in a static buffer. */
static const char *tok(const char *prefix, const char *s)
{
	static char buf[4][96];
	static int i;

	i = (i + 1) % 4;
	cr_assert_gt(ana_redactor_token(red, prefix, s, strlen(s), buf[i], sizeof(buf[i])), 0);
	return buf[i];
}

static bool matches(const struct ebt_str *s, const char *re)
{
	regex_t rx;
	bool ok;

	cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	ok = !memchr(s->p, 0, s->len) && !regexec(&rx, s->p, 0, NULL, 0);
	regfree(&rx);
	return ok;
}

static void str_is(const struct ebt_str *s, const char *want)
{
	cr_assert_eq(s->len, strlen(want), "got '%.*s' want '%s'", (int)s->len, s->p, want);
	cr_assert_eq(memcmp(s->p, want, s->len), 0, "got '%.*s' want '%s'", (int)s->len, s->p,
		     want);
	cr_assert_eq(s->p[s->len], 0, "NUL after the string");
}

static struct ebt_record fd_rec(const char *path, const char *local, const char *peer)
{
	struct ebt_record r = { .kind = EBT_REC_FD };

	r.fd = (struct ebt_fd){ .event = 2, .kind = EBT_FD_SOCKET, .pid = 7, .fd = 9,
				.ts_ns = 123, .family = 2, .sock_type = 1, .flags = 4 };
	r.fd.path = ebt_str_c(path);
	r.fd.local = ebt_str_c(local);
	r.fd.peer = ebt_str_c(peer);
	return r;
}

Test(redact_rules, token_is_stable_keyed_and_shaped)
{
	char a[96], b[96], c[96];
	struct ana_redact_opts o;
	struct ana_redactor *other;
	static const uint8_t key2[16] = "0123456789abcdeX";

	cr_assert_eq(ana_redactor_token(red, "path", "/etc/x", 6, a, sizeof(a)), 17);
	cr_assert_eq(ana_redactor_token(red, "path", "/etc/x", 6, b, sizeof(b)), 17);
	cr_assert_str_eq(a, b);
	cr_assert(matches(&(struct ebt_str){ a, 17 }, "^path:[0-9a-f]{12}$"), "%s", a);
	ana_redact_opts_init(&o);
	cr_assert_eq(ana_redactor_new(&o, key2, sizeof(key2), &other), 0);
	cr_assert_eq(ana_redactor_token(other, "path", "/etc/x", 6, c, sizeof(c)), 17);
	cr_assert_str_neq(a, c, "another key, another token");
	ana_redactor_free(other);
	cr_assert_eq(ana_redactor_token(red, "path", "/etc/x", 6, a, 10), -ENOSPC);
	cr_assert_eq(ana_redactor_new(&o, key, 15, &other), -EINVAL, "short key");
}

Test(redact_rules, token_hex_is_hmac_prefix)
{
	uint8_t d[ANA_SHA256_LEN];
	char want[32];

	ana_hmac_sha256(key, sizeof(key), "serving", 7, d);
	snprintf(want, sizeof(want), "comm:%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3],
		 d[4], d[5]);
	cr_assert_str_eq(tok("comm", "serving"), want);
}

Test(redact_rules, task_names_and_numbers)
{
	static const char cmd[] = "/usr/bin/app\0--port\0\0x";
	struct ebt_record in = { .kind = EBT_REC_TASK }, out;
	char want[256] = { 0 };
	size_t n;

	in.task = (struct ebt_task){ .kind = 4, .pid = 10, .tid = 11, .ppid = 1, .ts_ns = 5,
				     .start_ns = 6, .exit_code = -3, .uid = 1000 };
	in.task.comm = ebt_str_c("app");
	in.task.exe = ebt_str_c("/usr/bin/app");
	in.task.cmdline = (struct ebt_str){ cmd, sizeof(cmd) - 1 };
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.task.comm, tok("comm", "app"));
	str_is(&out.task.exe, tok("path", "/usr/bin/app"));
	/* words stay words: same count, same NULs, empty word kept empty */
	n = (size_t)sprintf(want, "%s", tok("arg", "/usr/bin/app")) + 1;
	n += (size_t)sprintf(want + n, "%s", tok("arg", "--port")) + 2;
	n += (size_t)sprintf(want + n, "%s", tok("arg", "x"));
	cr_assert_eq(out.task.cmdline.len, n);
	cr_assert_eq(memcmp(out.task.cmdline.p, want, n), 0);
	cr_assert(out.task.pid == 10 && out.task.tid == 11 && out.task.exit_code == -3 &&
		  out.task.uid == 1000 && out.task.start_ns == 6);
	cr_assert_eq(ana_redactor_count(red), 5);
}

Test(redact_rules, whole_cmdline_is_one_token)
{
	static const char cmd[] = "a\0b";
	struct ebt_record in = { .kind = EBT_REC_TASK }, out;

	make(ANA_RED_CMDLINE, false, true);
	in.task.comm = ebt_str_c("keepme");
	in.task.cmdline = (struct ebt_str){ cmd, 3 };
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.task.comm, "keepme");
	cr_assert_eq(out.task.cmdline.len, 16);
	cr_assert(matches(&out.task.cmdline, "^cmd:[0-9a-f]{12}$"));
}

Test(redact_rules, exe_alone_or_with_paths)
{
	struct ebt_record in = { .kind = EBT_REC_TASK }, out;

	in.task.exe = ebt_str_c("/bin/x");
	make(ANA_RED_EXE, false, false);
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.task.exe, tok("path", "/bin/x"));
	make(ANA_RED_COMM, false, false);
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.task.exe, "/bin/x");
}

Test(redact_rules, ipv4_addresses_keep_host_grouping)
{
	struct ebt_record in = fd_rec("socket:[99]", "10.0.0.1:8080", "10.0.0.5:5432"), out;
	char want[96];

	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.fd.path, "socket:[99]");
	snprintf(want, sizeof(want), "local-%s", tok("x", "10.0.0.1") + 2);
	str_is(&out.fd.local, want);
	snprintf(want, sizeof(want), "peer-%s", tok("x", "10.0.0.5") + 2);
	str_is(&out.fd.peer, want);
	cr_assert(out.fd.fd == 9 && out.fd.family == 2 && out.fd.ts_ns == 123);
	make(ANA_RED_PEERS, true, false);
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	snprintf(want, sizeof(want), "peer-%s:5432", tok("x", "10.0.0.5") + 2);
	str_is(&out.fd.peer, want);
}

Test(redact_rules, ipv6_unix_abstract_and_bare)
{
	struct ebt_record in = fd_rec("", "[fe80::1]:443", "/run/a.sock"), out;
	char want[96];

	make(ANA_RED_PEERS, true, false);
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	snprintf(want, sizeof(want), "[local-%s]:443", tok("x", "fe80::1") + 2);
	str_is(&out.fd.local, want);
	snprintf(want, sizeof(want), "/peer-%s", tok("x", "/run/a.sock") + 2);
	str_is(&out.fd.peer, want);
	in = fd_rec("", "@abs", "fe80::2");
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	snprintf(want, sizeof(want), "@local-%s", tok("x", "@abs") + 2);
	str_is(&out.fd.local, want);
	snprintf(want, sizeof(want), "peer-%s", tok("x", "fe80::2") + 2);
	str_is(&out.fd.peer, want);
	cr_assert_eq(out.fd.path.len, 0, "empty stays empty");
}

Test(redact_rules, file_paths_and_pseudo_links)
{
	struct ebt_record in = fd_rec("/home/ann/notes.txt", "", ""), out;

	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.fd.path, tok("path", "/home/ann/notes.txt"));
	in = fd_rec("/memfd:secret (deleted)", "", "");
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.fd.path, tok("path", "/memfd:secret (deleted)"));
	in = fd_rec("anon_inode:[eventfd]", "", "");
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.fd.path, "anon_inode:[eventfd]");
	in = fd_rec("pipe:[4]", "", "");
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.fd.path, "pipe:[4]");
}

Test(redact_rules, map_and_symbol_share_path_tokens)
{
	struct ebt_record in = { .kind = EBT_REC_MAP }, out;

	in.map = (struct ebt_map){ .pid = 3, .start = 1, .end = 2, .file_offset = 3 };
	in.map.path = ebt_str_c("/lib/libc.so.6");
	in.map.build_id = ebt_str_c("beef");
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.map.path, tok("path", "/lib/libc.so.6"));
	str_is(&out.map.build_id, "beef");
	in = (struct ebt_record){ .kind = EBT_REC_SYMBOL };
	in.sym.object = ebt_str_c("/lib/libc.so.6");
	in.sym.name = ebt_str_c("read");
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	str_is(&out.sym.object, tok("path", "/lib/libc.so.6"));
	str_is(&out.sym.name, "read");
}

static void info(const char *k, const char *v, struct ebt_record *out)
{
	struct ebt_record in = { .kind = EBT_REC_FILE_INFO };

	in.kv.key = ebt_str_c(k);
	in.kv.value = ebt_str_c(v);
	cr_assert_eq(ana_redactor_record(red, &in, out), 0);
	str_is(&out->kv.key, k);
}

Test(redact_rules, hosts_everywhere_after_hostname)
{
	struct ebt_record out;
	char want[128];

	info("hostname", "db-prod-7", &out);
	str_is(&out.kv.value, tok("host", "db-prod-7"));
	info("boot_id", "1111-2222", &out);
	str_is(&out.kv.value, tok("id", "1111-2222"));
	info("kernel_version", "#1 SMP db-prod-7 x db-prod-7", &out);
	snprintf(want, sizeof(want), "#1 SMP %s x %s", tok("host", "db-prod-7"),
		 tok("host", "db-prod-7"));
	str_is(&out.kv.value, want);
	info("os_release", "Debian 12", &out);
	str_is(&out.kv.value, "Debian 12");
}

Test(redact_rules, short_hostname_only_as_whole_value)
{
	struct ebt_record out, in = fd_rec("vm", "", ""), o2;

	info("hostname", "vm", &out);
	str_is(&out.kv.value, tok("host", "vm"));
	info("kernel_release", "6.1-vmlinux", &out);
	str_is(&out.kv.value, "6.1-vmlinux");
	make(ANA_RED_HOSTS, false, false);
	info("hostname", "vm", &out);
	cr_assert_eq(ana_redactor_record(red, &in, &o2), 0);
	str_is(&o2.fd.path, tok("host", "vm"));
}

Test(redact_rules, recorder_args_and_targets)
{
	struct ebt_record out;
	char want[256];

	info("recorder_args", "ebpf-record -o /x/t.ebt", &out);
	snprintf(want, sizeof(want), "%s %s %s", tok("arg", "ebpf-record"), tok("arg", "-o"),
		 tok("arg", "/x/t.ebt"));
	str_is(&out.kv.value, want);
	info("targets", "cmd:/srv/app", &out);
	snprintf(want, sizeof(want), "cmd:%s", tok("arg", "/srv/app"));
	str_is(&out.kv.value, want);
	info("targets", "12,13", &out);
	str_is(&out.kv.value, "12,13");
}

Test(redact_rules, redacted_key_is_widened)
{
	struct ebt_record out;
	char id[96];

	make(ANA_RED_COMM, false, false);
	info("redacted", "paths,hosts", &out);
	str_is(&out.kv.value, "paths,hosts,comm");
	info("redacted", "garbage", &out);
	str_is(&out.kv.value, "comm");
	info("redact_key_id", "key:000000000000", &out);
	cr_assert_gt(ana_redactor_key_id(red, id, sizeof(id)), 0);
	str_is(&out.kv.value, id);
}

Test(redact_rules, categories_not_chosen_are_kept)
{
	struct ebt_record in = fd_rec("/etc/passwd", "1.2.3.4:5", "6.7.8.9:10"), out;

	make(ANA_RED_COMM, false, false);
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	cr_assert_eq(out.fd.path.p, in.fd.path.p, "kept strings are not even copied");
	str_is(&out.fd.local, "1.2.3.4:5");
	str_is(&out.fd.peer, "6.7.8.9:10");
	cr_assert_eq(ana_redactor_count(red), 0);
}

Test(redact_rules, string_with_nul_and_high_bytes)
{
	static const char comm[] = "a\0\xff\x01";
	struct ebt_record in = { .kind = EBT_REC_TASK }, out;
	uint8_t d[ANA_SHA256_LEN];
	char want[32];

	in.task.comm = (struct ebt_str){ comm, 4 };
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	ana_hmac_sha256(key, sizeof(key), comm, 4, d);
	snprintf(want, sizeof(want), "comm:%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3],
		 d[4], d[5]);
	str_is(&out.task.comm, want);
}

Test(redact_rules, too_long_after_tokens_becomes_one_token)
{
	struct ebt_record in = { .kind = EBT_REC_TASK }, out;
	size_t n = EBT_MAX_STRING;
	char *cmd = malloc(n), want[96];

	cr_assert_not_null(cmd);
	for (size_t i = 0; i < n; i++)
		cmd[i] = i % 2 ? 0 : 'a';	/* 32768 one-letter words */
	in.task.cmdline = (struct ebt_str){ cmd, (uint32_t)n };
	in.task.comm = ebt_str_c("c");
	cr_assert_eq(ana_redactor_record(red, &in, &out), 0);
	cr_assert(matches(&out.task.cmdline, "^cmd:[0-9a-f]{12}$"));
	str_is(&out.task.comm, tok("comm", "c"));
	cr_assert_gt(ana_redactor_token(red, "cmd", cmd, n, want, sizeof(want)), 0);
	str_is(&out.task.cmdline, want);
	free(cmd);
}

Test(redact_rules, host_name_never_rewrites_format_facts)
{
	struct ebt_record out;
	char want[96];

	info("hostname", "boottime", &out);
	info("clock", "boottime", &out);
	str_is(&out.kv.value, "boottime");
	info("syscall_filter", "read,boottime", &out);
	str_is(&out.kv.value, "read,boottime");
	info("os_release", "boottime OS", &out);
	snprintf(want, sizeof(want), "%s OS", tok("host", "boottime"));
	str_is(&out.kv.value, want);
}
