// SPDX-License-Identifier: MIT
/*
 * One request, start to end: parse, the class's side work, inference, the
 * access-log line, the answer. Each planted fault is one branch here, so
 * switching its flag off removes exactly that work and nothing else.
 */
#include "samples/serving/serving.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SNAP_EVERY 4
#define CONFIG_BYTES 256

#define INC(field) __atomic_add_fetch(&(field), 1, __ATOMIC_RELAXED)
#define ADD(field, n) __atomic_add_fetch(&(field), (n), __ATOMIC_RELAXED)
#define GET(field) __atomic_load_n(&(field), __ATOMIC_RELAXED)

int srv_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* The side file of class "config": a fixed, small JSON document. */
static int make_config(const char *path)
{
	char buf[CONFIG_BYTES];
	int fd, err = 0, n;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	n = snprintf(buf, sizeof(buf), "{\"labels\":16,\"threshold\":0.25,\"pad\":\"");
	memset(buf + n, 'x', sizeof(buf) - n - 3);
	memcpy(buf + sizeof(buf) - 3, "\"}\n", 3);
	err = srv_write_all(fd, buf, sizeof(buf));
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static int open_in(const char *dir, const char *name, int flags, int *out)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*out = open(path, flags | O_CLOEXEC, 0644);
	return *out < 0 ? -errno : 0;
}

int srv_state_open(struct srv *s, const struct srv_opts *o)
{
	int err = 0;

	s->opts = o;
	s->log_fd = s->snap_fd = s->listen_fd = s->config_fd = -1;
	pthread_mutex_init(&s->snap_lock, NULL);
	pthread_mutex_init(&s->config_lock, NULL);
	if (mkdir(o->data_dir, 0755) && errno != EEXIST)
		return -errno;
	if (snprintf(s->config_path, sizeof(s->config_path), "%s/config.json",
		     o->data_dir) >= (int)sizeof(s->config_path))
		return -ENAMETOOLONG;
	err = make_config(s->config_path);
	if (!err)
		err = open_in(o->data_dir, "config.json", O_RDONLY, &s->config_fd);
	if (!err)
		err = srv_model_open(o->data_dir, &s->model);
	if (!err)
		err = open_in(o->data_dir, "access.log", O_WRONLY | O_CREAT | O_APPEND,
			      &s->log_fd);
	if (!err)
		err = open_in(o->data_dir, "stats.snap", O_WRONLY | O_CREAT | O_DSYNC,
			      &s->snap_fd);
	return err;
}

void srv_state_close(struct srv *s)
{
	if (s->log_fd >= 0)
		close(s->log_fd);
	if (s->snap_fd >= 0)
		close(s->snap_fd);
	if (s->config_fd >= 0)
		close(s->config_fd);
	s->log_fd = s->snap_fd = s->config_fd = -1;
	srv_model_close(&s->model);
	pthread_mutex_destroy(&s->snap_lock);
	pthread_mutex_destroy(&s->config_lock);
}

/*
 * Class "config": re-read the side file from its start through the fd kept
 * open since start-up, byte by byte when the fault is on (256 reads of one
 * byte and one at EOF), in one read() otherwise.
 */
static int read_config(struct srv *s, uint32_t *sum)
{
	char buf[CONFIG_BYTES * 2];
	size_t step = s->opts->fault_small_reads ? 1 : sizeof(buf);
	uint64_t reads = 0;
	ssize_t n = 0;
	int err = 0;

	*sum = 0;
	pthread_mutex_lock(&s->config_lock);
	if (lseek(s->config_fd, 0, SEEK_SET) < 0)
		err = -errno;
	while (!err) {
		n = read(s->config_fd, buf, step);
		reads++;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			*sum = *sum * 31 + (unsigned char)buf[i];
	}
	pthread_mutex_unlock(&s->config_lock);
	INC(s->c.config_reads);
	if (step == 1)
		ADD(s->c.small_reads, reads);
	return err;
}

/*
 * The planted lock: every request updates shared stats under one mutex, and
 * every SNAP_EVERY-th one also writes them to disk synchronously (O_DSYNC)
 * while holding it, so the workers that come next wait in futex().
 */
static void write_snapshot(struct srv *s, uint64_t id)
{
	char *snap = s->snap;
	int n;

	pthread_mutex_lock(&s->snap_lock);
	n = snprintf(snap, sizeof(s->snap), "requests %llu\n", (unsigned long long)id);
	memset(snap + n, ' ', sizeof(s->snap) - n - 1);
	snap[sizeof(s->snap) - 1] = '\n';
	if (id % SNAP_EVERY == 0 &&
	    pwrite(s->snap_fd, snap, sizeof(s->snap), 0) == (ssize_t)sizeof(s->snap))
		INC(s->c.lock_writes);
	pthread_mutex_unlock(&s->snap_lock);
}

