/* SPDX-License-Identifier: Apache-2.0 */
/* t-custody.c: the hash-linked chain of custody (core/custody.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include <sqlite3.h>

#include "core/custody.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"

static const char custody_t_zero[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/*
 * The canonical encoding of
 *   seq 1, ts 0x0102030405060708, action "ingest", detail {"a":1},
 *   examiner "ann", prev 64 zeros
 * written out by hand from the format in core/custody.h.
 */
static const uint8_t custody_t_row1[] = {
	/* "drydock-custody-v1" */
	'd', 'r', 'y', 'd', 'o', 'c', 'k', '-', 'c', 'u', 's', 't', 'o', 'd',
	'y', '-', 'v', '1',
	/* u64be(seq) */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	/* i64be(ts) */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	/* lp("ingest") */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06,
	'i', 'n', 'g', 'e', 's', 't',
	/* lp("{\"a\":1}") */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
	'{', '"', 'a', '"', ':', '1', '}',
	/* lp("ann") */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	'a', 'n', 'n',
	/* lp(prev): 64 ASCII zeros */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40,
	'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
	'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
	'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
	'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
	'0', '0', '0', '0', '0', '0', '0', '0',
};

TEST(custody_encoding_known_row)
{
	struct sbuf sb = SBUF_INIT;
	char hex[SHA256_HEX], want[SHA256_HEX];
	uint8_t d[SHA256_LEN];

	CHECK_EQ_INT(sizeof(custody_t_row1), 18 + 8 + 8 + 14 + 15 + 11 + 72);
	custody_encode(&sb, 1, INT64_C(0x0102030405060708), "ingest",
	    "{\"a\":1}", "ann", custody_t_zero);
	CHECK_EQ_INT(sb.len, sizeof(custody_t_row1));
	CHECK_MEM(sb.buf, custody_t_row1, MIN(sb.len, sizeof(custody_t_row1)));
	/* The hash is SHA-256 of exactly those bytes, in lower-case hex. */
	sha256(custody_t_row1, sizeof(custody_t_row1), d);
	hex_encode(d, SHA256_LEN, want);
	custody_hash(1, INT64_C(0x0102030405060708), "ingest", "{\"a\":1}",
	    "ann", custody_t_zero, hex);
	CHECK_EQ_STR(hex, want);
	CHECK_EQ_INT(strlen(hex), 64);
	/* custody_encode appends. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "X");
	custody_encode(&sb, 1, INT64_C(0x0102030405060708), "ingest",
	    "{\"a\":1}", "ann", custody_t_zero);
	CHECK_EQ_INT(sb.len, 1 + sizeof(custody_t_row1));
	CHECK_MEM(sb.buf + 1, custody_t_row1,
	    MIN(sb.len - 1, sizeof(custody_t_row1)));
	sbuf_release(&sb);
}

TEST(custody_encoding_negative_ts)
{
	static const uint8_t head[] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
	struct sbuf sb = SBUF_INIT;

	custody_encode(&sb, 42, -2, "", "", "", "");
	CHECK_EQ_INT(sb.len, 18 + 16 + 4 * 8);
	CHECK_MEM(sb.buf, "drydock-custody-v1", 18);
	CHECK_MEM(sb.buf + 18, head, sizeof(head));
	sbuf_release(&sb);
}

TEST(custody_hash_covers_every_field)
{
	char base[SHA256_HEX], h[SHA256_HEX];
	const char *p = custody_t_zero;

	custody_hash(3, 1000, "ingest", "{\"a\":1}", "ann", p, base);
	custody_hash(3, 1000, "ingest", "{\"a\":1}", "ann", p, h);
	CHECK_EQ_STR(h, base); /* deterministic */
	custody_hash(4, 1000, "ingest", "{\"a\":1}", "ann", p, h);
	CHECK(strcmp(h, base) != 0);
	custody_hash(3, 1001, "ingest", "{\"a\":1}", "ann", p, h);
	CHECK(strcmp(h, base) != 0);
	custody_hash(3, 1000, "ingesT", "{\"a\":1}", "ann", p, h);
	CHECK(strcmp(h, base) != 0);
	custody_hash(3, 1000, "ingest", "{\"a\":2}", "ann", p, h);
	CHECK(strcmp(h, base) != 0);
	custody_hash(3, 1000, "ingest", "{\"a\":1}", "bob", p, h);
	CHECK(strcmp(h, base) != 0);
	custody_hash(3, 1000, "ingest", "{\"a\":1}", "ann",
	    "1000000000000000000000000000000000000000000000000000000000000000",
	    h);
	CHECK(strcmp(h, base) != 0);
	/* Length prefixes keep field boundaries unambiguous. */
	custody_hash(3, 1000, "ab", "c", "ann", p, base);
	custody_hash(3, 1000, "a", "bc", "ann", p, h);
	CHECK(strcmp(h, base) != 0);
	custody_hash(3, 1000, "x", "", "yz", p, base);
	custody_hash(3, 1000, "x", "y", "z", p, h);
	CHECK(strcmp(h, base) != 0);
}

