// SPDX-License-Identifier: MIT
#include "common/syscalls.h"

#include <errno.h>
#include <string.h>

struct name_cat {
	const char *name;
	enum syscall_category cat;
};

/* Sorted by name: looked up with bsearch. Names missing here are "other". */
static const struct name_cat categories[] = {
	{ "accept", SC_NETWORK }, { "accept4", SC_NETWORK },
	{ "access", SC_FILE }, { "alarm", SC_SIGNAL },
	{ "bind", SC_NETWORK }, { "brk", SC_MEMORY },
	{ "cachestat", SC_FILE }, { "chdir", SC_FILE }, { "chmod", SC_FILE },
	{ "chown", SC_FILE }, { "clock_getres", SC_TIME },
	{ "clock_gettime", SC_TIME }, { "clock_nanosleep", SC_TIME },
	{ "clock_settime", SC_TIME }, { "clone", SC_PROCESS },
	{ "clone3", SC_PROCESS }, { "close", SC_FILE },
	{ "close_range", SC_FILE }, { "connect", SC_NETWORK },
	{ "copy_file_range", SC_FILE }, { "creat", SC_FILE },
	{ "dup", SC_FILE }, { "dup2", SC_FILE }, { "dup3", SC_FILE },
	{ "epoll_create", SC_POLL }, { "epoll_create1", SC_POLL },
	{ "epoll_ctl", SC_POLL }, { "epoll_pwait", SC_POLL },
	{ "epoll_pwait2", SC_POLL }, { "epoll_wait", SC_POLL },
	{ "eventfd", SC_IPC }, { "eventfd2", SC_IPC },
	{ "execve", SC_PROCESS }, { "execveat", SC_PROCESS },
	{ "exit", SC_PROCESS }, { "exit_group", SC_PROCESS },
	{ "faccessat", SC_FILE }, { "faccessat2", SC_FILE },
	{ "fadvise64", SC_FILE }, { "fallocate", SC_FILE },
	{ "fchdir", SC_FILE }, { "fchmod", SC_FILE }, { "fchmodat", SC_FILE },
	{ "fchmodat2", SC_FILE }, { "fchown", SC_FILE },
	{ "fchownat", SC_FILE }, { "fcntl", SC_FILE },
	{ "fdatasync", SC_FILE }, { "fgetxattr", SC_FILE },
	{ "flistxattr", SC_FILE }, { "flock", SC_SYNC }, { "fork", SC_PROCESS },
	{ "fremovexattr", SC_FILE }, { "fsetxattr", SC_FILE },
	{ "fstat", SC_FILE }, { "fstatfs", SC_FILE }, { "fsync", SC_FILE },
	{ "ftruncate", SC_FILE }, { "futex", SC_SYNC },
	{ "futex_requeue", SC_SYNC }, { "futex_wait", SC_SYNC },
	{ "futex_waitv", SC_SYNC }, { "futex_wake", SC_SYNC },
	{ "get_robust_list", SC_SYNC }, { "getcwd", SC_FILE },
	{ "getdents", SC_FILE }, { "getdents64", SC_FILE },
	{ "getegid", SC_PROCESS }, { "geteuid", SC_PROCESS },
	{ "getgid", SC_PROCESS }, { "getitimer", SC_TIME },
	{ "getpeername", SC_NETWORK }, { "getpgid", SC_PROCESS },
	{ "getpgrp", SC_PROCESS }, { "getpid", SC_PROCESS },
	{ "getppid", SC_PROCESS }, { "getpriority", SC_PROCESS },
	{ "getrandom", SC_OTHER }, { "getrlimit", SC_PROCESS },
	{ "getrusage", SC_PROCESS }, { "getsid", SC_PROCESS },
	{ "getsockname", SC_NETWORK }, { "getsockopt", SC_NETWORK },
	{ "gettid", SC_PROCESS }, { "gettimeofday", SC_TIME },
	{ "getuid", SC_PROCESS }, { "getxattr", SC_FILE },
	{ "inotify_add_watch", SC_FILE }, { "inotify_init", SC_FILE },
	{ "inotify_init1", SC_FILE }, { "inotify_rm_watch", SC_FILE },
	{ "io_cancel", SC_FILE }, { "io_destroy", SC_FILE },
	{ "io_getevents", SC_FILE }, { "io_pgetevents", SC_FILE },
	{ "io_setup", SC_FILE }, { "io_submit", SC_FILE },
	{ "io_uring_enter", SC_FILE }, { "io_uring_register", SC_FILE },
	{ "io_uring_setup", SC_FILE }, { "ioctl", SC_FILE },
	{ "kill", SC_SIGNAL }, { "lchown", SC_FILE }, { "link", SC_FILE },
	{ "linkat", SC_FILE }, { "listen", SC_NETWORK },
	{ "lseek", SC_FILE }, { "lstat", SC_FILE }, { "madvise", SC_MEMORY },
	{ "membarrier", SC_SYNC }, { "memfd_create", SC_MEMORY },
	{ "mincore", SC_MEMORY }, { "mkdir", SC_FILE }, { "mkdirat", SC_FILE },
	{ "mknod", SC_FILE }, { "mknodat", SC_FILE }, { "mlock", SC_MEMORY },
	{ "mlock2", SC_MEMORY }, { "mlockall", SC_MEMORY },
	{ "mmap", SC_MEMORY }, { "mprotect", SC_MEMORY },
	{ "mq_open", SC_IPC }, { "mq_timedreceive", SC_IPC },
	{ "mq_timedsend", SC_IPC }, { "mq_unlink", SC_IPC },
	{ "mremap", SC_MEMORY }, { "msgctl", SC_IPC }, { "msgget", SC_IPC },
	{ "msgrcv", SC_IPC }, { "msgsnd", SC_IPC }, { "msync", SC_MEMORY },
	{ "munlock", SC_MEMORY }, { "munlockall", SC_MEMORY },
	{ "munmap", SC_MEMORY }, { "nanosleep", SC_TIME },
	{ "newfstatat", SC_FILE }, { "open", SC_FILE }, { "openat", SC_FILE },
	{ "openat2", SC_FILE }, { "pause", SC_SIGNAL },
	{ "pidfd_getfd", SC_PROCESS }, { "pidfd_open", SC_PROCESS },
	{ "pidfd_send_signal", SC_SIGNAL }, { "pipe", SC_IPC },
	{ "pipe2", SC_IPC }, { "pkey_mprotect", SC_MEMORY },
	{ "poll", SC_POLL }, { "ppoll", SC_POLL }, { "prctl", SC_PROCESS },
	{ "pread64", SC_FILE }, { "preadv", SC_FILE }, { "preadv2", SC_FILE },
	{ "prlimit64", SC_PROCESS }, { "pselect6", SC_POLL },
	{ "ptrace", SC_PROCESS }, { "pwrite64", SC_FILE },
	{ "pwritev", SC_FILE }, { "pwritev2", SC_FILE }, { "read", SC_FILE },
	{ "readahead", SC_FILE }, { "readlink", SC_FILE },
	{ "readlinkat", SC_FILE }, { "readv", SC_FILE },
	{ "recvfrom", SC_NETWORK }, { "recvmmsg", SC_NETWORK },
	{ "recvmsg", SC_NETWORK }, { "removexattr", SC_FILE },
	{ "rename", SC_FILE }, { "renameat", SC_FILE },
	{ "renameat2", SC_FILE }, { "rmdir", SC_FILE },
	{ "rseq", SC_SYNC }, { "rt_sigaction", SC_SIGNAL },
	{ "rt_sigpending", SC_SIGNAL }, { "rt_sigprocmask", SC_SIGNAL },
	{ "rt_sigqueueinfo", SC_SIGNAL }, { "rt_sigreturn", SC_SIGNAL },
	{ "rt_sigsuspend", SC_SIGNAL }, { "rt_sigtimedwait", SC_SIGNAL },
	{ "rt_tgsigqueueinfo", SC_SIGNAL },
	{ "sched_getaffinity", SC_PROCESS }, { "sched_setaffinity", SC_PROCESS },
	{ "sched_yield", SC_SYNC }, { "select", SC_POLL },
	{ "semctl", SC_IPC }, { "semget", SC_IPC }, { "semop", SC_IPC },
	{ "semtimedop", SC_IPC }, { "sendfile", SC_NETWORK },
	{ "sendmmsg", SC_NETWORK }, { "sendmsg", SC_NETWORK },
	{ "sendto", SC_NETWORK }, { "set_robust_list", SC_SYNC },
	{ "set_tid_address", SC_PROCESS }, { "setitimer", SC_TIME },
	{ "setpgid", SC_PROCESS }, { "setpriority", SC_PROCESS },
	{ "setrlimit", SC_PROCESS }, { "setsid", SC_PROCESS },
	{ "setsockopt", SC_NETWORK }, { "shmat", SC_IPC }, { "shmctl", SC_IPC },
	{ "shmdt", SC_IPC }, { "shmget", SC_IPC }, { "shutdown", SC_NETWORK },
	{ "sigaltstack", SC_SIGNAL }, { "signalfd", SC_SIGNAL },
	{ "signalfd4", SC_SIGNAL }, { "socket", SC_NETWORK },
	{ "socketpair", SC_NETWORK }, { "splice", SC_FILE },
	{ "stat", SC_FILE }, { "statfs", SC_FILE }, { "statx", SC_FILE },
	{ "symlink", SC_FILE }, { "symlinkat", SC_FILE }, { "sync", SC_FILE },
	{ "sync_file_range", SC_FILE }, { "syncfs", SC_FILE },
	{ "tee", SC_FILE }, { "tgkill", SC_SIGNAL }, { "time", SC_TIME },
	{ "timer_create", SC_TIME }, { "timer_delete", SC_TIME },
	{ "timer_getoverrun", SC_TIME }, { "timer_gettime", SC_TIME },
	{ "timer_settime", SC_TIME }, { "timerfd_create", SC_TIME },
	{ "timerfd_gettime", SC_TIME }, { "timerfd_settime", SC_TIME },
	{ "times", SC_TIME }, { "tkill", SC_SIGNAL }, { "truncate", SC_FILE },
	{ "umask", SC_FILE }, { "uname", SC_OTHER }, { "unlink", SC_FILE },
	{ "unlinkat", SC_FILE }, { "unshare", SC_PROCESS },
	{ "utimensat", SC_FILE }, { "vfork", SC_PROCESS },
	{ "vmsplice", SC_FILE }, { "wait4", SC_PROCESS },
	{ "waitid", SC_PROCESS }, { "write", SC_FILE }, { "writev", SC_FILE },
};

