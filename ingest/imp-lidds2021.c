/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-lidds2021.c: LID-DS 2021 recordings (FORMATS.md section 2.7).
 *
 * Reference: LID-DS/LID-DS (dataloader/, lid_ds/export/export.py).
 *
 *   <name>.zip                 one recording, exactly four members:
 *     <name>.json              metadata: containers, exploit, times
 *     <name>.sc                sysdig -p "%evt.rawtime %user.uid %proc.pid
 *                              %proc.name %thread.tid %syscall.type
 *                              %evt.dir %evt.args" lines (lidds.h)
 *     <name>.pcap              the capture (a member parsed by the pcap
 *                              importer: flows attributed to the
 *                              containers by their IPs)
 *     <name>.res               CSV of resource samples
 *
 * The zip imports as one archive artifact with a member artifact per
 * file; an unpacked directory imports as a group whose files this
 * importer takes one by one (by content: a .sc text, the .json, the
 * .res); one .sc alone imports too. Events come from .sc (lidds.h).
 * Labels go on the artifact of the .json (a member either way): dataset,
 * exploit, exploit_name, image, recording_time, recording_type (normal,
 * attack, normal_and_attack or idle, as the loader derives it),
 * warmup_end, container_ready, exploit_time and exploit_step per attack
 * step (times in epoch ns), attacker_ip/victim_ip and one container label
 * ("name ip role") per container; containers also go to the sink's
 * container op (aliases lidds_name, ip, role). The .res becomes rows of
 * `resources` (CPU percent, memory, network and storage counters) and
 * labels on
 * its artifact: resource_samples, resource_start, resource_end (epoch ns),
 * cpu_max and memory_max. A zip missing one of the four members is an
 * anomaly (the loader logs it); one with neither .sc nor .json is not a
 * recording.
 */
#include "core/common.h"

#include <math.h>

#include <jansson.h>

#include "core/dderr.h"
#include "core/netrec.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/sink.h"
#include "ingest/ingest.h"
#include "ingest/lidds.h"
#include "ingest/members.h"

extern const struct importer imp_lidds2021;

#define IMP_LIDDS2021_HEAD (64u * 1024u)
/* The metadata file and the resource CSV are parsed whole: their cap. */
#define IMP_LIDDS2021_META_MAX (4u * 1024u * 1024u)

enum { IMP_L21_JSON, IMP_L21_SC, IMP_L21_PCAP, IMP_L21_RES, IMP_L21_OTHER };
static const char *const imp_lidds2021_ext[] = { ".json", ".sc", ".pcap",
	".res" };

static int
imp_lidds2021_kind(const char *name)
{
	size_t n = strlen(name), i, k;

	for (i = 0; i < ARRAY_SIZE(imp_lidds2021_ext); i++) {
		k = strlen(imp_lidds2021_ext[i]);
		if (n > k && strcmp(name + n - k, imp_lidds2021_ext[i]) == 0)
			return (int)i;
	}
	return IMP_L21_OTHER;
}

/* A label whose value is formatted (numbers). */
static int DD_PRINTF(5, 6)
imp_lidds2021_labelf(struct imp_ctx *ctx, int64_t id, const char *key,
    struct dd_err *e, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ingest_label(ctx, id, key, buf, e);
}

/* Epoch seconds (a JSON number) as ns, from its shortest decimal form
 * (so 1631078877.513988 is ...513988000, not a binary neighbour). */
static bool
imp_lidds2021_ns(json_t *v, int64_t *ns)
{
	char txt[64], *dot;
	double d;
	int prec, i;
	int64_t sec, frac = 0;

	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < 0 || x > 9200000000ll)
			return false;
		*ns = (int64_t)x * 1000000000ll;
		return true;
	}
	if (!json_is_real(v))
		return false;
	d = json_real_value(v);
	if (!isfinite(d) || d < 0 || d > 9.2e9)
		return false;
	for (prec = 10; prec <= 17; prec++) {
		snprintf(txt, sizeof(txt), "%.*f", prec - 10 > 0 ? prec - 10 : 0,
		    d);
		if (strtod(txt, NULL) == d)
			break;
	}
	if (prec > 17)
		snprintf(txt, sizeof(txt), "%.9f", d);
	sec = strtoll(txt, &dot, 10);
	if (*dot == '.') {
		for (i = 0; i < 9; i++) {
			int c = dot[1 + i];
			if (c >= '0' && c <= '9')
				frac = frac * 10 + (c - '0');
			else {
				for (; i < 9; i++)
					frac *= 10;
				break;
			}
		}
	}
	*ns = sec * 1000000000ll + frac;
	return true;
}

