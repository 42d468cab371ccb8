/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-inspect.c: container metadata as the runtimes print it:
 * `docker inspect`, `podman inspect` and `crictl inspect` / `crictl
 * inspectp` JSON, one document (an object) or several (an array).
 *
 *   docker / podman                      crictl (CRI)
 *   { "Id": 64 hex, "Name": "/x",        { "status": { "id", "metadata":
 *     "State": {Status, Pid, StartedAt},     {name}, "image": {image},
 *     "Config": {Image, User, Labels,        "imageRef", "state",
 *                Hostname},                  "labels", "mounts": [...],
 *     "HostConfig": {Privileged, CapAdd,     "network": {ip} (pods) },
 *       CapDrop, PidMode, NetworkMode,     "info": { "pid", "config":
 *       IpcMode, UTSMode, UsernsMode,        {linux.security_context},
 *       SecurityOpt, ReadonlyRootfs,         "runtimeSpec": an OCI spec:
 *       Memory, NanoCpus, PidsLimit,         process.{capabilities,
 *       Devices, Binds},                     apparmorProfile, user},
 *     "AppArmorProfile", "Mounts": [...],    linux.{namespaces, seccomp,
 *     "NetworkSettings": {Networks},         devices, resources} } }
 *     podman: EffectiveCaps, BoundingCaps,
 *     ImageName, OCIRuntime }
 *
 * Rows (core/schema.sql migration 6): containers and their aliases (name,
 * short_id, hostname, ip and mac of every network, pod and k8s_uid),
 * container_meta, container_mounts, container_devices and container_caps
 * (op add / drop as configured; effective / bounding as podman or the OCI
 * spec report them). Values are kept as the runtime wrote them; what the
 * document does not say is NULL (an empty AppArmorProfile stays '': a host
 * without AppArmor, not "unconfined"). For crictl, a namespace the OCI
 * spec does not create is the host's ("host"); a spec without seccomp is
 * "unconfined".
 *
 * Hostile input: the file is read whole up to INSPECT_MAX bytes (larger is
 * rejected); jansson refuses nesting deeper than 2048; a document of the
 * wrong shape (not an object, no id) is an anomaly naming its index and
 * the rest is imported; strings are length-capped by the store.
 */
#include "core/common.h"

#include <ctype.h>

#include <jansson.h>

#include "core/dderr.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/inspect.h"

#define INSPECT_MAX (64u * 1024u * 1024u)
/* Documents of one file, and list entries (mounts, caps...) of one. */
#define INSPECT_MAX_DOCS 100000u
#define INSPECT_MAX_LIST 10000u

struct insp {
	struct imp_ctx *ctx;
	struct dd_err *e;
	size_t doc;		/* index in the file */
	const char *id;
	const char *kind[256];	/* aliases */
	const char *val[256];
	char *own[256];		/* allocated alias values */
	size_t na, nown;
};

/* The value at a dotted path of objects ("HostConfig.Privileged"). */
static json_t *
js(json_t *o, const char *path)
{
	char key[128];
	const char *dot;
	size_t n;

	while (o != NULL && *path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key) || !json_is_object(o))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path += n + (dot != NULL);
	}
	return o;
}

