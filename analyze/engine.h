/* SPDX-License-Identifier: MIT */
/*
 * The streaming analysis engine: state kept while events flow (bounded by
 * live threads, fds and requests), and the final results the report writers
 * print. Feed it with ana_engine_chunk() in time order per input file, then
 * call ana_engine_finish() once.
 */
#ifndef ANALYZE_ENGINE_H
#define ANALYZE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/hist.h"
#include "analyze/opts.h"
#include "common/syscalls.h"
#include "format/ebt.h"

#define ANA_MAX_NR 2048		/* per-file nr slots: [0,1024) native, rest compat */
#define ANA_MAX_SYS 2048	/* distinct syscall names */
#define ANA_MAX_FILES 64
#define ANA_TOPK_SYS 8		/* slowest events kept per syscall */
#define ANA_MAX_WINDOWS 240
#define ANA_MAX_STR 512		/* names kept from a trace, in bytes */
#define ANA_MAX_THREADS (1u << 16)
#define ANA_MAX_PROCS (1u << 16)
#define ANA_MAX_FDS (1u << 18)
#define ANA_MAX_PEND_TOTAL (1u << 18)	/* pending fd facts: a full META chunk */
#define ANA_THREAD_PAGES 32768u	/* histogram pages: 32 MiB for threads */
#define ANA_PROC_PAGES 16384u
#define ANA_SYS_PAGES 16384u
#define ANA_MAX_PEERS 4096
#define ANA_MAX_LOSS 4096
#define ANA_MAX_ANCHORS 65536
#define ANA_MAX_NGRAMS (1u << 16)
#define ANA_TINY_IO 16		/* "tiny" read/write: <= this many bytes */

/* Syscall classes used by the request and idle logic. */
enum ana_sys_class {
	ANA_CL_OTHER = 0,
	ANA_CL_READ,		/* read, recv*, readv */
	ANA_CL_WRITE,		/* write, send*, writev, sendfile */
	ANA_CL_POLLWAIT,	/* epoll_wait, poll, select, accept: waiting for work */
	ANA_CL_BLOCK,		/* futex, nanosleep, ...: blocking that may be contention */
	ANA_CL_CLOSE,
	ANA_CL_SYNC,		/* fsync and friends */
};

struct ana_slow {		/* one slow event kept for outliers */
	uint64_t ts, dur;
	uint32_t file, pid, tid;
	int64_t req;
};

/* The events of a descriptor-generic syscall (read, write, close, ...) whose
 * descriptor put them in another category than the syscall's own. */
struct ana_sys_alt {
	struct ana_hist h;
	uint64_t errors, idle_count, idle_ns, req_count, req_ns;
};

struct ana_sys {
	char *name;
	enum syscall_category cat;	/* the syscall's own category */
	bool cat_by_fd;			/* events take their descriptor's category */
	struct ana_sys_alt *alt;	/* [SC__COUNT], lazily; cat_by_fd only */
	uint64_t own_min, own_max;	/* of events in cat; cat_by_fd only */
	enum ana_sys_class cls;
	bool fd_first, excluded, sock_only;
	uint32_t new_fd_kind;	/* the return value is a new fd of this kind */
	uint32_t sel_kinds;	/* --syscalls: with excluded set, which events
				 * ana_event_selected() keeps */
	bool is_dup, is_connect, is_accept, is_mux;
	struct ana_hist h;
	uint64_t errors;
	uint64_t *errnos;	/* [ANA_MAX_ERRNO], lazily */
	uint64_t idle_count, idle_ns;
	uint64_t req_count, req_ns;
	uint64_t tiny;		/* reads/writes returning <= ANA_TINY_IO bytes */
	/* tiny writes right after another tiny write on the same fd in the same
	 * request (outside requests: with no read of that fd in between) */
	uint64_t tiny_rep, tiny_bursts, tiny_burst_ns;	/* time of every write in a burst */
	uint32_t nslow;
	struct ana_slow slow[ANA_TOPK_SYS];	/* min-heap by dur */
};
#define ANA_MAX_ERRNO 4096

struct ana_req;
struct ana_sql;
struct ana_stacks;

