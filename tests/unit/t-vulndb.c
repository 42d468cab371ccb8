/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-vulndb.c: OSV range evaluation, name and ecosystem keys, severity and
 * the record check (core/vulndb.h).
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/versions.h"
#include "core/vulndb.h"

/* Parse ranges/versions JSON into an affected entry (in t->arena). */
static bool
vd_af(struct test_ctx *t, const char *ranges, const char *versions,
    struct vulndb_affected *af)
{
	struct dd_err e = DD_ERR_INIT;

	return CHECK_EQ_INT(vulndb_affected_parse(t->arena, ranges, versions,
				af, &e),
	    0);
}

/* Is v affected under the ecosystem's scheme? */
static bool
vd_aff(struct test_ctx *t, const char *eco, const struct vulndb_affected *af,
    const char *v, struct vulndb_hit *hit)
{
	return vulndb_affects(t->arena, ver_scheme_of(eco), af, v, hit);
}

#define AFFECTED(eco, af, v) CHECK(vd_aff(t, eco, af, v, NULL))
#define CLEAN(eco, af, v) CHECK(!vd_aff(t, eco, af, v, NULL))

TEST(vulndb_range_dpkg)
{
	struct vulndb_affected af;
	struct vulndb_hit h;

	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		"{\"fixed\":\"1.1.1n-0+deb11u4\"}]}]",
		NULL, &af))
		return;
	AFFECTED("Debian:11", &af, "1.1.1n-0+deb11u3");
	AFFECTED("Debian", &af, "1.1.1k-1");
	AFFECTED("Debian", &af, "1.1.1n~rc1-1");
	CLEAN("Debian", &af, "1.1.1n-0+deb11u4");
	CLEAN("Debian", &af, "1.1.1n-0+deb11u5");
	CLEAN("Debian", &af, "1.1.1o-1");
	/* An epoch outranks everything after it. */
	CLEAN("Debian", &af, "1:0.9-1");
	CHECK(vd_aff(t, "Debian", &af, "1.1.1n-0+deb11u3", &h));
	CHECK(!h.listed);
	CHECK_EQ_STR(h.introduced, "0");
	CHECK_EQ_STR(h.fixed, "1.1.1n-0+deb11u4");
	CHECK(h.last_affected == NULL);
	CHECK_EQ_STR(h.type, "ECOSYSTEM");

	/* A range that starts with an epoch. */
	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
		"\"1:2.0-1\"},{\"fixed\":\"1:2.4-1\"}]}]",
		NULL, &af))
		return;
	CLEAN("Debian", &af, "2.2-1");
	AFFECTED("Debian", &af, "1:2.2-1");
	AFFECTED("Debian", &af, "1:2.0-1");
	CLEAN("Debian", &af, "1:2.4-1");
}

TEST(vulndb_range_apk)
{
	struct vulndb_affected af;

	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		"{\"fixed\":\"1.1.1g-r0\"}]}]",
		NULL, &af))
		return;
	AFFECTED("Alpine:v3.10", &af, "1.1.1d-r2");
	AFFECTED("Alpine", &af, "1.1.1f-r9");
	AFFECTED("Alpine", &af, "1.1.1g_rc1-r0");
	CLEAN("Alpine", &af, "1.1.1g-r0");
	CLEAN("Alpine", &af, "1.1.1g-r1");
	CLEAN("Alpine", &af, "1.1.1k-r0");
	CLEAN("Alpine", &af, "1.1.10-r0");

	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		"{\"fixed\":\"1.1.1c-r0\"}]}]",
		NULL, &af))
		return;
	CLEAN("Alpine:v3.10", &af, "1.1.1d-r2");
	AFFECTED("Alpine:v3.10", &af, "1.1.1b-r1");

	/* An exact version list, and a range of two windows. */
	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
		"\"1.29.0-r0\"},{\"fixed\":\"1.29.3-r10\"},{\"introduced\":"
		"\"1.30.0-r0\"},{\"fixed\":\"1.30.1-r2\"}]}]",
		"[\"1.31.0-r0\"]", &af))
		return;
	AFFECTED("Alpine", &af, "1.29.3-r9");
	CLEAN("Alpine", &af, "1.29.3-r10");
	AFFECTED("Alpine", &af, "1.30.1-r1");
	CLEAN("Alpine", &af, "1.30.1-r3");
	AFFECTED("Alpine", &af, "1.31.0-r0");
	CLEAN("Alpine", &af, "1.28.4-r3");
}