static int
imp_lidds2021_label_ns(struct imp_ctx *ctx, int64_t id, const char *key,
    json_t *v, struct dd_err *e)
{
	int64_t ns;

	if (!imp_lidds2021_ns(v, &ns))
		return 0;
	return imp_lidds2021_labelf(ctx, id, key, e, "%" PRId64, ns);
}

static int
imp_lidds2021_container(struct imp_ctx *ctx, int64_t id, json_t *c,
    bool *normal, struct dd_err *e)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *ip = json_string_value(json_object_get(c, "ip"));
	const char *role = json_string_value(json_object_get(c, "role"));
	const char *kinds[3], *vals[3];
	struct container_rec cr;
	char buf[512];
	size_t na = 0;
	int rc;

	if (name == NULL)
		return ingest_anomaly_on(ctx, id, -1,
		    "'%s': a container without a name", ctx->src->name);
	if (role != NULL && strcmp(role, "normal") == 0)
		*normal = true;
	snprintf(buf, sizeof(buf), "%s %s %s", name, ip ? ip : "-",
	    role ? role : "-");
	if ((rc = ingest_label(ctx, id, "container", buf, e)) < 0)
		return rc;
	if (role != NULL && ip != NULL &&
	    (strcmp(role, "attacker") == 0 || strcmp(role, "victim") == 0)) {
		snprintf(buf, sizeof(buf), "%s_ip", role);
		if ((rc = ingest_label(ctx, id, buf, ip, e)) < 0)
			return rc;
	}
	if (ctx->sink->ops->container == NULL)
		return 0;
	kinds[na] = "lidds_name";
	vals[na++] = name;
	if (ip != NULL) {
		kinds[na] = "ip";
		vals[na++] = ip;
	}
	if (role != NULL) {
		kinds[na] = "role";
		vals[na++] = role;
	}
	memset(&cr, 0, sizeof(cr));
	cr.id = name;
	cr.name = name;
	cr.privileged = -1;
	cr.alias_kind = kinds;
	cr.alias_value = vals;
	cr.naliases = na;
	return ctx->sink->ops->container(ctx->sink, id, &cr, e);
}

/* The .json of a recording: labels and containers on artifact id. */
static int
imp_lidds2021_meta(struct imp_ctx *ctx, int64_t id, const char *name,
    struct sbuf *txt, struct dd_err *e)
{
	json_error_t je;
	json_t *o, *v, *t, *x;
	bool normal = false, exploit = false;
	const char *type;
	size_t i;
	int rc = 0;

