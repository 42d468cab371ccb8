/* SPDX-License-Identifier: Apache-2.0 */
/* verify.c: whole-case verification; see verify.h. */
#include "core/common.h"
#include "core/verify.h"

#include <fcntl.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/artifact.h"
#include "core/chunk.h"
#include "core/custody.h"
#include "core/finding.h"
#include "core/dderr.h"
#include "core/limits.h"
#include "core/store.h"
#include "core/xmalloc.h"

static void verify_problem(struct verify_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
verify_problem(struct verify_report *r, const char *fmt, ...)
{
	struct sbuf tmp = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&tmp, fmt, ap);
	va_end(ap);
	esc_display(&r->lines, tmp.buf, tmp.len);
	sbuf_addch(&r->lines, '\n');
	sbuf_release(&tmp);
	r->problems++;
}

/* Names of artifacts using chunk cid, for messages. */
static void
verify_chunk_users(struct store *s, int64_t cid, struct sbuf *out)
{
	sqlite3_stmt *st = NULL;
	int n = 0;

	if (sqlite3_prepare_v2(s->db,
		"SELECT DISTINCT a.id, a.name FROM blob_parts p JOIN "
		"artifact_all a ON a.blob_id = p.blob_id WHERE p.chunk_id = ? "
		"ORDER BY a.id LIMIT 5",
		-1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, cid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		sbuf_addf(out, "%sartifact %lld '%s'", n++ ? ", " : "",
		    (long long)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (n == 0)
		sbuf_addstr(out, "no artifact");
}

static int
verify_chunks(struct store *s, struct verify_report *r,
    verify_progress_fn progress, void *user, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	uint8_t *buf = xmalloc(LIM_CHUNK_MAX);
	uint8_t d[SHA256_LEN];
	int64_t total = 0;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM chunks", -1, &st,
		NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db,
		"SELECT id, hash, codec, raw_len, data FROM chunks ORDER BY id",
		-1, &st, NULL) != SQLITE_OK) {
		free(buf);
		return store_sqlerr(s, e, "reading chunks");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct dd_err ce = DD_ERR_INIT;
		int64_t id = sqlite3_column_int64(st, 0);
		const void *key = sqlite3_column_blob(st, 1);
		int klen = sqlite3_column_bytes(st, 1);
		size_t len = 0;
		bool bad = false;
		char why[600];

		if (chunk_decode(sqlite3_column_int(st, 2),
			sqlite3_column_int64(st, 3), sqlite3_column_blob(st, 4),
			(size_t)sqlite3_column_bytes(st, 4), buf, LIM_CHUNK_MAX,
			&len, &ce) < 0) {
			bad = true;
			snprintf(why, sizeof(why), "cannot be decoded (%s)",
			    ce.msg);
		} else {
			sha256(buf, len, d);
			if (klen != SHA256_LEN || memcmp(d, key, SHA256_LEN)) {
				bad = true;
				snprintf(why, sizeof(why),
				    "content does not match its SHA-256 key");
			}
		}
		if (bad) {
			struct sbuf users = SBUF_INIT;
			char hex[SHA256_HEX] = "?";
			if (klen == SHA256_LEN)
				hex_encode(key, SHA256_LEN, hex);
			verify_chunk_users(s, id, &users);
			verify_problem(r,
			    "chunk %" PRId64 " (sha256 %s) %s; used by %s", id,
			    hex, why, users.buf);
			sbuf_release(&users);
		}
		r->chunks++;
		if (progress && (r->chunks % 16 == 0 || r->chunks == total))
			progress(user, "chunks", (uint64_t)r->chunks,
			    (uint64_t)total);
	}
	sqlite3_finalize(st);
	free(buf);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "reading chunks");
	return 0;
}

static int
verify_discard(void *user, const void *p, size_t n, struct dd_err *e)
{
	(void)user;
	(void)p;
	(void)n;
	(void)e;
	return 0;
}

/* The sha256 each artifact had when its custody row was written. */
static json_t *
verify_custody_digests(struct store *s)
{
	sqlite3_stmt *st = NULL;
	json_t *map = json_object();

	if (sqlite3_prepare_v2(s->db,
		"SELECT detail, seq FROM custody WHERE action = 'ingest' "
		"ORDER BY seq",
		-1, &st, NULL) != SQLITE_OK)
		return map;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *txt = (const char *)sqlite3_column_text(st, 0);
		json_t *o = txt ? json_loads(txt, 0, NULL) : NULL;
		json_t *id = o ? json_object_get(o, "artifact") : NULL;
		json_t *sha = o ? json_object_get(o, "sha256") : NULL;
		if (json_is_integer(id) && json_is_string(sha)) {
			char key[32];
			snprintf(key, sizeof(key), "%lld",
			    (long long)json_integer_value(id));
			json_object_set_new(o, "_seq",
			    json_integer(sqlite3_column_int64(st, 1)));
			json_object_set(map, key, o);
		}
		json_decref(o);
	}
	sqlite3_finalize(st);
	return map;
}