static const char *
jstr(json_t *o, const char *path)
{
	json_t *v = js(o, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An integer (or a boolean as 1/0) at path, else NR_NULL. */
static int64_t
jint(json_t *o, const char *path)
{
	json_t *v = js(o, path);

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_boolean(v))
		return json_is_true(v);
	return NR_NULL;
}

static void
alias(struct insp *c, const char *kind, const char *v)
{
	size_t i;

	if (v == NULL || *v == '\0' || c->na == ARRAY_SIZE(c->kind))
		return;
	for (i = 0; i < c->na; i++)
		if (strcmp(c->kind[i], kind) == 0 && strcmp(c->val[i], v) == 0)
			return;
	c->kind[c->na] = kind;
	c->val[c->na++] = v;
}

static const char *
own(struct insp *c, char *s)
{
	if (c->nown == ARRAY_SIZE(c->own)) {
		free(s);
		return NULL;
	}
	return c->own[c->nown++] = s;
}

static int
anom(struct insp *c, const char *what)
{
	return ingest_anomaly(c->ctx, -1, "'%s': document %zu%s%s: %s",
	    c->ctx->src->name, c->doc, c->id ? " (" : "", c->id ? c->id : "",
	    what);
}

static int
emit(struct insp *c, struct net_rec *r)
{
	struct sink *k = c->ctx->sink;

	return k->ops->net ? k->ops->net(k, c->ctx->artifact_id, r, c->e) : 0;
}

/* A capability name as stored: upper case, without CAP_. */
static int
cap(struct insp *c, const char *op, const char *name)
{
	char buf[64];
	struct net_rec r;
	size_t i;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (i = 0; name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (char)toupper((unsigned char)name[i]);
	buf[i] = '\0';
	if (i == 0)
		return 0;
	net_rec_init(&r, NR_CCAP);
	r.s[CCS_ID] = c->id;
	r.s[CCS_OP] = op;
	r.s[CCS_CAP] = buf;
	return emit(c, &r);
}

static int
caps(struct insp *c, const char *op, json_t *a)
{
	size_t i;
	int rc;

	if (a != NULL && !json_is_array(a) && !json_is_null(a))
		return anom(c, "a capability list that is not an array");
	for (i = 0; json_is_array(a) && i < json_array_size(a) &&
	    i < INSPECT_MAX_LIST; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (s == NULL)
			continue;
		if ((rc = cap(c, op, s)) < 0)
			return rc;
	}
	return 0;
}

static int
mount(struct insp *c, int64_t seq, const char *type, const char *src,
    const char *dst, int64_t rw, const char *prop)
{
	struct net_rec r;

	if (dst == NULL)
		return anom(c, "a mount without a destination");
	net_rec_init(&r, NR_CMOUNT);
	r.s[CMTS_ID] = c->id;
	r.i[CMT_SEQ] = seq;
	r.s[CMTS_TYPE] = type;
	r.s[CMTS_SOURCE] = src;
	r.s[CMTS_DEST] = dst;
	r.i[CMT_RW] = rw;
	r.s[CMTS_PROPAGATION] = prop;
	return emit(c, &r);
}

static int
device(struct insp *c, const char *host, const char *ctr, const char *perm)
{
	struct net_rec r;

	if (host == NULL)
		return 0;
	net_rec_init(&r, NR_CDEVICE);
	r.s[CDS_ID] = c->id;
	r.s[CDS_HOST] = host;
	r.s[CDS_CTR] = ctr;
	r.s[CDS_PERMS] = perm;
	return emit(c, &r);
}

/* The JSON text of v, or NULL (owned by c). */
static const char *
jdump(struct insp *c, json_t *v)
{
	if (v == NULL || json_is_null(v))
		return NULL;
	return own(c, json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
				     JSON_ENCODE_ANY));
}

static int
container(struct insp *c, const char *name, const char *image, int priv)
{
	struct container_rec cr;
	struct sink *k = c->ctx->sink;

	if (k->ops->container == NULL)
		return 0;
	memset(&cr, 0, sizeof(cr));
	cr.id = c->id;
	cr.name = name;
	cr.image = image;
	cr.privileged = priv;
	cr.alias_kind = c->kind;
	cr.alias_value = c->val;
	cr.naliases = c->na;
	return k->ops->container(k, c->ctx->artifact_id, &cr, c->e);
}

/* "seccomp=unconfined", "seccomp:x", "no-new-privileges[:=]true". */
static const char *
secopt(json_t *opts, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; json_is_array(opts) && i < json_array_size(opts); i++) {
		const char *s = json_string_value(json_array_get(opts, i));
		if (s && strncmp(s, key, n) == 0 &&
		    (s[n] == '=' || s[n] == ':'))
			return s + n + 1;
		if (s && strcmp(s, key) == 0)
			return "";
	}
	return NULL;
}

