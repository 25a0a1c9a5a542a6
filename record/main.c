// SPDX-License-Identifier: MIT
/* ebpf-record: parse, run, map the result to an exit status. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "record/record.h"

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct verb verbs[] = {
	{ "check", rec_check_main, "check that this machine can record" },
	{ "info", rec_info_main, "show a process, its threads and open fds" },
};

static enum log_level level_of(const struct rec_opts *o)
{
	if (o->quiet)
		return LOG_ERROR;
	return o->verbose ? LOG_DEBUG : LOG_INFO;
}

int main(int argc, char **argv)
{
	struct rec_opts o;
	size_t i;
	int err, status;

	log_init("ebpf-record", LOG_INFO);
	for (i = 0; argc > 1 && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].fn(argc - 1, argv + 1);
	rec_opts_init(&o);
	err = rec_opts_parse(&o, argc, argv);
	if (!err)
		err = rec_opts_validate(&o);
	if (err > 0) {
		status = REC_EXIT_OK;
	} else if (err) {
		status = err == -ENOMEM ? REC_EXIT_FAIL : REC_EXIT_USAGE;
	} else {
		log_set_level(level_of(&o));
		status = rec_run(&o);
	}
	rec_opts_free(&o);
	return status;
}
