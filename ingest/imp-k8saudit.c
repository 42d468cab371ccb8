/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-k8saudit.c: Kubernetes API-server audit logs (audit.k8s.io/v1
 * Event objects): the log backend's JSON lines, one event per file, a JSON
 * array of events, or an EventList ({"kind": "EventList", "items": [...]}).
 *
 *   {"kind":"Event","auditID":..,"stage":"ResponseComplete","verb":"create",
 *    "user":{"username":..,"groups":[..]},"sourceIPs":[..],"userAgent":..,
 *    "objectRef":{"resource":"pods","subresource":"exec","namespace":..,
 *                 "name":..,"apiGroup":..},
 *    "requestURI":..,"responseStatus":{"code":201},
 *    "annotations":{"authorization.k8s.io/decision":"allow"},
 *    "requestObject":{...},"stageTimestamp":"2018-10-26T14:35:50.627514Z"}
 *
 * One k8s_audit row per event. When the request object holds a pod spec
 * (a pod's spec, a workload's spec.template.spec, a cronjob's
 * spec.jobTemplate.spec.template.spec), its risky settings are summarised:
 * privileged containers (init and ephemeral ones too), hostPID,
 * hostNetwork, hostIPC, hostPath volumes, added capabilities, images.
 *
 * Hostile input: lines through ingest_lines (LIM_TEXT_LINE; longer lines
 * cut, an anomaly); a whole-file document at most K8S_DOC_MAX bytes;
 * jansson refuses nesting deeper than 2048; a line or item that is not an
 * Event is an anomaly with its offset, the rest imported.
 */
#include "core/common.h"

#include <jansson.h>

#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/k8s.h"
#include "ingest/members.h"

#define K8S_DOC_MAX (256u * 1024u * 1024u)

struct ka {
	struct imp_ctx *ctx;
	struct dd_err *e;
	int64_t seq;
	struct k8s_pod pod;
};

static const char *
ka_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int
ka_event(struct ka *a, json_t *ev, int64_t off)
{
	struct sink *k = a->ctx->sink;
	json_t *ref, *ps, *v;
	struct net_rec r;
	const char *t;
	char *groups = NULL, ip[64] = "";
	int64_t ts = EV_TS_NONE;
	int rc;

	if (!json_is_object(ev) || (ka_str(ev, "kind") &&
		strcmp(ka_str(ev, "kind"), "Event") != 0) ||
	    (ka_str(ev, "verb") == NULL && ka_str(ev, "auditID") == NULL))
		return ingest_anomaly(a->ctx, off, "not a Kubernetes audit "
		    "Event: skipped");
	ref = json_object_get(ev, "objectRef");
	t = ka_str(ev, "stageTimestamp");
	if (t == NULL)
		t = ka_str(ev, "requestReceivedTimestamp");
	if (t == NULL)
		t = ka_str(ev, "timestamp");
	if (t != NULL && !time_parse(t, &ts)) {
		ts = EV_TS_NONE;
		if ((rc = ingest_anomaly(a->ctx, off, "a time that is not "
				 "RFC 3339: '%.40s'", t)) < 0)
			return rc;
	}
	net_rec_init(&r, NR_K8SAUDIT);
	if ((ps = k8s_podspec(json_object_get(ev, "requestObject"))) != NULL) {
		struct k8s_pod *p = &a->pod;
		k8s_pod_summary(ps, p);
		r.i[KA_PRIV] = p->priv;
		r.i[KA_HOSTPID] = p->host_pid;
		r.i[KA_HOSTNET] = p->host_net;
		r.i[KA_HOSTIPC] = p->host_ipc;
		r.s[KAS_HOSTPATHS] = p->host_paths.len ? p->host_paths.buf :
		    NULL;
		r.s[KAS_CAPS] = p->caps.len ? p->caps.buf : NULL;
		r.s[KAS_IMAGES] = p->images.len ? p->images.buf : NULL;
	}
	v = json_object_get(json_object_get(ev, "user"), "groups");
	if (json_is_array(v))
		groups = json_dumps(v, JSON_COMPACT);
	v = json_object_get(ev, "sourceIPs");
	if (json_is_array(v) && json_is_string(json_array_get(v, 0)))
		snprintf(ip, sizeof(ip), "%s",
		    json_string_value(json_array_get(v, 0)));
	r.i[KA_SEQ] = a->seq++;
	r.i[KA_TS] = ts == EV_TS_NONE ? NR_NULL : ts;
	r.s[KAS_ID] = ka_str(ev, "auditID");
	r.s[KAS_STAGE] = ka_str(ev, "stage");
	r.s[KAS_VERB] = ka_str(ev, "verb");
	r.s[KAS_USER] = ka_str(json_object_get(ev, "user"), "username");
	r.s[KAS_GROUPS] = groups;
	r.s[KAS_IP] = ip[0] ? ip : NULL;
	r.s[KAS_UA] = ka_str(ev, "userAgent");
	r.s[KAS_GROUP] = ka_str(ref, "apiGroup");
	r.s[KAS_RES] = ka_str(ref, "resource");
	r.s[KAS_SUBRES] = ka_str(ref, "subresource");
	r.s[KAS_NS] = ka_str(ref, "namespace");
	r.s[KAS_NAME] = ka_str(ref, "name");
	r.s[KAS_URI] = ka_str(ev, "requestURI");
	v = json_object_get(json_object_get(ev, "responseStatus"), "code");
	r.i[KA_CODE] = json_is_integer(v) ? json_integer_value(v) : NR_NULL;
	r.s[KAS_DECISION] = ka_str(json_object_get(ev, "annotations"),
	    "authorization.k8s.io/decision");
	rc = k->ops->net ? k->ops->net(k, a->ctx->artifact_id, &r, a->e) : 0;
	free(groups);
	return rc;
}

