/* SPDX-License-Identifier: MIT */
/*
 * Syscall names per arch and the categories both tools use. The tables are
 * generated (common/gen-syscalls.py); categories are keyed by name, so they
 * work for any arch whose trace carries its own syscall table.
 */
#ifndef COMMON_SYSCALLS_H
#define COMMON_SYSCALLS_H

#include <stddef.h>

extern const char *const syscalls_x86_64[];
extern const unsigned int syscalls_x86_64_count;
extern const char *const syscalls_generic[];	/* aarch64, riscv64, ... */
extern const unsigned int syscalls_generic_count;
extern const char *const syscalls_i386[];	/* x86_64's compat table */
extern const unsigned int syscalls_i386_count;

enum syscall_category {
	SC_FILE = 0,	/* file I/O */
	SC_NETWORK,
	SC_MEMORY,
	SC_PROCESS,
	SC_TIME,	/* time and sleep */
	SC_SYNC,	/* futex and friends */
	SC_POLL,	/* polling / waiting for readiness */
	SC_IPC,
	SC_SIGNAL,
	SC_OTHER,
	SC__COUNT
};

/* The table of the machine this was built for, and its abi name
 * ("x86_64", "aarch64", ...). */
const char *const *syscalls_native(unsigned int *count, const char **abi);

/* The table of this architecture's 32-bit compat syscalls (i386 on x86_64),
 * or NULL where none is built in. */
const char *const *syscalls_compat(unsigned int *count, const char **abi);

/* Name of nr in a table, or NULL when out of range or a hole. */
const char *syscalls_name(const char *const *table, unsigned int count,
			  unsigned int nr);

/* Number of name in a table, or -ENOENT. */
int syscalls_lookup(const char *const *table, unsigned int count,
		    const char *name);

/* Category of a syscall name; unknown names are SC_OTHER. */
enum syscall_category syscalls_category(const char *name);

/* "file", "network", ... and back (-ENOENT for an unknown name). */
const char *syscalls_category_name(enum syscall_category c);
int syscalls_category_parse(const char *name);

/* Whether a syscall takes an fd as its first argument. */
int syscalls_first_arg_is_fd(const char *name);

/* Whether a syscall's category follows its descriptor's kind (generic fd
 * I/O: read, write, close...): network on a socket, ipc on a pipe or
 * eventfd, time on a timerfd, signal on a signalfd, else its own (file). */
int syscalls_category_by_fd(const char *name);

#endif
