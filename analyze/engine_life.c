// SPDX-License-Identifier: MIT
/* The analysis engine's lifecycle: create, add input files, free. */
#include "analyze/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/stacks.h"
#include "common/alloc.h"

int ana_engine_new(const struct ana_opts *opts, struct ana_engine **out)
{
	struct ana_engine *e = calloc(1, sizeof(*e));
	int err;

	if (!e)
		return -ENOMEM;
	e->opts = opts;
	e->win_width = 1000000000ull;
	e->cap_slowest = opts->top > 0 ? opts->top : 1;
	e->cap_fd_top = opts->top > 20 ? opts->top : 20;
	e->thr_pages = ANA_THREAD_PAGES;
	e->proc_pages = ANA_PROC_PAGES;
	e->sys_pages = ANA_SYS_PAGES;
	ana_hist_init(&e->req_h);
	for (int i = 0; i < ANA_MAX_WINDOWS; i++)
		ana_hist_init(&e->win[i].h);
	for (int i = 0; i < SC__COUNT; i++)
		ana_hist_init(&e->cat_h[i]);
	err = ana_map_init(&e->threads, 1024);
	if (!err)
		err = ana_map_init(&e->procs, 256);
	if (!err)
		err = ana_map_init(&e->fds, 4096);
	if (!err)
		err = ana_map_init(&e->peer_map, 256);
	e->slowest = alloc_array(e->cap_slowest, sizeof(*e->slowest));
	e->fd_top = alloc_array(e->cap_fd_top, sizeof(*e->fd_top));
	e->ngrams = alloc_array(ANA_MAX_NGRAMS, sizeof(*e->ngrams));
	e->peers = alloc_array(ANA_MAX_PEERS, sizeof(*e->peers));
	e->loss = alloc_array(ANA_MAX_LOSS, sizeof(*e->loss));
	e->tiny = alloc_array(ANA_MAX_TINY, sizeof(*e->tiny));
	if (!err && !e->tiny)
		err = -ENOMEM;
	if (!err && (!e->slowest || !e->fd_top || !e->ngrams || !e->peers || !e->loss))
		err = -ENOMEM;
	if (err) {
		ana_engine_free(e);
		return err;
	}
	*out = e;
	return 0;
}

static void free_map_vals(struct ana_engine *e, struct ana_map *m, int kind)
{
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		if (kind == 0) {
			struct ana_thread *t = m->vals[i];

			ana_hist_reset(&t->h);
		} else if (kind == 1) {
			struct ana_proc *p = m->vals[i];

			ana_hist_reset(&p->h);
			free(p->comm);
			free(p->exe);
			free(p->cmdline);
		} else {
			ana_fd_free(e, m->vals[i]);
			continue;	/* the free list frees it below */
		}
		free(m->vals[i]);
	}
	ana_map_free(m);
}

static void free_reqs(struct ana_req *r)
{
	while (r) {
		struct ana_req *n = r->lnext;

		free(r);
		r = n;
	}
}

void ana_engine_free(struct ana_engine *e)
{
	if (!e)
		return;
	ana_stacks_free(e->stacks);
	for (uint32_t i = 0; i < e->nsys; i++) {
		ana_hist_reset(&e->sys[i]->h);
		for (int c = 0; e->sys[i]->alt && c < SC__COUNT; c++)
			ana_hist_reset(&e->sys[i]->alt[c].h);
		free(e->sys[i]->alt);
		free(e->sys[i]->errnos);
		free(e->sys[i]->name);
		free(e->sys[i]);
	}
	for (uint32_t i = 0; i < e->nfiles; i++) {
		struct ana_file *f = &e->files[i];

		for (uint32_t j = 0; j < f->nnames; j++)
			free(f->names[j]);
		for (uint32_t j = 0; j < f->ncompat; j++)
			free(f->compat_names[j]);
		free(f->names);
		free(f->compat_names);
		free(f->anchors);
		free(f->path);
		free(f->hostname);
		free(f->kernel);
		free(f->arch);
		free(f->recorder);
	}
	free_map_vals(e, &e->threads, 0);
	free_map_vals(e, &e->procs, 1);
	free_map_vals(e, &e->fds, 2);
	while (e->free_fds) {
		struct ana_fd *f = e->free_fds;

		e->free_fds = f->next_free;
		free(f);
	}
	for (uint32_t i = 0; i < e->nfiles; i++)
		free_reqs(e->files[i].live);
	free_reqs(e->free_reqs);
	free(e->dying);
	ana_hist_reset(&e->req_h);
	for (int i = 0; i < ANA_MAX_WINDOWS; i++)
		ana_hist_reset(&e->win[i].h);
	for (int i = 0; i < SC__COUNT; i++)
		ana_hist_reset(&e->cat_h[i]);
	for (uint32_t i = 0; e->peers && i < e->npeers; i++)
		free(e->peers[i].host);
	ana_map_free(&e->peer_map);
	free(e->peers);
	free(e->slowest);
	free(e->fd_top);
	free(e->ngrams);
	free(e->loss);
	free(e->tiny);
	free(e->sys_order);
	free(e->outliers);
	free(e->hot);
	free(e->sugg);
	free(e->proc_order);
	free(e->thr_order);
	free(e->pat_order);
	free(e);
}

int ana_engine_add_file(struct ana_engine *e, const char *path, uint32_t *idx)
{
	struct ana_file *f;

	if (e->nfiles >= ANA_MAX_FILES)
		return -EINVAL;
	f = &e->files[e->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = ana_strndup(path, strlen(path));
	if (!f->path)
		return -ENOMEM;
	f->sample_every = 1;
	f->until_ts = UINT64_MAX;
	memset(f->sid_of, 0xff, sizeof(f->sid_of));
	*idx = e->nfiles++;
	return 0;
}