static const char *const category_names[SC__COUNT] = {
	[SC_FILE] = "file", [SC_NETWORK] = "network", [SC_MEMORY] = "memory",
	[SC_PROCESS] = "process", [SC_TIME] = "time", [SC_SYNC] = "sync",
	[SC_POLL] = "poll", [SC_IPC] = "ipc", [SC_SIGNAL] = "signal",
	[SC_OTHER] = "other",
};

/* Syscalls whose first argument is a file descriptor. Sorted. */
static const char *const fd_first[] = {
	"accept", "accept4", "bind", "close", "connect", "copy_file_range",
	"dup", "dup2", "dup3", "epoll_ctl", "epoll_pwait", "epoll_pwait2",
	"epoll_wait", "fadvise64", "fallocate", "fchdir", "fchmod", "fchown",
	"fcntl", "fdatasync", "fgetxattr", "flistxattr", "flock",
	"fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate",
	"getdents", "getdents64", "getpeername", "getsockname", "getsockopt",
	"inotify_add_watch", "inotify_rm_watch", "ioctl", "listen", "lseek",
	"pread64", "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2",
	"read", "readahead", "readv", "recvfrom", "recvmmsg", "recvmsg",
	"sendfile", "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown",
	"splice", "sync_file_range", "syncfs", "tee", "timerfd_gettime",
	"timerfd_settime", "vmsplice", "write", "writev",
};

