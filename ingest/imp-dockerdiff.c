/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-dockerdiff.c: what `docker diff CONTAINER` or `podman container
 * diff CONTAINER` printed, saved to a file:
 *
 *   C /etc
 *   A /etc/cron.d/x
 *   D /var/log/auth.log
 *
 * One drift row per line (source "docker diff"; no type, size or hash:
 * the tool prints none). The container is the -o container=ID option,
 * else the 64- or 12-hex id in the file's name (abc123...-diff.txt), else
 * the name itself without its extension (web-1.diff: "web-1"); the full
 * id of the case's container it names when the case has it.
 *
 * Hostile input: lines through ingest_lines; a line that is not
 * "[ACD] /path" is an anomaly with its offset; a file with none is
 * rejected.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/imgfs.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/util.h"
#include "ingest/ingest.h"
#include "ingest/members.h"

extern const struct importer imp_dockerdiff;

static int
imp_dockerdiff_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct sink *k = ctx->sink;
	struct ingest_lines l;
	const uint8_t *p;
	size_t n;
	uint64_t off;
	bool cut;
	char cid[256];
	const char *opt = ingest_opt(ctx, &imp_dockerdiff, "container");
	int64_t seq = 0;
	int rc;

	if (ctx->tree != NULL && ctx->tree->container_id != NULL)
		snprintf(cid, sizeof(cid), "%s", ctx->tree->container_id);
	else if (opt != NULL && *opt != '\0')
		snprintf(cid, sizeof(cid), "%s", opt);
	else
		ingest_container_hint(ctx->src->name, cid, sizeof(cid));
	ingest_lines_init(&l, ingest_read_src, ctx);
	while ((rc = ingest_lines_next(&l, &p, &n, &off, &cut, e)) > 0) {
		struct net_rec r;
		char ch[2];
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		if (cut || n < 3 || (p[0] != 'A' && p[0] != 'C' && p[0] != 'D')
		    || p[1] != ' ' || p[2] != '/') {
			if ((rc = ingest_anomaly(ctx, (int64_t)off, "not a "
				    "docker diff line (\"A|C|D /path\"): "
				    "skipped")) < 0)
				break;
			continue;
		}
		ch[0] = (char)p[0];
		ch[1] = '\0';
		net_rec_init(&r, NR_DRIFT);
		r.i[DR_SEQ] = seq++;
		r.s[DRS_CID] = cid;
		r.s[DRS_CHANGE] = ch;
		r.s[DRS_SOURCE] = "docker diff";
		{
			char *path = strndup((const char *)p + 2, n - 2);
			if (path == NULL) {
				rc = dd_err_set(e, DD_EINTERNAL, "no memory");
				break;
			}
			r.s[DRS_PATH] = path;
			rc = k->ops->net ? k->ops->net(k, ctx->artifact_id, &r,
			    e) : 0;
			free(path);
		}
		if (rc < 0)
			break;
	}
	if (rc >= 0 && seq == 0)
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no docker diff line",
		    ctx->src->name);
	ingest_lines_release(&l);
	return rc < 0 ? rc : 0;
}

/* Every line of the head "A /x", "C /x" or "D /x". */
static int
imp_dockerdiff_sniff(const uint8_t *head, size_t n, const char *basename)
{
	size_t i = 0, lines = 0;

	(void)basename;
	while (i < n) {
		const uint8_t *nl = memchr(head + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (head + i)) : n - i;
		if (nl == NULL && lines > 0)
			break; /* a cut last line */
		if (len > 0 && (len < 3 || (head[i] != 'A' && head[i] != 'C'
			&& head[i] != 'D') || head[i + 1] != ' ' ||
			head[i + 2] != '/'))
			return 0;
		if (len > 0)
			lines++;
		i += len + 1;
	}
	return lines > 0 ? 45 : 0;
}

static const struct imp_option dockerdiff_opts[] = {
	{ "container", "string", "", "the container the diff is of (default: "
				     "the id or name in the file's name)" },
	{ NULL, NULL, NULL, NULL },
};

const struct importer imp_dockerdiff = {
	.abi = INGEST_ABI,
	.name = "dockerdiff",
	.version = "1",
	.summary = "docker diff / podman container diff output (A, C, D "
		   "lines) as a container's drift",
	.kind = EV_PROC,
	.flags = IMP_CASE_CONTAINER,
	.sniff = imp_dockerdiff_sniff,
	.import = imp_dockerdiff_import,
	.options = dockerdiff_opts,
	.zlevel = 0,
};
