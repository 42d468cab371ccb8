/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vulndb.c: OSV records: schema check, loading, range evaluation and
 * severity; see vulndb.h.
 *
 * The schema check mirrors ossf/osv-schema validation/schema.json rule by
 * rule (the comments quote the rule), the way the Python jsonschema
 * Draft202012Validator applies it: `type`, `required`, `enum`, `const`,
 * `contains`, `oneOf`, `if`/`then`, `additionalProperties: false` at the
 * top, and `pattern` as re.search (anchors only where the pattern has
 * them; Python's '$' matches at the end or before one final '\n', and '.'
 * is any character but '\n'). `format` is not asserted, as jsonschema
 * does not by default. The patterns are hand-written matchers rather than
 * POSIX regexes, whose '$' and '.' differ from Python's.
 */
#include "core/common.h"
#include "core/vulndb.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/limits.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/xmalloc.h"

/* ---- patterns, as Python's re.search reads them ---- */

/* Python's '$' (no MULTILINE) after a match of s[0..m): true when m is the
 * end, or the one position before a final '\n'. */
static bool
vd_py_end(size_t m, const char *s, size_t n)
{
	return m == n || (m + 1 == n && s[m] == '\n');
}

static bool
vd_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* $defs/timestamp pattern, unanchored:
 * [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z */
static bool
vd_ts_at(const char *s, size_t n)
{
	size_t i;

	if (n < 20 || !vd_digits(s, 4) || s[4] != '-' || !vd_digits(s + 5, 2) ||
	    s[7] != '-' || !vd_digits(s + 8, 2) || s[10] != 'T' ||
	    !vd_digits(s + 11, 2) || s[13] != ':' || !vd_digits(s + 14, 2) ||
	    s[16] != ':' || !vd_digits(s + 17, 2))
		return false;
	if (s[19] == 'Z')
		return true;
	if (s[19] != '.')
		return false;
	for (i = 20; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i > 20 && i < n && s[i] == 'Z';
}

static bool
vd_ts_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 20 <= n; i++)
		if (vd_ts_at(s + i, n - i))
			return true;
	return false;
}

/* $defs/prefix: ^(x_|(ASB-A|PUB-A|...|SUSE-[SRFO]U|...|V8)-) */
static const char *const vd_id_prefixes[] = { "ASB-A", "PUB-A", "ALPINE",
	"ALSA", "ALBA", "ALEA", "AZL", "BELL", "BIT", "CGA", "CLEANSTART",
	"CLSA", "CURL", "CVE", "DEBIAN", "DHI", "DRUPAL", "DSA", "DLA", "ELA",
	"DTSA", "ECHO", "EEF", "FreeBSD", "GHSA", "GO", "GSD", "HSEC", "JLSEC",
	"KUBE", "LBSEC", "LSN", "MAL", "MINI", "MGASA", "OESA", "OSEC", "OSV",
	"openSUSE-SU", "PHSA", "PSF", "PYSEC", "RHBA", "RHEA", "RHSA", "RLSA",
	"RXSA", "RSEC", "ROOT", "RUSTSEC", "SUSE-SU", "SUSE-RU", "SUSE-FU",
	"SUSE-OU", "UBUNTU", "USN", "V8" };

static bool
vd_id_ok(const char *s, size_t n)
{
	size_t i, k;

	if (n >= 2 && s[0] == 'x' && s[1] == '_')
		return true;
	for (i = 0; i < ARRAY_SIZE(vd_id_prefixes); i++) {
		k = strlen(vd_id_prefixes[i]);
		if (n > k && memcmp(s, vd_id_prefixes[i], k) == 0 &&
		    s[k] == '-')
			return true;
	}
	return false;
}

/* $defs/ecosystemWithSuffix: ^(NAMES|GIT)(:.+)?$ */
static const char *const vd_ecosystems[] = { "AlmaLinux", "Alpaquita",
	"Alpine", "Android", "Azure Linux", "BellSoft Hardened Containers",
	"Bioconductor", "Bitnami", "Chainguard", "CleanStart", "ConanCenter",
	"CRAN", "crates.io", "Debian", "Docker Hardened Images", "Echo",
	"FreeBSD", "GHC", "GitHub Actions", "Go", "Hackage", "Hex", "Julia",
	"Kubernetes", "Linux", "Mageia", "Maven", "MinimOS", "npm", "NuGet",
	"opam", "openEuler", "openSUSE", "OSS-Fuzz", "Packagist", "Photon OS",
	"Pub", "PyPI", "Red Hat", "Rocky Linux", "Root", "RubyGems", "SUSE",
	"SwiftURL", "TuxCare", "Ubuntu", "VSCode", "Wolfi", "GIT" };

static bool
vd_eco_ok(const char *s, size_t n)
{
	size_t i, k, j;

	for (i = 0; i < ARRAY_SIZE(vd_ecosystems); i++) {
		k = strlen(vd_ecosystems[i]);
		if (n < k || memcmp(s, vd_ecosystems[i], k) != 0)
			continue;
		if (vd_py_end(k, s, n))
			return true;
		if (s[k] != ':')
			continue;
		/* ":.+$": one or more characters but '\n', then the end. */
		for (j = k + 1; j < n && s[j] != '\n'; j++)
			;
		if (j > k + 1 && vd_py_end(j, s, n))
			return true;
	}
	return false;
}

/* A CVSS metric table: "KEY" and its values separated by '|'. */
struct vd_metric {
	const char *key;
	const char *vals;
};

static const struct vd_metric vd_cvss2_metrics[] = { { "AV", "N|A|L" },
	{ "AC", "L|M|H" }, { "Au", "M|S|N" }, { "C", "N|P|C" },
	{ "I", "N|P|C" }, { "A", "N|P|C" }, { "E", "U|POC|F|H|ND" },
	{ "RL", "OF|TF|W|U|ND" }, { "RC", "UC|UR|C|ND" },
	{ "CDP", "N|L|LM|MH|H|ND" }, { "TD", "N|L|M|H|ND" },
	{ "CR", "L|M|H|ND" }, { "IR", "L|M|H|ND" }, { "AR", "L|M|H|ND" },
	{ NULL, NULL } };

static const struct vd_metric vd_cvss3_metrics[] = { { "AV", "N|A|L|P" },
	{ "AC", "L|H" }, { "PR", "N|L|H" }, { "UI", "N|R" }, { "S", "U|C" },
	{ "C", "N|L|H" }, { "I", "N|L|H" }, { "A", "N|L|H" },
	{ "E", "X|U|P|F|H" }, { "RL", "X|O|T|W|U" }, { "RC", "X|U|R|C" },
	{ "CR", "X|L|M|H" }, { "IR", "X|L|M|H" }, { "AR", "X|L|M|H" },
	{ "MAV", "X|N|A|L|P" }, { "MAC", "X|L|H" }, { "MPR", "X|N|L|H" },
	{ "MUI", "X|N|R" }, { "MS", "X|U|C" }, { "MC", "X|N|L|H" },
	{ "MI", "X|N|L|H" }, { "MA", "X|N|L|H" }, { NULL, NULL } };

/* Whether v[0..n) is one of the '|'-separated words of vals. */
static bool
vd_word_in(const char *vals, const char *v, size_t n)
{
	const char *p = vals, *q;

	for (;;) {
		q = strchr(p, '|');
		if (q == NULL)
			q = p + strlen(p);
		if ((size_t)(q - p) == n && memcmp(p, v, n) == 0)
			return true;
		if (*q == '\0')
			return false;
		p = q + 1;
	}
}

/* One "KEY:VAL" segment s[0..n) against table t. */
static bool
vd_metric_ok(const struct vd_metric *t, const char *s, size_t n)
{
	const char *c = memchr(s, ':', n);
	size_t k;

	if (c == NULL)
		return false;
	k = (size_t)(c - s);
	for (; t->key != NULL; t++)
		if (strlen(t->key) == k && memcmp(t->key, s, k) == 0)
			return vd_word_in(t->vals, c + 1, n - k - 1);
	return false;
}

