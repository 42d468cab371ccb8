/* SPDX-License-Identifier: Apache-2.0 */
/*
 * driver.c: replay corpora through a fuzz target without libFuzzer.
 *
 *   build/<variant>/fuzz-replay/fz-X FILE|DIR...
 *
 * Each argument is a file or a directory; a directory is walked one level
 * (entries sorted by name, dot files and subdirectories skipped). Every
 * file is read whole and handed to LLVMFuzzerTestOneInput() once, after
 * LLVMFuzzerInitialize() when the target defines it. The targets trap on
 * a violated invariant, and the asan variant aborts on a memory error, so
 * reaching the end means every input passed. This is how `tests/run fuzz`
 * replays tests/fuzz/corpus/ under gcc (zstd's regression_driver.c).
 *
 * Prints "fz-X: N inputs" and exits 0; exits 1 when an argument cannot be
 * read (a missing corpus must not pass silently), 2 on usage errors.
 */
#include "core/common.h"

#include <dirent.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Read path whole into a buffer of exactly its size (so ASan sees reads
 * past the end). *out is owned; NULL for an empty file. */
static int
driver_slurp(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nb;
	size_t have = 0, cap = 0, k;

	*out = NULL;
	*len = 0;
	if (f == NULL)
		return -1;
	for (;;) {
		if (have == cap) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		k = fread(buf + have, 1, cap - have, f);
		have += k;
		if (k == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (have == 0) {
		free(buf);
		return 0;
	}
	/* Shrink to the exact size: a target overrunning the input must hit
	 * the redzone, not slack capacity. */
	nb = malloc(have);
	if (nb == NULL) {
		free(buf);
		return -1;
	}
	memcpy(nb, buf, have);
	free(buf);
	*out = nb;
	*len = have;
	return 0;
}

static int
driver_run_file(const char *path)
{
	uint8_t *data;
	size_t len;

	if (driver_slurp(path, &data, &len) < 0) {
		fprintf(stderr, "driver: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	/* libFuzzer never passes NULL; give empty inputs a valid pointer. */
	LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", len);
	free(data);
	return 0;
}

static int
driver_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file directly in dir, in name order. Returns the
 * number run, or -1. */
static long
driver_run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, cap = 0, i;
	long ran = 0;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "driver: cannot open '%s': %s\n", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL)
				abort();
			names = nn;
		}
		names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (names[n] == NULL)
			abort();
		snprintf(names[n], strlen(dir) + strlen(de->d_name) + 2, "%s/%s",
		    dir, de->d_name);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), driver_cmp);
	for (i = 0; i < n; i++) {
		struct stat sb;

		if (rc == 0 && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (driver_run_file(names[i]) < 0)
				rc = -1;
			else
				ran++;
		}
		free(names[i]);
	}
	free(names);
	return rc < 0 ? -1 : ran;
}

int
main(int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/');
	long total = 0, k;
	int i;

	prog = prog ? prog + 1 : argv[0];
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", prog);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) < 0) {
			fprintf(stderr, "driver: cannot stat '%s': %s\n",
			    argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(sb.st_mode)) {
			if ((k = driver_run_dir(argv[i])) < 0)
				return 1;
			total += k;
		} else {
			if (driver_run_file(argv[i]) < 0)
				return 1;
			total++;
		}
	}
	printf("%s: %ld inputs\n", prog, total);
	return 0;
}