struct ana_thread {
	uint64_t key;
	uint32_t file, pid, tid;
	char comm[64];
	struct ana_hist h;
	uint64_t errors, idle_ns, req_ns;
	uint64_t exit_chunk;	/* chunk number of its EXIT record, 0 alive */
	bool excluded, filter_known, folded;
	struct ana_req *cur;	/* connection mode: request last touched */
	int64_t cur_id;
	struct ana_req *req;	/* thread mode: its open request */
	struct ana_proc *proc;	/* stable: processes are never freed */
	struct ana_fd *last_fd[2];	/* a cache: check live and the key */
	uint64_t start_ts, exit_ts;
};

struct ana_proc {
	uint64_t key;
	uint32_t file, pid, ppid;
	char *comm, *exe, *cmdline;
	struct ana_hist h;
	uint64_t errors, idle_ns, req_ns, threads;
	uint64_t start_ts, exit_ts;
	int32_t exit_code;
	int method;		/* ANA_REQ_CONNECTION / ANA_REQ_THREAD, 0 undecided */
	bool saw_poll, excluded, filter_known;
};

enum ana_fd_role { ANA_ROLE_UNKNOWN = 0, ANA_ROLE_SERVER, ANA_ROLE_CLIENT };

struct ana_fd {
	uint64_t key;
	uint32_t file, pid;
	int32_t fd;
	uint32_t kind;		/* enum ebt_fd_kind */
	int role;
	char *path, *peer, *local;
	uint64_t open_ts, first_ts, last_ts;
	uint64_t syscalls, ns, reads, writes, tiny_reads, tiny_writes;
	uint64_t net_ns, max_ns;
	int64_t tiny_req;	/* request of the current run of tiny writes */
	uint32_t tiny_len;	/* length of that run, 0: none open */
	uint64_t tiny_first_ns;	/* duration of its first write */
	struct ana_req *req;	/* connection mode: its open request */
	/* facts from an FD record newer than the events seen so far: they
	 * describe the next incarnation of this fd number */
	struct ana_fd_pend *pend;	/* oldest first, pend_head entries into its buffer */
	uint32_t npend, pend_head, pend_cap;
	bool live;		/* false: on the free list (memory reused, never freed) */
	bool closed;		/* closed, kept in the map for the number's reuse */
	struct ana_fd *next_free;
};

struct ana_fd_pend {
	uint64_t ts;
	uint32_t kind;
	char *path, *peer, *local;
};

/* Small reads summed per (pid, path): an fd number reopened per request
 * is one file to the user. */
struct ana_tiny {
	uint32_t file, pid;
	int32_t fd;
	char path[160];
	uint64_t tiny, reads, fds, ns;
};
#define ANA_MAX_TINY 256

/* A closed fd kept for the report (the top ones by time). */
struct ana_fd_sum {
	uint32_t file, pid;
	int32_t fd;
	uint32_t kind;
	char path[160], peer[80];
	uint64_t first_ts, last_ts;
	uint64_t syscalls, ns, reads, writes, tiny_reads, tiny_writes;
};

struct ana_peer {
	char *host;		/* address without port */
	char example[80];	/* one full address */
	uint64_t conns, syscalls, ns, max_ns;
};

struct ana_slow_sys {		/* slowest syscalls of a request */
	uint32_t sid;
	uint64_t dur, ts;
};

struct ana_req {
	int64_t id;
	uint32_t file, pid, tid;
	int32_t fd;
	int method;
	int state;		/* 1 reading, 2 writing */
	bool complete, lossy, live;
	char peer[80];
	uint64_t start_ts, end_ts, last_ts;
	uint64_t syscalls, syscall_ns;
	uint64_t cat_ns[SC__COUNT];
	struct ana_slow_sys top[3];
	uint32_t prev[2];	/* last two syscall ids, for n-grams */
	uint32_t nprev;
	struct ana_req *lnext, *lprev;	/* live list / free list */
};

struct ana_window {
	struct ana_hist h;
	uint64_t errors, idle_ns, req_ns, requests;
};

struct ana_loss_win {
	uint32_t file, source, cpu;
	uint64_t start, end, count;
	uint64_t max_end;	/* max end of this and earlier windows of the file */
};

struct ana_anchor {
	uint64_t ev, wall;
};

