// SPDX-License-Identifier: MIT
/*
 * User stacks of slow syscalls (--stacks): interning and mappings.
 *
 * Each stack that reaches user space is deduplicated by (pid, mappings
 * snapshot, frames) into a dense file-local id, written as a STACK record
 * at once (the kernel keeps no stack: nothing is read back at the end).
 * The first stack of a pid, and the first after its exec, snapshots
 * /proc/PID/maps: the process is alive then, since the stack comes from a
 * syscall it just made. Each mapped file is opened at that moment through
 * /proc/PID/map_files (the very file mapped, even if deleted or in another
 * mount namespace), so that rec_stacks_symbolize() can still read it when
 * the recording ends, after the process and perhaps the file are gone.
 */
#include "record/stacks_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"

#define STACK_CAP (1u << 20)	/* distinct stacks kept; more get id 0 */
#define OBJ_CAP 1024		/* mapped files held open */
#define SNAP_MAPS_CAP 65536	/* executable mappings in one snapshot */

/*
 * Pending records are bounded: when the writer's worker lags, hand it what
 * is pending and retry a few times before counting the record as lost.
 */
int rec_stacks_add_record(struct rec_stacks *s, const struct ebt_record *r)
{
	int err, i;

	for (i = 0; i < 50; i++) {
		err = ebt_writer_add_record(s->w, r);
		if (err != -ENOBUFS)
			break;
		ebt_writer_flush(s->w, 0, true);
		usleep(2000);
	}
	if (err)
		s->cnt.records_lost++;
	return err;
}

static uint64_t hash_stack(uint32_t pid, uint32_t snap, const uint64_t *ips, uint32_t depth)
{
	uint64_t h = 1469598103934665603ull ^ ((uint64_t)pid << 32 | snap);
	uint32_t i;

	for (i = 0; i < depth; i++) {
		h ^= ips[i];
		h *= 1099511628211ull;
		h ^= h >> 29;
	}
	return h ^ depth;
}

int rec_stacks_new(struct ebt_writer *w, struct rec_stacks **out)
{
	struct rec_stacks *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->w = w;
	s->slots_mask = 4095;
	s->slots = calloc(s->slots_mask + 1, sizeof(*s->slots));
	if (!s->slots) {
		free(s);
		return -ENOMEM;
	}
	*out = s;
	return 0;
}

void rec_stacks_free(struct rec_stacks *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n_stacks; i++)
		free(s->stacks[i].ips);
	for (i = 0; i < s->n_snaps; i++)
		free(s->snaps[i].maps);
	for (i = 0; i < s->n_objs; i++)
		rec_obj_fini(&s->objs[i]);
	free(s->stacks);
	free(s->slots);
	free(s->snaps);
	free(s->objs);
	free(s->pids);
	free(s);
}

/* The pid's entry, created on first sight. NULL on ENOMEM. */
static struct rec_stack_pid *pid_entry(struct rec_stacks *s, uint32_t pid)
{
	struct rec_stack_pid *p;
	size_t i;

	if (s->last_pid < s->n_pids && s->pids[s->last_pid].pid == pid)
		return &s->pids[s->last_pid];
	for (i = 0; i < s->n_pids; i++) {
		if (s->pids[i].pid == pid) {
			s->last_pid = i;
			return &s->pids[i];
		}
	}
	if (alloc_grow((void **)&s->pids, &s->cap_pids, s->n_pids + 1, sizeof(*s->pids)))
		return NULL;
	p = &s->pids[s->n_pids];
	p->pid = pid;
	p->snap = REC_NO_SNAP;
	p->snap_ns = p->exec_ns = 0;
	s->last_pid = s->n_pids++;
	return p;
}

void rec_stacks_exec(struct rec_stacks *s, uint32_t pid, uint64_t ts_ns)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n_pids; i++)
		if (s->pids[i].pid == pid)
			s->pids[i].exec_ns = ts_ns;
}

