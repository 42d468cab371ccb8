/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-dockerd.c: the Docker daemon's configuration, as a host keeps it:
 *
 *  /etc/docker/daemon.json: one JSON object of settings
 *    {"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
 *     "insecure-registries": ["10.0.0.5:5000"], "userns-remap": "default",
 *     "icc": false, "no-new-privileges": true, "live-restore": true, ...}
 *  systemd units and drop-ins (docker.service, override.conf):
 *    ExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375 --tlsverify
 *    Environment="DOCKER_OPTS=--insecure-registry 10.0.0.5:5000"
 *  /etc/default/docker (DOCKER_OPTS="...") and /etc/sysconfig/docker
 *  (OPTIONS='...').
 *
 * One daemon_settings row per value: key is daemon.json's name (a command
 * line flag maps to it: -H and --host are hosts, --insecure-registry is
 * insecure-registries, --registry-mirror registry-mirrors,
 * --authorization-plugin authorization-plugins; other flags keep their
 * name without dashes); a list gives one row per element; a flag without
 * a value is "true"; an object is kept as compact JSON. source says where
 * (daemon.json, ExecStart, DOCKER_OPTS, OPTIONS) and line the line of a
 * unit file. A unit's empty `ExecStart=` (a drop-in's reset) is kept as
 * a row of key ExecStart-reset so the order of overrides stays visible.
 *
 * Hostile input: the file is read whole up to DOCKERD_MAX bytes; lines
 * through the same cap; a line that does not parse is an anomaly.
 */
#include "core/common.h"

#include <jansson.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/members.h"

#define DOCKERD_MAX (4u * 1024u * 1024u)
#define DOCKERD_ARGS_MAX 4096u

struct dk {
	struct imp_ctx *ctx;
	struct dd_err *e;
	int64_t seq;
};

static int
dk_row(struct dk *d, const char *key, const char *value, const char *source,
    int64_t line)
{
	struct sink *k = d->ctx->sink;
	struct net_rec r;

	net_rec_init(&r, NR_DSETTING);
	r.i[DS_SEQ] = d->seq++;
	r.i[DS_LINE] = line > 0 ? line : NR_NULL;
	r.s[DSS_KEY] = key;
	r.s[DSS_VALUE] = value;
	r.s[DSS_SOURCE] = source;
	return k->ops->net ? k->ops->net(k, d->ctx->artifact_id, &r, d->e) : 0;
}

static int
dk_json_value(struct dk *d, const char *key, json_t *v)
{
	char buf[64], *txt = NULL;
	const char *s;
	int rc;

	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_true(v))
		s = "true";
	else if (json_is_false(v))
		s = "false";
	else if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = buf;
	} else if (json_is_null(v)) {
		s = "";
	} else {
		txt = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
		s = txt ? txt : "";
	}
	rc = dk_row(d, key, s, "daemon.json", 0);
	free(txt);
	return rc;
}

