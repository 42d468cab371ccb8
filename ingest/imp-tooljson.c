/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-tooljson.c: what deployed runtime-security tools wrote, as JSON
 * lines (one object per line; each line is read for what it is, so one
 * file may mix them):
 *
 *  Falco alerts (json_output: true):
 *    {"time":"2024-05-07T18:54:19.341081180Z","rule":"Read sensitive file
 *     untrusted","priority":"Warning","output":"...","source":"syscall",
 *     "tags":["T1555","container",..],"hostname":"..","output_fields":
 *     {"container.id":..,"proc.pid":..,"proc.cmdline":..,"fd.name":..}}
 *  Tracee events (--output json): {"timestamp":ns,"processId":..,
 *     "threadId":..,"hostProcessId":..,"hostThreadId":..,"processName":..,
 *     "containerId":.. or "container":{"id","name","image"},
 *     "kubernetes":{"podName","podNamespace","podUID"},"eventName":..,
 *     "returnValue":..,"syscall":..,"args":[{"name","type","value"}]}
 *    and detections: the same with "metadata":{"Description","Properties":
 *    {"Severity":0-4,"external_id":"T1622","signatureID","signatureName",
 *    "Category","Technique"}} (tracee 0.8 to 0.19) or "threat":{"name",
 *    "description","severity","mitre":{"technique":{"externalId"}}}.
 *  sysdig -j events: {"evt.num":..,"evt.outputtime":ns,"evt.type":..,
 *    "evt.dir":">"|"<","evt.info":"res=0 ...","proc.name":..,
 *    "thread.tid":..}; an enter and the exit of the same thread and type
 *    are one row (the exit's res= or fd= is the return).
 *
 * Alerts and detections become `alerts` rows (tool, rule, the tool's
 * priority and our severity, ATT&CK ids, tags, output, process, container
 * and the tool's fields as JSON); the `imported` analyzer turns them into
 * findings. Events become events: a syscall's name (a Tracee eventName
 * or sysdig evt.type that is an x86_64 syscall) is kind syscall; Tracee's
 * other events (security_file_open, sched_process_exec...) and sysdig's
 * meta events are kind event; sysdig's procexit is kind exit. pid and tid
 * are the host's (Tracee's hostProcessId/hostThreadId; sysdig -j prints
 * thread.tid only, so pid stays unknown). Containers the tools name
 * (Falco's container.full_id or id, Tracee's container) become
 * containers.
 *
 * Hostile input: lines through ingest_lines (LIM_TEXT_LINE); a line that
 * is not JSON or none of these is an anomaly; pending sysdig enters,
 * containers seen and texts are bounded.
 */
#include "core/common.h"

#include <jansson.h>

#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/syscalls.h"
#include "core/tidtab.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/members.h"

#define TJ_PENDING_MAX (1u << 16)
#define TJ_CONTAINERS_MAX 4096

struct tj_pend { /* a sysdig enter waiting for its exit */
	struct tidtab_slot h;
	int64_t ts;
	char type[32];
	char comm[32];
};

struct tj {
	struct imp_ctx *ctx;
	struct dd_err *e;
	uint64_t ord;		/* events sent */
	int64_t seq;		/* alerts sent */
	uint64_t lines;		/* lines of a known kind */
	struct tidtab pend;
	char **cids;		/* containers sent */
	size_t ncids;
	struct sbuf a, b, c;	/* scratch texts */
};

static const char *
tj_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t
tj_int(json_t *o, const char *k, int64_t dflt)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* A container the tool named (once per id). */
static int
tj_container(struct tj *t, const char *id, const char *name,
    const char *image)
{
	struct sink *k = t->ctx->sink;
	struct container_rec cr;

	if (id == NULL || *id == '\0' || strcmp(id, "host") == 0 ||
	    k->ops->container == NULL)
		return 0;
	for (size_t i = 0; i < t->ncids; i++)
		if (strcmp(t->cids[i], id) == 0)
			return 0;
	if (t->ncids == TJ_CONTAINERS_MAX)
		return 0;
	t->cids = xreallocarray(t->cids, t->ncids + 1, sizeof(*t->cids));
	t->cids[t->ncids++] = xstrdup(id);
	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.name = name && *name ? name : NULL;
	cr.image = image && *image ? image : NULL;
	cr.privileged = -1;
	return k->ops->container(k, t->ctx->artifact_id, &cr, t->e);
}