TEST(vulndb_range_semver)
{
	struct vulndb_affected af;
	struct vulndb_hit h;

	/* docs/schema.md "Multiple range example". */
	if (!vd_af(t,
		"[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		"{\"fixed\":\"1.0.2\"},{\"introduced\":\"3.0.0\"},{\"fixed\":"
		"\"3.2.5\"}]}]",
		NULL, &af))
		return;
	CLEAN("npm", &af, "0.9.9");
	AFFECTED("npm", &af, "1.0.0");
	AFFECTED("npm", &af, "1.0.1");
	CLEAN("npm", &af, "1.0.2");
	CLEAN("npm", &af, "2.5.0");
	/* A prerelease sorts below its release. */
	CLEAN("npm", &af, "3.0.0-rc.1");
	AFFECTED("npm", &af, "3.1.0");
	AFFECTED("npm", &af, "3.2.5-beta");
	CLEAN("npm", &af, "3.2.5");
	CLEAN("npm", &af, "10.0.0");
	/* SEMVER ranges compare as SemVer whatever the ecosystem; Go's 'v'. */
	AFFECTED("Go", &af, "v1.0.1");
	CLEAN("Go", &af, "v1.0.2");
	AFFECTED("PyPI", &af, "3.1.0");
	CHECK(vd_aff(t, "npm", &af, "3.1.0", &h));
	CHECK_EQ_STR(h.introduced, "3.0.0");
	CHECK_EQ_STR(h.fixed, "3.2.5");
	CHECK_EQ_INT(h.range, 0);

	/* Events out of order are sorted first. */
	if (!vd_af(t,
		"[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"2.0.0\"},"
		"{\"introduced\":\"1.5.0\"}]}]",
		NULL, &af))
		return;
	AFFECTED("Go", &af, "1.5.0");
	AFFECTED("Go", &af, "1.9.9");
	CLEAN("Go", &af, "1.4.0");
	CLEAN("Go", &af, "2.0.0");
}

TEST(vulndb_range_pep440)
{
	struct vulndb_affected af;

	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"2.0\"},"
		"{\"fixed\":\"2.31.0\"}]}]",
		"[\"1.2.3\"]", &af))
		return;
	AFFECTED("PyPI", &af, "2.0");
	AFFECTED("PyPI", &af, "2.0.0");
	AFFECTED("PyPI", &af, "2.3");
	AFFECTED("PyPI", &af, "2.30.99");
	/* dev < pre < release < post. */
	AFFECTED("PyPI", &af, "2.31.0rc1");
	AFFECTED("PyPI", &af, "2.31.0.dev3");
	CLEAN("PyPI", &af, "2.31.0");
	CLEAN("PyPI", &af, "2.31.0.post1");
	CLEAN("PyPI", &af, "1.9");
	CLEAN("PyPI", &af, "1!1.0");
	/* Listed versions compare under PEP 440 too ("1.2.3.0" == "1.2.3"),
	 * or exactly. */
	AFFECTED("PyPI", &af, "1.2.3");
	AFFECTED("PyPI", &af, "1.2.3.0");
	CLEAN("PyPI", &af, "1.2.4");
}

TEST(vulndb_range_last_affected_and_limit)
{
	struct vulndb_affected af;
	struct vulndb_hit h;

	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		"{\"last_affected\":\"2.1.214\"}]}]",
		NULL, &af))
		return;
	AFFECTED("Maven", &af, "2.1.214");
	AFFECTED("Maven", &af, "1.0");
	CLEAN("Maven", &af, "2.1.215");
	CHECK(vd_aff(t, "Maven", &af, "2.0", &h));
	CHECK(h.fixed == NULL);
	CHECK_EQ_STR(h.last_affected, "2.1.214");

	/* limit: only versions below a limit count. */
	if (!vd_af(t,
		"[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},"
		"{\"limit\":\"2.0.0\"}]}]",
		NULL, &af))
		return;
	AFFECTED("npm", &af, "1.5.0");
	CLEAN("npm", &af, "2.0.0");
	CLEAN("npm", &af, "3.0.0");
	CHECK(vd_aff(t, "npm", &af, "1.5.0", &h));
	CHECK_EQ_STR(h.limit, "2.0.0");
	/* "*" is infinity; with several limits, below any one counts. */
	if (!vd_af(t,
		"[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		"{\"limit\":\"*\"}]},{\"type\":\"SEMVER\",\"events\":["
		"{\"introduced\":\"0\"},{\"limit\":\"0.5.0\"},{\"limit\":"
		"\"0.3.0\"}]}]",
		NULL, &af))
		return;
	AFFECTED("npm", &af, "99.0.0");
	AFFECTED("npm", &af, "0.4.0");
	CLEAN("npm", &af, "0.6.0");
	CHECK(vd_aff(t, "npm", &af, "0.2.0", &h));
	CHECK_EQ_INT(h.range, 1);
	CHECK_EQ_STR(h.limit, "0.3.0");
}

