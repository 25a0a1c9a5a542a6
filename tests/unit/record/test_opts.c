// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <string.h>

#include "common/syscalls.h"
#include "record/record.h"

static struct rec_opts o;

static void setup(void)
{
	rec_opts_init(&o);
	cr_redirect_stderr();
}

static void teardown(void)
{
	rec_opts_free(&o);
}

/* argv outlives the parse: o.cmd points into it. */
static char *argv_store[32];

#define PARSE(...) parse_args((const char *[]){ __VA_ARGS__, NULL })

static int parse_args(const char **args)
{
	int argc = 1;

	argv_store[0] = "ebpf-record";
	while (args[argc - 1] && argc < 31) {
		argv_store[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv_store[argc] = NULL;
	return rec_opts_parse(&o, argc, argv_store);
}

static int in_bitmap(const uint64_t *bits, const char *name)
{
	const char *const *table;
	const char *abi;
	unsigned int count;
	int nr;

	table = syscalls_native(&count, &abi);
	nr = syscalls_lookup(table, count, name);
	cr_assert(nr >= 0, "%s not in the native table", name);
	return (bits[nr / 64] >> (nr % 64)) & 1;
}

static int allowed(const char *name)
{
	return in_bitmap(o.allow, name);
}

static int allowed_by_fd(const char *name)
{
	return in_bitmap(o.allow_by_fd, name);
}

TestSuite(record_opts, .init = setup, .fini = teardown);

Test(record_opts, defaults_follow_children_and_private_mode)
{
	cr_expect(o.follow);
	cr_expect_eq(o.sample_every, 1);
	cr_expect_eq(o.mode, 0600);
	cr_expect_eq(o.buffer_bytes, REC_DEFAULT_BUFFER);
	cr_expect_null(o.cmd);
}

Test(record_opts, launch_form_keeps_command_and_its_options)
{
	cr_assert_eq(PARSE("-o", "t.ebt", "--", "ls", "-l", "/"), 0);
	cr_expect_str_eq(o.output, "t.ebt");
	cr_assert_not_null(o.cmd);
	cr_expect_str_eq(o.cmd[0], "ls");
	cr_expect_str_eq(o.cmd[1], "-l");
	cr_expect_null(o.cmd[3]);
	cr_expect_eq(rec_opts_validate(&o), 0);
}

Test(record_opts, command_without_double_dash_stops_option_parsing)
{
	cr_assert_eq(PARSE("-o", "t.ebt", "sleep", "-v"), 0);
	cr_expect_str_eq(o.cmd[0], "sleep");
	cr_expect_str_eq(o.cmd[1], "-v");
	cr_expect_eq(o.verbose, 0);
}

Test(record_opts, pid_is_repeatable)
{
	cr_assert_eq(PARSE("-p", "10", "--pid", "20", "--pid=30", "-o", "x"), 0);
	cr_assert_eq(o.n_pids, 3);
	cr_expect_eq(o.pids[0], 10);
	cr_expect_eq(o.pids[2], 30);
}

Test(record_opts, pid_given_twice_counts_once)
{
	cr_assert_eq(PARSE("-p", "10", "-p", "10", "-o", "x"), 0);
	cr_expect_eq(o.n_pids, 1);
}

Test(record_opts, rejects_bad_pid)
{
	cr_expect_eq(PARSE("-p", "12x", "-o", "x"), -EINVAL);
	rec_opts_free(&o);
	rec_opts_init(&o);
	cr_expect_eq(PARSE("-p", "0", "-o", "x"), -EINVAL);
}

Test(record_opts, rejects_unknown_option)
{
	cr_expect_eq(PARSE("--bogus", "-o", "x"), -EINVAL);
}

Test(record_opts, numbers_and_units)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "-d", "2.5", "--min-duration-us", "15",
			   "--sample", "10", "--buffer-size", "5000", "--mode", "640"), 0);
	cr_expect_eq(o.duration_ns, 2500000000ull);
	cr_expect_eq(o.min_duration_ns, 15000);
	cr_expect_eq(o.sample_every, 10);
	cr_expect_eq(o.mode, 0640);
	cr_assert_eq(rec_opts_validate(&o), 0);
	cr_expect_eq(o.buffer_bytes, 8192, "rounded up to a power of two");
}

