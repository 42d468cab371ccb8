/* SPDX-License-Identifier: Apache-2.0 */
/* t-query.c: the read-only query guard (core/query.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include <sqlite3.h>

#include "core/custody.h"
#include "core/dderr.h"
#include "core/query.h"
#include "core/store.h"

static int
query_t_row(void *user, int ncol, const char *const *names, sqlite3_stmt *st)
{
	(void)ncol;
	(void)names;
	(void)st;
	(*(int *)user)++;
	return 0;
}

/* A case with one custody row, reopened read-only. */
static struct store *
query_t_open(struct test_ctx *t)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	char *path = test_path(t, "q.drydock");

	if (!CHECK(store_open(path, STORE_CREATE | STORE_WRITE, &s, &e) == 0))
		return NULL;
	CHECK(custody_append(s, "create", "{}", NULL, &e) == 0);
	store_close(s);
	s = NULL;
	CHECK(store_open(path, STORE_RDONLY, &s, &e) == 0);
	return s;
}

static int
query_t_run(struct store *s, const char *sql, struct dd_err *e)
{
	int n = 0;

	dd_err_clear(e);
	return query_each(s, sql, query_t_row, &n, e);
}

TEST(query_guard_denies)
{
	static const char *const denied[] = {
		"ATTACH DATABASE ':memory:' AS x",
		"PRAGMA journal_mode = DELETE",
		"PRAGMA user_version = 5",
		"PRAGMA writable_schema = 1",
		"SELECT load_extension('/usr/lib/x86_64-linux-gnu/libm.so.6')",
		"DELETE FROM custody",
		"INSERT INTO meta(key, value) VALUES ('a', 'b')",
		"CREATE TABLE x(a)",
		"SELECT 1; DELETE FROM custody",
	};
	struct dd_err e = DD_ERR_INIT;
	struct store *s = query_t_open(t);
	size_t i;
	int n = 0;

	if (s == NULL)
		return;
	for (i = 0; i < ARRAY_SIZE(denied); i++) {
		if (!CHECK(query_t_run(s, denied[i], &e) < 0))
			FAIL("allowed: %s", denied[i]);
	}
	/* Reads work, including read-only pragmas. */
	CHECK_EQ_INT(query_each(s, "SELECT * FROM custody", query_t_row, &n,
			 &e),
	    0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(query_t_run(s, "PRAGMA table_info(custody)", &e), 0);
	store_close(s);
}

TEST(query_budget_stops)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = query_t_open(t);
	struct query_opts o = { QUERY_CSV, 200, false };
	FILE *out;

	if (s == NULL)
		return;
	out = fopen("/dev/null", "w");
	CHECK(query_run(s,
		  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
		  "FROM c) SELECT count(*) FROM c",
		  &o, out, &e) < 0);
	CHECK(strstr(e.msg, "budget") != NULL);
	fclose(out);
	store_close(s);
}