/* A fresh case with deterministic examiner and clock. */
static struct store *
custody_t_open(struct test_ctx *t, const char *name)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;

	/* Each test runs in its own process: these do not leak out. */
	setenv("DRYDOCK_EXAMINER", "unit tester", 1);
	setenv("DRYDOCK_NOW", "2024-01-02T03:04:05Z", 1);
	if (!CHECK_EQ_INT(store_open(test_path(t, name),
			      STORE_CREATE | STORE_WRITE | STORE_NOLOCK, &s,
			      &e),
		0)) {
		printf("#     %s\n", e.msg);
		return NULL;
	}
	return s;
}

/* Append three rows; heads[i] gets each new head. */
static bool
custody_t_three(struct test_ctx *t, struct store *s, char heads[3][SHA256_HEX])
{
	static const char *const actions[3] = { "init", "ingest", "analyze" };
	static const char *const details[3] = { "{}", "{\"sha256\":\"ab\"}",
		"{\"n\":3}" };
	struct dd_err e = DD_ERR_INIT;
	int i;

	for (i = 0; i < 3; i++) {
		if (!CHECK_EQ_INT(custody_append(s, actions[i], details[i],
				      heads[i], &e),
			0)) {
			printf("#     %s\n", e.msg);
			return false;
		}
	}
	return true;
}

static int
custody_t_exec(struct store *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

TEST(custody_append_verify)
{
	struct dd_err e = DD_ERR_INIT;
	char heads[3][SHA256_HEX], head[SHA256_HEX], h[SHA256_HEX];
	struct store *s = custody_t_open(t, "c.drydock");
	int64_t rows = -1, seq = -1;
	sqlite3_stmt *st = NULL;

	if (s == NULL)
		return;
	/* An empty chain verifies, with no head. */
	CHECK_EQ_INT(custody_head(s, head, &seq, &e), 0);
	CHECK_EQ_STR(head, "");
	CHECK_EQ_INT(seq, 0);
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), 0);
	CHECK_EQ_INT(rows, 0);
	CHECK_EQ_STR(head, "");

	if (!custody_t_three(t, s, heads))
		goto out;
	CHECK(strcmp(heads[0], heads[1]) != 0);
	CHECK(strcmp(heads[1], heads[2]) != 0);
	CHECK_EQ_INT(custody_head(s, head, &seq, &e), 0);
	CHECK_EQ_STR(head, heads[2]);
	CHECK_EQ_INT(seq, 3);
	rows = -1;
	memset(head, 'x', sizeof(head) - 1);
	head[sizeof(head) - 1] = '\0';
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), 0);
	if (e.code)
		printf("#     %s\n", e.msg);
	CHECK_EQ_INT(rows, 3);
	CHECK_EQ_STR(head, heads[2]);

	/* The stored rows are what the format says. */
	CHECK_EQ_INT(sqlite3_prepare_v2(s->db,
			 "SELECT seq, ts, action, detail, examiner, prev, "
			 "hash FROM custody ORDER BY seq",
			 -1, &st, NULL),
	    SQLITE_OK);
	{
		const char *prev = custody_t_zero;
		char prevbuf[SHA256_HEX];
		int i = 0;
		while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
			CHECK_EQ_INT(sqlite3_column_int64(st, 0), i + 1);
			CHECK_EQ_INT(sqlite3_column_int64(st, 1),
			    INT64_C(1704164645000000000));
			CHECK_EQ_STR((const char *)sqlite3_column_text(st, 4),
			    "unit tester");
			CHECK_EQ_STR((const char *)sqlite3_column_text(st, 5),
			    prev);
			custody_hash(sqlite3_column_int64(st, 0),
			    sqlite3_column_int64(st, 1),
			    (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3),
			    (const char *)sqlite3_column_text(st, 4),
			    (const char *)sqlite3_column_text(st, 5), h);
			CHECK_EQ_STR((const char *)sqlite3_column_text(st, 6),
			    h);
			if (i < 3)
				CHECK_EQ_STR(h, heads[i]);
			snprintf(prevbuf, sizeof(prevbuf), "%s", h);
			prev = prevbuf;
			i++;
		}
		CHECK_EQ_INT(i, 3);
	}
	sqlite3_finalize(st);

	/* A row appended in the caller's transaction that is rolled back
	 * leaves nothing. */
	CHECK_EQ_INT(store_begin(s, &e), 0);
	CHECK_EQ_INT(custody_append(s, "note", "{}", NULL, &e), 0);
	store_rollback(s);
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), 0);
	CHECK_EQ_INT(rows, 3);
	CHECK_EQ_STR(head, heads[2]);
