/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yamljson.c: a libyaml document as jansson values (see yamljson.h).
 */
#include "core/common.h"

#include "core/util.h"
#include "core/xmalloc.h"
#include "core/yamljson.h"

static json_t *
yamljson_scalar(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	int64_t i;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(v, len);
	for (size_t k = 0; k < ARRAY_SIZE(yes); k++)
		if (strlen(yes[k]) == len && strncasecmp(v, yes[k], len) == 0)
			return json_true();
	for (size_t k = 0; k < ARRAY_SIZE(no); k++)
		if (strlen(no[k]) == len && strncasecmp(v, no[k], len) == 0)
			return json_false();
	if (len == 0 || (len == 1 && v[0] == '~') || (len == 4 &&
		strncasecmp(v, "null", 4) == 0))
		return json_null();
	if (len < 20 && memchr(v, '\0', len) == NULL) {
		char buf[24];
		memcpy(buf, v, len);
		buf[len] = '\0';
		if (parse_i64(buf, &i))
			return json_integer(i);
	}
	return json_stringn(v, len);
}

static json_t *
yamljson_at(yaml_document_t *d, yaml_node_t *n, int depth, int depth_max,
    size_t *budget, bool *over)
{
	json_t *o;

	if (n == NULL)
		return json_null();
	if (depth > depth_max || *budget == 0) {
		*over = true;
		return json_null();
	}
	(*budget)--;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return yamljson_scalar(n);
	case YAML_SEQUENCE_NODE:
		o = json_array();
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top && !*over; it++)
			json_array_append_new(o, yamljson_at(d,
			    yaml_document_get_node(d, *it), depth + 1,
			    depth_max, budget, over));
		return o;
	case YAML_MAPPING_NODE:
		o = json_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top && !*over; p++) {
			yaml_node_t *k = yaml_document_get_node(d, p->key);
			char *key;
			if (k == NULL || k->type != YAML_SCALAR_NODE)
				continue;
			key = xstrndup((const char *)k->data.scalar.value,
			    k->data.scalar.length);
			json_object_set_new(o, key, yamljson_at(d,
			    yaml_document_get_node(d, p->value), depth + 1,
			    depth_max, budget, over));
			free(key);
		}
		return o;
	default:
		return json_null();
	}
}

json_t *
yamljson_node(yaml_document_t *d, yaml_node_t *n, int depth_max,
    size_t *budget, bool *over)
{
	return yamljson_at(d, n, 0, depth_max, budget, over);
}
