/* SPDX-License-Identifier: MIT */
/*
 * The .ebt trace library: the one public header of format/.
 *
 * A trace is a fixed header followed by an append-only sequence of
 * self-describing chunks (docs/FORMAT.md is the normative spec). The writer
 * turns struct ebt_event and struct ebt_record values into chunks; the reader
 * hands them back chunk by chunk, in bounded memory.
 *
 * Nothing here prints, exits, aborts or installs signal handlers. Every int
 * function returns 0 (or a count) on success and -errno on failure:
 *   -EINVAL  bad argument
 *   -EBADMSG corrupt data (details in ebt_reader_errmsg())
 *   -ENOTSUP newer major version or unknown critical chunk/flag
 *   -EFBIG   a length over a cap
 *   -ENOBUFS writer pool full: the event was dropped and counted
 *   -EAGAIN  follow mode: no complete chunk yet
 *   -EIO, -ENOMEM, and the errno of a failed open/read/write.
 */
#ifndef FORMAT_EBT_H
#define FORMAT_EBT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EBT_VERSION_MAJOR 1
#define EBT_VERSION_MINOR 0

/* Chunk types; bit 15 is the "critical" bit (unknown critical => -ENOTSUP). */
#define EBT_CHUNK_CRITICAL	0x8000u
#define EBT_CHUNK_META		0x0010u	/* struct ebt_record list (TLV) */
#define EBT_CHUNK_EVENTS	0x8020u	/* struct ebt_event list (columnar) */
#define EBT_CHUNK_FOOTER	0x00f0u	/* optional index; readers never need it */

/* Caps a reader enforces before allocating (docs/FORMAT.md, "Limits"). */
#define EBT_MAX_CHUNK_BYTES	(64u << 20)	/* stored and raw payload */
#define EBT_MAX_CHUNK_EVENTS	(1u << 20)
#define EBT_MAX_STRING		65536u		/* one string field */
#define EBT_MAX_STACK_DEPTH	127u
#define EBT_MAX_CHUNK_RECORDS	(1u << 18)	/* records in one META chunk */

/*
 * One syscall, as the analyzer sees it. Timestamps are nanoseconds of the
 * trace's event clock (ebt_info.clock_id: CLOCK_BOOTTIME for ebpf-record);
 * CLOCK_SYNC records map them to wall-clock time.
 */
struct ebt_event {
	uint64_t enter_ns;
	uint64_t duration_ns;
	int64_t ret;		/* raw return value; -4095..-1 is -errno */
	uint64_t arg0;		/* first argument (the fd for fd syscalls) */
	uint32_t pid;		/* tgid */
	uint32_t tid;
	uint32_t nr;		/* syscall number of the trace's arch/abi */
	uint32_t cpu;
	uint32_t stack_id;	/* file-local stack id, 0 = none */
	uint32_t flags;		/* EBT_EV_* */
};

#define EBT_EV_COMPAT	0x1u	/* 32-bit compat syscall (nr is of the compat abi) */

/* Metadata records: struct ebt_record.kind. Values are part of the format. */
enum ebt_record_kind {
	EBT_REC_FILE_INFO = 1,	/* key/value facts about recorder and host */
	EBT_REC_SYSCALL = 2,	/* one entry of the syscall table */
	EBT_REC_CLOCK = 3,	/* clock anchors */
	EBT_REC_TASK = 4,	/* process / thread lifecycle */
	EBT_REC_FD = 5,		/* file descriptor facts */
	EBT_REC_LOSS = 6,	/* events that never reached the file */
	EBT_REC_STACK = 7,	/* a user stack (file-local id -> ips) */
	EBT_REC_SYMBOL = 8,	/* resolved address */
	EBT_REC_MAP = 9,	/* an executable mapping of a process */
};

/*
 * Strings in records are byte strings with an explicit length; they may hold
 * any byte (a comm or path is whatever the traced program made it) and are
 * not NUL-terminated on disk. In records handed out by the reader, each
 * string also has a NUL after its last byte for convenience.
 */
struct ebt_str {
	const char *p;
	uint32_t len;
};

/* EBT_REC_FILE_INFO: well-known keys are listed in docs/FORMAT.md
 * ("hostname", "kernel_release", "arch", "recorder_version", ...). */
struct ebt_kv {
	struct ebt_str key;
	struct ebt_str value;
};

