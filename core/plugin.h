/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plugin.h: the host side of out-of-tree analyzers (include/drydock/
 * plugin.h is the plugin side).
 *
 * plugin_load() dlopens a shared object, checks it exports
 * dd_plugin_init, and calls it with the host API table. plugin_run() calls
 * the plugin's run(): its queries go to a separate read-only connection
 * under the query guard (core/query.h), its findings are collected and
 * then written like a built-in analyzer's (finding_replace: one
 * transaction, replacing its earlier findings, custody with the SHA-256
 * of the shared object as the rules digest).
 *
 * A plugin is native code running in drydock's process: load only
 * plugins you trust. The guard protects the case from a plugin's SQL, not
 * from its code.
 */
#ifndef CORE_PLUGIN_H
#define CORE_PLUGIN_H

#include <stddef.h>

#include "core/util.h"

struct dd_err;
struct store;
struct plugin;

typedef void (*plugin_log_fn)(void *user, const char *plugin,
    const char *msg);

/* Load path (owned result: plugin_free). */
int plugin_load(const char *path, struct plugin **out, struct dd_err *e);
const char *plugin_name(const struct plugin *p);
const char *plugin_version(const struct plugin *p);
const char *plugin_summary(const struct plugin *p);
/* Run p over the case open for writing in s (its path is reopened
 * read-only for the plugin's queries). */
int plugin_run(struct plugin *p, struct store *s, plugin_log_fn log,
    void *user, size_t *nfindings, char head[SHA256_HEX], struct dd_err *e);
void plugin_free(struct plugin *p);

#endif