	o = json_loadb(txt->buf, txt->len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL) {
		/* Some metadata is written with Python quotes: the loader
		 * replaces ' with " before parsing. */
		for (i = 0; i < txt->len; i++)
			if (txt->buf[i] == '\'')
				txt->buf[i] = '"';
		o = json_loadb(txt->buf, txt->len, 0, &je);
	}
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return ingest_anomaly_on(ctx, id, je.position,
		    "'%s': metadata is not JSON at offset %d: %s", name,
		    je.position, je.text);
	}
	if ((rc = ingest_label(ctx, id, "dataset", "LID-DS-2021", e)) < 0)
		goto out;
	v = json_object_get(o, "container");
	for (i = 0; json_is_array(v) && i < json_array_size(v); i++)
		if ((rc = imp_lidds2021_container(ctx, id,
			 json_array_get(v, i), &normal, e)) < 0)
			goto out;
	v = json_object_get(o, "exploit");
	exploit = json_is_true(v);
	if (json_is_boolean(v) &&
	    (rc = ingest_label(ctx, id, "exploit", exploit ? "true" : "false",
		 e)) < 0)
		goto out;
	if (json_is_string(v = json_object_get(o, "exploit_name")) &&
	    (rc = ingest_label(ctx, id, "exploit_name", json_string_value(v),
		 e)) < 0)
		goto out;
	if (json_is_string(v = json_object_get(o, "image")) &&
	    (rc = ingest_label(ctx, id, "image", json_string_value(v), e)) < 0)
		goto out;
	v = json_object_get(o, "recording_time");
	if (json_is_number(v) &&
	    (rc = imp_lidds2021_labelf(ctx, id, "recording_time", e, "%g",
		 json_number_value(v))) < 0)
		goto out;
	type = normal && exploit ? "normal_and_attack" :
	    exploit		 ? "attack" :
	    normal		 ? "normal" :
				   "idle";
	if ((rc = ingest_label(ctx, id, "recording_type", type, e)) < 0)
		goto out;
	t = json_object_get(o, "time");
	if (json_is_object(t)) {
		if ((rc = imp_lidds2021_label_ns(ctx, id, "warmup_end",
			 json_object_get(json_object_get(t, "warmup_end"),
			     "absolute"),
			 e)) < 0 ||
		    (rc = imp_lidds2021_label_ns(ctx, id, "container_ready",
			 json_object_get(json_object_get(t, "container_ready"),
			     "absolute"),
			 e)) < 0)
			goto out;
		v = json_object_get(t, "exploit");
		for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
			x = json_array_get(v, i);
			if ((rc = imp_lidds2021_label_ns(ctx, id,
				 "exploit_time",
				 json_object_get(x, "absolute"), e)) < 0)
				goto out;
			if (json_is_string(json_object_get(x, "name")) &&
			    (rc = ingest_label(ctx, id, "exploit_step",
				 json_string_value(json_object_get(x, "name")),
				 e)) < 0)
				goto out;
		}
	}
out:
	json_decref(o);
	return rc;
}

/* The .res CSV: one resources row per sample, and a summary as labels
 * on artifact id. */
static int
imp_lidds2021_res(struct imp_ctx *ctx, int64_t id, const char *name,
    const struct sbuf *txt, struct dd_err *e)
{
	struct rd r;
	const uint8_t *line;
	size_t len;
	uint64_t n = 0, off = 0;
	double first = 0, last = 0, cpu = -1, mem = -1;
	int rc;

	rd_init(&r, txt->buf, txt->len, 0);
	while (rd_left(&r) > 0) {
		char row[512], *f[8], *sv = NULL, *tok;
		int nf = 0;
		off = rd_off(&r);
		if (rd_until(&r, '\n', &line, &len) != 0) {
			line = NULL;
			len = rd_left(&r);
			rd_bytes(&r, len, &line);
		}
		if (len == 0 || off == 0)
			continue; /* the header */
		if (len < sizeof(row)) {
			memcpy(row, line, len);
			row[len] = '\0';
			/* NULL fields are "NULL", never empty. */
			for (tok = strtok_r(row, ",", &sv);
			    tok != NULL && nf < 8; tok = strtok_r(NULL, ",", &sv))
				f[nf++] = tok;
		}
		/* Epoch seconds that fit in ns (and not NaN). */
		if (nf < 3 || !(strtod(f[0], NULL) > 0 &&
				  strtod(f[0], NULL) < 9.2e9)) {
			if ((rc = ingest_anomaly_on(ctx, id, (int64_t)off,
				 "'%s': resource line at offset %" PRIu64
				 " is not timestamp,cpu,memory,...",
				 name, off)) < 0)
				return rc;
			continue;
		}
		if (n == 0)
			first = strtod(f[0], NULL);
		last = strtod(f[0], NULL);
		{
			/* one row of resource_all per sample */
			struct sink *k = ctx->sink;
			struct net_rec nr;
			static const int ic[] = { RS_MEM, RS_NRX, RS_NTX,
				RS_DRD, RS_DWR };
			net_rec_init(&nr, NR_RESOURCE);
			nr.i[RS_SEQ] = (int64_t)n;
			nr.i[RS_TS] = (int64_t)llround(last * 1e3) * 1000000;
			if (strcmp(f[1], "NULL") != 0 &&
			    strtod(f[1], NULL) >= 0 && strtod(f[1], NULL) < 1e9)
				nr.s[RSS_CPU] = f[1];
			for (int c = 0; c < 5 && c + 2 < nf; c++) {
				double v = strtod(f[c + 2], NULL);
				if (strcmp(f[c + 2], "NULL") != 0 && v >= 0 &&
				    v < 9e18)
					nr.i[ic[c]] = (int64_t)v;
			}
			if (k->ops->net != NULL &&
			    (rc = k->ops->net(k, id, &nr, e)) < 0)
				return rc;
		}
		if (strcmp(f[1], "NULL") != 0 && strtod(f[1], NULL) > cpu)
			cpu = strtod(f[1], NULL);
		if (strcmp(f[2], "NULL") != 0 && strtod(f[2], NULL) > mem)
			mem = strtod(f[2], NULL);
		n++;
	}
	if ((rc = imp_lidds2021_labelf(ctx, id, "resource_samples", e,
		 "%" PRIu64, n)) < 0 ||
	    n == 0)
		return rc;
	if ((rc = imp_lidds2021_labelf(ctx, id, "resource_start", e,
		 "%" PRId64, (int64_t)llround(first * 1e3) * 1000000)) < 0 ||
	    (rc = imp_lidds2021_labelf(ctx, id, "resource_end", e, "%" PRId64,
		 (int64_t)llround(last * 1e3) * 1000000)) < 0)
		return rc;
	if (cpu >= 0 &&
	    (rc = imp_lidds2021_labelf(ctx, id, "cpu_max", e, "%g", cpu)) < 0)
		return rc;
	if (mem >= 0 && (rc = imp_lidds2021_labelf(ctx, id, "memory_max", e,
			     "%.0f", mem)) < 0)
		return rc;
	return 0;
}

