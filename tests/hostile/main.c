// SPDX-License-Identifier: MIT
/* ebt-hostile MODE OUT.ebt [MANIFEST.json or N]: writes one hostile trace
 * (full sizes with EBT_HOSTILE_FULL=1, see hostile_size()). */
#include "tests/hostile/hostile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int names(const char *out, const char *manifest)
{
	return gen_names(out, manifest);
}

#define PLAIN(fn) static int m_##fn(const char *out, const char *manifest) \
	{ (void)manifest; return gen_##fn(out); }
PLAIN(threads)
PLAIN(fds)
PLAIN(unknown)
PLAIN(time)
PLAIN(loss)
PLAIN(histbomb)
PLAIN(longnames)
PLAIN(metabomb)
PLAIN(zbomb)
PLAIN(hugelen)
PLAIN(clockbomb)

static int m_repeat(const char *out, const char *arg)
{
	unsigned long n = arg ? strtoul(arg, NULL, 10) : 0;

	return gen_repeat(out, n > 100000 ? 100000 : (uint32_t)n);
}

static const struct mode {
	const char *name;
	int (*fn)(const char *out, const char *manifest);
	const char *summary;
} modes[] = {
	{ "names", names, "hostile strings in every name (writes MANIFEST)" },
	{ "threads", m_threads, "300k threads, more than events, many unknown" },
	{ "fds", m_fds, "1.1M fd records, 5000 peers, odd fds" },
	{ "unknown", m_unknown, "syscall numbers, threads, rets beyond every table" },
	{ "time", m_time, "timestamps near 2^64, zero/backwards time, bad clocks" },
	{ "loss", m_loss, "loss counts summing past 2^64, backwards windows" },
	{ "histbomb", m_histbomb, "200k threads x 4 powers of two of duration" },
	{ "longnames", m_longnames, "4000 processes with 64 KiB names" },
	{ "metabomb", m_metabomb, "3M metadata records" },
	{ "zbomb", m_zbomb, "raw: zstd frames beyond declared size, 64 MiB chunks" },
	{ "hugelen", m_hugelen, "raw: chunk headers claiming 4 GiB and 2^32 events" },
	{ "clockbomb", m_clockbomb, "1M clock anchors in descending time" },
	{ "repeat", m_repeat, "raw: one chunk repeated N times (arg; 400), same seq" },
};

int main(int argc, char **argv)
{
	int err = -ENOENT;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "Usage: ebt-hostile MODE OUT.ebt [MANIFEST.json | N]\n"
			"Sizes below are EBT_HOSTILE_FULL=1's; by default the bombs are\n"
			"smaller but still cross every cap they aim at.\nModes:\n");
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			fprintf(stderr, "  %-10s %s\n", modes[i].name, modes[i].summary);
		return 2;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name))
			err = modes[i].fn(argv[2], argc > 3 ? argv[3] : NULL);
	hostile_strings_free();
	if (err == -ENOENT && argc > 1) {
		fprintf(stderr, "ebt-hostile: unknown mode or cannot write %s\n", argv[2]);
		return 2;
	}
	if (err) {
		fprintf(stderr, "ebt-hostile: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	return 0;
}
