/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock/plugin.h: the one public header for out-of-tree analyzers.
 *
 * An analyzer plugin is a shared object exporting dd_plugin_init(). drydock
 * loads it with `drydock analyze CASE --plugin PATH.so` (or from the
 * directories in DRYDOCK_PLUGIN_PATH), calls dd_plugin_init() with its host
 * API table, then the plugin's run() once per analysis. The plugin reads
 * the case only through api->query (read-only, with an authorizer, limits
 * and a time budget) and reports only through api->emit. Its findings
 * replace the ones it emitted in earlier runs, with stable ids, in one
 * transaction recorded in the chain of custody together with the SHA-256
 * of the shared object.
 *
 * Compatibility rules:
 * - DD_PLUGIN_API_VERSION grows when functions are appended to struct
 *   dd_host_api; existing members never change or move. A plugin checks
 *   `version` (and `api->size`) before using newer members.
 * - Only plain C structs and strings cross the boundary: no drydock
 *   internal layout is visible here.
 * - Every string the host passes is valid until the callback returns;
 *   every string the plugin passes is copied by the host.
 *
 * Build: cc -std=c11 -fPIC -shared -I/path/to/drydock/include -o my.so my.c
 */
#ifndef DRYDOCK_PLUGIN_H
#define DRYDOCK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DD_PLUGIN_API_VERSION 1u

/* The host's per-run handle (opaque). */
struct dd_host;

/* A finding as a plugin reports it. */
struct dd_plugin_finding {
	size_t size;		   /* sizeof(struct dd_plugin_finding) */
	const char *rule;	   /* dotted id, e.g. "acme.cron.persist" */
	const char *severity;	   /* info, low, medium, high or critical */
	double confidence;	   /* 0..1 */
	const char *title;	   /* one line */
	const char *detail;	   /* a paragraph (may be NULL) */
	int64_t ts;		   /* ns since the epoch, UTC, if has_ts */
	int has_ts;
	const char *const *attack; /* ATT&CK technique ids, e.g. "T1611" */
	size_t nattack;
	const char *container_id;  /* or NULL */
	/* Evidence rows as "relation:key" ("artifacts:3", "events:812");
	 * evidence[0] is the primary one and makes the finding id stable. */
	const char *const *evidence;
	size_t nevidence;
};

/* Row callback for query: values[i] is NULL for SQL NULL; blobs come as
 * lower-case hex. Return non-zero to stop early. */
typedef int (*dd_row_fn)(void *user, int ncol, const char *const *names,
    const char *const *values);

/* The host API table. Append-only. */
struct dd_host_api {
	unsigned version; /* DD_PLUGIN_API_VERSION of the host */
	size_t size;	  /* sizeof(struct dd_host_api) in the host */
	/* Run one read-only SQL statement over the case's relations (see
	 * the README's relation list). 0 on success (also when stopped by
	 * the callback), -1 on error (see last_error). */
	int (*query)(struct dd_host *h, const char *sql, dd_row_fn fn,
	    void *user);
	/* Report a finding. 0, or -1 when it is malformed (last_error). */
	int (*emit)(struct dd_host *h, const struct dd_plugin_finding *f);
	/* A diagnostic line, shown with `drydock -v analyze`. */
	void (*log)(struct dd_host *h, const char *msg);
	/* A copy of s owned by the host, valid for the whole run. */
	const char *(*intern)(struct dd_host *h, const char *s);
	/* The message of the last failed call. */
	const char *(*last_error)(struct dd_host *h);
};

/* What a plugin tells the host about itself. */
struct dd_plugin_info {
	const char *name;    /* the findings' analyzer name; [a-z0-9_.-] */
	const char *version; /* "major.minor"; major feeds finding ids */
	const char *summary; /* one line */
	/* Analyse the case: query, then emit. 0 on success. */
	int (*run)(struct dd_host *h, const struct dd_host_api *api);
};

/*
 * The plugin's entry point. version is the host's DD_PLUGIN_API_VERSION.
 * Fill *info and return 0, or return non-zero to refuse to load (for
 * example when version is older than the plugin needs).
 */
int dd_plugin_init(const struct dd_host_api *api, unsigned version,
    struct dd_plugin_info *info);

#ifdef __cplusplus
}
#endif

#endif
