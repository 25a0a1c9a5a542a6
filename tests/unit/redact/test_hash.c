// SPDX-License-Identifier: MIT
/* SHA-256 against FIPS 180-4 examples, HMAC-SHA256 against RFC 4231. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "analyze/redact.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha(const void *p, size_t n, char *out)
{
	struct ana_sha256 s;
	uint8_t d[ANA_SHA256_LEN];

	ana_sha256_init(&s);
	ana_sha256_update(&s, p, n);
	ana_sha256_final(&s, d);
	hex(d, sizeof(d), out);
}

Test(redact_sha256, fips_180_4_examples)
{
	char out[65];

	sha("abc", 3, out);
	cr_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha("", 0, out);
	cr_assert_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, out);
	cr_assert_str_eq(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(redact_sha256, million_a_in_odd_pieces)
{
	struct ana_sha256 s;
	uint8_t d[ANA_SHA256_LEN];
	char buf[997], out[65];
	size_t left = 1000000;

	memset(buf, 'a', sizeof(buf));
	ana_sha256_init(&s);
	while (left) {
		size_t n = left < sizeof(buf) ? left : sizeof(buf);

		ana_sha256_update(&s, buf, n);
		left -= n;
	}
	ana_sha256_final(&s, d);
	hex(d, sizeof(d), out);
	cr_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void hmac(const void *key, size_t klen, const void *msg, size_t n, char *out)
{
	uint8_t d[ANA_SHA256_LEN];

	ana_hmac_sha256(key, klen, msg, n, d);
	hex(d, sizeof(d), out);
}

Test(redact_hmac, rfc4231_cases_1_to_4)
{
	uint8_t k1[20], k3[20], k4[25], m3[50], m4[50];
	char out[65];

	memset(k1, 0x0b, sizeof(k1));
	hmac(k1, 20, "Hi There", 8, out);
	cr_assert_str_eq(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	hmac("Jefe", 4, "what do ya want for nothing?", 28, out);
	cr_assert_str_eq(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(k3, 0xaa, sizeof(k3));
	memset(m3, 0xdd, sizeof(m3));
	hmac(k3, 20, m3, 50, out);
	cr_assert_str_eq(out, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
	for (int i = 0; i < 25; i++)
		k4[i] = (uint8_t)(i + 1);
	memset(m4, 0xcd, sizeof(m4));
	hmac(k4, 25, m4, 50, out);
	cr_assert_str_eq(out, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

Test(redact_hmac, rfc4231_cases_6_7_long_keys)
{
	static const char m6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char m7[] = "This is a test using a larger than block-size key and a larger "
				 "than block-size data. The key needs to be hashed before being "
				 "used by the HMAC algorithm.";
	uint8_t k[131];
	char out[65];

	memset(k, 0xaa, sizeof(k));
	hmac(k, sizeof(k), m6, strlen(m6), out);
	cr_assert_str_eq(out, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	hmac(k, sizeof(k), m7, strlen(m7), out);
	cr_assert_str_eq(out, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

Test(redact_hmac, precomputed_pads_reusable)
{
	struct ana_hmac m;
	uint8_t a[ANA_SHA256_LEN], b[ANA_SHA256_LEN], c[ANA_SHA256_LEN];

	ana_hmac_init(&m, (const uint8_t *)"Jefe", 4);
	ana_hmac_sum(&m, "x", 1, a);
	ana_hmac_sum(&m, "what do ya want for nothing?", 28, b);
	ana_hmac_sum(&m, "x", 1, c);
	cr_assert_eq(memcmp(a, c, sizeof(a)), 0);
	ana_hmac_sha256((const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28, a);
	cr_assert_eq(memcmp(a, b, sizeof(a)), 0);
}