/* "(M/)*M" over s[0..n), each M a metric of t (any order, repeats). */
static bool
vd_metric_list_ok(const struct vd_metric *t, const char *s, size_t n)
{
	size_t i = 0, j;

	for (;;) {
		for (j = i; j < n && s[j] != '/'; j++)
			;
		if (!vd_metric_ok(t, s + i, j - i))
			return false;
		if (j == n)
			return true;
		i = j + 1;
	}
}

/* With Python's '$': the whole of s, or all but one final '\n'. */
static bool
vd_cvss2_ok(const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\n' &&
	    vd_metric_list_ok(vd_cvss2_metrics, s, n - 1))
		return true;
	return vd_metric_list_ok(vd_cvss2_metrics, s, n);
}

static bool
vd_cvss3_body_ok(const char *s, size_t n)
{
	if (n < 9 || memcmp(s, "CVSS:3", 6) != 0 || s[6] != '.' ||
	    (s[7] != '0' && s[7] != '1') || s[8] != '/')
		return false;
	return vd_metric_list_ok(vd_cvss3_metrics, s + 9, n - 9);
}

static bool
vd_cvss3_ok(const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\n' && vd_cvss3_body_ok(s, n - 1))
		return true;
	return vd_cvss3_body_ok(s, n);
}

/* CVSS v4: "CVSS:4[.]0/AV:[NALP]/.../SA:[HLN]" then optional metrics in
 * a fixed order, each at most once. */
static const struct vd_metric vd_cvss4_base[] = { { "AV", "N|A|L|P" },
	{ "AC", "L|H" }, { "AT", "N|P" }, { "PR", "N|L|H" },
	{ "UI", "N|P|A" }, { "VC", "H|L|N" }, { "VI", "H|L|N" },
	{ "VA", "H|L|N" }, { "SC", "H|L|N" }, { "SI", "H|L|N" },
	{ "SA", "H|L|N" }, { NULL, NULL } };
static const struct vd_metric vd_cvss4_opt[] = { { "E", "X|A|P|U" },
	{ "CR", "X|H|M|L" }, { "IR", "X|H|M|L" }, { "AR", "X|H|M|L" },
	{ "MAV", "X|N|A|L|P" }, { "MAC", "X|L|H" }, { "MAT", "X|N|P" },
	{ "MPR", "X|N|L|H" }, { "MUI", "X|N|P|A" }, { "MVC", "X|N|L|H" },
	{ "MVI", "X|N|L|H" }, { "MVA", "X|N|L|H" }, { "MSC", "X|N|L|H" },
	{ "MSI", "X|N|L|H|S" }, { "MSA", "X|N|L|H|S" }, { "S", "X|N|P" },
	{ "AU", "X|N|Y" }, { "R", "X|A|U|I" }, { "V", "X|D|C" },
	{ "RE", "X|L|M|H" }, { "U", "X|Clear|Green|Amber|Red" },
	{ NULL, NULL } };

/* "/KEY:VAL" at s[*i..n) for metric m; advances *i when it matches. */
static bool
vd_cvss4_take(const struct vd_metric *m, const char *s, size_t n, size_t *i)
{
	size_t k = strlen(m->key), j;

	if (n - *i < k + 2 || s[*i] != '/' ||
	    memcmp(s + *i + 1, m->key, k) != 0 || s[*i + 1 + k] != ':')
		return false;
	for (j = *i + k + 2; j < n && s[j] != '/'; j++)
		;
	if (!vd_word_in(m->vals, s + *i + k + 2, j - (*i + k + 2)))
		return false;
	*i = j;
	return true;
}

static bool
vd_cvss4_body_ok(const char *s, size_t n)
{
	const struct vd_metric *m;
	size_t i = 8;

	if (n < 8 || memcmp(s, "CVSS:4.0", 8) != 0)
		return false;
	for (m = vd_cvss4_base; m->key != NULL; m++)
		if (!vd_cvss4_take(m, s, n, &i))
			return false;
	/* Each optional group is tried once, in order; the keys differ, so
	 * a group that fails to match here cannot match later. */
	for (m = vd_cvss4_opt; m->key != NULL && i < n; m++)
		(void)vd_cvss4_take(m, s, n, &i);
	return i == n;
}

static bool
vd_cvss4_ok(const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\n' && vd_cvss4_body_ok(s, n - 1))
		return true;
	return vd_cvss4_body_ok(s, n);
}

/* GIT event values: ^(0|[a-f0-9]{40}|[a-f0-9]{64})$ */
static bool
vd_git_hash_ok(const char *s, size_t n)
{
	size_t m = n, i;

	if (n > 0 && s[n - 1] == '\n')
		m = n - 1;
	for (;;) {
		bool hex = true;

		for (i = 0; i < m; i++)
			if (!((s[i] >= '0' && s[i] <= '9') ||
				(s[i] >= 'a' && s[i] <= 'f')))
				hex = false;
		if ((m == 1 && s[0] == '0') || (hex && (m == 40 || m == 64)))
			return true;
		if (m == n)
			return false;
		m = n;
	}
}

/* ---- the schema check ---- */

struct vd_chk {
	struct sbuf *why;
	bool top_severity; /* the record has a "severity" key */
};

/* Record the first reason (path: message) and return false. */
DD_PRINTF(3, 4)
static bool
vd_bad(struct vd_chk *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (c->why == NULL || c->why->len > 0)
		return false;
	sbuf_addstr(c->why, path[0] ? path : "record");
	sbuf_addstr(c->why, ": ");
	va_start(ap, fmt);
	sbuf_vaddf(c->why, fmt, ap);
	va_end(ap);
	return false;
}

/* A JSON type name for messages. */
static const char *
vd_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* A key or value from the record, quoted safely for a message. */
static const char *
vd_q(struct sbuf *tmp, const char *s, size_t n)
{
	sbuf_reset(tmp);
	esc_display(tmp, s, MIN(n, (size_t)LIM_MSG_STR));
	if (n > LIM_MSG_STR)
		sbuf_addstr(tmp, "...");
	return tmp->buf;
}

/* Child paths: "a.b" and "a[3]". */
static void
vd_path_key(struct sbuf *out, const char *path, const char *key)
{
	sbuf_reset(out);
	if (path[0])
		sbuf_addf(out, "%s.%s", path, key);
	else
		sbuf_addstr(out, key);
}

static void
vd_path_idx(struct sbuf *out, const char *path, size_t i)
{
	sbuf_reset(out);
	sbuf_addf(out, "%s[%zu]", path, i);
}

static bool
vd_want_string(struct vd_chk *c, const char *path, const json_t *v)
{
	if (json_is_string(v))
		return true;
	return vd_bad(c, path, "must be a string, not %s", vd_type_name(v));
}

static bool
vd_want_object(struct vd_chk *c, const char *path, const json_t *v)
{
	if (json_is_object(v))
		return true;
	return vd_bad(c, path, "must be an object, not %s", vd_type_name(v));
}

/* An array of strings (nullable: null allowed too). */
static bool
vd_want_strings(struct vd_chk *c, const char *path, const json_t *v,
    bool nullable)
{
	struct sbuf p = SBUF_INIT;
	size_t i;
	json_t *x;
	bool ok = true;

	if (nullable && json_is_null(v))
		return true;
	if (!json_is_array(v))
		return vd_bad(c, path, "must be an array%s, not %s",
		    nullable ? " or null" : "", vd_type_name(v));
	json_array_foreach(v, i, x) {
		if (!json_is_string(x)) {
			vd_path_idx(&p, path, i);
			ok = vd_want_string(c, p.buf, x);
			break;
		}
	}
	sbuf_release(&p);
	return ok;
}

/* A string whose value is one of words[0..n). */
static bool
vd_want_enum(struct vd_chk *c, const char *path, const json_t *v,
    const char *const *words, size_t n)
{
	struct sbuf q = SBUF_INIT;
	size_t i;
	bool ok;

	if (!vd_want_string(c, path, v))
		return false;
	for (i = 0; i < n; i++)
		if (json_string_length(v) == strlen(words[i]) &&
		    memcmp(json_string_value(v), words[i],
			json_string_length(v)) == 0)
			return true;
	ok = vd_bad(c, path, "'%s' is not one of the allowed values",
	    vd_q(&q, json_string_value(v), json_string_length(v)));
	sbuf_release(&q);
	return ok;
}

