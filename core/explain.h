/* SPDX-License-Identifier: Apache-2.0 */
/*
 * explain.h: a row of any relation and the chain of links joining it to
 * other sources, as a JSON tree (core/explain.c). Shared by `drydock
 * explain` and the TUI.
 *
 * A node is {"relation", "key", "values": {column: value...}, "links":
 * [{"kind", "direction": "to"|"from", "confidence", "joined", "row":
 * node}...], and for events "process", "container" (with "image_row")
 * and "program" (the node of the process's last execve)}; a row met
 * twice is {"relation", "key", "shown_above": true}.
 */
#ifndef CORE_EXPLAIN_H
#define CORE_EXPLAIN_H

#include <stdbool.h>

#include <jansson.h>

struct dd_err;
struct store;

/* The first row of sql (?1 = a, ?2 = b when b != NULL) as an object;
 * NULL when there is none or on an error (in e). Strings that are not
 * UTF-8 read "(not UTF-8)". */
json_t *explain_query(struct store *s, const char *sql, const char *a,
    const char *b, struct dd_err *e);
/* The row of relation rel with key key ("A:B" for two-part keys), or NULL
 * when rel is not one explain knows or there is no such row. */
json_t *explain_row(struct store *s, const char *rel, const char *key,
    struct dd_err *e);
/* The node of (rel, key) with its links, two levels deep. */
json_t *explain_node(struct store *s, const char *rel, const char *key,
    struct dd_err *e);
/* True for the keys whose integer values are times in ns (ts, *_ts):
 * shown as RFC 3339. */
bool explain_is_time_key(const char *k);
/* {"finding": {...}, "evidence": [node...]} for finding id (full id). */
int explain_finding(struct store *s, const char *id, json_t **out,
    struct dd_err *e);

#endif