/* A bind's options ("ro,rprivate") include "ro". */
static bool
bind_ro(const char *opt)
{
	size_t n;

	while (opt != NULL && *opt) {
		n = strcspn(opt, ",");
		if (n == 2 && strncmp(opt, "ro", 2) == 0)
			return true;
		opt += n + (opt[n] == ',');
	}
	return false;
}

static int
docker_doc(struct insp *c, json_t *o)
{
	json_t *hc = js(o, "HostConfig"), *opts = js(hc, "SecurityOpt"), *v,
	       *nets;
	const char *name = jstr(o, "Name"), *image, *nnp, *key, *ip;
	bool podman = js(o, "OCIRuntime") || js(o, "EffectiveCaps") ||
		      js(o, "ImageName") || js(o, "ConmonPidFile");
	struct net_rec r;
	struct sbuf cmd;
	char shortid[13];
	int64_t seq = 0, q, p;
	size_t i;
	int rc;

	if (name && name[0] == '/')
		name++;
	image = jstr(o, "ImageName");
	if (image == NULL)
		image = jstr(o, "Config.Image");
	snprintf(shortid, sizeof(shortid), "%.12s", c->id);
	alias(c, "name", name);
	alias(c, "short_id", shortid);
	alias(c, "hostname", jstr(o, "Config.Hostname"));
	alias(c, "ip", jstr(o, "NetworkSettings.IPAddress"));
	alias(c, "ip", jstr(o, "NetworkSettings.GlobalIPv6Address"));
	alias(c, "mac", jstr(o, "NetworkSettings.MacAddress"));
	nets = js(o, "NetworkSettings.Networks");
	json_object_foreach(json_is_object(nets) ? nets : NULL, key, v) {
		alias(c, "network", key);
		if ((ip = jstr(v, "IPAddress")) != NULL)
			alias(c, "ip", ip);
		if ((ip = jstr(v, "GlobalIPv6Address")) != NULL)
			alias(c, "ip", ip);
		alias(c, "mac", jstr(v, "MacAddress"));
	}
	v = js(hc, "Privileged");
	if ((rc = container(c, name, image, json_is_boolean(v) ?
					      json_is_true(v) : -1)) < 0)
		return rc;

	net_rec_init(&r, NR_CMETA);
	r.s[CMS_ID] = c->id;
	r.s[CMS_RUNTIME] = podman ? "podman" : "docker";
	r.s[CMS_STATE] = jstr(o, "State.Status");
	r.i[CM_PID] = jint(o, "State.Pid");
	r.s[CMS_STARTED] = jstr(o, "State.StartedAt");
	r.s[CMS_USER] = jstr(o, "Config.User");
	r.i[CM_RO_ROOTFS] = jint(hc, "ReadonlyRootfs");
	r.s[CMS_PIDMODE] = jstr(hc, "PidMode");
	r.s[CMS_NETMODE] = jstr(hc, "NetworkMode");
	r.s[CMS_IPCMODE] = jstr(hc, "IpcMode");
	r.s[CMS_UTSMODE] = jstr(hc, "UTSMode");
	r.s[CMS_USERNS] = jstr(hc, "UsernsMode");
	r.s[CMS_CGROUPNS] = jstr(hc, "CgroupnsMode");
	r.s[CMS_CGPARENT] = jstr(hc, "CgroupParent");
	r.s[CMS_SECCOMP] = secopt(opts, "seccomp");
	if (r.s[CMS_SECCOMP] == NULL)
		r.s[CMS_SECCOMP] = jstr(o, "SeccompProfilePath");
	r.s[CMS_APPARMOR] = secopt(opts, "apparmor");
	if (r.s[CMS_APPARMOR] == NULL)
		r.s[CMS_APPARMOR] = jstr(o, "AppArmorProfile");
	nnp = secopt(opts, "no-new-privileges");
	if (nnp != NULL)
		r.i[CM_NNP] = strcmp(nnp, "false") != 0;
	r.i[CM_MEMORY] = jint(hc, "Memory");
	q = jint(hc, "CpuQuota");
	p = jint(hc, "CpuPeriod");
	r.i[CM_CPU] = jint(hc, "NanoCpus");
	if ((r.i[CM_CPU] == NR_NULL || r.i[CM_CPU] == 0) && q != NR_NULL &&
	    q > 0 && q < INT64_MAX / 1000000000)
		r.i[CM_CPU] = q * 1000000000 /
			      (p != NR_NULL && p > 0 ? p : 100000);
	r.i[CM_PIDS] = jint(hc, "PidsLimit");
	r.s[CMS_HOSTNAME] = jstr(o, "Config.Hostname");
	r.s[CMS_DIGEST] = jstr(o, "Image");
	sbuf_init(&cmd, 1u << 20);
	if (jstr(o, "Path"))
		sbuf_addstr(&cmd, jstr(o, "Path"));
	v = js(o, "Args");
	for (i = 0; json_is_array(v) && i < json_array_size(v) &&
	    i < INSPECT_MAX_LIST; i++)
		if (json_is_string(json_array_get(v, i)))
			sbuf_addf(&cmd, "%s%s", cmd.len ? " " : "",
			    json_string_value(json_array_get(v, i)));
	r.s[CMS_COMMAND] = cmd.len ? cmd.buf : NULL;
	r.s[CMS_SECOPT] = jdump(c, opts);
	r.s[CMS_LABELS] = jdump(c, js(o, "Config.Labels"));
	rc = emit(c, &r);
	sbuf_release(&cmd);
	if (rc < 0)
		return rc;

	if ((rc = caps(c, "add", js(hc, "CapAdd"))) < 0 ||
	    (rc = caps(c, "drop", js(hc, "CapDrop"))) < 0 ||
	    (rc = caps(c, "effective", js(o, "EffectiveCaps"))) < 0 ||
	    (rc = caps(c, "bounding", js(o, "BoundingCaps"))) < 0)
		return rc;

	v = js(o, "Mounts");
	if (v != NULL && !json_is_array(v) && !json_is_null(v) &&
	    (rc = anom(c, "Mounts is not an array")) < 0)
		return rc;
	for (i = 0; json_is_array(v) && i < json_array_size(v) &&
	    i < INSPECT_MAX_LIST; i++) {
		json_t *m = json_array_get(v, i);
		if ((rc = mount(c, seq++, jstr(m, "Type"), jstr(m, "Source"),
			 jstr(m, "Destination"), jint(m, "RW"),
			 jstr(m, "Propagation"))) < 0)
			return rc;
	}
	/* Binds ("src:dst[:opts]") when Mounts does not list them. */
	v = js(hc, "Binds");
	for (i = 0; json_is_array(v) && i < json_array_size(v) &&
	    i < INSPECT_MAX_LIST; i++) {
		const char *b = json_string_value(json_array_get(v, i));
		char *src, *dst, *opt;
		json_t *ms = js(o, "Mounts");
		bool listed = false;
		size_t j;

		if (b == NULL || strchr(b, ':') == NULL)
			continue;
		src = xstrdup(b);
		dst = strchr(src, ':');
		*dst++ = '\0';
		opt = strchr(dst, ':');
		if (opt)
			*opt++ = '\0';
		for (j = 0; json_is_array(ms) && j < json_array_size(ms); j++) {
			const char *d = jstr(json_array_get(ms, j),
			    "Destination");
			listed |= d && strcmp(d, dst) == 0;
		}
		rc = listed ? 0 : mount(c, seq++, "bind", src, dst,
		    bind_ro(opt) ? 0 : 1, NULL);
		free(src);
		if (rc < 0)
			return rc;
	}
	v = js(hc, "Devices");
	for (i = 0; json_is_array(v) && i < json_array_size(v) &&
	    i < INSPECT_MAX_LIST; i++) {
		json_t *d = json_array_get(v, i);
		if ((rc = device(c, jstr(d, "PathOnHost"),
			 jstr(d, "PathInContainer"),
			 jstr(d, "CgroupPermissions"))) < 0)
			return rc;
	}
	return 0;
}