/* $defs/severity: array or null of {type (enum), score (string matching
 * the type's pattern)}, both required. */
static bool
vd_check_severity(struct vd_chk *c, const char *path, const json_t *v)
{
	static const char *const types[] = { "CVSS_V2", "CVSS_V3", "CVSS_V4",
		"Ubuntu" };
	static const char *const ubuntu[] = { "negligible", "low", "medium",
		"high", "critical" };
	struct sbuf p = SBUF_INIT, p2 = SBUF_INIT, q = SBUF_INIT;
	json_t *x, *t, *sc;
	size_t i;
	bool ok = true;

	if (json_is_null(v))
		return true;
	if (!json_is_array(v))
		return vd_bad(c, path, "must be an array or null, not %s",
		    vd_type_name(v));
	json_array_foreach(v, i, x) {
		const char *tv, *sv;
		size_t sn;

		vd_path_idx(&p, path, i);
		if (!(ok = vd_want_object(c, p.buf, x)))
			break;
		t = json_object_get(x, "type");
		sc = json_object_get(x, "score");
		if (t == NULL || sc == NULL) {
			ok = vd_bad(c, p.buf, "'%s' is required",
			    t == NULL ? "type" : "score");
			break;
		}
		vd_path_key(&p2, p.buf, "type");
		ok = vd_want_enum(c, p2.buf, t, types, ARRAY_SIZE(types));
		if (!ok)
			break;
		vd_path_key(&p2, p.buf, "score");
		if (!(ok = vd_want_string(c, p2.buf, sc)))
			break;
		tv = json_string_value(t);
		sv = json_string_value(sc);
		sn = json_string_length(sc);
		if (strcmp(tv, "CVSS_V2") == 0)
			ok = vd_cvss2_ok(sv, sn);
		else if (strcmp(tv, "CVSS_V3") == 0)
			ok = vd_cvss3_ok(sv, sn);
		else if (strcmp(tv, "CVSS_V4") == 0)
			ok = vd_cvss4_ok(sv, sn);
		else {
			ok = vd_want_enum(c, p2.buf, sc, ubuntu,
			    ARRAY_SIZE(ubuntu));
			if (!ok)
				break;
		}
		if (!ok) {
			vd_bad(c, p2.buf, "'%s' is not a %s vector",
			    vd_q(&q, sv, sn), tv);
			break;
		}
	}
	sbuf_release(&p);
	sbuf_release(&p2);
	sbuf_release(&q);
	return ok;
}

/* The number of oneOf branches {K: string, required K} an event passes,
 * and (git) how many pass with the hash pattern too. kind gets the
 * last passing K. */
static const char *const vd_ev_keys[] = { "introduced", "last_affected",
	"fixed", "limit" };

static void
vd_event_branches(const json_t *ev, int *n, int *ngit, int *kind)
{
	size_t i;

	*n = *ngit = 0;
	*kind = -1;
	for (i = 0; i < ARRAY_SIZE(vd_ev_keys); i++) {
		json_t *x = json_object_get(ev, vd_ev_keys[i]);

		if (x == NULL || !json_is_string(x))
			continue;
		(*n)++;
		*kind = (int)i;
		if (vd_git_hash_ok(json_string_value(x), json_string_length(x)))
			(*ngit)++;
	}
}

/* affected[].ranges[] items. */
static bool
vd_check_range(struct vd_chk *c, const char *path, const json_t *r)
{
	static const char *const types[] = { "GIT", "SEMVER", "ECOSYSTEM" };
	struct sbuf p = SBUF_INIT, p2 = SBUF_INIT;
	json_t *type, *events, *x;
	bool ok = false, git, has_intro = false, has_last = false,
			       has_fixed = false;
	size_t i;

	if (!vd_want_object(c, path, r))
		return false;
	type = json_object_get(r, "type");
	events = json_object_get(r, "events");
	/* "required": ["type", "events"] */
	if (type == NULL || events == NULL) {
		vd_bad(c, path, "'%s' is required",
		    type == NULL ? "type" : "events");
		goto out;
	}
	vd_path_key(&p, path, "type");
	if (!vd_want_enum(c, p.buf, type, types, ARRAY_SIZE(types)))
		goto out;
	git = strcmp(json_string_value(type), "GIT") == 0;
	x = json_object_get(r, "repo");
	vd_path_key(&p, path, "repo");
	if (x != NULL && !vd_want_string(c, p.buf, x))
		goto out;
	/* "GIT ranges require a repo" */
	if (git && x == NULL) {
		vd_bad(c, path, "a GIT range requires 'repo'");
		goto out;
	}
	x = json_object_get(r, "database_specific");
	vd_path_key(&p, path, "database_specific");
	if (x != NULL && !vd_want_object(c, p.buf, x))
		goto out;
	vd_path_key(&p, path, "events");
	if (!json_is_array(events)) {
		vd_bad(c, p.buf, "must be an array, not %s",
		    vd_type_name(events));
		goto out;
	}
	if (json_array_size(events) == 0) {
		vd_bad(c, p.buf, "must not be empty");
		goto out;
	}
	json_array_foreach(events, i, x) {
		int n, ngit, kind;

		vd_path_idx(&p2, p.buf, i);
		if (!vd_want_object(c, p2.buf, x))
			goto out;
		/* "contains": {"required": ["introduced"]} and the
		 * last_affected/fixed rule test keys, whatever their value. */
		has_intro |= json_object_get(x, "introduced") != NULL;
		has_last |= json_object_get(x, "last_affected") != NULL;
		has_fixed |= json_object_get(x, "fixed") != NULL;
		/* "oneOf": exactly one of introduced, fixed, last_affected,
		 * limit as a string. */
		vd_event_branches(x, &n, &ngit, &kind);
		if (n != 1) {
			vd_bad(c, p2.buf, n == 0 ?
				"must hold one of introduced, fixed, "
				"last_affected or limit as a string" :
				"must hold only one of introduced, fixed, "
				"last_affected and limit");
			goto out;
		}
		/* "GIT ranges must use full-length commit hashes" */
		if (git && ngit != 1) {
			vd_bad(c, p2.buf, "a GIT event must be \"0\" or a "
					  "full-length commit hash");
			goto out;
		}
	}
	if (!has_intro) {
		vd_bad(c, p.buf, "no 'introduced' event");
		goto out;
	}
	/* "last_affected and fixed events are mutually exclusive" */
	if (has_last && has_fixed) {
		vd_bad(c, p.buf, "holds both 'fixed' and 'last_affected' "
				 "events");
		goto out;
	}
	ok = true;
out:
	sbuf_release(&p);
	sbuf_release(&p2);
	return ok;
}

static bool
vd_check_affected(struct vd_chk *c, const char *path, const json_t *a)
{
	struct sbuf p = SBUF_INIT, p2 = SBUF_INIT, q = SBUF_INIT;
	json_t *pkg, *x, *y;
	bool ok = false;
	size_t i;

	if (!vd_want_object(c, path, a))
		return false;
	if ((pkg = json_object_get(a, "package")) != NULL) {
		vd_path_key(&p, path, "package");
		if (!vd_want_object(c, p.buf, pkg))
			goto out;
		x = json_object_get(pkg, "ecosystem");
		y = json_object_get(pkg, "name");
		if (x == NULL || y == NULL) {
			vd_bad(c, p.buf, "'%s' is required",
			    x == NULL ? "ecosystem" : "name");
			goto out;
		}
		vd_path_key(&p2, p.buf, "ecosystem");
		if (!vd_want_string(c, p2.buf, x))
			goto out;
		if (!vd_eco_ok(json_string_value(x), json_string_length(x))) {
			vd_bad(c, p2.buf, "'%s' is not a known ecosystem",
			    vd_q(&q, json_string_value(x),
				json_string_length(x)));
			goto out;
		}
		vd_path_key(&p2, p.buf, "name");
		if (!vd_want_string(c, p2.buf, y))
			goto out;
		x = json_object_get(pkg, "purl");
		vd_path_key(&p2, p.buf, "purl");
		if (x != NULL && !vd_want_string(c, p2.buf, x))
			goto out;
	}
	if ((x = json_object_get(a, "severity")) != NULL) {
		vd_path_key(&p, path, "severity");
		if (!vd_check_severity(c, p.buf, x))
			goto out;
		/* Top-level allOf: with a record severity, a package
		 * severity must be null. */
		if (c->top_severity && !json_is_null(x)) {
			vd_bad(c, p.buf, "must be null when the record has a "
					 "top-level severity");
			goto out;
		}
	}
	if ((x = json_object_get(a, "ranges")) != NULL) {
		vd_path_key(&p, path, "ranges");
		if (!json_is_array(x)) {
			vd_bad(c, p.buf, "must be an array, not %s",
			    vd_type_name(x));
			goto out;
		}
		json_array_foreach(x, i, y) {
			vd_path_idx(&p2, p.buf, i);
			if (!vd_check_range(c, p2.buf, y))
				goto out;
		}
	}
	if ((x = json_object_get(a, "versions")) != NULL) {
		vd_path_key(&p, path, "versions");
		if (!vd_want_strings(c, p.buf, x, false))
			goto out;
	}
	if ((x = json_object_get(a, "ecosystem_specific")) != NULL) {
		vd_path_key(&p, path, "ecosystem_specific");
		if (!vd_want_object(c, p.buf, x))
			goto out;
	}
	if ((x = json_object_get(a, "database_specific")) != NULL) {
		vd_path_key(&p, path, "database_specific");
		if (!vd_want_object(c, p.buf, x))
			goto out;
	}
	ok = true;
out:
	sbuf_release(&p);
	sbuf_release(&p2);
	sbuf_release(&q);
	return ok;
}

