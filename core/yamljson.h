/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yamljson.h: a libyaml document as jansson values, bounded.
 *
 * Plain scalars true/false (any case, YAML 1.1's yes/no/on/off too), null
 * and ~ become those types, decimal integers integers, everything else
 * (quoted scalars included) a string. Mapping keys that are not scalars
 * are dropped. Nesting deeper than depth_max or more than *budget nodes
 * (an alias bomb) stops the conversion with *over set; the value
 * returned is then partial and must be dropped.
 *
 * Users: the Kubernetes manifest importer and the escape rules loader.
 */
#ifndef CORE_YAMLJSON_H
#define CORE_YAMLJSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <yaml.h>

/* The value of node n of document d (new reference; never NULL). */
json_t *yamljson_node(yaml_document_t *d, yaml_node_t *n, int depth_max,
    size_t *budget, bool *over);

#endif
