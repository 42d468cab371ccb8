/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-registry.c: the importer table (ingest/registry.c).
 *
 * The runner runs from the project root, so the ingest/ directory is
 * scanned at run time: a new imp-<fmt>.c that is not registered fails here.
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include <dirent.h>

#include "ingest/ingest.h"

TEST(registry_ingest_table)
{
	const struct importer *prev = NULL;
	size_t i, j, n = 0;

	for (i = 0; ingest_table[i] != NULL; i++) {
		const struct importer *imp = ingest_table[i];

		n++;
		if (!CHECK(imp->name != NULL && imp->name[0] != '\0'))
			continue;
		if (imp->abi != INGEST_ABI)
			FAIL("importer '%s': abi %u, expected %u", imp->name,
			    imp->abi, INGEST_ABI);
		if (imp->sniff == NULL)
			FAIL("importer '%s' has no sniff", imp->name);
		if (imp->import == NULL)
			FAIL("importer '%s' has no import", imp->name);
		if (imp->version == NULL || imp->version[0] == '\0')
			FAIL("importer '%s' has no version", imp->name);
		if (imp->summary == NULL || imp->summary[0] == '\0')
			FAIL("importer '%s' has no summary", imp->name);
		/* Sorted by strcmp, hence unique. */
		if (prev != NULL && prev->name != NULL &&
		    strcmp(prev->name, imp->name) >= 0)
			FAIL("ingest_table: '%s' comes after '%s' (sorted by "
			     "strcmp and unique)",
			    imp->name, prev->name);
		for (j = 0; j < i; j++)
			if (ingest_table[j]->name != NULL &&
			    strcmp(ingest_table[j]->name, imp->name) == 0)
				FAIL("ingest_table: '%s' appears twice",
				    imp->name);
		/* ingest_find finds exactly this entry. */
		CHECK(ingest_find(imp->name) == imp);
		/* Options, when present, are well formed. */
		for (j = 0; imp->options != NULL && imp->options[j].key != NULL;
		     j++) {
			const struct imp_option *o = &imp->options[j];
			if (o->type == NULL ||
			    (strcmp(o->type, "bool") != 0 &&
				strcmp(o->type, "int") != 0 &&
				strcmp(o->type, "string") != 0))
				FAIL("importer '%s' option '%s': bad type",
				    imp->name, o->key);
		}
		prev = imp;
	}
	CHECK(n >= 2);
	CHECK(ingest_find("no-such-importer") == NULL);
	CHECK(ingest_find("") == NULL);
	/* The two the framework relies on. */
	CHECK(ingest_find("raw") != NULL);
	if (CHECK(ingest_find("template") != NULL))
		CHECK(ingest_find("template")->flags & IMP_TESTONLY);
}

/* Every ingest/imp-<fmt>.c is registered under <fmt>. */
TEST(registry_ingest_files_registered)
{
	struct dirent *de;
	size_t files = 0;
	DIR *d;

	d = opendir("ingest");
	if (d == NULL) {
		FAIL("cannot open 'ingest' (run from the project root): %s",
		    strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;
		size_t len = strlen(nm);
		char fmt[256];
		bool found = false;
		size_t i;

		if (len <= 6 || strncmp(nm, "imp-", 4) != 0 ||
		    strcmp(nm + len - 2, ".c") != 0)
			continue;
		files++;
		if (len - 6 >= sizeof(fmt)) {
			FAIL("'%s': name too long", nm);
			continue;
		}
		memcpy(fmt, nm + 4, len - 6);
		fmt[len - 6] = '\0';
		for (i = 0; ingest_table[i] != NULL; i++)
			if (ingest_table[i]->name != NULL &&
			    strcmp(ingest_table[i]->name, fmt) == 0)
				found = true;
		if (!found)
			FAIL("ingest/%s is not registered as '%s' in "
			     "ingest/registry.c",
			    nm, fmt);
	}
	closedir(d);
	/* imp-raw.c and imp-template.c at least. */
	CHECK(files >= 2);
}
