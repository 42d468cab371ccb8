/* SPDX-License-Identifier: Apache-2.0 */
/* custody.c: the hash-linked custody chain; see custody.h. */
#include "core/common.h"
#include "core/custody.h"

#include <pwd.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"

static const char custody_zero[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void
custody_u64(struct sbuf *sb, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
	sbuf_add(sb, b, 8);
}

static void
custody_lp(struct sbuf *sb, const char *s)
{
	size_t n = strlen(s);

	custody_u64(sb, n);
	sbuf_add(sb, s, n);
}

void
custody_encode(struct sbuf *sb, int64_t seq, int64_t ts, const char *action,
    const char *detail, const char *examiner, const char *prev)
{
	sbuf_addstr(sb, "drydock-custody-v1");
	custody_u64(sb, (uint64_t)seq);
	custody_u64(sb, (uint64_t)ts);
	custody_lp(sb, action);
	custody_lp(sb, detail);
	custody_lp(sb, examiner);
	custody_lp(sb, prev);
}

void
custody_hash(int64_t seq, int64_t ts, const char *action, const char *detail,
    const char *examiner, const char *prev, char out[SHA256_HEX])
{
	struct sbuf sb = SBUF_INIT;
	uint8_t d[SHA256_LEN];

	custody_encode(&sb, seq, ts, action, detail, examiner, prev);
	sha256(sb.buf, sb.len, d);
	hex_encode(d, SHA256_LEN, out);
	sbuf_release(&sb);
}

const char *
custody_examiner(void)
{
	static char name[128];
	const char *env = getenv("DRYDOCK_EXAMINER");
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (env != NULL && *env != '\0')
		return env;
	if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
		snprintf(name, sizeof(name), "%s", res->pw_name);
	else
		snprintf(name, sizeof(name), "uid %u", (unsigned)getuid());
	return name;
}

int
custody_head(struct store *s, char head[SHA256_HEX], int64_t *seq,
    struct dd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	head[0] = '\0';
	if (seq)
		*seq = 0;
	st = store_stmt(s, "SELECT seq, hash FROM custody ORDER BY seq DESC "
			   "LIMIT 1",
	    e);
	if (st == NULL)
		return DD_ESQL;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (seq)
			*seq = sqlite3_column_int64(st, 0);
		snprintf(head, SHA256_HEX, "%s",
		    (const char *)sqlite3_column_text(st, 1));
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return store_sqlerr(s, e, "reading custody");
	}
	sqlite3_reset(st);
	return 0;
}

int
custody_append(struct store *s, const char *action, const char *detail,
    char head[SHA256_HEX], struct dd_err *e)
{
	char prev[SHA256_HEX], hash[SHA256_HEX];
	const char *who = custody_examiner();
	sqlite3_stmt *st;
	bool own = !s->in_tx;
	int64_t seq, ts;
	int rc;

	if (own && store_begin(s, e) < 0)
		return DD_ESQL;
	if ((rc = custody_head(s, prev, &seq, e)) < 0)
		goto fail;
	if (prev[0] == '\0')
		snprintf(prev, sizeof(prev), "%s", custody_zero);
	seq++;
	ts = time_now_ns();
	custody_hash(seq, ts, action, detail, who, prev, hash);
	st = store_stmt(s, "INSERT INTO custody(seq, ts, action, detail, "
			   "examiner, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    e);
	if (st == NULL) {
		rc = DD_ESQL;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, ts);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, hash, -1, SQLITE_STATIC);
	if ((rc = store_step_done(s, st, e)) < 0)
		goto fail;
	if (own && (rc = store_commit(s, e)) < 0)
		return rc;
	if (head)
		memcpy(head, hash, SHA256_HEX);
	return 0;
fail:
	if (own)
		store_rollback(s);
	return rc;
}

int
custody_verify(struct store *s, int64_t *rows, char head[SHA256_HEX],
    struct dd_err *e)
{
	char prev[SHA256_HEX], hash[SHA256_HEX];
	sqlite3_stmt *st = NULL;
	int64_t expect = 1, n = 0;
	int rc = 0;

	*rows = 0;
	head[0] = '\0';
	snprintf(prev, sizeof(prev), "%s", custody_zero);
	if (sqlite3_prepare_v2(s->db,
		"SELECT seq, ts, action, detail, examiner, prev, hash FROM "
		"custody ORDER BY seq",
		-1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "reading custody");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		const char *action = (const char *)sqlite3_column_text(st, 2);
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		const char *who = (const char *)sqlite3_column_text(st, 4);
		const char *rprev = (const char *)sqlite3_column_text(st, 5);
		const char *rhash = (const char *)sqlite3_column_text(st, 6);

		if (!action || !detail || !who || !rprev || !rhash) {
			rc = dd_err_set(e, DD_ECORRUPT,
			    "custody row %" PRId64 " has empty fields", seq);
			goto out;
		}
		if (seq != expect) {
			rc = dd_err_set(e, DD_ECORRUPT,
			    "custody row %" PRId64 " is out of sequence "
			    "(expected %" PRId64 "): a row was removed",
			    seq, expect);
			goto out;
		}
		if (strcmp(rprev, prev) != 0) {
			rc = dd_err_set(e, DD_ECORRUPT,
			    "custody row %" PRId64 " (action '%s') does not "
			    "link to the row before it",
			    seq, action);
			goto out;
		}
		custody_hash(seq, sqlite3_column_int64(st, 1), action, detail,
		    who, rprev, hash);
		if (strcmp(hash, rhash) != 0) {
			rc = dd_err_set(e, DD_ECORRUPT,
			    "custody row %" PRId64 " (action '%s') was edited: "
			    "its hash does not match its content",
			    seq, action);
			goto out;
		}
		memcpy(prev, hash, SHA256_HEX);
		expect++;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(s, e, "reading custody");
		goto out;
	}
	rc = 0;
	*rows = n;
	if (n > 0)
		memcpy(head, prev, SHA256_HEX);
out:
	sqlite3_finalize(st);
	return rc;
}