/* Falco priorities and Tracee severities as finding severities. */
static const char *
tj_falco_sev(const char *p)
{
	static const struct {
		const char *p, *s;
	} m[] = {
		{ "emergency", "critical" }, { "alert", "critical" },
		{ "critical", "critical" }, { "error", "high" },
		{ "warning", "medium" }, { "notice", "low" },
		{ "informational", "info" }, { "info", "info" },
		{ "debug", "info" },
	};
	for (size_t i = 0; p && i < ARRAY_SIZE(m); i++)
		if (strcasecmp(p, m[i].p) == 0)
			return m[i].s;
	return "medium";
}

static const char *
tj_tracee_sev(json_t *v)
{
	static const char *const s[] = { "info", "low", "medium", "high",
		"critical" };
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= 4)
		return s[json_integer_value(v)];
	if (json_is_string(v))
		return tj_falco_sev(json_string_value(v));
	return "medium";
}

/* ATT&CK technique ids among tags: T1234 or T1234.001. */
static bool
tj_is_technique(const char *s)
{
	size_t i = 1;

	if (s == NULL || s[0] != 'T')
		return false;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (i != 5)
		return false;
	if (s[i] == '\0')
		return true;
	if (s[i] != '.')
		return false;
	for (i++; s[i] >= '0' && s[i] <= '9'; i++)
		;
	return s[i] == '\0' && i == 9;
}

static void
tj_list(struct sbuf *b, const char *v)
{
	if (v != NULL && *v != '\0')
		sbuf_addf(b, "%s%s", b->len ? "," : "", v);
}

