// SPDX-License-Identifier: MIT
/* Retiring fds: their totals go to the kept top list and to per-peer sums. */
#include "analyze/engine.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* "10.0.0.5:5432" -> "10.0.0.5", "[::1]:443" -> "[::1]"; paths unchanged. */
static size_t host_len(const char *peer)
{
	const char *colon = strrchr(peer, ':');
	size_t n = strlen(peer);

	if (peer[0] == '/' || peer[0] == '@' || !colon)
		return n;
	if (peer[0] == '[')
		return strchr(peer, ']') ? (size_t)(strchr(peer, ']') - peer) + 1 : n;
	if (strchr(peer, ':') != colon)
		return n;	/* bare IPv6 without brackets */
	return (size_t)(colon - peer);
}

static struct ana_peer *peer_get(struct ana_engine *e, const char *peer)
{
	size_t hl = host_len(peer);
	uint64_t key = hash_str(peer, hl);
	struct ana_peer *p;
	char *host;
	void *v;

	for (;;) {
		v = ana_map_get(&e->peer_map, key);
		if (!v)
			break;
		p = &e->peers[(uintptr_t)v - 1];
		if (!strncmp(p->host, peer, hl) && !p->host[hl])
			return p;
		key++;
	}
	host = ana_strndup(peer, hl);
	if (!host)
		return NULL;
	if (e->npeers >= ANA_MAX_PEERS) {
		ana_warn_cap(e, 3, "peers", "the rest are left out of the peer table");
		free(host);
		return NULL;
	}
	if (ana_map_put(&e->peer_map, key, (void *)(uintptr_t)(e->npeers + 1))) {
		free(host);
		return NULL;
	}
	p = &e->peers[e->npeers++];
	memset(p, 0, sizeof(*p));
	p->host = host;
	snprintf(p->example, sizeof(p->example), "%s", peer);
	return p;
}

static void sum_of(struct ana_fd_sum *s, const struct ana_fd *f)
{
	s->file = f->file;
	s->pid = f->pid;
	s->fd = f->fd;
	s->kind = f->kind;
	ana_strlcpy(s->path, f->path ? f->path : "", sizeof(s->path));
	ana_strlcpy(s->peer, f->peer ? f->peer : "", sizeof(s->peer));
	s->first_ts = f->first_ts;
	s->last_ts = f->last_ts;
	s->syscalls = f->syscalls;
	s->ns = f->ns;
	s->reads = f->reads;
	s->writes = f->writes;
	s->tiny_reads = f->tiny_reads;
	s->tiny_writes = f->tiny_writes;
}

static void tiny_add(struct ana_engine *e, const struct ana_fd *f)
{
	const char *name = f->kind == EBT_FD_SOCKET && f->peer ? f->peer :
			   f->path ? f->path : "";
	struct ana_tiny *t = NULL;
	uint32_t min = 0;

	for (uint32_t i = 0; i < e->ntiny && !t; i++) {
		if (e->tiny[i].pid == f->pid && e->tiny[i].file == f->file &&
		    !strncmp(e->tiny[i].path, name, sizeof(e->tiny[i].path) - 1) &&
		    (name[0] || e->tiny[i].fd == f->fd))
			t = &e->tiny[i];
		else if (e->tiny[i].tiny < e->tiny[min].tiny)
			min = i;
	}
	if (!t && e->ntiny < ANA_MAX_TINY)
		t = &e->tiny[e->ntiny++];
	else if (!t && e->tiny[min].tiny < f->tiny_reads)
		t = &e->tiny[min];	/* full: the smallest entry makes room */
	else if (!t)
		return;
	if (t->pid != f->pid || t->file != f->file || strcmp(t->path, name)) {
		memset(t, 0, sizeof(*t));
		t->file = f->file;
		t->pid = f->pid;
		ana_strlcpy(t->path, name, sizeof(t->path));
	}
	t->fd = f->fd;
	t->tiny += f->tiny_reads;
	t->reads += f->reads;
	t->ns += f->ns;
	t->fds++;
}

