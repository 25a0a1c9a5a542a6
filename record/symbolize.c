// SPDX-License-Identifier: MIT
/*
 * Symbolization of --stacks, once at the end of a recording: ELF symbol
 * tables (.symtab and .dynsym, merged) and the GNU build id through libelf.
 * An address maps to its file offset through the mapping it falls in
 * (addr - start + file offset), then to an ELF vaddr through the PT_LOAD
 * segment holding that offset, which handles PIE, ASLR and shared objects
 * alike.
 */
#include "record/stacks_internal.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"

#define SYMS_CAP (1u << 22)	/* function symbols read from one object */

static int elf_ready(void)
{
	static int ready;

	if (!ready)
		ready = elf_version(EV_CURRENT) != EV_NONE ? 1 : -1;
	return ready > 0;
}

static void hex(const unsigned char *p, size_t n, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < outlen; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* The NT_GNU_BUILD_ID note of an ELF, from its PT_NOTE segments. */
static void read_build_id(Elf *e, char *out, size_t outlen)
{
	size_t n, i, off, name_off, desc_off;
	GElf_Nhdr nh;
	GElf_Phdr ph;
	Elf_Data *d;

	if (elf_getphdrnum(e, &n))
		return;
	for (i = 0; i < n && !out[0]; i++) {
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		if (!d)
			continue;
		off = 0;
		while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)d->d_buf + name_off, "GNU", 4)) {
				hex((unsigned char *)d->d_buf + desc_off, nh.n_descsz, out,
				    outlen);
				break;
			}
		}
	}
}

void rec_obj_init(struct rec_obj *o, int fd, const char *path, dev_t dev, uint64_t ino)
{
	Elf *e;

	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->dev = dev;
	o->ino = ino;
	snprintf(o->path, sizeof(o->path), "%s", path);
	if (!elf_ready())
		return;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (e && elf_kind(e) == ELF_K_ELF)
		read_build_id(e, o->build_id, sizeof(o->build_id));
	elf_end(e);
}

void rec_obj_fini(struct rec_obj *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	free(o->segs);
	free(o->syms);
	free(o->strs);
	o->segs = NULL;
	o->syms = NULL;
	o->strs = NULL;
}

static int load_segs(struct rec_obj *o, Elf *e)
{
	size_t n, i;
	GElf_Phdr ph;

	if (elf_getphdrnum(e, &n))
		return -EBADMSG;
	o->segs = alloc_array(n ? n : 1, sizeof(*o->segs));
	if (!o->segs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		o->segs[o->n_segs].offset = ph.p_offset;
		o->segs[o->n_segs].vaddr = ph.p_vaddr;
		o->segs[o->n_segs].filesz = ph.p_filesz;
		o->n_segs++;
	}
	return 0;
}

struct sym_acc {
	struct rec_sym *syms;
	size_t n, cap;
	char **names;		/* per-symbol strdup, joined later */
	size_t names_cap, str_bytes;
};

/* Function symbols of one symbol table section. */
static int read_symtab(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, struct sym_acc *a)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n, i;
	const char *name;
	GElf_Sym sym;

	if (!d || !sh->sh_entsize)
		return 0;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n && a->n < SYMS_CAP; i++) {
		if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (alloc_grow((void **)&a->syms, &a->cap, a->n + 1, sizeof(*a->syms)) ||
		    alloc_grow((void **)&a->names, &a->names_cap, a->n + 1, sizeof(*a->names)))
			return -ENOMEM;
		a->names[a->n] = strdup(name);
		if (!a->names[a->n])
			return -ENOMEM;
		a->str_bytes += strlen(name) + 1;
		a->syms[a->n].addr = sym.st_value;
		a->syms[a->n].size = sym.st_size;
		a->n++;
	}
	return 0;
}

static int cmp_sym(const void *x, const void *y)
{
	const struct rec_sym *a = x, *b = y;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->size < b->size ? 1 : a->size > b->size ? -1 : 0;
}

/* Moves the names into one block owned by o. */
static int adopt_names(struct rec_obj *o, struct sym_acc *a)
{
	size_t i, off = 0, len;

	o->strs = malloc(a->str_bytes ? a->str_bytes : 1);
	if (!o->strs)
		return -ENOMEM;
	for (i = 0; i < a->n; i++) {
		len = strlen(a->names[i]) + 1;
		memcpy(o->strs + off, a->names[i], len);
		a->syms[i].name = o->strs + off;
		off += len;
	}
	if (a->n)	/* an object without symbols has no array at all */
		qsort(a->syms, a->n, sizeof(*a->syms), cmp_sym);
	o->syms = a->syms;
	o->n_syms = a->n;
	a->syms = NULL;
	return 0;
}