/* An array (or null, when nullable) of objects checked by fn. */
static bool
vd_check_list(struct vd_chk *c, const char *key, const json_t *v,
    bool nullable, bool (*fn)(struct vd_chk *, const char *, const json_t *))
{
	struct sbuf p = SBUF_INIT;
	json_t *x;
	size_t i;
	bool ok = true;

	if (nullable && json_is_null(v))
		return true;
	if (!json_is_array(v))
		return vd_bad(c, key, "must be an array%s, not %s",
		    nullable ? " or null" : "", vd_type_name(v));
	json_array_foreach(v, i, x) {
		vd_path_idx(&p, key, i);
		if (!(ok = fn(c, p.buf, x)))
			break;
	}
	sbuf_release(&p);
	return ok;
}

static bool
vd_check_reference(struct vd_chk *c, const char *path, const json_t *r)
{
	static const char *const types[] = { "ADVISORY", "ARTICLE",
		"DETECTION", "DISCUSSION", "REPORT", "FIX", "INTRODUCED", "GIT",
		"PACKAGE", "EVIDENCE", "WEB" };
	struct sbuf p = SBUF_INIT;
	json_t *t, *u;
	bool ok = false;

	if (!vd_want_object(c, path, r))
		return false;
	t = json_object_get(r, "type");
	u = json_object_get(r, "url");
	if (t == NULL || u == NULL) {
		vd_bad(c, path, "'%s' is required", t == NULL ? "type" : "url");
		goto out;
	}
	vd_path_key(&p, path, "type");
	if (!vd_want_enum(c, p.buf, t, types, ARRAY_SIZE(types)))
		goto out;
	vd_path_key(&p, path, "url");
	ok = vd_want_string(c, p.buf, u);
out:
	sbuf_release(&p);
	return ok;
}

static bool
vd_check_credit(struct vd_chk *c, const char *path, const json_t *r)
{
	static const char *const types[] = { "FINDER", "REPORTER", "ANALYST",
		"COORDINATOR", "REMEDIATION_DEVELOPER", "REMEDIATION_REVIEWER",
		"REMEDIATION_VERIFIER", "TOOL", "SPONSOR", "OTHER" };
	struct sbuf p = SBUF_INIT;
	json_t *x;
	bool ok = false;

	if (!vd_want_object(c, path, r))
		return false;
	if ((x = json_object_get(r, "name")) == NULL) {
		vd_bad(c, path, "'name' is required");
		goto out;
	}
	vd_path_key(&p, path, "name");
	if (!vd_want_string(c, p.buf, x))
		goto out;
	if ((x = json_object_get(r, "contact")) != NULL) {
		vd_path_key(&p, path, "contact");
		if (!vd_want_strings(c, p.buf, x, false))
			goto out;
	}
	if ((x = json_object_get(r, "type")) != NULL) {
		vd_path_key(&p, path, "type");
		if (!vd_want_enum(c, p.buf, x, types, ARRAY_SIZE(types)))
			goto out;
	}
	ok = true;
out:
	sbuf_release(&p);
	return ok;
}

/* The whole record. why (may be NULL) gets the first reason. */
static bool
vd_check_record(const json_t *r, struct sbuf *why)
{
	static const char *const known[] = { "schema_version", "id",
		"modified", "published", "withdrawn", "aliases", "related",
		"upstream", "summary", "details", "severity", "affected",
		"references", "credits", "database_specific" };
	struct vd_chk c = { why, false };
	struct sbuf q = SBUF_INIT;
	const char *key;
	json_t *v;
	size_t i;
	bool ok = false;

	if (!json_is_object(r))
		return vd_bad(&c, "record", "must be an object, not %s",
		    vd_type_name(r));
	/* "required": ["id", "modified"] */
	if (json_object_get(r, "id") == NULL)
		return vd_bad(&c, "record", "'id' is required");
	if (json_object_get(r, "modified") == NULL)
		return vd_bad(&c, "record", "'modified' is required");
	c.top_severity = json_object_get(r, "severity") != NULL;
	json_object_foreach((json_t *)r, key, v) {
		for (i = 0; i < ARRAY_SIZE(known); i++)
			if (strcmp(key, known[i]) == 0)
				break;
		/* "additionalProperties": false */
		if (i == ARRAY_SIZE(known)) {
			vd_bad(&c, "record", "unknown property '%s'",
			    vd_q(&q, key, strlen(key)));
			goto out;
		}
		switch (i) {
		case 1: /* id */
			if (!vd_want_string(&c, key, v))
				goto out;
			if (!vd_id_ok(json_string_value(v),
				json_string_length(v))) {
				vd_bad(&c, key, "'%s' does not start with a "
						"known database prefix",
				    vd_q(&q, json_string_value(v),
					json_string_length(v)));
				goto out;
			}
			break;
		case 2: /* modified */
		case 3: /* published */
		case 4: /* withdrawn */
			if (!vd_want_string(&c, key, v))
				goto out;
			if (!vd_ts_ok(json_string_value(v),
				json_string_length(v))) {
				vd_bad(&c, key, "'%s' holds no RFC 3339 UTC "
						"time (YYYY-MM-DDTHH:MM:SSZ)",
				    vd_q(&q, json_string_value(v),
					json_string_length(v)));
				goto out;
			}
			break;
		case 5: /* aliases */
			if (!vd_want_strings(&c, key, v, true))
				goto out;
			break;
		case 6: /* related */
		case 7: /* upstream */
			if (!vd_want_strings(&c, key, v, false))
				goto out;
			break;
		case 0: /* schema_version */
		case 8: /* summary */
		case 9: /* details */
			if (!vd_want_string(&c, key, v))
				goto out;
			break;
		case 10: /* severity */
			if (!vd_check_severity(&c, key, v))
				goto out;
			break;
		case 11: /* affected */
			if (!vd_check_list(&c, key, v, true, vd_check_affected))
				goto out;
			break;
		case 12: /* references */
			if (!vd_check_list(&c, key, v, true,
				vd_check_reference))
				goto out;
			break;
		case 13: /* credits */
			if (!vd_check_list(&c, key, v, false, vd_check_credit))
				goto out;
			break;
		case 14: /* database_specific */
			if (!vd_want_object(&c, key, v))
				goto out;
			break;
		}
	}
	ok = true;
out:
	sbuf_release(&q);
	return ok;
}

int
vulndb_check_text(const char *text, size_t len, struct sbuf *why)
{
	json_error_t jerr;
	json_t *r;
	bool ok;

	r = json_loadb(text, len, 0, &jerr);
	if (r == NULL) {
		if (why)
			sbuf_addf(why, "not JSON: line %d column %d: %s",
			    jerr.line, jerr.column, jerr.text);
		return DD_EFORMAT;
	}
	ok = vd_check_record(r, why);
	json_decref(r);
	return ok ? 1 : 0;
}

