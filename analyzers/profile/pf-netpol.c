/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf-netpol.c: Kubernetes NetworkPolicy objects (networking.k8s.io/v1)
 * from the flows a case attributes to containers (by container address):
 * per container, ingress from the peers that opened connections to it and
 * egress to the peers it opened connections to, each with the ports and
 * protocols seen (TCP, UDP, SCTP: a NetworkPolicy names no others), plus
 * DNS (port 53, UDP and TCP) always allowed. A peer that is itself a
 * container of the case is selected by its labels; others by ipBlock.
 * Flows that are evidence of findings (a beacon, a scan, a tunnel) are
 * left out and counted in a comment.
 */
#include "core/common.h"

#include <jansson.h>
#include <sqlite3.h>

#include "analyzers/profile/profile.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/xmalloc.h"

struct pf_peer {
	bool ingress;
	char *peer;	/* ip, or container id */
	bool container; /* peer is a container */
	char *proto;	/* TCP UDP SCTP */
	int64_t port;
};

static int
pf_peer_cmp(const void *a, const void *b)
{
	const struct pf_peer *x = a, *y = b;
	int c;

	if (x->ingress != y->ingress)
		return x->ingress ? -1 : 1;
	if ((c = strcmp(x->peer, y->peer)) != 0)
		return c;
	if ((c = strcmp(x->proto, y->proto)) != 0)
		return c;
	return (x->port > y->port) - (x->port < y->port);
}

/* A YAML plain scalar is risky for evidence text: every string is
 * written double-quoted with escapes. */
static void
pf_yq(struct sbuf *b, const char *s)
{
	sbuf_addstr(b, "\"");
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sbuf_addf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			sbuf_addf(b, "\\x%02x", c);
		else
			sbuf_add(b, s, 1);
	}
	sbuf_addstr(b, "\"");
}

/* The labels that select container id: its own labels when it has
 * app-like ones, else drydock's name label. */
