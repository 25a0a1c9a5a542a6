// SPDX-License-Identifier: MIT
/*
 * Socket facts straight from the socket: the target's fd is duplicated with
 * pidfd_getfd() (Linux 5.6, needs ptrace rights over the target, which root
 * has) and asked getsockname/getpeername/SO_DOMAIN/SO_TYPE. That costs a few
 * syscalls per socket, where /proc/net/tcp costs a walk of the whole
 * connection hash table per read; /proc/net stays the fallback.
 */
#include "record/rec_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void addr_text(const struct sockaddr_storage *ss, socklen_t len, char *out,
		      size_t size);

void rec_sockaddr_text(const void *addr, uint32_t len, char *out, size_t size)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, addr, len < sizeof(ss) ? len : sizeof(ss));
	addr_text(&ss, (socklen_t)len, out, size);
}

/* "1.2.3.4:80", "[::1]:443", "/run/x.sock", "@abstract"; "" otherwise. */
static void addr_text(const struct sockaddr_storage *ss, socklen_t len, char *out,
		      size_t size)
{
	const struct sockaddr_in *in4 = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;
	const struct sockaddr_un *un = (const void *)ss;
	char ip[INET6_ADDRSTRLEN];
	size_t plen;

	out[0] = 0;
	if (ss->ss_family == AF_INET && inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof(ip))) {
		snprintf(out, size, "%s:%u", ip, ntohs(in4->sin_port));
	} else if (ss->ss_family == AF_INET6 &&
		   inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip))) {
		snprintf(out, size, "[%s]:%u", ip, ntohs(in6->sin6_port));
	} else if (ss->ss_family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path)) {
		plen = len - offsetof(struct sockaddr_un, sun_path);
		if (un->sun_path[0])
			snprintf(out, size, "%.*s", (int)strnlen(un->sun_path, plen), un->sun_path);
		else if (plen > 1)
			snprintf(out, size, "@%.*s", (int)(plen - 1), un->sun_path + 1);
	}
}

/* An unset address ("0.0.0.0:0", "[::]:0") is no address. */
static void drop_unset(char *text)
{
	if (!strcmp(text, "0.0.0.0:0") || !strcmp(text, "[::]:0"))
		text[0] = 0;
}

static int query(int sock, struct rec_fd_info *out)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int v;

	len = sizeof(v);
	if (getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &v, &len))
		return -errno;
	out->family = (uint16_t)v;
	len = sizeof(v);
	if (!getsockopt(sock, SOL_SOCKET, SO_TYPE, &v, &len))
		out->type = (uint16_t)v;
	len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (!getsockname(sock, (struct sockaddr *)&ss, &len))
		addr_text(&ss, len, out->local, sizeof(out->local));
	len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (!getpeername(sock, (struct sockaddr *)&ss, &len))
		addr_text(&ss, len, out->peer, sizeof(out->peer));
	drop_unset(out->local);
	drop_unset(out->peer);
	return 0;
}

int rec_sock_query(uint32_t pid, int fd, struct rec_fd_info *out)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
	int pidfd, sock, err;

	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0)
		return -errno;
	sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	err = sock < 0 ? -errno : 0;
	close(pidfd);
	if (err)
		return err;
	err = query(sock, out);
	close(sock);
	return err;
#else
	(void)pid;
	(void)fd;
	(void)out;
	return -ENOSYS;
#endif
}
