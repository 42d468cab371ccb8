/* SPDX-License-Identifier: Apache-2.0 */
/* cli.c: shared option parsing, messages and progress; see cli.h. */
#include "core/common.h"
#include "core/cli/cli.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/custody.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

struct cli_global cli_g = { 0, false, -1 };

void
cli_parse_init(struct cli_parse *p, int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
	p->cmd = argv[0];
	p->ops = xcalloc((size_t)argc + 1, sizeof(char *));
}

void
cli_parse_release(struct cli_parse *p)
{
	free(p->ops);
	p->ops = NULL;
}

int
cli_getopt(struct cli_parse *p, const struct cli_opt *opts)
{
	const char *a, *eq;
	size_t nl;
	int k;

	for (;;) {
		if (p->i >= p->argc)
			return -1;
		a = p->argv[p->i++];
		if (p->dashdash || a[0] != '-' || a[1] == '\0') {
			p->ops[p->nops++] = (char *)a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			p->dashdash = true;
			continue;
		}
		break;
	}
	p->optarg = NULL;
	if (a[1] == '-') {
		a += 2;
		eq = strchr(a, '=');
		nl = eq ? (size_t)(eq - a) : strlen(a);
		for (k = 0; opts[k].lname || opts[k].sname; k++) {
			if (opts[k].lname == NULL ||
			    strlen(opts[k].lname) != nl ||
			    strncmp(opts[k].lname, a, nl) != 0)
				continue;
			if (opts[k].arg) {
				if (eq)
					p->optarg = eq + 1;
				else if (p->i < p->argc)
					p->optarg = p->argv[p->i++];
				else
					goto needarg;
			} else if (eq) {
				cli_errorf(p->cmd,
				    "option '--%s' takes no value",
				    opts[k].lname);
				return -2;
			}
			return k;
		}
		cli_errorf(p->cmd, "unknown option '--%.*s' (see 'drydock %s "
				   "--help')",
		    (int)nl, a, p->cmd);
		return -2;
	}
	for (k = 0; opts[k].lname || opts[k].sname; k++) {
		if (opts[k].sname != a[1])
			continue;
		if (opts[k].arg) {
			if (a[2] != '\0')
				p->optarg = a + 2;
			else if (p->i < p->argc)
				p->optarg = p->argv[p->i++];
			else
				goto needarg;
		} else if (a[2] != '\0') {
			cli_errorf(p->cmd, "unknown option '%s'", a);
			return -2;
		}
		return k;
	}
	cli_errorf(p->cmd, "unknown option '%s' (see 'drydock %s --help')", a,
	    p->cmd);
	return -2;
needarg:
	cli_errorf(p->cmd, "option '%s' needs a value", p->argv[p->i - 1]);
	return -2;
}

void
cli_errorf(const char *cmd, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT, out = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	/* Messages may quote evidence (names, paths): escape controls. */
	esc_display(&out, sb.buf, sb.len);
	cli_progress_done();
	fprintf(stderr, "drydock%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
	    out.buf);
	sbuf_release(&sb);
	sbuf_release(&out);
}

int
cli_fail(const char *cmd, const struct dd_err *e)
{
	cli_errorf(cmd, "%s", e->msg[0] ? e->msg : dd_err_name(e->code));
	return e->code == DD_EUSAGE ? CLI_USAGE : CLI_FAIL;
}

int
cli_usage(const struct cli_cmd *c, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	cli_errorf(c->name, "%s", sb.buf);
	fprintf(stderr, "usage: drydock %s %s\n", c->name, c->synopsis);
	sbuf_release(&sb);
	return CLI_USAGE;
}

void
cli_help(const struct cli_cmd *c)
{
	printf("usage: drydock %s %s\n\n%s\n", c->name, c->synopsis, c->summary);
	if (c->help && *c->help)
		printf("\n%s", c->help);
}

void
cli_print_head(const char *head)
{
	if (head && *head && !cli_g.quiet)
		fprintf(stderr, "custody head: %s\n", head);
}

static struct {
	bool shown;
	struct timespec last;
} cli_prog;

