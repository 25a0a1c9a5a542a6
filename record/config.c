// SPDX-License-Identifier: MIT
/*
 * The YAML configuration file. Layout (every key optional):
 *
 *   profiler: {pids: [1, 2], follow_children: true, duration: 30,
 *              buffer_size: 8M, user: nobody, quiet: false}
 *   syscalls: [read, write, network]      (or {include: [...]}, or "a,b")
 *   filters:  {min_duration_us: 10, sample_every: 1, stacks: false,
 *              stack_min_us: 1000}
 *   output:   {file: trace.ebt, force: false, mode: "0600"}
 *   analysis: anything; read by ebpf-analyze, only parsed here
 *
 * Unknown sections and keys are errors naming the key and its line.
 */
#include "record/record.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct key_map {
	const char *section;
	const char *key;
	const char *opt;	/* rec_opts_set() name */
};

static const struct key_map keys[] = {
	{ "profiler", "pids", "pid" },
	{ "profiler", "pid", "pid" },
	{ "profiler", "follow_children", "follow" },
	{ "profiler", "duration", "duration" },
	{ "profiler", "buffer_size", "buffer-size" },
	{ "profiler", "user", "user" },
	{ "profiler", "quiet", "quiet" },
	{ "filters", "min_duration_us", "min-duration-us" },
	{ "filters", "sample_every", "sample" },
	{ "filters", "stacks", "stacks" },
	{ "filters", "stack_min_us", "stack-min-us" },
	{ "filters", "pids", "pid" },
	{ "output", "file", "output" },
	{ "output", "force", "force" },
	{ "output", "mode", "mode" },
};

struct cfg_ctx {
	yaml_document_t *doc;
	struct rec_opts *opts;
	const char *path;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 4, 5)))
static int fail(struct cfg_ctx *c, const yaml_node_t *n, int err, const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(c->err, c->errlen, "%s:%lu: ", c->path,
		       n ? (unsigned long)n->start_mark.line + 1 : 0ul);
	if (len >= 0 && (size_t)len < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + len, c->errlen - (size_t)len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int set_value(struct cfg_ctx *c, const yaml_node_t *kn, const char *opt,
		     const yaml_node_t *vn)
{
	yaml_node_item_t *it;
	int err;

	if (vn->type == YAML_SEQUENCE_NODE && !strcmp(opt, "pid")) {
		for (it = vn->data.sequence.items.start; it < vn->data.sequence.items.top; it++) {
			const yaml_node_t *item = yaml_document_get_node(c->doc, *it);

			if (!scalar(item) || rec_opts_set(c->opts, opt, scalar(item)))
				return fail(c, item, -EINVAL, "invalid pid in '%s'",
					    scalar(kn));
		}
		return 0;
	}
	if (!scalar(vn))
		return fail(c, vn, -EINVAL, "'%s' needs a single value", scalar(kn));
	err = rec_opts_set(c->opts, opt, scalar(vn));
	if (err == -ENOMEM)
		return fail(c, vn, err, "out of memory");
	if (err)
		return fail(c, vn, -EINVAL, "invalid value for '%s'", scalar(kn));
	return 0;
}

static int load_section(struct cfg_ctx *c, const char *section, const yaml_node_t *map)
{
	yaml_node_pair_t *p;
	size_t i;
	int err;

	if (map->type == YAML_SCALAR_NODE && !*scalar(map))
		return 0;	/* "profiler:" with nothing under it */
	if (map->type != YAML_MAPPING_NODE)
		return fail(c, map, -EINVAL, "section '%s' must be a mapping", section);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);
		const yaml_node_t *vn = yaml_document_get_node(c->doc, p->value);
		const char *key = scalar(kn);

		for (i = 0; key && i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
				break;
		if (!key || i == sizeof(keys) / sizeof(keys[0]))
			return fail(c, kn, -EINVAL, "unknown key '%s'", key ? key : "?");
		err = set_value(c, kn, keys[i].opt, vn);
		if (err)
			return err;
	}
	return 0;
}

/* Appends the scalars of a sequence (or one scalar) to a comma list. */
static int join_list(struct cfg_ctx *c, const yaml_node_t *n, char *buf, size_t len)
{
	yaml_node_item_t *it;
	const char *s;

	if (scalar(n)) {
		snprintf(buf, len, "%s", scalar(n));
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(c, n, -EINVAL, "'syscalls' must be a list of names");
	buf[0] = 0;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		const yaml_node_t *item = yaml_document_get_node(c->doc, *it);

		s = scalar(item);
		if (!s)
			return fail(c, item, -EINVAL, "'syscalls' items must be names");
		if (strlen(buf) + strlen(s) + 2 > len)
			return fail(c, item, -EINVAL, "'syscalls' list too long");
		if (buf[0])
			strcat(buf, ",");
		strcat(buf, s);
	}
	return 0;
}

static int load_syscalls(struct cfg_ctx *c, const yaml_node_t *n)
{
	const yaml_node_t *list = n;
	yaml_node_pair_t *p;
	char *buf;
	int err;

	if (n->type == YAML_MAPPING_NODE) {
		list = NULL;
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			const yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);

			if (!scalar(kn) || strcmp(scalar(kn), "include"))
				return fail(c, kn, -EINVAL, "unknown key '%s'",
					    scalar(kn) ? scalar(kn) : "?");
			list = yaml_document_get_node(c->doc, p->value);
		}
		if (!list)
			return 0;
	}
	buf = calloc(1, 8192);
	if (!buf)
		return -ENOMEM;
	err = join_list(c, list, buf, 8192);
	if (!err && buf[0])
		err = rec_opts_set(c->opts, "syscalls", buf);
	free(buf);
	return err;
}

static int load_root(struct cfg_ctx *c, const yaml_node_t *root)
{
	yaml_node_pair_t *p;
	int err = 0;

	if (!root || (root->type == YAML_SCALAR_NODE && !*scalar(root)))
		return 0;	/* empty file */
	if (root->type != YAML_MAPPING_NODE)
		return fail(c, root, -EINVAL, "the top level must be a mapping");
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top && !err; p++) {
		const yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);
		const yaml_node_t *vn = yaml_document_get_node(c->doc, p->value);
		const char *key = scalar(kn);

		if (!key)
			err = fail(c, kn, -EINVAL, "section names must be plain words");
		else if (!strcmp(key, "analysis"))
			continue;	/* ebpf-analyze's; parsed, not used */
		else if (!strcmp(key, "syscalls"))
			err = load_syscalls(c, vn);
		else if (!strcmp(key, "profiler") || !strcmp(key, "filters") ||
			 !strcmp(key, "output"))
			err = load_section(c, key, vn);
		else
			err = fail(c, kn, -EINVAL, "unknown key '%s'", key);
	}
	return err;
}

int rec_config_load(struct rec_opts *o, const char *path, char *err, size_t errlen)
{
	struct cfg_ctx c = { .opts = o, .path = path, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	yaml_document_t doc;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "cannot read config %s: %s", path, strerror(-ret));
		return ret;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%lu: %s", path,
			 (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "invalid YAML");
		ret = -EINVAL;
	} else {
		c.doc = &doc;
		ret = load_root(&c, yaml_document_get_root_node(&doc));
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return ret;
}