/* The object for a file mapping, opened now; -1 when it cannot be. */
static int obj_for(struct rec_stacks *s, uint32_t pid, const struct rec_maps_line *ml)
{
	char path[96];
	struct stat st;
	size_t i;
	int fd;

	for (i = 0; i < s->n_objs; i++)
		if (s->objs[i].dev == ml->dev && s->objs[i].ino == ml->ino)
			return (int)i;
	if (s->n_objs >= OBJ_CAP)
		return -1;
	snprintf(path, sizeof(path), "/proc/%u/map_files/%" PRIx64 "-%" PRIx64, pid,
		 ml->start, ml->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* no CAP_SYS_ADMIN: the path, if it still names the same file */
		fd = open(ml->path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && (fstat(fd, &st) || st.st_ino != ml->ino ||
				st.st_dev != ml->dev)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0)
		return -1;
	if (alloc_grow((void **)&s->objs, &s->cap_objs, s->n_objs + 1, sizeof(*s->objs))) {
		close(fd);
		return -1;
	}
	rec_obj_init(&s->objs[s->n_objs], fd, ml->path, ml->dev, ml->ino);
	return (int)s->n_objs++;
}

/* One line of /proc/PID/maps: 0 for an executable mapping, 1 skip, <0. */
static int parse_maps_line(const char *line, struct rec_maps_line *out)
{
	unsigned int maj, min;
	char perms[8];
	int pos = 0;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   &out->start, &out->end, perms, &out->offset, &maj, &min, &out->ino,
		   &pos) < 7)
		return -EBADMSG;
	if (perms[2] != 'x')
		return 1;
	out->dev = makedev(maj, min);
	snprintf(out->path, sizeof(out->path), "%s", pos ? line + pos : "");
	out->path[strcspn(out->path, "\n")] = 0;
	return 0;
}

static void map_record(struct rec_stacks *s, uint32_t pid, const struct rec_map *m)
{
	const struct rec_obj *o = m->obj >= 0 ? &s->objs[m->obj] : NULL;
	struct ebt_record r = { .kind = EBT_REC_MAP };

	r.map.pid = pid;
	r.map.start = m->start;
	r.map.end = m->end;
	r.map.file_offset = m->offset;
	r.map.path = ebt_str_c(o ? o->path : m->name);
	r.map.build_id = ebt_str_c(o ? o->build_id : "");
	rec_stacks_add_record(s, &r);
}

static int snap_add_map(struct rec_stacks *s, struct rec_snap *sn, uint32_t pid,
			const struct rec_maps_line *ml)
{
	struct rec_map *m;

	if (sn->n >= SNAP_MAPS_CAP ||
	    alloc_grow((void **)&sn->maps, &sn->cap, sn->n + 1, sizeof(*sn->maps)))
		return -ENOMEM;
	m = &sn->maps[sn->n++];
	m->start = ml->start;
	m->end = ml->end;
	m->offset = ml->offset;
	m->obj = ml->ino ? obj_for(s, pid, ml) : -1;
	snprintf(m->name, sizeof(m->name), "%.63s", ml->path);
	map_record(s, pid, m);
	return 0;
}

/* Reads the executable mappings of pid into a new snapshot. */
static uint32_t snapshot(struct rec_stacks *s, uint32_t pid)
{
	struct rec_maps_line ml;
	struct rec_snap *sn;
	char path[64], *line = NULL;
	size_t len = 0;
	FILE *f;

	if (alloc_grow((void **)&s->snaps, &s->cap_snaps, s->n_snaps + 1, sizeof(*s->snaps)))
		return REC_NO_SNAP;
	sn = &s->snaps[s->n_snaps];
	memset(sn, 0, sizeof(*sn));
	sn->pid = pid;
	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f) {
		s->cnt.maps_missed++;	/* gone already: frames stay unnamed */
	} else {
		while (getline(&line, &len, f) > 0)
			if (!parse_maps_line(line, &ml) && snap_add_map(s, sn, pid, &ml))
				break;
		fclose(f);
		free(line);
	}
	return (uint32_t)s->n_snaps++;
}

