/* SPDX-License-Identifier: MIT */
/*
 * The one layout shared by the BPF programs and record/. Any change bumps
 * SYSCALL_EVENT_ABI (stored in the .ebt FILE_INFO as "event_abi").
 */
#ifndef BPF_SYSCALL_EVENT_H
#define BPF_SYSCALL_EVENT_H
#ifndef __VMLINUX_H__			/* user space; BPF already has vmlinux.h */
#include <linux/types.h>
#endif

#define SYSCALL_EVENT_ABI 1

struct syscall_event {
	__u64 enter_ns;			/* CLOCK_BOOTTIME (bpf_ktime_get_boot_ns) */
	__u64 duration_ns;
	__s64 ret;
	__u64 arg0;			/* the fd, for syscalls whose first argument is one */
	__u32 tgid, tid;
	__u32 nr, cpu;			/* nr is the arch's syscall number */
};
_Static_assert(sizeof(struct syscall_event) == 48, "syscall_event layout changed");

#endif