out:
	store_close(s);
}

TEST(custody_detects_edit)
{
	struct dd_err e = DD_ERR_INIT;
	char heads[3][SHA256_HEX], head[SHA256_HEX];
	struct store *s = custody_t_open(t, "c.drydock");
	int64_t rows = -1;

	if (s == NULL)
		return;
	if (!custody_t_three(t, s, heads))
		goto out;
	CHECK_EQ_INT(custody_t_exec(s, "UPDATE custody SET detail = "
				       "'{\"sha256\":\"cd\"}' WHERE seq = 2"),
	    SQLITE_OK);
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), DD_ECORRUPT);
	CHECK_EQ_INT(e.code, DD_ECORRUPT);
	if (!CHECK(strstr(e.msg, "row 2") != NULL))
		printf("#     message: %s\n", e.msg);
	CHECK(strstr(e.msg, "row 1") == NULL);
	CHECK(strstr(e.msg, "row 3") == NULL);
out:
	store_close(s);
}

/* Re-hashing the edited row moves the break to the next row's link. */
TEST(custody_detects_rehashed_edit)
{
	struct dd_err e = DD_ERR_INIT;
	char heads[3][SHA256_HEX], head[SHA256_HEX], h[SHA256_HEX];
	struct store *s = custody_t_open(t, "c.drydock");
	sqlite3_stmt *st = NULL;
	int64_t rows = -1;

	if (s == NULL)
		return;
	if (!custody_t_three(t, s, heads))
		goto out;
	custody_hash(2, INT64_C(1704164645000000000), "ingest",
	    "{\"sha256\":\"cd\"}", "unit tester", heads[0], h);
	CHECK_EQ_INT(sqlite3_prepare_v2(s->db,
			 "UPDATE custody SET detail = ?, hash = ? WHERE seq = 2",
			 -1, &st, NULL),
	    SQLITE_OK);
	if (st != NULL) {
		sqlite3_bind_text(st, 1, "{\"sha256\":\"cd\"}", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 2, h, -1, SQLITE_STATIC);
		CHECK_EQ_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), DD_ECORRUPT);
	if (!CHECK(strstr(e.msg, "row 3") != NULL))
		printf("#     message: %s\n", e.msg);
out:
	store_close(s);
}

TEST(custody_detects_deleted_row)
{
	struct dd_err e = DD_ERR_INIT;
	char heads[3][SHA256_HEX], head[SHA256_HEX];
	struct store *s = custody_t_open(t, "c.drydock");
	int64_t rows = -1;

	if (s == NULL)
		return;
	if (!custody_t_three(t, s, heads))
		goto out;
	CHECK_EQ_INT(custody_t_exec(s, "DELETE FROM custody WHERE seq = 2"),
	    SQLITE_OK);
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), DD_ECORRUPT);
	if (!CHECK(strstr(e.msg, "out of sequence") != NULL))
		printf("#     message: %s\n", e.msg);
	CHECK(strstr(e.msg, "row 3") != NULL);
	CHECK_EQ_STR(head, "");

	/* Renumbering the rows to hide the gap breaks the hashes. */
	dd_err_clear(&e);
	CHECK_EQ_INT(custody_t_exec(s, "UPDATE custody SET seq = 2 WHERE "
				       "seq = 3"),
	    SQLITE_OK);
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), DD_ECORRUPT);
	CHECK(strstr(e.msg, "row 2") != NULL);
out:
	store_close(s);
}

TEST(custody_detects_deleted_first_row)
{
	struct dd_err e = DD_ERR_INIT;
	char heads[3][SHA256_HEX], head[SHA256_HEX];
	struct store *s = custody_t_open(t, "c.drydock");
	int64_t rows = -1;

	if (s == NULL)
		return;
	if (!custody_t_three(t, s, heads))
		goto out;
	CHECK_EQ_INT(custody_t_exec(s, "DELETE FROM custody WHERE seq = 1"),
	    SQLITE_OK);
	CHECK_EQ_INT(custody_verify(s, &rows, head, &e), DD_ECORRUPT);
	if (!CHECK(strstr(e.msg, "out of sequence") != NULL))
		printf("#     message: %s\n", e.msg);
out:
	store_close(s);
}

TEST(custody_examiner)
{
	setenv("DRYDOCK_EXAMINER", "Jane Doe", 1);
	CHECK_EQ_STR(custody_examiner(), "Jane Doe");
	/* Empty falls back to the login name or uid: never empty. */
	setenv("DRYDOCK_EXAMINER", "", 1);
	CHECK(custody_examiner() != NULL && custody_examiner()[0] != '\0');
	unsetenv("DRYDOCK_EXAMINER");
	CHECK(custody_examiner() != NULL && custody_examiner()[0] != '\0');
}