/* A CRI namespace mode from the OCI spec: absent means the host's. */
static const char *
cri_ns(json_t *spec, const char *type)
{
	json_t *ns = js(spec, "linux.namespaces");
	size_t i;

	if (!json_is_array(ns))
		return NULL;
	for (i = 0; i < json_array_size(ns); i++) {
		json_t *n = json_array_get(ns, i);
		const char *t = jstr(n, "type"), *p = jstr(n, "path");
		if (t && strcmp(t, type) == 0)
			return p && *p ? p : "private";
	}
	return "host";
}

static int
cri_doc(struct insp *c, json_t *o)
{
	json_t *st = js(o, "status"), *info = js(o, "info"),
	       *spec = js(info, "runtimeSpec"), *v;
	const char *name = jstr(st, "metadata.name"), *prop;
	struct net_rec r;
	struct sbuf cmd;
	char shortid[13];
	int64_t q, p, priv = jint(info, "privileged");
	size_t i;
	int rc;

	if (priv == NR_NULL)
		priv = jint(info, "config.linux.security_context.privileged");
	snprintf(shortid, sizeof(shortid), "%.12s", c->id);
	alias(c, "name", name);
	alias(c, "short_id", shortid);
	v = js(st, "labels");
	if (json_is_object(v)) {
		alias(c, "pod", json_string_value(json_object_get(v,
				    "io.kubernetes.pod.name")));
		alias(c, "k8s_uid", json_string_value(json_object_get(v,
					"io.kubernetes.pod.uid")));
		alias(c, "k8s_namespace", json_string_value(
		    json_object_get(v, "io.kubernetes.pod.namespace")));
	}
	alias(c, "ip", jstr(st, "network.ip"));
	v = js(st, "network.additionalIps");
	for (i = 0; json_is_array(v) && i < json_array_size(v) && i < 64; i++)
		alias(c, "ip", jstr(json_array_get(v, i), "ip"));
	alias(c, "hostname", jstr(spec, "hostname"));
	if ((rc = container(c, name, jstr(st, "image.image"),
		 priv == NR_NULL ? -1 : (int)priv)) < 0)
		return rc;

	net_rec_init(&r, NR_CMETA);
	r.s[CMS_ID] = c->id;
	r.s[CMS_RUNTIME] = "cri";
	r.s[CMS_STATE] = jstr(st, "state");
	r.i[CM_PID] = jint(info, "pid");
	r.s[CMS_STARTED] = jstr(st, "startedAt");
	if (json_is_integer(js(spec, "process.user.uid")))
		r.s[CMS_USER] = own(c, xasprintf("%" JSON_INTEGER_FORMAT,
					   json_integer_value(js(spec,
					       "process.user.uid"))));
	r.i[CM_RO_ROOTFS] = jint(spec, "root.readonly");
	if (spec != NULL) {
		r.s[CMS_PIDMODE] = cri_ns(spec, "pid");
		r.s[CMS_NETMODE] = cri_ns(spec, "network");
		r.s[CMS_IPCMODE] = cri_ns(spec, "ipc");
		r.s[CMS_UTSMODE] = cri_ns(spec, "uts");
		r.s[CMS_USERNS] = cri_ns(spec, "user");
		r.s[CMS_CGROUPNS] = cri_ns(spec, "cgroup");
		r.s[CMS_SECCOMP] = js(spec, "linux.seccomp") ? "runtime/default"
							     : "unconfined";
		v = js(info, "config.linux.security_context.seccomp.profile_type");
		if (json_is_string(v))
			r.s[CMS_SECCOMP] = json_string_value(v);
		r.s[CMS_APPARMOR] = jstr(spec, "process.apparmorProfile");
		r.i[CM_NNP] = jint(spec, "process.noNewPrivileges");
	}
	r.s[CMS_CGPARENT] = jstr(spec, "linux.cgroupsPath");
	r.i[CM_MEMORY] = jint(spec, "linux.resources.memory.limit");
	q = jint(spec, "linux.resources.cpu.quota");
	p = jint(spec, "linux.resources.cpu.period");
	if (q != NR_NULL && q > 0 && q < INT64_MAX / 1000000000)
		r.i[CM_CPU] = q * 1000000000 /
			      (p != NR_NULL && p > 0 ? p : 100000);
	r.i[CM_PIDS] = jint(spec, "linux.resources.pids.limit");
	r.s[CMS_HOSTNAME] = jstr(spec, "hostname");
	r.s[CMS_DIGEST] = jstr(st, "imageRef");
	sbuf_init(&cmd, 1u << 20);
	v = js(spec, "process.args");
	for (i = 0; json_is_array(v) && i < json_array_size(v) &&
	    i < INSPECT_MAX_LIST; i++)
		if (json_is_string(json_array_get(v, i)))
			sbuf_addf(&cmd, "%s%s", cmd.len ? " " : "",
			    json_string_value(json_array_get(v, i)));
	r.s[CMS_COMMAND] = cmd.len ? cmd.buf : NULL;
	r.s[CMS_LABELS] = jdump(c, js(st, "labels"));
	rc = emit(c, &r);
	sbuf_release(&cmd);
	if (rc < 0)
		return rc;
	if ((rc = caps(c, "effective",
		 js(spec, "process.capabilities.effective"))) < 0 ||
	    (rc = caps(c, "bounding",
		 js(spec, "process.capabilities.bounding"))) < 0 ||
	    (rc = caps(c, "add", js(info,
		 "config.linux.security_context.capabilities.add_capabilities"))) < 0 ||
	    (rc = caps(c, "drop", js(info,
		 "config.linux.security_context.capabilities.drop_capabilities"))) < 0)
		return rc;
	v = js(st, "mounts");
	for (i = 0; json_is_array(v) && i < json_array_size(v) &&
	    i < INSPECT_MAX_LIST; i++) {
		json_t *m = json_array_get(v, i);
		int64_t ro = jint(m, "readonly");
		prop = jstr(m, "propagation");
		if ((rc = mount(c, (int64_t)i, "bind", jstr(m, "hostPath"),
			 jstr(m, "containerPath"),
			 ro == NR_NULL ? 1 : !ro, prop)) < 0)
			return rc;
	}
	v = js(spec, "linux.devices");
	for (i = 0; json_is_array(v) && i < json_array_size(v) &&
	    i < INSPECT_MAX_LIST; i++)
		if ((rc = device(c, jstr(json_array_get(v, i), "path"),
			 jstr(json_array_get(v, i), "path"), NULL)) < 0)
			return rc;
	return 0;
}