TEST(vulndb_range_edge_cases)
{
	struct vulndb_affected af;

	/* GIT ranges are never evaluated; unknown types neither. */
	if (!vd_af(t,
		"[{\"type\":\"GIT\",\"repo\":\"r\",\"events\":[{\"introduced\":"
		"\"0\"}]},{\"type\":\"FOO\",\"events\":[{\"introduced\":\"0\"}]}]",
		NULL, &af))
		return;
	CLEAN("Go", &af, "1.0.0");
	/* "introduced 0" alone: every version. */
	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]",
		NULL, &af))
		return;
	AFFECTED("Debian", &af, "0");
	AFFECTED("Debian", &af, "~~");
	AFFECTED("Alpine", &af, "");
	/* Fixed at the version it was introduced: an empty range. */
	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},"
		"{\"fixed\":\"1.0\"}]}]",
		NULL, &af))
		return;
	CLEAN("PyPI", &af, "1.0");
	CLEAN("PyPI", &af, "1.1");
	/* Events that are not one string of a known kind are dropped when
	 * parsing stored rows. */
	if (!vd_af(t,
		"[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\","
		"\"fixed\":\"1\"},{\"fixed\":2},7,{\"introduced\":\"2.0\"}]}]",
		"[3, \"x\"]", &af))
		return;
	CHECK_EQ_INT(af.ranges[0].nev, 1);
	CHECK_EQ_INT(af.nversions, 1);
	AFFECTED("PyPI", &af, "2.5");
	CLEAN("PyPI", &af, "1.5");
	AFFECTED("PyPI", &af, "x");
	{
		struct dd_err e = DD_ERR_INIT;

		CHECK(vulndb_affected_parse(t->arena, "{", NULL, &af, &e) ==
		    DD_EFORMAT);
		CHECK(vulndb_affected_parse(t->arena, "{}", NULL, &af, &e) ==
		    DD_EFORMAT);
		CHECK_EQ_INT(vulndb_affected_parse(t->arena, NULL, NULL, &af,
				 &e),
		    0);
		CLEAN("PyPI", &af, "1.0");
	}
}

TEST(vulndb_names_and_ecosystems)
{
	struct sbuf k = SBUF_INIT;

	vulndb_name_key("PyPI", "Foo__Bar.baz-", &k);
	CHECK_EQ_STR(k.buf, "foo-bar-baz-");
	sbuf_reset(&k);
	vulndb_name_key("PyPI", "Gradio", &k);
	CHECK_EQ_STR(k.buf, "gradio");
	sbuf_reset(&k);
	vulndb_name_key("npm", "@Scope/Pkg_x", &k);
	CHECK_EQ_STR(k.buf, "@Scope/Pkg_x");
	sbuf_reset(&k);
	vulndb_name_key("Go", "github.com/Gin-Gonic/gin", &k);
	CHECK_EQ_STR(k.buf, "github.com/Gin-Gonic/gin");
	sbuf_release(&k);

	CHECK(vulndb_eco_same("Alpine:v3.10", "Alpine"));
	CHECK(vulndb_eco_same("Debian:12", "Debian"));
	CHECK(vulndb_eco_same("Red Hat:rhel_aus:8.4::appstream", "Red Hat"));
	CHECK(!vulndb_eco_same("Alpine", "Alpaquita"));
	CHECK(!vulndb_eco_same("Debian", "Debian2"));
	CHECK_EQ_INT(vulndb_eco_len("Alpine:v3.10"), 6);
	CHECK(vulndb_eco_by_source("Alpine"));
	CHECK(vulndb_eco_by_source("Debian:11"));
	CHECK(!vulndb_eco_by_source("PyPI"));
	CHECK(!vulndb_eco_by_source("npm"));
}