/* Compare a top-level artifact with what its ingest custody row says. */
static void
verify_against_custody(struct verify_report *r, int64_t id, json_t *rec,
    const char *sha, const char *name, int64_t size, const char *format)
{
	const char *rs, *rn, *rf;
	json_t *rz;

	if (rec == NULL) {
		verify_problem(r,
		    "artifact %" PRId64 " '%s' has no ingest custody record",
		    id, name ? name : "?");
		return;
	}
	rs = json_string_value(json_object_get(rec, "sha256"));
	rn = json_string_value(json_object_get(rec, "name"));
	rf = json_string_value(json_object_get(rec, "format"));
	rz = json_object_get(rec, "size");
	if (rs == NULL || strcmp(rs, sha) != 0)
		verify_problem(r,
		    "artifact %" PRId64 " '%s' has sha256 %s, but its custody "
		    "record says %s",
		    id, name ? name : "?", sha, rs ? rs : "nothing");
	if (rn == NULL || name == NULL || strcmp(rn, name) != 0)
		verify_problem(r,
		    "artifact %" PRId64 " is named '%s', but its custody record "
		    "says '%s'",
		    id, name ? name : "?", rn ? rn : "?");
	if (!json_is_integer(rz) || json_integer_value(rz) != size)
		verify_problem(r,
		    "artifact %" PRId64 " '%s' has size %" PRId64 ", but its "
		    "custody record says %lld",
		    id, name ? name : "?", size,
		    (long long)json_integer_value(rz));
	if (rf == NULL || format == NULL || strcmp(rf, format) != 0)
		verify_problem(r,
		    "artifact %" PRId64 " '%s' has format '%s', but its custody "
		    "record says '%s'",
		    id, name ? name : "?", format ? format : "?", rf ? rf : "?");
}

static int
verify_reference(struct verify_report *r, int64_t id, const char *path,
    const char *sha)
{
	struct sha *h;
	uint8_t buf[65536], d[SHA256_LEN];
	char hex[SHA256_HEX];
	ssize_t n;
	int fd;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		r->unreachable++;
		return 0;
	}
	h = sha_new();
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha_update(h, buf, (size_t)n);
	close(fd);
	sha_final(h, d);
	sha_free(h);
	hex_encode(d, SHA256_LEN, hex);
	r->references++;
	if (n < 0 || strcmp(hex, sha) != 0)
		verify_problem(r,
		    "artifact %" PRId64 " (by reference) no longer matches its "
		    "original at '%s': sha256 %s, recorded %s",
		    id, path, hex, sha);
	return 0;
}

static int
verify_artifacts(struct store *s, struct verify_report *r,
    verify_progress_fn progress, void *user, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	json_t *digests = verify_custody_digests(s);
	int64_t total = 0, done = 0;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT count(*) FROM artifact_all WHERE state = 'complete'",
		-1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db,
		"SELECT id, format = 'group', reference, blob_id, sha256, "
		"name, source_path, group_id, size, format FROM artifact_all "
		"WHERE state = 'complete' ORDER BY id",
		-1, &st, NULL) != SQLITE_OK) {
		json_decref(digests);
		return store_sqlerr(s, e, "reading artifacts");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		bool group = sqlite3_column_int(st, 1) != 0;
		bool ref = sqlite3_column_int(st, 2) != 0;
		int64_t blob = sqlite3_column_int64(st, 3);
		const char *sha = (const char *)sqlite3_column_text(st, 4);
		const char *name = (const char *)sqlite3_column_text(st, 5);
		const char *src = (const char *)sqlite3_column_text(st, 6);
		bool member = sqlite3_column_type(st, 7) != SQLITE_NULL;
		char key[32];
		json_t *rec;

		if (sha == NULL)
			sha = "";
		/* Top-level artifacts must match their custody record. */
		snprintf(key, sizeof(key), "%lld", (long long)id);
		rec = json_object_get(digests, key);
		if (!member)
			verify_against_custody(r, id, rec, sha, name,
			    sqlite3_column_int64(st, 8),
			    (const char *)sqlite3_column_text(st, 9));
		if (rec != NULL)
			json_object_set_new(rec, "_seen", json_true());
		if (group) {
			char m[SHA256_HEX];
			struct dd_err ge = DD_ERR_INIT;
			if (artifact_group_hash(s, id, m, &ge) < 0)
				verify_problem(r, "group %" PRId64 ": %s", id,
				    ge.msg);
			else if (strcmp(m, sha) != 0)
				verify_problem(r,
				    "group %" PRId64 " '%s' members hash to "
				    "%s, recorded %s",
				    id, name ? name : "?", m, sha);
			r->groups++;
		} else if (member && blob == 0 && !ref) {
			/* A member of an archive artifact: its bytes are in
			 * the archive's original, which is replayed under the
			 * archive's row. It must still carry a digest. */
			if (sha[0] == '\0')
				verify_problem(r,
				    "member %" PRId64 " '%s' has no digest",
				    id, name ? name : "?");
			r->members++;
		} else if (ref) {
			verify_reference(r, id, src, sha);
		} else {
			struct dd_err be = DD_ERR_INIT;
			uint8_t d[SHA256_LEN];
			char hex[SHA256_HEX];
			if (blob_copy_out(s, blob, verify_discard, NULL, NULL,
				NULL, d, &be) < 0) {
				verify_problem(r,
				    "artifact %" PRId64 " '%s' cannot be "
				    "replayed: %s",
				    id, name ? name : "?", be.msg);
			} else {
				hex_encode(d, SHA256_LEN, hex);
				if (strcmp(hex, sha) != 0)
					verify_problem(r,
					    "artifact %" PRId64 " '%s' "
					    "replays to sha256 %s, recorded "
					    "%s",
					    id, name ? name : "?", hex, sha);
			}
			r->artifacts++;
		}
		done++;
		if (progress)
			progress(user, "artifacts", (uint64_t)done,
			    (uint64_t)total);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		/* Artifacts the chain recorded that are gone. */
		const char *k;
		json_t *v;
		json_object_foreach(digests, k, v) {
			if (json_object_get(v, "_seen") != NULL)
				continue;
			verify_problem(r,
			    "artifact %s '%s' recorded by custody row %lld is "
			    "missing or incomplete: evidence was removed",
			    k,
			    json_string_value(json_object_get(v, "name")) ?
				json_string_value(json_object_get(v, "name")) :
				"?",
			    (long long)json_integer_value(
				json_object_get(v, "_seq")));
		}
	}
	json_decref(digests);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "reading artifacts");
	return 0;
}

