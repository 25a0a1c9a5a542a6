// SPDX-License-Identifier: MIT
/* Files written by released versions stay readable (docs/FORMAT.md §10). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "format/ebt.h"
#include "tests/unit/format/fmt_test.h"
#include "tests/unit/format/golden_v1.h"

Test(format_golden, reads_the_1_0_golden_file_exactly)
{
	char *dir = fmt_mkdtemp();
	struct ebt_event want[50];
	struct fmt_read r;

	fmt_gen_events(want, 50, 77);
	fmt_spit(fmt_path(dir, "golden.ebt"), golden_v1, sizeof(golden_v1));
	fmt_read_file(fmt_path(dir, "golden.ebt"), &r);
	cr_assert_eq(r.open_err, 0);
	cr_assert_eq(r.end, 0);
	cr_assert_eq(r.info.major, 1);
	cr_assert_eq(r.info.minor, 0);
	cr_assert_eq(r.info.clock_id, 7, "CLOCK_BOOTTIME");
	cr_assert_eq(r.n_events, 50);
	for (size_t i = 0; i < 50; i++)
		cr_assert(fmt_event_eq(&r.events[i], &want[i]), "event %zu", i);
	cr_assert_eq(r.n_records, 3);
	cr_assert_str_eq(r.kv, "hostname=golden;");
	cr_assert_eq(r.info.lost_events, 5);
	cr_assert(r.info.footer_seen && !r.info.truncated);
	cr_assert_eq(r.info.damaged_chunks + r.info.unknown_chunks + r.warnings, 0);
	fmt_read_free(&r);
	fmt_rmdir(dir);
}
