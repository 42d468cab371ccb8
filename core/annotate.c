/* SPDX-License-Identifier: Apache-2.0 */
/* annotate.c: notes, tags, clock offsets; see annotate.h. */
#include "core/common.h"
#include "core/annotate.h"

#include <jansson.h>
#include <sqlite3.h>

#include "core/custody.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/xmalloc.h"

/* Accepted target relations: singular and plural spellings. */
static const struct {
	const char *word, *rel;
} annotate_rels[] = {
	{ "artifact", "artifacts" }, { "artifacts", "artifacts" },
	{ "finding", "findings" }, { "findings", "findings" },
	{ "event", "events" }, { "events", "events" },
	{ "flow", "flows" }, { "flows", "flows" },
	{ "process", "processes" }, { "processes", "processes" },
	{ "container", "containers" }, { "containers", "containers" },
	{ "image", "images" }, { "images", "images" },
	{ "layer", "layers" }, { "layers", "layers" },
	{ "file", "files" }, { "files", "files" },
	{ "file_origins", "file_origins" }, { "drift", "drift" },
	{ "dns", "dns" }, { "http", "http" }, { "tls", "tls" },
	{ "logs", "logs" }, { "audit", "audit" },
	{ "k8s_audit", "k8s_audit" },
};

int
annotate_target(struct store *s, const char *target, const char **rel,
    const char **key, struct dd_err *e)
{
	const char *colon = strchr(target, ':');
	sqlite3_stmt *st;
	size_t i, n;
	bool found;

	if (colon == NULL || colon == target || colon[1] == '\0')
		return dd_err_set(e, DD_EUSAGE,
		    "target '%s' is not RELATION:KEY (e.g. finding:ID, "
		    "artifact:3)",
		    target);
	n = (size_t)(colon - target);
	*rel = NULL;
	for (i = 0; i < ARRAY_SIZE(annotate_rels); i++)
		if (strlen(annotate_rels[i].word) == n &&
		    strncmp(annotate_rels[i].word, target, n) == 0)
			*rel = annotate_rels[i].rel;
	if (*rel == NULL)
		return dd_err_set(e, DD_EUSAGE,
		    "unknown relation '%.*s' in target '%s'", (int)n, target,
		    target);
	*key = colon + 1;
	if (!store_has_relation(s, *rel))
		return dd_err_set(e, DD_EUSAGE,
		    "case '%s' has no relation '%s' yet", s->path, *rel);
	if (strcmp(*rel, "artifacts") == 0)
		st = store_stmt(s, "SELECT 1 FROM artifacts WHERE id = ?", e);
	else if (strcmp(*rel, "findings") == 0)
		st = store_stmt(s, "SELECT 1 FROM findings WHERE id = ?", e);
	else
		return 0;
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, *key, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!found)
		return dd_err_set(e, DD_ENOTFOUND, "no %s with id '%s'", *rel,
		    *key);
	return 0;
}

/* Append custody for an annotation inside the open transaction, commit. */
static int
annotate_finish(struct store *s, const char *action, json_t *o,
    char head[SHA256_HEX], struct dd_err *e)
{
	char *detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS |
		JSON_ENSURE_ASCII);
	int rc;

	json_decref(o);
	if (detail == NULL)
		BUG("jansson: cannot encode");
	rc = custody_append(s, action, detail, head, e);
	free(detail);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int
annotate_note(struct store *s, const char *target, const char *text,
    char head[SHA256_HEX], struct dd_err *e)
{
	const char *rel, *key;
	sqlite3_stmt *st;
	int rc;

	if ((rc = annotate_target(s, target, &rel, &key, e)) < 0)
		return rc;
	if ((rc = store_begin(s, e)) < 0)
		return rc;
	st = store_stmt(s, "INSERT INTO notes(relation, key, ts, examiner, "
			   "text) VALUES (?, ?, ?, ?, ?)",
	    e);
	if (st == NULL) {
		store_rollback(s);
		return DD_ESQL;
	}
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, time_now_ns());
	sqlite3_bind_text(st, 4, custody_examiner(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	if ((rc = store_step_done(s, st, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	return annotate_finish(s, "note",
	    json_pack("{s:s, s:s, s:s}", "relation", rel, "key", key, "text",
		text),
	    head, e);
}

int
annotate_tag(struct store *s, const char *target, const char *tag, int add,
    char head[SHA256_HEX], struct dd_err *e)
{
	const char *rel, *key;
	sqlite3_stmt *st;
	int rc;

	if ((rc = annotate_target(s, target, &rel, &key, e)) < 0)
		return rc;
	if (*tag == '\0')
		return dd_err_set(e, DD_EUSAGE, "empty tag");
	if ((rc = store_begin(s, e)) < 0)
		return rc;
	if (add)
		st = store_stmt(s, "INSERT OR IGNORE INTO tags(relation, key, "
				   "tag, ts) VALUES (?, ?, ?, ?)",
		    e);
	else
		st = store_stmt(s, "DELETE FROM tags WHERE relation = ? AND "
				   "key = ? AND tag = ? AND ? IS NOT NULL",
		    e);
	if (st == NULL) {
		store_rollback(s);
		return DD_ESQL;
	}
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, tag, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, time_now_ns());
	if ((rc = store_step_done(s, st, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	if (sqlite3_changes(s->db) == 0) {
		store_rollback(s);
		return dd_err_set(e, DD_EEXIST, add ?
			"%s:%s is already tagged '%s'" :
			"%s:%s has no tag '%s'",
		    rel, key, tag);
	}
	return annotate_finish(s, add ? "tag" : "untag",
	    json_pack("{s:s, s:s, s:s}", "relation", rel, "key", key, "tag",
		tag),
	    head, e);
}

int
annotate_offset(struct store *s, int64_t id, int64_t offset_ns,
    const char *tz, char head[SHA256_HEX], struct dd_err *e)
{
	sqlite3_stmt *st;
	int64_t old = 0;
	char *oldtz = NULL;
	json_t *o;
	int rc;

	if ((rc = store_begin(s, e)) < 0)
		return rc;
	st = store_stmt(s, "SELECT clock_offset, tz FROM artifacts WHERE id "
			   "= ?",
	    e);
	if (st == NULL) {
		store_rollback(s);
		return DD_ESQL;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		store_rollback(s);
		return dd_err_set(e, DD_ENOTFOUND, "no artifact %" PRId64, id);
	}
	old = sqlite3_column_int64(st, 0);
	oldtz = xstrdup((const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	st = store_stmt(s, "UPDATE artifact_all SET clock_offset = ?, tz = ? "
			   "WHERE id = ? OR group_id = ?",
	    e);
	if (st == NULL) {
		free(oldtz);
		store_rollback(s);
		return DD_ESQL;
	}
	sqlite3_bind_int64(st, 1, offset_ns);
	sqlite3_bind_text(st, 2, tz ? tz : oldtz, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, id);
	if ((rc = store_step_done(s, st, e)) < 0) {
		free(oldtz);
		store_rollback(s);
		return rc;
	}
	o = json_pack("{s:I, s:I, s:I, s:s, s:s}", "artifact", (json_int_t)id,
	    "old_offset_ns", (json_int_t)old, "offset_ns",
	    (json_int_t)offset_ns, "old_tz", oldtz, "tz", tz ? tz : oldtz);
	free(oldtz);
	return annotate_finish(s, "offset", o, head, e);
}
