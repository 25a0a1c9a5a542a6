// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "common/syscalls.h"

Test(common_syscalls, x86_64_table_names_known_numbers)
{
	cr_expect_str_eq(syscalls_name(syscalls_x86_64, syscalls_x86_64_count, 0), "read");
	cr_expect_str_eq(syscalls_name(syscalls_x86_64, syscalls_x86_64_count, 74), "fsync");
	cr_expect_str_eq(syscalls_name(syscalls_x86_64, syscalls_x86_64_count, 202), "futex");
	cr_expect_str_eq(syscalls_name(syscalls_x86_64, syscalls_x86_64_count, 455),
			 "futex_wait");
	cr_expect_null(syscalls_name(syscalls_x86_64, syscalls_x86_64_count, 100000));
	cr_expect_eq(syscalls_lookup(syscalls_x86_64, syscalls_x86_64_count, "getppid"), 110);
	cr_expect_eq(syscalls_lookup(syscalls_x86_64, syscalls_x86_64_count, "nope"), -ENOENT);
}

Test(common_syscalls, generic_table_is_aarch64_numbering)
{
	cr_expect_str_eq(syscalls_name(syscalls_generic, syscalls_generic_count, 63), "read");
	cr_expect_str_eq(syscalls_name(syscalls_generic, syscalls_generic_count, 98), "futex");
}

Test(common_syscalls, categories)
{
	cr_expect_eq(syscalls_category("read"), SC_FILE);
	cr_expect_eq(syscalls_category("sendto"), SC_NETWORK);
	cr_expect_eq(syscalls_category("futex"), SC_SYNC);
	cr_expect_eq(syscalls_category("epoll_wait"), SC_POLL);
	cr_expect_eq(syscalls_category("nanosleep"), SC_TIME);
	cr_expect_eq(syscalls_category("mmap"), SC_MEMORY);
	cr_expect_eq(syscalls_category("kill"), SC_SIGNAL);
	cr_expect_eq(syscalls_category("pipe2"), SC_IPC);
	cr_expect_eq(syscalls_category("clone3"), SC_PROCESS);
	cr_expect_eq(syscalls_category("no_such_call"), SC_OTHER);
	cr_expect_eq(syscalls_category_parse("network"), SC_NETWORK);
	cr_expect_eq(syscalls_category_parse("bogus"), -ENOENT);
	cr_expect_str_eq(syscalls_category_name(SC_POLL), "poll");
}

Test(common_syscalls, fd_first_argument)
{
	cr_expect(syscalls_first_arg_is_fd("read"));
	cr_expect(syscalls_first_arg_is_fd("epoll_wait"));
	cr_expect(!syscalls_first_arg_is_fd("nanosleep"));
	cr_expect(!syscalls_first_arg_is_fd("getppid"));
	cr_expect(!syscalls_first_arg_is_fd(NULL));
}

Test(common_syscalls, category_by_descriptor)
{
	cr_expect(syscalls_category_by_fd("read"));
	cr_expect(syscalls_category_by_fd("writev"));
	cr_expect(syscalls_category_by_fd("close"));
	cr_expect(!syscalls_category_by_fd("pread64"), "positioned I/O is file I/O");
	cr_expect(!syscalls_category_by_fd("recvfrom"), "network by itself");
	cr_expect(!syscalls_category_by_fd("fsync"));
	cr_expect(!syscalls_category_by_fd(NULL));
}

Test(common_syscalls, compat_table_is_i386_on_x86_64)
{
	const char *const *t;
	unsigned int count;
	const char *abi;

	t = syscalls_compat(&count, &abi);
#if defined(__x86_64__)
	cr_assert_not_null(t);
	cr_expect_str_eq(abi, "i386");
	cr_expect_str_eq(syscalls_name(t, count, 20), "getpid");
	cr_expect_str_eq(syscalls_name(t, count, 3), "read");
	cr_expect_str_eq(syscalls_name(t, count, 102), "socketcall");
#else
	cr_expect_null(t);
#endif
}
