/* SPDX-License-Identifier: MIT */
/*
 * Shared between the analyze/sqlite_*.c files: the loader object, its
 * prepared statements and the binding helpers. Not part of the interface.
 */
#ifndef ANALYZE_SQLITE_INTERNAL_H
#define ANALYZE_SQLITE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "analyze/sqlite_out.h"

/* PRAGMA user_version and trace_info's "schema_version" (docs/SQL.md). */
#define ANA_SQL_SCHEMA_VERSION 1
#define ANA_SQL_SCHEMA_VERSION_TEXT "1"
/* PRAGMA application_id: "EBTS" read as a big-endian integer. */
#define ANA_SQL_APPLICATION_ID 0x45425453

enum sql_stmt {
	SQ_TRACE_INFO = 0,
	SQ_EVENT,
	SQ_PROCESS,
	SQ_THREAD,
	SQ_FD,
	SQ_STAT_SYSCALL,
	SQ_STAT_CATEGORY,
	SQ_STAT_PROCESS,
	SQ_STAT_THREAD,
	SQ_STAT_WINDOW,
	SQ_REQUEST,
	SQ_HOTSPOT,
	SQ_OUTLIER,
	SQ_LOSS,
	SQ_SUGGESTION,
	SQ_STACK,
	SQ_BLOCK,
	SQ__COUNT
};

struct sql_buf;

/* analyze/sqlite_ranges.c: the events.id range of each live request. */
struct sql_range {
	int64_t id;
	uint64_t first, last;
	bool closed;		/* its row is written; one more event may come */
};
struct sql_ranges {
	struct sql_range *slot;	/* open addressing, cap a power of 2 */
	size_t cap, n;
	uint8_t *seen;		/* bit per request id that had an event */
	size_t seen_cap;
	int64_t *closing;	/* closed at event id closing_at */
	size_t nclosing, closing_cap;
	uint64_t closing_at;
	bool broken;		/* a range may miss events: build the index */
};

struct ana_sql {
	sqlite3 *db;
	char *path;		/* the file the user asked for */
	char *tmp;		/* where it is built; renamed to path on commit */
	bool force;
	bool in_tx;
	bool failed;		/* an insert failed: close must not commit */
	struct sql_buf *events, *requests;	/* rows waiting for the next flush */
	/* events.id of the next event. sqlite assigns it (max rowid + 1: the
	 * table is new and only appended to, so 1.. in load order); binding it
	 * explicitly cost 6% more instructions per event (a seek per row). */
	uint64_t next_event_id;
	/* The open event_blocks row: its first id, rows, wall-clock range. */
	uint64_t blk_first, blk_rows, blk_min_wall, blk_max_wall;
	struct sql_ranges ranges;
	/* For sqlite_stat1: events with a request, request rows. */
	uint64_t req_events, requests_n;
	sqlite3_stmt *stmt[SQ__COUNT];
	char errmsg[512];
};

/* The schema (tables only), the post-load indexes and views, the INSERT
 * text of each statement. All constant; data never goes into SQL text. */
extern const char sql_schema[];
extern const char sql_post_load[];
extern const char sql_request_index[];
extern const char *const sql_insert[SQ__COUNT];	/* [SQ_EVENT] is NULL */

/* Row buffers (analyze/sqlite_buffer.c): rows are copied in and inserted
 * SQL_BUF_ROWS at a time by one statement reading a virtual table over the
 * buffer. cols is the column list (a constant), ncols its length. */
#define SQL_BUF_ROWS 1024
#define SQL_EVENT_COLS                                                                  \
	"file_idx, ts_ns, wall_ns, pid, tid, cpu, nr, syscall, category, duration_ns,"  \
	" ret, err, errno_name, fd, request_id, idle, stack_id"
#define SQL_EVENT_NCOLS 17
#define SQL_REQUEST_COLS                                                                \
	"id, file_idx, pid, tid, fd, peer, method, start_wall_ns, start_time,"          \
	" end_wall_ns, duration_ns, syscall_ns, syscalls, file_ns, network_ns,"         \
	" memory_ns, process_ns, time_ns, sync_ns, poll_ns, ipc_ns, signal_ns,"         \
	" other_ns, complete, lossy, first_event_id, last_event_id"
#define SQL_REQUEST_NCOLS 27

