/* SPDX-License-Identifier: MIT */
/*
 * The SQL text of the database: tables, then (after the load) indexes and
 * views, and one INSERT per prepared statement. docs/SQL.md documents every
 * column; change both together and bump ANA_SQL_SCHEMA_VERSION on any change
 * a reader could notice.
 */
#include "analyze/sqlite_internal.h"

#include "common/syscalls.h"

/* requests has one <category>_ns column per common/syscalls.h category, in
 * that order; tests/unit/sqlite checks the names against the table. */
_Static_assert(SC__COUNT == 10, "requests columns follow common/syscalls.h");

/* ns since the Unix epoch -> "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (UTC); the
 * same text as sql_iso_time() in C. */
#define ISO(col)                                                                        \
	"strftime('%Y-%m-%dT%H:%M:%S', " col " / 1000000000, 'unixepoch') || "          \
	"printf('.%09dZ', " col " % 1000000000)"

/* A generated column would cost ~30% of the insert rate of events (sqlite
 * evaluates it on every INSERT), so events gets its ISO time from a view. */
#define EVENTS_V                                                                        \
	"CREATE VIEW events_v AS SELECT *, " ISO("wall_ns") " AS wall_time FROM events;\n"

#define STAT_COLS                                                                       \
	"count INTEGER NOT NULL, errors INTEGER NOT NULL, total_ns INTEGER NOT NULL, "  \
	"mean_ns INTEGER NOT NULL, min_ns INTEGER NOT NULL, max_ns INTEGER NOT NULL, "  \
	"p50_ns INTEGER NOT NULL, p90_ns INTEGER NOT NULL, p99_ns INTEGER NOT NULL, "   \
	"p999_ns INTEGER NOT NULL"