Test(record_opts, buffer_size_suffix)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "--buffer-size", "16M"), 0);
	cr_expect_eq(o.buffer_bytes, 16ull << 20);
}

Test(record_opts, rejects_sample_zero_and_bad_mode)
{
	cr_expect_eq(PARSE("-o", "x", "--sample", "0"), -EINVAL);
	rec_opts_free(&o);
	rec_opts_init(&o);
	cr_expect_eq(PARSE("-o", "x", "--mode", "999"), -EINVAL);
}

Test(record_opts, no_follow_force_quiet_user)
{
	cr_assert_eq(PARSE("--no-follow", "-f", "-q", "-u", "nobody", "-o", "x", "--", "true"),
		     0);
	cr_expect_not(o.follow);
	cr_expect(o.force);
	cr_expect(o.quiet);
	cr_expect_str_eq(o.user, "nobody");
	cr_expect_eq(rec_opts_validate(&o), 0);
}

Test(record_opts, validate_needs_output)
{
	cr_assert_eq(PARSE("-p", "1"), 0);
	cr_expect_eq(rec_opts_validate(&o), -EINVAL);
}

Test(record_opts, validate_needs_a_target)
{
	cr_assert_eq(PARSE("-o", "x"), 0);
	cr_expect_eq(rec_opts_validate(&o), -EINVAL);
}

Test(record_opts, validate_rejects_pid_with_command)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "--", "true"), 0);
	cr_expect_eq(rec_opts_validate(&o), -EINVAL);
}

Test(record_opts, validate_rejects_user_without_command)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "-u", "nobody"), 0);
	cr_expect_eq(rec_opts_validate(&o), -EINVAL);
}

Test(record_opts, syscalls_by_name_and_category)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "-s", "read,network"), 0);
	cr_assert_eq(rec_opts_validate(&o), 0);
	cr_expect(o.filter_syscalls);
	cr_expect(allowed("read"));
	cr_expect(allowed("connect"));
	cr_expect(allowed("accept4"));
	cr_expect_not(allowed("write"));
	cr_expect_not(allowed("futex"));
	/* write() on a socket is network: the kernel looks at its fd */
	cr_expect(allowed_by_fd("write"));
	cr_expect(allowed_by_fd("close"));
	cr_expect_eq(o.fd_kinds, FDK_SOCKET);
}

Test(record_opts, categories_pick_descriptor_kinds)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "-s", "file,ipc"), 0);
	cr_assert_eq(rec_opts_validate(&o), 0);
	cr_expect(allowed("openat"));
	cr_expect_not(allowed("read"), "read() is decided by its descriptor");
	cr_expect(allowed_by_fd("read"));
	cr_expect_eq(o.fd_kinds, FDK_FIFO | FDK_OTHER);
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "-s", "memory"), 0);
	cr_assert_eq(rec_opts_validate(&o), 0);
	cr_expect_eq(o.fd_kinds, 0, "no category of memory takes read()");
}

Test(record_opts, syscalls_all_means_no_filter)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "--syscalls", "all"), 0);
	cr_assert_eq(rec_opts_validate(&o), 0);
	cr_expect_not(o.filter_syscalls);
}

Test(record_opts, unknown_syscall_is_a_usage_error)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1", "-s", "read,nosuchcall"), 0);
	cr_expect_eq(rec_opts_validate(&o), -EINVAL);
}

Test(record_opts, help_prints_usage_to_stdout_and_stops)
{
	char line[128] = "";
	FILE *f;

	cr_redirect_stdout();
	cr_expect_eq(PARSE("--help", "-o", "x"), 1);
	fflush(stdout);
	f = cr_get_redirected_stdout();
	cr_assert_not_null(fgets(line, sizeof(line), f));
	cr_expect_eq(strncmp(line, "Usage: ebpf-record", 18), 0, "got '%s'", line);
}

Test(record_opts, args_text_is_the_command_line)
{
	cr_assert_eq(PARSE("-o", "x", "-p", "1"), 0);
	cr_expect_str_eq(o.args_text, "ebpf-record -o x -p 1");
}
