/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s.h: the risky settings of a Kubernetes pod spec, for the audit-log
 * importer (a request's object) and the manifest importer (a Pod or a
 * workload's template): privileged containers (init and ephemeral ones
 * too), host namespaces, hostPath volumes, added capabilities, images,
 * the service account and token automount, and whether a container may
 * run as root or escalate.
 */
#ifndef INGEST_K8S_H
#define INGEST_K8S_H

#include <stdbool.h>

#include "core/sbuf.h"

struct json_t;

struct k8s_pod {
	bool priv, host_pid, host_net, host_ipc;
	int automount;		/* automountServiceAccountToken: 1, 0, -1 unset */
	int run_as_root;	/* a container may run as uid 0: 1; all say
				   runAsNonRoot or a non-zero runAsUser: 0 */
	int escalation;		/* allowPrivilegeEscalation true somewhere: 1,
				   false everywhere: 0, else -1 */
	const char *sa;		/* serviceAccountName (borrowed) */
	struct sbuf host_paths, caps, images, names; /* comma-separated */
};

void k8s_pod_init(struct k8s_pod *p);
void k8s_pod_release(struct k8s_pod *p);
/* The pod spec of an object: a pod's spec, a workload's
 * spec.template.spec, a CronJob's spec.jobTemplate.spec.template.spec;
 * NULL when none. */
struct json_t *k8s_podspec(struct json_t *obj);
/* Summarise spec into p (reset first). */
void k8s_pod_summary(struct json_t *spec, struct k8s_pod *p);

#endif