const char sql_schema[] =
	"CREATE TABLE trace_info (file_idx INTEGER, key TEXT NOT NULL, value TEXT);\n"
	"CREATE TABLE events (\n"
	" id INTEGER PRIMARY KEY, file_idx INTEGER,\n"
	" ts_ns INTEGER, wall_ns INTEGER,\n"
	" pid INTEGER, tid INTEGER, cpu INTEGER,\n"
	" nr INTEGER, syscall TEXT, category TEXT,\n"
	" duration_ns INTEGER, ret INTEGER, err INTEGER,\n"
	" errno_name TEXT, fd INTEGER, request_id INTEGER, idle INTEGER,\n"
	" stack_id INTEGER);\n"
	"CREATE TABLE syscall_stats (syscall TEXT NOT NULL, category TEXT, " STAT_COLS ");\n"
	"CREATE TABLE category_stats (category TEXT NOT NULL, " STAT_COLS ");\n"
	"CREATE TABLE process_stats (pid INTEGER NOT NULL, " STAT_COLS ");\n"
	"CREATE TABLE thread_stats (tid INTEGER NOT NULL, " STAT_COLS ");\n"
	"CREATE TABLE window_stats (window_start_ns INTEGER NOT NULL,\n"
	" window_time TEXT GENERATED ALWAYS AS (" ISO("window_start_ns") ") VIRTUAL,\n"
	" syscall TEXT, " STAT_COLS ", window_ns INTEGER);\n"
	"CREATE TABLE requests (\n"
	" id INTEGER PRIMARY KEY, file_idx INTEGER NOT NULL, pid INTEGER NOT NULL,\n"
	" tid INTEGER NOT NULL, fd INTEGER, peer TEXT, method TEXT,\n"
	" start_wall_ns INTEGER NOT NULL,\n"
	" start_time TEXT,\n"
	" end_wall_ns INTEGER NOT NULL, duration_ns INTEGER NOT NULL,\n"
	" syscall_ns INTEGER NOT NULL, syscalls INTEGER NOT NULL,\n"
	" file_ns INTEGER NOT NULL, network_ns INTEGER NOT NULL,\n"
	" memory_ns INTEGER NOT NULL, process_ns INTEGER NOT NULL,\n"
	" time_ns INTEGER NOT NULL, sync_ns INTEGER NOT NULL, poll_ns INTEGER NOT NULL,\n"
	" ipc_ns INTEGER NOT NULL, signal_ns INTEGER NOT NULL, other_ns INTEGER NOT NULL,\n"
	" complete INTEGER NOT NULL, lossy INTEGER NOT NULL,\n"
	" first_event_id INTEGER, last_event_id INTEGER);\n"
	"CREATE TABLE processes (file_idx INTEGER NOT NULL, pid INTEGER NOT NULL,\n"
	" ppid INTEGER, comm TEXT, exe TEXT, cmdline TEXT, start_wall_ns INTEGER,\n"
	" exit_wall_ns INTEGER, exit_code INTEGER);\n"
	"CREATE TABLE threads (file_idx INTEGER NOT NULL, pid INTEGER NOT NULL,\n"
	" tid INTEGER NOT NULL, comm TEXT, start_wall_ns INTEGER, exit_wall_ns INTEGER,\n"
	" syscalls INTEGER NOT NULL, syscall_ns INTEGER NOT NULL, idle_ns INTEGER NOT NULL);\n"
	"CREATE TABLE fds (file_idx INTEGER NOT NULL, pid INTEGER NOT NULL,\n"
	" fd INTEGER NOT NULL, kind TEXT, path TEXT, local TEXT, peer TEXT,\n"
	" first_wall_ns INTEGER, last_wall_ns INTEGER, syscalls INTEGER NOT NULL,\n"
	" syscall_ns INTEGER NOT NULL);\n"
	"CREATE TABLE hotspots (rank INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,\n"
	" count INTEGER NOT NULL, total_ns INTEGER NOT NULL, share REAL NOT NULL,\n"
	" p99_ns INTEGER NOT NULL);\n"
	"CREATE TABLE outliers (kind TEXT NOT NULL, name TEXT, wall_ns INTEGER NOT NULL,\n"
	" wall_time TEXT GENERATED ALWAYS AS (" ISO("wall_ns") ") VIRTUAL,\n"
	" duration_ns INTEGER NOT NULL, pid INTEGER NOT NULL, tid INTEGER NOT NULL,\n"
	" request_id INTEGER, score REAL NOT NULL, rule TEXT);\n"
	"CREATE TABLE loss (file_idx INTEGER NOT NULL, source TEXT NOT NULL, cpu INTEGER,\n"
	" start_wall_ns INTEGER NOT NULL,\n"
	" start_time TEXT GENERATED ALWAYS AS (" ISO("start_wall_ns") ") VIRTUAL,\n"
	" end_wall_ns INTEGER NOT NULL, count INTEGER NOT NULL);\n"
	"CREATE TABLE suggestions (rank INTEGER NOT NULL, rule TEXT NOT NULL, title TEXT,\n"
	" evidence TEXT);\n"
	"CREATE TABLE event_blocks (first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL,\n"
	" min_wall_ns INTEGER NOT NULL, max_wall_ns INTEGER NOT NULL);\n"
	"CREATE TABLE stacks (file_idx INTEGER NOT NULL, stack_id INTEGER NOT NULL,\n"
	" depth INTEGER NOT NULL, frame_idx INTEGER NOT NULL, frame TEXT);\n";

/* Built after the rows are in: one sort per index instead of a B-tree update
 * per row. The lean set (docs/SQL.md "Indexes" gives the measured cost of
 * each): no index on events, since one over every event costs 0.3-2.2 us
 * per event, up to twice inserting it. A request's events are the rowid
 * range requests.first_event_id..last_event_id (rowid order is load order),
 * time ranges go through event_blocks, a thread or syscall through a scan.
 * p99/p50 below are nearest-rank, the value at rank ceil(q * n): the
 * smallest duration whose cume_dist (rows <= it / n) reaches q, which needs
 * one sort where ROW_NUMBER() plus COUNT() windows need two. */
