/* SPDX-License-Identifier: Apache-2.0 */
/* t-analyzer.c: the analyzer registry, dispatcher and finding ids. */
#include "core/common.h"
#include "tests/lib/test.h"

#include <dirent.h>

#include <sqlite3.h>

#include "analyzers/analyzer.h"
#include "core/artifact.h"
#include "core/chunk.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/store.h"

TEST(analyzer_registry)
{
	struct dirent *d;
	DIR *dir;
	size_t i;

	for (i = 0; analyzer_table[i] != NULL; i++) {
		const struct analyzer *an = analyzer_table[i];
		CHECK_EQ_INT(an->abi, ANALYZER_ABI);
		CHECK(an->name != NULL && an->version != NULL &&
		    an->summary != NULL);
		CHECK(an->finish != NULL || an->on_event != NULL ||
		    an->on_flow != NULL);
		if (analyzer_table[i + 1] != NULL)
			CHECK(strcmp(an->name, analyzer_table[i + 1]->name) <
			    0);
		CHECK(analyzer_find(an->name) == an);
	}
	/* Every analyzers/an-*.c file is in the table. */
	dir = opendir("analyzers");
	if (!CHECK(dir != NULL))
		return;
	while ((d = readdir(dir)) != NULL) {
		size_t n = strlen(d->d_name);
		char name[256];
		if (n < 6 || strncmp(d->d_name, "an-", 3) != 0 ||
		    strcmp(d->d_name + n - 2, ".c") != 0 || n - 5 >= sizeof(name))
			continue;
		memcpy(name, d->d_name + 3, n - 5);
		name[n - 5] = '\0';
		if (!CHECK(analyzer_find(name) != NULL))
			FAIL("analyzers/%s is not registered", d->d_name);
	}
	closedir(dir);
}

TEST(analyzer_finding_id_stable)
{
	char a[33], b[33], c[33];

	finding_id("evidence", "ev.unparsed", "artifacts:3", 1, a);
	finding_id("evidence", "ev.unparsed", "artifacts:3", 1, b);
	CHECK_EQ_STR(a, b);
	CHECK_EQ_INT(strlen(a), 32);
	finding_id("evidence", "ev.unparsed", "artifacts:4", 1, c);
	CHECK(strcmp(a, c) != 0);
	finding_id("evidence", "ev.unparsed", "artifacts:3", 2, c);
	CHECK(strcmp(a, c) != 0);
	/* Length prefixes keep ("ab","c") and ("a","bc") apart. */
	finding_id("ab", "c", "x", 1, a);
	finding_id("a", "bc", "x", 1, b);
	CHECK(strcmp(a, b) != 0);
}

/* Make a case with one complete artifact of n bytes. */
static struct store *
an_t_case(struct test_ctx *t, size_t n)
{
	struct dd_err e = DD_ERR_INIT;
	struct artifact_new an;
	struct blob_info bi;
	struct store *s = NULL;
	struct blobw *w = NULL;
	char hex[SHA256_HEX];
	uint8_t *buf;
	int64_t id;

	if (!CHECK(store_open(test_path(t, "c.drydock"),
		       STORE_CREATE | STORE_WRITE | STORE_NOLOCK, &s, &e) == 0))
		return NULL;
	buf = calloc(1, n);
	memset(&an, 0, sizeof(an));
	an.name = "big.bin";
	an.format = "raw";
	an.importer = "raw";
	an.importer_version = "1";
	an.mode = an.mtime = -1;
	CHECK(store_begin(s, &e) == 0);
	CHECK(artifact_begin(s, &an, &id, &e) == 0);
	CHECK(blobw_new(s, 0, &w, &e) == 0);
	CHECK(blobw_write(w, buf, n, &e) == 0);
	CHECK(blobw_finish(w, &bi, &e) == 0);
	hex_encode(bi.sha256, SHA256_LEN, hex);
	CHECK(artifact_set_content(s, id, bi.size, hex, bi.id, false, "raw",
	    &e) == 0);
	CHECK(artifact_complete(s, id, &e) == 0);
	CHECK(custody_append(s, "ingest", "{}", NULL, &e) == 0);
	CHECK(store_commit(s, &e) == 0);
	blobw_free(w);
	free(buf);
	return s;
}

static int
an_t_count_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	(void)e;
	*(int64_t *)user = rowq_int(r, 0);
	return 0;
}

static int64_t
an_t_count(struct store *s, const char *sql)
{
	int64_t n = -1;

	rowq_each(s, sql, NULL, 0, an_t_count_row, &n, NULL);
	return n;
}

TEST(analyzer_run_replaces_and_keeps_ids)
{
	struct dd_err e = DD_ERR_INIT;
	struct an_result res[16];
	const char *only[] = { "template", "evidence" };
	char head[SHA256_HEX], h2[SHA256_HEX], id1[64] = "", id2[64] = "";
	struct store *s = an_t_case(t, 2u << 20);
	sqlite3_stmt *st;
	size_t n = 0;

	if (s == NULL)
		return;
	CHECK(analyzer_run(s, only, 2, 0, res, &n, head, &e) == 0);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_INT(an_t_count(s, "SELECT count(*) FROM findings WHERE "
				   "rule = 'tpl.artifact.large'"),
	    1);
	CHECK_EQ_INT(an_t_count(s, "SELECT count(*) FROM findings WHERE "
				   "rule = 'ev.unparsed'"),
	    1);
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM findings WHERE rule = "
				      "'tpl.artifact.large'",
		-1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(id1, sizeof(id1), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	/* Run again: same ids, no duplicates, one more custody row each. */
	CHECK(analyzer_run(s, only, 2, 0, res, &n, head, &e) == 0);
	CHECK_EQ_INT(an_t_count(s, "SELECT count(*) FROM findings"), 2);
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM findings WHERE rule = "
				      "'tpl.artifact.large'",
		-1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(id2, sizeof(id2), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	CHECK_EQ_STR(id1, id2);
	CHECK_EQ_INT(an_t_count(s, "SELECT count(*) FROM custody WHERE action "
				   "= 'analyze'"),
	    4);
	CHECK_EQ_INT(an_t_count(s, "SELECT count(*) FROM finding_evidence "
				   "WHERE ord = 0"),
	    2);
	CHECK(custody_head(s, h2, NULL, &e) == 0);
	CHECK_EQ_STR(h2, head);
	store_close(s);
}

TEST(analyzer_unknown_and_needs)
{
	struct dd_err e = DD_ERR_INIT;
	struct an_result res[16];
	const char *bad[] = { "no-such" };
	char head[SHA256_HEX];
	struct store *s = an_t_case(t, 10);
	size_t n = 0;

	if (s == NULL)
		return;
	CHECK_EQ_INT(analyzer_run(s, bad, 1, 0, res, &n, head, &e),
	    DD_EUSAGE);
	CHECK(strstr(e.msg, "no-such") != NULL);
	store_close(s);
}

TEST(analyzer_query_refuses_writes)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = an_t_case(t, 10);

	if (s == NULL)
		return;
	CHECK_EQ_INT(rowq_each(s, "DELETE FROM custody", NULL, 0,
			 an_t_count_row, NULL, &e),
	    DD_EUSAGE);
	CHECK_EQ_INT(an_t_count(s, "SELECT count(*) FROM custody"), 1);
	store_close(s);
}