/* A whole document: an event, an array of events, or an EventList. */
static int
ka_doc(struct ka *a, json_t *o, int64_t off)
{
	json_t *items = json_is_array(o) ? o : json_object_get(o, "items");
	int rc = 0;

	if (json_is_object(o) && ka_str(o, "kind") &&
	    strcmp(ka_str(o, "kind"), "EventList") != 0)
		return ka_event(a, o, off);
	if (!json_is_array(items))
		return ka_event(a, o, off);
	for (size_t i = 0; rc >= 0 && i < json_array_size(items); i++)
		rc = ka_event(a, json_array_get(items, i), off);
	return rc;
}

static int
imp_k8saudit_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct ka a = { .ctx = ctx, .e = e };
	struct ingest_lines l;
	struct sbuf whole;
	const uint8_t *p;
	size_t n;
	uint64_t off;
	bool cut;
	int rc;

	k8s_pod_init(&a.pod);
	sbuf_init(&whole, K8S_DOC_MAX);
	ingest_lines_init(&l, ingest_read_src, ctx);
	/* JSON lines; a line that does not parse alone (a pretty-printed
	 * document) sends the whole file to one parse */
	while ((rc = ingest_lines_next(&l, &p, &n, &off, &cut, e)) > 0) {
		json_error_t je;
		json_t *o;
		if (whole.len > 0 || (a.seq == 0 && n > 0 && p[0] != '{')) {
			if (sbuf_add(&whole, p, n) < 0 ||
			    sbuf_addch(&whole, '\n') < 0) {
				rc = dd_err_set(e, DD_ELIMIT, "'%s': a JSON "
				    "document of more than %u MiB",
				    ctx->src->name, K8S_DOC_MAX >> 20);
				break;
			}
			continue;
		}
		if (n == 0)
			continue;
		if (cut && (rc = ingest_anomaly(ctx, (int64_t)off, "a line "
				    "longer than %u bytes: cut",
				    LIM_TEXT_LINE)) < 0)
			break;
		o = json_loadb((const char *)p, n, 0, &je);
		if (o == NULL && a.seq == 0 && !cut) {
			/* not JSON lines: read the file as one document */
			sbuf_add(&whole, p, n);
			sbuf_addch(&whole, '\n');
			continue;
		}
		if (o == NULL)
			rc = ingest_anomaly(ctx, (int64_t)off, "not JSON: %s",
			    je.text);
		else
			rc = ka_doc(&a, o, (int64_t)off);
		json_decref(o);
		if (rc < 0)
			break;
	}
	if (rc >= 0 && whole.len > 0) {
		json_error_t je;
		json_t *o = json_loadb(whole.buf, whole.len, 0, &je);
		if (o == NULL)
			rc = dd_err_set_at(e, DD_EFORMAT, je.position, "'%s' is "
			    "not JSON at offset %d (line %d): %s",
			    ctx->src->name, je.position, je.line, je.text);
		else
			rc = ka_doc(&a, o, 0);
		json_decref(o);
	}
	if (rc >= 0 && a.seq == 0)
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no Kubernetes audit event",
		    ctx->src->name);
	ingest_lines_release(&l);
	sbuf_release(&whole);
	k8s_pod_release(&a.pod);
	return rc < 0 ? rc : 0;
}

/* JSON naming the audit.k8s.io API or an Event with auditID and verb. */
static int
imp_k8saudit_sniff(const uint8_t *head, size_t n, const char *basename)
{
	size_t i = 0;

	(void)basename;
	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\t' ||
	    head[i] == '\r'))
		i++;
	if (i == n || (head[i] != '{' && head[i] != '['))
		return 0;
	if (memmem(head, n, "\"auditID\"", 9) && memmem(head, n, "\"verb\"", 6)
	    && (memmem(head, n, "\"objectRef\"", 11) ||
		memmem(head, n, "\"requestURI\"", 12)))
		return 48;
	return 0;
}

const struct importer imp_k8saudit = {
	.abi = INGEST_ABI,
	.name = "k8saudit",
	.version = "1",
	.summary = "Kubernetes API-server audit logs (audit.k8s.io/v1 events: "
		   "JSON lines, one event, an array or an EventList); pod "
		   "specs' privileged, host namespaces, hostPath, capabilities",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_k8saudit_sniff,
	.import = imp_k8saudit_import,
	.options = NULL,
	.zlevel = 0,
};