/* One buffered value; set through the sql_val_*() helpers. */
struct sql_val {
	union {
		int64_t i;
		double d;
		size_t off;		/* V_ARENA: into the buffer's string arena */
		const char *p;		/* V_STATIC */
	} u;
	uint32_t len;
	uint8_t type;			/* V_* */
};
enum { V_NULL = 0, V_INT, V_REAL, V_ARENA, V_STATIC };

int sql_buf_new(struct ana_sql *s, const char *table, const char *cols, unsigned int ncols,
		struct sql_buf **out);
void sql_buf_free(struct sql_buf *b);
/* Inserts the buffered rows; the buffer is empty afterwards. NULL is fine. */
int sql_buf_flush(struct sql_buf *b);
/* The ncols values of the next row: set every one, then sql_buf_add(). */
struct sql_val *sql_buf_row(struct sql_buf *b);
int sql_buf_add(struct sql_buf *b);
void sql_val_i64(struct sql_val *v, int64_t x);
void sql_val_u64(struct sql_val *v, uint64_t x);	/* REAL above INT64_MAX */
void sql_val_null(struct sql_val *v);
/* A string that outlives the load (a constant); NULL gives SQL NULL. */
void sql_val_static(struct sql_val *v, const char *str);
/* Any other string: copied into the buffer. 0 or -ENOMEM. */
int sql_val_text(struct sql_buf *b, struct sql_val *v, const char *str);

/* Counts the event just buffered (its id was s->next_event_id) into the
 * open event_blocks row; writes that row once it holds SQL_BUF_ROWS events
 * and hands the event to the row buffer. 0 or -errno (sql_fail). */
int sql_event_added(struct ana_sql *s, const struct ana_sql_event *ev);
/* Writes the open (partial) event_blocks row, if any. */
int sql_block_flush(struct ana_sql *s);
void sql_ranges_init(struct sql_ranges *g);
void sql_ranges_free(struct sql_ranges *g);
/* Event event_id belongs to request req. 0 or -ENOMEM (sql_fail). */
int sql_ranges_event(struct ana_sql *s, int64_t req, uint64_t event_id);
/* The row of request req is being written and next_id is the id the next
 * event will get: 1 with its range in first/last (a request without events
 * yet gets next_id..next_id), 0 when it cannot have one (ranges now
 * broken), -ENOMEM (sql_fail). */
int sql_ranges_close(struct ana_sql *s, int64_t req, uint64_t next_id, uint64_t *first,
		     uint64_t *last);

/* Fills sqlite_stat1 for the query planner: the events and requests rows
 * from the counts above (no scan of the big tables), ANALYZE for the small
 * ones. Runs after the indexes exist, inside the load's transaction. */
int sql_write_stats(struct ana_sql *s);

/* Records "what: sqlite's message" in s->errmsg; returns the -errno for rc
 * (-ENOSPC disk full, -ENOMEM, -EIO otherwise). */
int sql_fail(struct ana_sql *s, int rc, const char *what);

/* A missing or invalid argument: -EINVAL, and when s is not NULL the load
 * is marked failed (a row is missing) with "what: invalid argument". */
int sql_invalid(struct ana_sql *s, const char *what);

/* Runs a statement with every parameter bound, then resets it. */
int sql_step(struct ana_sql *s, enum sql_stmt which, const char *what);

/* wall_ns as "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (UTC) into buf (SQL_ISO_LEN
 * bytes), the text of the ISO() SQL macro (any u64 is before year 9999, where
 * that would give NULL); NULL if gmtime_r() fails. Requests store it as a
 * plain column: sqlite evaluates a generated column on every INSERT, and its
 * strftime() cost 20% of a load's instructions. */
#define SQL_ISO_LEN 32
const char *sql_iso_time(uint64_t wall_ns, char *buf);

/* Binders: 1-based column i of stmt. Text keeps its exact bytes (explicit
 * length, may be invalid UTF-8); NULL text binds SQL NULL. The text must
 * stay valid until sql_step() returns.
 * u64 above INT64_MAX binds as REAL. */
void sql_bind_text(sqlite3_stmt *st, int i, const char *v);
void sql_bind_u64(sqlite3_stmt *st, int i, uint64_t v);
void sql_bind_i64(sqlite3_stmt *st, int i, int64_t v);
void sql_bind_u64_or_null(sqlite3_stmt *st, int i, uint64_t v, uint64_t none);
void sql_bind_i64_or_null(sqlite3_stmt *st, int i, int64_t v, bool none);

#endif /* ANALYZE_SQLITE_INTERNAL_H */