/* Also used at the end of the analysis for fds still open. */
void ana_fd_summarize(struct ana_engine *e, const struct ana_fd *f)
{
	struct ana_peer *p;

	if (!f->syscalls)
		return;
	if (f->tiny_reads)
		tiny_add(e, f);
	if (e->nfd_top < e->cap_fd_top || f->ns > e->fd_top_min_ns) {
		uint32_t slot = e->nfd_top < e->cap_fd_top ? e->nfd_top++ : e->fd_top_min;

		sum_of(&e->fd_top[slot], f);
		/* the smallest kept entry, the next one to replace */
		e->fd_top_min = 0;
		for (uint32_t i = 1; i < e->nfd_top; i++) {
			if (e->fd_top[i].ns < e->fd_top[e->fd_top_min].ns)
				e->fd_top_min = i;
		}
		e->fd_top_min_ns = e->fd_top[e->fd_top_min].ns;
	}
	if (f->kind != EBT_FD_SOCKET || !f->peer || !f->peer[0])
		return;
	p = peer_get(e, f->peer);
	if (!p)
		return;
	p->conns++;
	p->syscalls += f->syscalls;
	p->ns += f->net_ns;
	if (f->max_ns > p->max_ns)
		p->max_ns = f->max_ns;
}

/* Ends the current incarnation of the fd number; pending facts stay. */
void ana_fd_reset(struct ana_engine *e, struct ana_fd *f)
{
	if (f->req && f->req->live)
		ana_req_close(e, f->req, f->req->state == 2);
	ana_fd_summarize(e, f);
	free(f->path);
	free(f->peer);
	free(f->local);
	f->path = f->peer = f->local = NULL;
	f->kind = EBT_FD_UNKNOWN;
	f->role = ANA_ROLE_UNKNOWN;
	f->req = NULL;
	f->open_ts = f->first_ts = f->last_ts = 0;
	f->syscalls = f->ns = f->reads = f->writes = f->tiny_reads = f->tiny_writes = 0;
	f->net_ns = f->max_ns = 0;
	f->tiny_len = 0;
}

/* f, the entry of fd number ev->ret, is a new incarnation made by s (open,
 * socket, accept, dup...): its kind and role, a dup's facts from its source,
 * and facts that were waiting for it. */
void ana_fd_created(struct ana_engine *e, struct ana_fd *f, uint32_t file,
		    const struct ebt_event *ev, const struct ana_sys *s)
{
	uint64_t end = ev->enter_ns + ev->duration_ns;
	struct ana_fd *src;

	if (f->syscalls || f->kind)
		ana_fd_reset(e, f);	/* an older incarnation whose close we missed */
	f->open_ts = end;
	f->kind = s->new_fd_kind;
	if (s->is_accept)
		f->role = ANA_ROLE_SERVER;
	if (s->is_dup && ev->arg0 <= INT32_MAX) {
		src = ana_fd_get(e, file, ev->pid, (int32_t)ev->arg0, false);
		if (src) {
			f->kind = src->kind;
			f->role = src->role;
			if (src->path)
				f->path = ana_strndup(src->path, strlen(src->path));
			if (src->peer)
				f->peer = ana_strndup(src->peer, strlen(src->peer));
		}
	}
	if (f->npend && end >= f->pend[0].ts)
		ana_fd_apply_pending(e, f, end);
}

/* A closed fd stays in the map, empty, for the next use of its number
 * (numbers are reused at once); ana_fd_purge() drops such entries when the
 * map is full. */
void ana_fd_release(struct ana_engine *e, struct ana_fd *f)
{
	ana_fd_reset(e, f);
	if (!f->closed) {
		f->closed = true;
		e->fds_closed++;
	}
}

/* Deletes closed entries without pending facts. Returns how many. */
size_t ana_fd_purge(struct ana_engine *e)
{
	struct ana_fd **dead = malloc(e->fds_closed * sizeof(*dead) + 1);
	size_t n = 0;

	if (!dead)
		return 0;
	for (size_t i = 0; i < e->fds.cap && n < e->fds_closed; i++) {
		struct ana_fd *f = e->fds.vals[i];

		if (e->fds.keys[i] && f->closed && !f->npend)
			dead[n++] = f;
	}
	for (size_t i = 0; i < n; i++) {
		ana_map_del(&e->fds, dead[i]->key);
		ana_fd_free(e, dead[i]);
	}
	e->fds_closed -= n;
	free(dead);
	return n;
}