static int
one_doc(struct insp *c, json_t *o)
{
	int rc;

	c->id = NULL;
	c->na = 0;
	if (!json_is_object(o))
		return anom(c, "not a JSON object: skipped");
	if (js(o, "Id") != NULL) {
		c->id = jstr(o, "Id");
		if (c->id == NULL || *c->id == '\0')
			return anom(c, "\"Id\" is not a string: skipped");
		if (js(o, "State") == NULL && js(o, "HostConfig") == NULL)
			return anom(c, "no \"State\" nor \"HostConfig\": "
				       "not a container (an image's inspect "
				       "output?): skipped");
		rc = docker_doc(c, o);
	} else if (json_is_object(js(o, "status"))) {
		c->id = jstr(o, "status.id");
		if (c->id == NULL || *c->id == '\0')
			return anom(c, "\"status.id\" is not a string: "
				       "skipped");
		rc = cri_doc(c, o);
	} else {
		rc = anom(c, "neither a docker/podman (\"Id\") nor a crictl "
			     "(\"status\") document: skipped");
	}
	while (c->nown > 0)
		free(c->own[--c->nown]);
	return rc;
}

static int
imp_inspect_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct insp c = { .ctx = ctx, .e = e };
	struct sbuf buf;
	json_error_t je;
	json_t *root;
	size_t i;
	int rc = 0;

	sbuf_init(&buf, INSPECT_MAX + 65536);
	if ((rc = ingest_src_read_all(ctx, INSPECT_MAX, "inspect JSON", &buf,
		 e)) < 0)
		goto out;
	root = json_loadb(buf.buf, buf.len, 0, &je);
	if (root == NULL) {
		rc = dd_err_set_at(e, DD_EFORMAT, je.position,
		    "'%s' is not JSON at offset %d (line %d): %s",
		    ctx->src->name, je.position, je.line, je.text);
		goto out;
	}
	if (json_is_array(root)) {
		if (json_array_size(root) > INSPECT_MAX_DOCS)
			rc = ingest_anomaly(ctx, -1, "'%s': %zu documents, "
			    "only the first %u read", ctx->src->name,
			    json_array_size(root), INSPECT_MAX_DOCS);
		for (i = 0; rc >= 0 && i < json_array_size(root) &&
		    i < INSPECT_MAX_DOCS; i++) {
			c.doc = i;
			rc = one_doc(&c, json_array_get(root, i));
		}
	} else if (json_is_object(root)) {
		rc = one_doc(&c, root);
	} else {
		rc = dd_err_set(e, DD_EFORMAT, "'%s': inspect JSON is an "
		    "object or an array of objects", ctx->src->name);
	}
	json_decref(root);
