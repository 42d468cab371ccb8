/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.c: the risky settings of a Kubernetes pod spec (see k8s.h). */
#include "core/common.h"

#include <jansson.h>

#include "ingest/k8s.h"

#define K8S_LIST_MAX 1000u

void
k8s_pod_init(struct k8s_pod *p)
{
	memset(p, 0, sizeof(*p));
	sbuf_init(&p->host_paths, 1u << 20);
	sbuf_init(&p->caps, 1u << 20);
	sbuf_init(&p->images, 1u << 20);
	sbuf_init(&p->names, 1u << 20);
}

void
k8s_pod_release(struct k8s_pod *p)
{
	sbuf_release(&p->host_paths);
	sbuf_release(&p->caps);
	sbuf_release(&p->images);
	sbuf_release(&p->names);
}

static void
k8s_list(struct sbuf *b, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	sbuf_addf(b, "%s%s", b->len ? "," : "", v);
}

static const char *
k8s_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* runAsNonRoot / runAsUser of a security context: 1 root allowed, 0 not,
 * -1 unsaid. */
static int
k8s_root(json_t *sc)
{
	json_t *u = json_object_get(sc, "runAsUser");
	if (json_is_integer(u))
		return json_integer_value(u) == 0;
	if (json_is_true(json_object_get(sc, "runAsNonRoot")))
		return 0;
	return -1;
}

static void
k8s_containers(struct k8s_pod *p, json_t *list, int pod_root)
{
	for (size_t i = 0; json_is_array(list) && i < json_array_size(list) &&
	    i < K8S_LIST_MAX; i++) {
		json_t *c = json_array_get(list, i);
		json_t *sc = json_object_get(c, "securityContext"), *add, *esc;
		int root = k8s_root(sc);
		if (json_is_true(json_object_get(sc, "privileged")))
			p->priv = true;
		add = json_object_get(json_object_get(sc, "capabilities"),
		    "add");
		for (size_t j = 0; json_is_array(add) && j < json_array_size(add)
		    && j < K8S_LIST_MAX; j++)
			k8s_list(&p->caps, json_string_value(json_array_get(add,
			    j)));
		k8s_list(&p->images, k8s_str(c, "image"));
		k8s_list(&p->names, k8s_str(c, "name"));
		if (root < 0)
			root = pod_root;
		/* unsaid: the image decides, and most run as root */
		if (root != 0)
			p->run_as_root = 1;
		esc = json_object_get(sc, "allowPrivilegeEscalation");
		if (json_is_true(esc) || json_is_true(json_object_get(sc,
			"privileged")))
			p->escalation = 1;
		else if (!json_is_false(esc) && p->escalation != 1)
			p->escalation = -1;
	}
}

json_t *
k8s_podspec(json_t *obj)
{
	json_t *spec = json_object_get(obj, "spec"), *t;

	if (!json_is_object(spec))
		return NULL;
	if (json_object_get(spec, "containers"))
		return spec;
	t = json_object_get(json_object_get(spec, "template"), "spec");
	if (json_is_object(t))
		return t;
	t = json_object_get(json_object_get(json_object_get(json_object_get(
	    spec, "jobTemplate"), "spec"), "template"), "spec");
	return json_is_object(t) && json_object_get(t, "containers") ? t :
	    NULL;
}

void
k8s_pod_summary(json_t *ps, struct k8s_pod *p)
{
	json_t *vols = json_object_get(ps, "volumes"), *am;
	int pod_root = k8s_root(json_object_get(ps, "securityContext"));

	sbuf_reset(&p->host_paths);
	sbuf_reset(&p->caps);
	sbuf_reset(&p->images);
	sbuf_reset(&p->names);
	p->priv = false;
	p->run_as_root = 0;
	p->escalation = 0;
	k8s_containers(p, json_object_get(ps, "containers"), pod_root);
	k8s_containers(p, json_object_get(ps, "initContainers"), pod_root);
	k8s_containers(p, json_object_get(ps, "ephemeralContainers"),
	    pod_root);
	for (size_t i = 0; json_is_array(vols) && i < json_array_size(vols) &&
	    i < K8S_LIST_MAX; i++)
		k8s_list(&p->host_paths, k8s_str(json_object_get(
		    json_array_get(vols, i), "hostPath"), "path"));
	p->host_pid = json_is_true(json_object_get(ps, "hostPID"));
	p->host_net = json_is_true(json_object_get(ps, "hostNetwork"));
	p->host_ipc = json_is_true(json_object_get(ps, "hostIPC"));
	am = json_object_get(ps, "automountServiceAccountToken");
	p->automount = json_is_boolean(am) ? json_is_true(am) : -1;
	p->sa = k8s_str(ps, "serviceAccountName");
	if (p->sa == NULL)
		p->sa = k8s_str(ps, "serviceAccount");
}