struct ana_file {
	char *path;
	char *hostname, *kernel, *arch, *recorder;
	uint64_t sample_every;
	int16_t sid_of[ANA_MAX_NR];	/* -1 unresolved */
	char **names;			/* trace's own table, by nr (native abi) */
	uint32_t nnames;
	char **compat_names;
	uint32_t ncompat;
	struct ana_anchor *anchors;	/* sorted by ev unless anchors_dirty */
	size_t nanchors, canchors;
	bool anchors_dirty;
	uint64_t anchor_max_ev;
	uint64_t created_wall;
	uint64_t ts_first, ts_last, events, chunks, kept;
	uint64_t lost, damaged_chunks, damaged_events;
	bool truncated, footer_seen, have_ts;
	int64_t wall_off;		/* latest anchor: wall - event clock */
	bool wall_known;
	uint64_t since_ts, until_ts;	/* event-clock filter bounds */
	bool bounds_set;
	uint64_t meta_chunks, fd_records;
	uint64_t pend_mark[2];		/* ts_last at the last two chunk ends */
	struct ana_req *live, *live_tail;	/* open requests, most recent first */
};

/* A keyed table: open addressing on uint64 keys, values are pointers. */
struct ana_map {
	uint64_t *keys;
	void **vals;
	size_t cap, n;
};

struct ana_ngram {
	uint64_t key;		/* 3 syscall ids + 1, 16 bits each */
	uint64_t count;
};

struct ana_suggestion {
	char rule[32];
	char title[160];
	char evidence[400];
	uint64_t weight_ns;
};

struct ana_hotspot {
	int is_category;
	uint32_t id;		/* sid or enum syscall_category */
	const char *name;
	uint64_t count, ns, p99_ns;
	double share;		/* of the basis total */
};

struct ana_outlier {
	int is_request;
	uint32_t sid;
	struct ana_slow ev;
	double score;
	const char *rule;
};

struct ana_engine {
	const struct ana_opts *opts;
	struct ana_file files[ANA_MAX_FILES];
	uint32_t nfiles;
	struct ana_sys *sys[ANA_MAX_SYS];
	uint32_t nsys;
	struct ana_map threads, procs, fds;
	struct ana_fd *free_fds;
	size_t fds_closed;		/* entries of the fd map that are closed */
	struct ana_thread *tcache[256];	/* direct-mapped by tid: threads are never freed */
	uint64_t cat_idle_ns[SC__COUNT];
	uint64_t events, kept, attributed_ns, unattributed_ns, idle_ns;
	uint64_t attributed_count, unattributed_count, idle_count;
	uint64_t chunk_no;
	/* requests */
	struct ana_req *free_reqs;
	uint64_t nlive, max_live;
	int64_t next_req_id;
	struct ana_hist req_h;
	uint64_t req_count, req_incomplete, req_lossy, req_syscall_ns;
	uint64_t req_cat_ns[SC__COUNT];
	uint64_t procs_conn, procs_thread;
	struct ana_req *slowest;	/* array of opts->top kept requests */
	uint32_t nslowest, cap_slowest, slowest_min;
	uint64_t slowest_min_ns;
	/* windows */
	struct ana_window win[ANA_MAX_WINDOWS];
	uint64_t win_base, win_width;
	uint64_t win_lo, win_hi;	/* wall range of win[win_idx], a cache */
	uint32_t nwin, win_idx;
	struct ana_window *win_cur;	/* &win[win_idx] */
	bool win_base_set;
	/* fds, peers */
	struct ana_fd_sum *fd_top;
	uint32_t nfd_top, cap_fd_top, fd_top_min;
	uint64_t fd_top_min_ns;
	struct ana_tiny *tiny;
	uint32_t ntiny;
	struct ana_peer *peers;
	uint32_t npeers;
	struct ana_map peer_map;	/* hash of host -> index + 1 */
	/* loss */
	struct ana_loss_win *loss;
	uint32_t nloss;
	uint64_t lost_total;
	/* n-grams */
	struct ana_ngram *ngrams;
	uint32_t nngrams;
	uint64_t ngram_dropped;
	/* caps hit */
	bool cap_warned[6];
	struct ana_thread **dying;	/* exited threads not folded yet */
	size_t ndying, cdying;
	uint64_t npend;			/* pending fd facts, all fds */
	uint64_t pend_sweep_at;		/* FD records seen before the next fold */
	/* histogram pages (1 KiB) left for each family: bounded memory */
	uint64_t thr_pages, proc_pages, sys_pages;
	/* results (filled by ana_engine_finish) */
	uint32_t *sys_order;		/* sids sorted by total time */
	struct ana_hist cat_h[SC__COUNT];
	uint64_t cat_errors[SC__COUNT], cat_req_ns[SC__COUNT];
	uint64_t cat_req_count[SC__COUNT], cat_idle_count[SC__COUNT];
	struct ana_outlier *outliers;
	uint32_t noutliers;
	struct ana_hotspot *hot;
	uint32_t nhot;
	bool hot_in_request;	/* basis: in-request time, else non-idle time */
	uint64_t hot_basis_ns;
	struct ana_suggestion *sugg;
	uint32_t nsugg;
	struct ana_proc **proc_order;
	uint32_t nproc_order;
	struct ana_thread **thr_order;
	uint32_t nthr_order;
	struct ana_fd_sum *fd_order;
	uint32_t nfd_order;
	struct ana_ngram *pat_order;
	uint32_t npat_order;
	uint64_t ts_wall_min, ts_wall_max;
	struct ana_stacks *stacks;	/* analyze/stacks.h; NULL: no stack seen */
	/* SQLite sink, optional */
	struct ana_sql *sql;
	int sql_err;
	char errmsg[256];
};

