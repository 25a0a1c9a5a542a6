// SPDX-License-Identifier: MIT
/*
 * --syscalls: which events an analysis keeps. A name keeps every event of
 * that syscall; a category keeps the events it counts in the category
 * tables (ana_event_category()), so read() on a socket is kept by "network"
 * and left out by "file". An event left out still updates what the engine
 * knows of its fds (a new fd's kind, a close, a socket-only call), so that a
 * selection sees each fd as a full analysis would.
 */
#include "analyze/engine.h"

#include <string.h>

#define FD_KINDS (EBT_FD_MEMFD + 1)	/* bits 0..13 of ana_sys.sel_kinds */
#define SEL_LEARN (1u << 31)		/* events left out update their fds */

static bool listed(const struct ana_opts *o, const char *name)
{
	for (uint32_t i = 0; i < o->nsyscalls; i++) {
		if (!strcmp(o->syscalls[i], name))
			return true;
	}
	return false;
}

void ana_sys_select(const struct ana_opts *o, struct ana_sys *s)
{
	uint32_t sel = 0, all = (1u << FD_KINDS) - 1;
	struct ana_fd f;

	s->excluded = false;
	s->sel_kinds = 0;
	if (!o->nsyscalls || listed(o, s->name))
		return;
	memset(&f, 0, sizeof(f));
	for (uint32_t k = 0; k < FD_KINDS; k++) {
		f.kind = k;
		if (listed(o, syscalls_category_name(ana_event_category(s, &f))))
			sel |= 1u << k;
	}
	if (sel == all)
		return;
	if (s->new_fd_kind || s->is_dup || s->sock_only || s->cls == ANA_CL_CLOSE)
		sel |= SEL_LEARN;
	s->sel_kinds = sel;
	s->excluded = true;	/* not every event: ana_event_selected() decides */
}

/* A new fd from a left-out event: a new incarnation of its number, as a
 * kept event would make it. */
static void learn_new_fd(struct ana_engine *e, uint32_t file, const struct ebt_event *ev,
			 const struct ana_sys *s)
{
	struct ana_fd *f;

	if (ev->ret < 0 || ev->ret > INT32_MAX)
		return;
	f = ana_fd_get(e, file, ev->pid, (int32_t)ev->ret, true);
	if (f)
		ana_fd_created(e, f, file, ev, s);
}

/* What the left-out event ev tells about its fds, as on_event() learns it. */
static void learn(struct ana_engine *e, uint32_t file, const struct ebt_event *ev,
		  const struct ana_sys *s)
{
	uint64_t end = ev->enter_ns + ev->duration_ns;
	struct ana_fd *f = NULL;

	if (s->fd_first && ev->arg0 <= INT32_MAX)
		f = ana_fd_get(e, file, ev->pid, (int32_t)ev->arg0, true);
	if (f && f->npend && end >= f->pend[0].ts)
		ana_fd_apply_pending(e, f, end);
	if (f && s->sock_only && f->kind == EBT_FD_UNKNOWN)
		f->kind = EBT_FD_SOCKET;
	if (f && s->is_connect)
		f->role = ANA_ROLE_CLIENT;
	if (s->new_fd_kind || s->is_dup)
		learn_new_fd(e, file, ev, s);
	if (f && s->cls == ANA_CL_CLOSE && (ev->ret == 0 || ev->ret == -4))
		ana_fd_release(e, f);
}

bool ana_event_selected(struct ana_engine *e, uint32_t file, const struct ebt_event *ev,
			const struct ana_sys *s)
{
	uint64_t end = ev->enter_ns + ev->duration_ns;
	uint32_t kind = EBT_FD_UNKNOWN;
	const struct ana_fd *f = NULL;

	if (!(s->sel_kinds & ~SEL_LEARN)) {	/* no event kept */
		if (s->sel_kinds)
			learn(e, file, ev, s);
		return false;
	}
	if (s->fd_first && ev->arg0 <= INT32_MAX)
		f = ana_fd_get(e, file, ev->pid, (int32_t)ev->arg0, false);
	if (f) {
		/* its kind once the facts up to the event apply, as in fd_event() */
		kind = f->kind;
		for (uint32_t i = 0; i < f->npend && f->pend[i].ts <= end; i++) {
			if (f->pend[i].kind != EBT_FD_UNKNOWN)
				kind = f->pend[i].kind;
		}
	}
	if (kind >= FD_KINDS)
		kind = EBT_FD_UNKNOWN;	/* a newer kind: the syscall's own category */
	if (s->sel_kinds >> kind & 1)
		return true;
	if (s->sel_kinds & SEL_LEARN)
		learn(e, file, ev, s);
	return false;
}