TEST(vulndb_cvss_scores)
{
	double s = -1;

	CHECK(vulndb_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	    &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 98);
	CHECK(vulndb_cvss3_score("CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N",
	    &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 47);
	CHECK(vulndb_cvss3_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
	    &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 61);
	CHECK(vulndb_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
	    &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 100);
	CHECK(vulndb_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N",
	    &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 0);
	CHECK(!vulndb_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H",
	    &s));
	CHECK(!vulndb_cvss3_score("CVSS:2.0/AV:N", &s));
	CHECK(vulndb_cvss2_score("AV:N/AC:L/Au:N/C:P/I:P/A:P", &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 75);
	CHECK(vulndb_cvss2_score("AV:N/AC:M/Au:N/C:N/I:P/A:N", &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 43);
	CHECK(vulndb_cvss2_score("AV:N/AC:L/Au:N/C:C/I:C/A:C", &s));
	CHECK_EQ_INT((int)(s * 10 + 0.5), 100);
	CHECK(!vulndb_cvss2_score("AV:N/AC:L", &s));
}

TEST(vulndb_severity_sources)
{
	const char *basis = NULL;
	double s;

	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"CVSS_V3\",\"score\":"
				     "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/"
				     "I:H/A:H\"}]",
			 &s, &basis),
	    "critical");
	CHECK_EQ_STR(basis, "the CVSS v3 base score");
	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"CVSS_V3\",\"score\":"
				     "\"CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/"
				     "I:N/A:N\"},{\"type\":\"DATABASE_SPECIFIC\","
				     "\"score\":\"CRITICAL\"}]",
			 &s, NULL),
	    "medium");
	/* v3 wins over v2; v2 alone tops out at high. */
	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"CVSS_V2\",\"score\":"
				     "\"AV:N/AC:L/Au:N/C:C/I:C/A:C\"}]",
			 &s, NULL),
	    "high");
	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"CVSS_V2\",\"score\":"
				     "\"AV:N/AC:L/Au:N/C:C/I:C/A:C\"},{\"type\":"
				     "\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:L/"
				     "AC:H/PR:L/UI:N/S:U/C:L/I:N/A:N\"}]",
			 &s, NULL),
	    "low");
	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"DATABASE_SPECIFIC\","
				     "\"score\":\"MODERATE\"}]",
			 &s, &basis),
	    "medium");
	CHECK_EQ_STR(basis, "the database's own severity");
	CHECK(s < 0);
	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"Ubuntu\",\"score\":"
				     "\"negligible\"}]",
			 &s, NULL),
	    "low");
	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"CVSS_V4\",\"score\":"
				     "\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/"
				     "VI:H/VA:H/SC:N/SI:N/SA:N\"}]",
			 &s, &basis),
	    "medium");
	CHECK(strstr(basis, "CVSS v4") != NULL);
	CHECK_EQ_STR(vulndb_severity(NULL, &s, NULL), "medium");
	CHECK_EQ_STR(vulndb_severity("not json", &s, NULL), "medium");
	CHECK_EQ_STR(vulndb_severity("[{\"type\":\"CVSS_V3\",\"score\":"
				     "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/"
				     "I:N/A:N\"}]",
			 &s, NULL),
	    "info");
}

/* 1 when valid, 0 when invalid; why (if wanted) gets the reason. */
static int
vd_valid(const char *json, struct sbuf *why)
{
	return vulndb_check_text(json, strlen(json), why);
}

#define REC(body) "{\"id\":\"GHSA-x\",\"modified\":\"2024-01-01T00:00:00Z\"" body "}"

