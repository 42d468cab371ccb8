/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-ctrlog.c: container logs, one message per row of `logs`.
 *
 *  Docker json-file (<id>-json.log), one JSON object per line:
 *    {"log":"text\n","stream":"stdout","time":"2024-05-01T10:00:00.123456789Z"}
 *    A "log" without its final newline is a partial record (Docker cuts
 *    lines at 16 KiB): it is joined with the next records of the stream
 *    until one ends with a newline.
 *  CRI (kubelet's /var/log/pods/.../N.log and /var/log/containers/ files,
 *  podman's k8s-file driver):
 *    2024-05-01T10:00:00.123456789Z stdout F text
 *    tag P is a partial line, joined with what follows up to an F.
 *  journald JSON export (journalctl -o json), one object per line:
 *    __REALTIME_TIMESTAMP (µs), MESSAGE (a string, or an array of byte
 *    values when not UTF-8), CONTAINER_ID_FULL / CONTAINER_ID,
 *    CONTAINER_NAME, PRIORITY (3 is stderr for the Docker journald driver,
 *    else stdout).
 *
 * The container: the full id when the file's name holds one (json-file's
 * <id>-json.log, /var/log/containers/<pod>_<ns>_<container>-<id>.log,
 * podman's k8s-file <id>/userdata/ctr.log) or
 * the record does (journald); kubelet's /var/log/pods/<ns>_<pod>_<uid>/
 * <container>/N.log gives the container name and the pod uid instead (an
 * alias of kind k8s_uid joins it with inspect and audit evidence).
 *
 * Hostile input: lines are read through ingest_lines (at most
 * LIM_TEXT_LINE bytes; longer is cut with an anomaly); a torn or invalid
 * line is an anomaly with its offset, the rest imported; a joined message
 * is capped at CTRLOG_MSG_MAX bytes (the rest dropped, an anomaly).
 */
#include "core/common.h"

#include <jansson.h>

#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/members.h"

#define CTRLOG_MSG_MAX (4u * 1024u * 1024u)

enum cl_fmt { CL_DOCKER, CL_CRI, CL_JOURNAL };

struct cl_part { /* a message being joined, per stream */
	struct sbuf b;
	int64_t ts;
	bool open, cut;
};

struct cl {
	struct imp_ctx *ctx;
	struct dd_err *e;
	enum cl_fmt fmt;
	char id[65];		/* from the file name, or "" */
	char *name;		/* container name from the path, or NULL */
	int64_t seq;
	struct cl_part part[2];	/* stdout, stderr */
	char **ids;		/* containers emitted (journald) */
	size_t nids;
	struct sbuf fkey, flog, fval; /* cl_fast's decoded strings */
};

static bool
cl_hex64(const char *p)
{
	for (int i = 0; i < 64; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return true;
}

/* The container id and name the path gives. */
static void
cl_from_path(struct cl *c, const char *path)
{
	const char *base = strrchr(path, '/'), *p, *end;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	/* <id>-json.log (and rotated <id>-json.log.N) */
	if (n >= 64 + 9 && strncmp(base + 64, "-json.log", 9) == 0 &&
	    cl_hex64(base)) {
		memcpy(c->id, base, 64);
		return;
	}
	/* podman's k8s-file log: .../<id>/userdata/ctr.log */
	if (strcmp(base, "ctr.log") == 0 && base - path >= 64 + 10 &&
	    strncmp(base - 10, "/userdata/", 10) == 0 &&
	    cl_hex64(base - 10 - 64) && (base - 10 - 64 == path ||
		base[-10 - 64 - 1] == '/')) {
		memcpy(c->id, base - 10 - 64, 64);
		return;
	}
	/* <pod>_<ns>_<container>-<id>.log */
	if ((end = strstr(base, ".log")) != NULL && end - base > 65 &&
	    end[-65] == '-' && cl_hex64(end - 64)) {
		const char *u2;
		memcpy(c->id, end - 64, 64);
		if ((p = strchr(base, '_')) != NULL &&
		    (u2 = strchr(p + 1, '_')) != NULL && u2 < end - 65)
			c->name = xstrndup(u2 + 1, (size_t)(end - 65 - u2 - 1));
		return;
	}
	/* .../pods/<ns>_<pod>_<uid>/<container>/N.log: the container's
	 * name, when the directory above it has kubelet's two underscores */
	if (base > path + 1 && strstr(path, "pods/") != NULL) {
		const char *d = base - 1, *d0 = d, *g1, *g0, *u;
		while (d0 > path && d0[-1] != '/')
			d0--;
		g1 = d0 > path ? d0 - 1 : NULL;
		g0 = g1;
		while (g0 && g0 > path && g0[-1] != '/')
			g0--;
		if (g0 && d > d0 && (u = memchr(g0, '_', (size_t)(g1 - g0))) &&
		    memchr(u + 1, '_', (size_t)(g1 - u - 1)))
			c->name = xstrndup(d0, (size_t)(d - d0));
	}
}

static int
cl_container(struct cl *c, const char *id, const char *name,
    const char *uid)
{
	struct sink *k = c->ctx->sink;
	struct container_rec cr;
	const char *kind[2], *val[2];
	size_t na = 0;

	for (size_t i = 0; i < c->nids; i++)
		if (strcmp(c->ids[i], id) == 0)
			return 0;
	if (c->nids < 65536) {
		c->ids = xreallocarray(c->ids, c->nids + 1, sizeof(char *));
		c->ids[c->nids++] = xstrdup(id);
	}
	if (k->ops->container == NULL)
		return 0;
	if (uid) {
		kind[na] = "k8s_uid";
		val[na++] = uid;
	}
	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.name = name;
	cr.privileged = -1;
	cr.alias_kind = kind;
	cr.alias_value = val;
	cr.naliases = na;
	return k->ops->container(k, c->ctx->artifact_id, &cr, c->e);
}

static int
cl_emit(struct cl *c, int64_t ts, const char *id, const char *name,
    const char *stream, const char *msg)
{
	struct sink *k = c->ctx->sink;
	struct net_rec r;

	if (k->ops->net == NULL)
		return 0;
	net_rec_init(&r, NR_LOG);
	r.i[LG_SEQ] = c->seq++;
	r.i[LG_TS] = ts == EV_TS_NONE ? NR_NULL : ts;
	r.s[LGS_CID] = id && *id ? id : NULL;
	r.s[LGS_NAME] = name;
	r.s[LGS_STREAM] = stream;
	r.s[LGS_MSG] = msg;
	return k->ops->net(k, c->ctx->artifact_id, &r, c->e);
}

/* Add text to the stream's message; emit it when complete. */
static int
cl_piece(struct cl *c, int64_t off, int64_t ts, const char *stream,
    const char *p, size_t n, bool complete)
{
	struct cl_part *pt = &c->part[strcmp(stream, "stderr") == 0];
	int rc = 0;

	if (!pt->open) {
		sbuf_reset(&pt->b);
		pt->ts = ts;
		pt->open = true;
		pt->cut = false;
	}
	if (!pt->cut && pt->b.len + n > CTRLOG_MSG_MAX) {
		pt->cut = true;
		rc = ingest_anomaly(c->ctx, off, "a %s message joined from "
		    "partial records passes %u MiB: the rest is dropped",
		    stream, CTRLOG_MSG_MAX >> 20);
	}
	if (!pt->cut && n > 0)
		sbuf_add(&pt->b, p, n);
	if (rc >= 0 && complete) {
		pt->open = false;
		rc = cl_emit(c, pt->ts, c->id, c->name, stream,
		    pt->b.len ? pt->b.buf : "");
	}
	return rc;
}

static int cl_docker_json(struct cl *c, const uint8_t *p, size_t n,
    uint64_t off);

/* One JSON string at p[*i] (the opening quote) into out; only ASCII
 * without control bytes and with ASCII escapes: anything else returns
 * false for jansson to judge. */
static bool
cl_fast_str(const uint8_t *p, size_t n, size_t *i, struct sbuf *out)
{
	size_t j = *i + 1, run = j;

	sbuf_reset(out);
	while (j < n) {
		uint8_t ch = p[j];
		if (ch == '"') {
			if (sbuf_add(out, p + run, j - run) < 0)
				return false;
			*i = j + 1;
			return true;
		}
		if (ch < 0x20 || ch >= 0x80)
			return false;
		if (ch != '\\') {
			j++;
			continue;
		}
		if (sbuf_add(out, p + run, j - run) < 0 || j + 1 >= n)
			return false;
		switch (p[j + 1]) {
		case '"': case '\\': case '/':
			sbuf_addch(out, p[j + 1]);
			break;
		case 'b': sbuf_addch(out, '\b'); break;
		case 'f': sbuf_addch(out, '\f'); break;
		case 'n': sbuf_addch(out, '\n'); break;
		case 'r': sbuf_addch(out, '\r'); break;
		case 't': sbuf_addch(out, '\t'); break;
		case 'u': {
			int v = 0;
			if (j + 5 >= n)
				return false;
			for (int k = 2; k < 6; k++) {
				int h = hex_digit(p[j + k]);
				if (h < 0)
					return false;
				v = v << 4 | h;
			}
			if (v == 0 || v >= 0x80)
				return false;
			sbuf_addch(out, v);
			j += 4;
			break;
		}
		default:
			return false;
		}
		j += 2;
		run = j;
	}
	return false;
}

/* A json-file record whose members are all strings, without jansson:
 * log, stream and time into the given buffers (stream and time capped).
 * false: let jansson read the line (other shapes, non-ASCII, errors). */
static bool
cl_fast(struct cl *c, const uint8_t *p, size_t n, char stream[8],
    char t[64], bool *has_t)
{
	size_t i = 0;
	bool seen[3] = { false, false, false };

	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	if (n < 2 || p[0] != '{' || p[n - 1] != '}')
		return false;
	i = 1;
	stream[0] = '\0';
	*has_t = false;
	for (;;) {
		int which;
		if (i >= n || p[i] != '"' || !cl_fast_str(p, n, &i, &c->fkey))
			return false;
		if (i >= n || p[i] != ':' || ++i >= n || p[i] != '"')
			return false;
		which = strcmp(c->fkey.buf, "log") == 0 ? 0 : strcmp(
		    c->fkey.buf, "stream") == 0 ? 1 : strcmp(c->fkey.buf,
		    "time") == 0 ? 2 : -1;
		if (which < 0 || seen[which])
			return false;
		seen[which] = true;
		if (!cl_fast_str(p, n, &i, which == 0 ? &c->flog : &c->fval))
			return false;
		if (which == 1)
			snprintf(stream, 8, "%s", c->fval.len < 8 ?
			    c->fval.buf : "");
		else if (which == 2) {
			if (c->fval.len >= 64)
				return false;
			memcpy(t, c->fval.buf, c->fval.len + 1);
			*has_t = true;
		}
		if (i < n && p[i] == ',') {
			i++;
			continue;
		}
		return i == n - 1 && seen[0];
	}
}

static int
cl_docker(struct cl *c, const uint8_t *p, size_t n, uint64_t off)
{
	char fstream[8], ft[64];
	bool has_t;

	if (cl_fast(c, p, n, fstream, ft, &has_t)) {
		const char *stream = strcmp(fstream, "stderr") == 0 ?
		    "stderr" : "stdout";
		const char *log = c->flog.buf;
		size_t len = c->flog.len;
		int64_t ts = EV_TS_NONE;
		int rc;
		if (has_t && !time_parse(ft, &ts)) {
			ts = EV_TS_NONE;
			if ((rc = ingest_anomaly(c->ctx, (int64_t)off, "a time "
				    "that is not RFC 3339: '%.40s'", ft)) < 0)
				return rc;
		}
		return len > 0 && log[len - 1] == '\n' ?
		    cl_piece(c, (int64_t)off, ts, stream, log, len - 1, true) :
		    cl_piece(c, (int64_t)off, ts, stream, log, len, false);
	}
	return cl_docker_json(c, p, n, off);
}

static int
cl_docker_json(struct cl *c, const uint8_t *p, size_t n, uint64_t off)
{
	json_error_t je;
	json_t *o = json_loadb((const char *)p, n, 0, &je), *v;
	const char *log, *stream, *t;
	int64_t ts = EV_TS_NONE;
	size_t len;
	int rc;

	if (!json_is_object(o) || !json_is_string(v = json_object_get(o,
					"log"))) {
		json_decref(o);
		return ingest_anomaly(c->ctx, (int64_t)off, "not a json-file "
		    "log record (%s)", o ? "no \"log\" string" : je.text);
	}
	log = json_string_value(v);
	len = json_string_length(v);
	stream = json_string_value(json_object_get(o, "stream"));
	if (stream == NULL || (strcmp(stream, "stdout") && strcmp(stream,
					"stderr")))
		stream = "stdout";
	if ((t = json_string_value(json_object_get(o, "time"))) != NULL &&
	    !time_parse(t, &ts)) {
		ts = EV_TS_NONE;
		if ((rc = ingest_anomaly(c->ctx, (int64_t)off, "a time that is "
				 "not RFC 3339: '%.40s'", t)) < 0) {
			json_decref(o);
			return rc;
		}
	}
	rc = len > 0 && log[len - 1] == '\n' ?
	    cl_piece(c, (int64_t)off, ts, stream, log, len - 1, true) :
	    cl_piece(c, (int64_t)off, ts, stream, log, len, false);
	json_decref(o);
	return rc;
}

static int
cl_cri(struct cl *c, const uint8_t *p, size_t n, uint64_t off)
{
	char tsbuf[64], *line = xstrndup((const char *)p, n);
	char *sp1 = strchr(line, ' '), *sp2, *sp3, *stream;
	int64_t ts;
	int rc;

	if (sp1 == NULL || (size_t)(sp1 - line) >= sizeof(tsbuf) ||
	    (sp2 = strchr(sp1 + 1, ' ')) == NULL) {
		free(line);
		return ingest_anomaly(c->ctx, (int64_t)off, "not a CRI log "
		    "line (TIMESTAMP STREAM TAG TEXT)");
	}
	memcpy(tsbuf, line, (size_t)(sp1 - line));
	tsbuf[sp1 - line] = '\0';
	stream = sp1 + 1;
	*sp2 = '\0';
	sp3 = strchr(sp2 + 1, ' ');
	if (!time_parse(tsbuf, &ts) || (strcmp(stream, "stdout") &&
		strcmp(stream, "stderr")) ||
	    (sp2[1] != 'F' && sp2[1] != 'P') ||
	    (sp2[2] != ' ' && sp2[2] != '\0' && sp2[2] != ':')) {
		free(line);
		return ingest_anomaly(c->ctx, (int64_t)off, "not a CRI log "
		    "line (TIMESTAMP stdout|stderr F|P TEXT)");
	}
	/* the text follows "F " (or the tag's ":"-separated extensions) */
	rc = cl_piece(c, (int64_t)off, ts, stream, sp3 ? sp3 + 1 : "",
	    sp3 ? strlen(sp3 + 1) : 0, sp2[1] == 'F');
	free(line);
	return rc;
}

static int
cl_journal(struct cl *c, const uint8_t *p, size_t n, uint64_t off)
{
	json_error_t je;
	json_t *o = json_loadb((const char *)p, n, 0, &je), *m;
	const char *id, *name, *rt, *pr;
	struct sbuf msg;
	int64_t ts = EV_TS_NONE;
	char idbuf[65] = "";
	int rc = 0;

	if (!json_is_object(o)) {
		json_decref(o);
		return ingest_anomaly(c->ctx, (int64_t)off, "not a journal "
		    "JSON record (%s)", o ? "not an object" : je.text);
	}
	sbuf_init(&msg, CTRLOG_MSG_MAX);
	m = json_object_get(o, "MESSAGE");
	if (json_is_string(m)) {
		sbuf_add(&msg, json_string_value(m), json_string_length(m));
	} else if (json_is_array(m)) { /* bytes: kept as they are */
		for (size_t i = 0; i < json_array_size(m) && i < CTRLOG_MSG_MAX;
		    i++) {
			json_int_t b = json_integer_value(json_array_get(m, i));
			sbuf_addch(&msg, b > 0 && b < 256 ? (char)b : '?');
		}
	}
	rt = json_string_value(json_object_get(o, "__REALTIME_TIMESTAMP"));
	if (rt && *rt) {
		char *end;
		long long us = strtoll(rt, &end, 10);
		if (*end == '\0' && us >= 0 && us < INT64_MAX / 1000)
			ts = us * 1000;
	}
	id = json_string_value(json_object_get(o, "CONTAINER_ID_FULL"));
	if (id == NULL || strlen(id) != 64 || !cl_hex64(id))
		id = NULL;
	name = json_string_value(json_object_get(o, "CONTAINER_NAME"));
	if (id) {
		memcpy(idbuf, id, 65);
		rc = cl_container(c, idbuf, name, NULL);
	}
	pr = json_string_value(json_object_get(o, "PRIORITY"));
	if (rc >= 0)
		rc = cl_emit(c, ts, idbuf, name, pr && strcmp(pr, "3") == 0 ?
		    "stderr" : "stdout", msg.len ? msg.buf : "");
	sbuf_release(&msg);
	json_decref(o);
	return rc;
}

static int
imp_ctrlog_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct cl c = { .ctx = ctx, .e = e };
	struct ingest_lines l;
	const uint8_t *p;
	size_t n, i;
	uint64_t off;
	bool cut, first = true;
	int rc;

	cl_from_path(&c, ctx->src->name);
	sbuf_init(&c.part[0].b, CTRLOG_MSG_MAX + 1);
	sbuf_init(&c.part[1].b, CTRLOG_MSG_MAX + 1);
	sbuf_init(&c.fkey, LIM_TEXT_LINE);
	sbuf_init(&c.flog, LIM_TEXT_LINE);
	sbuf_init(&c.fval, LIM_TEXT_LINE);
	ingest_lines_init(&l, ingest_read_src, ctx);
	rc = 0;
	if (c.id[0])
		rc = cl_container(&c, c.id, c.name, NULL);
	while (rc >= 0 && (rc = ingest_lines_next(&l, &p, &n, &off, &cut,
				e)) > 0) {
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		if (first) {
			first = false;
			c.fmt = p[0] != '{' ? CL_CRI :
			    memmem(p, n, "\"log\"", 5) ? CL_DOCKER : CL_JOURNAL;
		}
		if (cut && (rc = ingest_anomaly(ctx, (int64_t)off, "a line "
				    "longer than %u bytes: cut",
				    LIM_TEXT_LINE)) < 0)
			break;
		rc = c.fmt == CL_CRI ? cl_cri(&c, p, n, off) :
		     c.fmt == CL_DOCKER ? cl_docker(&c, p, n, off) :
					  cl_journal(&c, p, n, off);
	}
	/* a partial message at the end of the file is kept as it is */
	for (i = 0; rc >= 0 && i < 2; i++)
		if (c.part[i].open)
			rc = cl_piece(&c, -1, c.part[i].ts, i ? "stderr" :
			    "stdout", "", 0, true);
	if (rc >= 0 && c.seq == 0)
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no log record (not a "
		    "container log)", ctx->src->name);
	ingest_lines_release(&l);
	sbuf_release(&c.part[0].b);
	sbuf_release(&c.part[1].b);
	sbuf_release(&c.fkey);
	sbuf_release(&c.flog);
	sbuf_release(&c.fval);
	for (i = 0; i < c.nids; i++)
		free(c.ids[i]);
	free(c.ids);
	free(c.name);
	return rc < 0 ? rc : 0;
}

/* The first line: a json-file record, a journald export record, or a CRI
 * line (RFC 3339 time, stdout|stderr, F|P). */
static int
imp_ctrlog_sniff(const uint8_t *head, size_t n, const char *basename)
{
	const uint8_t *nl = memchr(head, '\n', n);
	size_t len = nl ? (size_t)(nl - head) : n;
	char ts[40];
	int64_t v;
	const uint8_t *sp;

	(void)basename;
	if (len > 2 && head[0] == '{') {
		if (memmem(head, len, "{\"log\":", 7) == head &&
		    memmem(head, len, "\"stream\":", 9) &&
		    memmem(head, len, "\"time\":", 7))
			return 48;
		if (memmem(head, len, "\"__REALTIME_TIMESTAMP\"", 22) &&
		    memmem(head, len, "\"MESSAGE\"", 9) &&
		    (memmem(head, len, "\"CONTAINER_ID", 13) ||
			memmem(head, len, "\"CONTAINER_NAME\"", 16)))
			return 40;
		return 0;
	}
	sp = memchr(head, ' ', len);
	if (sp == NULL || (size_t)(sp - head) >= sizeof(ts) || sp - head < 20)
		return 0;
	memcpy(ts, head, (size_t)(sp - head));
	ts[sp - head] = '\0';
	if (ts[4] != '-' || ts[10] != 'T' || !time_parse(ts, &v))
		return 0;
	sp++;
	if ((size_t)(head + len - sp) < 9 ||
	    (memcmp(sp, "stdout ", 7) && memcmp(sp, "stderr ", 7)) ||
	    (sp[7] != 'F' && sp[7] != 'P'))
		return 0;
	return 48;
}

const struct importer imp_ctrlog = {
	.abi = INGEST_ABI,
	.name = "ctrlog",
	.version = "1",
	.summary = "container logs: Docker json-file, CRI (kubelet, podman "
		   "k8s-file) and journald JSON exports; partial records "
		   "joined, tied to their container",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_ctrlog_sniff,
	.import = imp_ctrlog_import,
	.options = NULL,
	.zlevel = 1,
};
