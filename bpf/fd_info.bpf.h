/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the kernel knows of the current task's descriptors, read with CO-RE:
 * the kind of an fd (for --syscalls CATEGORY on read/write/close) and the
 * peer of an accepted socket. Included by syslat.bpf.c only.
 */
#ifndef BPF_FD_INFO_BPF_H
#define BPF_FD_INFO_BPF_H

#define S_IFMT_		00170000
#define S_IFSOCK_	0140000
#define S_IFIFO_	0010000

/* The current task's open file fd, or NULL. */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds, *f;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

static __always_inline __u32 fd_kind(int fd)
{
	struct file *f = fd_file(fd);
	__u32 fmt;

	if (!f)
		return FDK_OTHER;
	fmt = BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT_;
	return fmt == S_IFSOCK_ ? FDK_SOCKET : fmt == S_IFIFO_ ? FDK_FIFO : FDK_OTHER;
}

#define AF_INET_	2
#define AF_INET6_	10

/*
 * The peer of the socket accept() just returned, as a struct sockaddr, read
 * from the kernel's socket (the caller may have passed no address buffer).
 * Returns its length, 0 when fd is not an IPv4/IPv6 socket.
 */
static __always_inline __u32 accepted_peer(int fd, __u8 *addr)
{
	struct file *f = fd_file(fd);
	struct socket *sock;
	struct sock *sk;
	__u16 family;
	__be16 port;

	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT_) != S_IFSOCK_)
		return 0;
	sock = BPF_CORE_READ(f, private_data);
	sk = BPF_CORE_READ(sock, sk);
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	port = BPF_CORE_READ(sk, __sk_common.skc_dport);
	__builtin_memcpy(addr, &family, 2);	/* sa_family, host order */
	__builtin_memcpy(addr + 2, &port, 2);	/* sin_port, network order */
	if (family == AF_INET_) {
		__be32 a = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(addr + 4, &a, 4);
		return 16;
	}
	if (family == AF_INET6_) {
		/* sin6_flowinfo (4 bytes, zero) then sin6_addr */
		if (bpf_core_read(addr + 8, 16, &sk->__sk_common.skc_v6_daddr))
			return 0;
		return 28;
	}
	return 0;
}

#endif
