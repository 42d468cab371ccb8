/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-layers.c: what container image layers ship (schema migration 5: the
 * images, image_layers, layers, files and fs relations, and the file
 * contents through core/imgfs.h and core/chunk.h).
 *
 * Content rules are YARA rules (libyara) read at run time from the rules
 * directory shipped next to the binary (analyzers/rules/layers, found from
 * /proc/self/exe: ../analyzers/rules/layers for build/drydock,
 * ../../analyzers/rules/layers for build/VARIANT/drydock, or
 * ../share/drydock/rules/layers when installed) plus every directory
 * DRYDOCK_LAYER_RULES names (colon separated). Each directory gives its
 * *.yar and *.yara files (in name order, each its own YARA namespace),
 * setuid-allow.txt and hidden-dirs-allow.txt. Every regular file of every
 * layer, files a later layer deleted included, is scanned when it holds
 * 1 byte to AN_LAYERS_SCAN_MAX (32 MiB); bigger ones are listed in a
 * layers.scan.incomplete finding. A content is scanned once per
 * (sha256, base name) pair: once per distinct content, unless it ships
 * under several names, because rules may test the externals `filename`
 * and `extension`. The bytes are read with blobr_pread and their SHA-256
 * is checked against the one recorded at import before they are scanned.
 * The rules text (every file, in order, with the size cap) is hashed into
 * custody. Rule metadata: id (the finding's rule after "layers."), kind
 * (secret, miner, webshell, shell, config, other), severity, attack
 * (comma separated ATT&CK ids), title; see rules/layers/README.md.
 *
 * Rules (ATT&CK ids in brackets):
 *   layers.<id from the YARA rule>
 *	a YARA rule matched a file of a layer; one finding per (rule id,
 *	layer, path). In a test, example or documentation path the
 *	severity drops one step (key fixtures, SDK examples);
 *   layers.secret.env
 *	image config ENV keys matching PASSWORD|SECRET|TOKEN|API_KEY|
 *	ACCESS_KEY|PRIVATE_KEY (any case) with a non-empty value; keys
 *	ending in _FILE, _PATH, _DIR point at secrets and are skipped
 *	[T1552.001];
 *   layers.secret.build_step
 *	a history step (RUN, ARG values, ENV later unset) assigning such a
 *	variable a literal value, passing --password/--token, or a URL
 *	with user:password@ [T1552.001];
 *   layers.hidden.secret, layers.hidden.malicious
 *	a file a secret (or miner, web shell, reverse shell) rule matched
 *	that a later layer of some image deleted or replaced: gone from
 *	the merged tree, recoverable from its layer [T1552.001; the
 *	rule's ids and T1525];
 *   layers.hidden.executable
 *	executables (mode & 0111 regular files) a later layer deleted,
 *	one finding per shipping layer (medium when one of them sat in a
 *	temporary or hidden path, else low);
 *   layers.perm.setuid
 *	setuid or setgid regular files of a merged tree not in
 *	setuid-allow.txt [T1548.001];
 *   layers.perm.world_writable
 *	world-writable files, and directories without the sticky bit, one
 *	finding per layer [T1222.002];
 *   layers.perm.tmp_executable, layers.perm.hidden_executable
 *	executables under /tmp, /var/tmp or /dev/shm; in a directory whose
 *	name starts with '.' (names in hidden-dirs-allow.txt excepted), one
 *	finding per layer [-; T1564.001];
 *   layers.config.*
 *	image configuration checks after dockle (CIS-DI-*, DKL-*) and
 *	hadolint (DL*): root_user, latest_tag, add_url, curl_pipe_sh,
 *	chmod_777, sshd, sudo, no_healthcheck, workdir_proc_fd (the runc
 *	CVE-2024-21626 "Leaky Vessels" escape) [see the README table];
 *   layers.efficiency
 *	per image, dive's numbers: efficiency score, wasted bytes, image
 *	and user bytes, plus the bytes shipped but absent from the merged
 *	tree;
 *   layers.scan.incomplete
 *	files of a layer left unscanned: over the size cap or unreadable.
 *
 * Findings never quote a secret: history steps are shown with the values
 * of secret-named assignments, password options and URL credentials
 * replaced by "***", ENV values cut to three characters (the images and
 * image_layers relations keep the originals).
 *
 * Findings about a layer (content, hidden files, permissions) are one per
 * layer and path, however many images share the layer; the detail names
 * the images and the step of each that added it. Findings about an image
 * (configuration, ENV, efficiency) are one per image, those about a
 * history step one per (image, step).
 *
 * Evidence rows: ("files", "LAYER_ID:PATH") for a file of a layer,
 * ("images", ID), ("layers", ID), ("image_layers", "IMAGE_ID:IDX") for a
 * history step. The first is the primary one.
 */
#include "core/common.h"

#include <dirent.h>
#include <fnmatch.h>
#include <regex.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include "core/lib-yara.h"

#include "analyzers/analyzer.h"
#include "analyzers/content-rules.h"
#include "analyzers/rulesdir.h"
#include "core/chunk.h"
#include "core/dderr.h"
#include "core/imgfs.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define AN_LAYERS_ENV "DRYDOCK_LAYER_RULES"
/* Files bigger than this are not scanned (listed as incomplete). */
#define AN_LAYERS_SCAN_MAX ((uint64_t)32 << 20)
/* A rules file bigger than this is refused. */
#define AN_LAYERS_RULEFILE_MAX ((size_t)4 << 20)
/* Paths listed in one aggregated finding's detail and evidence. */
#define AN_LAYERS_LIST_MAX 10

enum an_layers_kind {
	AN_LAYERS_K_SECRET,
	AN_LAYERS_K_MINER,
	AN_LAYERS_K_WEBSHELL,
	AN_LAYERS_K_SHELL,
	AN_LAYERS_K_CONFIG,
	AN_LAYERS_K_OTHER,
};

static const char *const an_layers_kinds[] = {
	"secret", "miner", "webshell", "shell", "config", "other",
};

/* ---- the rules directories ---- */

/* Everything the rules directories hold. Owned; an_layers_rset_free. */
struct an_layers_rset {
	struct rulefiles files;	   /* every file read, text hashed */
	const struct rulefile **f; /* the .yar/.yara files among them */
	size_t nf;
	char **suid;		   /* setuid-allow.txt patterns (fnmatch) */
	size_t nsuid;
	char **hid;		   /* hidden-dirs-allow.txt names */
	size_t nhid;
};

static void
an_layers_rset_free(struct an_layers_rset *rs)
{
	size_t i;

	rulefiles_free(&rs->files);
	free(rs->f);
	for (i = 0; i < rs->nsuid; i++)
		free(rs->suid[i]);
	free(rs->suid);
	for (i = 0; i < rs->nhid; i++)
		free(rs->hid[i]);
	free(rs->hid);
	memset(rs, 0, sizeof(*rs));
}

static int
an_layers_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Lines of an allow list: '#' comments, blank lines and surrounding
 * blanks dropped. */
static void
an_layers_allow_parse(const char *text, char ***v, size_t *n)
{
	const char *p = text;

	while (*p != '\0') {
		const char *eol = strchr(p, '\n'), *a, *b;
		const char *end = eol ? eol : p + strlen(p);
		const char *hash = memchr(p, '#', (size_t)(end - p));

		a = p;
		b = hash ? hash : end;
		while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t' ||
				    b[-1] == '\r'))
			b--;
		if (b > a) {
			*v = xreallocarray(*v, *n + 1, sizeof(**v));
			(*v)[(*n)++] = xasprintf("%.*s", (int)(b - a), a);
		}
		p = eol ? eol + 1 : end;
	}
}

static bool
an_layers_want(const char *nm)
{
	return rulefiles_suffix(nm, ".yar") || rulefiles_suffix(nm, ".yara") ||
	    strcmp(nm, "setuid-allow.txt") == 0 ||
	    strcmp(nm, "hidden-dirs-allow.txt") == 0;
}

/* The shipped directory, then each DRYDOCK_LAYER_RULES entry. */
static int
an_layers_rset_load(struct an_layers_rset *rs, struct dd_err *e)
{
	char header[96];
	int rc;

	memset(rs, 0, sizeof(*rs));
	snprintf(header, sizeof(header),
	    "layers analyzer rules v1\nscan_max = %" PRIu64 "\n",
	    AN_LAYERS_SCAN_MAX);
	rc = rulefiles_load(&rs->files, "layers", AN_LAYERS_ENV,
	    an_layers_want, AN_LAYERS_RULEFILE_MAX, header, e);
	if (rc < 0)
		return dd_err_prefix(e, "layers rules");
	for (size_t i = 0; i < rs->files.nf; i++) {
		const struct rulefile *f = &rs->files.f[i];
		if (strcmp(f->name, "setuid-allow.txt") == 0) {
			an_layers_allow_parse(f->text, &rs->suid, &rs->nsuid);
		} else if (strcmp(f->name, "hidden-dirs-allow.txt") == 0) {
			an_layers_allow_parse(f->text, &rs->hid, &rs->nhid);
		} else {
			rs->f = xreallocarray(rs->f, rs->nf + 1,
			    sizeof(*rs->f));
			rs->f[rs->nf++] = f;
		}
	}
	return 0;
}

/* ---- compiled YARA rules ---- */


struct an_layers_cerr {
	struct sbuf msg;
	const char *label;
	int nerr;
};

static void
an_layers_compile_cb(int level, const char *file, int line,
    const YR_RULE *rule, const char *message, void *user)
{
	struct an_layers_cerr *c = user;

	(void)file;
	(void)rule;
	if (level != YARA_ERROR_LEVEL_ERROR)
		return;
	if (c->nerr++ == 0)
		sbuf_addf(&c->msg, "%s:%d: %s", c->label, line, message);
}

static bool
an_layers_id_ok(const char *s)
{
	if (*s == '\0' || *s == '.')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			*s == '_' || *s == '.'))
			return false;
	return true;
}

static bool
an_layers_attack_ok(const char *s)
{
	while (*s != '\0') {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s), i;

		while (n > 0 && *s == ' ') {
			s++;
			n--;
		}
		if (n != 5 && n != 9)
			return false;
		if (s[0] != 'T')
			return false;
		for (i = 1; i < n; i++)
			if (!(i == 5 ? s[i] == '.' : (s[i] >= '0' &&
							  s[i] <= '9')))
				return false;
		s += n;
		if (*s == ',')
			s++;
	}
	return true;
}

/* Read the metadata of every compiled rule. */
static int
an_layers_rule_meta(YR_RULES *rules, struct an_layers_yrule **out,
    size_t *nout, struct dd_err *e)
{
	struct an_layers_yrule *v = NULL;
	YR_RULE *r;
	size_t n = 0;

	yr_rules_foreach(rules, r)
	{
		struct an_layers_yrule *y;
		const char *id = NULL, *sev = NULL, *kind = NULL;
		const char *attack = NULL, *title = NULL;
		YR_META *m;
		size_t k;
		char *lc;

		v = xreallocarray(v, n + 1, sizeof(*v));
		y = &v[n++];
		memset(y, 0, sizeof(*y));
		yr_rule_metas_foreach(r, m)
		{
			if (m->type != META_TYPE_STRING)
				continue;
			if (strcmp(m->identifier, "id") == 0)
				id = m->string;
			else if (strcmp(m->identifier, "severity") == 0)
				sev = m->string;
			else if (strcmp(m->identifier, "kind") == 0)
				kind = m->string;
			else if (strcmp(m->identifier, "attack") == 0)
				attack = m->string;
			else if (strcmp(m->identifier, "title") == 0)
				title = m->string;
		}
		y->name = xasprintf("%s:%s", r->ns->name, r->identifier);
		y->report = !RULE_IS_PRIVATE(r);
		if (id == NULL) {
			lc = xasprintf("content.%s", r->identifier);
			for (k = 0; lc[k] != '\0'; k++)
				if (lc[k] >= 'A' && lc[k] <= 'Z')
					lc[k] = (char)(lc[k] - 'A' + 'a');
			y->id = xasprintf("layers.%s", lc);
			free(lc);
		} else {
			y->id = xasprintf("layers.%s", id);
		}
		y->title = xstrdup(title ? title : r->identifier);
		y->attack = xstrdup(attack ? attack : "");
		y->sev = SEV_MEDIUM;
		y->kind = AN_LAYERS_K_OTHER;
		if (!an_layers_id_ok(y->id + 7) ||
		    (sev != NULL && !finding_sev_parse(sev, &y->sev)) ||
		    !an_layers_attack_ok(y->attack)) {
			dd_err_set(e, DD_EFORMAT,
			    "rule %s: bad metadata (id [a-z0-9_.], severity "
			    "info..critical, attack Tnnnn[.nnn] comma "
			    "separated)",
			    y->name);
			goto fail;
		}
		if (kind != NULL) {
			for (k = 0; k < ARRAY_SIZE(an_layers_kinds); k++)
				if (strcmp(kind, an_layers_kinds[k]) == 0)
					break;
			if (k == ARRAY_SIZE(an_layers_kinds)) {
				dd_err_set(e, DD_EFORMAT,
				    "rule %s: unknown kind '%s' (secret, "
				    "miner, webshell, shell, config, other)",
				    y->name, kind);
				goto fail;
			}
			y->kind = (int)k;
		}
	}
	*out = v;
	*nout = n;
	return 0;
fail:
	while (n > 0) {
		n--;
		free(v[n].id);
		free(v[n].name);
		free(v[n].title);
		free(v[n].attack);
	}
	free(v);
	return DD_EFORMAT;
}

/* Compile every rule file of rs into *out (owned: yr_rules_destroy). */
static int
an_layers_compile(const struct an_layers_rset *rs, YR_RULES **out,
    struct dd_err *e)
{
	struct an_layers_cerr c;
	YR_COMPILER *comp = NULL;
	size_t i;
	int rc = 0;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.msg = (struct sbuf)SBUF_INIT;
	if (yr_compiler_create(&comp) != ERROR_SUCCESS)
		return dd_err_set(e, DD_EINTERNAL, "yara: no compiler");
	yr_compiler_set_callback(comp, an_layers_compile_cb, &c);
	if (yr_compiler_define_string_variable(comp, "filename", "") !=
		ERROR_SUCCESS ||
	    yr_compiler_define_string_variable(comp, "extension", "") !=
		ERROR_SUCCESS) {
		rc = dd_err_set(e, DD_EINTERNAL, "yara: defining externals");
		goto out;
	}
	for (i = 0; i < rs->nf; i++) {
		c.label = rs->f[i]->path;
		/* The namespace is the file name: rules of different files
		 * may share identifiers. */
		if (yr_compiler_add_string(comp, rs->f[i]->text,
			strrchr(rs->f[i]->label, '/') + 1) != 0 ||
		    c.nerr > 0) {
			rc = dd_err_set(e, DD_EFORMAT, "%s", c.msg.buf);
			goto out;
		}
	}
	if (yr_compiler_get_rules(comp, out) != ERROR_SUCCESS)
		rc = dd_err_set(e, DD_EINTERNAL, "yara: cannot build rules");
out:
	yr_compiler_destroy(comp);
	sbuf_release(&c.msg);
	return rc;
}

