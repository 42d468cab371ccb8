/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-k8smanifest.c: Kubernetes manifests, YAML (one or more documents
 * separated by ---) or JSON (an object, or a List of items): one
 * k8s_objects row per object with its kind, namespace, name and uid, and
 * for objects that hold a pod spec (Pod, Deployment, DaemonSet,
 * StatefulSet, ReplicaSet, Job, CronJob, ReplicationController...) its
 * risky settings (ingest/k8s.h): privileged, host namespaces, hostPath
 * volumes, added capabilities, images and container names, the service
 * account and whether its token is mounted, whether a container may run
 * as root or escalate. The pod uid and container names tie a manifest to
 * the containers other evidence names (container aliases k8s_uid).
 *
 * YAML through libyaml's document loader, converted to JSON values by
 * core/yamljson.c.
 *
 * Hostile input: the file is read whole up to K8SM_MAX bytes; a document
 * that does not parse is an anomaly naming its line and the rest of the
 * file is not read (libyaml cannot resynchronise); nesting deeper than
 * K8SM_DEPTH and more than K8SM_NODES converted nodes per document (an
 * alias bomb) stop that document with an anomaly.
 */
#include "core/common.h"

#include <jansson.h>
#include <yaml.h>

#include "core/dderr.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "core/yamljson.h"
#include "ingest/ingest.h"
#include "ingest/k8s.h"

#define K8SM_MAX (64u * 1024u * 1024u)
#define K8SM_DEPTH 64
#define K8SM_NODES 1000000u
#define K8SM_ITEMS 100000u

struct km {
	struct imp_ctx *ctx;
	struct dd_err *e;
	int64_t seq;
	size_t budget;		/* nodes left for this document */
	bool over;
	struct k8s_pod pod;
};

static const char *
km_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int
km_object(struct km *m, json_t *o, int64_t doc, int64_t line)
{
	struct sink *k = m->ctx->sink;
	json_t *md = json_object_get(o, "metadata"), *ps;
	struct net_rec r;

	if (!json_is_object(o) || km_str(o, "kind") == NULL)
		return ingest_anomaly(m->ctx, -1, "document %" PRId64 " (line "
		    "%" PRId64 "): not a Kubernetes object (no kind): skipped",
		    doc, line);
	net_rec_init(&r, NR_K8SOBJ);
	r.i[KO_SEQ] = m->seq++;
	r.i[KO_DOC] = doc;
	r.i[KO_LINE] = line;
	r.s[KOS_KIND] = km_str(o, "kind");
	r.s[KOS_API] = km_str(o, "apiVersion");
	r.s[KOS_NS] = km_str(md, "namespace");
	r.s[KOS_NAME] = km_str(md, "name");
	r.s[KOS_UID] = km_str(md, "uid");
	if ((ps = k8s_podspec(o)) != NULL) {
		struct k8s_pod *p = &m->pod;
		k8s_pod_summary(ps, p);
		r.i[KO_PRIV] = p->priv;
		r.i[KO_HOSTPID] = p->host_pid;
		r.i[KO_HOSTNET] = p->host_net;
		r.i[KO_HOSTIPC] = p->host_ipc;
		r.i[KO_AUTOMOUNT] = p->automount < 0 ? NR_NULL : p->automount;
		r.i[KO_ROOT] = p->run_as_root;
		r.i[KO_ESC] = p->escalation < 0 ? NR_NULL : p->escalation;
		r.s[KOS_HOSTPATHS] = p->host_paths.len ? p->host_paths.buf :
		    NULL;
		r.s[KOS_CAPS] = p->caps.len ? p->caps.buf : NULL;
		r.s[KOS_IMAGES] = p->images.len ? p->images.buf : NULL;
		r.s[KOS_CONTAINERS] = p->names.len ? p->names.buf : NULL;
		r.s[KOS_SA] = p->sa;
	}
	return k->ops->net ? k->ops->net(k, m->ctx->artifact_id, &r, m->e) : 0;
}

/* An object, or the items of a List. */
static int
km_doc(struct km *m, json_t *o, int64_t doc, int64_t line)
{
	json_t *items = json_object_get(o, "items");
	int rc = 0;
	const char *kind = km_str(o, "kind");
	size_t kl = kind ? strlen(kind) : 0;

	if (json_is_null(o))
		return 0; /* an empty document (a trailing ---) */
	if (json_is_array(o))
		items = o;
	else if (!(kl >= 4 && strcmp(kind + kl - 4, "List") == 0 &&
		       json_is_array(items))) /* List, PodList... */
		return km_object(m, o, doc, line);
	for (size_t i = 0; rc >= 0 && i < json_array_size(items) &&
	    i < K8SM_ITEMS; i++)
		rc = km_object(m, json_array_get(items, i), doc, line);
	return rc;
}

