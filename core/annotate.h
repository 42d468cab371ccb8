/* SPDX-License-Identifier: Apache-2.0 */
/*
 * annotate.h: examiner annotations: notes, tags and clock offsets, each
 * recorded in custody in the same transaction as the change.
 *
 * A target names one row of one relation as "relation:key", for example
 * "finding:3f2a...", "artifact:4", "flow:17". Targets in artifacts and
 * findings must exist; other relations must exist as relations.
 */
#ifndef CORE_ANNOTATE_H
#define CORE_ANNOTATE_H

#include <stdint.h>

#include "core/util.h"

struct dd_err;
struct store;

/* Split "relation:key" and check it names something in s. The relation is
 * normalised to its plural relation name ("finding" -> "findings").
 * rel and key point into static storage / into target (borrowed). */
int annotate_target(struct store *s, const char *target, const char **rel,
    const char **key, struct dd_err *e);
int annotate_note(struct store *s, const char *target, const char *text,
    char head[SHA256_HEX], struct dd_err *e);
/* add != 0 adds the tag, else removes it. */
int annotate_tag(struct store *s, const char *target, const char *tag,
    int add, char head[SHA256_HEX], struct dd_err *e);
/* Set artifact id's clock offset (ns, added to its raw times) and time
 * zone (NULL keeps it). */
int annotate_offset(struct store *s, int64_t id, int64_t offset_ns,
    const char *tz, char head[SHA256_HEX], struct dd_err *e);

#endif