/* ---- expressions over history and configuration ---- */

enum {
	AN_LAYERS_RE_ASSIGN,
	AN_LAYERS_RE_PASSOPT,
	AN_LAYERS_RE_URLCRED,
	AN_LAYERS_RE_CURLSH,
	AN_LAYERS_RE_CURLSH2,
	AN_LAYERS_RE_CHMOD,
	AN_LAYERS_RE_ADDURL,
	AN_LAYERS_RE_SUDO,
	AN_LAYERS_RE_WORKDIR,
	AN_LAYERS_RE_PROCFD,
	AN_LAYERS_RE_ENVSTEP,
	AN_LAYERS_RE_N,
};

/* POSIX extended expressions over created_by and config values. */
static const struct {
	const char *re;
	bool icase;
} an_layers_re_src[AN_LAYERS_RE_N] = {
	/* NAME=value for a secret-named variable, a literal value */
	{ "(^|[^A-Za-z0-9_])([A-Za-z0-9_]*(PASSWORD|PASSWD|SECRET|TOKEN|"
	  "API_?KEY|ACCESS_KEY|PRIVATE_KEY)[A-Za-z0-9_]*)=(\"[^\"$]+\"|'[^']+'|"
	  "[^[:space:]\"'$;&|()`][^[:space:];&|()`]*)",
	    true },
	/* --password VALUE, --token=VALUE ... */
	{ "--(password|passwd|token|api-key|secret)(=|[[:space:]]+)(\"[^\"$]+\"|"
	  "'[^']+'|[^-[:space:]\"'$;&|()`][^[:space:];&|()`]*)",
	    true },
	/* a URL with user:password@ */
	{ "[A-Za-z][A-Za-z0-9+.-]*://[^:/@[:space:]\"']+:[^@/$[:space:]\"']+@",
	    false },
	/* curl ... | sh */
	{ "(curl|wget)[^|;&]*\\|[[:space:]]*(sudo[[:space:]]+(-[^[:space:]]+"
	  "[[:space:]]+)*)?(env[[:space:]]+)?(/usr)?(/local)?(/bin/)?"
	  "(ba|z|da|k|a)?sh([[:space:]]|$|;|&|\\)|\")",
	    false },
	/* sh <(curl ...), sh -c "$(curl ...)" */
	{ "(ba|z|da|k)?sh[[:space:]]+(-[a-z]+[[:space:]]+)*(<\\(|\"?\\$\\()"
	  "[[:space:]]*(curl|wget)",
	    false },
	{ "chmod[[:space:]]+(-[A-Za-z]+[[:space:]]+)*(0?777|a\\+rwx|ugo\\+rwx)"
	  "([[:space:]]|$|;|&)",
	    false },
	{ "(^|[[:space:]])ADD[[:space:]]+(--[^[:space:]]+[[:space:]]+)*"
	  "(https?|ftp)://",
	    false },
	/* sudo where a command starts (not "apt-get install sudo") */
	{ "(^|[;&|(]|-c)[[:space:]]*sudo[[:space:]]", false },
	{ "WORKDIR[[:space:]]+/proc/(self|thread-self|[0-9]+)/(task/[0-9]+/)?"
	  "fd(/|[[:space:]]|$)",
	    false },
	{ "^/proc/(self|thread-self|[0-9]+)/(task/[0-9]+/)?fd(/|$)", false },
	/* an ENV instruction (BuildKit or the classic builder) */
	{ "(^|#\\(nop\\)[[:space:]]+)ENV[[:space:]]", false },
};

/* The compiled expressions (compiled in init). */
struct an_layers_cfg {
	struct an_layers_st *st;
	regex_t re[AN_LAYERS_RE_N];
	bool have[AN_LAYERS_RE_N];
};

static int
an_layers_cfg_init(struct an_layers_cfg *c, struct dd_err *e)
{
	size_t i;

	for (i = 0; i < AN_LAYERS_RE_N; i++) {
		if (regcomp(&c->re[i], an_layers_re_src[i].re,
			REG_EXTENDED |
			    (an_layers_re_src[i].icase ? REG_ICASE : 0)) != 0)
			return dd_err_set(e, DD_EINTERNAL,
			    "layers: expression %zu does not compile", i);
		c->have[i] = true;
	}
	return 0;
}

static void
an_layers_cfg_free(struct an_layers_cfg *c)
{
	size_t i;

	for (i = 0; i < AN_LAYERS_RE_N; i++)
		if (c->have[i])
			regfree(&c->re[i]);
	memset(c->have, 0, sizeof(c->have));
}

static bool
an_layers_re(const struct an_layers_cfg *c, int which, const char *s)
{
	return regexec(&c->re[which], s, 0, NULL, 0) == 0;
}

/* ---- run state ---- */

struct an_layers_img {
	int64_t id;
	const char *ref;     /* "" when untagged */
	const char *digest;  /* config digest */
	const char *tags, *user, *env, *ports, *workdir;
	bool health;	     /* a HEALTHCHECK is set */
};

/* One image_layers row. */
struct an_layers_step {
	int64_t image, idx;
	int64_t layer;	     /* 0: empty step or layer not in the archive */
	int64_t layer_idx;   /* -1: none */
	const char *created_by, *diff_id;
};

/* One whiteout or opaque entry of an image's layers. */
struct an_layers_wh {
	int64_t image, idx;
	const char *path;
	int kind; /* 1 whiteout, 2 opaque directory */
};

/* One regular file of a layer (the scan list). */
struct an_layers_file {
	int64_t layer;
	const char *path, *sha;
	int64_t size, mode;
	uint32_t content; /* index into st->cv (UINT32_MAX: not scanned) */
};

/* What scanning one content gave. */
struct an_layers_cval {
	uint32_t hfirst, hn; /* hits in st->hits */
	int status;	     /* 0 scanned, 1 too big, 2 unreadable */
	const char *why;     /* when unreadable */
};

/* One rule match on one content. */
struct an_layers_hit {
	uint32_t rule;	   /* index in st->yr */
	const char *str;   /* "$pem at 0, $b at 12": first offsets (arena) */
};

struct an_layers_st {
	struct an_ctx *ctx;
	struct arena *a;
	struct an_layers_cfg cfg;	/* compiled expressions */
	struct an_layers_rset rs;
	YR_RULES *rules;
	struct an_layers_yrule *yr;
	size_t nyr;
	bool yara_up;

	struct an_layers_img *img;	/* by id */
	size_t nimg, aimg;
	struct an_layers_step *step;	/* by image, idx */
	size_t nstep, astep;
	struct an_layers_step **bylayer; /* steps with a layer, by layer */
	size_t nbylayer;
	struct an_layers_wh *wh;	/* by image, idx */
	size_t nwh, awh;
	struct {
		int64_t id;
		const char *diff_id;
	} *lay;				/* layers by id */
	size_t nlay, alay;

	struct an_layers_file *file;
	size_t nfile, afile;
	struct an_layers_cval *cv;
	size_t ncv, acv;
	struct an_layers_hit *hits;
	size_t nhits, ahits;
	/* content cache: key "sha256/basename" -> cv index */
	char **ckey;
	uint32_t *cslot;
	size_t nslot;

	/* scanning */
	struct content_reader rd;
	YR_SCANNER *scanner;
	size_t scan_hfirst; /* hits of the content being scanned start here */
};

#define AN_LAYERS_PUSH(arr, n, a)                                          \
	do {                                                               \
		if ((n) == (a)) {                                          \
			(a) = (a) ? (a) * 2 : 64;                          \
			(arr) = xreallocarray((arr), (a), sizeof(*(arr))); \
		}                                                          \
	} while (0)

static const char *
an_layers_dup(struct an_layers_st *st, const char *s)
{
	return arena_strdup(st->a, s ? s : "");
}

/* ---- small helpers ---- */

/* A path in single quotes for a shell command line. */
static void
an_layers_shq(struct sbuf *sb, const char *s)
{
	sbuf_addch(sb, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			sbuf_addstr(sb, "'\\''");
		else
			sbuf_addch(sb, *s);
	}
	sbuf_addch(sb, '\'');
}

/* At most max bytes of s, with an ellipsis when cut (UTF-8 safe). */
static void
an_layers_clip(struct sbuf *sb, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max) {
		sbuf_addstr(sb, s);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	sbuf_add(sb, s, max);
	sbuf_addstr(sb, "...");
}

static const char *
an_layers_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The image's name for people: its first tag, else its config digest. */
static void
an_layers_img_name(struct sbuf *sb, const struct an_layers_img *im)
{
	if (im->ref[0] != '\0')
		sbuf_addf(sb, "'%s' (images.id %" PRId64 ")", im->ref, im->id);
	else
		sbuf_addf(sb, "%.19s (images.id %" PRId64 ")", im->digest,
		    im->id);
}

static const char *
an_layers_short_ref(const struct an_layers_img *im)
{
	return im->ref[0] != '\0' ? im->ref : im->digest;
}

static const struct an_layers_img *
an_layers_img_find(const struct an_layers_st *st, int64_t id)
{
	size_t lo = 0, hi = st->nimg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->img[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->nimg && st->img[lo].id == id ? &st->img[lo] : NULL;
}

static const char *
an_layers_diff_id(const struct an_layers_st *st, int64_t layer)
{
	size_t lo = 0, hi = st->nlay;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->lay[mid].id < layer)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->nlay && st->lay[lo].id == layer ?
	    st->lay[lo].diff_id :
	    "(unknown diff_id)";
}

/* Steps of image `image` (a range of st->step). */
static size_t
an_layers_steps_of(const struct an_layers_st *st, int64_t image,
    const struct an_layers_step **first)
{
	size_t lo = 0, hi = st->nstep, n = 0;

	if (st->nstep == 0) {
		*first = NULL;
		return 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->step[mid].image < image)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = &st->step[lo];
	while (lo + n < st->nstep && st->step[lo + n].image == image)
		n++;
	return n;
}

/* Steps that shipped layer `layer`, in (image, idx) order. */
static size_t
an_layers_steps_by_layer(const struct an_layers_st *st, int64_t layer,
    struct an_layers_step *const **first)
{
	size_t lo = 0, hi = st->nbylayer, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->bylayer[mid]->layer < layer)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = &st->bylayer[lo];
	while (lo + n < st->nbylayer && st->bylayer[lo + n]->layer == layer)
		n++;
	return n;
}

/* The history step of image that last shipped layer (NULL: none). */
static const struct an_layers_step *
an_layers_step_of(const struct an_layers_st *st, int64_t image,
    int64_t layer)
{
	const struct an_layers_step *s, *best = NULL;
	size_t n = an_layers_steps_of(st, image, &s), i;

	for (i = 0; i < n; i++)
		if (s[i].layer == layer)
			best = &s[i];
	return best;
}

static const struct an_layers_step *
an_layers_step_at(const struct an_layers_st *st, int64_t image, int64_t idx)
{
	const struct an_layers_step *s;
	size_t n = an_layers_steps_of(st, image, &s), i;

	for (i = 0; i < n; i++)
		if (s[i].idx == idx)
			return &s[i];
	return NULL;
}

/* Append text with the values of secret assignments, password options
 * and URL credentials replaced by "***" (findings never quote them; the
 * image_layers and images relations keep the originals). */
static void
an_layers_redacted(const struct an_layers_st *st, struct sbuf *sb,
    const char *text)
{
	static const int grp[] = { 4, 3, 0 };
	struct sbuf cur = SBUF_INIT, out = SBUF_INIT;
	int w;

	sbuf_addstr(&cur, text);
	for (w = AN_LAYERS_RE_ASSIGN; w <= AN_LAYERS_RE_URLCRED; w++) {
		const char *p = cur.buf;
		regmatch_t m[5];

		sbuf_reset(&out);
		while (*p != '\0' &&
		    regexec(&st->cfg.re[w], p, ARRAY_SIZE(m), m,
			p == cur.buf ? 0 : REG_NOTBOL) == 0 &&
		    m[0].rm_eo > 0) {
			regoff_t so, eo;

			if (w == AN_LAYERS_RE_URLCRED) {
				/* user:PASSWORD@ */
				eo = m[0].rm_eo - 1;
				for (so = eo; so > m[0].rm_so && p[so - 1] != ':';
				     so--)
					;
			} else {
				so = m[grp[w]].rm_so;
				eo = m[grp[w]].rm_eo;
			}
			sbuf_add(&out, p, (size_t)so);
			sbuf_addstr(&out, "***");
			sbuf_add(&out, p + eo, (size_t)(m[0].rm_eo - eo));
			p += m[0].rm_eo;
		}
		sbuf_addstr(&out, p);
		sbuf_reset(&cur);
		sbuf_add(&cur, out.buf, out.len);
	}
	sbuf_add(sb, cur.buf, cur.len);
	sbuf_release(&cur);
	sbuf_release(&out);
}

/* "history step 4 (RUN /bin/sh -c ...)", secrets redacted. */
static void
an_layers_step_text(const struct an_layers_st *st, struct sbuf *sb,
    const struct an_layers_step *s)
{
	struct sbuf r = SBUF_INIT;

	if (s == NULL) {
		sbuf_addstr(sb, "an unknown step");
		return;
	}
	sbuf_addf(sb, "history step %" PRId64 " (", s->idx);
	if (s->created_by[0] == '\0')
		sbuf_addstr(&r, "no created_by recorded");
	else
		an_layers_redacted(st, &r, s->created_by);
	an_layers_clip(sb, r.buf, 160);
	sbuf_addch(sb, ')');
	sbuf_release(&r);
}

/* Evidence rows under construction (strings copied into the arena). */
struct an_layers_ev {
	struct finding_ref *r;
	size_t n, a;
};

static void
an_layers_ev_add(struct an_layers_st *st, struct an_layers_ev *v,
    const char *rel, const char *fmt, ...) DD_PRINTF(4, 5);

static void
an_layers_ev_add(struct an_layers_st *st, struct an_layers_ev *v,
    const char *rel, const char *fmt, ...)
{
	struct sbuf k = SBUF_INIT;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	sbuf_vaddf(&k, fmt, ap);
	va_end(ap);
	for (i = 0; i < v->n; i++)
		if (strcmp(v->r[i].a, rel) == 0 && strcmp(v->r[i].b, k.buf) == 0)
			goto out;
	AN_LAYERS_PUSH(v->r, v->n, v->a);
	v->r[v->n].a = rel;
	v->r[v->n].b = arena_strdup(st->a, k.buf);
	v->n++;
out:
	sbuf_release(&k);
}

/* Emit one finding; attack is a comma separated list ("" none). */
static int
an_layers_emit(struct an_layers_st *st, const char *rule,
    enum finding_sev sev, const char *title, const char *detail,
    const char *attack, struct an_layers_ev *ev)
{
	const char *att[16];
	struct finding f;
	size_t natt = finding_attack_split(st->ctx->arena, attack, att,
	    ARRAY_SIZE(att));
	int rc;

	memset(&f, 0, sizeof(f));
	f.rule = rule;
	f.severity = sev;
	f.confidence = 1.0;
	f.title = title;
	f.detail = detail;
	f.attack = att;
	f.nattack = natt;
	f.evidence = ev->r;
	f.nevidence = ev->n;
	rc = an_emit(st->ctx, &f);
	free(ev->r);
	memset(ev, 0, sizeof(*ev));
	return rc;
}