static char *
tj_json(json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

/* An integer that may come as a JSON integer or text. */
static bool
tj_num(json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	return json_is_string(v) && parse_i64(json_string_value(v), out);
}

/* ---- Falco ---- */

static int
tj_falco(struct tj *t, json_t *o, int64_t off)
{
	json_t *f = json_object_get(o, "output_fields"), *tags;
	const char *ts = tj_str(o, "time"), *cid;
	struct net_rec r;
	int64_t when = EV_TS_NONE, n;
	char *fields;
	int rc;

	if (ts && !time_parse(ts, &when))
		when = EV_TS_NONE;
	if (when == EV_TS_NONE && json_is_integer(json_object_get(f,
		"evt.time")))
		when = json_integer_value(json_object_get(f, "evt.time"));
	sbuf_reset(&t->a);
	sbuf_reset(&t->b);
	tags = json_object_get(o, "tags");
	for (size_t i = 0; json_is_array(tags) && i < json_array_size(tags) &&
	    i < 256; i++) {
		const char *g = json_string_value(json_array_get(tags, i));
		tj_list(&t->a, g);
		if (tj_is_technique(g))
			tj_list(&t->b, g);
	}
	net_rec_init(&r, NR_ALERT);
	r.i[AL_SEQ] = t->seq++;
	r.i[AL_TS] = when == EV_TS_NONE ? NR_NULL : when;
	r.i[AL_OFF] = off;
	r.s[ALS_TOOL] = "falco";
	r.s[ALS_RULE] = tj_str(o, "rule");
	r.s[ALS_PRIORITY] = tj_str(o, "priority");
	r.s[ALS_SEVERITY] = tj_falco_sev(tj_str(o, "priority"));
	r.s[ALS_TAGS] = t->a.len ? t->a.buf : NULL;
	r.s[ALS_ATTACK] = t->b.len ? t->b.buf : NULL;
	r.s[ALS_OUTPUT] = tj_str(o, "output");
	r.s[ALS_SOURCE] = tj_str(o, "source");
	r.s[ALS_HOST] = tj_str(o, "hostname");
	cid = tj_str(f, "container.full_id");
	if (cid == NULL)
		cid = tj_str(f, "container.id");
	if (cid != NULL && strcmp(cid, "host") == 0)
		cid = NULL;
	r.s[ALS_CID] = cid;
	r.s[ALS_CNAME] = tj_str(f, "container.name");
	r.s[ALS_IMAGE] = tj_str(f, "container.image.repository") ?
	    tj_str(f, "container.image.repository") : tj_str(f,
		"container.image");
	r.s[ALS_K8S_NS] = tj_str(f, "k8s.ns.name");
	r.s[ALS_K8S_POD] = tj_str(f, "k8s.pod.name");
	if (tj_num(json_object_get(f, "proc.pid"), &n))
		r.i[AL_PID] = n;
	if (tj_num(json_object_get(f, "thread.tid"), &n))
		r.i[AL_TID] = n;
	r.s[ALS_COMM] = tj_str(f, "proc.name");
	r.s[ALS_CMDLINE] = tj_str(f, "proc.cmdline");
	r.s[ALS_EXE] = tj_str(f, "proc.exepath") ? tj_str(f, "proc.exepath") :
	    tj_str(f, "proc.exe");
	r.s[ALS_USER] = tj_str(f, "user.name");
	r.s[ALS_PATH] = tj_str(f, "fd.name");
	r.s[ALS_EVENT] = tj_str(f, "evt.type");
	fields = tj_json(f);
	r.s[ALS_FIELDS] = fields;
	rc = t->ctx->sink->ops->net ? t->ctx->sink->ops->net(t->ctx->sink,
	    t->ctx->artifact_id, &r, t->e) : 0;
	free(fields);
	if (rc >= 0 && cid != NULL)
		rc = tj_container(t, cid, tj_str(f, "container.name"),
		    r.s[ALS_IMAGE]);
	return rc;
}

/* ---- Tracee ---- */

static json_t *
tj_arg(json_t *args, const char *name)
{
	for (size_t i = 0; json_is_array(args) && i < json_array_size(args);
	    i++) {
		json_t *a = json_array_get(args, i);
		const char *n = tj_str(a, "name");
		if (n && strcmp(n, name) == 0)
			return json_object_get(a, "value");
	}
	if (json_is_object(args)) /* newer tracee: args as an object */
		return json_object_get(args, name);
	return NULL;
}

/* A Tracee sockaddr argument: {"sa_family":"AF_INET","sin_addr":..,
 * "sin_port":..} (or sin6_*, sun_path). */
static void
tj_sockaddr(json_t *sa, struct event_rec *ev)
{
	const char *fam = tj_str(sa, "sa_family");
	json_t *port;
	int64_t p;

	if (!json_is_object(sa) || fam == NULL)
		return;
	ev->family = fam;
	if (strcmp(fam, "AF_UNIX") == 0)
		ev->addr = tj_str(sa, "sun_path");
	else {
		ev->addr = tj_str(sa, "sin_addr") ? tj_str(sa, "sin_addr") :
		    tj_str(sa, "sin6_addr");
		port = json_object_get(sa, "sin_port");
		if (port == NULL)
			port = json_object_get(sa, "sin6_port");
		if (tj_num(port, &p)) {
			ev->port = p;
			ev->has_port = true;
		}
	}
}

static int
tj_tracee(struct tj *t, json_t *o, int64_t off)
{
	json_t *ctr = json_object_get(o, "container");
	json_t *k8s = json_object_get(o, "kubernetes");
	json_t *md = json_object_get(o, "metadata");
	json_t *th = json_object_get(o, "threat");
	json_t *args = json_object_get(o, "args");
	const char *name = tj_str(o, "eventName");
	const char *cid = tj_str(ctr, "id");
	int64_t ts = tj_int(o, "timestamp", EV_TS_NONE);
	int64_t pid = tj_int(o, "hostProcessId", tj_int(o, "processId", -1));
	int64_t tid = tj_int(o, "hostThreadId", tj_int(o, "threadId", -1));
	struct sink *k = t->ctx->sink;
	int rc = 0;

	if (cid == NULL || *cid == '\0')
		cid = tj_str(o, "containerId");
	if (cid != NULL && *cid == '\0')
		cid = NULL;
	if (json_is_object(md) || json_is_object(th)) {
		/* a detection */
		json_t *pr = json_object_get(md, "Properties");
		json_t *mt = json_object_get(json_object_get(th, "mitre"),
		    "technique");
		const char *rule = tj_str(th, "name");
		const char *att = tj_str(mt, "externalId");
		struct net_rec r;
		char *fields;
		if (rule == NULL)
			rule = tj_str(pr, "signatureName");
		if (rule == NULL)
			rule = name;
		if (att == NULL)
			att = tj_str(pr, "external_id");
		net_rec_init(&r, NR_ALERT);
		r.i[AL_SEQ] = t->seq++;
		r.i[AL_TS] = ts == EV_TS_NONE ? NR_NULL : ts;
		r.i[AL_OFF] = off;
		r.i[AL_PID] = pid >= 0 ? pid : NR_NULL;
		r.i[AL_TID] = tid >= 0 ? tid : NR_NULL;
		r.s[ALS_TOOL] = "tracee";
		r.s[ALS_RULE] = rule;
		r.s[ALS_RULE_ID] = tj_str(pr, "signatureID") ? tj_str(pr,
		    "signatureID") : tj_str(th, "id");
		sbuf_reset(&t->a);
		if (json_is_integer(json_object_get(th, "severity")) ||
		    json_is_string(json_object_get(th, "severity")))
			r.s[ALS_SEVERITY] = tj_tracee_sev(json_object_get(th,
			    "severity"));
		else
			r.s[ALS_SEVERITY] = tj_tracee_sev(json_object_get(pr,
			    "Severity"));
		r.s[ALS_PRIORITY] = r.s[ALS_SEVERITY];
		r.s[ALS_ATTACK] = tj_is_technique(att) ? att : NULL;
		sbuf_reset(&t->b);
		tj_list(&t->b, tj_str(pr, "Category"));
		tj_list(&t->b, tj_str(pr, "Technique"));
		r.s[ALS_TAGS] = t->b.len ? t->b.buf : NULL;
		r.s[ALS_OUTPUT] = tj_str(th, "description") ? tj_str(th,
		    "description") : tj_str(md, "Description");
		r.s[ALS_SOURCE] = name;
		r.s[ALS_HOST] = tj_str(o, "hostName");
		r.s[ALS_CID] = cid;
		r.s[ALS_CNAME] = tj_str(ctr, "name") ? tj_str(ctr, "name") :
		    tj_str(o, "containerName");
		r.s[ALS_IMAGE] = tj_str(ctr, "image") ? tj_str(ctr, "image") :
		    tj_str(o, "containerImage");
		r.s[ALS_K8S_NS] = tj_str(k8s, "podNamespace") ? tj_str(k8s,
		    "podNamespace") : tj_str(o, "podNamespace");
		r.s[ALS_K8S_POD] = tj_str(k8s, "podName") ? tj_str(k8s,
		    "podName") : tj_str(o, "podName");
		r.s[ALS_COMM] = tj_str(o, "processName");
		r.s[ALS_EXE] = tj_str(json_object_get(o, "executable"), "path");
		if (r.s[ALS_EXE] && *r.s[ALS_EXE] == '\0')
			r.s[ALS_EXE] = NULL;
		r.s[ALS_EVENT] = tj_str(o, "syscall");
		fields = tj_json(args);
		r.s[ALS_FIELDS] = fields;
		rc = k->ops->net ? k->ops->net(k, t->ctx->artifact_id, &r,
		    t->e) : 0;
		free(fields);
	} else if (name != NULL) {
		struct event_rec ev;
		json_t *v;
		int64_t n;
		memset(&ev, 0, sizeof(ev));
		ev.ord = t->ord++;
		ev.kind = sc_number(SC_ARCH_X86_64, name) >= 0 ? EVK_SYSCALL :
		    EVK_EVENT;
		ev.name = name;
		ev.arch = ev.kind == EVK_SYSCALL ? SC_ARCH_X86_64 :
		    SC_ARCH_UNKNOWN;
		ev.enter_ts = ts;
		ev.exit_ts = EV_TS_NONE;
		ev.ts_quality = ts == EV_TS_NONE ? TSQ_ORDINAL : TSQ_ABSOLUTE;
		ev.pid = pid;
		ev.tid = tid;
		ev.comm = tj_str(o, "processName");
		if (tj_num(json_object_get(o, "returnValue"), &n)) {
			ev.ret = n;
			ev.ret_known = true;
			if (n < 0 && n > -4096 && ev.kind == EVK_SYSCALL)
				ev.errname = strerrorname_np((int)-n);
		}
		v = tj_arg(args, "pathname");
		if (v == NULL)
			v = tj_arg(args, "filename");
		if (v == NULL)
			v = tj_arg(args, "path");
		ev.path = json_string_value(v);
		v = tj_arg(args, "fd");
		if (json_is_string(v)) { /* parse-arguments-fds: "3=/path" */
			const char *s = json_string_value(v), *eq = strchr(s,
			    '=');
			sbuf_reset(&t->c);
			sbuf_add(&t->c, s, eq ? (size_t)(eq - s) : strlen(s));
			if (parse_i64(t->c.buf, &n)) {
				ev.fd = n;
				ev.has_fd = true;
				ev.fd_path = eq ? eq + 1 : NULL;
			}
		} else if (tj_num(v, &n)) {
			ev.fd = n;
			ev.has_fd = true;
		}
		tj_sockaddr(tj_arg(args, "addr"), &ev);
		if (ev.family == NULL)
			tj_sockaddr(tj_arg(args, "remote_addr"), &ev);
		v = tj_arg(args, "flags");
		ev.flags = json_string_value(v);
		if (tj_num(tj_arg(args, "pid"), &n)) {
			ev.target = n;
			ev.has_target = true;
		}
		v = tj_arg(args, "argv");
		sbuf_reset(&t->a);
		for (size_t i = 0; json_is_array(v) && i < json_array_size(v);
		    i++) {
			const char *s = json_string_value(json_array_get(v, i));
			if (s && sbuf_addf(&t->a, "%s%s", i ? " " : "", s) < 0)
				break;
		}
		if (t->a.len)
			ev.args = t->a.buf;
		else {
			char *js = tj_json(args);
			sbuf_reset(&t->a);
			if (js && !json_is_null(args))
				sbuf_addstr(&t->a, js);
			free(js);
			ev.args = t->a.len ? t->a.buf : NULL;
		}
		ev.container = cid;
		rc = k->ops->event(k, t->ctx->artifact_id, &ev, t->e);
	}
	if (rc >= 0 && cid != NULL)
		rc = tj_container(t, cid, tj_str(ctr, "name") ? tj_str(ctr,
		    "name") : tj_str(o, "containerName"), tj_str(ctr, "image") ?
		    tj_str(ctr, "image") : tj_str(o, "containerImage"));
	return rc;
}

/* ---- sysdig -j ---- */

/* The value of key= in sysdig's evt.info (to the next space), into b. */
static bool
tj_info(const char *info, const char *key, struct sbuf *b)
{
	size_t kl = strlen(key);
	const char *p = info;

	while (p && *p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			const char *v = p + kl + 1, *e = strchr(v, ' ');
			sbuf_reset(b);
			sbuf_add(b, v, e ? (size_t)(e - v) : strlen(v));
			return true;
		}
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return false;
}

static int
tj_sysdig_emit(struct tj *t, const char *type, const char *comm, int64_t tid,
    int64_t enter, int64_t exit, const char *info, uint64_t off)
{
	struct event_rec ev;
	int64_t n;
	char *endp;

	memset(&ev, 0, sizeof(ev));
	ev.ord = t->ord++;
	ev.name = type;
	if (strcmp(type, "procexit") == 0) {
		ev.kind = EVK_EXIT;
		ev.name = "exited";
	} else if (sc_number(SC_ARCH_X86_64, type) >= 0) {
		ev.kind = EVK_SYSCALL;
		ev.arch = SC_ARCH_X86_64;
	} else {
		ev.kind = EVK_EVENT;
	}
	ev.enter_ts = enter;
	ev.exit_ts = exit;
	ev.ts_quality = TSQ_ABSOLUTE;
	ev.pid = -1;
	ev.tid = tid;
	ev.comm = comm;
	if (info != NULL && exit != EV_TS_NONE && ev.kind == EVK_SYSCALL &&
	    (tj_info(info, "res", &t->a) || tj_info(info, "fd", &t->a))) {
		/* sysdig prints these returns as hex, without 0x */
		bool hex = strcmp(type, "brk") == 0 || strcmp(type, "mmap") ==
		    0 || strcmp(type, "mmap2") == 0 || strcmp(type,
		    "mremap") == 0;
		n = hex ? (int64_t)strtoull(t->a.buf, &endp, 16) :
		    strtoll(t->a.buf, &endp, 10);
		if (endp != t->a.buf) {
			ev.ret = n;
			ev.ret_known = true;
			if (*endp == '(' && n < 0) { /* -2(ENOENT) */
				char *close = strchr(endp, ')');
				if (close) {
					*close = '\0';
					ev.errname = endp + 1;
				}
			}
		}
	}
	if (ev.kind == EVK_EXIT && info && tj_info(info, "status", &t->a) &&
	    parse_i64(t->a.buf, &n)) {
		ev.ret = n;
		ev.ret_known = true;
	}
	if (info && ev.kind == EVK_SYSCALL) {
		if (tj_info(info, "name", &t->b) || tj_info(info, "filename",
			&t->b) || tj_info(info, "path", &t->b) ||
		    tj_info(info, "exe", &t->b))
			ev.path = t->b.buf;
		if (tj_info(info, "tuple", &t->c)) {
			/* a->b: the remote end after -> */
			char *arrow = strstr(t->c.buf, "->"), *colon;
			if (arrow && (colon = strrchr(arrow + 2, ':')) != NULL &&
			    parse_i64(colon + 1, &n)) {
				*colon = '\0';
				ev.addr = arrow + 2;
				ev.port = n;
				ev.has_port = true;
				ev.family = strchr(ev.addr, ':') ? "AF_INET6" :
				    "AF_INET";
			}
		}
		ev.args = info[0] ? info : NULL;
	}
	ev.src_off[0] = off;
	return t->ctx->sink->ops->event(t->ctx->sink, t->ctx->artifact_id, &ev,
	    t->e);
}

static int
tj_sysdig(struct tj *t, json_t *o, uint64_t off)
{
	const char *type = tj_str(o, "evt.type"), *dir = tj_str(o, "evt.dir");
	const char *info = tj_str(o, "evt.info"), *comm = tj_str(o,
	    "proc.name");
	int64_t tid = tj_int(o, "thread.tid", -1);
	int64_t ts = tj_int(o, "evt.outputtime", tj_int(o, "evt.rawtime",
	    EV_TS_NONE));
	struct tj_pend *p;
	bool fresh;
	int rc;

	if (type == NULL)
		return ingest_anomaly(t->ctx, (int64_t)off, "a sysdig event "
		    "without evt.type: skipped");
	p = (struct tj_pend *)tidtab_get(&t->pend, tid, 1024, TJ_PENDING_MAX,
	    NULL);
	if (dir != NULL && strcmp(dir, ">") == 0) {
		if (p != NULL) { /* an enter without exit: alone */
			if ((rc = tj_sysdig_emit(t, p->type, p->comm[0] ?
				    p->comm : NULL, tid, p->ts, EV_TS_NONE,
				    NULL, off)) < 0)
				return rc;
			tidtab_del(&t->pend, &p->h);
		}
		if (strcmp(type, "procexit") == 0 || sc_number(SC_ARCH_X86_64,
			type) < 0 || strcmp(type, "exit_group") == 0 ||
		    strcmp(type, "exit") == 0)
			/* no exit follows */
			return tj_sysdig_emit(t, type, comm, tid, ts,
			    EV_TS_NONE, info, off);
		p = (struct tj_pend *)tidtab_get(&t->pend, tid, 1024,
		    TJ_PENDING_MAX, &fresh);
		if (p == NULL)
			return tj_sysdig_emit(t, type, comm, tid, ts,
			    EV_TS_NONE, info, off);
		p->ts = ts;
		snprintf(p->type, sizeof(p->type), "%s", type);
		snprintf(p->comm, sizeof(p->comm), "%s", comm ? comm : "");
		return 0;
	}
	if (p != NULL && strcmp(p->type, type) == 0) {
		int64_t enter = p->ts;
		tidtab_del(&t->pend, &p->h);
		return tj_sysdig_emit(t, type, comm, tid, enter, ts, info, off);
	}
	return tj_sysdig_emit(t, type, comm, tid, EV_TS_NONE, ts, info, off);
}

/* ---- lines ---- */

static int
tj_line(struct tj *t, json_t *o, uint64_t off)
{
	if (!json_is_object(o))
		return ingest_anomaly(t->ctx, (int64_t)off, "not a JSON "
		    "object: skipped");
	if (tj_str(o, "rule") && (json_object_get(o, "priority") ||
		json_object_get(o, "output"))) {
		t->lines++;
		return tj_falco(t, o, (int64_t)off);
	}
	if (tj_str(o, "eventName") && (json_object_get(o, "processId") ||
		json_object_get(o, "threadId") ||
		json_object_get(o, "hostProcessId") ||
		json_object_get(o, "timestamp"))) {
		t->lines++;
		return tj_tracee(t, o, (int64_t)off);
	}
	if (tj_str(o, "evt.type")) {
		t->lines++;
		return tj_sysdig(t, o, off);
	}
	return ingest_anomaly(t->ctx, (int64_t)off, "a JSON object that is no "
	    "Falco alert, Tracee event or sysdig event: skipped");
}

static int
imp_tooljson_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct tj t = { .ctx = ctx, .e = e };
	struct ingest_lines l;
	const uint8_t *p;
	size_t n;
	uint64_t off;
	bool cut;
	int rc;

	t.pend.elsz = sizeof(struct tj_pend);
	sbuf_init(&t.a, LIM_TEXT_LINE);
	sbuf_init(&t.b, LIM_TEXT_LINE);
	sbuf_init(&t.c, LIM_TEXT_LINE);
	ingest_lines_init(&l, ingest_read_src, ctx);
	while ((rc = ingest_lines_next(&l, &p, &n, &off, &cut, e)) > 0) {
		json_error_t je;
		json_t *o;
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
			   p[n - 1] == ','))
			n--;
		if (n == 0 || (n == 1 && (p[0] == '[' || p[0] == ']')))
			continue;
		if (cut) {
			rc = ingest_anomaly(ctx, (int64_t)off, "a line longer "
			    "than %u bytes: skipped", LIM_TEXT_LINE);
			if (rc < 0)
				break;
			continue;
		}
		o = json_loadb((const char *)p, n, 0, &je);
		rc = o ? tj_line(&t, o, off) : ingest_anomaly(ctx,
		    (int64_t)off, "not JSON: %s", je.text);
		json_decref(o);
		if (rc < 0)
			break;
	}
	/* enters whose exit never came */
	for (size_t i = 0; rc >= 0 && i < t.pend.cap; i++) {
		struct tj_pend *q = (struct tj_pend *)tidtab_at(&t.pend, i);
		if (q->h.used)
			rc = tj_sysdig_emit(&t, q->type, q->comm[0] ? q->comm :
			    NULL, q->h.tid, q->ts, EV_TS_NONE, NULL, 0);
	}
	if (rc >= 0 && t.lines == 0)
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no Falco alert, Tracee "
		    "event or sysdig event", ctx->src->name);
	ingest_lines_release(&l);
	free(t.pend.v);
	for (size_t i = 0; i < t.ncids; i++)
		free(t.cids[i]);
	free(t.cids);
	sbuf_release(&t.a);
	sbuf_release(&t.b);
	sbuf_release(&t.c);
	return rc < 0 ? rc : 0;
}