TEST(vulndb_check_records)
{
	struct sbuf why = SBUF_INIT;

	CHECK_EQ_INT(vd_valid(REC(""), NULL), 1);
	CHECK_EQ_INT(vd_valid("{\"id\":\"GHSA-x\"}", &why), 0);
	CHECK_EQ_STR(why.buf, "record: 'modified' is required");
	CHECK_EQ_INT(vd_valid("[1]", NULL), 0);
	CHECK(vd_valid("{", NULL) == DD_EFORMAT);
	/* Prefixes and times. */
	CHECK_EQ_INT(vd_valid("{\"id\":\"x_anything\",\"modified\":"
			      "\"2024-01-01T00:00:00.123Z\"}",
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid("{\"id\":\"NOPE-1\",\"modified\":"
			      "\"2024-01-01T00:00:00Z\"}",
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid("{\"id\":\"SUSE-FU-1\",\"modified\":\"at "
			      "2024-01-01T00:00:00Z, more or less\"}",
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid("{\"id\":\"SUSE-XU-1\",\"modified\":"
			      "\"2024-01-01T00:00:00Z\"}",
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid("{\"id\":\"CVE-1\",\"modified\":"
			      "\"2024-01-01 00:00:00Z\"}",
			 NULL),
	    0);
	sbuf_reset(&why);
	CHECK_EQ_INT(vd_valid(REC(",\"extra\":1"), &why), 0);
	CHECK_EQ_STR(why.buf, "record: unknown property 'extra'");
	/* Ecosystems, with Python's '$' (a final newline passes). */
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"package\":{\"ecosystem\":"
				  "\"Debian:12\",\"name\":\"a\"}}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"package\":{\"ecosystem\":"
				  "\"Debian\\n\",\"name\":\"a\"}}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"package\":{\"ecosystem\":"
				  "\"Debian:\",\"name\":\"a\"}}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"package\":{\"ecosystem\":"
				  "\"Debian:1\\n2\",\"name\":\"a\"}}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"package\":{\"ecosystem\":"
				  "\"Debianx\",\"name\":\"a\"}}]"),
			 NULL),
	    0);
	/* Events. */
	sbuf_reset(&why);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"SEMVER\",\"events\":[{\"fixed\":\"1\"}]}]}]"),
			 &why),
	    0);
	CHECK_EQ_STR(why.buf,
	    "affected[0].ranges[0].events: no 'introduced' event");
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"SEMVER\",\"events\":[{\"introduced\":\"0\","
				  "\"fixed\":\"1\"}]}]}]"),
			 NULL),
	    0);
	/* oneOf counts string values only: a numeric 'introduced' beside
	 * a string 'fixed' passes, and still satisfies "contains". */
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"SEMVER\",\"events\":[{\"introduced\":5,"
				  "\"fixed\":\"1\"}]}]}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"SEMVER\",\"events\":[{\"introduced\":\"0\"},"
				  "{\"fixed\":\"1\"},{\"last_affected\":\"2\"}"
				  "]}]}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"GIT\",\"events\":[{\"introduced\":\"0\"}]}"
				  "]}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"GIT\",\"repo\":\"r\",\"events\":["
				  "{\"introduced\":\"0\"},{\"fixed\":\"abc\"}]}"
				  "]}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"GIT\",\"repo\":\"r\",\"events\":["
				  "{\"introduced\":\"0\"},{\"limit\":"
				  "\"0123456789abcdef0123456789abcdef01234567\"}"
				  "]}]}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"ranges\":[{\"type\":"
				  "\"RANGE\",\"events\":[{\"introduced\":\"0\"}]}"
				  "]}]"),
			 NULL),
	    0);
	/* Severity vectors and the package-severity rule. */
	CHECK_EQ_INT(vd_valid(REC(",\"severity\":[{\"type\":\"CVSS_V3\","
				  "\"score\":\"CVSS:3.1/AV:N/AC:L\\n\"}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"severity\":[{\"type\":\"CVSS_V3\","
				  "\"score\":\"CVSS:3.1/AV:Q\"}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"severity\":[{\"type\":\"CVSS_V2\","
				  "\"score\":\"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC"
				  "\"}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"severity\":[{\"type\":\"CVSS_V4\","
				  "\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/"
				  "UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/U:Red"
				  "\"}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"severity\":[{\"type\":\"CVSS_V4\","
				  "\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/"
				  "UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Red/E:A"
				  "\"}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"severity\":[{\"type\":\"Ubuntu\","
				  "\"score\":\"medium\"}],\"affected\":[{"
				  "\"severity\":null}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"severity\":null,\"affected\":[{"
				  "\"severity\":[]}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"affected\":[{\"severity\":[{\"type\":"
				  "\"Ubuntu\",\"score\":\"high\"}]}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"references\":[{\"type\":\"WEB\"}]"),
			 NULL),
	    0);
	CHECK_EQ_INT(vd_valid(REC(",\"references\":null,\"aliases\":null,"
				  "\"credits\":[{\"name\":\"n\",\"contact\":"
				  "[\"c\"],\"type\":\"TOOL\"}]"),
			 NULL),
	    1);
	CHECK_EQ_INT(vd_valid(REC(",\"related\":null"), NULL), 0);
	sbuf_release(&why);
}