/* ---- reading the case ---- */

static int
an_layers_img_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_st *st = user;
	struct an_layers_img *im;
	(void)e;
	AN_LAYERS_PUSH(st->img, st->nimg, st->aimg);
	im = &st->img[st->nimg++];
	im->id = rowq_int(r, 0);
	im->ref = an_layers_dup(st, rowq_text(r, 1));
	im->digest = an_layers_dup(st, rowq_text(r, 2));
	im->tags = an_layers_dup(st, rowq_text(r, 3));
	im->user = an_layers_dup(st, rowq_text(r, 4));
	im->env = an_layers_dup(st, rowq_text(r, 5));
	im->ports = an_layers_dup(st, rowq_text(r, 6));
	im->workdir = an_layers_dup(st, rowq_text(r, 7));
	/* HEALTHCHECK NONE is {"Test":["NONE"]}: none. */
	im->health = !rowq_null(r, 8) && rowq_text(r, 8)[0] != '\0' &&
	    strcmp(rowq_text(r, 8), "null") != 0 &&
	    strstr(rowq_text(r, 8), "\"NONE\"") == NULL;
	return 0;
}

static int
an_layers_step_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_st *st = user;
	struct an_layers_step *s;
	(void)e;
	AN_LAYERS_PUSH(st->step, st->nstep, st->astep);
	s = &st->step[st->nstep++];
	s->image = rowq_int(r, 0);
	s->idx = rowq_int(r, 1);
	s->layer = rowq_null(r, 2) ? 0 : rowq_int(r, 2);
	s->layer_idx = rowq_null(r, 3) ? -1 : rowq_int(r, 3);
	s->created_by = an_layers_dup(st, rowq_text(r, 4));
	s->diff_id = an_layers_dup(st, rowq_text(r, 5));
	return 0;
}

static int
an_layers_wh_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_st *st = user;
	struct an_layers_wh *w;
	(void)e;
	AN_LAYERS_PUSH(st->wh, st->nwh, st->awh);
	w = &st->wh[st->nwh++];
	w->image = rowq_int(r, 0);
	w->idx = rowq_int(r, 1);
	w->path = an_layers_dup(st, rowq_text(r, 2));
	w->kind = (int)rowq_int(r, 3);
	return 0;
}

static int
an_layers_lay_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_st *st = user;
	(void)e;
	AN_LAYERS_PUSH(st->lay, st->nlay, st->alay);
	st->lay[st->nlay].id = rowq_int(r, 0);
	st->lay[st->nlay].diff_id = an_layers_dup(st, rowq_text(r, 1));
	st->nlay++;
	return 0;
}

static int
an_layers_file_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_st *st = user;
	struct an_layers_file *f;

	(void)e;
	AN_LAYERS_PUSH(st->file, st->nfile, st->afile);
	f = &st->file[st->nfile++];
	f->layer = rowq_int(r, 0);
	f->path = an_layers_dup(st, rowq_text(r, 1));
	f->size = rowq_int(r, 2);
	f->sha = an_layers_dup(st, rowq_text(r, 3));
	f->mode = rowq_int(r, 4);
	f->content = UINT32_MAX;
	return 0;
}

static int
an_layers_cmp_bylayer(const void *a, const void *b)
{
	const struct an_layers_step *x = *(const struct an_layers_step *const *)a;
	const struct an_layers_step *y = *(const struct an_layers_step *const *)b;

	if (x->layer != y->layer)
		return x->layer < y->layer ? -1 : 1;
	if (x->image != y->image)
		return x->image < y->image ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
an_layers_read(struct an_layers_st *st, struct dd_err *e)
{
	size_t i;
	int rc;

	if ((rc = an_query(st->ctx,
		 "SELECT id, coalesce(ref, ''), config_digest, "
		 "coalesce(tags, '[]'), coalesce(user, ''), "
		 "coalesce(env, '[]'), coalesce(exposed_ports, '[]'), "
		 "coalesce(working_dir, ''), healthcheck FROM images "
		 "ORDER BY id",
		 NULL, 0, an_layers_img_row, st, e)) < 0)
		return rc;
	if ((rc = an_query(st->ctx,
		 "SELECT image_id, idx, layer_id, layer_idx, "
		 "coalesce(created_by, ''), coalesce(diff_id, '') FROM "
		 "image_layers ORDER BY image_id, idx",
		 NULL, 0, an_layers_step_row, st, e)) < 0)
		return rc;
	if ((rc = an_query(st->ctx,
		 "SELECT il.image_id, il.idx, f.path, f.whiteout FROM "
		 "image_layers il JOIN files f ON f.layer_id = il.layer_id "
		 "WHERE f.whiteout > 0 ORDER BY il.image_id, il.idx, f.path",
		 NULL, 0, an_layers_wh_row, st, e)) < 0)
		return rc;
	if ((rc = an_query(st->ctx,
		 "SELECT id, diff_id FROM layers ORDER BY id", NULL, 0,
		 an_layers_lay_row, st, e)) < 0)
		return rc;
	st->bylayer = xcalloc(st->nstep + 1, sizeof(*st->bylayer));
	for (i = 0; i < st->nstep; i++)
		if (st->step[i].layer > 0)
			st->bylayer[st->nbylayer++] = &st->step[i];
	qsort(st->bylayer, st->nbylayer, sizeof(*st->bylayer),
	    an_layers_cmp_bylayer);
	return 0;
}

/* ---- the content scan ---- */

/* Find or add key in the content cache; *fresh says it was added. */
static uint32_t
an_layers_cache(struct an_layers_st *st, const char *key, bool *fresh)
{
	uint64_t h;
	size_t i, mask;

	if ((st->ncv + 1) * 2 > st->nslot) {
		size_t ns = st->nslot ? st->nslot * 2 : 1024, k;
		uint32_t *nv = xcalloc(ns, sizeof(*nv));

		for (k = 0; k < st->ncv; k++) {
			h = hash64(0, st->ckey[k], strlen(st->ckey[k]));
			for (i = h & (ns - 1); nv[i] != 0; i = (i + 1) & (ns - 1))
				;
			nv[i] = (uint32_t)k + 1;
		}
		free(st->cslot);
		st->cslot = nv;
		st->nslot = ns;
	}
	mask = st->nslot - 1;
	h = hash64(0, key, strlen(key));
	for (i = h & mask; st->cslot[i] != 0; i = (i + 1) & mask)
		if (strcmp(st->ckey[st->cslot[i] - 1], key) == 0) {
			*fresh = false;
			return st->cslot[i] - 1;
		}
	AN_LAYERS_PUSH(st->cv, st->ncv, st->acv);
	st->ckey = xreallocarray(st->ckey, st->acv, sizeof(*st->ckey));
	st->ckey[st->ncv] = arena_strdup(st->a, key);
	memset(&st->cv[st->ncv], 0, sizeof(st->cv[st->ncv]));
	st->cslot[i] = (uint32_t)st->ncv + 1;
	*fresh = true;
	return (uint32_t)st->ncv++;
}

static int
an_layers_yara_cb(YR_SCAN_CONTEXT *context, int message, void *data,
    void *user)
{
	struct an_layers_st *st = user;
	YR_RULE *rule = data;
	YR_STRING *s;
	struct an_layers_hit *h;
	struct sbuf txt = SBUF_INIT;
	size_t idx, nstr = 0;

	if (message != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	idx = (size_t)(rule - st->rules->rules_table);
	if (idx >= st->nyr || !st->yr[idx].report)
		return CALLBACK_CONTINUE;
	AN_LAYERS_PUSH(st->hits, st->nhits, st->ahits);
	h = &st->hits[st->nhits++];
	h->rule = (uint32_t)idx;
	/* libyara 4.2 keeps YR_MATCH records in a notebook that does not
	 * align them (a match's data copy precedes it): read them with
	 * memcpy, never through a YR_MATCH pointer (UBSan would abort). */
	yr_rule_strings_foreach(rule, s)
	{
		const void *p = context->matches[s->idx].head;

		while (p != NULL && nstr < 4) {
			YR_MATCH m;

			memcpy(&m, p, sizeof(m));
			p = m.next;
			if (m.is_private)
				continue;
			sbuf_addf(&txt, "%s%s at %" PRId64, nstr ? ", " : "",
			    s->identifier, m.base + m.offset);
			nstr++;
			break;
		}
	}
	h->str = arena_strdup(st->a, txt.buf);
	sbuf_release(&txt);
	return CALLBACK_CONTINUE;
}

/* The extension externals: after the last '.' of a base name that does
 * not start with it (".env" has none, "app.env" has "env"). */
static const char *
an_layers_ext(const char *base)
{
	const char *d = strrchr(base, '.');

	return d != NULL && d != base ? d + 1 : "";
}

/* Read f's bytes into st->rd.buf, proving the digest. */
static int
an_layers_load(struct an_layers_st *st, const struct an_layers_file *f,
    struct dd_err *e)
{
	struct imgfs_file where;
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX];
	size_t done;
	int rc;

	if ((rc = imgfs_file_find(st->ctx->store, 0, f->layer, f->path,
		 &where, e)) < 0)
		return rc;
	if (where.size != (uint64_t)f->size)
		return dd_err_set(e, DD_ECORRUPT, "size changed");
	st->rd.s = st->ctx->store;
	if ((rc = content_read(&st->rd, where.blob_id, where.off,
		 (size_t)where.size, &done, e)) < 0)
		return rc;
	if (done < where.size)
		return dd_err_set(e, DD_ECORRUPT,
		    "the stored layer ends inside the file");
	sha256(st->rd.buf, done, d);
	hex_encode(d, SHA256_LEN, hex);
	if (strcmp(hex, f->sha) != 0)
		return dd_err_set(e, DD_ECORRUPT,
		    "the bytes hash to %s, not the recorded %s", hex, f->sha);
	return 0;
}

static int
an_layers_scan(struct an_layers_st *st, struct dd_err *e)
{
	struct sbuf key = SBUF_INIT;
	size_t i;
	int rc;

	if ((rc = an_query(st->ctx,
		 "SELECT layer_id, path, size, sha256, mode FROM files WHERE "
		 "whiteout = 0 AND type = 'file' AND size > 0 AND sha256 IS "
		 "NOT NULL ORDER BY layer_id, path",
		 NULL, 0, an_layers_file_row, st, e)) < 0)
		return rc;
	if (yr_scanner_create(st->rules, &st->scanner) != ERROR_SUCCESS)
		return dd_err_set(e, DD_EINTERNAL, "yara: no scanner");
	yr_scanner_set_callback(st->scanner, an_layers_yara_cb, st);
	yr_scanner_set_flags(st->scanner, 0);
	for (i = 0; i < st->nfile; i++) {
		struct an_layers_file *f = &st->file[i];
		struct an_layers_cval *cv;
		const char *base = an_layers_base(f->path);
		struct dd_err le = DD_ERR_INIT;
		bool fresh;
		uint32_t k;
		int yrc;

		sbuf_reset(&key);
		sbuf_addf(&key, "%s/%s", f->sha, base);
		k = an_layers_cache(st, key.buf, &fresh);
		f->content = k;
		if (!fresh)
			continue;
		cv = &st->cv[k];
		cv->hfirst = (uint32_t)st->nhits;
		if ((uint64_t)f->size > AN_LAYERS_SCAN_MAX) {
			cv->status = 1;
			continue;
		}
		if (an_layers_load(st, f, &le) < 0) {
			cv->status = 2;
			cv->why = arena_strdup(st->a, le.msg);
			continue;
		}
		if (yr_scanner_define_string_variable(st->scanner, "filename",
			base) != ERROR_SUCCESS ||
		    yr_scanner_define_string_variable(st->scanner,
			"extension", an_layers_ext(base)) != ERROR_SUCCESS) {
			sbuf_release(&key);
			return dd_err_set(e, DD_EINTERNAL,
			    "yara: setting externals");
		}
		yrc = yr_scanner_scan_mem(st->scanner, st->rd.buf,
		    (size_t)f->size);
		cv = &st->cv[k];
		if (yrc != ERROR_SUCCESS) {
			cv->status = 2;
			cv->why = arena_printf(st->a, "yara error %d", yrc);
			st->nhits = cv->hfirst;
			continue;
		}
		cv->hn = (uint32_t)(st->nhits - cv->hfirst);
	}
	sbuf_release(&key);
	content_reader_release(&st->rd);
	return 0;
}

/* ---- where a layer's file is in each image that has the layer ---- */

enum an_layers_where {
	AN_LAYERS_PRESENT,  /* the merged tree has this layer's version */
	AN_LAYERS_REPLACED, /* a later layer wrote the path again */
	AN_LAYERS_DELETED,  /* the path is gone from the merged tree */
};

struct an_layers_occ {
	const struct an_layers_step *step; /* the step that shipped it */
	int where;			   /* enum an_layers_where */
	const struct an_layers_step *by;   /* the later step (or NULL) */
	bool same;			   /* replaced by identical bytes */
};

struct an_layers_fsq {
	bool found;
	int64_t layer;
	char sha[65];
};

static int
an_layers_fs_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_fsq *q = user;

	(void)e;
	q->found = true;
	q->layer = rowq_int(r, 0);
	snprintf(q->sha, sizeof(q->sha), "%s", rowq_text(r, 1));
	return 0;
}

/* The step of image (after idx) whose whiteout removed path. */
static const struct an_layers_step *
an_layers_deleter(const struct an_layers_st *st, int64_t image, int64_t idx,
    const char *path)
{
	size_t lo = 0, hi = st->nwh, n = strlen(path);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->wh[mid].image < image ||
		    (st->wh[mid].image == image && st->wh[mid].idx <= idx))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->nwh && st->wh[lo].image == image; lo++) {
		const struct an_layers_wh *w = &st->wh[lo];
		size_t k = strlen(w->path);
		bool under = k < n && strncmp(path, w->path, k) == 0 &&
		    (path[k] == '/' || strcmp(w->path, "/") == 0);

		if (under || (w->kind == 1 && strcmp(w->path, path) == 0))
			return an_layers_step_at(st, image, w->idx);
	}
	return NULL;
}

/* Fill occ[] (capacity: the steps shipping f's layer) for file f. */
static int
an_layers_occ(struct an_layers_st *st, int64_t layer, const char *path,
    const char *sha, struct an_layers_occ **occ, size_t *nocc,
    struct dd_err *e)
{
	struct an_layers_step *const *s;
	size_t n = an_layers_steps_by_layer(st, layer, &s), i;
	struct an_layers_occ *o;
	int rc;