static int
km_yaml(struct km *m, const char *buf, size_t len)
{
	yaml_parser_t p;
	int64_t doc = 0;
	int rc = 0;

	if (!yaml_parser_initialize(&p))
		return dd_err_set(m->e, DD_EINTERNAL, "libyaml: no memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		yaml_document_t d;
		yaml_node_t *root;
		json_t *o;
		int64_t line;
		if (!yaml_parser_load(&p, &d)) {
			rc = doc == 0 ? dd_err_set_at(m->e, DD_EFORMAT,
			    (int64_t)p.problem_mark.index, "'%s' is not YAML at "
			    "line %zu: %s", m->ctx->src->name,
			    p.problem_mark.line + 1, p.problem ? p.problem :
			    "?") : ingest_anomaly(m->ctx,
			    (int64_t)p.problem_mark.index, "YAML error at line "
			    "%zu: %s: the rest of the file is not read",
			    p.problem_mark.line + 1, p.problem ? p.problem :
			    "?");
			break;
		}
		root = yaml_document_get_root_node(&d);
		if (root == NULL) { /* the end of the stream */
			yaml_document_delete(&d);
			break;
		}
		line = (int64_t)d.start_mark.line + 1;
		m->budget = K8SM_NODES;
		m->over = false;
		o = yamljson_node(&d, root, K8SM_DEPTH, &m->budget,
		    &m->over);
		yaml_document_delete(&d);
		if (m->over)
			rc = ingest_anomaly(m->ctx, -1, "document %" PRId64
			    " (line %" PRId64 "): deeper than %d or more than "
			    "%u nodes (an alias bomb?): skipped", doc, line,
			    K8SM_DEPTH, K8SM_NODES);
		else
			rc = km_doc(m, o, doc, line);
		json_decref(o);
		doc++;
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

static int
imp_k8smanifest_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct km m = { .ctx = ctx, .e = e };
	struct sbuf all;
	size_t i = 0;
	int rc;

	sbuf_init(&all, K8SM_MAX + 65536);
	k8s_pod_init(&m.pod);
	if ((rc = ingest_src_read_all(ctx, K8SM_MAX, "manifest", &all, e)) <
	    0)
		goto out;
	while (i < all.len && (all.buf[i] == ' ' || all.buf[i] == '\n' ||
	    all.buf[i] == '\r' || all.buf[i] == '\t'))
		i++;
	if (i < all.len && (all.buf[i] == '{' || all.buf[i] == '[')) {
		json_error_t je;
		json_t *o = json_loadb(all.buf, all.len, 0, &je);
		if (o == NULL) {
			rc = dd_err_set_at(e, DD_EFORMAT, je.position, "'%s' is "
			    "not JSON at offset %d (line %d): %s",
			    ctx->src->name, je.position, je.line, je.text);
			goto out;
		}
		rc = km_doc(&m, o, 0, 1);
		json_decref(o);
	} else {
		rc = km_yaml(&m, all.buf, all.len);
	}
	if (rc >= 0 && m.seq == 0)
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no Kubernetes object",
		    ctx->src->name);
out:
	k8s_pod_release(&m.pod);
	sbuf_release(&all);
	return rc < 0 ? rc : 0;
}

/* apiVersion and kind near the top, in YAML or JSON. */
static int
imp_k8smanifest_sniff(const uint8_t *head, size_t n, const char *basename)
{
	(void)basename;
	if (memchr(head, '\0', n) != NULL)
		return 0;
	if ((memmem(head, n, "apiVersion:", 11) && memmem(head, n, "kind:",
		5)) || (memmem(head, n, "\"apiVersion\"", 12) &&
		memmem(head, n, "\"kind\"", 6) && !memmem(head, n,
		    "\"auditID\"", 9)))
		return 35;
	return 0;
}

const struct importer imp_k8smanifest = {
	.abi = INGEST_ABI,
	.name = "k8smanifest",
	.version = "1",
	.summary = "Kubernetes manifests (YAML documents or JSON, Lists "
		   "included): objects, and for pods and workloads their "
		   "privileged, host namespaces, hostPath, capabilities, "
		   "images, service account and token automount",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_k8smanifest_sniff,
	.import = imp_k8smanifest_import,
	.options = NULL,
	.zlevel = 0,
};
