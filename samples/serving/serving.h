/* SPDX-License-Identifier: MIT */
/*
 * serving: a small model-serving HTTP/1.1 server with planted latency faults,
 * the workload ebpf-record/ebpf-analyze are checked against. Internal header
 * shared by the files of samples/serving/ only.
 */
#ifndef SAMPLES_SERVING_SERVING_H
#define SAMPLES_SERVING_SERVING_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>

enum srv_mode { SRV_MODE_POOL = 0, SRV_MODE_EPOLL = 1 };

struct srv_opts {
	enum srv_mode mode;
	uint32_t port;			/* 0 = ephemeral */
	uint32_t workers;		/* pool mode */
	const char *data_dir;
	uint32_t fault_fsync;		/* fsync the access log every Nth request; 0 off */
	int fault_small_reads;		/* class "config" reads its file 1 byte at a time */
	int fault_lock;			/* global mutex held across a synchronous write */
	uint32_t fault_downstream;	/* every Nth request (and class "enrich"); 0 off */
	uint32_t downstream_ms;		/* how long the stub sleeps before answering */
	int quiet;
};

/* Model: IN -> HID (relu) -> HID (relu) -> OUT, float32 weights. */
#define SRV_MODEL_IN	128
#define SRV_MODEL_HID	512
#define SRV_MODEL_OUT	16

struct srv_model {
	void *map;			/* the mmap'ed weights file */
	size_t map_len;
	const float *w1, *b1, *w2, *b2, *w3, *b3;
};

/* Counters the server prints when it stops: the known answer for tests. */
struct srv_counters {
	uint64_t requests;		/* answered HTTP requests, any status */
	uint64_t infer;			/* POST /infer answered 200 */
	uint64_t errors;		/* answered 4xx/5xx */
	uint64_t fsyncs;
	uint64_t small_reads;		/* 1-byte read() calls (fault-small-reads) */
	uint64_t config_reads;		/* class "config" requests */
	uint64_t downstream;		/* completed downstream calls */
	uint64_t downstream_err;
	uint64_t lock_writes;
	uint64_t connections;
};

/* Process-wide state; threads share it, all mutable fields are atomics or
 * guarded by the mutexes here. */
struct srv {
	const struct srv_opts *opts;
	struct srv_model model;
	int listen_fd;
	uint32_t port;
	uint32_t stub_port;
	pid_t stub_pid;
	int log_fd;			/* access log, O_APPEND */
	int snap_fd;			/* stats snapshot, O_DSYNC (fault-lock) */
	int config_fd;			/* the side file, re-read by class "config" */
	char config_path[4096];
	pthread_mutex_t snap_lock;	/* the planted global lock */
	char snap[4096];		/* the stats snapshot, guarded by snap_lock */
	pthread_mutex_t config_lock;	/* one reader of config_fd's offset at a time */
	struct srv_counters c;		/* updated with __atomic builtins */
};

/* The one stop flag, set by the SIGTERM/SIGINT handler. */
extern volatile sig_atomic_t srv_stop;

/* A connection's input buffer; requests are parsed out of it in place. */
#define SRV_CONN_BUF	16384

struct srv_conn {
	int fd;
	size_t len;			/* bytes buffered */
	char buf[SRV_CONN_BUF];
	char *out;			/* pending response bytes (epoll mode) */
	size_t out_len, out_off;
	int close_after;		/* Connection: close was asked */
};

/* A parsed HTTP request; pointers borrow from the connection buffer. */
struct srv_http_req {
	const char *method;
	size_t method_len;
	const char *path;
	size_t path_len;
	const char *body;
	size_t body_len;
	size_t total_len;		/* bytes of buf the request used */
	int keep_alive;
};

/* conn.c. new: NULL when out of memory; free closes the fd. */
struct srv_conn *srv_conn_new(int fd);
void srv_conn_free(struct srv_conn *c);
/* One read() into the buffer: bytes read (0 = peer closed) or -errno. */
int srv_conn_read(struct srv_conn *c);
/* The answer to the next whole buffered request in *out (malloc'ed): its
 * length, 0 when no whole request is buffered (or the connection is to be
 * closed), -ENOMEM. Malformed input gets a 400/413 and close_after. */
int srv_conn_next(struct srv *s, struct srv_conn *c, char **out);

/* model.c */
int srv_model_open(const char *dir, struct srv_model *out);
void srv_model_close(struct srv_model *m);
/* Runs the network on in[SRV_MODEL_IN]; writes out[SRV_MODEL_OUT]. */
void srv_model_infer(const struct srv_model *m, const float *in, float *out);

/* http.c: 1 and *out filled when buf holds a whole request, 0 when more bytes
 * are needed, -EBADMSG malformed, -EFBIG over SRV_CONN_BUF. */
int srv_http_parse(const char *buf, size_t len, struct srv_http_req *out);
/* Formats a response with a JSON body into a malloc'ed buffer (*out, caller
 * frees); returns its length or -ENOMEM. */
int srv_http_response(int status, const char *body, size_t body_len, int keep_alive,
		      char **out);

/* json_in.c: the body of POST /infer. 0, or -EBADMSG with no usable body. */
struct srv_infer_req {
	char cls[32];
	float input[SRV_MODEL_IN];
	uint32_t n_input;
};
int srv_json_parse_infer(const char *body, size_t len, struct srv_infer_req *out);

/* handler.c: answers one request; the response goes to *resp (malloc'ed). */
int srv_handle(struct srv *s, const struct srv_http_req *req, char **resp);
int srv_state_open(struct srv *s, const struct srv_opts *o);
void srv_state_close(struct srv *s);
void srv_counters_print(const struct srv *s, int fd);
/* Blocking write of all bytes; 0 or -errno. */
int srv_write_all(int fd, const char *p, size_t len);

/* stub.c: a listening TCP socket on addr:port (IPv4, port 0 = ephemeral);
 * returns the fd and the bound port in *out_port, or -errno. */
int srv_listen_local(const char *addr, uint32_t port, uint32_t *out_port);

/* The stub's address: loopback, but not the clients' 127.0.0.1. */
#define SRV_STUB_ADDR "127.0.0.2"
/* stub.c: the downstream stub, a child process on SRV_STUB_ADDR. */
int srv_stub_start(struct srv *s);
void srv_stub_stop(struct srv *s);
/* One call: connect, send, recv the answer, close. 0 or -errno. */
int srv_stub_call(const struct srv *s, uint64_t req_id);

/* pool.c / evloop.c: serve until srv_stop; 0 or -errno. */
int srv_pool_run(struct srv *s);
int srv_evloop_run(struct srv *s);

#endif
