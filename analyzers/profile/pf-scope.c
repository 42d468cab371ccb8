/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf-scope.c: what a profile is made from or checked against: the events
 * of a container, a process tree or an artifact; the container's
 * capabilities; the escape steps; symbolic argument values.
 */
#include "core/common.h"

#include <jansson.h>
#include <sqlite3.h>

#include "analyzers/profile/profile.h"
#include "core/dderr.h"
#include "core/query.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

/* ---- scope ---- */

static int
pf_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void
pf_push(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

/* The one container that arg names (full id, id prefix of 4 or more,
 * name, or alias). */
static int
pf_container(struct store *s, const char *arg, char **out, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	char *found = NULL;
	int n = 0, rc;

	*out = NULL;
	if (sqlite3_prepare_v2(s->db,
		"SELECT DISTINCT id FROM containers WHERE id = ?1 OR name = ?1 "
		"OR (length(?1) >= 4 AND substr(id, 1, length(?1)) = ?1) OR "
		"id IN (SELECT container_id FROM container_aliases WHERE "
		"value = ?1) ORDER BY id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "containers");
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0)
			found = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(found);
		return store_sqlerr(s, e, "containers");
	}
	if (n == 0)
		return dd_err_set(e, DD_ENOTFOUND,
		    "no container '%s' in the case (see: drydock query CASE "
		    "\"SELECT id, name FROM containers\")",
		    arg);
	if (n > 1) {
		free(found);
		return dd_err_set(e, DD_EUSAGE,
		    "'%s' names %d containers: give more of the id", arg, n);
	}
	*out = found;
	return 0;
}

int
pf_scope_resolve(struct store *s, struct pf_scope *sc, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	if (sc->container_arg != NULL) {
		if ((rc = pf_container(s, sc->container_arg, &sc->container,
			 e)) < 0)
			return rc;
		if (sqlite3_prepare_v2(s->db,
			"SELECT id FROM processes WHERE container_id = ?1 "
			"UNION SELECT process_id FROM attribution WHERE "
			"container_id = ?1",
			-1, &st, NULL) != SQLITE_OK)
			return store_sqlerr(s, e, "processes");
		sqlite3_bind_text(st, 1, sc->container, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			pf_push(&sc->procs, &sc->nprocs, &cap,
			    sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return store_sqlerr(s, e, "processes");
		sc->narrowed = true;
	}
	if (sc->pid > 0) {
		/* the process (every artifact's) and its descendants */
		int64_t *tree = NULL;
		size_t nt = 0, ct = 0, i, before;
		if (sqlite3_prepare_v2(s->db,
			"SELECT id, pid, ppid, artifact_id FROM processes",
			-1, &st, NULL) != SQLITE_OK)
			return store_sqlerr(s, e, "processes");
		struct pf_p {
			int64_t id, pid, ppid, art;
		} *pv = NULL;
		size_t np = 0, cp = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (np == cp) {
				cp = cp ? cp * 2 : 256;
				pv = xreallocarray(pv, cp, sizeof(*pv));
			}
			pv[np].id = sqlite3_column_int64(st, 0);
			pv[np].pid = sqlite3_column_int64(st, 1);
			pv[np].ppid = sqlite3_column_type(st, 2) == SQLITE_NULL ?
			    -1 :
			    sqlite3_column_int64(st, 2);
			pv[np].art = sqlite3_column_int64(st, 3);
			np++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			free(pv);
			return store_sqlerr(s, e, "processes");
		}
		for (i = 0; i < np; i++)
			if (pv[i].pid == sc->pid)
				pf_push(&tree, &nt, &ct, (int64_t)i);
		do {
			/* add children of the tree until none is new */
			before = nt;
			for (i = 0; i < np; i++) {
				size_t k;
				bool in = false, parent = false;
				for (k = 0; k < nt && !in; k++)
					in = (size_t)tree[k] == i;
				if (in)
					continue;
				for (k = 0; k < nt && !parent; k++)
					parent = pv[tree[k]].pid == pv[i].ppid &&
					    pv[tree[k]].art == pv[i].art;
				if (parent)
					pf_push(&tree, &nt, &ct, (int64_t)i);
			}
		} while (nt != before && nt < 100000);
		if (nt == 0) {
			free(pv);
			return dd_err_set(e, DD_ENOTFOUND,
			    "no process with pid %" PRId64 " in the case",
			    sc->pid);
		}
		if (sc->narrowed) {
			/* both: the tree within the container */
			int64_t *keep = NULL;
			size_t nk = 0, ck = 0;
			if (sc->nprocs > 0)
				qsort(sc->procs, sc->nprocs, sizeof(int64_t),
				    pf_cmp_i64);
			for (i = 0; i < nt; i++) {
				int64_t id = pv[tree[i]].id;
				if (sc->nprocs > 0 &&
				    bsearch(&id, sc->procs, sc->nprocs,
					sizeof(int64_t), pf_cmp_i64) != NULL)
					pf_push(&keep, &nk, &ck, id);
			}
			free(sc->procs);
			sc->procs = keep;
			sc->nprocs = nk;
		} else {
			for (i = 0; i < nt; i++)
				pf_push(&sc->procs, &sc->nprocs, &cap,
				    pv[tree[i]].id);
		}
		free(tree);
		free(pv);
		sc->narrowed = true;
		/* the tree decides, not the container's own events */
		free(sc->container);
		sc->container = NULL;
	}
	if (sc->procs != NULL)
		qsort(sc->procs, sc->nprocs, sizeof(int64_t), pf_cmp_i64);
	return 0;
}

void
pf_scope_release(struct pf_scope *sc)
{
	free(sc->container);
	free(sc->procs);
	sc->container = NULL;
	sc->procs = NULL;
	sc->nprocs = 0;
}

bool
pf_scope_has(const struct pf_scope *sc, int64_t process_id, const char *ctr)
{
	if (!sc->narrowed)
		return true;
	if (sc->container != NULL && ctr != NULL &&
	    strcmp(sc->container, ctr) == 0)
		return true;
	return process_id > 0 && sc->nprocs > 0 &&
	    bsearch(&process_id, sc->procs, sc->nprocs, sizeof(int64_t),
		pf_cmp_i64) != NULL;
}

/* ---- escape steps ---- */

int
pf_steps_load(struct store *s, struct pf_steps *st, struct dd_err *e)
{
	sqlite3_stmt *q = NULL;
	size_t cap = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	if (sqlite3_prepare_v2(s->db,
		"SELECT CAST(x.key AS INTEGER) AS ev, min(f.rule) FROM findings f "
		"JOIN finding_evidence x ON x.finding_id = f.id AND "
		"x.relation = 'events' WHERE f.rule LIKE 'esc.%' "
		"GROUP BY ev ORDER BY ev",
		-1, &q, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "findings");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (st->n == cap) {
			cap = cap ? cap * 2 : 32;
			st->id = xreallocarray(st->id, cap, sizeof(*st->id));
			st->rule = xreallocarray(st->rule, cap,
			    sizeof(*st->rule));
		}
		st->id[st->n] = sqlite3_column_int64(q, 0);
		st->rule[st->n] =
		    xstrdup((const char *)sqlite3_column_text(q, 1));
		st->n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "findings");
	return 0;
}

const char *
pf_steps_rule(const struct pf_steps *st, int64_t id)
{
	size_t lo = 0, hi = st->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->id[mid] == id)
			return st->rule[mid];
		if (st->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
pf_steps_release(struct pf_steps *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->rule[i]);
	free(st->rule);
	free(st->id);
	memset(st, 0, sizeof(*st));
}

/* ---- capabilities ---- */

static const char *const pf_caps[PF_CAP_MAX] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
	"KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT",
	"SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
	"SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
	"AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE",
	"MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
	"PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

int
pf_cap_number(const char *name)
{
	int i;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (i = 0; i < PF_CAP_MAX; i++)
		if (strcasecmp(pf_caps[i], name) == 0)
			return i;
	return -1;
}

const char *
pf_cap_name(int bit)
{
	static char names[PF_CAP_MAX][24];
	static bool made;

	if (bit < 0 || bit >= PF_CAP_MAX)
		return "CAP_?";
	if (!made) {
		int i;
		for (i = 0; i < PF_CAP_MAX; i++)
			snprintf(names[i], sizeof(names[i]), "CAP_%s",
			    pf_caps[i]);
		made = true;
	}
	return names[bit];
}

/* Docker's default set (moby oci/caps/defaults.go, as runc gets it). */
uint64_t
pf_caps_docker_default(void)
{
	static const char *const d[] = { "CHOWN", "DAC_OVERRIDE", "FSETID",
		"FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
		"SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
		"AUDIT_WRITE" };
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		m |= 1ull << pf_cap_number(d[i]);
	return m;
}

int
pf_caps_case(struct store *s, const char *container, uint64_t *caps,
    bool *known, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	uint64_t eff = 0, bnd = 0, add = 0, drop = 0;
	bool has_eff = false, has_bnd = false, all_add = false,
	     all_drop = false, any = false;
	int rc, priv = 0;

	*caps = pf_caps_docker_default();
	*known = false;
	if (container == NULL)
		return 0;
	if (store_has_relation(s, "container_caps")) {
		if (sqlite3_prepare_v2(s->db,
			"SELECT op, cap FROM container_caps WHERE "
			"container_id = ?1",
			-1, &st, NULL) != SQLITE_OK)
			return store_sqlerr(s, e, "container_caps");
		sqlite3_bind_text(st, 1, container, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *op = (const char *)sqlite3_column_text(st, 0);
			const char *c = (const char *)sqlite3_column_text(st, 1);
			int b = c ? pf_cap_number(c) : -1;
			bool all = c != NULL && strcasecmp(c, "ALL") == 0;
			uint64_t m = b >= 0 ? 1ull << b : 0;
			any = true;
			if (op == NULL)
				continue;
			if (strcmp(op, "effective") == 0)
				eff |= m, has_eff = true;
			else if (strcmp(op, "bounding") == 0)
				bnd |= m, has_bnd = true;
			else if (strcmp(op, "add") == 0)
				add |= m, all_add |= all;
			else if (strcmp(op, "drop") == 0)
				drop |= m, all_drop |= all;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return store_sqlerr(s, e, "container_caps");
	}
	if (sqlite3_prepare_v2(s->db,
		"SELECT max(privileged) FROM containers WHERE id = ?1", -1, &st,
		NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "containers");
	sqlite3_bind_text(st, 1, container, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		priv = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (priv == 1) {
		*caps = (1ull << PF_CAP_MAX) - 1;
		*known = true;
	} else if (has_eff) {
		*caps = eff;
		*known = true;
	} else if (has_bnd) {
		*caps = bnd;
		*known = true;
	} else if (any) {
		uint64_t m = all_add ? (1ull << PF_CAP_MAX) - 1 :
				       pf_caps_docker_default() | add;
		*caps = all_drop ? add : m & ~drop;
		*known = true;
	}
	return 0;
}

int
pf_caps_parse(struct store *s, const char *container, const char *spec,
    uint64_t *caps, const char **how, struct dd_err *e)
{
	bool known;
	int rc;

	if (spec == NULL || strcmp(spec, "case") == 0) {
		char *only = NULL;
		if (container == NULL) {
			/* no --container: the case's one container, if it
			 * has exactly one */
			sqlite3_stmt *st = NULL;
			int nc = 0;
			if (sqlite3_prepare_v2(s->db,
				"SELECT id FROM containers LIMIT 2", -1, &st,
				NULL) == SQLITE_OK) {
				while (sqlite3_step(st) == SQLITE_ROW)
					if (nc++ == 0)
						only = xstrdup((const char *)
							sqlite3_column_text(st,
							    0));
				sqlite3_finalize(st);
			}
			if (nc != 1) {
				free(only);
				only = NULL;
			}
		}
		rc = pf_caps_case(s, container ? container : only, caps,
		    &known, e);
		free(only);
		if (rc < 0)
			return rc;
		*how = known ? "the container's, as the case records them" :
		    spec == NULL ? "Docker's default (the case records none)" :
				   "Docker's default (the case records none "
				   "for it)";
		return 0;
	}
	if (strcmp(spec, "default") == 0) {
		*caps = pf_caps_docker_default();
		*how = "Docker's default";
		return 0;
	}
	{
		char *dup = xstrdup(spec), *tok, *save = NULL;
		*caps = 0;
		for (tok = strtok_r(dup, ",", &save); tok != NULL;
		     tok = strtok_r(NULL, ",", &save)) {
			int b = pf_cap_number(tok);
			if (strcasecmp(tok, "none") == 0)
				continue;
			if (b < 0) {
				rc = dd_err_set(e, DD_EUSAGE,
				    "unknown capability '%s' in --caps "
				    "(default, case, or names such as "
				    "CAP_SYS_ADMIN,CAP_NET_RAW)",
				    tok);
				free(dup);
				return rc;
			}
			*caps |= 1ull << b;
		}
		free(dup);
		*how = "as given";
	}
	return 0;
}

/* ---- argument values ---- */

struct pf_const {
	const char *name;
	uint64_t v;
};

/* The constants that profiles filter on (x86_64 and generic values):
 * address families, clone flags and signals, personalities, and the
 * socket types and flags that follow a family. */
static const struct pf_const pf_consts[] = {
	{ "AF_UNSPEC", 0 }, { "AF_UNIX", 1 }, { "AF_LOCAL", 1 },
	{ "AF_INET", 2 }, { "AF_AX25", 3 }, { "AF_IPX", 4 },
	{ "AF_APPLETALK", 5 }, { "AF_NETROM", 6 }, { "AF_BRIDGE", 7 },
	{ "AF_ATMPVC", 8 }, { "AF_X25", 9 }, { "AF_INET6", 10 },
	{ "AF_ROSE", 11 }, { "AF_DECnet", 12 }, { "AF_NETBEUI", 13 },
	{ "AF_SECURITY", 14 }, { "AF_KEY", 15 }, { "AF_NETLINK", 16 },
	{ "AF_ROUTE", 16 }, { "AF_PACKET", 17 }, { "AF_ASH", 18 },
	{ "AF_ECONET", 19 }, { "AF_ATMSVC", 20 }, { "AF_RDS", 21 },
	{ "AF_SNA", 22 }, { "AF_IRDA", 23 }, { "AF_PPPOX", 24 },
	{ "AF_WANPIPE", 25 }, { "AF_LLC", 26 }, { "AF_IB", 27 },
	{ "AF_MPLS", 28 }, { "AF_CAN", 29 }, { "AF_TIPC", 30 },
	{ "AF_BLUETOOTH", 31 }, { "AF_IUCV", 32 }, { "AF_RXRPC", 33 },
	{ "AF_ISDN", 34 }, { "AF_PHONET", 35 }, { "AF_IEEE802154", 36 },
	{ "AF_CAIF", 37 }, { "AF_ALG", 38 }, { "AF_NFC", 39 },
	{ "AF_VSOCK", 40 }, { "AF_KCM", 41 }, { "AF_QIPCRTR", 42 },
	{ "AF_SMC", 43 }, { "AF_XDP", 44 }, { "AF_MCTP", 45 },
	{ "PF_UNIX", 1 }, { "PF_LOCAL", 1 }, { "PF_INET", 2 },
	{ "PF_INET6", 10 }, { "PF_NETLINK", 16 }, { "PF_PACKET", 17 },
	{ "CSIGNAL", 0xff }, { "CLONE_VM", 0x100 }, { "CLONE_FS", 0x200 },
	{ "CLONE_FILES", 0x400 }, { "CLONE_SIGHAND", 0x800 },
	{ "CLONE_PIDFD", 0x1000 }, { "CLONE_PTRACE", 0x2000 },
	{ "CLONE_VFORK", 0x4000 }, { "CLONE_PARENT", 0x8000 },
	{ "CLONE_THREAD", 0x10000 }, { "CLONE_NEWNS", 0x20000 },
	{ "CLONE_SYSVSEM", 0x40000 }, { "CLONE_SETTLS", 0x80000 },
	{ "CLONE_PARENT_SETTID", 0x100000 },
	{ "CLONE_CHILD_CLEARTID", 0x200000 }, { "CLONE_DETACHED", 0x400000 },
	{ "CLONE_UNTRACED", 0x800000 }, { "CLONE_CHILD_SETTID", 0x1000000 },
	{ "CLONE_NEWCGROUP", 0x2000000 }, { "CLONE_NEWUTS", 0x4000000 },
	{ "CLONE_NEWIPC", 0x8000000 }, { "CLONE_NEWUSER", 0x10000000 },
	{ "CLONE_NEWPID", 0x20000000 }, { "CLONE_NEWNET", 0x40000000 },
	{ "CLONE_IO", 0x80000000ull }, { "CLONE_NEWTIME", 0x80 },
	{ "SIGHUP", 1 }, { "SIGINT", 2 }, { "SIGQUIT", 3 }, { "SIGILL", 4 },
	{ "SIGTRAP", 5 }, { "SIGABRT", 6 }, { "SIGBUS", 7 }, { "SIGFPE", 8 },
	{ "SIGKILL", 9 }, { "SIGUSR1", 10 }, { "SIGSEGV", 11 },
	{ "SIGUSR2", 12 }, { "SIGPIPE", 13 }, { "SIGALRM", 14 },
	{ "SIGTERM", 15 }, { "SIGSTKFLT", 16 }, { "SIGCHLD", 17 },
	{ "SIGCONT", 18 }, { "SIGSTOP", 19 }, { "SIGTSTP", 20 },
	{ "SIGTTIN", 21 }, { "SIGTTOU", 22 }, { "SIGURG", 23 },
	{ "SIGXCPU", 24 }, { "SIGXFSZ", 25 }, { "SIGVTALRM", 26 },
	{ "SIGPROF", 27 }, { "SIGWINCH", 28 }, { "SIGIO", 29 },
	{ "SIGPWR", 30 }, { "SIGSYS", 31 },
	{ "PER_LINUX", 0 }, { "PER_LINUX_32BIT", 0x800000 },
	{ "PER_LINUX32", 8 }, { "UNAME26", 0x20000 },
	{ "ADDR_NO_RANDOMIZE", 0x40000 }, { "READ_IMPLIES_EXEC", 0x400000 },
	{ "SOCK_STREAM", 1 }, { "SOCK_DGRAM", 2 }, { "SOCK_RAW", 3 },
	{ "SOCK_RDM", 4 }, { "SOCK_SEQPACKET", 5 }, { "SOCK_PACKET", 10 },
	{ "SOCK_NONBLOCK", 0x800 }, { "SOCK_CLOEXEC", 0x80000 },
};

bool
pf_arg_value(const char *text, uint64_t *v)
{
	const char *p = text;
	uint64_t acc = 0;

	if (text == NULL)
		return false;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return false;
	for (;;) {
		const char *q = p;
		size_t n, i;
		while (*q != '\0' && *q != '|' && *q != ' ' && *q != ',' &&
		    *q != ')')
			q++;
		n = (size_t)(q - p);
		if (n == 0)
			return false;
		if ((p[0] >= '0' && p[0] <= '9') || p[0] == '-') {
			char num[40];
			int64_t sv;
			uint64_t uv;
			if (n >= sizeof(num))
				return false;
			memcpy(num, p, n);
			num[n] = '\0';
			if (parse_i64(num, &sv))
				uv = (uint64_t)sv;
			else if (n > 2 && num[0] == '0' &&
			    (num[1] == 'x' || num[1] == 'X')) {
				char *end;
				errno = 0;
				uv = strtoull(num + 2, &end, 16);
				if (errno != 0 || *end != '\0')
					return false;
			} else
				return false;
			acc |= uv;
		} else {
			for (i = 0; i < sizeof(pf_consts) / sizeof(pf_consts[0]);
			     i++)
				if (strlen(pf_consts[i].name) == n &&
				    memcmp(pf_consts[i].name, p, n) == 0)
					break;
			if (i == sizeof(pf_consts) / sizeof(pf_consts[0]))
				return false;
			acc |= pf_consts[i].v;
		}
		p = q;
		if (*p != '|')
			break;
		p++;
	}
	*v = acc;
	return true;
}

bool
pf_arg_text(const char *args, int i, char *out, size_t cap)
{
	const char *p = args, *start;
	int depth = 0, k = 0;
	bool quote = false;

	if (args == NULL || cap == 0)
		return false;
	start = p;
	for (;; p++) {
		char c = *p;
		if (quote) {
			if (c == '\\' && p[1] != '\0')
				p++;
			else if (c == '"')
				quote = false;
			else if (c == '\0')
				return false;
			continue;
		}
		if (c == '"')
			quote = true;
		else if (c == '{' || c == '[' || c == '(')
			depth++;
		else if ((c == '}' || c == ']' || c == ')') && depth > 0)
			depth--;
		else if ((c == ',' && depth == 0) || c == '\0') {
			if (k == i) {
				size_t n;
				while (*start == ' ')
					start++;
				n = (size_t)(p - start);
				while (n > 0 && start[n - 1] == ' ')
					n--;
				if (n + 1 > cap)
					return false;
				memcpy(out, start, n);
				out[n] = '\0';
				/* "flags=CLONE_VM|..." (strace names some) */
				{
					char *eq = strchr(out, '=');
					if (eq != NULL && eq[1] != '\0' &&
					    strspn(out, "abcdefghijklmnopqrstu"
							"vwxyz_") ==
						(size_t)(eq - out))
						memmove(out, eq + 1,
						    strlen(eq + 1) + 1);
				}
				return true;
			}
			if (c == '\0')
				return false;
			k++;
			start = p + 1;
		}
	}
}

/* ---- a string map ---- */

size_t
pf_str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

bool
pf_smap_get(const struct pf_smap *m, const char *key, size_t *val)
{
	size_t i;

	if (m->cap == 0)
		return false;
	for (i = pf_str_hash(key) & (m->cap - 1); m->k[i] != NULL;
	     i = (i + 1) & (m->cap - 1))
		if (strcmp(m->k[i], key) == 0) {
			*val = m->v[i];
			return true;
		}
	return false;
}

void
pf_smap_put(struct pf_smap *m, const char *key, size_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct pf_smap o = *m;
		m->cap = o.cap ? o.cap * 2 : 256;
		m->k = xcalloc(m->cap, sizeof(char *));
		m->v = xcalloc(m->cap, sizeof(size_t));
		m->n = 0;
		for (i = 0; i < o.cap; i++)
			if (o.k[i] != NULL) {
				size_t j;
				for (j = pf_str_hash(o.k[i]) & (m->cap - 1);
				     m->k[j] != NULL; j = (j + 1) & (m->cap - 1))
					;
				m->k[j] = o.k[i];
				m->v[j] = o.v[i];
				m->n++;
			}
		free(o.k);
		free(o.v);
	}
	for (i = pf_str_hash(key) & (m->cap - 1); m->k[i] != NULL;
	     i = (i + 1) & (m->cap - 1))
		if (strcmp(m->k[i], key) == 0) {
			m->v[i] = val;
			return;
		}
	m->k[i] = xstrdup(key);
	m->v[i] = val;
	m->n++;
}

void
pf_smap_release(struct pf_smap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->k[i]);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

int
pf_scan(struct store *s, const struct pf_scope *sc, const char *sql,
    struct sqlite3_stmt **st, struct dd_err *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_sqlerr(s, e, "events");
	}
	sqlite3_bind_int64(*st, 1, sc->artifact);
	return 0;
}

void
pf_json_emit(struct sbuf *out, const struct json_t *doc)
{
	char *js = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
		JSON_ENSURE_ASCII);

	if (js != NULL) {
		sbuf_addstr(out, js);
		sbuf_addstr(out, "\n");
		free(js);
	}
}

struct json_t *
pf_json_str(const char *s)
{
	struct sbuf b = SBUF_INIT;
	json_t *j;

	query_utf8_fix(&b, s, strlen(s));
	j = json_stringn(b.buf, b.len);
	sbuf_release(&b);
	return j;
}