static bool
cli_progress_on(void)
{
	if (cli_g.quiet || cli_g.progress == 0)
		return false;
	return cli_g.progress == 1 || is_tty(2);
}

void
cli_progress(const char *what, const char *name, uint64_t done,
    uint64_t total)
{
	struct timespec now;
	struct sbuf nm = SBUF_INIT;
	char a[32], b[32];
	double dt;

	if (!cli_progress_on())
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = (double)(now.tv_sec - cli_prog.last.tv_sec) +
	    (double)(now.tv_nsec - cli_prog.last.tv_nsec) / 1e9;
	if (cli_prog.shown && dt < 1.0 / 6 && done != total)
		return;
	cli_prog.last = now;
	cli_prog.shown = true;
	sbuf_init(&nm, 60);
	esc_display(&nm, name, strlen(name) > 50 ? 50 : strlen(name));
	fmt_bytes(done, a, sizeof(a));
	fmt_bytes(total, b, sizeof(b));
	if (total > 0)
		fprintf(stderr, "\r\033[K%s %s: %s / %s (%d%%)", what, nm.buf, a,
		    b, (int)(100.0 * (double)done / (double)total));
	else
		fprintf(stderr, "\r\033[K%s %s: %s", what, nm.buf, a);
	sbuf_release(&nm);
}

void
cli_progress_done(void)
{
	if (cli_prog.shown) {
		fputs("\r\033[K", stderr);
		cli_prog.shown = false;
	}
}

int
cli_out_open(struct cli_out *o, const char *path, const char *cmd)
{
	struct stat sb;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->path = path;
	if (strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		return CLI_OK;
	}
	if (lstat(path, &sb) < 0 ? errno == ENOENT : S_ISREG(sb.st_mode)) {
		o->tmp = xasprintf("%s.partial-%d", path, (int)getpid());
		o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0644);
	} else {
		/* Through a symlink or into a pipe or device: in place. */
		o->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	}
	if (o->fd < 0) {
		cli_errorf(cmd, "cannot write '%s': %s",
		    o->tmp ? o->tmp : path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return CLI_FAIL;
	}
	return CLI_OK;
}

int
cli_out_finish(struct cli_out *o, bool ok, const char *cmd)
{
	struct stat sb;
	int rc = ok ? CLI_OK : CLI_FAIL;

	if (o->fd < 0)
		return rc;
	if (o->fd != STDOUT_FILENO) {
		if (!ok && o->tmp == NULL && fstat(o->fd, &sb) == 0 &&
		    S_ISREG(sb.st_mode) && ftruncate(o->fd, 0) < 0)
			rc = CLI_FAIL;
		if (close(o->fd) < 0 && rc == CLI_OK) {
			cli_errorf(cmd, "cannot write '%s': %s", o->path,
			    strerror(errno));
			rc = CLI_FAIL;
		}
	}
	o->fd = -1;
	if (o->tmp != NULL) {
		if (rc == CLI_OK && rename(o->tmp, o->path) < 0) {
			cli_errorf(cmd, "cannot rename '%s' to '%s': %s",
			    o->tmp, o->path, strerror(errno));
			rc = CLI_FAIL;
		}
		if (rc != CLI_OK)
			unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	return rc;
}

void
cli_put_safe(void *fp, const char *s)
{
	struct sbuf sb = SBUF_INIT;

	esc_display(&sb, s, strlen(s));
	fputs(sb.buf, fp);
	sbuf_release(&sb);
}

void
cli_custody_export(const char *path, const char *cmd, void *detail)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	char head[SHA256_HEX], *txt;

	if (store_open(path, STORE_WRITE | STORE_KEEPMODE, &s, &e) < 0) {
		cli_errorf(cmd, "warning: export not recorded in custody: %s",
		    e.msg);
		return;
	}
	txt = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII);
	if (custody_append(s, "export", txt, head, &e) < 0)
		cli_errorf(cmd, "warning: export not recorded in custody: %s",
		    e.msg);
	else
		cli_print_head(head);
	free(txt);
	store_close(s);
}