static int
dk_json(struct dk *d, json_t *o)
{
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach(o, key, v) {
		if (json_is_array(v)) {
			for (size_t i = 0; rc >= 0 && i < json_array_size(v);
			    i++)
				rc = dk_json_value(d, key, json_array_get(v, i));
		} else {
			rc = dk_json_value(d, key, v);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Split a command line shell-like (single and double quotes, backslash)
 * into NUL-separated words in out. */
static size_t
dk_words(const char *p, size_t n, struct sbuf *out, const char **w,
    size_t max)
{
	size_t nw = 0, i = 0;

	sbuf_reset(out);
	while (i < n && nw < max) {
		char q = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i >= n)
			break;
		w[nw++] = (const char *)(uintptr_t)out->len;
		while (i < n && (q || (p[i] != ' ' && p[i] != '\t'))) {
			if (q == 0 && (p[i] == '"' || p[i] == '\'')) {
				q = p[i++];
				continue;
			}
			if (q != 0 && p[i] == q) {
				q = 0;
				i++;
				continue;
			}
			if (p[i] == '\\' && q != '\'' && i + 1 < n)
				i++;
			sbuf_addch(out, p[i++]);
		}
		sbuf_addch(out, '\0');
	}
	for (size_t k = 0; k < nw; k++)
		w[k] = out->buf + (size_t)(uintptr_t)w[k];
	return nw;
}

/* daemon.json's name for a flag, and whether it takes a value. */
static const char *
dk_flag(const char *f, bool *takes)
{
	static const struct {
		const char *flag, *key;
		bool takes;
	} m[] = {
		{ "H", "hosts", true }, { "host", "hosts", true },
		{ "insecure-registry", "insecure-registries", true },
		{ "registry-mirror", "registry-mirrors", true },
		{ "authorization-plugin", "authorization-plugins", true },
		{ "userns-remap", "userns-remap", true },
		{ "seccomp-profile", "seccomp-profile", true },
		{ "data-root", "data-root", true }, { "g", "data-root", true },
		{ "graph", "data-root", true },
		{ "storage-driver", "storage-driver", true },
		{ "s", "storage-driver", true },
		{ "storage-opt", "storage-opts", true },
		{ "exec-opt", "exec-opts", true },
		{ "log-driver", "log-driver", true },
		{ "log-opt", "log-opts", true },
		{ "default-runtime", "default-runtime", true },
		{ "add-runtime", "runtimes", true },
		{ "bip", "bip", true }, { "dns", "dns", true },
		{ "dns-search", "dns-search", true },
		{ "mtu", "mtu", true }, { "ip", "ip", true },
		{ "tlscacert", "tlscacert", true },
		{ "tlscert", "tlscert", true }, { "tlskey", "tlskey", true },
		{ "group", "group", true }, { "G", "group", true },
		{ "pidfile", "pidfile", true }, { "p", "pidfile", true },
		{ "containerd", "containerd", true },
		{ "cgroup-parent", "cgroup-parent", true },
		{ "default-address-pool", "default-address-pools", true },
		{ "default-ulimit", "default-ulimits", true },
		{ "label", "labels", true }, { "config-file", "config-file", true },
		{ "default-cgroupns-mode", "default-cgroupns-mode", true },
		{ "default-ipc-mode", "default-ipc-mode", true },
		{ "tls", "tls", false }, { "tlsverify", "tlsverify", false },
		{ "icc", "icc", false },
		{ "no-new-privileges", "no-new-privileges", false },
		{ "live-restore", "live-restore", false },
		{ "selinux-enabled", "selinux-enabled", false },
		{ "experimental", "experimental", false },
		{ "iptables", "iptables", false },
		{ "ip-forward", "ip-forward", false },
		{ "userland-proxy", "userland-proxy", false },
		{ "debug", "debug", false }, { "D", "debug", false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(m); i++)
		if (strcmp(f, m[i].flag) == 0) {
			*takes = m[i].takes;
			return m[i].key;
		}
	*takes = false;
	return NULL;
}

/* The flags of a dockerd command line (words after the program, or all
 * words for *_OPTS variables). */
static int
dk_cmdline(struct dk *d, const char *p, size_t n, bool has_prog,
    const char *source, int64_t line)
{
	struct sbuf words;
	const char **w = xcalloc(DOCKERD_ARGS_MAX, sizeof(*w));
	size_t nw, i = 0;
	int rc = 0;

	sbuf_init(&words, DOCKERD_MAX);
	nw = dk_words(p, n, &words, w, DOCKERD_ARGS_MAX);
	if (has_prog) {
		/* skip to dockerd (or "docker daemon") */
		while (i < nw && strstr(w[i], "dockerd") == NULL &&
		    !(strstr(w[i], "docker") && i + 1 < nw &&
			strcmp(w[i + 1], "daemon") == 0))
			i++;
		if (i < nw && strstr(w[i], "dockerd") == NULL)
			i++;
		i++;
	}
	for (; rc >= 0 && i < nw; i++) {
		const char *f = w[i], *eq, *key;
		char name[64];
		bool takes;
		size_t fl;
		if (f[0] != '-' || f[1] == '\0')
			continue; /* a stray word */
		f += f[1] == '-' ? 2 : 1;
		eq = strchr(f, '=');
		fl = eq ? (size_t)(eq - f) : strlen(f);
		if (fl == 0 || fl >= sizeof(name))
			continue;
		memcpy(name, f, fl);
		name[fl] = '\0';
		key = dk_flag(name, &takes);
		if (key == NULL)
			key = name;
		if (eq != NULL)
			rc = dk_row(d, key, eq + 1, source, line);
		else if (takes && i + 1 < nw)
			rc = dk_row(d, key, w[++i], source, line);
		else
			rc = dk_row(d, key, "true", source, line);
	}
	sbuf_release(&words);
	free(w);
	return rc;
}

/* NAME=VALUE or NAME="VALUE" of an environment file or an Environment=
 * line, when NAME is one of the daemon's option variables. */
static int
dk_env(struct dk *d, const char *p, size_t n, int64_t line)
{
	static const char *const vars[] = { "DOCKER_OPTS", "OPTIONS",
		"DOCKER_NETWORK_OPTIONS", "DOCKER_STORAGE_OPTIONS",
		"INSECURE_REGISTRY", "ADD_REGISTRY" };
	struct sbuf words;
	const char *w[64];
	size_t nw;
	int rc = 0;

	sbuf_init(&words, DOCKERD_MAX);
	nw = dk_words(p, n, &words, w, ARRAY_SIZE(w));
	for (size_t i = 0; rc >= 0 && i < nw; i++) {
		const char *eq = strchr(w[i], '=');
		if (eq == NULL)
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(vars); j++)
			if ((size_t)(eq - w[i]) == strlen(vars[j]) &&
			    memcmp(w[i], vars[j], strlen(vars[j])) == 0) {
				char *v = xstrdup(eq + 1);
				rc = dk_cmdline(d, v, strlen(v), false, vars[j],
				    line);
				free(v);
			}
	}
	sbuf_release(&words);
	return rc;
}

static int
dk_text(struct dk *d, const char *p, size_t n)
{
	int64_t line = 0;
	size_t i = 0;
	int rc = 0;

	while (rc >= 0 && i < n) {
		const char *s = p + i, *nl = memchr(s, '\n', n - i);
		size_t len = nl ? (size_t)(nl - s) : n - i;
		i += len + 1;
		line++;
		while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' '))
			len--;
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		if (len == 0 || *s == '#' || *s == ';')
			continue;
		if (len >= 10 && memcmp(s, "ExecStart=", 10) == 0) {
			if (len == 10)
				rc = dk_row(d, "ExecStart-reset", "", "ExecStart",
				    line);
			else
				rc = dk_cmdline(d, s + 10, len - 10, true,
				    "ExecStart", line);
		} else if (len > 12 && memcmp(s, "Environment=", 12) == 0) {
			rc = dk_env(d, s + 12, len - 12, line);
		} else if (len > 7 && memcmp(s, "export ", 7) == 0) {
			rc = dk_env(d, s + 7, len - 7, line);
		} else if (memchr(s, '=', len) != NULL && (*s >= 'A' &&
			       *s <= 'Z')) {
			rc = dk_env(d, s, len, line);
		}
	}
	return rc;
}