/* ---- loading ---- */

struct vd_imp {
	struct store *s;
	vulndb_note_fn note;
	void *user;
	struct vulndb_stats st;
	struct sha *files;  /* over lp(path) lp(sha256) of each file read */
	json_t *list;	    /* [{path, sha256}] of the first files */
	int64_t max_rowid;  /* vuln_affected rows at the start */
	size_t valid;	    /* valid records seen */
};

/* Files listed by name in the custody row (beyond: only the digest). */
#define VD_LIST_MAX 64

DD_PRINTF(3, 4)
static void
vd_note(struct vd_imp *im, const char *file, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	if (im->note == NULL)
		return;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	im->note(im->user, file, sb.buf);
	sbuf_release(&sb);
}

static void
vd_lp(struct sha *h, const char *s)
{
	uint64_t n = strlen(s);
	uint8_t b[8];
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)(n & 0xff);
		n >>= 8;
	}
	sha_update(h, b, 8);
	sha_update(h, s, strlen(s));
}

/* Bind a JSON string (or NULL when v is not one). */
static void
vd_bind_str(sqlite3_stmt *st, int i, const json_t *v)
{
	if (json_is_string(v))
		sqlite3_bind_text(st, i, json_string_value(v),
		    (int)json_string_length(v), SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Bind v as compact JSON text (NULL when absent or null). */
static void
vd_bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	char *t;

	if (v == NULL || json_is_null(v)) {
		sqlite3_bind_null(st, i);
		return;
	}
	t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (t == NULL)
		BUG("json_dumps failed");
	sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
	free(t);
}

/* The severity array stored for a record (see vulndb.h); NULL for none.
 * Owned by the caller. */
static json_t *
vd_severity_of(const json_t *r)
{
	json_t *out = json_array(), *x, *a, *ds;
	size_t i, k;

	x = json_object_get(r, "severity");
	if (json_is_array(x))
		json_array_extend(out, x);
	if (json_array_size(out) == 0) {
		json_array_foreach(json_object_get(r, "affected"), i, a) {
			json_t *y = json_object_get(a, "severity"), *z;

			json_array_foreach(y, k, z)
				json_array_append(out, z);
		}
	}
	ds = json_object_get(json_object_get(r, "database_specific"),
	    "severity");
	if (json_is_string(ds))
		json_array_append_new(out,
		    json_pack("{s:s, s:O}", "type", "DATABASE_SPECIFIC",
			"score", ds));
	if (json_array_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* a is later than b (RFC 3339 instants; else bytewise). */
static bool
vd_later(const char *a, const char *b)
{
	int64_t ta, tb;

	if (time_parse(a, &ta) && time_parse(b, &tb))
		return ta > tb;
	return strcmp(a, b) > 0;
}

/* Write one valid record. */
static int
vd_store(struct vd_imp *im, const json_t *r, const char *file,
    const char *sha, struct dd_err *e)
{
	struct store *s = im->s;
	const char *id = json_string_value(json_object_get(r, "id"));
	const char *mod = json_string_value(json_object_get(r, "modified"));
	sqlite3_stmt *st;
	json_t *sev, *a;
	bool exists = false, seen = false;
	size_t i;
	int rc;

	st = store_stmt(s, "SELECT modified FROM vulns WHERE id = ?1", e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(st, 0);

		exists = true;
		if (!vd_later(mod, old ? old : "")) {
			sqlite3_reset(st);
			im->st.kept++;
			return 0;
		}
	} else if (rc != SQLITE_DONE) {
		return store_sqlerr(s, e, "reading vulns");
	}
	sqlite3_reset(st);
	if (exists) {
		/* Rows written by this import go now; older rows at the end,
		 * in one pass (vuln_affected has no index on vuln_id). */
		st = store_stmt(s,
		    "SELECT 1 FROM temp.vulndb_seen WHERE id = ?1", e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		seen = rc == SQLITE_ROW;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_sqlerr(s, e, "reading the import's ids");
		if (seen) {
			st = store_stmt(s, "DELETE FROM vuln_affected WHERE "
					   "rowid > ?1 AND vuln_id = ?2",
			    e);
			if (st == NULL)
				return DD_ESQL;
			sqlite3_bind_int64(st, 1, im->max_rowid);
			sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
			if ((rc = store_step_done(s, st, e)) < 0)
				return rc;
		}
		im->st.replaced++;
	} else {
		im->st.added++;
	}
	st = store_stmt(s, "INSERT OR IGNORE INTO temp.vulndb_seen(id, old) "
			   "VALUES (?1, ?2)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, exists && !seen);
	if ((rc = store_step_done(s, st, e)) < 0)
		return rc;

	st = store_stmt(s, "INSERT OR REPLACE INTO vulns(id, modified, "
			   "published, withdrawn, summary, details, aliases, "
			   "severity, source, sha256) VALUES (?1, ?2, ?3, ?4, "
			   "?5, ?6, ?7, ?8, ?9, ?10)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, mod, -1, SQLITE_TRANSIENT);
	vd_bind_str(st, 3, json_object_get(r, "published"));
	vd_bind_str(st, 4, json_object_get(r, "withdrawn"));
	vd_bind_str(st, 5, json_object_get(r, "summary"));
	vd_bind_str(st, 6, json_object_get(r, "details"));
	vd_bind_json(st, 7, json_object_get(r, "aliases"));
	sev = vd_severity_of(r);
	vd_bind_json(st, 8, sev);
	json_decref(sev);
	sqlite3_bind_text(st, 9, file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, sha, -1, SQLITE_TRANSIENT);
	if ((rc = store_step_done(s, st, e)) < 0)
		return rc;

	json_array_foreach(json_object_get(r, "affected"), i, a) {
		json_t *pkg = json_object_get(a, "package");

		/* Without a package (GIT-only entries) nothing installed
		 * can match it. */
		if (pkg == NULL)
			continue;
		st = store_stmt(s, "INSERT INTO vuln_affected(vuln_id, "
				   "ecosystem, name, purl, ranges, versions) "
				   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		vd_bind_str(st, 2, json_object_get(pkg, "ecosystem"));
		vd_bind_str(st, 3, json_object_get(pkg, "name"));
		vd_bind_str(st, 4, json_object_get(pkg, "purl"));
		vd_bind_json(st, 5, json_object_get(a, "ranges"));
		vd_bind_json(st, 6, json_object_get(a, "versions"));
		if ((rc = store_step_done(s, st, e)) < 0)
			return rc;
		im->st.affected++;
	}
	return 0;
}

/* One record of a file: check, then store. idx is its position in an
 * array file, or -1 for a file holding one record. */
static int
vd_record(struct vd_imp *im, const json_t *r, long idx, const char *file,
    const char *sha, struct dd_err *e)
{
	struct sbuf why = SBUF_INIT, lbl = SBUF_INIT;
	json_t *id = json_object_get(r, "id");
	int rc = 0;

	if (++im->st.records > VULNDB_RECORDS_MAX)
		return dd_err_set(e, DD_ELIMIT,
		    "more than %u records: split the import",
		    VULNDB_RECORDS_MAX);
	if (vd_check_record(r, &why)) {
		im->valid++;
		rc = vd_store(im, r, file, sha, e);
		goto out;
	}
	im->st.invalid++;
	if (idx >= 0)
		sbuf_addf(&lbl, "record %ld", idx);
	else
		sbuf_addstr(&lbl, "record");
	if (json_is_string(id)) {
		sbuf_addstr(&lbl, " '");
		esc_display(&lbl, json_string_value(id),
		    MIN(json_string_length(id), (size_t)LIM_MSG_STR));
		sbuf_addch(&lbl, '\'');
	}
	vd_note(im, file, "%s skipped: %s", lbl.buf, why.buf);
out:
	sbuf_release(&why);
	sbuf_release(&lbl);
	return rc;
}

/* Read a whole file of at most VULNDB_FILE_MAX bytes: a regular file
 * when walked, anything readable but a directory when named (a pipe from
 * process substitution too). Returns 0, 1 when it was skipped (noted), or
 * DD_EIO when named and unreadable. */
static int
vd_read(struct vd_imp *im, const char *path, bool explicit, char **buf,
    size_t *len, struct dd_err *e)
{
	struct stat sb;
	size_t n = 0, cap;
	ssize_t k = 0;
	char *p;
	int fd, err;

	*buf = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | (explicit ? 0 : O_NONBLOCK));
	if (fd < 0 || fstat(fd, &sb) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		if (explicit)
			return dd_err_set(e, DD_EIO, "cannot open '%s': %s",
			    path, strerror(err));
		vd_note(im, path, "cannot open: %s: skipped", strerror(err));
		im->st.bad_files++;
		return 1;
	}
	if (!explicit && !S_ISREG(sb.st_mode)) {
		close(fd);
		return 1;
	}
	if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > VULNDB_FILE_MAX) {
		close(fd);
		vd_note(im, path, "larger than %u MiB: skipped",
		    VULNDB_FILE_MAX >> 20);
		im->st.bad_files++;
		return 1;
	}
	cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 65536;
	p = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > VULNDB_FILE_MAX)
				break;
			cap = MIN(cap * 2, (size_t)VULNDB_FILE_MAX + 1);
			p = xrealloc(p, cap);
		}
		k = read(fd, p + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	err = errno;
	close(fd);
	if (k < 0 || n > VULNDB_FILE_MAX) {
		free(p);
		if (k < 0)
			vd_note(im, path, "%s: skipped", strerror(err));
		else
			vd_note(im, path, "larger than %u MiB: skipped",
			    VULNDB_FILE_MAX >> 20);
		im->st.bad_files++;
		return 1;
	}
	*buf = p;
	*len = n;
	return 0;
}

static int
vd_file(struct vd_imp *im, const char *path, bool explicit, struct dd_err *e)
{
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX];
	json_error_t jerr;
	json_t *root = NULL, *x;
	char *buf = NULL;
	size_t len = 0, i;
	int rc;

	if (im->st.files >= VULNDB_RECORDS_MAX)
		return dd_err_set(e, DD_ELIMIT,
		    "more than %u files: split the import",
		    VULNDB_RECORDS_MAX);
	if ((rc = vd_read(im, path, explicit, &buf, &len, e)) != 0)
		return rc < 0 ? rc : 0;
	im->st.files++;
	im->st.bytes += len;
	sha256(buf, len, d);
	hex_encode(d, SHA256_LEN, hex);
	vd_lp(im->files, path);
	vd_lp(im->files, hex);
	if (json_array_size(im->list) < VD_LIST_MAX)
		json_array_append_new(im->list,
		    json_pack("{s:s, s:s}", "path", path, "sha256", hex));
	root = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (root == NULL) {
		vd_note(im, path, "not JSON (line %d, column %d: %s): skipped",
		    jerr.line, jerr.column, jerr.text);
		im->st.bad_files++;
		return 0;
	}
	rc = 0;
	if (json_is_array(root)) {
		json_array_foreach(root, i, x) {
			if ((rc = vd_record(im, x, (long)i, path, hex, e)) < 0)
				break;
		}
	} else {
		rc = vd_record(im, root, -1, path, hex, e);
	}
	json_decref(root);
	return rc;
}

static int
vd_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool
vd_is_json_name(const char *n)
{
	size_t k = strlen(n);

	return k > 5 && strcmp(n + k - 5, ".json") == 0;
}

static int
vd_dir(struct vd_imp *im, const char *dir, int depth, struct dd_err *e)
{
	struct dirent **ents = NULL;
	int k, i, rc = 0;

	if (depth > LIM_DIR_DEPTH) {
		vd_note(im, dir, "deeper than %d directories: not walked",
		    LIM_DIR_DEPTH);
		return 0;
	}
	k = scandir(dir, &ents, NULL, vd_name_cmp);
	if (k < 0) {
		if (depth == 0)
			return dd_err_set(e, DD_EIO, "cannot read '%s': %s",
			    dir, strerror(errno));
		vd_note(im, dir, "cannot read: %s: skipped", strerror(errno));
		return 0;
	}
	for (i = 0; i < k; i++) {
		const char *n = ents[i]->d_name;
		struct stat sb;
		char *p;

		if (rc < 0 || strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			goto next;
		p = xasprintf("%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", n);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = vd_dir(im, p, depth + 1, e);
		else if (vd_is_json_name(n) && stat(p, &sb) == 0 &&
		    S_ISREG(sb.st_mode))
			rc = vd_file(im, p, false, e);
		free(p);
	next:
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
vulndb_import(struct store *s, const char *const *paths, size_t n,
    vulndb_note_fn note, void *user, struct vulndb_stats *st,
    char head[SHA256_HEX], struct dd_err *e)
{
	struct vd_imp im;
	sqlite3_stmt *q;
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX], *detail = NULL;
	json_t *o = NULL, *inputs;
	size_t i;
	int rc;

	memset(&im, 0, sizeof(im));
	im.s = s;
	im.note = note;
	im.user = user;
	im.files = sha_new();
	im.list = json_array();
	if (head)
		head[0] = '\0';
	if ((rc = store_begin(s, e)) < 0)
		goto done;
	if ((rc = store_exec(s,
		 "CREATE TEMP TABLE IF NOT EXISTS vulndb_seen(id TEXT "
		 "PRIMARY KEY, old INTEGER NOT NULL); "
		 "DELETE FROM temp.vulndb_seen",
		 e)) < 0)
		goto fail;
	q = store_stmt(s, "SELECT coalesce(max(rowid), 0) FROM vuln_affected",
	    e);
	if (q == NULL) {
		rc = DD_ESQL;
		goto fail;
	}
	if (sqlite3_step(q) != SQLITE_ROW) {
		rc = store_sqlerr(s, e, "reading vuln_affected");
		goto fail;
	}
	im.max_rowid = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);

	for (i = 0; i < n; i++) {
		struct stat sb;

		if (stat(paths[i], &sb) < 0) {
			rc = dd_err_set(e, DD_EIO, "cannot open '%s': %s",
			    paths[i], strerror(errno));
			goto fail;
		}
		if (S_ISDIR(sb.st_mode))
			rc = vd_dir(&im, paths[i], 0, e);
		else
			rc = vd_file(&im, paths[i], true, e);
		if (rc < 0)
			goto fail;
	}
	if (im.valid == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "no valid OSV record in %zu file%s (%zu invalid record%s, "
		    "%zu unreadable or non-JSON file%s)",
		    im.st.files, im.st.files == 1 ? "" : "s", im.st.invalid,
		    im.st.invalid == 1 ? "" : "s", im.st.bad_files,
		    im.st.bad_files == 1 ? "" : "s");
		goto fail;
	}
	q = store_stmt(s, "DELETE FROM vuln_affected WHERE rowid <= ?1 AND "
			  "vuln_id IN (SELECT id FROM temp.vulndb_seen WHERE "
			  "old = 1)",
	    e);
	if (q == NULL) {
		rc = DD_ESQL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, im.max_rowid);
	if ((rc = store_step_done(s, q, e)) < 0)
		goto fail;
	if ((rc = store_exec(s, "DROP TABLE temp.vulndb_seen", e)) < 0)
		goto fail;

	sha_final(im.files, d);
	hex_encode(d, SHA256_LEN, hex);
	inputs = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(inputs, json_string(paths[i]));
	o = json_pack("{s:o, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, "
		      "s:I}",
	    "inputs", inputs, "files", (json_int_t)im.st.files, "bytes",
	    (json_int_t)im.st.bytes, "files_sha256", hex, "records",
	    (json_int_t)im.st.records, "invalid", (json_int_t)im.st.invalid,
	    "bad_files", (json_int_t)im.st.bad_files, "added",
	    (json_int_t)im.st.added, "replaced", (json_int_t)im.st.replaced,
	    "kept", (json_int_t)im.st.kept, "affected_rows",
	    (json_int_t)im.st.affected);
	if (o == NULL)
		BUG("json_pack failed");
	if (im.st.files <= VD_LIST_MAX)
		json_object_set(o, "file_list", im.list);
	detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if ((rc = custody_append(s, "vulndb_import", detail, head, e)) < 0)
		goto fail;
	if ((rc = store_commit(s, e)) < 0)
		goto done;
	rc = 0;
	goto done;
fail:
	store_rollback(s);
	(void)store_exec(s, "DROP TABLE IF EXISTS temp.vulndb_seen", NULL);
	if (head)
		head[0] = '\0';
done:
	if (st)
		*st = im.st;
	free(detail);
	json_decref(o);
	json_decref(im.list);
	sha_free(im.files);
	return rc;
}

/* ---- matching ---- */

static const char *
vd_dup(struct arena *a, const json_t *v)
{
	return arena_strndup(a, json_string_value(v), json_string_length(v));
}

int
vulndb_affected_parse(struct arena *a, const char *ranges,
    const char *versions, struct vulndb_affected *out, struct dd_err *e)
{
	json_error_t jerr;
	json_t *rj = NULL, *vj = NULL, *r, *x;
	size_t i, k, n;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (ranges != NULL &&
	    (rj = json_loads(ranges, JSON_DECODE_ANY, &jerr)) == NULL)
		return dd_err_set(e, DD_EFORMAT, "ranges: %s", jerr.text);
	if (versions != NULL &&
	    (vj = json_loads(versions, JSON_DECODE_ANY, &jerr)) == NULL) {
		rc = dd_err_set(e, DD_EFORMAT, "versions: %s", jerr.text);
		goto out;
	}
	if ((rj != NULL && !json_is_array(rj) && !json_is_null(rj)) ||
	    (vj != NULL && !json_is_array(vj) && !json_is_null(vj))) {
		rc = dd_err_set(e, DD_EFORMAT, "ranges and versions must be "
					       "arrays");
		goto out;
	}
	if (json_array_size(rj) > 0) {
		out->ranges = arena_zalloc(a,
		    json_array_size(rj) * sizeof(*out->ranges));
		json_array_foreach(rj, i, r) {
			struct vulndb_range *g = &out->ranges[out->nranges];
			json_t *t = json_object_get(r, "type");
			json_t *ev = json_object_get(r, "events");

			if (!json_is_string(t) || !json_is_array(ev))
				continue;
			g->type = vd_dup(a, t);
			g->ev = arena_zalloc(a,
			    (json_array_size(ev) + 1) * sizeof(*g->ev));
			json_array_foreach(ev, k, x) {
				int nb, ng, kind;

				if (!json_is_object(x))
					continue;
				vd_event_branches(x, &nb, &ng, &kind);
				if (nb != 1)
					continue;
				g->ev[g->nev].kind = kind == 0 ?
				    VULNDB_INTRODUCED :
				    kind == 1 ? VULNDB_LAST_AFFECTED :
				    kind == 2 ? VULNDB_FIXED : VULNDB_LIMIT;
				g->ev[g->nev].version = vd_dup(a,
				    json_object_get(x, vd_ev_keys[kind]));
				g->nev++;
			}
			out->nranges++;
		}
	}
	n = json_array_size(vj);
	if (n > 0) {
		out->versions = arena_zalloc(a, n * sizeof(*out->versions));
		json_array_foreach(vj, i, x)
			if (json_is_string(x))
				out->versions[out->nversions++] = vd_dup(a, x);
	}
out:
	json_decref(rj);
	json_decref(vj);
	return rc;
}

/* One event in sort order. */
struct vd_sev {
	const struct vulndb_event *ev;
	size_t idx;
	bool zero; /* introduced "0": before every version */
};

static int
vd_sev_cmp(const void *pa, const void *pb, void *arg)
{
	const struct vd_sev *a = pa, *b = pb;
	enum ver_scheme s = *(const enum ver_scheme *)arg;
	int c;

	if (a->zero != b->zero)
		return a->zero ? -1 : 1;
	if (!a->zero) {
		c = ver_cmp(s, a->ev->version, b->ev->version);
		if (c != 0)
			return c;
	}
	if (a->ev->kind != b->ev->kind)
		return a->ev->kind < b->ev->kind ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

bool
vulndb_range_affects(struct arena *scratch, enum ver_scheme s,
    const struct vulndb_range *r, const char *v, struct vulndb_hit *hit)
{
	struct vd_sev *ord;
	const char *limit = NULL;
	bool any_limit = false, below = false, vuln = false;
	size_t i, n = 0, lo = 0;

	if (r->type == NULL)
		return false;
	if (strcmp(r->type, "SEMVER") == 0)
		s = VER_SEMVER;
	else if (strcmp(r->type, "ECOSYSTEM") != 0)
		return false;
	/* BeforeLimits: no limit is an implicit "*". */
	for (i = 0; i < r->nev; i++) {
		const struct vulndb_event *ev = &r->ev[i];

		if (ev->kind != VULNDB_LIMIT)
			continue;
		any_limit = true;
		if (strchr(ev->version, '*') != NULL) {
			below = true;
		} else if (ver_cmp(s, v, ev->version) < 0) {
			below = true;
			if (limit == NULL || ver_cmp(s, ev->version, limit) < 0)
				limit = ev->version;
		}
	}
	if (any_limit && !below)
		return false;
	if (r->nev == 0)
		return false;
	ord = arena_alloc(scratch, r->nev * sizeof(*ord));
	for (i = 0; i < r->nev; i++) {
		if (r->ev[i].kind == VULNDB_LIMIT)
			continue;
		ord[n].ev = &r->ev[i];
		ord[n].idx = i;
		ord[n].zero = r->ev[i].kind == VULNDB_INTRODUCED &&
		    strcmp(r->ev[i].version, "0") == 0;
		n++;
	}
	qsort_r(ord, n, sizeof(*ord), vd_sev_cmp, &s);
	for (i = 0; i < n; i++) {
		const struct vulndb_event *ev = ord[i].ev;

		switch (ev->kind) {
		case VULNDB_INTRODUCED:
			if (ord[i].zero || ver_cmp(s, v, ev->version) >= 0) {
				vuln = true;
				lo = i;
			}
			break;
		case VULNDB_FIXED:
			if (ver_cmp(s, v, ev->version) >= 0)
				vuln = false;
			break;
		case VULNDB_LAST_AFFECTED:
			if (ver_cmp(s, v, ev->version) > 0)
				vuln = false;
			break;
		case VULNDB_LIMIT:
			break;
		}
	}
	if (!vuln)
		return false;
	if (hit != NULL) {
		memset(hit, 0, sizeof(*hit));
		hit->type = r->type;
		hit->introduced = ord[lo].ev->version;
		hit->limit = limit;
		for (i = lo + 1; i < n; i++) {
			if (ord[i].ev->kind == VULNDB_FIXED) {
				hit->fixed = ord[i].ev->version;
				break;
			}
			if (ord[i].ev->kind == VULNDB_LAST_AFFECTED) {
				hit->last_affected = ord[i].ev->version;
				break;
			}
		}
	}
	return true;
}

bool
vulndb_affects(struct arena *scratch, enum ver_scheme s,
    const struct vulndb_affected *af, const char *v, struct vulndb_hit *hit)
{
	bool vv = ver_valid(s, v);
	size_t i;

	for (i = 0; i < af->nversions; i++) {
		const char *x = af->versions[i];

		if (strcmp(x, v) == 0 ||
		    (vv && ver_valid(s, x) && ver_cmp(s, v, x) == 0)) {
			if (hit != NULL) {
				memset(hit, 0, sizeof(*hit));
				hit->listed = true;
			}
			return true;
		}
	}
	for (i = 0; i < af->nranges; i++) {
		if (vulndb_range_affects(scratch, s, &af->ranges[i], v, hit)) {
			if (hit != NULL)
				hit->range = i;
			return true;
		}
	}
	return false;
}

size_t
vulndb_eco_len(const char *eco)
{
	const char *c = strchr(eco, ':');

	return c ? (size_t)(c - eco) : strlen(eco);
}

bool
vulndb_eco_same(const char *a, const char *b)
{
	size_t n = vulndb_eco_len(a);

	return n == vulndb_eco_len(b) && memcmp(a, b, n) == 0;
}

void
vulndb_name_key(const char *eco, const char *name, struct sbuf *out)
{
	size_t i;

	if (!vulndb_eco_same(eco, "PyPI")) {
		sbuf_addstr(out, name);
		return;
	}
	/* PEP 503: re.sub(r"[-_.]+", "-", name).lower() */
	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];

		if (c == '-' || c == '_' || c == '.') {
			char b = i > 0 ? name[i - 1] : '-';

			if (i == 0 || (b != '-' && b != '_' && b != '.'))
				sbuf_addch(out, '-');
			continue;
		}
		sbuf_addch(out, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
}

bool
vulndb_eco_by_source(const char *eco)
{
	static const char *const by_source[] = { "Debian", "Ubuntu", "Alpine",
		"Red Hat", "Echo", "Mageia", "Rocky Linux", "openEuler",
		"openSUSE", "SUSE" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(by_source); i++)
		if (vulndb_eco_same(eco, by_source[i]))
			return true;
	return false;
}

/* ---- severity ---- */

/* The value of metric key in a '/'-separated vector (the last one when
 * repeated), or NULL; *n gets its length. */
static const char *
vd_metric(const char *vec, const char *key, size_t *n)
{
	const char *p = vec, *found = NULL, *q;
	size_t k = strlen(key);

	while (*p) {
		q = strchr(p, '/');
		if (q == NULL)
			q = p + strlen(p);
		if ((size_t)(q - p) > k && memcmp(p, key, k) == 0 &&
		    p[k] == ':') {
			found = p + k + 1;
			*n = (size_t)(q - found);
		}
		p = *q ? q + 1 : q;
	}
	return found;
}

/* The weight of metric key's value among vals ("N=0.85|L=0.62..."), or
 * false when absent or unknown. */
static bool
vd_weight(const char *vec, const char *key, const char *vals, double *w)
{
	const char *v, *p = vals;
	size_t n = 0;

	if ((v = vd_metric(vec, key, &n)) == NULL)
		return false;
	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, '|');

		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(eq - p) == n && memcmp(p, v, n) == 0) {
			*w = strtod(eq + 1, NULL);
			return true;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

/* CVSS v3.1 Roundup (specification, Appendix A): the smallest number
 * with one decimal that is >= x, computed in integers to avoid floating
 * error. */
static double
vd_roundup(double x)
{
	long long i = llround(x * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000.0) + 1.0) / 10.0;
}

bool
vulndb_cvss3_score(const char *vec, double *score)
{
	double av, ac, pr, ui, c, in, a, iss, imp, ex;
	const char *sv;
	bool changed;
	size_t n = 0;

	if (strncmp(vec, "CVSS:3.0/", 9) != 0 &&
	    strncmp(vec, "CVSS:3.1/", 9) != 0)
		return false;
	vec += 9;
	if ((sv = vd_metric(vec, "S", &n)) == NULL || n != 1 ||
	    (sv[0] != 'U' && sv[0] != 'C'))
		return false;
	changed = sv[0] == 'C';
	if (!vd_weight(vec, "AV", "N=0.85|A=0.62|L=0.55|P=0.2", &av) ||
	    !vd_weight(vec, "AC", "L=0.77|H=0.44", &ac) ||
	    !vd_weight(vec, "PR",
		changed ? "N=0.85|L=0.68|H=0.5" : "N=0.85|L=0.62|H=0.27",
		&pr) ||
	    !vd_weight(vec, "UI", "N=0.85|R=0.62", &ui) ||
	    !vd_weight(vec, "C", "H=0.56|L=0.22|N=0", &c) ||
	    !vd_weight(vec, "I", "H=0.56|L=0.22|N=0", &in) ||
	    !vd_weight(vec, "A", "H=0.56|L=0.22|N=0", &a))
		return false;
	iss = 1.0 - (1.0 - c) * (1.0 - in) * (1.0 - a);
	if (changed)
		imp = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	else
		imp = 6.42 * iss;
	ex = 8.22 * av * ac * pr * ui;
	if (imp <= 0)
		*score = 0.0;
	else if (changed)
		*score = vd_roundup(MIN(1.08 * (imp + ex), 10.0));
	else
		*score = vd_roundup(MIN(imp + ex, 10.0));
	return true;
}

bool
vulndb_cvss2_score(const char *vec, double *score)
{
	double av, ac, au, c, in, a, imp, ex, f;

	if (!vd_weight(vec, "AV", "L=0.395|A=0.646|N=1.0", &av) ||
	    !vd_weight(vec, "AC", "H=0.35|M=0.61|L=0.71", &ac) ||
	    !vd_weight(vec, "Au", "M=0.45|S=0.56|N=0.704", &au) ||
	    !vd_weight(vec, "C", "N=0|P=0.275|C=0.660", &c) ||
	    !vd_weight(vec, "I", "N=0|P=0.275|C=0.660", &in) ||
	    !vd_weight(vec, "A", "N=0|P=0.275|C=0.660", &a))
		return false;
	imp = 10.41 * (1.0 - (1.0 - c) * (1.0 - in) * (1.0 - a));
	ex = 20.0 * av * ac * au;
	f = imp == 0 ? 0.0 : 1.176;
	/* round_to_1_decimal, half up, in integers. */
	*score = (double)llround((0.6 * imp + 0.4 * ex - 1.5) * f * 10.0 +
		     1e-9) /
	    10.0;
	if (*score < 0)
		*score = 0;
	return true;
}

static const char *
vd_rate(double score, bool v2)
{
	if (score <= 0.0)
		return "info";
	if (score < 4.0)
		return "low";
	if (score < 7.0)
		return "medium";
	if (v2 || score < 9.0)
		return "high";
	return "critical";
}

const char *
vulndb_severity(const char *severity_json, double *score, const char **basis)
{
	static const char *const words[][2] = { { "critical", "critical" },
		{ "high", "high" }, { "moderate", "medium" },
		{ "medium", "medium" }, { "low", "low" },
		{ "negligible", "low" }, { "unimportant", "low" } };
	const char *ubuntu = NULL, *dbs = NULL,
		   *why = "the default (the record gives no severity)";
	double best3 = -1, best2 = -1, x;
	bool v4 = false;
	json_t *arr, *it;
	size_t i, k;
	const char *out = "medium";

	*score = -1;
	arr = severity_json ? json_loads(severity_json, 0, NULL) : NULL;
	json_array_foreach(arr, i, it) {
		const char *t = json_string_value(json_object_get(it, "type"));
		const char *s = json_string_value(json_object_get(it, "score"));

		if (t == NULL || s == NULL)
			continue;
		if (strcmp(t, "CVSS_V3") == 0 && vulndb_cvss3_score(s, &x))
			best3 = MAX(best3, x);
		else if (strcmp(t, "CVSS_V2") == 0 && vulndb_cvss2_score(s, &x))
			best2 = MAX(best2, x);
		else if (strcmp(t, "CVSS_V4") == 0)
			v4 = true;
		else if (strcmp(t, "Ubuntu") == 0 && ubuntu == NULL)
			ubuntu = s;
		else if (strcmp(t, "DATABASE_SPECIFIC") == 0 && dbs == NULL)
			dbs = s;
	}
	if (best3 >= 0) {
		*score = best3;
		out = vd_rate(best3, false);
		why = "the CVSS v3 base score";
		goto done;
	}
	if (best2 >= 0) {
		*score = best2;
		out = vd_rate(best2, true);
		why = "the CVSS v2 base score";
		goto done;
	}
	for (k = 0; k < 2; k++) {
		const char *w = k == 0 ? ubuntu : dbs;

		if (w == NULL)
			continue;
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if (strcasecmp(w, words[i][0]) == 0) {
				out = words[i][1];
				why = k == 0 ? "the Ubuntu priority" :
					       "the database's own severity";
				goto done;
			}
	}
	if (v4)
		why = "the default (the record's CVSS v4 vector is not "
		      "scored)";
done:
	json_decref(arr);
	if (basis)
		*basis = why;
	return out;
}

void
vulndb_list_text(const char *json, struct sbuf *out)
{
	json_t *a = json ? json_loads(json, 0, NULL) : NULL, *x;
	size_t i, n = 0;

	json_array_foreach(a, i, x) {
		if (!json_is_string(x))
			continue;
		if (n++ > 0)
			sbuf_addstr(out, ", ");
		sbuf_add(out, json_string_value(x), json_string_length(x));
	}
	json_decref(a);
}