/* A first JSON object naming Falco's, Tracee's or sysdig's keys. */
static int
imp_tooljson_sniff(const uint8_t *head, size_t n, const char *basename)
{
	size_t i = 0;

	(void)basename;
	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' ||
	    head[i] == '\t' || head[i] == '['))
		i++;
	if (i == n || head[i] != '{')
		return 0;
	if (memmem(head, n, "\"rule\"", 6) && memmem(head, n, "\"priority\"",
		10) && memmem(head, n, "\"output\"", 8))
		return 50;
	if (memmem(head, n, "\"eventName\"", 11) && (memmem(head, n,
		"\"processId\"", 11) || memmem(head, n, "\"hostProcessId\"",
		15)))
		return 50;
	if (memmem(head, n, "\"evt.type\"", 10) && memmem(head, n,
		"\"evt.dir\"", 9))
		return 50;
	return 0;
}

const struct importer imp_tooljson = {
	.abi = INGEST_ABI,
	.name = "tooljson",
	.version = "1",
	.summary = "JSON output of deployed tools: Falco alerts, Tracee events "
		   "and detections, sysdig -j events (alerts for the imported "
		   "analyzer, events into the event store)",
	.kind = EV_SYSCALL | EV_ALERT,
	.flags = 0,
	.sniff = imp_tooljson_sniff,
	.import = imp_tooljson_import,
	.options = NULL,
	.zlevel = 0,
};