static int grow_slots(struct rec_stacks *s)
{
	size_t mask = s->slots_mask * 2 + 1, i, j;
	uint32_t *slots = calloc(mask + 1, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < s->n_stacks; i++) {
		j = s->stacks[i].hash & mask;
		while (slots[j])
			j = (j + 1) & mask;
		slots[j] = (uint32_t)i + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->slots_mask = mask;
	return 0;
}

/*
 * Frames up to the first return address outside every executable mapping:
 * past it the frame-pointer walk followed a register that code built
 * without frame pointers used for data, and the rest is noise.
 */
static uint32_t kept_depth(const struct rec_stacks *s, uint32_t snap, const uint64_t *ips,
			   uint32_t depth)
{
	const struct rec_snap *sn = snap == REC_NO_SNAP ? NULL : &s->snaps[snap];
	uint32_t i;

	if (!sn || !sn->n)
		return depth;	/* maps unknown: keep what was captured */
	for (i = 1; i < depth; i++)
		if (!rec_snap_find(sn, ips[i]))
			return i;
	return depth;
}

static uint32_t add_stack(struct rec_stacks *s, uint64_t h, size_t slot, uint32_t pid,
			  uint32_t snap, const uint64_t *ips, uint32_t depth)
{
	struct ebt_record r = { .kind = EBT_REC_STACK };
	struct rec_stack *st;

	if (s->n_stacks >= STACK_CAP ||
	    alloc_grow((void **)&s->stacks, &s->cap_stacks, s->n_stacks + 1, sizeof(*s->stacks)))
		return 0;
	st = &s->stacks[s->n_stacks];
	st->ips = alloc_array(depth ? depth : 1, sizeof(*ips));
	if (!st->ips)
		return 0;
	memcpy(st->ips, ips, depth * sizeof(*ips));
	st->hash = h;
	st->pid = pid;
	st->snap = snap;
	st->depth = depth;
	st->keep = kept_depth(s, snap, ips, depth);
	st->id = (uint32_t)s->n_stacks + 1;
	s->slots[slot] = st->id;
	s->n_stacks++;
	r.stack.id = st->id;
	r.stack.pid = pid;
	r.stack.depth = st->keep;
	r.stack.ips = ips;
	rec_stacks_add_record(s, &r);
	if (s->n_stacks * 2 > s->slots_mask)
		grow_slots(s);	/* on failure the table stays valid, only fuller */
	return st->id;
}

const struct rec_map *rec_snap_find(const struct rec_snap *sn, uint64_t addr)
{
	size_t lo = 0, hi = sn ? sn->n : 0, mid;

	while (lo < hi) {	/* /proc lists mappings in address order */
		mid = lo + (hi - lo) / 2;
		if (addr < sn->maps[mid].start)
			hi = mid;
		else if (addr >= sn->maps[mid].end)
			lo = mid + 1;
		else
			return &sn->maps[mid];
	}
	return NULL;
}

/* Whether the bytes before addr in its mapped file are an x86 call. */
static int follows_call(const struct rec_stacks *s, uint32_t snap, uint64_t addr)
{
	const struct rec_map *m = rec_snap_find(&s->snaps[snap], addr);
	unsigned char b[7];
	uint64_t off;

	if (!m || m->obj < 0 || addr - m->start < sizeof(b))
		return 0;
	off = addr - m->start + m->offset - sizeof(b);
	if (pread(s->objs[m->obj].fd, b, sizeof(b), (off_t)off) != (ssize_t)sizeof(b))
		return 0;
#if defined(__x86_64__) || defined(__i386__)
	if (b[2] == 0xe8)				/* call rel32 */
		return 1;
	if (b[5] == 0xff && (b[6] & 0xf8) == 0xd0)	/* call *%reg */
		return 1;
	if (b[4] == 0xff && (b[5] & 0xf8) == 0x50)	/* call *disp8(%reg) */
		return 1;
	if (b[1] == 0xff && (b[2] == 0x15 || (b[2] & 0xf8) == 0x90))
		return 1;				/* call *disp32(%rip|%reg) */
	return b[0] == 0xff && (b[1] & 0x38) == 0x10 && (b[1] & 7) == 4;	/* SIB */
#else
	return 0;
#endif
}

/* sp_word checks are cached: one pread per distinct (snapshot, address). */
static int is_return_addr(struct rec_stacks *s, uint32_t snap, uint64_t addr)
{
	uint64_t key = ((uint64_t)snap << 48 ^ addr) + 1;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 52) % REC_RA_CACHE;

	if (s->ra_key[i] != key) {
		s->ra_key[i] = key;
		s->ra_ok[i] = (uint8_t)follows_call(s, snap, addr);
	}
	return s->ra_ok[i];
}

