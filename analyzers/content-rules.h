/* SPDX-License-Identifier: Apache-2.0 */
/*
 * content-rules.h: the YARA content rules shared by the analyzers that
 * scan bytes (layers: image files; memory: core segments and environ).
 * They live in one rules directory, analyzers/rules/layers/ (installed as
 * share/drydock/rules/layers), plus every directory DRYDOCK_LAYER_RULES
 * names; analyzers/an-layers.c reads and compiles them (one loader), and
 * documents the metadata (id, severity, kind, attack, title).
 */
#ifndef ANALYZERS_CONTENT_RULES_H
#define ANALYZERS_CONTENT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/lib-yara.h"

#include "core/finding.h"

struct blobr;
struct dd_err;
struct store;

/* One compiled rule's metadata (index: its place in rules_table). */
struct an_layers_yrule {
	char *id;     /* "layers." + meta id */
	char *name;   /* "file.yar:identifier" */
	char *title;
	char *attack; /* comma separated, may be "" */
	enum finding_sev sev;
	int kind;     /* secret, miner, webshell, shell, config, other */
	bool report;  /* false for private rules */
};

struct content_rules {
	YR_RULES *rules;
	struct an_layers_yrule *yr;
	size_t nyr;
	char *text;   /* every rules file, hashed into custody */
};

/* Load, initialise libyara and compile (owned: content_rules_free). */
int content_rules_load(struct content_rules *cr, struct dd_err *e);
void content_rules_free(struct content_rules *cr);
/* The rules text (for an analyzer's rules() callback; replaced on the
 * next call). */
const char *content_rules_text(void);
/* The kind's name ("secret", "miner"...). */
const char *content_rules_kind(int kind);

/* Stored bytes to scan: one blob kept open and one buffer, reused
 * (analyzers/content-read.c). Set s, zero the rest; release when done. */
struct content_reader {
	struct store *s;
	struct blobr *br;
	int64_t blob_id;
	uint8_t *buf;
	size_t cap;
};
/* Read n bytes at off of blob blob_id into r->buf; *got is fewer when the
 * blob ends first. */
int content_read(struct content_reader *r, int64_t blob_id, uint64_t off,
    size_t n, size_t *got, struct dd_err *e);
void content_reader_release(struct content_reader *r);

#endif