/* EBT_REC_SYSCALL: abi is e.g. "x86_64", "i386", "aarch64". */
struct ebt_syscall_name {
	uint32_t nr;
	struct ebt_str abi;
	struct ebt_str name;
};

/* EBT_REC_CLOCK: one reading of each clock, realtime taken between two
 * reads of the event clock (event_ns is their midpoint, uncertainty_ns half
 * their distance). */
struct ebt_clock {
	uint64_t event_ns;
	uint64_t monotonic_ns;
	uint64_t boottime_ns;
	uint64_t realtime_ns;
	uint64_t uncertainty_ns;
};

enum ebt_task_kind {
	EBT_TASK_SNAPSHOT = 1,	/* existed when recording began */
	EBT_TASK_FORK = 2,	/* new process (pid == tid) */
	EBT_TASK_THREAD = 3,	/* new thread in an existing process */
	EBT_TASK_EXEC = 4,	/* execve: comm, exe, cmdline replaced */
	EBT_TASK_EXIT = 5,	/* thread exited; pid == tid: process exited */
	EBT_TASK_RENAME = 6,	/* comm changed (prctl) */
};

/* EBT_REC_TASK. Unknown fields are zero / empty. */
struct ebt_task {
	uint32_t kind;		/* enum ebt_task_kind */
	uint32_t pid;		/* tgid */
	uint32_t tid;
	uint32_t ppid;
	uint64_t ts_ns;		/* event clock; 0 for snapshots */
	uint64_t start_ns;	/* task start time, event clock, 0 unknown */
	int32_t exit_code;	/* EXIT: wait status */
	uint32_t uid;
	struct ebt_str comm;
	struct ebt_str exe;
	struct ebt_str cmdline;	/* argv joined by NUL bytes */
};

enum ebt_fd_kind {
	EBT_FD_UNKNOWN = 0,
	EBT_FD_FILE = 1,	/* regular file; path */
	EBT_FD_DIR = 2,
	EBT_FD_CHAR = 3,	/* character device (tty, /dev/null) */
	EBT_FD_BLOCK = 4,
	EBT_FD_PIPE = 5,
	EBT_FD_SOCKET = 6,	/* family, sock_type, local, peer */
	EBT_FD_EVENTFD = 7,
	EBT_FD_EPOLL = 8,
	EBT_FD_TIMERFD = 9,
	EBT_FD_SIGNALFD = 10,
	EBT_FD_INOTIFY = 11,
	EBT_FD_ANON = 12,	/* other anon_inode */
	EBT_FD_MEMFD = 13,
};

enum ebt_fd_event {
	EBT_FDE_SNAPSHOT = 1,	/* open when recording began */
	EBT_FDE_OPEN = 2,	/* created during the recording */
	EBT_FDE_CLOSE = 3,
	EBT_FDE_UPDATE = 4,	/* new facts (e.g. connect gave a peer) */
};

/* EBT_REC_FD. Addresses are text: "127.0.0.1:8080", "[::1]:443",
 * "/run/x.sock", "" when unknown. */
struct ebt_fd {
	uint32_t event;		/* enum ebt_fd_event */
	uint32_t kind;		/* enum ebt_fd_kind */
	uint32_t pid;
	int32_t fd;
	uint64_t ts_ns;
	uint16_t family;	/* AF_* for sockets (Linux values) */
	uint16_t sock_type;	/* SOCK_STREAM, SOCK_DGRAM, ... */
	uint32_t flags;		/* O_* flags where known */
	struct ebt_str path;	/* file path, or the /proc link text */
	struct ebt_str local;
	struct ebt_str peer;
};

enum ebt_loss_source {
	EBT_LOSS_RINGBUF = 1,	/* kernel could not reserve ring space */
	EBT_LOSS_WRITER = 2,	/* writer pool full */
	EBT_LOSS_DAMAGE = 3,	/* reader: chunk skipped as damaged */
	EBT_LOSS_FILTER = 4,	/* informational: sampled out (not a loss) */
};

/* EBT_REC_LOSS: 'count' events lost in [ts_start_ns, ts_end_ns] on 'cpu'
 * (UINT32_MAX: all CPUs). Counts are per window, not cumulative. */
struct ebt_loss {
	uint32_t source;	/* enum ebt_loss_source */
	uint32_t cpu;
	uint64_t ts_start_ns;
	uint64_t ts_end_ns;
	uint64_t count;
};

