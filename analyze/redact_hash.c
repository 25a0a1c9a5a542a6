// SPDX-License-Identifier: MIT
/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) for `ebpf-analyze redact`.
 * Small and portable on purpose: redaction hashes only metadata strings (a
 * few thousand per trace), so speed does not matter, and no crypto library
 * is a dependency of the tools. Test vectors: tests/unit/redact/test_hash.c.
 */
#include "analyze/redact.h"

#include <string.h>

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(uint32_t h[8], const uint8_t blk[64])
{
	uint32_t w[64], a[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
		       (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(a, h, sizeof(a));
	for (i = 0; i < 64; i++) {
		t1 = a[7] + (ror(a[4], 6) ^ ror(a[4], 11) ^ ror(a[4], 25)) +
		     ((a[4] & a[5]) ^ (~a[4] & a[6])) + K[i] + w[i];
		t2 = (ror(a[0], 2) ^ ror(a[0], 13) ^ ror(a[0], 22)) +
		     ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));
		memmove(a + 1, a, 7 * sizeof(a[0]));
		a[4] += t1;
		a[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		h[i] += a[i];
}

void ana_sha256_init(struct ana_sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->n = 0;
}

void ana_sha256_update(struct ana_sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;

	s->len += n;
	while (n) {
		size_t take = 64 - s->n < n ? 64 - s->n : n;

		memcpy(s->buf + s->n, p, take);
		s->n += take;
		p += take;
		n -= take;
		if (s->n == 64) {
			compress(s->h, s->buf);
			s->n = 0;
		}
	}
}

void ana_sha256_final(struct ana_sha256 *s, uint8_t out[ANA_SHA256_LEN])
{
	uint64_t bits = s->len * 8;
	uint8_t pad = 0x80, zero = 0, len_be[8];
	int i;

	ana_sha256_update(s, &pad, 1);
	while (s->n != 56)
		ana_sha256_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		len_be[i] = (uint8_t)(bits >> (56 - 8 * i));
	ana_sha256_update(s, len_be, 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
}

void ana_hmac_init(struct ana_hmac *m, const uint8_t *key, size_t klen)
{
	uint8_t k[64] = { 0 }, pad[64];
	int i;

	if (klen > 64) {
		ana_sha256_init(&m->inner);
		ana_sha256_update(&m->inner, key, klen);
		ana_sha256_final(&m->inner, k);
	} else if (klen) {
		memcpy(k, key, klen);
	}
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	ana_sha256_init(&m->inner);
	ana_sha256_update(&m->inner, pad, 64);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	ana_sha256_init(&m->outer);
	ana_sha256_update(&m->outer, pad, 64);
}

void ana_hmac_sum(const struct ana_hmac *m, const void *msg, size_t n,
		  uint8_t out[ANA_SHA256_LEN])
{
	struct ana_sha256 s = m->inner;
	uint8_t ih[ANA_SHA256_LEN];

	ana_sha256_update(&s, msg, n);
	ana_sha256_final(&s, ih);
	s = m->outer;
	ana_sha256_update(&s, ih, sizeof(ih));
	ana_sha256_final(&s, out);
}

void ana_hmac_sha256(const uint8_t *key, size_t klen, const void *msg, size_t n,
		     uint8_t out[ANA_SHA256_LEN])
{
	struct ana_hmac m;

	ana_hmac_init(&m, key, klen);
	ana_hmac_sum(&m, msg, n, out);
}