static void
pf_selector(struct store *s, const char *id, struct sbuf *b, int ind)
{
	sqlite3_stmt *st = NULL;
	char *name = NULL, *labels = NULL;

	if (sqlite3_prepare_v2(s->db,
		"SELECT (SELECT name FROM containers WHERE id = ?1), "
		"(SELECT max(labels) FROM container_meta WHERE container_id = "
		"?1)",
		-1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (sqlite3_column_text(st, 0) != NULL)
				name = xstrdup(
				    (const char *)sqlite3_column_text(st, 0));
			if (sqlite3_column_text(st, 1) != NULL)
				labels = xstrdup(
				    (const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_finalize(st);
	}
	sbuf_addf(b, "%*smatchLabels:\n", ind, "");
	{
		static const char *const keys[] = { "app.kubernetes.io/name",
			"app", "k8s-app", "name" };
		json_t *l = labels ? json_loads(labels, 0, NULL) : NULL;
		size_t i;
		bool done = false;
		for (i = 0; json_is_object(l) && i < 4 && !done; i++) {
			json_t *v = json_object_get(l, keys[i]);
			if (json_is_string(v)) {
				sbuf_addf(b, "%*s", ind + 2, "");
				pf_yq(b, keys[i]);
				sbuf_addstr(b, ": ");
				pf_yq(b, json_string_value(v));
				sbuf_addstr(b, "\n");
				done = true;
			}
		}
		json_decref(l);
		if (!done) {
			char v[64];
			size_t k, n;
			/* a label value: at most 63 of [A-Za-z0-9._-],
			 * alphanumeric at both ends */
			snprintf(v, sizeof(v), "%.63s", name ? name : id);
			for (k = 0, n = strlen(v); k < n; k++)
				if (!((v[k] >= 'a' && v[k] <= 'z') ||
					(v[k] >= 'A' && v[k] <= 'Z') ||
					(v[k] >= '0' && v[k] <= '9') ||
					v[k] == '.' || v[k] == '_' ||
					v[k] == '-'))
					v[k] = '-';
			while (n > 0 && strchr("._-", v[n - 1]) != NULL)
				v[--n] = '\0';
			for (k = 0; k < n && strchr("._-", v[k]) != NULL; k++)
				;
			memmove(v, v + k, n - k + 1);
			if (v[0] == '\0')
				snprintf(v, sizeof(v), "%.12s", id);
			sbuf_addf(b, "%*s\"drydock.io/container\": ", ind + 2,
			    "");
			pf_yq(b, v);
			sbuf_addstr(b, "\n");
		}
	}
	free(name);
	free(labels);
}

static void
pf_dns(struct sbuf *b)
{
	sbuf_addstr(b, "  - ports:  # DNS, always allowed\n"
		       "    - protocol: UDP\n      port: 53\n"
		       "    - protocol: TCP\n      port: 53\n");
}

int
pf_netpol_generate(struct store *s, const struct pf_scope *sc, bool json,
    struct sbuf *out, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	char **ctrs = NULL;
	size_t nc = 0, i;
	int rc = 0;
	json_t *jroot = json ? json_array() : NULL;

	if (!store_has_relation(s, "flows"))
		return dd_err_set(e, DD_ENOTFOUND,
		    "the case has no flows (import a capture first)");
	if (sqlite3_prepare_v2(s->db,
		"SELECT DISTINCT c FROM (SELECT src_container AS c FROM flows "
		"UNION SELECT dst_container FROM flows) WHERE c IS NOT NULL "
		"ORDER BY c",
		-1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "flows");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		if (sc->container != NULL && strcmp(sc->container, c) != 0)
			continue;
		ctrs = xreallocarray(ctrs, nc + 1, sizeof(char *));
		ctrs[nc++] = xstrdup(c);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(s, e, "flows");
		goto out;
	}
	rc = 0;
	if (nc == 0) {
		rc = dd_err_set(e, DD_ENOTFOUND,
		    "no flow is attributed to %s (containers are known by "
		    "their addresses: import inspect JSON or LID-DS metadata)",
		    sc->container ? "the container" : "a container");
		goto out;
	}
	for (i = 0; i < nc; i++) {
		struct pf_peer *v = NULL;
		size_t n = 0, k;
		uint64_t left = 0, other = 0, flows = 0;
		if (sqlite3_prepare_v2(s->db,
			"SELECT f.src_container = ?1 AS out, "
			"CASE WHEN f.src_container = ?1 THEN coalesce("
			"f.dst_container, f.dst) ELSE coalesce(f.src_container, "
			"f.src) END AS peer, CASE WHEN f.src_container = ?1 "
			"THEN f.dst_container IS NOT NULL ELSE f.src_container "
			"IS NOT NULL END, upper(f.proto), f.dport, "
			"EXISTS (SELECT 1 FROM finding_evidence x WHERE "
			"x.relation = 'flows' AND x.key = CAST(f.id AS TEXT)) "
			"FROM flows f WHERE (f.src_container = ?1 OR "
			"f.dst_container = ?1) AND NOT (f.src_container IS ?1 "
			"AND f.dst_container IS ?1)",
			-1, &st, NULL) != SQLITE_OK) {
			rc = store_sqlerr(s, e, "flows");
			goto out;
		}
		sqlite3_bind_text(st, 1, ctrs[i], -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *peer = (const char *)sqlite3_column_text(st, 1);
			const char *proto = (const char *)sqlite3_column_text(st, 3);
			int64_t port = sqlite3_column_int64(st, 4);
			flows++;
			if (sqlite3_column_int(st, 5)) {
				left++;
				continue;
			}
			if (peer == NULL || proto == NULL ||
			    (strcmp(proto, "TCP") != 0 &&
				strcmp(proto, "UDP") != 0 &&
				strcmp(proto, "SCTP") != 0) ||
			    port <= 0 || port > 65535) {
				other++;
				continue;
			}
			if (port == 53 && sqlite3_column_int(st, 0) != 0)
				continue; /* DNS out: always allowed */
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n].ingress = sqlite3_column_int(st, 0) == 0;
			v[n].peer = xstrdup(peer);
			v[n].container = sqlite3_column_int(st, 2) != 0;
			v[n].proto = xstrdup(proto);
			v[n].port = port;
			n++;
		}
		sqlite3_finalize(st);
		st = NULL;
		if (n > 0)
			qsort(v, n, sizeof(*v), pf_peer_cmp);
		if (json) {
			json_t *o = json_object(), *rs = json_array();
			json_object_set_new(o, "container",
			    json_string(ctrs[i]));
			json_object_set_new(o, "flows",
			    json_integer((json_int_t)flows));
			json_object_set_new(o, "left_out_findings",
			    json_integer((json_int_t)left));
			json_object_set_new(o, "not_expressible",
			    json_integer((json_int_t)other));
			for (k = 0; k < n; k++) {
				json_t *x;
				if (k > 0 && pf_peer_cmp(&v[k - 1], &v[k]) == 0)
					continue;
				x = json_object();
				json_object_set_new(x, "direction",
				    json_string(v[k].ingress ? "ingress" :
							       "egress"));
				json_object_set_new(x, "peer",
				    json_string(v[k].peer));
				json_object_set_new(x, "peer_is_container",
				    json_boolean(v[k].container));
				json_object_set_new(x, "protocol",
				    json_string(v[k].proto));
				json_object_set_new(x, "port",
				    json_integer(v[k].port));
				json_array_append_new(rs, x);
			}
			json_object_set_new(o, "rules", rs);
			json_array_append_new(jroot, o);
		} else {
			int dir;
			if (i > 0)
				sbuf_addstr(out, "---\n");
			sbuf_addf(out,
			    "# drydock: container %s, %" PRIu64 " flows; %" PRIu64
			    " left out as evidence of findings, %" PRIu64
			    " not expressible (ICMP, other protocols)\n",
			    ctrs[i], flows, left, other);
			sbuf_addstr(out, "apiVersion: networking.k8s.io/v1\n"
					 "kind: NetworkPolicy\nmetadata:\n"
					 "  name: ");
			{
				char nm[40];
				snprintf(nm, sizeof(nm), "drydock-%.12s",
				    ctrs[i]);
				pf_yq(out, nm);
			}
			sbuf_addstr(out, "\nspec:\n  podSelector:\n");
			pf_selector(s, ctrs[i], out, 4);
			sbuf_addstr(out, "  policyTypes:\n  - Ingress\n"
					 "  - Egress\n");
			for (dir = 0; dir < 2; dir++) {
				bool ing = dir == 0, any = false;
				for (k = 0; k < n && !any; k++)
					any = v[k].ingress == ing;
				/* no ingress seen: none allowed */
				sbuf_addstr(out, ing ? (any ? "  ingress:\n" :
							      "  ingress: []\n") :
						       "  egress:\n");
				for (k = 0; k < n;) {
					size_t j;
					if (v[k].ingress != ing) {
						k++;
						continue;
					}
					sbuf_addstr(out, ing ? "  - from:\n" :
							       "  - to:\n");
					if (v[k].container) {
						sbuf_addstr(out,
						    "    - podSelector:\n");
						pf_selector(s, v[k].peer, out, 8);
					} else {
						sbuf_addstr(out,
						    "    - ipBlock:\n"
						    "        cidr: ");
						{
							char cidr[80];
							snprintf(cidr,
							    sizeof(cidr),
							    "%s/%d", v[k].peer,
							    strchr(v[k].peer,
								':') ?
								128 :
								32);
							pf_yq(out, cidr);
						}
						sbuf_addstr(out, "\n");
					}
					sbuf_addstr(out, "    ports:\n");
					for (j = k; j < n &&
					     v[j].ingress == ing &&
					     strcmp(v[j].peer, v[k].peer) == 0;
					     j++) {
						if (j > k &&
						    pf_peer_cmp(&v[j - 1],
							&v[j]) == 0)
							continue;
						sbuf_addf(out,
						    "    - protocol: %s\n"
						    "      port: %" PRId64 "\n",
						    v[j].proto, v[j].port);
					}
					k = j;
				}
				if (!ing)
					pf_dns(out);
			}
		}
		for (k = 0; k < n; k++) {
			free(v[k].peer);
			free(v[k].proto);
		}
		free(v);
	}
	if (json) {
		pf_json_emit(out, jroot);
	}
out:
	if (st != NULL)
		sqlite3_finalize(st);
	json_decref(jroot);
	for (i = 0; i < nc; i++)
		free(ctrs[i]);
	free(ctrs);
	return rc;
}