/* EBT_REC_STACK: ips[0] is the innermost frame. */
struct ebt_stack {
	uint32_t id;		/* > 0, unique in the file */
	uint32_t pid;
	uint32_t depth;		/* <= EBT_MAX_STACK_DEPTH */
	const uint64_t *ips;
};

/* EBT_REC_SYMBOL: where one address seen in a stack of pid resolves to. */
struct ebt_symbol {
	uint32_t pid;
	uint64_t addr;
	uint64_t offset;	/* addr - symbol start */
	struct ebt_str name;	/* function, "" unknown */
	struct ebt_str object;	/* path of the mapped file */
	struct ebt_str build_id;/* hex */
};

/* EBT_REC_MAP: an executable mapping. */
struct ebt_map {
	uint32_t pid;
	uint64_t start, end, file_offset;
	struct ebt_str path;
	struct ebt_str build_id;/* hex */
};

struct ebt_record {
	uint32_t kind;		/* enum ebt_record_kind */
	union {
		struct ebt_kv kv;
		struct ebt_syscall_name sys;
		struct ebt_clock clock;
		struct ebt_task task;
		struct ebt_fd fd;
		struct ebt_loss loss;
		struct ebt_stack stack;
		struct ebt_symbol sym;
		struct ebt_map map;
	};
};

/* Helper for building records: wraps a NUL-terminated C string (may be NULL). */
struct ebt_str ebt_str_c(const char *s);

/* ---------------------------------------------------------------- writer */

struct ebt_writer_opts {
	int level;		/* zstd level; 0 = default (3) */
	uint32_t chunk_events;	/* events per chunk; 0 = 65536 */
	uint32_t pool_chunks;	/* preallocated chunk buffers; 0 = 8 */
	uint32_t flush_ms;	/* max age of an open chunk; 0 = 1000 */
	uint32_t mode;		/* file permission bits; 0 = 0600 */
	bool overwrite;		/* replace an existing file (never follows a symlink) */
	bool inline_io;		/* no worker thread: compress/write in the caller */
	uint32_t clock_id;	/* clock of event timestamps; 0 = CLOCK_BOOTTIME */
	uint32_t reorder_ms;	/* events may be appended up to this late (in
				 * their own time): the writer holds back the
				 * newest events of each buffer this long (at
				 * most chunk_events of them) and merges them
				 * with the next, so a later chunk never holds
				 * an event older than the end of an earlier
				 * one. 0: each buffer is sorted on its own. */
};

struct ebt_writer_stats {
	uint64_t events;	/* appended and written */
	uint64_t dropped;	/* refused with -ENOBUFS */
	uint64_t records;	/* metadata records written */
	uint64_t chunks;
	uint64_t raw_bytes;	/* before compression */
	uint64_t file_bytes;	/* bytes in the file */
	int io_err;		/* first write error (-errno) or 0 */
};

struct ebt_writer;

/*
 * Creates path (O_EXCL|O_NOFOLLOW unless opts->overwrite, which still never
 * follows a symlink) and writes the file header. opts may be NULL.
 * -EEXIST the file exists; other -errno from open().
 */
int ebt_writer_open(const char *path, const struct ebt_writer_opts *opts,
		    struct ebt_writer **out);

/* Same, on an open descriptor the writer then owns (closes at close). */
int ebt_writer_open_fd(int fd, const struct ebt_writer_opts *opts,
		       struct ebt_writer **out);

/*
 * Copies ev into the open chunk. Never blocks, never makes a syscall,
 * except that handing a full chunk to the worker (once per chunk_events
 * events) posts a semaphore, a non-blocking futex wake if the worker sleeps.
 * -ENOBUFS: every pool buffer is busy; the event is counted as dropped and a
 * LOSS record is written for it later.
 */
int ebt_writer_append(struct ebt_writer *w, const struct ebt_event *ev);

/*
 * Copies a metadata record (strings included) into the pending metadata
 * chunk, which reaches the file before the events chunk open at the time of
 * the call. Rare by nature: may allocate. -EFBIG for a string over
 * EBT_MAX_STRING. -ENOBUFS if the worker is so far behind that the pending
 * records reached EBT_MAX_CHUNK_RECORDS or half of EBT_MAX_CHUNK_BYTES (the
 * record is not stored).
 */
int ebt_writer_add_record(struct ebt_writer *w, const struct ebt_record *rec);

/*
 * Hands pending records and the open chunk to the worker if the chunk is
 * older than flush_ms (or at once when force). Never waits on I/O. Call it
 * from the appending thread on a timer (ebpf-record does every 100 ms).
 * now_ns: any monotonic clock, used only to age the chunk.
 */
