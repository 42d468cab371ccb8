/* names: file names with spaces, quotes, newlines, tabs, backslashes,
 * non-UTF-8 bytes, '<' and '>', " = " and other trace look-alikes, a long
 * (~620 byte) path that works and a 4200-byte path (ENAMETOOLONG). Each
 * file gets its own name written into it, is stat()ed, renamed, unlinked. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *names[] = {
	"with space",
	"dq\"sq'",
	"new\nline",
	"tab\there",
	"back\\slash",
	"bad\xff\xfeutf8",
	"utf8-\xc3\xa9",
	"lt<gt>",
	"ctl\x01" "7\x1b[0m",
	"x) = 0 <0.000001>",
	"y <unfinished ...>",
	"z\"..., 3) = -1 ENOENT (No such file or directory)",
};

static void one(const char *dir, const char *name)
{
	char path[256], renamed[300];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(renamed, sizeof renamed, "%s.r", path);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return;
	write(fd, name, strlen(name));
	close(fd);
	stat(path, &sb);
	rename(path, renamed);
	unlink(renamed);
}

int main(void)
{
	char dir[] = "/tmp/dd-names-XXXXXX";
	static char deep[1024], huge[4120];
	char comp[201];

	if (!mkdtemp(dir))
		return 1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		one(dir, names[i]);

	memset(comp, 'd', 200);
	comp[200] = '\0';
	snprintf(deep, sizeof deep, "%s", dir);
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(deep);
		snprintf(deep + n, sizeof deep - n, "/%d%s", i, comp + 1);
		mkdir(deep, 0755);
	}
	size_t n = strlen(deep);
	snprintf(deep + n, sizeof deep - n, "/leaf");
	int fd = open(deep, O_CREAT | O_WRONLY, 0600);
	if (fd >= 0) {
		write(fd, deep, strlen(deep));
		close(fd);
	}
	unlink(deep);

	memset(huge, 'h', sizeof huge - 1);
	for (size_t i = 0; i + 100 < sizeof huge; i += 100)
		huge[i] = '/';
	open(huge, O_RDONLY); /* ENAMETOOLONG: strace truncates the path */

	for (int i = 2; i >= 0; i--) {
		deep[strlen(deep) - strlen(strrchr(deep, '/'))] = '\0';
		rmdir(deep);
	}
	rmdir(dir);
	return 0;
}