	o = xcalloc(n + 1, sizeof(*o));
	for (i = 0; i < n; i++) {
		struct an_layers_fsq q;
		char id[24];
		const char *b[2];

		memset(&q, 0, sizeof(q));
		snprintf(id, sizeof(id), "%" PRId64, s[i]->image);
		b[0] = id;
		b[1] = path;
		if ((rc = an_query(st->ctx,
			 "SELECT layer_id, coalesce(sha256, '') FROM fs WHERE "
			 "image_id = CAST(?1 AS INTEGER) AND path = ?2",
			 b, 2, an_layers_fs_row, &q, e)) < 0) {
			free(o);
			return rc;
		}
		o[i].step = s[i];
		if (q.found && q.layer == layer) {
			o[i].where = AN_LAYERS_PRESENT;
		} else if (q.found) {
			o[i].where = AN_LAYERS_REPLACED;
			o[i].by = an_layers_step_of(st, s[i]->image, q.layer);
			o[i].same = strcmp(q.sha, sha) == 0;
		} else {
			o[i].where = AN_LAYERS_DELETED;
			o[i].by = an_layers_deleter(st, s[i]->image,
			    s[i]->idx, path);
		}
	}
	*occ = o;
	*nocc = n;
	return 0;
}

/* "shipped by layer sha256:... (layers.id 3), added by step 4 of image
 * 'x' (images.id 1): RUN ...; also in image ..." */
static void
an_layers_ship_text(struct an_layers_st *st, struct sbuf *d, int64_t layer,
    const struct an_layers_occ *o, size_t n)
{
	size_t i;

	sbuf_addf(d, "It was shipped by layer %s (layers.id %" PRId64 ")",
	    an_layers_diff_id(st, layer), layer);
	if (n == 0) {
		sbuf_addstr(d, ", which no image of the case lists. ");
		return;
	}
	for (i = 0; i < n && i < AN_LAYERS_LIST_MAX; i++) {
		const struct an_layers_img *im =
		    an_layers_img_find(st, o[i].step->image);

		sbuf_addstr(d, i == 0 ? ", added by " : "; and by ");
		an_layers_step_text(st, d, o[i].step);
		sbuf_addstr(d, " of image ");
		if (im != NULL)
			an_layers_img_name(d, im);
		switch (o[i].where) {
		case AN_LAYERS_PRESENT:
			sbuf_addstr(d, ", whose merged tree still has it");
			break;
		case AN_LAYERS_REPLACED:
			sbuf_addstr(d, ", where ");
			if (o[i].by != NULL)
				an_layers_step_text(st, d, o[i].by);
			else
				sbuf_addstr(d, "a later layer");
			sbuf_addf(d, " replaced it%s",
			    o[i].same ? " with identical bytes" : "");
			break;
		default:
			sbuf_addstr(d, ", where ");
			if (o[i].by != NULL)
				an_layers_step_text(st, d, o[i].by);
			else
				sbuf_addstr(d, "a later layer");
			sbuf_addstr(d, " deleted it");
			break;
		}
	}
	if (n > AN_LAYERS_LIST_MAX)
		sbuf_addf(d, "; and %zu more images",
		    n - AN_LAYERS_LIST_MAX);
	sbuf_addstr(d, ". ");
}

static void
an_layers_title_where(struct an_layers_st *st, struct sbuf *t,
    int64_t layer, const struct an_layers_occ *o, size_t n)
{
	const struct an_layers_img *im;

	if (n == 0) {
		sbuf_addf(t, " (layer %.19s)", an_layers_diff_id(st, layer));
		return;
	}
	im = an_layers_img_find(st, o[0].step->image);
	sbuf_addf(t, " (image %s", im ? an_layers_short_ref(im) : "?");
	if (n > 1)
		sbuf_addf(t, " and %zu more", n - 1);
	sbuf_addch(t, ')');
}

/* Paths where keys, tokens and shells are usually test data or docs. */
static bool
an_layers_fixture_path(const char *path)
{
	static const char *const comp[] = {
		"test", "tests", "testdata", "test-data", "testing",
		"__tests__", "fixture", "fixtures", "example", "examples",
		"sample", "samples", "certdata", "dummyserver", "doc",
		"docs", "spec", "specs", "demo",
	};
	const char *base = an_layers_base(path), *p = path;
	size_t i;

	if (strncmp(path, "/usr/share/doc/", 15) == 0 ||
	    rulefiles_suffix(base, "_test.go") ||
	    rulefiles_suffix(base, "_test.py") ||
	    strncmp(base, "test_", 5) == 0)
		return true;
	while (*p == '/') {
		const char *q = strchr(p + 1, '/');
		size_t n;

		if (q == NULL)
			break; /* the base name is not a directory */
		n = (size_t)(q - p - 1);
		for (i = 0; i < ARRAY_SIZE(comp); i++)
			if (strlen(comp[i]) == n &&
			    strncasecmp(p + 1, comp[i], n) == 0)
				return true;
		p = q;
	}
	return false;
}

static void
an_layers_export_line(struct sbuf *d, int64_t layer, const char *path)
{
	sbuf_addf(d, "drydock export-file CASE --layer %" PRId64 " ", layer);
	an_layers_shq(d, path);
	sbuf_addstr(d, " -o FILE");
}

static void
an_layers_attack_union(struct sbuf *a, const char *more)
{
	char *copy = xstrdup(more), *p = copy, *c;

	while (p != NULL && *p != '\0') {
		const char *q;
		size_t n;
		bool have = false;

		c = strchr(p, ',');
		if (c != NULL)
			*c = '\0';
		while (*p == ' ')
			p++;
		n = strlen(p);
		for (q = a->buf; n > 0 && (q = strstr(q, p)) != NULL; q += n)
			if ((q == a->buf || q[-1] == ',') &&
			    (q[n] == ',' || q[n] == '\0'))
				have = true;
		if (n > 0 && !have) {
			if (a->len > 0)
				sbuf_addch(a, ',');
			sbuf_addstr(a, p);
		}
		p = c ? c + 1 : NULL;
	}
	free(copy);
}

static int
an_layers_cmp_hit(const void *a, const void *b, void *u)
{
	const struct an_layers_st *st = u;
	const struct an_layers_hit *x = a, *y = b;
	int c = strcmp(st->yr[x->rule].id, st->yr[y->rule].id);

	return c ? c : strcmp(st->yr[x->rule].name, st->yr[y->rule].name);
}

static bool
an_layers_is_secretish(int kind)
{
	return kind == AN_LAYERS_K_SECRET || kind == AN_LAYERS_K_MINER ||
	    kind == AN_LAYERS_K_WEBSHELL || kind == AN_LAYERS_K_SHELL;
}

/* The hidden.secret or hidden.malicious finding of one file. */
static int
an_layers_hidden_one(struct an_layers_st *st, const struct an_layers_file *f,
    const struct an_layers_hit *h, size_t nh, bool secret,
    const struct an_layers_occ *o, size_t no)
{
	struct sbuf t = SBUF_INIT, d = SBUF_INIT, att = SBUF_INIT;
	struct an_layers_ev ev = { 0 };
	enum finding_sev sev = SEV_INFO;
	size_t i, nhid = 0, nrule = 0;
	bool fixture = an_layers_fixture_path(f->path);
	const struct an_layers_occ *first = NULL;
	int rc;

	for (i = 0; i < no; i++)
		if (o[i].where == AN_LAYERS_DELETED ||
		    (o[i].where == AN_LAYERS_REPLACED && !o[i].same)) {
			if (nhid++ == 0)
				first = &o[i];
		}
	if (nhid == 0)
		return 0;
	sbuf_addstr(&att, secret ? "T1552.001" : "T1525");
	sbuf_addf(&d, "%s matched ", secret ? "Secret rules" :
					      "Miner, web shell or shell rules");
	for (i = 0; i < nh; i++) {
		const struct an_layers_yrule *y = &st->yr[h[i].rule];
		if ((y->kind == AN_LAYERS_K_SECRET) != secret ||
		    !an_layers_is_secretish(y->kind))
			continue;
		if (y->sev > sev)
			sev = y->sev;
		an_layers_attack_union(&att, y->attack);
		if (nrule++ == 0)
			sbuf_addf(&t, "%s hidden by a later layer: %s", y->title,
			    f->path);
		else
			sbuf_addstr(&d, ", ");
		sbuf_addf(&d, "%s (%s)", y->name, y->id);
	}
	rc = 0;
	if (nrule == 0)
		goto out;
	if (fixture && sev > SEV_INFO)
		sev--;
	sbuf_addf(&d, " in %s (%" PRId64 " bytes, sha256 %s). ", f->path,
	    f->size, f->sha);
	an_layers_ship_text(st, &d, f->layer, o, no);
	sbuf_addstr(&d,
	    "The merged tree a container starts from does not show it, but "
	    "anyone holding the image has the layer: it is recoverable from "
	    "layer ");
	sbuf_addf(&d, "%" PRId64 " with: ", f->layer);
	an_layers_export_line(&d, f->layer, f->path);
	sbuf_addch(&d, '.');
	if (fixture)
		sbuf_addstr(&d, " The path looks like test, example or "
				"documentation data: severity lowered one "
				"step.");
	{
		/* name the images that hide it, not those that show it */
		const struct an_layers_img *im =
		    an_layers_img_find(st, first->step->image);
		sbuf_addf(&t, " (image %s", im ? an_layers_short_ref(im) : "?");
		if (nhid > 1)
			sbuf_addf(&t, " and %zu more", nhid - 1);
		sbuf_addch(&t, ')');
	}
	an_layers_ev_add(st, &ev, "files", "%" PRId64 ":%s", f->layer,
	    f->path);
	an_layers_ev_add(st, &ev, "layers", "%" PRId64, f->layer);
	for (i = 0; i < no; i++)
		if (o[i].where == AN_LAYERS_DELETED ||
		    (o[i].where == AN_LAYERS_REPLACED && !o[i].same)) {
			an_layers_ev_add(st, &ev, "images", "%" PRId64,
			    o[i].step->image);
			if (o[i].by != NULL)
				an_layers_ev_add(st, &ev, "image_layers",
				    "%" PRId64 ":%" PRId64, o[i].by->image,
				    o[i].by->idx);
		}
	rc = an_layers_emit(st,
	    secret ? "layers.hidden.secret" : "layers.hidden.malicious", sev,
	    t.buf, d.buf, att.buf, &ev);
out:
	sbuf_release(&t);
	sbuf_release(&d);
	sbuf_release(&att);
	return rc;
}

/* Findings for the rule matches of one file of a layer. */
static int
an_layers_content_file(struct an_layers_st *st, struct an_layers_file *f,
    struct dd_err *e)
{
	const struct an_layers_cval *cv = &st->cv[f->content];
	struct an_layers_hit *h;
	struct an_layers_occ *o = NULL;
	size_t nh = cv->hn, no = 0, i, j;
	bool fixture = an_layers_fixture_path(f->path);
	bool any_secret = false, any_mal = false;
	int rc;

	h = xcalloc(nh, sizeof(*h));
	memcpy(h, &st->hits[cv->hfirst], nh * sizeof(*h));
	qsort_r(h, nh, sizeof(*h), an_layers_cmp_hit, st);
	if ((rc = an_layers_occ(st, f->layer, f->path, f->sha, &o, &no, e)) <
	    0)
		goto out;
	for (i = 0; i < nh; i = j) {
		const struct an_layers_yrule *y = &st->yr[h[i].rule];
		struct sbuf t = SBUF_INIT, d = SBUF_INIT, att = SBUF_INIT;
		struct an_layers_ev ev = { 0 };
		enum finding_sev sev = y->sev;

		sbuf_addstr(&d, "YARA rule ");
		for (j = i; j < nh && strcmp(st->yr[h[j].rule].id, y->id) == 0;
		     j++) {
			const struct an_layers_yrule *z = &st->yr[h[j].rule];
			if (j > i)
				sbuf_addstr(&d, " and rule ");
			sbuf_addf(&d, "%s", z->name);
			if (h[j].str[0] != '\0')
				sbuf_addf(&d, " (%s)", h[j].str);
			if (z->sev > sev)
				sev = z->sev;
			an_layers_attack_union(&att, z->attack);
			if (z->kind == AN_LAYERS_K_SECRET)
				any_secret = true;
			else if (an_layers_is_secretish(z->kind))
				any_mal = true;
		}
		if (fixture && sev > SEV_INFO)
			sev--;
		sbuf_addf(&t, "%s in %s", y->title, f->path);
		an_layers_title_where(st, &t, f->layer, o, no);
		sbuf_addf(&d, " matched %s (%" PRId64 " bytes, mode %04" PRIo64
			      ", sha256 %s). ",
		    f->path, f->size, f->mode & 07777, f->sha);
		an_layers_ship_text(st, &d, f->layer, o, no);
		if (fixture)
			sbuf_addstr(&d, "The path looks like test, example or "
					"documentation data: severity lowered "
					"one step. ");
		sbuf_addstr(&d, "Read it with: ");
		an_layers_export_line(&d, f->layer, f->path);
		sbuf_addch(&d, '.');
		an_layers_ev_add(st, &ev, "files", "%" PRId64 ":%s", f->layer,
		    f->path);
		an_layers_ev_add(st, &ev, "layers", "%" PRId64, f->layer);
		for (size_t k = 0; k < no && k < AN_LAYERS_LIST_MAX; k++)
			an_layers_ev_add(st, &ev, "image_layers",
			    "%" PRId64 ":%" PRId64, o[k].step->image,
			    o[k].step->idx);
		rc = an_layers_emit(st, y->id, sev, t.buf, d.buf, att.buf,
		    &ev);
		sbuf_release(&t);
		sbuf_release(&d);
		sbuf_release(&att);
		if (rc < 0)
			goto out;
	}
	if (any_secret &&
	    (rc = an_layers_hidden_one(st, f, h, nh, true, o, no)) < 0)
		goto out;
	if (any_mal &&
	    (rc = an_layers_hidden_one(st, f, h, nh, false, o, no)) < 0)
		goto out;
	rc = 0;
out:
	free(o);
	free(h);
	return rc;
}

/* Content findings, then one layers.scan.incomplete per layer with
 * files left unscanned. */
