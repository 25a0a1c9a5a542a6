// SPDX-License-Identifier: MIT
/* Sockets of a network namespace from /proc/PID/net/{tcp,tcp6,udp,udp6,unix},
 * keyed by inode, with their addresses as text ("127.0.0.1:80", "[::1]:443"). */
#include "record/rec_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "common/alloc.h"

/* "0100007F" per 32-bit word, each in host byte order, as the kernel prints. */
static int hex_addr(const char *hex, int family, char *buf, size_t len)
{
	unsigned char addr[16];
	size_t words = family == AF_INET6 ? 4 : 1, i;
	char word[9];
	uint32_t v;

	if (strlen(hex) != words * 8)
		return -EINVAL;
	for (i = 0; i < words; i++) {
		memcpy(word, hex + i * 8, 8);
		word[8] = 0;
		v = (uint32_t)strtoul(word, NULL, 16);
		memcpy(addr + i * 4, &v, 4);
	}
	if (!inet_ntop(family, addr, buf, (socklen_t)len))
		return -EINVAL;
	return 0;
}

static void format_endpoint(const char *hex, unsigned int port, int family, char *out,
			    size_t len, int peer)
{
	char ip[INET6_ADDRSTRLEN];

	out[0] = 0;
	if (hex_addr(hex, family, ip, sizeof(ip)))
		return;
	if (peer && port == 0)
		return;	/* listening or unconnected: no peer */
	if (family == AF_INET6)
		snprintf(out, len, "[%s]:%u", ip, port);
	else
		snprintf(out, len, "%s:%u", ip, port);
}

static struct rec_sock *push(struct rec_net *net)
{
	if (alloc_grow((void **)&net->socks, &net->cap, net->n + 1, sizeof(*net->socks)))
		return NULL;
	memset(&net->socks[net->n], 0, sizeof(*net->socks));
	return &net->socks[net->n++];
}

static void load_inet(struct rec_net *net, uint32_t pid, const char *name, int family,
		      int type)
{
	char path[64], line[512], lhex[40], rhex[40];
	unsigned int lport, rport, state;
	unsigned long long ino;
	struct rec_sock *s;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/net/%s", pid, name);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x %*s %*s %*s %*u %*u"
			   " %llu", lhex, &lport, rhex, &rport, &state, &ino) != 6 || !ino)
			continue;
		s = push(net);
		if (!s)
			break;
		s->ino = ino;
		s->family = (uint16_t)family;
		s->type = (uint16_t)type;
		format_endpoint(lhex, lport, family, s->local, sizeof(s->local), 0);
		format_endpoint(rhex, rport, family, s->peer, sizeof(s->peer), 1);
	}
	fclose(f);
}

static void load_unix(struct rec_net *net, uint32_t pid)
{
	char path[64], line[512];
	unsigned long long ino;
	unsigned int type;
	struct rec_sock *s;
	int off = 0;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/net/unix", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %x %*x %llu %n", &type, &ino, &off) != 2 ||
		    !ino)
			continue;
		s = push(net);
		if (!s)
			break;
		s->ino = ino;
		s->family = AF_UNIX;
		s->type = (uint16_t)type;
		len = strcspn(line + off, "\n");
		snprintf(s->local, sizeof(s->local), "%.*s", (int)len, line + off);
	}
	fclose(f);
}

static int cmp_ino(const void *a, const void *b)
{
	const struct rec_sock *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int rec_net_load(struct rec_net *net, uint32_t pid)
{
	char path[64];
	struct stat st;

	net->n = 0;
	snprintf(path, sizeof(path), "/proc/%u/ns/net", pid);
	if (stat(path, &st))
		return errno == ENOENT ? -ENOENT : -errno;
	net->netns = st.st_ino;
	load_inet(net, pid, "tcp", AF_INET, SOCK_STREAM);
	load_inet(net, pid, "tcp6", AF_INET6, SOCK_STREAM);
	load_inet(net, pid, "udp", AF_INET, SOCK_DGRAM);
	load_inet(net, pid, "udp6", AF_INET6, SOCK_DGRAM);
	load_unix(net, pid);
	if (net->n)
		qsort(net->socks, net->n, sizeof(*net->socks), cmp_ino);
	return 0;
}

void rec_net_free(struct rec_net *net)
{
	if (!net)
		return;
	free(net->socks);
	memset(net, 0, sizeof(*net));
}

const struct rec_sock *rec_net_find(const struct rec_net *net, uint64_t ino)
{
	struct rec_sock key = { .ino = ino };

	if (!net->n)
		return NULL;
	return bsearch(&key, net->socks, net->n, sizeof(*net->socks), cmp_ino);
}