static int load_syms(struct rec_obj *o, Elf *e)
{
	struct sym_acc a = { 0 };
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t i;
	int err = 0;

	while (!err && (scn = elf_nextscn(e, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM)
			err = read_symtab(e, scn, &sh, &a);
	}
	if (!err)
		err = adopt_names(o, &a);
	for (i = 0; i < a.n; i++)
		free(a.names[i]);
	free(a.names);
	free(a.syms);
	return err;
}

int rec_obj_load(struct rec_obj *o)
{
	Elf *e;
	int err;

	if (o->loaded)
		return o->loaded > 0 ? 0 : -EBADMSG;
	o->loaded = -1;
	if (o->fd < 0 || !elf_ready())
		return -EBADMSG;
	e = elf_begin(o->fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		elf_end(e);
		return -EBADMSG;
	}
	err = load_segs(o, e);
	if (!err)
		err = load_syms(o, e);
	elf_end(e);
	if (!err)
		o->loaded = 1;
	return err;
}

static int vaddr_of(const struct rec_obj *o, uint64_t off, uint64_t *out)
{
	size_t i;

	for (i = 0; i < o->n_segs; i++) {
		if (off >= o->segs[i].offset && off - o->segs[i].offset < o->segs[i].filesz) {
			*out = off - o->segs[i].offset + o->segs[i].vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

int rec_obj_lookup(const struct rec_obj *o, uint64_t off, const char **name,
		   uint64_t *sym_off)
{
	size_t lo = 0, hi = o->n_syms, mid;
	const struct rec_sym *s;
	uint64_t va;

	if (vaddr_of(o, off, &va))
		return -ENOENT;
	while (lo < hi) {	/* first symbol above va */
		mid = lo + (hi - lo) / 2;
		if (o->syms[mid].addr <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	s = &o->syms[lo - 1];
	/* size 0 (hand-written assembly): the nearest symbol below */
	if (s->size && va - s->addr >= s->size)
		return -ENOENT;
	*name = s->name;
	*sym_off = va - s->addr;
	return 0;
}

/* ---------------------------------------------------------------- records */

struct addr_set {
	uint64_t *keys;		/* pid << 48 ^ addr, + 1; 0 free */
	size_t mask;
};

/* 1 when (pid, addr) was there already, 0 added, -ENOMEM. */
static int addr_seen(struct addr_set *set, uint32_t pid, uint64_t addr)
{
	uint64_t key = ((uint64_t)pid << 48 ^ addr) + 1, h = key * 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = (h >> 20) & set->mask; set->keys[i]; i = (i + 1) & set->mask)
		if (set->keys[i] == key)
			return 1;
	set->keys[i] = key;
	return 0;
}

/* Return addresses point past their call: resolve the byte before. */
static void symbol_record(struct rec_stacks *s, uint32_t pid, const struct rec_snap *sn,
			  uint64_t addr)
{
	struct ebt_record r = { .kind = EBT_REC_SYMBOL };
	const struct rec_map *m = rec_snap_find(sn, addr);
	struct rec_obj *o = m && m->obj >= 0 ? &s->objs[m->obj] : NULL;
	const char *name = "";
	uint64_t off = 0;

	if (o && !rec_obj_load(o) &&
	    !rec_obj_lookup(o, addr - 1 - m->start + m->offset, &name, &off))
		off++;
	else
		s->cnt.unnamed++;
	r.sym.pid = pid;
	r.sym.addr = addr;
	r.sym.offset = off;
	r.sym.name = ebt_str_c(name);
	r.sym.object = ebt_str_c(o ? o->path : m ? m->name : "");
	r.sym.build_id = ebt_str_c(o ? o->build_id : "");
	if (!rec_stacks_add_record(s, &r))
		s->cnt.symbols++;
}

int rec_stacks_symbolize(struct rec_stacks *s)
{
	struct addr_set set = { 0 };
	const struct rec_stack *st;
	size_t i, total = 0, slots = 64;
	uint32_t j;
	int seen;

	if (!s)
		return 0;
	for (i = 0; i < s->n_stacks; i++)
		total += s->stacks[i].keep;
	while (slots < total * 2)
		slots *= 2;
	set.mask = slots - 1;
	set.keys = calloc(slots, sizeof(*set.keys));
	if (!set.keys)
		return -ENOMEM;
	for (i = 0; i < s->n_stacks; i++) {
		st = &s->stacks[i];
		for (j = 0; j < st->keep; j++) {
			seen = addr_seen(&set, st->pid, st->ips[j]);
			if (!seen)
				symbol_record(s, st->pid, st->snap == REC_NO_SNAP ? NULL :
					      &s->snaps[st->snap], st->ips[j]);
		}
	}
	free(set.keys);
	return (int)s->cnt.symbols;
}