int ebt_writer_flush(struct ebt_writer *w, uint64_t now_ns, bool force);

/* Counters so far (safe to call from the appending thread). */
void ebt_writer_get_stats(const struct ebt_writer *w, struct ebt_writer_stats *out);

/*
 * Flushes everything, writes the final LOSS record and the footer, fsyncs,
 * joins the worker, closes the file and frees w (NULL is fine). Returns the
 * first error seen during the writer's life (write errors included).
 */
int ebt_writer_close(struct ebt_writer *w, struct ebt_writer_stats *stats);

/* ---------------------------------------------------------------- reader */

struct ebt_reader_opts {
	bool follow;		/* the file is still being written */
	uint32_t max_chunk_bytes;	/* 0 = EBT_MAX_CHUNK_BYTES */
};

/* Facts about the file, updated as chunks are read. */
struct ebt_info {
	uint16_t major, minor;
	uint32_t clock_id;	/* CLOCK_* of event timestamps */
	uint64_t created_realtime_ns;
	uint8_t uuid[16];
	uint64_t file_size;	/* at open (grows in follow mode) */
	/* counted so far */
	uint64_t chunks;
	uint64_t events;
	uint64_t records;
	uint64_t lost_events;	/* sum of LOSS records (ring buffer + writer) */
	uint64_t damaged_chunks;/* skipped: bad checksum, bad frame, ... */
	uint64_t damaged_events;/* events in damaged chunks (from their headers) */
	uint64_t skipped_bytes;	/* garbage skipped while resynchronising */
	uint64_t unknown_chunks;/* non-critical unknown types skipped */
	uint64_t duplicate_chunks;/* skipped: seq already read (also damaged) */
	uint64_t ts_min, ts_max;/* event clock range of events read */
	bool footer_seen;	/* the recorder closed the file cleanly */
	bool truncated;		/* the file ends in a torn chunk */
};

/*
 * One decoded chunk. events/records (and every string they point to) stay
 * valid until the next ebt_reader_next() or ebt_reader_close().
 */
struct ebt_chunk {
	uint16_t type;		/* EBT_CHUNK_* */
	uint64_t seq;
	uint64_t offset;	/* of the chunk header in the file */
	uint64_t ts_min, ts_max;
	size_t n_events;
	const struct ebt_event *events;	/* sorted by exit time (enter + duration) */
	size_t n_records;
	const struct ebt_record *records;
};

struct ebt_reader;

/*
 * Opens and validates the header. opts may be NULL.
 * -EBADMSG not an .ebt file / damaged header (see errmsg), -ENOTSUP newer
 * major version or unknown incompatible feature (errmsg names both versions).
 */
int ebt_reader_open(const char *path, const struct ebt_reader_opts *opts,
		    struct ebt_reader **out);

const struct ebt_info *ebt_reader_info(const struct ebt_reader *r);

/*
 * Reads the next EVENTS or META chunk. Returns 1 with *chunk filled, 0 at
 * the end of the file (torn tail: info->truncated, still 0), -EAGAIN in
 * follow mode when no complete chunk is there yet (call again later),
 * -ENOTSUP for an unknown critical chunk, -EIO/-ENOMEM. Damaged chunks are
 * skipped and counted in ebt_reader_info(), never returned; each skip leaves
 * a message in ebt_reader_warning() until the next call.
 */
int ebt_reader_next(struct ebt_reader *r, struct ebt_chunk *chunk);

/* The last error's context ("chunk 12 at offset 4096: payload checksum").
 * With r == NULL: why this thread's last ebt_reader_open() failed (no
 * reader object exists then). */
const char *ebt_reader_errmsg(const struct ebt_reader *r);

/* Non-fatal damage seen by the last ebt_reader_next(), or NULL. */
const char *ebt_reader_warning(const struct ebt_reader *r);

void ebt_reader_close(struct ebt_reader *r);

/* Names for printing: "EVENTS", "META"; "file", "socket", ... */
const char *ebt_fd_kind_name(uint32_t kind);
const char *ebt_task_kind_name(uint32_t kind);
const char *ebt_chunk_type_name(uint16_t type);	/* "EVENTS", "META", "FOOTER", "unknown" */
const char *ebt_loss_source_name(uint32_t source);	/* "ringbuf", "writer", ... */

#endif /* FORMAT_EBT_H */
