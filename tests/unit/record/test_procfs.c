// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/rec_internal.h"

/* A listening socket on addr (AF_INET or AF_INET6 loopback); its port. */
static int listen_on(int family, int *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0 && family == AF_INET6)
		return -1;	/* no IPv6 here */
	cr_assert_geq(fd, 0);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
		 sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6))) {
		cr_assert_eq(family, AF_INET6, "cannot bind 127.0.0.1");
		close(fd);
		return -1;
	}
	cr_assert_eq(listen(fd, 1), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
		      ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static uint64_t inode_of(int fd)
{
	struct stat st;

	cr_assert_eq(fstat(fd, &st), 0);
	return st.st_ino;
}

TestSuite(record_procfs);

Test(record_procfs, net_tables_give_ipv4_and_ipv6_addresses)
{
	struct rec_net net = { 0 };
	const struct rec_sock *s;
	char want[64];
	int p4, p6, f4, f6;

	f4 = listen_on(AF_INET, &p4);
	f6 = listen_on(AF_INET6, &p6);
	cr_assert_eq(rec_net_load(&net, (uint32_t)getpid()), 0);
	s = rec_net_find(&net, inode_of(f4));
	cr_assert_not_null(s, "IPv4 listener not in /proc/net/tcp");
	snprintf(want, sizeof(want), "127.0.0.1:%d", p4);
	cr_expect_str_eq(s->local, want);
	cr_expect_str_eq(s->peer, "", "a listener has no peer");
	cr_expect_eq(s->family, AF_INET);
	cr_expect_eq(s->type, SOCK_STREAM);
	if (f6 >= 0) {
		s = rec_net_find(&net, inode_of(f6));
		cr_assert_not_null(s, "IPv6 listener not in /proc/net/tcp6");
		snprintf(want, sizeof(want), "[::1]:%d", p6);
		cr_expect_str_eq(s->local, want);
		cr_expect_eq(s->family, AF_INET6);
		close(f6);
	}
	rec_net_free(&net);
	close(f4);
}

Test(record_procfs, fd_of_a_connected_socket_has_both_ends)
{
	struct rec_fd_info fi;
	struct rec_net net = { 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char want[64];
	int port, lfd, cfd;

	lfd = listen_on(AF_INET, &port);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(cfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(rec_proc_fd((uint32_t)getpid(), cfd, &net, &fi), 0);
	cr_expect_eq(fi.kind, EBT_FD_SOCKET);
	cr_expect_eq(fi.family, AF_INET);
	cr_expect_eq(fi.type, SOCK_STREAM);
	snprintf(want, sizeof(want), "127.0.0.1:%d", port);
	cr_expect_str_eq(fi.peer, want);
	cr_expect_eq(strncmp(fi.local, "127.0.0.1:", 10), 0, "local %s", fi.local);
	cr_expect_eq(strncmp(fi.path, "socket:[", 8), 0);
	rec_net_free(&net);
	close(cfd);
	close(lfd);
}

Test(record_procfs, fd_kinds_of_pipe_file_and_char_device)
{
	struct rec_fd_info fi;
	int p[2], dn;

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(rec_proc_fd((uint32_t)getpid(), p[0], NULL, &fi), 0);
	cr_expect_eq(fi.kind, EBT_FD_PIPE);
	dn = open("/dev/null", O_RDONLY);
	cr_assert_eq(rec_proc_fd((uint32_t)getpid(), dn, NULL, &fi), 0);
	cr_expect_eq(fi.kind, EBT_FD_CHAR);
	cr_expect_str_eq(fi.path, "/dev/null");
	cr_expect_eq(rec_proc_fd((uint32_t)getpid(), 987654, NULL, &fi), -ENOENT);
	close(p[0]);
	close(p[1]);
	close(dn);
}

Test(record_procfs, task_threads_and_children_of_self)
{
	struct rec_task_info t;
	uint32_t *list = NULL, tgid = 0;
	pid_t kid;
	int n, i, found = 0;

	cr_assert_eq(rec_proc_task((uint32_t)getpid(), (uint32_t)getpid(), &t), 0);
	cr_expect_eq(t.ppid, (uint32_t)getppid());
	cr_expect_gt(t.start_ns, 0);
	cr_expect_gt(t.cmdline_len, 0);
	rec_task_info_free(&t);
	n = rec_proc_threads((uint32_t)getpid(), &list);
	cr_expect_geq(n, 1);
	free(list);
	cr_expect_eq(rec_proc_tgid((uint32_t)getpid(), &tgid), 0);
	cr_expect_eq(tgid, (uint32_t)getpid());
	kid = fork();
	if (kid == 0) {
		pause();
		_exit(0);
	}
	n = rec_proc_children((uint32_t)getpid(), &list);
	for (i = 0; i < n; i++)
		found |= list[i] == (uint32_t)kid;
	free(list);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	cr_expect(found, "child %d not listed", (int)kid);
	cr_expect_eq(rec_proc_task(999999, 999999, &t), -ENOENT);
}