out:
	sbuf_release(&buf);
	return rc < 0 ? rc : 0;
}

/* JSON whose first document names inspect keys early: "Id" with "State"
 * or "HostConfig" (docker, podman), or "status" with "info" (crictl). */
static int
imp_inspect_sniff(const uint8_t *head, size_t n, const char *basename)
{
	size_t i = 0;

	(void)basename;
	while (i < n && (head[i] == ' ' || head[i] == '\n' ||
	    head[i] == '\r' || head[i] == '\t'))
		i++;
	if (i == n || (head[i] != '[' && head[i] != '{'))
		return 0;
	if (memmem(head, n, "\"Id\"", 4) && (memmem(head, n, "\"State\"", 7) ||
	    memmem(head, n, "\"HostConfig\"", 12)))
		return 40;
	if (memmem(head, n, "\"status\"", 8) && memmem(head, n, "\"info\"", 6) &&
	    (memmem(head, n, "\"runtimeSpec\"", 13) ||
	     memmem(head, n, "\"imageRef\"", 10) ||
	     memmem(head, n, "\"metadata\"", 10)))
		return 40;
	return 0;
}

const struct importer imp_inspect = {
	.abi = INGEST_ABI,
	.name = "inspect",
	.version = "1",
	.summary = "container metadata: docker, podman and crictl inspect "
		   "JSON (configuration, privileges, mounts, addresses)",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_inspect_sniff,
	.import = imp_inspect_import,
	.options = NULL,
	.zlevel = 0,
};

int
inspect_doc(struct imp_ctx *ctx, struct json_t *doc, size_t index,
    struct dd_err *e)
{
	struct insp c;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.e = e;
	c.doc = index;
	return one_doc(&c, doc);
}