/* The lines of a .sc stream into events on artifact id. */
static int
imp_lidds2021_sc(struct imp_ctx *ctx, int64_t id, const char *name,
    ingest_read_fn fn, void *user, bool whole, struct dd_err *e)
{
	struct ingest_lines l;
	struct lidds_run run;
	const uint8_t *p;
	uint64_t off;
	size_t n;
	bool cut;
	int rc;

	ingest_lines_init(&l, fn, user);
	/* Offsets refer into the stored original only for a whole,
	 * unfiltered file. */
	lidds_run_init(&run, ctx, id, name, LIDDS_2021,
	    whole && ctx->src->filter == NULL, -1);
	while ((rc = ingest_lines_next(&l, &p, &n, &off, &cut, e)) == 1) {
		if (cut) {
			rc = ingest_anomaly_on(ctx, id, (int64_t)off,
			    "'%s': line at offset %" PRIu64
			    " is longer than %u bytes",
			    name, off, LIM_TEXT_LINE);
			if (rc < 0)
				break;
			continue;
		}
		if ((rc = lidds_run_line(&run, p, n, off, e)) < 0)
			break;
	}
	if (rc == 0)
		rc = lidds_run_finish(&run, e);
	if (rc == 0 && run.lines > 0 && run.bad * 2 > run.lines && !whole)
		rc = ingest_anomaly_on(ctx, id, -1,
		    "'%s': %" PRIu64 " of %" PRIu64
		    " lines are not LID-DS 2021 lines",
		    name, run.bad, run.lines);
	else if (rc == 0 && whole && (run.lines == 0 || run.bad * 2 > run.lines))
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a LID-DS 2021 .sc file: %" PRIu64 " of %" PRIu64
		    " lines are not 'rawtime uid pid comm tid syscall dir args'",
		    name, run.bad, run.lines);
	lidds_run_release(&run);
	ingest_lines_release(&l);
	return rc;
}

static int
imp_lidds2021_archive(struct imp_ctx *ctx, const uint8_t *head, size_t hn,
    struct dd_err *e)
{
	struct ingest_ar *ar = NULL;
	struct ingest_ar_entry ent;
	struct sbuf txt = SBUF_INIT;
	unsigned seen[IMP_L21_OTHER + 1] = { 0 };
	uint8_t sha[SHA256_LEN];
	uint64_t size, members = 0;
	int64_t id = 0;
	int rc, kind = IMP_L21_OTHER;
	const char *fmt = "raw";
	bool open_member = false;
	size_t i;