static int
imp_dockerd_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct dk d = { .ctx = ctx, .e = e };
	struct sbuf all;
	size_t i = 0;
	int rc;

	sbuf_init(&all, DOCKERD_MAX + 65536);
	if ((rc = ingest_src_read_all(ctx, DOCKERD_MAX, "daemon "
		 "configuration", &all, e)) < 0)
		goto out;
	while (i < all.len && (all.buf[i] == ' ' || all.buf[i] == '\n' ||
	    all.buf[i] == '\r' || all.buf[i] == '\t'))
		i++;
	if (i < all.len && all.buf[i] == '{') {
		json_error_t je;
		json_t *o = json_loadb(all.buf, all.len, 0, &je);
		if (!json_is_object(o)) {
			json_decref(o);
			rc = dd_err_set_at(e, DD_EFORMAT, je.position, "'%s' is "
			    "not a JSON object at offset %d (line %d): %s",
			    ctx->src->name, je.position, je.line, je.text);
			goto out;
		}
		rc = dk_json(&d, o);
		json_decref(o);
	} else {
		rc = dk_text(&d, all.buf, all.len);
	}
	if (rc >= 0 && d.seq == 0 && i < all.len && all.buf[i] != '{')
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no dockerd command line "
		    "or option variable", ctx->src->name);
out:
	sbuf_release(&all);
	return rc < 0 ? rc : 0;
}

/* daemon.json by name or keys; a unit or environment file naming dockerd
 * options. */
static int
imp_dockerd_sniff(const uint8_t *head, size_t n, const char *basename)
{
	static const char *const keys[] = { "\"insecure-registries\"",
		"\"userns-remap\"", "\"live-restore\"", "\"storage-driver\"",
		"\"log-driver\"", "\"data-root\"", "\"registry-mirrors\"",
		"\"exec-opts\"", "\"default-address-pools\"", "\"icc\"",
		"\"no-new-privileges\"", "\"tlsverify\"" };
	size_t i = 0;

	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' ||
	    head[i] == '\t'))
		i++;
	if (i < n && head[i] == '{') {
		if (basename && strcmp(basename, "daemon.json") == 0)
			return 60;
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			if (memmem(head, n, keys[k], strlen(keys[k])))
				return 40;
		return 0;
	}
	if (memchr(head, '\0', n) != NULL)
		return 0;
	if ((memmem(head, n, "ExecStart=", 10) && memmem(head, n, "dockerd",
		7)) || memmem(head, n, "DOCKER_OPTS=", 12) ||
	    (basename && strcmp(basename, "docker") == 0 && memmem(head, n,
		"OPTIONS=", 8)))
		return 50;
	return 0;
}

const struct importer imp_dockerd = {
	.abi = INGEST_ABI,
	.name = "dockerd",
	.version = "1",
	.summary = "Docker daemon configuration: daemon.json, systemd units and "
		   "drop-ins (ExecStart flags), /etc/default/docker and "
		   "/etc/sysconfig/docker option variables",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_dockerd_sniff,
	.import = imp_dockerd_import,
	.options = NULL,
	.zlevel = 0,
};
