// SPDX-License-Identifier: MIT
/* Copies traces that come through a pipe into unnamed temporary files. */
#include "analyze/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"

/* An unnamed file in dir: O_TMPFILE where the filesystem has it, else a
 * named one unlinked at once. */
static int temp_fd(const char *dir)
{
	char path[4096];
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	if (snprintf(path, sizeof(path), "%s/ebpf-analyze-XXXXXX", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

static int copy_all(int from, int to)
{
	char buf[1 << 16];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) != 0) {
		const char *p = buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		while (n > 0) {
			ssize_t w = write(to, p, (size_t)n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			p += w;
			n -= w;
		}
	}
	return 0;
}

static int spool_one(struct ana_opts *o, uint32_t i, int from)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	int fd, err;

	fd = temp_fd(dir);
	if (fd < 0) {
		log_error("cannot create a temporary file in %s for %s: %s", dir, o->inputs[i],
			  strerror(-fd));
		return fd;
	}
	err = copy_all(from, fd);
	if (err) {
		log_error("cannot copy %s into %s: %s", o->inputs[i], dir, strerror(-err));
		close(fd);
		return err;
	}
	o->spool_fd[i] = fd;
	snprintf(o->spool_path[i], sizeof(o->spool_path[i]), "/proc/self/fd/%d", fd);
	o->open_path[i] = o->spool_path[i];
	return 0;
}

int ana_spool_inputs(struct ana_opts *o)
{
	bool stdin_used = false;
	struct stat st;
	int err, fd;

	for (uint32_t i = 0; i < o->ninputs; i++) {
		if (!strcmp(o->inputs[i], "-")) {
			if (stdin_used) {
				log_error("standard input ('-') can be read only once");
				return -EINVAL;
			}
			stdin_used = true;
			o->inputs[i] = "(stdin)";
			fd = STDIN_FILENO;
		} else if (stat(o->inputs[i], &st) || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
			continue;	/* the reader says what is wrong */
		} else if ((fd = open(o->inputs[i], O_RDONLY | O_CLOEXEC)) < 0) {
			continue;
		}
		if (o->follow) {
			log_error("--follow needs a trace file being written, not a pipe: %s",
				  o->inputs[i]);
			if (fd != STDIN_FILENO)
				close(fd);
			return -EINVAL;
		}
		err = spool_one(o, i, fd);
		if (fd != STDIN_FILENO)
			close(fd);
		if (err)
			return err;
	}
	return 0;
}
