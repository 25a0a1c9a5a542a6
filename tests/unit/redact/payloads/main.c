// SPDX-License-Identifier: MIT
/*
 * ebt-payloads FILE: every chunk's payload, decompressed with libzstd, on
 * stdout as "u16 type | u32 count | u32 raw_len | raw bytes" (little-endian)
 * per chunk. It walks the chunk headers of docs/FORMAT.md §4.1 itself, not
 * through format/, so tests/e2e/redact can check bytes independently of the
 * library that wrote them. Exit 1 on anything malformed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le(uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		putchar((int)(v >> (8 * i)) & 0xff);
}

static int chunk(const uint8_t *h, const uint8_t *payload)
{
	uint32_t stored = le32(h + 8), raw = le32(h + 12);
	unsigned int codec = (h[6] | h[7] << 8) & 0xf;
	uint8_t *buf = malloc(raw ? raw : 1);
	int err = 0;

	if (!buf)
		return 1;
	if (codec == 1)
		err = ZSTD_decompress(buf, raw, payload, stored) != raw;
	else if (codec == 0 && raw == stored)
		memcpy(buf, payload, stored);
	else
		err = 1;
	if (!err) {
		put_le(h[4] | h[5] << 8, 2);
		put_le(le32(h + 40), 4);
		put_le(raw, 4);
		fwrite(buf, 1, raw, stdout);
	}
	free(buf);
	return err;
}

int main(int argc, char **argv)
{
	FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;
	uint8_t *file;
	long size;
	size_t off = 64;

	if (!f) {
		fprintf(stderr, "usage: ebt-payloads FILE.ebt\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	file = malloc((size_t)size + 1);
	if (!file || fread(file, 1, (size_t)size, f) != (size_t)size)
		return 1;
	fclose(f);
	while (off + 56 <= (size_t)size) {
		uint32_t stored = le32(file + off + 8);

		if (le32(file + off) != 0x1a4b43ebu || off + 56 + stored > (size_t)size ||
		    chunk(file + off, file + off + 56)) {
			fprintf(stderr, "ebt-payloads: bad chunk at offset %zu\n", off);
			return 1;
		}
		off += 56 + ((stored + 7u) & ~7u);
	}
	free(file);
	return fflush(stdout) ? 1 : 0;
}