/* Sets up an engine for opts (borrowed, must outlive it). 0 or -ENOMEM. */
int ana_engine_new(const struct ana_opts *opts, struct ana_engine **out);
void ana_engine_free(struct ana_engine *e);

/* Registers input file idx (path borrowed-copied). 0, -EINVAL, -ENOMEM. */
int ana_engine_add_file(struct ana_engine *e, const char *path, uint32_t *idx);

/* Header facts of a file, from its reader's info. */
void ana_engine_file_info(struct ana_engine *e, uint32_t idx, const struct ebt_info *info);

/* Feeds one chunk of file idx. 0 or -ENOMEM / -EIO (SQLite sink). */
int ana_engine_chunk(struct ana_engine *e, uint32_t idx, const struct ebt_chunk *c);

/* Closes open requests and computes the results. 0 or -errno. */
int ana_engine_finish(struct ana_engine *e);

/* Event clock of file idx -> Unix-epoch ns, interpolating between clock
 * anchors (0 if the file gives no way to know). */
uint64_t ana_engine_wall(const struct ana_engine *e, uint32_t idx, uint64_t ts);

/* The time window holding wall (Unix-epoch ns); widens windows if needed. */
struct ana_window *ana_window_of(struct ana_engine *e, uint64_t wall);

/* Name of a syscall id. */
static inline const char *ana_sys_name(const struct ana_engine *e, uint32_t sid)
{
	return e->sys[sid]->name;
}

/* a + b, saturating at UINT64_MAX (counts from a trace may lie). */
static inline uint64_t ana_sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* Helpers shared by the engine's files (engine_*.c). */
int ana_map_init(struct ana_map *m, size_t cap);
void ana_map_free(struct ana_map *m);
void *ana_map_get(const struct ana_map *m, uint64_t key);
int ana_map_put(struct ana_map *m, uint64_t key, void *val);
void ana_map_del(struct ana_map *m, uint64_t key);

struct ana_thread *ana_thread_get(struct ana_engine *e, uint32_t file, uint32_t pid,
				  uint32_t tid);
struct ana_proc *ana_proc_get(struct ana_engine *e, uint32_t file, uint32_t pid);
struct ana_fd *ana_fd_get(struct ana_engine *e, uint32_t file, uint32_t pid, int32_t fd,
			  bool create);
void ana_fd_release(struct ana_engine *e, struct ana_fd *f);
void ana_fd_reset(struct ana_engine *e, struct ana_fd *f);
void ana_fd_created(struct ana_engine *e, struct ana_fd *f, uint32_t file,
		    const struct ebt_event *ev, const struct ana_sys *s);
