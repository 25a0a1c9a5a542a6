// SPDX-License-Identifier: MIT
/* The output file and the damage warning shared by the commands. */
#include "analyze/output.h"

#include <errno.h>
#include <string.h>

#include "analyze/engine.h"
#include "common/log.h"

int ana_output_open(const char *path, FILE **out)
{
	int err;

	*out = stdout;
	if (!path)
		return 0;
	*out = fopen(path, "w");
	if (*out)
		return 0;
	err = -errno;
	*out = stdout;
	log_error("cannot create %s: %s", path, strerror(-err));
	return err;
}

void ana_output_warn_damage(const struct ana_engine *e, const char *what)
{
	for (uint32_t i = 0; i < e->nfiles; i++) {
		const struct ana_file *f = &e->files[i];

		if (f->damaged_chunks || f->truncated)
			log_warn("%s is damaged (%llu chunks, %llu events skipped%s);"
				 " the %s covers the intact part", f->path,
				 (unsigned long long)f->damaged_chunks,
				 (unsigned long long)f->damaged_events,
				 f->truncated ? ", torn tail" : "", what);
	}
}