static int
an_layers_content(struct an_layers_st *st, struct dd_err *e)
{
	size_t i, j;
	int rc;

	for (i = 0; i < st->nfile; i++) {
		struct an_layers_file *f = &st->file[i];
		if (f->content != UINT32_MAX && st->cv[f->content].hn > 0 &&
		    (rc = an_layers_content_file(st, f, e)) < 0)
			return rc;
	}
	for (i = 0; i < st->nfile; i = j) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		struct an_layers_ev ev = { 0 };
		size_t nbig = 0, nbad = 0, shown = 0;
		uint64_t big = 0;

		for (j = i; j < st->nfile && st->file[j].layer ==
			 st->file[i].layer;
		     j++) {
			const struct an_layers_cval *cv =
			    &st->cv[st->file[j].content];
			if (cv->status == 1) {
				nbig++;
				big += (uint64_t)st->file[j].size;
			} else if (cv->status == 2) {
				nbad++;
			}
		}
		if (nbig + nbad == 0)
			continue;
		sbuf_addf(&t, "%zu file%s of layer %.19s not scanned",
		    nbig + nbad, nbig + nbad == 1 ? "" : "s",
		    an_layers_diff_id(st, st->file[i].layer));
		if (nbig > 0)
			sbuf_addf(&d,
			    "%zu file%s over the %" PRIu64 " MiB scan cap "
			    "(%" PRIu64 " bytes in all) %s not scanned by "
			    "the content rules. ",
			    nbig, nbig == 1 ? "" : "s",
			    AN_LAYERS_SCAN_MAX >> 20, big,
			    nbig == 1 ? "was" : "were");
		if (nbad > 0)
			sbuf_addf(&d,
			    "%zu file%s could not be read back (or their "
			    "bytes did not hash as recorded at import): run "
			    "'drydock verify'. ",
			    nbad, nbad == 1 ? "" : "s");
		sbuf_addstr(&d, "Files: ");
		an_layers_ev_add(st, &ev, "layers", "%" PRId64,
		    st->file[i].layer);
		for (size_t k = i; k < j; k++) {
			const struct an_layers_cval *cv =
			    &st->cv[st->file[k].content];
			if (cv->status == 0 || shown >= AN_LAYERS_LIST_MAX)
				continue;
			sbuf_addf(&d, "%s%s (%" PRId64 " bytes%s%s)",
			    shown ? ", " : "", st->file[k].path,
			    st->file[k].size, cv->status == 2 ? ": " : "",
			    cv->status == 2 ? cv->why : "");
			an_layers_ev_add(st, &ev, "files", "%" PRId64 ":%s",
			    st->file[k].layer, st->file[k].path);
			shown++;
		}
		if (nbig + nbad > shown)
			sbuf_addf(&d, " and %zu more", nbig + nbad - shown);
		sbuf_addch(&d, '.');
		rc = an_layers_emit(st, "layers.scan.incomplete",
		    nbad ? SEV_LOW : SEV_INFO, t.buf, d.buf, "", &ev);
		sbuf_release(&t);
		sbuf_release(&d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- executables a later layer deleted ---- */

struct an_layers_hx {
	int64_t image, idx, layer, size;
	const char *path;
};

struct an_layers_rows {
	struct an_layers_st *st;
	struct an_layers_hx *v;
	size_t n, a;
};

static int
an_layers_hx_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_rows *q = user;
	struct an_layers_hx *x;

	(void)e;
	AN_LAYERS_PUSH(q->v, q->n, q->a);
	x = &q->v[q->n++];
	x->image = rowq_int(r, 0);
	x->idx = rowq_int(r, 1);
	x->layer = rowq_int(r, 2);
	x->path = an_layers_dup(q->st, rowq_text(r, 3));
	x->size = rowq_int(r, 4);
	return 0;
}

/* The scanned file (layer, path), or NULL. */
static const struct an_layers_file *
an_layers_file_find(const struct an_layers_st *st, int64_t layer,
    const char *path)
{
	size_t lo = 0, hi = st->nfile;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct an_layers_file *f = &st->file[mid];
		if (f->layer < layer ||
		    (f->layer == layer && strcmp(f->path, path) < 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->nfile && st->file[lo].layer == layer &&
	    strcmp(st->file[lo].path, path) == 0)
		return &st->file[lo];
	return NULL;
}

/* True when a secret or malicious rule matched the file's content (those
 * files get layers.hidden.secret / .malicious instead). */
static bool
an_layers_file_flagged(const struct an_layers_st *st, int64_t layer,
    const char *path)
{
	const struct an_layers_file *f = an_layers_file_find(st, layer, path);
	const struct an_layers_cval *cv;
	size_t i;

	if (f == NULL || f->content == UINT32_MAX)
		return false;
	cv = &st->cv[f->content];
	for (i = 0; i < cv->hn; i++)
		if (an_layers_is_secretish(
			st->yr[st->hits[cv->hfirst + i].rule].kind))
			return true;
	return false;
}

static bool
an_layers_in_tmp(const char *path)
{
	return strncmp(path, "/tmp/", 5) == 0 ||
	    strncmp(path, "/var/tmp/", 9) == 0 ||
	    strncmp(path, "/dev/shm/", 9) == 0;
}

/* True when a component of path starts with '.' and is not a name of
 * hidden-dirs-allow.txt (the base name counts: ".x" is hidden). */
static bool
an_layers_hidden_path(const struct an_layers_st *st, const char *path)
{
	const char *p = path;

	while ((p = strchr(p, '/')) != NULL) {
		const char *c = p + 1, *q = strchr(c, '/');
		size_t n = q ? (size_t)(q - c) : strlen(c), i;
		bool allowed = false;

		p = c;
		if (n < 2 || c[0] != '.' || (n == 2 && c[1] == '.'))
			continue;
		for (i = 0; i < st->rs.nhid; i++)
			if (strlen(st->rs.hid[i]) == n &&
			    strncmp(st->rs.hid[i], c, n) == 0)
				allowed = true;
		if (!allowed)
			return true;
	}
	return false;
}

static int
an_layers_hidden_exec(struct an_layers_st *st, struct dd_err *e)
{
	struct an_layers_rows q = { st, NULL, 0, 0 };
	size_t i, j;
	int rc;

	if ((rc = an_query(st->ctx,
		 "SELECT il.image_id, il.idx, f.layer_id, f.path, f.size "
		 "FROM image_layers il JOIN files f ON f.layer_id = "
		 "il.layer_id WHERE f.whiteout = 0 AND f.type = 'file' AND "
		 "(f.mode & 73) != 0 AND NOT EXISTS (SELECT 1 FROM fs x "
		 "WHERE x.image_id = il.image_id AND x.path = f.path) "
		 "ORDER BY f.layer_id, il.image_id, il.idx, f.path",
		 NULL, 0, an_layers_hx_row, &q, e)) < 0)
		goto out;
	/* One finding per layer; the first image (lowest id) that deletes
	 * its executables is the one described, the others are counted. */
	for (i = 0; i < q.n; i = j) {
		const struct an_layers_hx *x0 = &q.v[i];
		const struct an_layers_img *im =
		    an_layers_img_find(st, x0->image);
		const struct an_layers_step *s =
		    an_layers_step_at(st, x0->image, x0->idx);
		struct sbuf t = SBUF_INIT, d = SBUF_INIT, l = SBUF_INIT;
		struct an_layers_ev ev = { 0 };
		const char *example = NULL;
		size_t nfiles = 0, shown = 0, nother = 0, k;
		int64_t last = x0->image;
		uint64_t bytes = 0;
		bool odd = false;

		for (j = i; j < q.n && q.v[j].layer == x0->layer; j++)
			if (q.v[j].image != last) {
				last = q.v[j].image;
				nother++;
			}
		an_layers_ev_add(st, &ev, "layers", "%" PRId64, x0->layer);
		for (k = i; k < j; k++) {
			const struct an_layers_hx *x = &q.v[k];
			const struct an_layers_step *by;

			if (x->image != x0->image || x->idx != x0->idx ||
			    an_layers_file_flagged(st, x->layer, x->path))
				continue;
			nfiles++;
			bytes += (uint64_t)x->size;
			odd |= an_layers_in_tmp(x->path) ||
			    an_layers_hidden_path(st, x->path);
			if (shown >= AN_LAYERS_LIST_MAX)
				continue;
			by = an_layers_deleter(st, x->image, x->idx, x->path);
			sbuf_addf(&l, "%s%s (%" PRId64 " bytes, deleted by ",
			    shown ? "; " : "", x->path, x->size);
			an_layers_step_text(st, &l, by);
			sbuf_addch(&l, ')');
			an_layers_ev_add(st, &ev, "files", "%" PRId64 ":%s",
			    x->layer, x->path);
			if (by != NULL)
				an_layers_ev_add(st, &ev, "image_layers",
				    "%" PRId64 ":%" PRId64, by->image, by->idx);
			if (example == NULL)
				example = x->path;
			shown++;
		}
		if (nfiles == 0) {
			free(ev.r);
			sbuf_release(&l);
			continue;
		}
		sbuf_addf(&t, "%zu executable%s of layer %.19s deleted by a "
			      "later layer (image %s%s)",
		    nfiles, nfiles == 1 ? "" : "s",
		    an_layers_diff_id(st, x0->layer),
		    im ? an_layers_short_ref(im) : "?",
		    nother ? " and more" : "");
		sbuf_addf(&d, "Layer %s (layers.id %" PRId64 "), added by ",
		    an_layers_diff_id(st, x0->layer), x0->layer);
		an_layers_step_text(st, &d, s);
		sbuf_addstr(&d, " of image ");
		if (im != NULL)
			an_layers_img_name(&d, im);
		sbuf_addf(&d,
		    ", shipped %zu executable file%s (%" PRIu64 " bytes) "
		    "that a later layer deleted",
		    nfiles, nfiles == 1 ? "" : "s", bytes);
		if (nother > 0)
			sbuf_addf(&d, " (%zu other image%s delete%s some too)",
			    nother, nother == 1 ? "" : "s",
			    nother == 1 ? "s" : "");
		sbuf_addstr(&d, ": ");
		sbuf_add(&d, l.buf, l.len);
		if (nfiles > shown)
			sbuf_addf(&d, "; and %zu more", nfiles - shown);
		sbuf_addstr(&d,
		    ". Build steps often delete tools they no longer need, "
		    "but a payload dropped and then removed looks the same. "
		    "They are not in the merged tree and stay recoverable from "
		    "the layer, e.g. ");
		an_layers_export_line(&d, x0->layer, example);
		sbuf_addch(&d, '.');
		rc = an_layers_emit(st, "layers.hidden.executable",
		    odd ? SEV_MEDIUM : SEV_LOW, t.buf, d.buf, "", &ev);
		sbuf_release(&t);
		sbuf_release(&d);
		sbuf_release(&l);
		if (rc < 0)
			goto out;
	}
	rc = 0;
out:
	free(q.v);
	return rc;
}

/* ---- permissions in the merged trees ---- */

struct an_layers_perm {
	int64_t layer, mode, uid, image;
	const char *path, *type;
};

struct an_layers_prows {
	struct an_layers_st *st;
	struct an_layers_perm *v;
	size_t n, a;
};

static int
an_layers_perm_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_prows *q = user;
	struct an_layers_perm *p;

	(void)e;
	AN_LAYERS_PUSH(q->v, q->n, q->a);
	p = &q->v[q->n++];
	p->layer = rowq_int(r, 0);
	p->path = an_layers_dup(q->st, rowq_text(r, 1));
	p->type = an_layers_dup(q->st, rowq_text(r, 2));
	p->mode = rowq_int(r, 3);
	p->uid = rowq_null(r, 4) ? -1 : rowq_int(r, 4);
	p->image = rowq_int(r, 5);
	return 0;
}

static bool
an_layers_suid_allowed(const struct an_layers_st *st, const char *path)
{
	size_t i;

	for (i = 0; i < st->rs.nsuid; i++)
		if (fnmatch(st->rs.suid[i], path, 0) == 0)
			return true;
	return false;
}

enum { AN_LAYERS_P_WW, AN_LAYERS_P_TMP, AN_LAYERS_P_HID, AN_LAYERS_P_N };

static bool
an_layers_perm_is(const struct an_layers_st *st, const struct an_layers_perm *p,
    int which)
{
	bool dir = strcmp(p->type, "dir") == 0;

	switch (which) {
	case AN_LAYERS_P_WW:
		return (p->mode & 02) != 0 && (!dir || (p->mode & 01000) == 0);
	case AN_LAYERS_P_TMP:
		return !dir && (p->mode & 0111) != 0 &&
		    an_layers_in_tmp(p->path);
	default:
		return !dir && (p->mode & 0111) != 0 &&
		    an_layers_hidden_path(st, p->path);
	}
}

/* The image names holding rows [i, j) (same layer), for a detail. */
static void
an_layers_perm_images(struct an_layers_st *st, struct sbuf *d,
    const struct an_layers_perm *v, size_t i, size_t j, int which,
    struct an_layers_ev *ev)
{
	int64_t *ids = NULL;
	size_t n = 0, k, m;

	for (k = i; k < j; k++) {
		if (which >= 0 && !an_layers_perm_is(st, &v[k], which))
			continue;
		for (m = 0; m < n; m++)
			if (ids[m] == v[k].image)
				break;
		if (m == n) {
			ids = xreallocarray(ids, n + 1, sizeof(*ids));
			ids[n++] = v[k].image;
		}
	}
	if (n > 1)
		qsort(ids, n, sizeof(*ids), an_layers_cmp_i64);
	for (k = 0; k < n && k < AN_LAYERS_LIST_MAX; k++) {
		const struct an_layers_img *im = an_layers_img_find(st, ids[k]);
		const struct an_layers_step *s =
		    an_layers_step_of(st, ids[k], v[i].layer);

		sbuf_addstr(d, k ? "; " : "");
		if (im != NULL)
			an_layers_img_name(d, im);
		sbuf_addstr(d, ", ");
		an_layers_step_text(st, d, s);
		an_layers_ev_add(st, ev, "images", "%" PRId64, ids[k]);
		if (s != NULL)
			an_layers_ev_add(st, ev, "image_layers",
			    "%" PRId64 ":%" PRId64, s->image, s->idx);
	}
	if (n > AN_LAYERS_LIST_MAX)
		sbuf_addf(d, "; and %zu more images", n - AN_LAYERS_LIST_MAX);
	free(ids);
}

/* " (image x and 2 more)" for the rows [i, j) that are `which` (-1:
 * all). */
static void
an_layers_perm_title(const struct an_layers_st *st, struct sbuf *t,
    const struct an_layers_perm *v, size_t i, size_t j, int which)
{
	const struct an_layers_img *im = NULL;
	int64_t first = INT64_MAX, *ids = NULL;
	size_t n = 0, k, m;

	for (k = i; k < j; k++) {
		if (which >= 0 && !an_layers_perm_is(st, &v[k], which))
			continue;
		for (m = 0; m < n && ids[m] != v[k].image; m++)
			;
		if (m == n) {
			ids = xreallocarray(ids, n + 1, sizeof(*ids));
			ids[n++] = v[k].image;
		}
		first = MIN(first, v[k].image);
	}
	free(ids);
	if (n == 0 || (im = an_layers_img_find(st, first)) == NULL)
		return;
	sbuf_addf(t, " (image %s", an_layers_short_ref(im));
	if (n > 1)
		sbuf_addf(t, " and %zu more", n - 1);
	sbuf_addch(t, ')');
}

static int
an_layers_perms(struct an_layers_st *st, struct dd_err *e)
{
	static const struct {
		const char *rule, *one, *many, *attack, *why;
	} agg[AN_LAYERS_P_N] = {
		{ "layers.perm.world_writable", "world-writable entry",
		    "world-writable entries", "T1222.002",
		    "Any user of a container can change world-writable files, "
		    "and create or remove files in a world-writable directory "
		    "without the sticky bit: a lower-privileged process can "
		    "plant or replace what a more privileged one runs or "
		    "reads (dockle CIS-DI-0008 territory)." },
		{ "layers.perm.tmp_executable",
		    "executable under /tmp, /var/tmp or /dev/shm",
		    "executables under /tmp, /var/tmp or /dev/shm", "",
		    "Temporary directories are where droppers stage payloads; "
		    "an image rarely needs to ship executables there." },
		{ "layers.perm.hidden_executable",
		    "executable in a hidden path",
		    "executables in hidden paths", "T1564.001",
		    "A path component starting with '.' hides the file from a "
		    "plain ls; names listed in hidden-dirs-allow.txt "
		    "(toolchains such as .cargo or .local) are not reported." },
	};
	struct an_layers_prows q = { st, NULL, 0, 0 };
	size_t i, j;
	int rc;

	if ((rc = an_query(st->ctx,
		 "SELECT layer_id, path, type, mode, uid, image_id FROM fs "
		 "WHERE type IN ('file', 'hardlink', 'dir') AND ("
		 "(type != 'dir' AND (mode & 3072) != 0) OR (mode & 2) != 0 "
		 "OR (type != 'dir' AND (mode & 73) != 0 AND (path GLOB "
		 "'/tmp/*' OR path GLOB '/var/tmp/*' OR path GLOB "
		 "'/dev/shm/*' OR path GLOB '*/.*'))) "
		 "ORDER BY layer_id, path, image_id",
		 NULL, 0, an_layers_perm_row, &q, e)) < 0)
		goto out;
	/* setuid and setgid files, one finding each */
	for (i = 0; i < q.n; i = j) {
		const struct an_layers_perm *p = &q.v[i];
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		struct an_layers_ev ev = { 0 };
		enum finding_sev sev;
		bool suid = (p->mode & 04000) != 0;

		for (j = i; j < q.n && q.v[j].layer == p->layer &&
		     strcmp(q.v[j].path, p->path) == 0;
		     j++)
			;
		if (strcmp(p->type, "dir") == 0 ||
		    (p->mode & 06000) == 0 ||
		    an_layers_suid_allowed(st, p->path))
			continue;
		sev = suid && p->uid == 0 ? SEV_MEDIUM : SEV_LOW;
		if (p->mode & 02)
			sev = SEV_HIGH;
		sbuf_addf(&t, "%s%s file %s not in the allow list",
		    suid ? "setuid" : "setgid",
		    suid && p->uid == 0 ? "-root" : "", p->path);
		an_layers_perm_title(st, &t, q.v, i, j, -1);
		sbuf_addf(&d,
		    "%s (mode %04" PRIo64 ", uid %" PRId64 ") is %s%s and "
		    "is not in setuid-allow.txt. It runs with its owner's "
		    "%s whoever starts it, so a copied shell or interpreter, "
		    "or any binary with a flaw, is a privilege escalation "
		    "(dockle "
		    "CIS-DI-0008). %sIt was shipped by layer %s (layers.id "
		    "%" PRId64 "); images: ",
		    p->path, p->mode & 07777, p->uid,
		    suid ? "setuid" : "setgid",
		    (p->mode & 06000) == 06000 ? " and setgid" : "",
		    suid ? "user id" : "group id",
		    (p->mode & 02) ? "It is also world-writable: anyone "
				     "can replace what it runs. " :
				     "",
		    an_layers_diff_id(st, p->layer), p->layer);
		an_layers_ev_add(st, &ev, "files", "%" PRId64 ":%s", p->layer,
		    p->path);
		an_layers_perm_images(st, &d, q.v, i, j, -1, &ev);
		sbuf_addstr(&d, ". Read it with: ");
		an_layers_export_line(&d, p->layer, p->path);
		sbuf_addch(&d, '.');
		rc = an_layers_emit(st, "layers.perm.setuid", sev, t.buf,
		    d.buf, "T1548.001", &ev);
		sbuf_release(&t);
		sbuf_release(&d);
		if (rc < 0)
			goto out;
	}
	/* the aggregated ones, per layer */
	for (i = 0; i < q.n; i = j) {
		int w;

		for (j = i; j < q.n && q.v[j].layer == q.v[i].layer; j++)
			;
		for (w = 0; w < AN_LAYERS_P_N; w++) {
			struct sbuf t = SBUF_INIT, d = SBUF_INIT;
			struct an_layers_ev ev = { 0 };
			size_t n = 0, shown = 0, k;
			enum finding_sev sev = w == AN_LAYERS_P_TMP ?
			    SEV_MEDIUM :
			    SEV_LOW;

			an_layers_ev_add(st, &ev, "layers", "%" PRId64,
			    q.v[i].layer);
			for (k = i; k < j; k++) {
				const struct an_layers_perm *p = &q.v[k];
				if (!an_layers_perm_is(st, p, w) ||
				    (k > i && strcmp(q.v[k - 1].path,
						  p->path) == 0))
					continue;
				n++;
				if (w == AN_LAYERS_P_WW &&
				    strcmp(p->type, "dir") != 0 &&
				    (p->mode & 0111) != 0)
					sev = SEV_MEDIUM;
				if (shown >= AN_LAYERS_LIST_MAX)
					continue;
				sbuf_addf(&d, "%s%s (%s, mode %04" PRIo64 ")",
				    shown ? ", " : "", p->path, p->type,
				    p->mode & 07777);
				an_layers_ev_add(st, &ev, "files",
				    "%" PRId64 ":%s", p->layer, p->path);
				shown++;
			}
			if (n > 0) {
				struct sbuf head = SBUF_INIT;

				sbuf_addf(&t, "%zu %s", n,
				    n == 1 ? agg[w].one : agg[w].many);
				sbuf_addf(&t, " in layer %.19s",
				    an_layers_diff_id(st, q.v[i].layer));
				an_layers_perm_title(st, &t, q.v, i, j, w);
				sbuf_addf(&head,
				    "Layer %s (layers.id %" PRId64 ") ships, "
				    "in the merged tree of the images "
				    "listed below: ",
				    an_layers_diff_id(st, q.v[i].layer),
				    q.v[i].layer);
				sbuf_add(&head, d.buf, d.len);
				if (n > shown)
					sbuf_addf(&head, ", and %zu more",
					    n - shown);
				sbuf_addf(&head, ". %s Images: ", agg[w].why);
				an_layers_perm_images(st, &head, q.v, i, j, w,
				    &ev);
				sbuf_addch(&head, '.');
				rc = an_layers_emit(st, agg[w].rule, sev,
				    t.buf, head.buf, agg[w].attack, &ev);
				sbuf_release(&head);
			} else {
				free(ev.r);
				rc = 0;
			}
			sbuf_release(&t);
			sbuf_release(&d);
			if (rc < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(q.v);
	return rc;
}

/* ---- image configuration and history ---- */

/* "abc... (12 characters)": enough to recognise, not to reuse. */
static void
an_layers_redact(struct sbuf *sb, const char *v, size_t n)
{
	if (n > 0 && (v[0] == '"' || v[0] == '\'') && n >= 2) {
		v++;
		n -= 2;
	}
	if (n <= 6)
		sbuf_addf(sb, "****** (%zu characters)", n);
	else
		sbuf_addf(sb, "%.3s... (%zu characters)", v, n);
}

static bool
an_layers_secret_key(const char *k, size_t n)
{
	static const char *const words[] = { "PASSWORD", "PASSWD", "SECRET",
		"TOKEN", "API_KEY", "ACCESS_KEY", "PRIVATE_KEY" };
	static const char *const ptr[] = { "_FILE", "_PATH", "_DIR" };
	char buf[256];
	size_t i, m;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, k, n);
	buf[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(ptr); i++) {
		m = strlen(ptr[i]);
		if (n > m && strcasecmp(buf + n - m, ptr[i]) == 0)
			return false;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strcasestr(buf, words[i]) != NULL)
			return true;
	return false;
}

/* The image's ENV entries (a JSON array of strings). */
static json_t *
an_layers_json_array(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (j != NULL && !json_is_array(j)) {
		json_decref(j);
		j = NULL;
	}
	return j ? j : json_array();
}

static bool
an_layers_env_has(json_t *env, const char *kv, size_t n)
{
	size_t i;
	json_t *v;

	json_array_foreach(env, i, v)
	{
		const char *s = json_string_value(v);
		if (s != NULL && strlen(s) == n && memcmp(s, kv, n) == 0)
			return true;
	}
	return false;
}

static int
an_layers_secret_env(struct an_layers_cfg *c, const struct an_layers_img *im,
    json_t *env)
{
	struct an_layers_st *st = c->st;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	struct an_layers_ev ev = { 0 };
	size_t i, n = 0;
	json_t *v;
	int rc = 0;

	json_array_foreach(env, i, v)
	{
		const char *s = json_string_value(v), *eq;
		if (s == NULL || (eq = strchr(s, '=')) == NULL ||
		    eq[1] == '\0' || !an_layers_secret_key(s, (size_t)(eq - s)))
			continue;
		sbuf_addf(&d, "%s%.*s = ", n ? "; " : "", (int)(eq - s), s);
		an_layers_redact(&d, eq + 1, strlen(eq + 1));
		n++;
	}
	if (n > 0) {
		struct sbuf head = SBUF_INIT;

		sbuf_addf(&t, "secret%s in the ENV of image %s",
		    n == 1 ? "" : "s", an_layers_short_ref(im));
		sbuf_addstr(&head, "The configuration of image ");
		an_layers_img_name(&head, im);
		sbuf_addf(&head,
		    " sets %zu secret-named environment variable%s: ", n,
		    n == 1 ? "" : "s");
		sbuf_add(&head, d.buf, d.len);
		sbuf_addf(&head,
		    ". Every container of the image, and anyone who can pull "
		    "it or run docker inspect, reads them (dockle "
		    "CIS-DI-0010). The values are in the images relation: "
		    "drydock query CASE \"SELECT env FROM images WHERE id = "
		    "%" PRId64 "\".",
		    im->id);
		an_layers_ev_add(st, &ev, "images", "%" PRId64, im->id);
		rc = an_layers_emit(st, "layers.secret.env", SEV_HIGH, t.buf,
		    head.buf, "T1552.001", &ev);
		sbuf_release(&head);
	}
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

/* Secrets a history step hands to the build: literal assignments, option
 * values, URL credentials. */
static int
an_layers_secret_step(struct an_layers_cfg *c, const struct an_layers_img *im,
    const struct an_layers_step *s, json_t *env)
{
	struct an_layers_st *st = c->st;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	struct an_layers_ev ev = { 0 };
	const char *cb = s->created_by;
	bool envstep = an_layers_re(c, AN_LAYERS_RE_ENVSTEP, cb);
	size_t n = 0;
	int w, rc = 0;

	for (w = AN_LAYERS_RE_ASSIGN; w <= AN_LAYERS_RE_URLCRED; w++) {
		const char *p = cb;
		regmatch_t m[5];

		while (*p != '\0' &&
		    regexec(&c->re[w], p, ARRAY_SIZE(m), m,
			p == cb ? 0 : REG_NOTBOL) == 0) {
			const char *k = NULL, *v = NULL;
			size_t kn = 0, vn = 0;

			if (m[0].rm_eo <= 0)
				break;
			if (w == AN_LAYERS_RE_ASSIGN) {
				k = p + m[2].rm_so;
				kn = (size_t)(m[2].rm_eo - m[2].rm_so);
				v = p + m[4].rm_so;
				vn = (size_t)(m[4].rm_eo - m[4].rm_so);
				if (!an_layers_secret_key(k, kn) ||
				    (k > cb && k[-1] == '-') ||
				    (envstep &&
					an_layers_env_has(env, k,
					    (size_t)(v + vn - k)))) {
					p += m[0].rm_eo;
					continue;
				}
				sbuf_addf(&d, "%s%.*s=", n ? "; " : "",
				    (int)kn, k);
			} else if (w == AN_LAYERS_RE_PASSOPT) {
				k = p + m[1].rm_so;
				kn = (size_t)(m[1].rm_eo - m[1].rm_so);
				v = p + m[3].rm_so;
				vn = (size_t)(m[3].rm_eo - m[3].rm_so);
				sbuf_addf(&d, "%s--%.*s ", n ? "; " : "",
				    (int)kn, k);
			} else {
				const char *at = p + m[0].rm_eo - 1;
				const char *colon = memrchr(p + m[0].rm_so,
				    ':', (size_t)(at - (p + m[0].rm_so)));
				v = colon + 1;
				vn = (size_t)(at - v);
				sbuf_addf(&d, "%sURL credentials %.*s", n ?
				    "; " : "", (int)(v - (p + m[0].rm_so)),
				    p + m[0].rm_so);
			}
			an_layers_redact(&d, v, vn);
			n++;
			p += m[0].rm_eo;
		}
	}
	if (n > 0) {
		struct sbuf head = SBUF_INIT;

		sbuf_addf(&t, "secret in build step %" PRId64 " of image %s",
		    s->idx, an_layers_short_ref(im));
		sbuf_addstr(&head, "The history of image ");
		an_layers_img_name(&head, im);
		sbuf_addstr(&head, " records ");
		an_layers_step_text(st, &head, s);
		sbuf_addstr(&head, ", which passes ");
		sbuf_add(&head, d.buf, d.len);
		sbuf_addstr(&head,
		    ". History (created_by) ships with the image: build "
		    "arguments and inline credentials stay readable by anyone "
		    "who can pull it (use build secrets instead).");
		an_layers_ev_add(st, &ev, "image_layers", "%" PRId64 ":%" PRId64,
		    s->image, s->idx);
		an_layers_ev_add(st, &ev, "images", "%" PRId64, im->id);
		rc = an_layers_emit(st, "layers.secret.build_step", SEV_HIGH,
		    t.buf, head.buf, "T1552.001", &ev);
		sbuf_release(&head);
	}
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

/* One finding about one history step. */
static int
an_layers_step_finding(struct an_layers_st *st, const char *rule,
    enum finding_sev sev, const struct an_layers_img *im,
    const struct an_layers_step *s, const char *what, const char *why,
    const char *attack)
{
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	struct an_layers_ev ev = { 0 };
	int rc;

	sbuf_addf(&t, "%s in step %" PRId64 " of image %s", what, s->idx,
	    an_layers_short_ref(im));
	sbuf_addstr(&d, "Image ");
	an_layers_img_name(&d, im);
	sbuf_addstr(&d, " was built with ");
	an_layers_step_text(st, &d, s);
	sbuf_addf(&d, ": %s", why);
	an_layers_ev_add(st, &ev, "image_layers", "%" PRId64 ":%" PRId64,
	    s->image, s->idx);
	an_layers_ev_add(st, &ev, "images", "%" PRId64, im->id);
	rc = an_layers_emit(st, rule, sev, t.buf, d.buf, attack, &ev);
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

/* One finding about an image as a whole. */
static int
an_layers_img_finding(struct an_layers_st *st, const char *rule,
    enum finding_sev sev, const struct an_layers_img *im, const char *title,
    const char *detail, const char *attack,
    const struct an_layers_step *step)
{
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	struct an_layers_ev ev = { 0 };
	int rc;

	sbuf_addf(&t, "%s: image %s", title, an_layers_short_ref(im));
	sbuf_addstr(&d, "Image ");
	an_layers_img_name(&d, im);
	sbuf_addf(&d, " %s", detail);
	an_layers_ev_add(st, &ev, "images", "%" PRId64, im->id);
	if (step != NULL)
		an_layers_ev_add(st, &ev, "image_layers",
		    "%" PRId64 ":%" PRId64, step->image, step->idx);
	rc = an_layers_emit(st, rule, sev, t.buf, d.buf, attack, &ev);
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

struct an_layers_paths {
	struct sbuf got; /* "/usr/sbin/sshd\n..." */
};

static int
an_layers_path_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_paths *p = user;

	(void)e;
	sbuf_addf(&p->got, "%s\n", rowq_text(r, 0));
	return 0;
}

static bool
an_layers_is_root(const char *u)
{
	size_t n = strcspn(u, ":");

	return n == 0 || (n == 1 && u[0] == '0') ||
	    (n == 4 && strncmp(u, "root", 4) == 0);
}

static int
an_layers_config_img(struct an_layers_cfg *c, const struct an_layers_img *im,
    struct dd_err *e)
{
	struct an_layers_st *st = c->st;
	const struct an_layers_step *s, *wd = NULL, *sudo_step = NULL;
	struct an_layers_paths have;
	struct sbuf d = SBUF_INIT;
	json_t *env = an_layers_json_array(im->env);
	json_t *tags = an_layers_json_array(im->tags);
	json_t *ports = an_layers_json_array(im->ports);
	size_t n = an_layers_steps_of(st, im->id, &s), i;
	bool p22 = false, latest = false, sshd, sudo;
	char id[24];
	const char *b[1];
	json_t *v;
	int rc;

	have.got = (struct sbuf)SBUF_INIT;
	snprintf(id, sizeof(id), "%" PRId64, im->id);
	b[0] = id;
	if ((rc = an_query(st->ctx,
		 "SELECT path FROM fs WHERE image_id = CAST(?1 AS INTEGER) "
		 "AND path IN ('/usr/sbin/sshd', '/usr/bin/sshd', "
		 "'/sbin/sshd', '/usr/local/sbin/sshd', '/usr/sbin/dropbear', "
		 "'/usr/bin/dropbear', '/usr/bin/sudo', '/bin/sudo', "
		 "'/usr/sbin/sudo', '/usr/local/bin/sudo') AND type IN "
		 "('file', 'hardlink', 'symlink') ORDER BY path",
		 b, 1, an_layers_path_row, &have, e)) < 0)
		goto out;
	if ((rc = an_layers_secret_env(c, im, env)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		const struct an_layers_step *x = &s[i];
		const char *cb = x->created_by;

		if ((rc = an_layers_secret_step(c, im, x, env)) < 0)
			goto out;
		if (an_layers_re(c, AN_LAYERS_RE_ADDURL, cb)) {
			bool sum = strstr(cb, "--checksum=") != NULL;
			rc = an_layers_step_finding(st, "layers.config.add_url",
			    sum ? SEV_LOW : SEV_MEDIUM, im, x,
			    "ADD of a remote URL",
			    sum ? "ADD fetched a URL, pinned with --checksum "
				  "(hadolint DL3020, dockle CIS-DI-0009: "
				  "prefer COPY)." :
				  "ADD fetched a URL with no checksum: whatever "
				  "the server (or anyone on the path) served "
				  "went into the layer unverified (hadolint "
				  "DL3020, dockle CIS-DI-0009).",
			    "T1105");
			if (rc < 0)
				goto out;
		}
		if (an_layers_re(c, AN_LAYERS_RE_CURLSH, cb) ||
		    an_layers_re(c, AN_LAYERS_RE_CURLSH2, cb)) {
			rc = an_layers_step_finding(st,
			    "layers.config.curl_pipe_sh", SEV_MEDIUM, im, x,
			    "downloaded script piped to a shell",
			    "a script fetched with curl or wget ran straight "
			    "in a shell, unverified: the build ran whatever the "
			    "server returned (hadolint DL4006 territory).",
			    "T1059.004,T1105");
			if (rc < 0)
				goto out;
		}
		if (an_layers_re(c, AN_LAYERS_RE_CHMOD, cb)) {
			rc = an_layers_step_finding(st,
			    "layers.config.chmod_777", SEV_LOW, im, x,
			    "chmod 777",
			    "it made files world-writable (and executable): "
			    "any user of a container can replace them.",
			    "T1222.002");
			if (rc < 0)
				goto out;
		}
		if (sudo_step == NULL && an_layers_re(c, AN_LAYERS_RE_SUDO, cb))
			sudo_step = x;
		if (wd == NULL && an_layers_re(c, AN_LAYERS_RE_WORKDIR, cb))
			wd = x;
	}
	/* root user: dockle CIS-DI-0001 */
	if (an_layers_is_root(im->user)) {
		sbuf_reset(&d);
		sbuf_addf(&d,
		    "runs as root (config User is %s%s%s): a process that "
		    "escapes the container, or abuses a mount or a "
		    "capability, does so as root (dockle CIS-DI-0001, "
		    "hadolint DL3002).",
		    im->user[0] ? "'" : "empty", im->user,
		    im->user[0] ? "'" : "");
		if ((rc = an_layers_img_finding(st, "layers.config.root_user",
			 SEV_MEDIUM, im, "runs as root", d.buf, "", NULL)) < 0)
			goto out;
	}
	/* latest or no tag: dockle DKL-DI-0006, hadolint DL3007 */
	json_array_foreach(tags, i, v)
	{
		const char *tg = json_string_value(v);
		/* "repo:latest", or an OCI layout ref name "latest" */
		if (tg != NULL && (rulefiles_suffix(tg, ":latest") ||
				      strcmp(tg, "latest") == 0))
			latest = true;
	}
	if (json_array_size(tags) == 0 || latest) {
		sbuf_reset(&d);
		sbuf_addstr(&d,
		    json_array_size(tags) == 0 ?
			"has no tag: nothing says which build or version it "
			"is; identify it by its config digest (dockle "
			"DKL-DI-0006)." :
			"is tagged 'latest': the tag moves, so which build a "
			"host ran cannot be told from it (dockle DKL-DI-0006, "
			"hadolint DL3007).");
		if ((rc = an_layers_img_finding(st, "layers.config.latest_tag",
			 SEV_LOW, im,
			 json_array_size(tags) == 0 ? "no tag" : "latest tag",
			 d.buf, "", NULL)) < 0)
			goto out;
	}
	/* sshd installed or port 22 exposed: CIS Docker 5.6 */
	json_array_foreach(ports, i, v)
	{
		const char *pt = json_string_value(v);
		if (pt != NULL &&
		    (strcmp(pt, "22") == 0 || strncmp(pt, "22/", 3) == 0))
			p22 = true;
	}
	sshd = strstr(have.got.buf, "sshd\n") != NULL ||
	    strstr(have.got.buf, "dropbear\n") != NULL;
	if (sshd || p22) {
		sbuf_reset(&d);
		sbuf_addstr(&d, sshd ? "ships an SSH server (" : "");
		if (sshd) {
			const char *p = have.got.buf;
			bool first = true;
			while (*p != '\0') {
				size_t k = strcspn(p, "\n");
				if (k < 5 || strncmp(p + k - 5, "/sudo", 5) != 0) {
					sbuf_addf(&d, "%s%.*s", first ? "" : " ",
					    (int)k, p);
					first = false;
				}
				p += k + (p[k] != '\0');
			}
			sbuf_addstr(&d, ")");
		}
		sbuf_addf(&d, "%s%s: a container should not run its own SSH "
			      "daemon, which is a standing remote entry point "
			      "(CIS Docker Benchmark 5.6).",
		    sshd && p22 ? " and " : "",
		    p22 ? "exposes port 22" : "");
		if ((rc = an_layers_img_finding(st, "layers.config.sshd",
			 SEV_MEDIUM, im, "SSH server", d.buf, "T1021.004",
			 NULL)) < 0)
			goto out;
	}
	/* sudo: dockle DKL-DI-0001, hadolint DL3004 */
	sudo = strstr(have.got.buf, "/sudo\n") != NULL;
	if (sudo || sudo_step != NULL) {
		sbuf_reset(&d);
		sbuf_addf(&d, "%s%s", sudo ? "ships sudo" : "",
		    sudo && sudo_step ? ", and " : "");
		if (sudo_step != NULL) {
			sbuf_addstr(&d, "used sudo in ");
			an_layers_step_text(st, &d, sudo_step);
		}
		sbuf_addstr(&d, ": sudo in a container is a ready privilege "
				"escalation path and makes the effective user "
				"unpredictable (dockle DKL-DI-0001, hadolint "
				"DL3004).");
		if ((rc = an_layers_img_finding(st, "layers.config.sudo",
			 SEV_LOW, im, "sudo", d.buf, "T1548.003",
			 sudo_step)) < 0)
			goto out;
	}
	/* no HEALTHCHECK: dockle CIS-DI-0006 */
	if (!im->health &&
	    (rc = an_layers_img_finding(st, "layers.config.no_healthcheck",
		 SEV_LOW, im, "no HEALTHCHECK",
		 "has no HEALTHCHECK: the engine cannot tell a hung or "
		 "hijacked service from a healthy one (dockle CIS-DI-0006).",
		 "", NULL)) < 0)
		goto out;
	/* WORKDIR /proc/self/fd/N: CVE-2024-21626 */
	if (an_layers_re(c, AN_LAYERS_RE_PROCFD, im->workdir) || wd != NULL) {
		bool cfg = an_layers_re(c, AN_LAYERS_RE_PROCFD, im->workdir);

		sbuf_reset(&d);
		if (cfg)
			sbuf_addf(&d, "sets its working directory to %s",
			    im->workdir);
		if (wd != NULL) {
			sbuf_addstr(&d, cfg ? ", and " : "was built with ");
			an_layers_step_text(st, &d, wd);
			if (cfg)
				sbuf_addstr(&d, " set it for the build too");
		}
		sbuf_addstr(&d,
		    ": a working directory under /proc/self/fd is how the "
		    "'Leaky Vessels' runc flaw (CVE-2024-21626, runc < 1.1.12) "
		    "hands a container, or a build step, a file descriptor "
		    "of the host's filesystem: a container escape when the "
		    "image is built or run.");
		if ((rc = an_layers_img_finding(st,
			 "layers.config.workdir_proc_fd", SEV_HIGH, im,
			 "WORKDIR under /proc/self/fd (CVE-2024-21626)", d.buf,
			 "T1611", wd)) < 0)
			goto out;
	}
	rc = 0;
out:
	sbuf_release(&d);
	sbuf_release(&have.got);
	json_decref(env);
	json_decref(tags);
	json_decref(ports);
	return rc;
}

static int
an_layers_config(struct an_layers_st *st, struct dd_err *e)
{
	size_t i;
	int rc;

	for (i = 0; i < st->nimg; i++)
		if ((rc = an_layers_config_img(&st->cfg, &st->img[i], e)) < 0)
			return rc;
	return 0;
}

/* ---- efficiency, the way dive computes it ----
 *
 * dive (github.com/wagoodman/dive, dive/filetree/efficiency.go and
 * dive/image/analysis.go) visits the leaves of each layer's tree in
 * layer order (entries nothing else of the layer is under, and
 * whiteouts; opaque markers are ignored). A leaf weighs its tar header
 * size (0 for directories, links and hard links); a whiteout weighs the
 * sizes under the deleted path when the layers below had it as a
 * directory, else 0. Per path it sums the weights (cumulative) and keeps
 * the smallest:
 *   efficiency   = sum(smallest) / sum(cumulative)  (1 when nothing)
 *   wasted bytes = sum(cumulative) of paths seen in two or more layers
 *   image bytes  = header sizes of every entry of every layer; user bytes
 *                  the same without the first layer; wasted user percent
 *                  = wasted / user bytes.
 * The one departure: a whiteout of a path the layers below lack weighs 0
 * (dive stops visiting that layer there). We add the bytes of regular
 * files shipped but absent from the merged tree (overwritten or deleted
 * by a later layer).
 */

struct an_layers_erow {
	int64_t pos;  /* layer_idx */
	const char *path;
	int64_t size; /* dive's weight (header size) */
	int wh;
	bool dir;
};

struct an_layers_eq {
	struct arena *a;
	struct an_layers_erow *v;
	size_t n, cap;
};

static int
an_layers_erow_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_eq *q = user;
	struct an_layers_erow *x;
	const char *type = rowq_text(r, 2);

	(void)e;
	AN_LAYERS_PUSH(q->v, q->n, q->cap);
	x = &q->v[q->n++];
	x->pos = rowq_int(r, 0);
	x->path = arena_strdup(q->a, rowq_text(r, 1));
	x->wh = (int)rowq_int(r, 4);
	x->dir = strcmp(type, "dir") == 0;
	x->size = x->wh || strcmp(type, "hardlink") == 0 ? 0 :
							    rowq_int(r, 3);
	return 0;
}

/* Per path totals. */
struct an_layers_acc {
	const char *path;
	int64_t cum, min;
	int64_t count;
};

struct an_layers_amap {
	struct an_layers_acc *v;
	size_t n, cap;
	uint32_t *slot;
	size_t nslot;
};

static struct an_layers_acc *
an_layers_acc_get(struct an_layers_amap *m, const char *path)
{
	uint64_t h;
	size_t i, mask;

	if ((m->n + 1) * 2 > m->nslot) {
		size_t ns = m->nslot ? m->nslot * 2 : 4096, k;
		uint32_t *nv = xcalloc(ns, sizeof(*nv));

		for (k = 0; k < m->n; k++) {
			h = hash64(0, m->v[k].path, strlen(m->v[k].path));
			for (i = h & (ns - 1); nv[i] != 0; i = (i + 1) & (ns - 1))
				;
			nv[i] = (uint32_t)k + 1;
		}
		free(m->slot);
		m->slot = nv;
		m->nslot = ns;
	}
	mask = m->nslot - 1;
	h = hash64(0, path, strlen(path));
	for (i = h & mask; m->slot[i] != 0; i = (i + 1) & mask)
		if (strcmp(m->v[m->slot[i] - 1].path, path) == 0)
			return &m->v[m->slot[i] - 1];
	AN_LAYERS_PUSH(m->v, m->n, m->cap);
	m->v[m->n].path = path;
	m->v[m->n].cum = 0;
	m->v[m->n].min = 0;
	m->v[m->n].count = 0;
	m->slot[i] = (uint32_t)m->n + 1;
	return &m->v[m->n++];
}

/* First index in v[0..n) whose path is >= key (strcmp order). */
static size_t
an_layers_lower(const struct an_layers_erow *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
an_layers_under(const char *path, const char *dir, size_t dn)
{
	return strncmp(path, dir, dn) == 0 &&
	    (path[dn] == '/' || (dn == 1 && dir[0] == '/'));
}

/* The merged state after the layers so far: explicit entries sorted by
 * path. Apply v[a..b) (one layer, sorted by path) to it. */
static void
an_layers_stack(struct an_layers_erow **state, size_t *nstate,
    const struct an_layers_erow *v, size_t a, size_t b, struct sbuf *tmp)
{
	struct an_layers_erow *s = *state, *out;
	bool *gone = xcalloc(*nstate + 1, sizeof(*gone));
	size_t ns = *nstate, i, j, k, nout = 0;

	for (i = a; i < b; i++) {
		size_t dn;
		if (v[i].wh != 1)
			continue;
		dn = strlen(v[i].path);
		k = an_layers_lower(s, ns, v[i].path);
		if (k < ns && strcmp(s[k].path, v[i].path) == 0)
			gone[k] = true;
		sbuf_reset(tmp);
		sbuf_addf(tmp, "%s/", v[i].path);
		for (k = an_layers_lower(s, ns, tmp->buf);
		     k < ns && an_layers_under(s[k].path, v[i].path, dn); k++)
			gone[k] = true;
	}
	out = xcalloc(ns + (b - a) + 1, sizeof(*out));
	i = 0;
	j = a;
	while (i < ns || j < b) {
		int c;
		if (j < b && v[j].wh != 0) {
			j++;
			continue;
		}
		if (i < ns && gone[i]) {
			i++;
			continue;
		}
		c = i >= ns ? 1 : j >= b ? -1 : strcmp(s[i].path, v[j].path);
		if (c < 0) {
			out[nout++] = s[i++];
		} else {
			if (c == 0)
				i++;
			out[nout++] = v[j++];
		}
	}
	free(gone);
	free(s);
	*state = out;
	*nstate = nout;
}

struct an_layers_eff {
	int64_t min, cum, wasted, size, user, hidden;
	double score, user_pct;
	size_t nlayers, nmissing;
	struct an_layers_acc *top[5];
	size_t ntop;
};

static int
an_layers_cmp_waste(const void *a, const void *b)
{
	const struct an_layers_acc *x = *(const struct an_layers_acc *const *)a;
	const struct an_layers_acc *y = *(const struct an_layers_acc *const *)b;

	if (x->cum != y->cum)
		return x->cum > y->cum ? -1 : 1;
	return strcmp(x->path, y->path);
}

struct an_layers_sum {
	int64_t v;
};

static int
an_layers_sum_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_layers_sum *s = user;

	(void)e;
	s->v = rowq_int(r, 0);
	return 0;
}

/* The shortest decimal that reads back as d (Go's %v, dive's JSON). */
static void
an_layers_fmt_double(char *out, size_t cap, double d)
{
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(out, cap, "%.*g", p, d);
		if (strtod(out, NULL) == d)
			return;
	}
}

static int
an_layers_eff_img(struct an_layers_st *st, const struct an_layers_img *im,
    struct an_layers_eff *r, struct dd_err *e)
{
	struct arena a = ARENA_INIT;
	struct an_layers_eq q = { &a, NULL, 0, 0 };
	struct an_layers_amap m = { NULL, 0, 0, NULL, 0 };
	struct an_layers_erow *state = NULL;
	struct an_layers_sum hid = { 0 };
	struct sbuf tmp = SBUF_INIT;
	const struct an_layers_step *s;
	size_t ns = 0, i, j, k, n, ord = 0;
	char id[24];
	const char *b[1];
	int rc;

	memset(r, 0, sizeof(*r));
	snprintf(id, sizeof(id), "%" PRId64, im->id);
	b[0] = id;
	n = an_layers_steps_of(st, im->id, &s);
	for (i = 0; i < n; i++)
		if (s[i].layer_idx >= 0) {
			r->nlayers++;
			if (s[i].layer == 0)
				r->nmissing++;
		}
	if ((rc = an_query(st->ctx,
		 "SELECT il.layer_idx, f.path, f.type, f.size, f.whiteout "
		 "FROM image_layers il JOIN files f ON f.layer_id = "
		 "il.layer_id WHERE il.image_id = CAST(?1 AS INTEGER) AND "
		 "il.layer_idx IS NOT NULL ORDER BY il.layer_idx, f.path, "
		 "f.whiteout",
		 b, 1, an_layers_erow_row, &q, e)) < 0)
		goto out;
	if ((rc = an_query(st->ctx,
		 "SELECT coalesce(sum(f.size), 0) FROM image_layers il JOIN "
		 "files f ON f.layer_id = il.layer_id WHERE il.image_id = "
		 "CAST(?1 AS INTEGER) AND f.whiteout = 0 AND f.type = 'file' "
		 "AND NOT EXISTS (SELECT 1 FROM fs x WHERE x.image_id = "
		 "il.image_id AND x.path = f.path AND x.layer_id = "
		 "f.layer_id)",
		 b, 1, an_layers_sum_row, &hid, e)) < 0)
		goto out;
	r->hidden = hid.v;
	for (i = 0; i < q.n; i = j, ord++) {
		for (j = i; j < q.n && q.v[j].pos == q.v[i].pos; j++)
			;
		for (k = i; k < j; k++) {
			const struct an_layers_erow *x = &q.v[k];
			struct an_layers_acc *acc;
			int64_t w = x->size;

			r->size += x->size;
			if (ord > 0)
				r->user += x->size;
			if (x->wh == 2 || strcmp(x->path, "/") == 0)
				continue;
			if (x->wh == 0) {
				size_t at;
				/* a leaf: nothing of the layer under it */
				sbuf_reset(&tmp);
				sbuf_addf(&tmp, "%s/", x->path);
				at = i + an_layers_lower(q.v + i, j - i,
						 tmp.buf);
				if (at < j && strncmp(q.v[at].path, tmp.buf,
						  tmp.len) == 0)
					continue;
			} else {
				size_t at = an_layers_lower(state, ns,
				    x->path);
				w = 0;
				if (at < ns &&
				    strcmp(state[at].path, x->path) == 0 &&
				    state[at].dir) {
					size_t dn = strlen(x->path);
					for (at++; at < ns &&
					     strncmp(state[at].path, x->path,
						 dn) == 0;
					     at++)
						if (state[at].path[dn] == '/')
							w += state[at].size;
				}
			}
			acc = an_layers_acc_get(&m, x->path);
			acc->cum += w;
			if (acc->count == 0 || w < acc->min)
				acc->min = w;
			acc->count++;
		}
		an_layers_stack(&state, &ns, q.v, i, j, &tmp);
	}
	{
		struct an_layers_acc **waste =
		    xcalloc(m.n + 1, sizeof(*waste));
		size_t nw = 0;

		for (k = 0; k < m.n; k++) {
			r->min += m.v[k].min;
			r->cum += m.v[k].cum;
			if (m.v[k].count >= 2) {
				r->wasted += m.v[k].cum;
				waste[nw++] = &m.v[k];
			}
		}
		qsort(waste, nw, sizeof(*waste), an_layers_cmp_waste);
		for (k = 0; k < nw && k < ARRAY_SIZE(r->top); k++) {
			/* copy: the map dies with this function */
			struct an_layers_acc *c = arena_alloc(st->a,
			    sizeof(*c));
			*c = *waste[k];
			c->path = arena_strdup(st->a, waste[k]->path);
			r->top[r->ntop++] = c;
		}
		free(waste);
	}
	r->score = r->cum == 0 ? 1.0 : (double)r->min / (double)r->cum;
	r->user_pct = (double)r->wasted / (double)r->user;
	rc = 0;
out:
	free(q.v);
	free(m.v);
	free(m.slot);
	free(state);
	sbuf_release(&tmp);
	arena_release(&a);
	return rc;
}

static int
an_layers_efficiency(struct an_layers_st *st, struct dd_err *e)
{
	size_t i, k;
	int rc;

	for (i = 0; i < st->nimg; i++) {
		const struct an_layers_img *im = &st->img[i];
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		struct an_layers_ev ev = { 0 };
		struct an_layers_eff r;
		char score[32], pct[32], hw[32], hs[32];

		if ((rc = an_layers_eff_img(st, im, &r, e)) < 0)
			return rc;
		an_layers_fmt_double(score, sizeof(score), r.score);
		if (r.user > 0)
			an_layers_fmt_double(pct, sizeof(pct), r.user_pct);
		else
			snprintf(pct, sizeof(pct), "n/a");
		fmt_bytes((uint64_t)r.wasted, hw, sizeof(hw));
		fmt_bytes((uint64_t)r.size, hs, sizeof(hs));
		sbuf_addf(&t, "efficiency %.1f%%, %s wasted of %s: image %s",
		    r.score * 100.0, hw, hs, an_layers_short_ref(im));
		sbuf_addstr(&d, "Image ");
		an_layers_img_name(&d, im);
		sbuf_addf(&d,
		    ", scored as dive scores it: efficiency %s, wasted bytes "
		    "%" PRId64 ", image bytes %" PRId64 ", user bytes %" PRId64
		    " (all layers but the first), wasted user percent %s "
		    "(dive's ratio wasted / user bytes). "
		    "Dive's score is the smallest copy of each path over all "
		    "copies; its wasted bytes count every copy of a path "
		    "added, changed or deleted in two or more layers. "
		    "Regular-file bytes shipped in a layer but absent from "
		    "the merged tree (overwritten or deleted later): %" PRId64
		    ".",
		    score, r.wasted, r.size, r.user, pct, r.hidden);
		if (r.ntop > 0) {
			sbuf_addstr(&d, " Largest: ");
			for (k = 0; k < r.ntop; k++)
				sbuf_addf(&d, "%s%s (%" PRId64 " copies, %" PRId64
					      " bytes)",
				    k ? ", " : "", r.top[k]->path,
				    r.top[k]->count, r.top[k]->cum);
			sbuf_addch(&d, '.');
		}
		if (r.nmissing > 0)
			sbuf_addf(&d, " %zu of its %zu layers are not in the "
				      "case: the numbers cover the rest.",
			    r.nmissing, r.nlayers);
		an_layers_ev_add(st, &ev, "images", "%" PRId64, im->id);
		rc = an_layers_emit(st, "layers.efficiency", SEV_INFO, t.buf,
		    d.buf, "", &ev);
		sbuf_release(&t);
		sbuf_release(&d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- the analyzer ---- */

static void
an_layers_free(struct an_layers_st *st)
{
	size_t i;

	for (i = 0; i < st->nyr; i++) {
		free(st->yr[i].id);
		free(st->yr[i].name);
		free(st->yr[i].title);
		free(st->yr[i].attack);
	}
	free(st->yr);
	if (st->scanner != NULL)
		yr_scanner_destroy(st->scanner);
	if (st->rules != NULL)
		yr_rules_destroy(st->rules);
	if (st->yara_up)
		yr_finalize();
	an_layers_rset_free(&st->rs);
	an_layers_cfg_free(&st->cfg);
	free(st->img);
	free(st->step);
	free(st->bylayer);
	free(st->wh);
	free(st->lay);
	free(st->file);
	free(st->cv);
	free(st->hits);
	free(st->ckey);
	free(st->cslot);
	content_reader_release(&st->rd);
	free(st);
}

static int
an_layers_init(struct an_ctx *ctx, struct dd_err *e)
{
	struct an_layers_st *st = xcalloc(1, sizeof(*st));
	int rc;

	st->ctx = ctx;
	st->a = ctx->arena;
	st->cfg.st = st;
	if ((rc = an_layers_cfg_init(&st->cfg, e)) < 0) {
		an_layers_cfg_free(&st->cfg);
		free(st);
		return rc;
	}
	if ((rc = an_layers_rset_load(&st->rs, e)) < 0) {
		an_layers_cfg_free(&st->cfg);
		free(st);
		return rc;
	}
	if (yr_initialize() != ERROR_SUCCESS) {
		an_layers_rset_free(&st->rs);
		an_layers_cfg_free(&st->cfg);
		free(st);
		return dd_err_set(e, DD_EINTERNAL, "yara: cannot initialise");
	}
	st->yara_up = true;
	if ((rc = an_layers_compile(&st->rs, &st->rules, e)) < 0 ||
	    (rc = an_layers_rule_meta(st->rules, &st->yr, &st->nyr, e)) < 0) {
		dd_err_prefix(e, "layers rules");
		an_layers_free(st);
		return rc;
	}
	ctx->state = st;
	return 0;
}

static void
an_layers_fini(struct an_ctx *ctx)
{
	if (ctx->state != NULL)
		an_layers_free(ctx->state);
	ctx->state = NULL;
}

static int
an_layers_finish(struct an_ctx *ctx, struct dd_err *e)
{
	struct an_layers_st *st = ctx->state;
	int rc;

	if ((rc = an_layers_read(st, e)) < 0 ||
	    (rc = an_layers_scan(st, e)) < 0 ||
	    (rc = an_layers_content(st, e)) < 0 ||
	    (rc = an_layers_hidden_exec(st, e)) < 0 ||
	    (rc = an_layers_perms(st, e)) < 0 ||
	    (rc = an_layers_config(st, e)) < 0 ||
	    (rc = an_layers_efficiency(st, e)) < 0)
		return rc;
	return 0;
}

/* Every rules file, in load order, with the scan cap: hashed into
 * custody. The buffer is replaced on the next call. */
static const char *
an_layers_rules(void)
{
	static struct sbuf out = SBUF_INIT;
	struct dd_err e = DD_ERR_INIT;
	struct an_layers_rset rs;

	sbuf_reset(&out);
	if (an_layers_rset_load(&rs, &e) < 0) {
		sbuf_addf(&out, "layers analyzer rules v1\nerror: %s\n",
		    e.msg);
		return out.buf;
	}
	sbuf_add(&out, rs.files.text.buf, rs.files.text.len);
	an_layers_rset_free(&rs);
	return out.buf;
}

/* ---- the content rules, for other analyzers (content-rules.h) ---- */

int
content_rules_load(struct content_rules *cr, struct dd_err *e)
{
	struct an_layers_rset rs;
	int rc;

	memset(cr, 0, sizeof(*cr));
	if ((rc = an_layers_rset_load(&rs, e)) < 0)
		return rc;
	cr->text = xstrdup(rs.files.text.buf);
	if (yr_initialize() != ERROR_SUCCESS) {
		an_layers_rset_free(&rs);
		free(cr->text);
		cr->text = NULL;
		return dd_err_set(e, DD_EINTERNAL, "yara: cannot initialise");
	}
	if ((rc = an_layers_compile(&rs, &cr->rules, e)) < 0 ||
	    (rc = an_layers_rule_meta(cr->rules, &cr->yr, &cr->nyr, e)) < 0) {
		dd_err_prefix(e, "content rules");
		an_layers_rset_free(&rs);
		if (cr->rules != NULL)
			yr_rules_destroy(cr->rules);
		cr->rules = NULL;
		yr_finalize();
		free(cr->text);
		cr->text = NULL;
		return rc;
	}
	an_layers_rset_free(&rs);
	return 0;
}

void
content_rules_free(struct content_rules *cr)
{
	size_t i;

	if (cr->text == NULL)
		return;
	for (i = 0; i < cr->nyr; i++) {
		free(cr->yr[i].id);
		free(cr->yr[i].name);
		free(cr->yr[i].title);
		free(cr->yr[i].attack);
	}
	free(cr->yr);
	if (cr->rules != NULL)
		yr_rules_destroy(cr->rules);
	yr_finalize();
	free(cr->text);
	memset(cr, 0, sizeof(*cr));
}

const char *
content_rules_text(void)
{
	return an_layers_rules();
}

const char *
content_rules_kind(int kind)
{
	return kind >= 0 && (size_t)kind < ARRAY_SIZE(an_layers_kinds) ?
	    an_layers_kinds[kind] : "other";
}

const struct analyzer an_layers = {
	.abi = ANALYZER_ABI,
	.name = "layers",
	.version = "1.0",
	.summary = "container image layers: secrets, miners, web shells and "
		   "reverse shells (YARA), files hidden by whiteouts, setuid "
		   "and world-writable files, risky configuration and build "
		   "steps, dive's efficiency",
	.needs = AN_NEEDS_IMAGE,
	.init = an_layers_init,
	.finish = an_layers_finish,
	.fini = an_layers_fini,
	.rules = an_layers_rules,
};