void ana_fd_apply_pending(struct ana_engine *e, struct ana_fd *f, uint64_t upto);
void ana_fd_free(struct ana_engine *e, struct ana_fd *f);
void ana_fd_summarize(struct ana_engine *e, const struct ana_fd *f);
size_t ana_fd_purge(struct ana_engine *e);
void ana_fd_set_info(struct ana_engine *e, struct ana_fd *f, const struct ebt_fd *r);
int ana_meta_record(struct ana_engine *e, uint32_t idx, const struct ebt_record *r);
/* After the records of a chunk: sorts clock anchors that came out of order. */
void ana_meta_chunk_end(struct ana_engine *e, uint32_t idx);
int ana_sys_resolve(struct ana_engine *e, uint32_t idx, uint32_t slot);
/* A trace string (len bytes, at most ANA_MAX_STR kept) as a C string; a NUL
 * byte inside it is kept visible as U+2400 (the outputs are C strings). */
char *ana_strndup(const char *s, size_t len);
/* The same into dst[size] (cut to fit, never inside a U+2400); the length. */
size_t ana_name_copy(char *dst, size_t size, const char *s, size_t len);
/* Copies NUL-terminated src into dst[size], cut to fit (no printf). */
void ana_strlcpy(char *dst, const char *src, size_t size);
/* Warns once per cap (which) that more than the cap of what were seen, and
 * what became of the rest (fate). */
#define ANA_CAP_MERGED "the rest are merged into one overflow entry"
void ana_warn_cap(struct ana_engine *e, int which, const char *what, const char *fate);

/* Requests (engine_req.c). */
struct ana_ev_ctx {
	const struct ebt_event *ev;
	uint32_t file, sid;
	struct ana_sys *sys;
	struct ana_thread *t;
	struct ana_fd *fd;	/* NULL for non-fd syscalls */
	enum syscall_category cat;	/* of this event: see ana_event_category() */
	uint64_t w;		/* sample weight */
	int64_t req_id;		/* out: the request it was attributed to, -1 */
	bool idle;		/* out */
};
void ana_req_event(struct ana_engine *e, struct ana_ev_ctx *c);
void ana_req_close(struct ana_engine *e, struct ana_req *r, bool complete);
void ana_req_sweep(struct ana_engine *e, uint32_t file, uint64_t now_ts);
void ana_req_thread_exit(struct ana_engine *e, struct ana_thread *t);
void ana_req_finish(struct ana_engine *e);
bool ana_loss_overlaps(const struct ana_engine *e, uint32_t file, uint64_t a, uint64_t b);

/*
 * Category of one event: a descriptor-generic syscall (read, write, readv,
 * writev, close, sendfile) on a socket is network time, on a pipe or eventfd
 * IPC, on a timerfd time, on a signalfd signals; anything else keeps the
 * syscall's own category.
 */
static inline enum syscall_category ana_event_category(const struct ana_sys *s,
						       const struct ana_fd *f)
{
	if (!s->cat_by_fd || !f)
		return s->cat;
	switch (f->kind) {
	case EBT_FD_SOCKET:
		return SC_NETWORK;
	case EBT_FD_PIPE:
	case EBT_FD_EVENTFD:
		return SC_IPC;
	case EBT_FD_TIMERFD:
		return SC_TIME;
	case EBT_FD_SIGNALFD:
		return SC_SIGNAL;
	default:
		return s->cat;
	}
}

/* --syscalls (engine_select.c): sets s->excluded (not every event kept)
 * and s->sel_kinds from opts; then, for s->excluded, whether event ev is
 * kept (by the kind of its fd); one left out still updates the fds it opens
 * or closes. */
void ana_sys_select(const struct ana_opts *o, struct ana_sys *s);
bool ana_event_selected(struct ana_engine *e, uint32_t file, const struct ebt_event *ev,
			const struct ana_sys *s);

/* The part of s->h (and counters) in category c, for category tables:
 * the whole syscall when it never changed category. 0 or -ENOMEM. */
int ana_sys_cat_part(const struct ana_sys *s, int c, struct ana_sys_alt *out);

/* Results (engine_results.c). */
int ana_results_compute(struct ana_engine *e);
int ana_suggest(struct ana_engine *e);

#endif