const char *const *syscalls_native(unsigned int *count, const char **abi)
{
#if defined(__x86_64__)
	*count = syscalls_x86_64_count;
	*abi = "x86_64";
	return syscalls_x86_64;
#else
	*count = syscalls_generic_count;
#if defined(__aarch64__)
	*abi = "aarch64";
#elif defined(__riscv)
	*abi = "riscv64";
#else
	*abi = "generic";
#endif
	return syscalls_generic;
#endif
}

const char *const *syscalls_compat(unsigned int *count, const char **abi)
{
#if defined(__x86_64__)
	*count = syscalls_i386_count;
	*abi = "i386";
	return syscalls_i386;
#else
	*count = 0;
	*abi = "";
	return NULL;
#endif
}

const char *syscalls_name(const char *const *table, unsigned int count,
			  unsigned int nr)
{
	if (!table || nr >= count)
		return NULL;
	return table[nr];
}

int syscalls_lookup(const char *const *table, unsigned int count,
		    const char *name)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (table[i] && !strcmp(table[i], name))
			return (int)i;
	return -ENOENT;
}

static int cmp_name_cat(const void *key, const void *elem)
{
	return strcmp(key, ((const struct name_cat *)elem)->name);
}

static int cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static const void *find(const char *name, const void *base, size_t n,
			size_t size, int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const void *elem = (const char *)base + mid * size;
		int c = cmp(name, elem);

		if (!c)
			return elem;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

enum syscall_category syscalls_category(const char *name)
{
	const struct name_cat *nc;

	if (!name)
		return SC_OTHER;
	nc = find(name, categories, sizeof(categories) / sizeof(categories[0]),
		  sizeof(categories[0]), cmp_name_cat);
	return nc ? nc->cat : SC_OTHER;
}

const char *syscalls_category_name(enum syscall_category c)
{
	if ((unsigned int)c >= SC__COUNT)
		return "other";
	return category_names[c];
}

int syscalls_category_parse(const char *name)
{
	int i;

	for (i = 0; i < SC__COUNT; i++)
		if (!strcmp(name, category_names[i]))
			return i;
	return -ENOENT;
}

int syscalls_first_arg_is_fd(const char *name)
{
	if (!name)
		return 0;
	return find(name, fd_first, sizeof(fd_first) / sizeof(fd_first[0]),
		    sizeof(fd_first[0]), cmp_str) != NULL;
}

/* Generic descriptor I/O: the syscall's category is its descriptor's
 * (docs/REPORT.md): read() on a socket is network, on a pipe ipc. Sorted. */
static const char *const by_fd[] = {
	"close", "read", "readv", "write", "writev",
};

int syscalls_category_by_fd(const char *name)
{
	if (!name)
		return 0;
	return find(name, by_fd, sizeof(by_fd) / sizeof(by_fd[0]), sizeof(by_fd[0]),
		    cmp_str) != NULL;
}
