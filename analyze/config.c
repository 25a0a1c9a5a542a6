// SPDX-License-Identifier: MIT
/*
 * The `analysis` section of the YAML config shared with ebpf-record:
 *   analysis:
 *     report: md
 *     top: 20
 *     requests: connection
 *     request_timeout_ms: 5000
 *     slow_threshold_us: 1000
 *     syscalls: [read, write, network]
 *     pid: [42, 43]
 * Keys are the long option names (dashes or underscores); lists apply each
 * item. Other top-level sections are ignored.
 */
#include "analyze/opts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

static int set_scalar(struct ana_opts *o, const char *key, yaml_node_t *v, char *err,
		      size_t len)
{
	char name[64];
	size_t i;

	for (i = 0; key[i] && i + 1 < sizeof(name); i++)
		name[i] = key[i] == '_' ? '-' : key[i];
	name[i] = 0;
	return ana_opts_set(o, name, (const char *)v->data.scalar.value, err, len);
}

static int apply_section(struct ana_opts *o, yaml_document_t *doc, yaml_node_t *map,
			 char *err, size_t len)
{
	yaml_node_pair_t *p;
	int rc = 0;

	if (map->type != YAML_MAPPING_NODE) {
		snprintf(err, len, "config: `analysis` is not a mapping");
		return -EINVAL;
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top && !rc; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		yaml_node_item_t *it;

		if (!k || !v || k->type != YAML_SCALAR_NODE) {
			snprintf(err, len, "config: bad key in `analysis`");
			return -EINVAL;
		}
		if (v->type == YAML_SCALAR_NODE) {
			rc = set_scalar(o, (const char *)k->data.scalar.value, v, err, len);
			continue;
		}
		if (v->type != YAML_SEQUENCE_NODE) {
			snprintf(err, len, "config: `%.40s` must be a value or a list",
				 (const char *)k->data.scalar.value);
			return -EINVAL;
		}
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top && !rc;
		     it++) {
			yaml_node_t *iv = yaml_document_get_node(doc, *it);

			if (!iv || iv->type != YAML_SCALAR_NODE) {
				snprintf(err, len, "config: nested value in `%.40s`",
					 (const char *)k->data.scalar.value);
				return -EINVAL;
			}
			rc = set_scalar(o, (const char *)k->data.scalar.value, iv, err, len);
		}
	}
	if (rc) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "config: %s", err);
		snprintf(err, len, "%s", tmp);
	}
	return rc;
}

int ana_config_load(struct ana_opts *o, const char *path, char *err, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (!f)
		return -errno;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, len, "config %s: line %zu: %s", path,
			 parser.problem_mark.line + 1, parser.problem ? parser.problem : "error");
		yaml_parser_delete(&parser);
		fclose(f);
		return -EINVAL;
	}
	root = yaml_document_get_root_node(&doc);
	if (root && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top && !rc; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);

			if (k && k->type == YAML_SCALAR_NODE &&
			    !strcmp((const char *)k->data.scalar.value, "analysis"))
				rc = apply_section(o, &doc, yaml_document_get_node(&doc, p->value),
						   err, len);
		}
	} else if (root) {
		snprintf(err, len, "config %s: not a mapping", path);
		rc = -EINVAL;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}