/* The latest analyze row of each analyzer names the digest of the
 * findings it left: recompute them. */
static int
verify_findings(struct store *s, struct verify_report *r, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT c.detail, c.seq FROM custody c WHERE c.action = "
		"'analyze' AND c.seq = (SELECT max(c2.seq) FROM custody c2 "
		"WHERE c2.action = 'analyze' AND json_extract(c2.detail, "
		"'$.analyzer') = json_extract(c.detail, '$.analyzer')) ORDER "
		"BY c.seq",
		-1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "reading custody");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *txt = (const char *)sqlite3_column_text(st, 0);
		json_t *o = txt ? json_loads(txt, 0, NULL) : NULL;
		const char *an = json_string_value(json_object_get(o,
		    "analyzer"));
		const char *want = json_string_value(json_object_get(o,
		    "findings_sha256"));
		char got[SHA256_HEX];
		struct dd_err fe = DD_ERR_INIT;

		if (an != NULL && want != NULL) {
			if (finding_digest(s, an, got, &fe) < 0)
				verify_problem(r, "findings of '%s': %s", an,
				    fe.msg);
			else if (strcmp(got, want) != 0)
				verify_problem(r,
				    "findings of analyzer '%s' differ from "
				    "what custody row %lld recorded: they were "
				    "edited",
				    an, (long long)sqlite3_column_int64(st, 1));
		}
		json_decref(o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "reading custody");
	return 0;
}

/* The newest strings are in the trigram index (the string table writes
 * a string's two rows in one transaction, its index row possibly last).
 * Strings without LIKE's wildcards, so that the index answers. */
static int
verify_strings(struct store *s, struct verify_report *r, struct dd_err *e)
{
	sqlite3_stmt *st = NULL, *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT id, '%' || substr(s, 1, 64) || '%' FROM strings "
		"WHERE length(s) >= 3 AND instr(s, '%') = 0 AND "
		"instr(s, '_') = 0 ORDER BY id DESC LIMIT 8",
		-1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
		"SELECT rowid FROM strings_fts WHERE s LIKE ? LIMIT 100000",
		-1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_sqlerr(s, e, "checking the string index");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		bool found = false;
		sqlite3_bind_value(q, 1, sqlite3_column_value(st, 1));
		while (!found && sqlite3_step(q) == SQLITE_ROW)
			found = sqlite3_column_int64(q, 0) == id;
		sqlite3_reset(q);
		if (!found)
			verify_problem(r,
			    "string %lld is missing from the trigram index",
			    (long long)id);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "checking the string index");
	return 0;
}

int
verify_case(struct store *s, struct verify_report *r,
    verify_progress_fn progress, void *user, struct dd_err *e)
{
	struct dd_err ce = DD_ERR_INIT;
	sqlite3_stmt *st = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	sbuf_init(&r->lines, 16u << 20);
	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL) !=
	    SQLITE_OK)
		return store_sqlerr(s, e, "checking the database");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		if (m && strcmp(m, "ok") != 0)
			verify_problem(r, "database: %s", m);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "checking the database");
	if (custody_verify(s, &r->custody_rows, r->head, &ce) < 0) {
		verify_problem(r, "%s", ce.msg);
		r->head[0] = '\0';
	}
	if ((rc = verify_strings(s, r, e)) < 0 ||
	    (rc = verify_chunks(s, r, progress, user, e)) < 0)
		return rc;
	if ((rc = verify_artifacts(s, r, progress, user, e)) < 0)
		return rc;
	return verify_findings(s, r, e);
}

void
verify_report_release(struct verify_report *r)
{
	sbuf_release(&r->lines);
}