const char sql_post_load[] =
	"CREATE INDEX requests_by_duration ON requests(duration_ns);\n"
	"CREATE INDEX processes_by_pid ON processes(pid);\n"
	"CREATE INDEX threads_by_tid ON threads(pid, tid);\n"
	"CREATE INDEX fds_by_pid ON fds(pid, fd);\n"
	"CREATE INDEX stacks_by_id ON stacks(file_idx, stack_id, frame_idx);\n"
	"CREATE INDEX window_stats_by_time ON window_stats(window_start_ns, syscall);\n"
	EVENTS_V
	"CREATE VIEW request_syscalls AS\n"
	" SELECT r.id AS request_id, r.pid AS pid, r.tid AS request_tid, r.fd AS request_fd,\n"
	"  r.peer AS peer, r.method AS method, r.duration_ns AS request_ns,\n"
	"  e.id AS event_id, e.wall_ns AS wall_ns,\n"
	"  " ISO("e.wall_ns") " AS wall_time, e.tid AS tid,\n"
	"  e.syscall AS syscall, e.category AS category, e.duration_ns AS duration_ns,\n"
	"  e.ret AS ret, e.err AS err, e.errno_name AS errno_name, e.fd AS fd,\n"
	"  e.idle AS idle\n"
	" FROM requests r JOIN events e\n"
	"  ON e.id BETWEEN r.first_event_id AND r.last_event_id AND e.request_id = r.id;\n"
	"CREATE VIEW slow_requests AS\n"
	" SELECT r.*, (SELECT e.syscall FROM events e WHERE e.id BETWEEN r.first_event_id\n"
	"   AND r.last_event_id AND e.request_id = r.id\n"
	"   ORDER BY e.duration_ns DESC LIMIT 1) AS slowest_syscall,\n"
	"  (SELECT MAX(e.duration_ns) FROM events e WHERE e.id BETWEEN r.first_event_id\n"
	"   AND r.last_event_id AND e.request_id = r.id)\n"
	"   AS slowest_syscall_ns\n"
	" FROM requests r\n"
	" WHERE r.duration_ns >= (SELECT duration_ns FROM requests ORDER BY duration_ns DESC\n"
	"   LIMIT 1 OFFSET (SELECT COUNT(*) / 100 FROM requests))\n"
	" ORDER BY r.duration_ns DESC;\n"
	"CREATE VIEW syscall_by_minute AS\n"
	" SELECT minute * 60000000000 AS minute_ns,\n"
	"  " ISO("minute * 60000000000") " AS minute_time,\n"
	"  syscall, COUNT(*) AS count, SUM(err <> 0) AS errors,\n"
	"  SUM(duration_ns) AS total_ns, MAX(duration_ns) AS max_ns,\n"
	"  MIN(CASE WHEN cd >= 0.5 THEN duration_ns END) AS p50_ns,\n"
	"  MIN(CASE WHEN cd >= 0.99 THEN duration_ns END) AS p99_ns\n"
	" FROM (SELECT wall_ns / 60000000000 AS minute, syscall, duration_ns, err,\n"
	"   CUME_DIST() OVER (PARTITION BY wall_ns / 60000000000, syscall\n"
	"    ORDER BY duration_ns) AS cd\n"
	"  FROM events)\n"
	" GROUP BY minute, syscall;\n";

/* Only when a request range may miss events (analyze/sqlite_ranges.c). */
const char sql_request_index[] =
	"CREATE INDEX events_by_request ON events(request_id) WHERE request_id IS NOT NULL;\n";

const char *const sql_insert[SQ__COUNT] = {
	[SQ_TRACE_INFO] = "INSERT INTO trace_info VALUES (?1, ?2, ?3)",
	[SQ_EVENT] = NULL,	/* a row buffer */
	[SQ_PROCESS] = "INSERT INTO processes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[SQ_THREAD] = "INSERT INTO threads VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[SQ_FD] = "INSERT INTO fds VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[SQ_STAT_SYSCALL] = "INSERT INTO syscall_stats VALUES"
			    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[SQ_STAT_CATEGORY] = "INSERT INTO category_stats VALUES"
			     " (?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[SQ_STAT_PROCESS] = "INSERT INTO process_stats VALUES"
			    " (?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[SQ_STAT_THREAD] = "INSERT INTO thread_stats VALUES"
			   " (?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[SQ_STAT_WINDOW] = "INSERT INTO window_stats (window_start_ns, syscall, count, errors,"
			   " total_ns, mean_ns, min_ns, max_ns, p50_ns, p90_ns, p99_ns, p999_ns,"
			   " window_ns) VALUES"
			   " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[SQ_REQUEST] = NULL,	/* a row buffer */
	[SQ_HOTSPOT] = "INSERT INTO hotspots VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[SQ_OUTLIER] = "INSERT INTO outliers (kind, name, wall_ns, duration_ns, pid, tid,"
		       " request_id, score, rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[SQ_LOSS] = "INSERT INTO loss (file_idx, source, cpu, start_wall_ns, end_wall_ns,"
		    " count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_SUGGESTION] = "INSERT INTO suggestions VALUES (?1, ?2, ?3, ?4)",
	[SQ_STACK] = "INSERT INTO stacks VALUES (?1, ?2, ?3, ?4, ?5)",
	[SQ_BLOCK] = "INSERT INTO event_blocks VALUES (?1, ?2, ?3, ?4)",
};
