/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rulesdir.c: the rules directories analyzers read (see rulesdir.h).
 */
#include "core/common.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers/rulesdir.h"
#include "core/dderr.h"
#include "core/util.h"
#include "core/xmalloc.h"

void
rulefiles_free(struct rulefiles *rs)
{
	for (size_t i = 0; i < rs->nf; i++) {
		free(rs->f[i].label);
		free(rs->f[i].path);
		free(rs->f[i].text);
	}
	free(rs->f);
	sbuf_release(&rs->text);
	memset(rs, 0, sizeof(*rs));
}

bool
rulefiles_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* The shipped rules directory for sub, from where the binary is. */
static bool
rulefiles_shipped(const char *sub, char *out, size_t cap)
{
	static const char *const rel[] = {
		"/../share/drydock/rules/",
		"/../analyzers/rules/",
		"/../../analyzers/rules/",
	};
	char exe[PATH_MAX];
	struct stat sb;
	ssize_t k;
	char *sl;

	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0)
		return false;
	exe[k] = '\0';
	if ((sl = strrchr(exe, '/')) == NULL)
		return false;
	*sl = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(rel); i++) {
		int n = snprintf(out, cap, "%s%s%s", exe, rel[i], sub);
		if (n < 0 || (size_t)n >= cap)
			continue;
		if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode))
			return true;
	}
	return false;
}

static int
rulefiles_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read one directory's wanted files into rs. */
static int
rulefiles_dir(struct rulefiles *rs, const char *dir, const char *tag,
    bool (*want)(const char *), size_t max, struct dd_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nnames = 0, i;
	int rc = 0;

	if (d == NULL)
		return dd_err_set(e, DD_EIO, "rules directory %s: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !want(de->d_name))
			continue;
		names = xreallocarray(names, nnames + 1, sizeof(*names));
		names[nnames++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nnames > 1)
		qsort(names, nnames, sizeof(*names), rulefiles_cmp);
	for (i = 0; i < nnames && rc == 0; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]), *text;
		struct rulefile *f;
		size_t len;

		if ((rc = file_read_all(path, max, &text, &len, e)) < 0) {
			free(path);
			break;
		}
		if (memchr(text, '\0', len) != NULL) {
			rc = dd_err_set(e, DD_EFORMAT, "%s: a NUL byte", path);
			free(text);
			free(path);
			break;
		}
		sbuf_addf(&rs->text, "file %s/%s %zu\n", tag, names[i], len);
		sbuf_add(&rs->text, text, len);
		sbuf_addstr(&rs->text, "\n");
		rs->f = xreallocarray(rs->f, rs->nf + 1, sizeof(*rs->f));
		f = &rs->f[rs->nf++];
		f->label = xasprintf("%s/%s", tag, names[i]);
		f->name = strrchr(f->label, '/') + 1;
		f->path = path;
		f->text = text;
		f->len = len;
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
rulefiles_load(struct rulefiles *rs, const char *sub, const char *env,
    bool (*want)(const char *name), size_t max, const char *header,
    struct dd_err *e)
{
	const char *list = getenv(env);
	char dir[PATH_MAX];
	int rc = 0;

	memset(rs, 0, sizeof(*rs));
	rs->text = (struct sbuf)SBUF_INIT;
	sbuf_addstr(&rs->text, header);
	if (rulefiles_shipped(sub, dir, sizeof(dir)))
		rc = rulefiles_dir(rs, dir, "shipped", want, max, e);
	else if (list == NULL || *list == '\0')
		rc = dd_err_set(e, DD_ENOTFOUND,
		    "no rules directory: analyzers/rules/%s is not next to "
		    "the binary (nor ../share/drydock/rules/%s); set %s=DIR",
		    sub, sub, env);
	else
		sbuf_addstr(&rs->text, "shipped rules: none found\n");
	if (rc == 0 && list != NULL && *list != '\0') {
		char *copy = xstrdup(list), *p = copy, *c;
		int k = 0;

		do {
			c = strchr(p, ':');
			if (c != NULL)
				*c = '\0';
			if (*p != '\0') {
				char tag[64];
				snprintf(tag, sizeof(tag), "%s[%d]", env, k++);
				if ((rc = rulefiles_dir(rs, p, tag, want, max,
					 e)) < 0)
					break;
			}
			p = c ? c + 1 : NULL;
		} while (p != NULL);
		free(copy);
	}
	if (rc < 0)
		rulefiles_free(rs);
	return rc;
}
