// SPDX-License-Identifier: MIT
/*
 * Launch mode: the child is forked first and blocks on a pipe while the
 * parent puts its pid in the traced set and attaches; then it execs. A
 * second, close-on-exec pipe carries the errno of a failed exec back.
 */
#include "record/rec_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"

static int executable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -ENOENT;
	if (!S_ISREG(st.st_mode) || access(path, X_OK))
		return -EACCES;
	return 0;
}

int rec_launch_resolve(const char *cmd, char *path, size_t len)
{
	const char *env = getenv("PATH"), *p, *end;
	int err, best = -ENOENT;
	size_t dlen;

	if (!cmd || !*cmd)
		return -ENOENT;
	if (strchr(cmd, '/')) {
		snprintf(path, len, "%s", cmd);
		return executable(path);
	}
	if (!env || !*env)
		env = "/usr/local/bin:/usr/bin:/bin";
	for (p = env; ; p = end + 1) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		dlen = (size_t)(end - p);
		snprintf(path, len, "%.*s%s%s", (int)dlen, p, dlen ? "/" : "./", cmd);
		err = executable(path);
		if (!err)
			return 0;
		if (err == -EACCES)
			best = -EACCES;
		if (!*end)
			break;
	}
	return best;
}

struct run_as {
	uid_t uid;
	gid_t gid;
	char name[256];
};

static int lookup_user(const char *user, struct run_as *out)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (!pw)
		return errno ? -errno : -ENOENT;
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	snprintf(out->name, sizeof(out->name), "%s", pw->pw_name);
	return 0;
}

static void write_errno(int fd, int err)
{
	ssize_t n = write(fd, &err, sizeof(err));

	(void)n;
}

/* The child: wait for the go byte, drop privileges, exec. Never returns. */
static void child_main(int go_fd, int err_fd, const char *path, char **argv,
		       const struct run_as *as)
{
	char c;
	ssize_t n;

	do
		n = read(go_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(REC_EXIT_FAIL);	/* the recorder gave up */
	close(go_fd);
	if (as && (initgroups(as->name, as->gid) || setgid(as->gid) || setuid(as->uid))) {
		write_errno(err_fd, errno);
		_exit(REC_EXIT_NOEXEC);
	}
	execv(path, argv);
	write_errno(err_fd, errno);
	_exit(errno == ENOENT ? REC_EXIT_NOTFOUND : REC_EXIT_NOEXEC);
}

int rec_launch_prepare(const struct rec_opts *o, const char *path, struct rec_child *out)
{
	struct run_as as;
	int go[2], ep[2], err;
	pid_t pid;

	out->pid = -1;
	out->go_fd = out->err_fd = -1;
	if (o->user) {
		err = lookup_user(o->user, &as);
		if (err) {
			log_error("unknown user '%s'%s%s", o->user, err == -ENOENT ? "" : ": ",
				  err == -ENOENT ? "" : strerror(-err));
			return err;
		}
	}
	if (pipe2(go, O_CLOEXEC)) {
		err = -errno;
		log_error("cannot start %s: %s", o->cmd[0], strerror(-err));
		return err;
	}
	if (pipe2(ep, O_CLOEXEC)) {
		err = -errno;
		log_error("cannot start %s: %s", o->cmd[0], strerror(-err));
		close(go[0]);
		close(go[1]);
		return err;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(ep[0]);
		child_main(go[0], ep[1], path, o->cmd, o->user ? &as : NULL);
	}
	err = pid < 0 ? -errno : 0;
	close(go[0]);
	close(ep[1]);
	if (err) {
		log_error("cannot start %s: %s", o->cmd[0], strerror(-err));
		close(go[1]);
		close(ep[0]);
		return err;
	}
	out->pid = pid;
	out->go_fd = go[1];
	out->err_fd = ep[0];
	return 0;
}

int rec_launch_release(struct rec_child *c)
{
	ssize_t n;
	int child_err = 0;

	n = write(c->go_fd, "g", 1);
	close(c->go_fd);
	c->go_fd = -1;
	if (n != 1)
		return -EPIPE;
	do
		n = read(c->err_fd, &child_err, sizeof(child_err));
	while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	return n == sizeof(child_err) ? -child_err : 0;
}

int rec_exit_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return REC_EXIT_FAIL;
}
