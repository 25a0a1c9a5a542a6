/* SPDX-License-Identifier: MIT */
/* Internals of --stacks: stacks.c (interning, maps) and symbolize.c (ELF). */
#ifndef RECORD_STACKS_INTERNAL_H
#define RECORD_STACKS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "record/rec_internal.h"

#define REC_NO_SNAP UINT32_MAX
#define REC_RA_CACHE 4096

/* One function symbol of an object: [addr, addr + size) in ELF vaddrs. */
struct rec_sym {
	uint64_t addr, size;
	const char *name;	/* points into the object's string table copy */
};

/* A loadable segment: maps file offsets to ELF vaddrs. */
struct rec_seg {
	uint64_t offset, vaddr, filesz;
};

/* A mapped file, held open from its first sight to the end. */
struct rec_obj {
	int fd;
	dev_t dev;
	uint64_t ino;
	char path[512];
	char build_id[41];	/* hex, "" none (40 = SHA-1, the usual) */
	int loaded;		/* 1 symbols read, -1 not an ELF we can read */
	struct rec_seg *segs;
	size_t n_segs;
	struct rec_sym *syms;	/* sorted by addr */
	size_t n_syms;
	char *strs;		/* names, owned */
};

/* Opens nothing: takes fd (owned), reads the build id. */
void rec_obj_init(struct rec_obj *o, int fd, const char *path, dev_t dev, uint64_t ino);
void rec_obj_fini(struct rec_obj *o);

/* Loads segments and symbols once. 0, or -errno (the object stays unnamed). */
int rec_obj_load(struct rec_obj *o);

/* Function containing the file offset off of o: name and offset into it.
 * 0 found, -ENOENT none. */
int rec_obj_lookup(const struct rec_obj *o, uint64_t off, const char **name,
		   uint64_t *sym_off);

struct rec_maps_line {
	uint64_t start, end, offset, ino;
	dev_t dev;
	char path[512];
};

struct rec_map {
	uint64_t start, end, offset;
	int obj;		/* index into objs, -1: anonymous or unreadable */
	char name[64];		/* [vdso], [anon...] or a truncated path */
};

struct rec_snap {
	uint32_t pid;
	struct rec_map *maps;	/* in address order (as /proc lists them) */
	size_t n, cap;
};

/* The mapping of sn holding addr, or NULL. sn may be NULL. */
const struct rec_map *rec_snap_find(const struct rec_snap *sn, uint64_t addr);

struct rec_stack {
	uint64_t hash;
	uint64_t *ips;
	uint32_t id, pid, snap, depth;
	uint32_t keep;		/* frames written: see kept_depth() */
};

struct rec_stack_pid {
	uint32_t pid;
	uint32_t snap;		/* current snapshot, REC_NO_SNAP: take one */
	uint64_t snap_ns;	/* CLOCK_BOOTTIME when it was read */
	uint64_t exec_ns;	/* its last execve, 0 none seen */
};

struct rec_stacks {
	struct ebt_writer *w;
	struct rec_stack *stacks;
	size_t n_stacks, cap_stacks;
	uint32_t *slots;	/* open addressing: stack index + 1, 0 free */
	size_t slots_mask;
	struct rec_snap *snaps;
	size_t n_snaps, cap_snaps;
	struct rec_obj *objs;
	size_t n_objs, cap_objs;
	struct rec_stack_pid *pids;
	size_t n_pids, cap_pids, last_pid;
	struct rec_stack_counters cnt;
	uint64_t ra_key[REC_RA_CACHE];	/* is_return_addr() cache */
	uint8_t ra_ok[REC_RA_CACHE];
};

/* ebt_writer_add_record(), retried while the writer is behind; counts a loss. */
int rec_stacks_add_record(struct rec_stacks *s, const struct ebt_record *r);

#endif
