/* SPDX-License-Identifier: Apache-2.0 */
/* plugin.c: loading and hosting analyzer plugins; see plugin.h. */
#include "core/common.h"
#include "core/plugin.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <sqlite3.h>

#include <drydock/plugin.h>

#include "core/arena.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/query.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/xmalloc.h"

typedef int (*plugin_init_fn)(const struct dd_host_api *, unsigned,
    struct dd_plugin_info *);

struct plugin {
	void *dl;
	char *path;
	char digest[SHA256_HEX]; /* SHA-256 of the shared object */
	struct dd_plugin_info info;
};

/* The per-run host handle behind struct dd_host. */
struct dd_host {
	struct plugin *p;
	struct store *ro;	/* read-only connection for queries */
	struct arena arena;	/* interned strings and findings */
	struct finding *found;
	size_t nfound, afound;
	char err[512];
	plugin_log_fn log;
	void *log_user;
	/* Row conversion scratch for query callbacks. */
	dd_row_fn fn;
	void *fn_user;
};

static int plugin_api_query(struct dd_host *h, const char *sql, dd_row_fn fn,
    void *user);
static int plugin_api_emit(struct dd_host *h,
    const struct dd_plugin_finding *f);
static void plugin_api_log(struct dd_host *h, const char *msg);
static const char *plugin_api_intern(struct dd_host *h, const char *s);
static const char *plugin_api_last_error(struct dd_host *h);

static const struct dd_host_api plugin_api = {
	.version = DD_PLUGIN_API_VERSION,
	.size = sizeof(struct dd_host_api),
	.query = plugin_api_query,
	.emit = plugin_api_emit,
	.log = plugin_api_log,
	.intern = plugin_api_intern,
	.last_error = plugin_api_last_error,
};

static bool
plugin_name_ok(const char *n)
{
	const char *c;

	if (n == NULL || *n == '\0' || strlen(n) > 64)
		return false;
	for (c = n; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			*c == '_' || *c == '.' || *c == '-'))
			return false;
	return true;
}

static int
plugin_hash_file(const char *path, char out[SHA256_HEX], struct dd_err *e)
{
	uint8_t buf[65536], d[SHA256_LEN];
	struct sha *h;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return dd_err_set(e, DD_EIO, "cannot open plugin '%s': %s",
		    path, strerror(errno));
	h = sha_new();
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha_update(h, buf, (size_t)n);
	close(fd);
	sha_final(h, d);
	sha_free(h);
	if (n < 0)
		return dd_err_set(e, DD_EIO, "cannot read plugin '%s'", path);
	hex_encode(d, SHA256_LEN, out);
	return 0;
}

int
plugin_load(const char *path, struct plugin **out, struct dd_err *e)
{
	struct plugin *p;
	plugin_init_fn init;
	char *full;
	int rc;

	*out = NULL;
	p = xcalloc(1, sizeof(*p));
	p->path = xstrdup(path);
	if ((rc = plugin_hash_file(path, p->digest, e)) < 0)
		goto fail;
	/* dlopen searches the library path for names without a slash. */
	full = strchr(path, '/') ? xstrdup(path) : xasprintf("./%s", path);
	p->dl = dlopen(full, RTLD_NOW | RTLD_LOCAL);
	free(full);
	if (p->dl == NULL) {
		rc = dd_err_set(e, DD_EUNSUP, "cannot load plugin '%s': %s",
		    path, dlerror());
		goto fail;
	}
	*(void **)(&init) = dlsym(p->dl, "dd_plugin_init");
	if (init == NULL) {
		rc = dd_err_set(e, DD_EUNSUP,
		    "'%s' is not a drydock plugin (no dd_plugin_init)", path);
		goto fail;
	}
	if (init(&plugin_api, DD_PLUGIN_API_VERSION, &p->info) != 0) {
		rc = dd_err_set(e, DD_EUNSUP,
		    "plugin '%s' refused to load with host API version %u",
		    path, DD_PLUGIN_API_VERSION);
		goto fail;
	}
	if (!plugin_name_ok(p->info.name) || p->info.version == NULL ||
	    p->info.run == NULL) {
		rc = dd_err_set(e, DD_EUNSUP,
		    "plugin '%s' gave no valid name ([a-z0-9_.-]), version and "
		    "run function",
		    path);
		goto fail;
	}
	*out = p;
	return 0;
fail:
	plugin_free(p);
	return rc;
}

const char *
plugin_name(const struct plugin *p)
{
	return p->info.name;
}

const char *
plugin_version(const struct plugin *p)
{
	return p->info.version;
}

const char *
plugin_summary(const struct plugin *p)
{
	return p->info.summary ? p->info.summary : "";
}

void
plugin_free(struct plugin *p)
{
	if (p == NULL)
		return;
	/* The object stays mapped: its strings (info) may still be in use
	 * by callers printing results; the process exits soon after. */
	free(p->path);
	free(p);
}

static int
plugin_row(void *user, int ncol, const char *const *names, sqlite3_stmt *st)
{
	struct dd_host *h = user;
	const char **vals;
	struct sbuf *hexs;
	int i, rc;

	vals = xcalloc((size_t)ncol + 1, sizeof(*vals));
	hexs = xcalloc((size_t)ncol + 1, sizeof(*hexs));
	for (i = 0; i < ncol; i++) {
		sbuf_init(&hexs[i], SBUF_MAX_DEFAULT);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_NULL:
			vals[i] = NULL;
			break;
		case SQLITE_BLOB: {
			const uint8_t *b = sqlite3_column_blob(st, i);
			int n = sqlite3_column_bytes(st, i), k;
			for (k = 0; k < n; k++)
				sbuf_addf(&hexs[i], "%02x", b[k]);
			vals[i] = hexs[i].buf;
			break;
		}
		default:
			vals[i] = (const char *)sqlite3_column_text(st, i);
			break;
		}
	}
	rc = h->fn(h->fn_user, ncol, names, vals);
	for (i = 0; i < ncol; i++)
		sbuf_release(&hexs[i]);
	free(hexs);
	free(vals);
	return rc != 0 ? 1 : 0;
}