/* The skipped caller's return address in sp_words, or 0. */
static uint64_t skipped_caller(struct rec_stacks *s, uint32_t snap, const uint64_t *ips,
			       uint32_t depth, const uint64_t *sp_words)
{
	size_t i;

	if (!sp_words || !depth || depth >= STACK_MAX_DEPTH)
		return 0;
	for (i = 0; i < STACK_SP_WORDS; i++) {
		if (!sp_words[i] || !is_return_addr(s, snap, sp_words[i]))
			continue;
		return depth >= 2 && ips[1] == sp_words[i] ? 0 : sp_words[i];
	}
	return 0;
}

/*
 * ips[0], where the syscall was made, is always mapped: when the snapshot
 * does not hold it and the syscall ended after the snapshot was read, code
 * was mapped since (the libraries ld.so maps after a launched program's
 * first syscalls, dlopen()). At most one read per pid per drain of the
 * ring, since a read is newer than every event queued before it.
 */
static int maps_changed(const struct rec_stacks *s, const struct rec_stack_pid *p,
			uint64_t ts_ns, const uint64_t *ips, uint32_t depth)
{
	if (p->snap == REC_NO_SNAP || !depth || ts_ns <= p->snap_ns)
		return 0;
	return !rec_snap_find(&s->snaps[p->snap], ips[0]);
}

uint32_t rec_stacks_intern(struct rec_stacks *s, uint32_t pid, uint64_t ts_ns,
			   const uint64_t *ips, uint32_t depth, const uint64_t *sp_words)
{
	uint64_t frames[STACK_MAX_DEPTH];
	struct rec_stack_pid *p;
	struct rec_stack *st;
	uint64_t h, ra;
	size_t i;

	if (depth > STACK_MAX_DEPTH)
		depth = STACK_MAX_DEPTH;
	p = pid_entry(s, pid);
	if (!p)
		return 0;
	/*
	 * Exec events reach us after the stacks queued before them: a stack of
	 * the new image (after the exec) needs maps read after the exec, one of
	 * the old image keeps the old snapshot.
	 */
	if (p->snap == REC_NO_SNAP || (p->exec_ns > p->snap_ns && ts_ns > p->exec_ns) ||
	    maps_changed(s, p, ts_ns, ips, depth)) {
		p->snap = snapshot(s, pid);
		p->snap_ns = rec_now_ns(CLOCK_BOOTTIME);
	}
	ra = skipped_caller(s, p->snap, ips, depth, sp_words);
	if (ra) {
		frames[0] = ips[0];
		frames[1] = ra;
		memcpy(frames + 2, ips + 1, (depth - 1) * sizeof(*ips));
		ips = frames;
		depth++;
	}
	h = hash_stack(pid, p->snap, ips, depth);
	for (i = h & s->slots_mask; s->slots[i]; i = (i + 1) & s->slots_mask) {
		st = &s->stacks[s->slots[i] - 1];
		if (st->hash == h && st->pid == pid && st->snap == p->snap &&
		    st->depth == depth && !memcmp(st->ips, ips, depth * sizeof(*ips)))
			return st->id;
	}
	if (s->n_stacks + 1 > s->slots_mask)	/* table full: grow failed */
		return 0;
	return add_stack(s, h, i, pid, p->snap, ips, depth);
}

const struct rec_stack_counters *rec_stacks_counters(const struct rec_stacks *s)
{
	return &s->cnt;
}
