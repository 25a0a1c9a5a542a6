// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>

#include "common/parse.h"

Test(common_parse, u64_accepts_whole_numbers_in_range)
{
	uint64_t v = 0;

	cr_expect_eq(parse_u64("42", 0, 100, &v), 0);
	cr_expect_eq(v, 42);
	cr_expect_eq(parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	cr_expect_eq(v, UINT64_MAX);
}

Test(common_parse, u64_rejects_junk_sign_and_range)
{
	uint64_t v = 7;

	cr_expect_eq(parse_u64("", 0, 100, &v), -EINVAL);
	cr_expect_eq(parse_u64("12x", 0, 100, &v), -EINVAL);
	cr_expect_eq(parse_u64("-1", 0, 100, &v), -EINVAL);
	cr_expect_eq(parse_u64(" 1", 0, 100, &v), -EINVAL);
	cr_expect_eq(parse_u64("101", 0, 100, &v), -ERANGE);
	cr_expect_eq(parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	cr_expect_eq(v, 7);
}

Test(common_parse, i64_handles_signs)
{
	int64_t v = 0;

	cr_expect_eq(parse_i64("-5", -10, 10, &v), 0);
	cr_expect_eq(v, -5);
	cr_expect_eq(parse_i64("-11", -10, 10, &v), -ERANGE);
	cr_expect_eq(parse_i64("-", -10, 10, &v), -EINVAL);
}

Test(common_parse, seconds_with_fraction)
{
	uint64_t ns = 0;

	cr_expect_eq(parse_seconds_ns("2.5", &ns), 0);
	cr_expect_eq(ns, 2500000000ull);
	cr_expect_eq(parse_seconds_ns("0.000000001", &ns), 0);
	cr_expect_eq(ns, 1);
	cr_expect_eq(parse_seconds_ns("1.", &ns), -EINVAL);
	cr_expect_eq(parse_seconds_ns(".5", &ns), -EINVAL);
	cr_expect_eq(parse_seconds_ns("99999999999999999999", &ns), -ERANGE);
}

Test(common_parse, size_suffixes)
{
	uint64_t v = 0;

	cr_expect_eq(parse_size("256K", 0, UINT64_MAX, &v), 0);
	cr_expect_eq(v, 256 * 1024);
	cr_expect_eq(parse_size("8m", 0, UINT64_MAX, &v), 0);
	cr_expect_eq(v, 8u << 20);
	cr_expect_eq(parse_size("4096", 0, UINT64_MAX, &v), 0);
	cr_expect_eq(v, 4096);
	cr_expect_eq(parse_size("1G", 0, 1u << 20, &v), -ERANGE);
	cr_expect_eq(parse_size("K", 0, UINT64_MAX, &v), -EINVAL);
}