static void access_log(struct srv *s, uint64_t id, const char *cls, int status)
{
	struct timespec ts;
	char line[160];
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(line, sizeof(line), "%lld.%06ld id=%llu class=%s status=%d\n",
		     (long long)ts.tv_sec, ts.tv_nsec / 1000, (unsigned long long)id, cls,
		     status);
	if (srv_write_all(s->log_fd, line, n))
		return;
	if (s->opts->fault_fsync && id % s->opts->fault_fsync == 0 && !fsync(s->log_fd))
		INC(s->c.fsyncs);
}

static int infer_body(struct srv *s, const struct srv_infer_req *in, uint64_t id,
		      char *body, size_t cap)
{
	float out[SRV_MODEL_OUT];
	uint32_t sum = 0, best = 0, i;
	int n, downstream = 0;

	if (!strcmp(in->cls, "config") && read_config(s, &sum))
		return -EIO;
	if (s->opts->fault_downstream &&
	    (!strcmp(in->cls, "enrich") || id % s->opts->fault_downstream == 0)) {
		downstream = srv_stub_call(s, id) ? -1 : 1;
		INC(*(downstream > 0 ? &s->c.downstream : &s->c.downstream_err));
	}
	srv_model_infer(&s->model, in->input, out);
	for (i = 1; i < SRV_MODEL_OUT; i++)
		if (out[i] > out[best])
			best = i;
	if (s->opts->fault_lock)
		write_snapshot(s, id);
	n = snprintf(body, cap, "{\"id\":%llu,\"class\":\"%s\",\"label\":%u,"
		     "\"score\":%.6f,\"config_sum\":%u,\"downstream\":%d}",
		     (unsigned long long)id, in->cls, best, out[best], sum, downstream);
	return n < 0 || (size_t)n >= cap ? -ENOMEM : n;
}

static int route(struct srv *s, const struct srv_http_req *req, char *body, size_t cap,
		 int *status)
{
	struct srv_infer_req in;
	uint64_t id;
	int n;

	*status = 200;
	if (req->path_len == 7 && !memcmp(req->path, "/health", 7))
		return snprintf(body, cap, "{\"status\":\"ok\",\"requests\":%llu}",
				(unsigned long long)GET(s->c.requests));
	if (req->path_len != 6 || memcmp(req->path, "/infer", 6)) {
		*status = 404;
		return snprintf(body, cap, "{\"error\":\"no such path\"}");
	}
	if (req->method_len != 4 || memcmp(req->method, "POST", 4)) {
		*status = 405;
		return snprintf(body, cap, "{\"error\":\"use POST\"}");
	}
	if (srv_json_parse_infer(req->body, req->body_len, &in)) {
		*status = 400;
		return snprintf(body, cap, "{\"error\":\"bad json\"}");
	}
	id = INC(s->c.infer);
	n = infer_body(s, &in, id, body, cap);
	if (n < 0) {
		*status = 500;
		n = snprintf(body, cap, "{\"error\":\"internal\"}");
	}
	access_log(s, id, in.cls, *status);
	return n;
}

int srv_handle(struct srv *s, const struct srv_http_req *req, char **resp)
{
	char body[512];
	int status, n;

	n = route(s, req, body, sizeof(body), &status);
	INC(s->c.requests);
	if (status != 200)
		INC(s->c.errors);
	return srv_http_response(status, body, n, req->keep_alive, resp);
}

void srv_counters_print(const struct srv *s, int fd)
{
	const struct srv_counters *c = &s->c;

	dprintf(fd, "stats {\"requests\":%llu,\"infer\":%llu,\"errors\":%llu,"
		"\"connections\":%llu,\"fsyncs\":%llu,\"small_reads\":%llu,"
		"\"config_reads\":%llu,\"downstream\":%llu,\"downstream_errors\":%llu,"
		"\"lock_writes\":%llu}\n",
		(unsigned long long)c->requests, (unsigned long long)c->infer,
		(unsigned long long)c->errors, (unsigned long long)c->connections,
		(unsigned long long)c->fsyncs, (unsigned long long)c->small_reads,
		(unsigned long long)c->config_reads, (unsigned long long)c->downstream,
		(unsigned long long)c->downstream_err, (unsigned long long)c->lock_writes);
}
