// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/record.h"

static struct rec_opts o;
static char dir[64];
static char path[128];
static char err[512];

static void setup(void)
{
	rec_opts_init(&o);
	strcpy(dir, "/tmp/rec-config-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.yaml", dir);
	err[0] = 0;
	cr_redirect_stderr();
}

static void teardown(void)
{
	rec_opts_free(&o);
	unlink(path);
	rmdir(dir);
}

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static int load(const char *text)
{
	write_file(text);
	return rec_config_load(&o, path, err, sizeof(err));
}

TestSuite(record_config, .init = setup, .fini = teardown);

Test(record_config, loads_every_section)
{
	int rc = load("profiler:\n"
		      "  pids: [11, 22]\n"
		      "  follow_children: false\n"
		      "  duration: 1.5\n"
		      "  buffer_size: 1M\n"
		      "syscalls: [read, network]\n"
		      "filters:\n"
		      "  min_duration_us: 20\n"
		      "  sample_every: 4\n"
		      "output:\n"
		      "  file: out.ebt\n"
		      "  force: yes\n"
		      "  mode: \"0640\"\n"
		      "analysis:\n"
		      "  top: 10\n"
		      "  slow_ms: [1, 2, {x: y}]\n");

	cr_assert_eq(rc, 0, "%s", err);
	cr_expect_eq(o.n_pids, 2);
	cr_expect_eq(o.pids[1], 22);
	cr_expect_not(o.follow);
	cr_expect_eq(o.duration_ns, 1500000000ull);
	cr_expect_eq(o.buffer_bytes, 1ull << 20);
	cr_expect_str_eq(o.syscalls, "read,network");
	cr_expect_eq(o.min_duration_ns, 20000);
	cr_expect_eq(o.sample_every, 4);
	cr_expect_str_eq(o.output, "out.ebt");
	cr_expect(o.force);
	cr_expect_eq(o.mode, 0640);
}

Test(record_config, unknown_key_names_key_and_line)
{
	int rc = load("profiler:\n  duration: 3\n  durration: 4\n");

	cr_expect_eq(rc, -EINVAL);
	cr_expect_not_null(strstr(err, "durration"), "%s", err);
	cr_expect_not_null(strstr(err, ":3:"), "%s", err);
}

Test(record_config, unknown_section_is_an_error)
{
	int rc = load("output:\n  file: x\nprofilr:\n  duration: 1\n");

	cr_expect_eq(rc, -EINVAL);
	cr_expect_not_null(strstr(err, "profilr"), "%s", err);
	cr_expect_not_null(strstr(err, ":3:"), "%s", err);
}

Test(record_config, bad_value_names_the_key)
{
	int rc = load("filters:\n  sample_every: many\n");

	cr_expect_eq(rc, -EINVAL);
	cr_expect_not_null(strstr(err, "sample_every"), "%s", err);
	cr_expect_not_null(strstr(err, ":2:"), "%s", err);
}

Test(record_config, syscalls_as_mapping_or_string)
{
	cr_assert_eq(load("syscalls:\n  include: [write, futex]\n"), 0, "%s", err);
	cr_expect_str_eq(o.syscalls, "write,futex");
	cr_assert_eq(load("syscalls: \"read,file\"\n"), 0, "%s", err);
	cr_expect_str_eq(o.syscalls, "read,file");
}

Test(record_config, analysis_is_parsed_but_ignored)
{
	cr_expect_eq(load("analysis:\n  anything: [1, 2]\n  nested: {a: {b: c}}\n"), 0, "%s",
		     err);
}

Test(record_config, invalid_yaml_reports_line)
{
	int rc = load("profiler:\n  duration: 1\n   bad: [\n");

	cr_expect_eq(rc, -EINVAL);
	cr_expect_not_null(strstr(err, path), "%s", err);
}

Test(record_config, missing_file)
{
	snprintf(path, sizeof(path), "%s/none.yaml", dir);
	cr_expect_eq(rec_config_load(&o, path, err, sizeof(err)), -ENOENT);
	cr_expect_not_null(strstr(err, "none.yaml"), "%s", err);
}

Test(record_config, empty_file_is_fine)
{
	cr_expect_eq(load(""), 0, "%s", err);
}

Test(record_config, command_line_overrides_config)
{
	char *argv[] = { "ebpf-record", "-d", "7", "--config", path, "-o", "cli.ebt", NULL };

	write_file("profiler:\n  duration: 3\n  pids: [5]\noutput:\n  file: cfg.ebt\n");
	cr_assert_eq(rec_opts_parse(&o, 7, argv), 0);
	cr_expect_eq(o.duration_ns, 7000000000ull);
	cr_expect_str_eq(o.output, "cli.ebt");
	cr_expect_eq(o.n_pids, 1);
	cr_expect_eq(o.pids[0], 5);
}

Test(record_config, bad_config_is_a_usage_error)
{
	char *argv[] = { "ebpf-record", "-c", path, NULL };

	write_file("profiler: {nope: 1}\n");
	cr_expect_eq(rec_opts_parse(&o, 3, argv), -EINVAL);
}
