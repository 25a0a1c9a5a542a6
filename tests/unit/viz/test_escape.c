// SPDX-License-Identifier: MIT
/* The escapers the visual outputs added to analyze/escape.c. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/escape.h"

static char *run(int (*fn)(FILE *, const char *, size_t), const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(fn(f, s, n), 0);
	fclose(f);
	return buf;
}

Test(analyze_viz, json_script_escapes_what_ends_a_script_and_keeps_the_value)
{
	static const char s[] = "</script><!-- & \xe2\x80\xa8 \xe2\x80\xa9 \"q\" \xff";
	char *json = run(ana_esc_json, s, sizeof(s) - 1);
	char *safe = run(ana_esc_json_script, json, strlen(json));
	json_t *a, *b;

	cr_assert_null(strpbrk(safe, "<>&"), "%s", safe);
	cr_assert_null(strstr(safe, "\xe2\x80\xa8"));
	cr_assert_null(strstr(safe, "\xe2\x80\xa9"));
	a = json_loads(json, JSON_DECODE_ANY, NULL);
	b = json_loads(safe, JSON_DECODE_ANY, NULL);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert(json_equal(a, b), "value changed: %s vs %s", json, safe);
	cr_assert_str_eq(json_string_value(b),
			 "</script><!-- & \xe2\x80\xa8 \xe2\x80\xa9 \"q\" \xef\xbf\xbd");
	json_decref(a);
	json_decref(b);
	free(json);
	free(safe);
}

Test(analyze_viz, folded_frame_cannot_add_frames_or_lines)
{
	static const char s[] = "a;b\nc\rd\te\x1b[2J\xc3\x28 ok";
	char *out = run(ana_esc_folded, s, sizeof(s) - 1);

	cr_assert_null(strpbrk(out, ";\n\r\t\x1b"), "%s", out);
	cr_assert_str_eq(out, "a:b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd"
			 "e\xef\xbf\xbd[2J\xef\xbf\xbd( ok");
	free(out);
}