	sbuf_init(&txt, IMP_LIDDS2021_META_MAX + 1);
	if ((rc = ingest_ar_open(ctx, head, hn, &ar, e)) < 0)
		goto out;
	for (;;) {
		struct dd_err me = DD_ERR_INIT;
		rc = ingest_ar_next(ar, &ent, &me);
		if (rc == 1 && !ent.is_file)
			continue;
		if (rc == 1) {
			kind = imp_lidds2021_kind(ent.name);
			fmt = kind == IMP_L21_OTHER ? "raw" :
			    kind == IMP_L21_PCAP ? "pcap" : "lidds2021";
			seen[kind]++;
			if ((rc = ingest_member_begin(ctx, ent.name, fmt, &id,
				 e)) < 0)
				goto out;
			open_member = true;
			sbuf_reset(&txt);
			if (kind == IMP_L21_SC)
				rc = imp_lidds2021_sc(ctx, id, ent.name,
				    ingest_read_member, ar, false, &me);
			else if (kind == IMP_L21_PCAP &&
			    strcmp(ingest_opt(ctx, &imp_lidds2021, "pcap"),
				"false") != 0)
				rc = pcap_parse(ctx, id, ent.name,
				    ingest_read_member, ar, &me);
			else if (kind == IMP_L21_JSON || kind == IMP_L21_RES)
				rc = ingest_ar_slurp(ar, &txt,
				    IMP_LIDDS2021_META_MAX, &me);
			if (rc == DD_EFORMAT && kind == IMP_L21_PCAP) {
				/* libpcap refused the capture: the member is
				 * kept, the recording goes on */
				rc = ingest_anomaly_on(ctx, id, -1, "%s",
				    me.msg);
				me = (struct dd_err)DD_ERR_INIT;
			}
			if (rc == DD_ELIMIT && kind != IMP_L21_SC) {
				rc = ingest_anomaly_on(ctx, id, -1, "%s",
				    me.msg);
				sbuf_reset(&txt);
				kind = IMP_L21_OTHER;
			}
			if (rc == 0 && kind == IMP_L21_JSON)
				rc = imp_lidds2021_meta(ctx, id, ent.name,
				    &txt, &me);
			if (rc == 0 && kind == IMP_L21_RES)
				rc = imp_lidds2021_res(ctx, id, ent.name, &txt,
				    &me);
			if (rc == 0)
				rc = ingest_ar_finish(ar, sha, &size, &me);
			if (rc == 0) {
				open_member = false;
				members++;
				if ((rc = ingest_member_end(ctx, id, ent.name,
					 fmt, size, sha, e)) < 0)
					goto out;
				continue;
			}
		}
		if (rc == 0)
			break;
		if (open_member && (rc == DD_EFORMAT || rc == DD_ETRUNC)) {
			int rc2;
			ingest_ar_partial(ar, sha, &size);
			if ((rc2 = ingest_member_end(ctx, id, ent.name, fmt,
				 size, sha, e)) < 0) {
				rc = rc2;
				goto out;
			}
			members++;
		}
		/* Damaged after some members: keep them, say where. */
		if ((rc == DD_EFORMAT || rc == DD_ETRUNC) && members > 0) {
			rc = ingest_anomaly(ctx, me.offset, "%s", me.msg);
			break;
		}
		if (e != NULL && e->code == 0)
			*e = me;
		goto out;
	}
	if (rc < 0)
		goto out;
	if (seen[IMP_L21_SC] == 0 && seen[IMP_L21_JSON] == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a LID-DS 2021 recording: no .sc and no .json "
		    "member",
		    ctx->src->name);
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(imp_lidds2021_ext); i++)
		if (seen[i] != 1 &&
		    (rc = ingest_anomaly(ctx, -1,
			 "recording '%s' holds %u %s members (1 expected)",
			 ctx->src->name, seen[i], imp_lidds2021_ext[i])) < 0)
			goto out;
out:
	ingest_ar_free(ar);
	sbuf_release(&txt);
	return rc;
}