static int
plugin_api_query(struct dd_host *h, const char *sql, dd_row_fn fn,
    void *user)
{
	struct dd_err e = DD_ERR_INIT;

	if (sql == NULL || fn == NULL) {
		snprintf(h->err, sizeof(h->err), "query needs SQL and a row "
						 "callback");
		return -1;
	}
	h->fn = fn;
	h->fn_user = user;
	if (query_each(h->ro, sql, plugin_row, h, &e) < 0) {
		snprintf(h->err, sizeof(h->err), "%s", e.msg);
		return -1;
	}
	return 0;
}

static const char *
plugin_dup(struct dd_host *h, const char *s)
{
	return s ? arena_strdup(&h->arena, s) : NULL;
}

static int
plugin_api_emit(struct dd_host *h, const struct dd_plugin_finding *pf)
{
	struct finding *f;
	struct finding_ref *ev;
	const char **att;
	enum finding_sev sev;
	size_t i;

	if (pf == NULL || pf->size < sizeof(struct dd_plugin_finding) ||
	    pf->rule == NULL || pf->title == NULL || pf->severity == NULL) {
		snprintf(h->err, sizeof(h->err),
		    "a finding needs size, rule, severity and title");
		return -1;
	}
	if (!finding_sev_parse(pf->severity, &sev)) {
		snprintf(h->err, sizeof(h->err), "unknown severity '%.40s'",
		    pf->severity);
		return -1;
	}
	if (pf->nevidence > 1000 || pf->nattack > 100) {
		snprintf(h->err, sizeof(h->err), "too much evidence or ATT&CK "
						 "ids in one finding");
		return -1;
	}
	if (h->nfound == h->afound) {
		struct finding *nv;
		size_t na = h->afound ? h->afound * 2 : 16;
		nv = arena_alloc(&h->arena, na * sizeof(*nv));
		if (h->nfound)
			memcpy(nv, h->found, h->nfound * sizeof(*nv));
		h->found = nv;
		h->afound = na;
	}
	f = &h->found[h->nfound];
	memset(f, 0, sizeof(*f));
	f->rule = plugin_dup(h, pf->rule);
	f->severity = sev;
	f->confidence = pf->confidence < 0 ? 0 :
	    pf->confidence > 1		     ? 1 :
						pf->confidence;
	f->title = plugin_dup(h, pf->title);
	f->detail = plugin_dup(h, pf->detail ? pf->detail : "");
	f->ts = pf->ts;
	f->has_ts = pf->has_ts != 0;
	f->container_id = plugin_dup(h, pf->container_id);
	if (pf->nattack) {
		att = arena_alloc(&h->arena, pf->nattack * sizeof(*att));
		for (i = 0; i < pf->nattack; i++)
			att[i] = plugin_dup(h, pf->attack[i] ? pf->attack[i] :
								"");
		f->attack = att;
		f->nattack = pf->nattack;
	}
	if (pf->nevidence) {
		ev = arena_alloc(&h->arena, pf->nevidence * sizeof(*ev));
		for (i = 0; i < pf->nevidence; i++) {
			const char *r = pf->evidence[i] ? pf->evidence[i] : "";
			const char *c = strchr(r, ':');
			if (c == NULL || c == r) {
				snprintf(h->err, sizeof(h->err),
				    "evidence '%.100s' is not relation:key", r);
				return -1;
			}
			ev[i].a = arena_strndup(&h->arena, r, (size_t)(c - r));
			ev[i].b = plugin_dup(h, c + 1);
		}
		f->evidence = ev;
		f->nevidence = pf->nevidence;
	}
	h->nfound++;
	return 0;
}

static void
plugin_api_log(struct dd_host *h, const char *msg)
{
	if (h->log && msg)
		h->log(h->log_user, h->p->info.name, msg);
}

static const char *
plugin_api_intern(struct dd_host *h, const char *s)
{
	return s ? arena_strdup(&h->arena, s) : NULL;
}

static const char *
plugin_api_last_error(struct dd_host *h)
{
	return h->err;
}

int
plugin_run(struct plugin *p, struct store *s, plugin_log_fn log, void *user,
    size_t *nfindings, char head[SHA256_HEX], struct dd_err *e)
{
	struct dd_host h;
	int rc;

	*nfindings = 0;
	memset(&h, 0, sizeof(h));
	h.p = p;
	h.log = log;
	h.log_user = user;
	arena_init(&h.arena);
	if ((rc = store_open(s->path, STORE_RDONLY, &h.ro, e)) < 0)
		return rc;
	rc = p->info.run(&h, &plugin_api);
	store_close(h.ro);
	if (rc != 0) {
		rc = dd_err_set(e, DD_EINTERNAL, "plugin '%s' failed%s%s",
		    p->info.name, h.err[0] ? ": " : "", h.err);
		goto out;
	}
	rc = finding_replace(s, p->info.name, p->info.version, p->digest,
	    h.found, h.nfound, NULL, 0, head, e);
	if (rc == 0)
		*nfindings = h.nfound;
out:
	arena_release(&h.arena);
	return rc;
}