static int
imp_lidds2021_import(struct imp_ctx *ctx, struct dd_err *e)
{
	uint8_t *head = arena_alloc(ctx->job, IMP_LIDDS2021_HEAD);
	struct ingest_replay rp;
	struct sbuf txt = SBUF_INIT;
	size_t hn, got;
	struct rd r;
	uint32_t m;
	int rc;

	if ((rc = ingest_read_head(ctx, head, IMP_LIDDS2021_HEAD, &hn, e)) < 0)
		return rc;
	rd_init(&r, head, hn, 0);
	m = rd_be32(&r);
	if (rd_ok(&r) && m == 0x504b0304)
		return imp_lidds2021_archive(ctx, head, hn, e);
	if (rd_ok(&r) && (m == 0xd4c3b2a1 || m == 0xa1b2c3d4 ||
			     m == 0x4d3cb2a1 || m == 0xa1b23c4d ||
			     m == 0x0a0d0d0a)) {
		/* The capture: kept, parsed by a pcap importer. */
		ctx->parsed = false;
		return 0;
	}
	memset(&rp, 0, sizeof(rp));
	rp.ctx = ctx;
	rp.head = head;
	rp.n = hn;
	if ((hn > 0 && head[0] == '{') ||
	    (hn >= 10 && memcmp(head, "timestamp,", 10) == 0)) {
		bool json = head[0] == '{';
		sbuf_init(&txt, IMP_LIDDS2021_META_MAX + 1);
		sbuf_add(&txt, head, hn);
		for (;;) {
			char buf[65536];
			if ((rc = ingest_src_read(ctx, buf, sizeof(buf), &got,
				 e)) < 0)
				goto out;
			if (got == 0)
				break;
			if (txt.len + got > IMP_LIDDS2021_META_MAX) {
				rc = dd_err_set(e, DD_ELIMIT,
				    "'%s' is larger than %u bytes: not LID-DS "
				    "metadata",
				    ctx->src->name, IMP_LIDDS2021_META_MAX);
				goto out;
			}
			sbuf_add(&txt, buf, got);
		}
		rc = json ? imp_lidds2021_meta(ctx, ctx->artifact_id,
				ctx->src->name, &txt, e) :
			    imp_lidds2021_res(ctx, ctx->artifact_id,
				ctx->src->name, &txt, e);
		goto out;
	}
	rc = imp_lidds2021_sc(ctx, ctx->artifact_id, ctx->src->name,
	    ingest_read_replay, &rp, true, e);
out:
	sbuf_release(&txt);
	return rc;
}

static int
imp_lidds2021_sniff(const uint8_t *head, size_t n, const char *basename)
{
	struct rd r;
	const uint8_t *line, *name;
	size_t len, nlen;

	(void)basename;
	if (ingest_zip_first_name(head, n, &name, &nlen)) {
		int k;
		char nm[256];
		if (nlen >= sizeof(nm) || memchr(name, '/', nlen) != NULL)
			return 0;
		memcpy(nm, name, nlen);
		nm[nlen] = '\0';
		k = imp_lidds2021_kind(nm);
		return k == IMP_L21_OTHER ? 0 : 48;
	}
	if (n >= 40 && memcmp(head, "timestamp,cpu_usage,memory_usage,", 33) == 0)
		return 48;
	if (n > 0 && head[0] == '{' && memmem(head, n, "\"container\"", 11) &&
	    memmem(head, n, "\"exploit\"", 9))
		return 40;
	rd_init(&r, head, n, 0);
	if (rd_until(&r, '\n', &line, &len) != 0)
		return 0;
	return lidds_line_ok(line, len, LIDDS_2021) ? 48 : 0;
}

static const struct imp_option imp_lidds2021_options[] = {
	{ "pcap", "bool", "true",
	    "parse the capture member (false: keep it unparsed, as replay "
	    "does)" },
	{ NULL, NULL, NULL, NULL },
};

const struct importer imp_lidds2021 = {
	.abi = INGEST_ABI,
	.name = "lidds2021",
	.version = "1",
	.summary = "LID-DS 2021 recordings: the zip (.json .sc .pcap .res), "
		   "an unpacked one, or a .sc alone; events, labels, containers",
	.kind = EV_SYSCALL,
	.flags = IMP_CONTAINER,
	.sniff = imp_lidds2021_sniff,
	.import = imp_lidds2021_import,
	.options = imp_lidds2021_options,
	.zlevel = 1,
};
