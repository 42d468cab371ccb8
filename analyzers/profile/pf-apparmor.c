/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf-apparmor.c: AppArmor profiles from a case's events, and the what-if
 * against an AppArmor profile.
 *
 * What an event needs (pf_aa_needs) is the one piece both sides share:
 * file opens by their flags (r, w), execs (x), executable mappings (m),
 * links (l), the writes of unlink, rename, mkdir, chmod, chown...; the
 * capability a successful call must have used (mount: sys_admin, chown:
 * chown, a raw socket: net_raw, a port below 1024: net_bind_service...);
 * network families and socket types; mounts, unmounts, pivot_root;
 * ptrace.
 *
 * The checker reads the AppArmor 3 policy language for one profile:
 * include (from DRYDOCK_APPARMOR_DIR, default /etc/apparmor.d), abi,
 * variables (@{X} = ..., +=), the profile block (hats and child profiles
 * are skipped: they confine other programs), and rules: file (both
 * orders, file keyword, owner taken as met), capability, network, mount,
 * remount, umount, pivot_root, ptrace, with audit/deny/allow qualifiers;
 * signal, unix, dbus, change_profile, rlimit, link, userns and io_uring
 * rules are read but not checked. Anything else is refused, naming its
 * line. flags=(complain) denies nothing.
 */
#include "core/common.h"

#include <dirent.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sqlite3.h>

#include "analyzers/profile/pf-check.h"
#include "analyzers/profile/profile.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

/* ---- what an event needs ---- */

enum pf_need_kind { PF_N_FILE, PF_N_CAP, PF_N_NET, PF_N_MOUNT, PF_N_UMOUNT,
	PF_N_PIVOT, PF_N_PTRACE };

struct pf_need {
	int kind;
	char path[1024]; /* file path, mount target */
	char perms[8];	 /* file: subset of "rwxml" */
	int cap;
	char family[24], type[16]; /* network: "inet", "stream" */
	char fstype[32];
};

struct pf_ev {
	int64_t id;
	const char *syscall, *path, *path2, *fd_path, *flags, *family, *errname;
	int64_t ret, port;
	bool ret_known, has_port;
	struct store *s;
	char *args; /* borrowed from the scan's row */
	bool args_loaded;
};

/* The event's argument text (the scan reads it for the calls that need
 * it: mmap, socket, mount), or NULL. */
static const char *
pf_ev_args(struct pf_ev *ev)
{
	return ev->args_loaded ? ev->args : NULL;
}

static bool
pf_is(const char *s, const char *const *v)
{
	for (; *v != NULL; v++)
		if (strcmp(s, *v) == 0)
			return true;
	return false;
}

static const char *
pf_family_name(uint64_t f)
{
	static const char *const n[] = { "unspec", "unix", "inet", "ax25",
		"ipx", "appletalk", "netrom", "bridge", "atmpvc", "x25",
		"inet6", "rose", "netbeui", "security", "key", "netlink",
		"packet", "ash", "econet", "atmsvc", "rds", "sna", "irda",
		"pppox", "wanpipe", "llc", "ib", "mpls", "can", "tipc",
		"bluetooth", "iucv", "rxrpc", "isdn", "phonet", "ieee802154",
		"caif", "alg", "nfc", "vsock", "kcm", "qipcrtr", "smc", "xdp",
		"mctp" };

	return f < sizeof(n) / sizeof(n[0]) ? n[f] : NULL;
}

static const char *
pf_type_name(uint64_t t)
{
	switch (t & 0xf) {
	case 1:
		return "stream";
	case 2:
		return "dgram";
	case 3:
		return "raw";
	case 4:
		return "rdm";
	case 5:
		return "seqpacket";
	case 10:
		return "packet";
	default:
		return NULL;
	}
}

static void
pf_need_file(struct pf_need *v, int *n, const char *path, const char *perms)
{
	if (path == NULL || path[0] != '/' || *n >= 4)
		return;
	memset(&v[*n], 0, sizeof(v[*n]));
	v[*n].kind = PF_N_FILE;
	snprintf(v[*n].path, sizeof(v[*n].path), "%s", path);
	snprintf(v[*n].perms, sizeof(v[*n].perms), "%s", perms);
	(*n)++;
}

static void
pf_need_cap(struct pf_need *v, int *n, const char *name)
{
	if (*n >= 4)
		return;
	memset(&v[*n], 0, sizeof(v[*n]));
	v[*n].kind = PF_N_CAP;
	v[*n].cap = pf_cap_number(name);
	(*n)++;
}

/* Strip the quotes strace puts around a string argument. */
static void
pf_unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
}

/* What event ev needs from a profile: up to 4 needs into v. */
static int
pf_aa_needs(struct pf_ev *ev, struct pf_need *v)
{
	static const char *const opens[] = { "open", "openat", "openat2",
		"creat", NULL };
	static const char *const writes[] = { "unlink", "unlinkat", "rmdir",
		"mkdir", "mkdirat", "chmod", "fchmodat", "chown", "lchown",
		"fchownat", "truncate", "mknod", "mknodat", "utime", "utimes",
		"utimensat", "futimesat", "setxattr", "lsetxattr",
		"removexattr", "lremovexattr", NULL };
	static const char *const dirs[] = { "mkdir", "mkdirat", "rmdir",
		NULL };
	static const char *const renames[] = { "rename", "renameat",
		"renameat2", NULL };
	static const char *const chowns[] = { "chown", "lchown", "fchown",
		"fchownat", NULL };
	static const char *const setuids[] = { "setuid", "setreuid",
		"setresuid", "setfsuid", NULL };
	static const char *const setgids[] = { "setgid", "setregid",
		"setresgid", "setfsgid", "setgroups", NULL };
	static const char *const admins[] = { "mount", "umount", "umount2",
		"pivot_root", "sethostname", "setdomainname", "setns",
		"fsopen", "fsmount", "move_mount", "open_tree", "quotactl",
		"swapon", "swapoff", NULL };
	static const char *const modules[] = { "init_module", "finit_module",
		"delete_module", NULL };
	static const char *const times[] = { "settimeofday", "clock_settime",
		"adjtimex", "clock_adjtime", "stime", NULL };
	const char *sc = ev->syscall;
	/* a call that failed did not get its capability */
	bool ok = !ev->ret_known || ev->ret >= 0;
	char a[256];
	uint64_t x;
	int n = 0;

	/* a lookup that failed (no such file, already there) never
	 * reached AppArmor's file hooks */
	bool looked = ev->errname == NULL ||
	    (strcmp(ev->errname, "ENOENT") != 0 &&
		strcmp(ev->errname, "EEXIST") != 0 &&
		strcmp(ev->errname, "ENOTDIR") != 0 &&
		strcmp(ev->errname, "ELOOP") != 0 &&
		strcmp(ev->errname, "ENAMETOOLONG") != 0);

	if (!looked) {
		/* no file need */
	} else if (pf_is(sc, opens)) {
		const char *f = ev->flags ? ev->flags : "";
		bool w = strstr(f, "O_WRONLY") || strstr(f, "O_CREAT") ||
		    strstr(f, "O_TRUNC") || strstr(f, "O_APPEND") ||
		    strcmp(sc, "creat") == 0;
		bool r = !strstr(f, "O_WRONLY") && strcmp(sc, "creat") != 0;
		char p[1100];
		const char *path = ev->path;
		if (path != NULL && strstr(f, "O_DIRECTORY") != NULL &&
		    path[strlen(path) - 1] != '/') {
			snprintf(p, sizeof(p), "%s/", path);
			path = p;
		}
		pf_need_file(v, &n, path,
		    r && w ? "rw" :
		    w	   ? "w" :
			     "r");
	} else if (strcmp(sc, "execve") == 0 || strcmp(sc, "execveat") == 0) {
		pf_need_file(v, &n, ev->path, "x");
	} else if ((strcmp(sc, "mmap") == 0 || strcmp(sc, "mmap2") == 0) &&
	    ev->fd_path != NULL) {
		const char *args = pf_ev_args(ev);
		if (args != NULL && strstr(args, "PROT_EXEC") != NULL)
			pf_need_file(v, &n, ev->fd_path, "m");
	} else if (pf_is(sc, dirs) && ev->path != NULL && ev->path[0] &&
	    ev->path[strlen(ev->path) - 1] != '/') {
		char p[1100];
		snprintf(p, sizeof(p), "%s/", ev->path);
		pf_need_file(v, &n, p, "w");
	} else if (pf_is(sc, writes)) {
		pf_need_file(v, &n, ev->path, "w");
	} else if (pf_is(sc, renames)) {
		pf_need_file(v, &n, ev->path, "rw");
		pf_need_file(v, &n, ev->path2, "w");
	} else if (strcmp(sc, "link") == 0 || strcmp(sc, "linkat") == 0) {
		pf_need_file(v, &n, ev->path2, "l");
	} else if (strcmp(sc, "symlink") == 0 || strcmp(sc, "symlinkat") == 0) {
		pf_need_file(v, &n, ev->path2 ? ev->path2 : ev->path, "w");
	}
	if (pf_is(sc, chowns) && ok)
		pf_need_cap(v, &n, "CHOWN");
	else if (pf_is(sc, setuids) && ok)
		pf_need_cap(v, &n, "SETUID");
	else if (pf_is(sc, setgids) && ok)
		pf_need_cap(v, &n, "SETGID");
	else if (pf_is(sc, modules) && ok)
		pf_need_cap(v, &n, "SYS_MODULE");
	else if (pf_is(sc, times) && ok && strcmp(sc, "adjtimex") != 0)
		pf_need_cap(v, &n, "SYS_TIME");
	else if (strcmp(sc, "chroot") == 0 && ok)
		pf_need_cap(v, &n, "SYS_CHROOT");
	else if ((strcmp(sc, "iopl") == 0 || strcmp(sc, "ioperm") == 0) && ok)
		pf_need_cap(v, &n, "SYS_RAWIO");
	else if (strcmp(sc, "open_by_handle_at") == 0 && ok)
		pf_need_cap(v, &n, "DAC_READ_SEARCH");
	else if (strcmp(sc, "syslog") == 0 && ok)
		pf_need_cap(v, &n, "SYSLOG");
	else if (strcmp(sc, "bpf") == 0 && ok)
		pf_need_cap(v, &n, "BPF");
	else if (strcmp(sc, "perf_event_open") == 0 && ok)
		pf_need_cap(v, &n, "PERFMON");
	else if ((strcmp(sc, "ptrace") == 0 ||
		     strcmp(sc, "process_vm_readv") == 0 ||
		     strcmp(sc, "process_vm_writev") == 0) &&
	    n < 4) {
		memset(&v[n], 0, sizeof(v[n]));
		v[n++].kind = PF_N_PTRACE;
	} else if (strcmp(sc, "unshare") == 0 && ok && ev->flags != NULL &&
	    pf_arg_value(ev->flags, &x) && (x & 0x6E020000ull) != 0)
		/* namespaces other than a user namespace need sys_admin */
		pf_need_cap(v, &n, "SYS_ADMIN");
	else if (pf_is(sc, admins) && ok)
		pf_need_cap(v, &n, "SYS_ADMIN");
	if (strcmp(sc, "mount") == 0 && n < 4) {
		const char *args = pf_ev_args(ev);
		memset(&v[n], 0, sizeof(v[n]));
		v[n].kind = PF_N_MOUNT;
		snprintf(v[n].path, sizeof(v[n].path), "%s",
		    ev->path ? ev->path : "");
		if (pf_arg_text(args, 2, a, sizeof(a))) {
			pf_unquote(a);
			snprintf(v[n].fstype, sizeof(v[n].fstype), "%.31s", a);
		}
		n++;
	} else if ((strcmp(sc, "umount") == 0 || strcmp(sc, "umount2") == 0) &&
	    n < 4) {
		memset(&v[n], 0, sizeof(v[n]));
		v[n].kind = PF_N_UMOUNT;
		snprintf(v[n].path, sizeof(v[n].path), "%s",
		    ev->path ? ev->path : "");
		n++;
	} else if (strcmp(sc, "pivot_root") == 0 && n < 4) {
		memset(&v[n], 0, sizeof(v[n]));
		v[n++].kind = PF_N_PIVOT;
	}
	if ((strcmp(sc, "socket") == 0 || strcmp(sc, "socketpair") == 0) &&
	    n < 4) {
		const char *args = pf_ev_args(ev);
		uint64_t fam = 0, ty = 0;
		bool hf = (ev->family && pf_arg_value(ev->family, &fam)) ||
		    (pf_arg_text(args, 0, a, sizeof(a)) &&
			pf_arg_value(a, &fam));
		bool ht = pf_arg_text(args, 1, a, sizeof(a)) &&
		    pf_arg_value(a, &ty);
		if (hf && pf_family_name(fam) != NULL) {
			memset(&v[n], 0, sizeof(v[n]));
			v[n].kind = PF_N_NET;
			snprintf(v[n].family, sizeof(v[n].family), "%s",
			    pf_family_name(fam));
			if (ht && pf_type_name(ty) != NULL)
				snprintf(v[n].type, sizeof(v[n].type), "%s",
				    pf_type_name(ty));
			n++;
			if (ok && ht && ((ty & 0xf) == 3 || fam == 17))
				pf_need_cap(v, &n, "NET_RAW");
		}
	} else if ((strcmp(sc, "connect") == 0 || strcmp(sc, "bind") == 0 ||
		       strcmp(sc, "sendto") == 0 || strcmp(sc, "accept") == 0 ||
		       strcmp(sc, "accept4") == 0) &&
	    ev->family != NULL && pf_arg_value(ev->family, &x) &&
	    pf_family_name(x) != NULL && n < 4) {
		memset(&v[n], 0, sizeof(v[n]));
		v[n].kind = PF_N_NET;
		snprintf(v[n].family, sizeof(v[n].family), "%s",
		    pf_family_name(x));
		n++;
		if (strcmp(sc, "bind") == 0 && ok && ev->has_port &&
		    ev->port > 0 && ev->port < 1024)
			pf_need_cap(v, &n, "NET_BIND_SERVICE");
	}
	return n;
}

/* ---- generation ---- */

/* Per-run names become globs: /proc/1234/ -> /proc/[0-9]*\/, a random
 * suffix of a temporary name (tmp.Ab3xQ9, sess_8f3a2c1d) -> *. */
static void
pf_aa_globify(const char *path, struct sbuf *out)
{
	const char *p = path;
	bool proc = strncmp(path, "/proc/", 6) == 0;
	int comp = 0;

	while (*p != '\0') {
		const char *q;
		size_t len, k, digits = 0, upper = 0, lower = 0, alnum = 0;
		if (*p == '/') {
			sbuf_addstr(out, "/");
			p++;
			continue;
		}
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		len = (size_t)(q - p);
		comp++;
		for (k = 0; k < len; k++) {
			unsigned char c = (unsigned char)p[k];
			digits += c >= '0' && c <= '9';
			upper += c >= 'A' && c <= 'Z';
			lower += c >= 'a' && c <= 'z';
		}
		if (proc && digits == len &&
		    (comp == 2 || (comp == 4 && strncmp(p - 6, "/task/", 6) == 0))) {
			sbuf_addstr(out, "[0-9]*");
		} else {
			/* the alphanumeric run after the last . _ - */
			size_t start = 0;
			for (k = 0; k < len; k++)
				if (p[k] == '.' || p[k] == '_' || p[k] == '-')
					start = k + 1;
			for (k = start; k < len; k++) {
				unsigned char c = (unsigned char)p[k];
				alnum += (c >= '0' && c <= '9') ||
				    (c >= 'a' && c <= 'z') ||
				    (c >= 'A' && c <= 'Z');
			}
			digits = upper = lower = 0;
			for (k = start; k < len; k++) {
				unsigned char c = (unsigned char)p[k];
				digits += c >= '0' && c <= '9';
				upper += c >= 'A' && c <= 'Z';
				lower += c >= 'a' && c <= 'z';
			}
			if (len - start >= 6 && alnum == len - start &&
			    digits >= 1 && (upper + lower) >= 1 &&
			    (digits >= 2 || (upper && lower))) {
				for (k = 0; k < start; k++) {
					char c = p[k];
					if (strchr("*?[]{}\\\"^#,", c))
						sbuf_addf(out, "\\%c", c);
					else
						sbuf_add(out, &c, 1);
				}
				sbuf_addstr(out, "*");
			} else {
				for (k = 0; k < len; k++) {
					unsigned char c = (unsigned char)p[k];
					if (c < 0x20 || c == 0x7f)
						sbuf_addstr(out, "?");
					else if (strchr("*?[]{}\\\"^#,", c))
						sbuf_addf(out, "\\%c", c);
					else
						sbuf_add(out, &p[k], 1);
				}
			}
		}
		p = q;
	}
}

struct pf_arule {
	char *text; /* the rule, without the trailing comma */
	uint64_t n, steps;
	bool file;
	char perms[8];
};

static int
pf_arule_cmp(const void *a, const void *b)
{
	const struct pf_arule *x = a, *y = b;

	if (x->file != y->file)
		return x->file ? 1 : -1;
	return strcmp(x->text, y->text);
}

static struct pf_arule *
pf_arule_get(struct pf_arule **v, size_t *n, struct pf_smap *idx,
    const char *text, bool file)
{
	size_t i;

	/* file rules are quoted paths, the others start with a keyword:
	 * the text alone is the key */
	if (pf_smap_get(idx, text, &i))
		return &(*v)[i];
	pf_smap_put(idx, text, *n);
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof((*v)[*n]));
	(*v)[*n].text = xstrdup(text);
	(*v)[*n].file = file;
	return &(*v)[(*n)++];
}

static void
pf_perm_add(char *perms, char c)
{
	size_t n = strlen(perms);

	if (strchr(perms, c) == NULL && n < 6) {
		perms[n] = c;
		perms[n + 1] = '\0';
	}
}

/* AppArmor's permission text in its usual order: m r w l ix. */
static void
pf_perm_text(const char *perms, char *out)
{
	size_t n = 0;

	if (strchr(perms, 'm'))
		out[n++] = 'm';
	if (strchr(perms, 'r'))
		out[n++] = 'r';
	if (strchr(perms, 'w'))
		out[n++] = 'w';
	if (strchr(perms, 'l'))
		out[n++] = 'l';
	if (strchr(perms, 'x')) {
		out[n++] = 'i';
		out[n++] = 'x';
	}
	out[n] = '\0';
}

/* Run every event in scope through fn. */
static int
pf_aa_scan(struct store *s, const struct pf_scope *sc,
    void (*fn)(struct pf_ev *ev, void *user), void *user, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = pf_scan(s, sc,
		sc->narrowed ?
		    "SELECT id, syscall, path, path2, fd_path, flags, family, "
		    "ret, ret_known, errno, port, process_id, container_id, "
		    "CASE WHEN syscall IN ('mmap', 'mmap2', 'socket', "
		    "'socketpair', 'mount') THEN args END FROM events WHERE "
		    "kind = 'syscall' AND (?1 = 0 OR artifact_id = ?1)" :
		    "SELECT id, syscall, path, path2, fd_path, flags, family, "
		    "ret, ret_known, errno, port, NULL, NULL, CASE WHEN "
		    "syscall IN ('mmap', 'mmap2', 'socket', 'socketpair', "
		    "'mount') THEN args END FROM events WHERE kind = 'syscall' "
		    "AND (?1 = 0 OR artifact_id = ?1)", &st, e)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pf_ev ev;
		if (sqlite3_column_text(st, 1) == NULL ||
		    !pf_scope_has(sc, sqlite3_column_int64(st, 11),
			(const char *)sqlite3_column_text(st, 12)))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.id = sqlite3_column_int64(st, 0);
		ev.syscall = (const char *)sqlite3_column_text(st, 1);
		ev.path = (const char *)sqlite3_column_text(st, 2);
		ev.path2 = (const char *)sqlite3_column_text(st, 3);
		ev.fd_path = (const char *)sqlite3_column_text(st, 4);
		ev.flags = (const char *)sqlite3_column_text(st, 5);
		ev.family = (const char *)sqlite3_column_text(st, 6);
		ev.ret = sqlite3_column_int64(st, 7);
		ev.ret_known = sqlite3_column_int(st, 8) != 0;
		ev.errname = (const char *)sqlite3_column_text(st, 9);
		ev.has_port = sqlite3_column_type(st, 10) != SQLITE_NULL;
		ev.port = sqlite3_column_int64(st, 10);
		/* the arguments only of the calls whose needs read them */
		ev.args = (char *)sqlite3_column_text(st, 13);
		ev.args_loaded = true;
		ev.s = s;
		fn(&ev, user);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "events");
	return 0;
}

struct pf_agen {
	struct pf_steps steps;
	struct pf_arule *v;
	size_t n;
	struct pf_smap idx; /* rule text -> v index */
	uint64_t nev;
};

static void
pf_agen_event(struct pf_ev *ev, void *user)
{
	struct pf_agen *g = user;
	struct pf_need nd[4];
	int k, n = pf_aa_needs(ev, nd);
	bool step = g->steps.n && pf_steps_rule(&g->steps, ev->id) != NULL;

	g->nev++;
	for (k = 0; k < n; k++) {
		struct sbuf t = SBUF_INIT;
		struct pf_arule *r;
		bool file = false;
		switch (nd[k].kind) {
		case PF_N_FILE:
			sbuf_addstr(&t, "\"");
			pf_aa_globify(nd[k].path, &t);
			sbuf_addstr(&t, "\"");
			file = true;
			break;
		case PF_N_CAP:
			if (nd[k].cap < 0)
				break;
			{
				const char *cn = pf_cap_name(nd[k].cap) + 4;
				size_t i;
				sbuf_addstr(&t, "capability ");
				for (i = 0; cn[i]; i++) {
					char c = (char)(cn[i] >= 'A' &&
							    cn[i] <= 'Z' ?
							cn[i] + 32 :
							cn[i]);
					sbuf_add(&t, &c, 1);
				}
			}
			break;
		case PF_N_NET:
			sbuf_addf(&t, "network %s%s%s", nd[k].family,
			    nd[k].type[0] ? " " : "", nd[k].type);
			break;
		case PF_N_MOUNT:
			sbuf_addstr(&t, "mount");
			if (nd[k].fstype[0] &&
			    strspn(nd[k].fstype,
				"abcdefghijklmnopqrstuvwxyz0123456789._-") ==
				strlen(nd[k].fstype))
				sbuf_addf(&t, " fstype=%s", nd[k].fstype);
			if (nd[k].path[0] == '/') {
				sbuf_addstr(&t, " -> \"");
				pf_aa_globify(nd[k].path, &t);
				sbuf_addstr(&t, "/\"");
			}
			break;
		case PF_N_UMOUNT:
			sbuf_addstr(&t, "umount");
			if (nd[k].path[0] == '/') {
				sbuf_addstr(&t, " \"");
				pf_aa_globify(nd[k].path, &t);
				sbuf_addstr(&t, "/\"");
			}
			break;
		case PF_N_PIVOT:
			sbuf_addstr(&t, "pivot_root");
			break;
		case PF_N_PTRACE:
			sbuf_addstr(&t, "ptrace (read, trace)");
			break;
		}
		if (t.len > 0) {
			r = pf_arule_get(&g->v, &g->n, &g->idx, t.buf, file);
			r->n++;
			if (step)
				r->steps++;
			else if (file) {
				/* perms only from the benign events */
				const char *p;
				for (p = nd[k].perms; *p; p++)
					pf_perm_add(r->perms, *p);
			}
		}
		sbuf_release(&t);
	}
}

int
pf_apparmor_generate(struct store *s, const struct pf_scope *sc,
    const char *name, bool json, struct sbuf *out, struct sbuf *note,
    struct dd_err *e)
{
	struct pf_agen g;
	char pname[96];
	size_t i;
	int rc;

	memset(&g, 0, sizeof(g));
	if ((rc = pf_steps_load(s, &g.steps, e)) < 0)
		return rc;
	if ((rc = pf_aa_scan(s, sc, pf_agen_event, &g, e)) < 0)
		goto out;
	if (g.nev == 0) {
		rc = dd_err_set(e, DD_ENOTFOUND,
		    "no syscall events in scope: nothing to derive a profile "
		    "from");
		goto out;
	}
	/* the name: given, else drydock-<container name or short id> */
	snprintf(pname, sizeof(pname), "%s", name ? name : "");
	if (pname[0] == '\0') {
		char *cn = NULL;
		sqlite3_stmt *st = NULL;
		if (sc->container != NULL &&
		    sqlite3_prepare_v2(s->db,
			"SELECT name FROM containers WHERE id = ?1", -1, &st,
			NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, sc->container, -1,
			    SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW &&
			    sqlite3_column_text(st, 0) != NULL)
				cn = xstrdup(
				    (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		}
		snprintf(pname, sizeof(pname), "drydock-%.60s",
		    cn ? cn :
		    sc->container ? sc->container :
				    "case");
		if (cn == NULL && sc->container)
			pname[8 + 12] = '\0';
		free(cn);
	}
	for (i = 0; pname[i]; i++)
		if (!((pname[i] >= 'a' && pname[i] <= 'z') ||
			(pname[i] >= 'A' && pname[i] <= 'Z') ||
			(pname[i] >= '0' && pname[i] <= '9') ||
			pname[i] == '-' || pname[i] == '_' || pname[i] == '.'))
			pname[i] = '_';
	if (g.n > 0)
		qsort(g.v, g.n, sizeof(*g.v), pf_arule_cmp);
	if (json) {
		json_t *root = json_object(), *rules = json_array(),
		       *left = json_array();
		json_object_set_new(root, "kind", json_string("apparmor"));
		json_object_set_new(root, "name", json_string(pname));
		json_object_set_new(root, "container",
		    sc->container ? json_string(sc->container) : json_null());
		json_object_set_new(root, "events",
		    json_integer((json_int_t)g.nev));
		for (i = 0; i < g.n; i++) {
			json_t *x = json_object();
			json_object_set_new(x, "rule", pf_json_str(g.v[i].text));
			if (g.v[i].file) {
				char pt[12];
				pf_perm_text(g.v[i].perms, pt);
				json_object_set_new(x, "perms", json_string(pt));
			}
			json_object_set_new(x, "events",
			    json_integer((json_int_t)g.v[i].n));
			json_array_append_new(g.v[i].steps == g.v[i].n ? left :
									   rules,
			    x);
		}
		json_object_set_new(root, "rules", rules);
		json_object_set_new(root, "left_out_escape_only", left);
		rc = 0;
		pf_json_emit(out, root);
		json_decref(root);
		goto out;
	}
	sbuf_addf(out,
	    "# AppArmor profile written by drydock from %" PRIu64
	    " syscall events",
	    g.nev);
	if (sc->container)
		sbuf_addf(out, " of container %.12s", sc->container);
	sbuf_addstr(out, ".\n# Load: apparmor_parser -r FILE; run: docker run "
			 "--security-opt apparmor=NAME ...\n");
	for (i = 0; i < g.n; i++)
		if (g.v[i].steps == g.v[i].n)
			sbuf_addf(out, "# left out (only escape steps used "
				       "it): %s\n",
			    g.v[i].text);
	sbuf_addf(out, "\nprofile %s flags=(attach_disconnected,mediate_deleted) {\n",
	    pname);
	sbuf_addf(out, "  signal (receive) peer=unconfined,\n"
		       "  signal (send,receive) peer=%s,\n",
	    pname);
	for (i = 0; i < g.n; i++) {
		char pt[12];
		if (g.v[i].steps == g.v[i].n)
			continue;
		if (!g.v[i].file) {
			sbuf_addf(out, "  %s,\n", g.v[i].text);
			continue;
		}
		pf_perm_text(g.v[i].perms, pt);
		if (pt[0] == '\0')
			continue;
		sbuf_addf(out, "  %s %s,\n", g.v[i].text, pt);
	}
	sbuf_addstr(out, "}\n");
	if (note != NULL) {
		size_t nl = 0;
		for (i = 0; i < g.n; i++)
			nl += g.v[i].steps == g.v[i].n;
		sbuf_addf(note,
		    "apparmor: profile %s, %zu rules from %" PRIu64
		    " events; %zu left out (only escape steps used them)\n",
		    pname, g.n - nl, g.nev, nl);
	}
out:
	for (i = 0; i < g.n; i++)
		free(g.v[i].text);
	free(g.v);
	pf_smap_release(&g.idx);
	pf_steps_release(&g.steps);
	return rc;
}

/* ---- AppArmor's globs ---- */

#define PF_GLOB_BUDGET 200000 /* steps per match: hostile globs stop */

/* The end of the {..} or [..] group opening at p (its closing char), or
 * NULL. */
static const char *
pf_group_end(const char *p, char open, char close)
{
	int depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == open && open != close)
			depth++;
		else if (*p == close && --depth == 0)
			return p;
		else if (open == close && *p == close && depth++ > 0)
			return p;
	}
	return NULL;
}

static bool
pf_glob_at(const char *g, const char *p, long *budget)
{
	while (*g != '\0') {
		if (--*budget < 0)
			return false;
		if (*g == '*') {
			bool any = g[1] == '*';
			const char *rest = g + (any ? 2 : 1);
			const char *q;
			for (q = p;; q++) {
				if (pf_glob_at(rest, q, budget))
					return true;
				if (*q == '\0' || (!any && *q == '/') ||
				    *budget < 0)
					return false;
			}
		}
		if (*g == '{') {
			/* alternation: each branch followed by the rest */
			const char *end = pf_group_end(g, '{', '}'), *b;
			int depth = 0;
			if (end == NULL)
				return false;
			*budget -= (long)(end - g); /* the scan for its end */
			for (b = g + 1;;) {
				const char *c = b;
				char *alt;
				size_t bl, rl = strlen(end + 1);
				bool m;
				for (depth = 0; c < end; c++) {
					if (*c == '\\' && c + 1 < end)
						c++;
					else if (*c == '{')
						depth++;
					else if (*c == '}')
						depth--;
					else if (*c == ',' && depth == 0)
						break;
				}
				bl = (size_t)(c - b);
				/* the copy and the scans cost their length */
				*budget -= (long)(bl + rl);
				if (*budget < 0)
					return false;
				alt = xmalloc(bl + rl + 1);
				memcpy(alt, b, bl);
				memcpy(alt + bl, end + 1, rl + 1);
				m = pf_glob_at(alt, p, budget);
				free(alt);
				if (m)
					return true;
				if (c >= end || *budget < 0)
					return false;
				b = c + 1;
			}
		}
		if (*p == '\0')
			return false;
		if (*g == '?') {
			if (*p == '/')
				return false;
		} else if (*g == '[') {
			const char *c = g + 1;
			bool neg = *c == '^', hit = false;
			if (neg)
				c++;
			for (; *c != '\0' && *c != ']'; c++) {
				char lo = *c, hi;
				if (lo == '\\' && c[1] != '\0')
					lo = *++c;
				hi = lo;
				if (c[1] == '-' && c[2] != ']' && c[2] != '\0') {
					hi = c[2];
					c += 2;
				}
				if (*p >= lo && *p <= hi)
					hit = true;
			}
			*budget -= (long)(c - g); /* the class's scan */
			if (*c != ']' || hit == neg || *p == '/')
				return false;
			g = c;
		} else {
			char want = *g;
			if (want == '\\' && g[1] != '\0')
				want = *++g;
			if (want != *p)
				return false;
		}
		g++;
		p++;
	}
	return *p == '\0';
}

bool
pf_aa_glob(const char *glob, const char *path)
{
	long budget = PF_GLOB_BUDGET;
	const char *g;
	int depth = 0;

	/* unbalanced alternations match nothing (and each scan for a
	 * missing end would cost the whole pattern) */
	for (g = glob; *g != '\0'; g++) {
		if (*g == '\\' && g[1] != '\0')
			g++;
		else if (*g == '{')
			depth++;
		else if (*g == '}' && --depth < 0)
			return false;
	}
	if (depth != 0)
		return false;

	return pf_glob_at(glob, path, &budget);
}

/* ---- reading a profile ---- */

enum pf_rk { PF_R_FILE, PF_R_CAP, PF_R_NET, PF_R_MOUNT, PF_R_UMOUNT,
	PF_R_PIVOT, PF_R_PTRACE, PF_R_ALLFILES };

struct pf_aarule {
	int kind;
	bool deny;
	char *glob;	/* file path, mount target; NULL: any */
	char perms[8];	/* file: r w x m l (a counts as w) */
	uint64_t caps;	/* capability: bits; ~0 any */
	char *family, *type, *fstype; /* NULL: any */
};

struct pf_aa {
	struct pf_aarule *r;
	size_t n;
	char **vars, **vals; /* @{X} -> "{a,b}" */
	size_t nvars;
	char *name;
	bool complain;
	bool overflow; /* a variable expanded past PF_EXPAND_MAX */
	int in_profile; /* while reading */
	char **notes;
	size_t nnotes;
};

void
pf_aa_free(struct pf_aa *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->r[i].glob);
		free(a->r[i].family);
		free(a->r[i].type);
		free(a->r[i].fstype);
	}
	for (i = 0; i < a->nvars; i++) {
		free(a->vars[i]);
		free(a->vals[i]);
	}
	for (i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a->notes);
	free(a->vars);
	free(a->vals);
	free(a->r);
	free(a->name);
	free(a);
}

#define PF_EXPAND_MAX 65536 /* bytes of one expanded path */

/* Variables expanded (to alternations), quotes removed. */
static char *
pf_aa_expand(struct pf_aa *a, const char *s, int depth)
{
	struct sbuf b = SBUF_INIT;
	const char *p = s;
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		p = s + 1;
		n -= 2;
	}
	while (n > 0) {
		if (b.len > PF_EXPAND_MAX) {
			/* variables within variables: a bound on the text */
			a->overflow = true;
			break;
		}
		if (p[0] == '@' && n > 2 && p[1] == '{') {
			const char *end = memchr(p, '}', n);
			size_t i, vl;
			if (end != NULL) {
				vl = (size_t)(end - p) + 1;
				for (i = 0; i < a->nvars; i++)
					if (strlen(a->vars[i]) == vl &&
					    memcmp(a->vars[i], p, vl) == 0)
						break;
				if (i < a->nvars && depth < 8 && !a->overflow) {
					char *x = pf_aa_expand(a, a->vals[i],
					    depth + 1);
					sbuf_addstr(&b, x);
					free(x);
					p += vl;
					n -= vl;
					continue;
				}
			}
		}
		sbuf_add(&b, p, 1);
		p++;
		n--;
	}
	return sbuf_detach(&b, NULL);
}

/* Is s a variable assignment (@{X} = ..., @{X} += ...)? */
static bool
pf_is_assign(const char *s)
{
	const char *end;

	if (s[0] != '@' || s[1] != '{' || (end = strchr(s, '}')) == NULL)
		return false;
	end++;
	while (*end == ' ' || *end == '\t')
		end++;
	return *end == '=' || (end[0] == '+' && end[1] == '=');
}

struct pf_aaread {
	struct pf_aa *a;
	const char *path; /* the file (messages) */
	const char *dir;  /* includes */
	int depth;	  /* include depth */
	int skip;	  /* inside a child profile or hat: its depth */
	int brace;
};

static int pf_aa_text(struct pf_aaread *rd, const char *path,
    const char *text, size_t len, struct dd_err *e);

static bool
pf_perm_chars(const char *s)
{
	size_t i;

	if (*s == '\0')
		return false;
	for (i = 0; s[i]; i++)
		if (!strchr("rwaxlkmixpucPUCIiD", s[i]))
			return false;
	return true;
}

static void
pf_perms_norm(const char *s, char *out)
{
	out[0] = '\0';
	for (; *s; s++) {
		char c = *s;
		if (c == 'a')
			c = 'w';
		if (c == 'p' || c == 'u' || c == 'c' || c == 'P' || c == 'U' ||
		    c == 'C' || c == 'i' || c == 'I')
			c = 'x';
		if (strchr("rwxml", c))
			pf_perm_add(out, c);
	}
}

static struct pf_aarule *
pf_aa_add(struct pf_aa *a, int kind, bool deny)
{
	a->r = xreallocarray(a->r, a->n + 1, sizeof(*a->r));
	memset(&a->r[a->n], 0, sizeof(a->r[a->n]));
	a->r[a->n].kind = kind;
	a->r[a->n].deny = deny;
	return &a->r[a->n++];
}

/* Split a statement into tokens (quotes kept, parentheses grouped). */
static size_t
pf_tokens(char *s, char **tok, size_t max)
{
	size_t n = 0;

	while (*s != '\0' && n < max) {
		char *t;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (*s == '\0')
			break;
		t = s;
		if (*s == '"') {
			for (s++; *s != '\0' && *s != '"'; s++)
				if (*s == '\\' && s[1] != '\0')
					s++;
			if (*s == '"')
				s++;
		} else if (*s == '(') {
			while (*s != '\0' && *s != ')')
				s++;
			if (*s == ')')
				s++;
		} else {
			while (*s != '\0' && *s != ' ' && *s != '\t' &&
			    *s != '\n' && *s != '\r')
				s++;
		}
		if (*s != '\0')
			*s++ = '\0';
		tok[n++] = t;
	}
	return n;
}

/* One statement (without its ',') at line. */
static int
pf_aa_rule(struct pf_aaread *rd, char *stmt, int line, struct dd_err *e)
{
	struct pf_aa *a = rd->a;
	char *tok[64];
	size_t nt = pf_tokens(stmt, tok, 64), i = 0;
	bool deny = false;
	const char *kw;

	if (nt == 0)
		return 0;
	while (i < nt && (strcmp(tok[i], "audit") == 0 ||
			     strcmp(tok[i], "deny") == 0 ||
			     strcmp(tok[i], "allow") == 0 ||
			     strcmp(tok[i], "owner") == 0 ||
			     strcmp(tok[i], "other") == 0 ||
			     strcmp(tok[i], "quiet") == 0)) {
		deny |= strcmp(tok[i], "deny") == 0;
		i++;
	}
	if (i == nt)
		return dd_err_set(e, DD_EFORMAT,
		    "%s: line %d: a qualifier without a rule", rd->path, line);
	kw = tok[i];
	if (rd->skip)
		return 0;
	if (strcmp(kw, "capability") == 0) {
		struct pf_aarule *r = pf_aa_add(a, PF_R_CAP, deny);
		if (i + 1 == nt)
			r->caps = ~0ull;
		for (i++; i < nt; i++) {
			int b = pf_cap_number(tok[i]);
			if (b < 0)
				return dd_err_set(e, DD_EFORMAT,
				    "%s: line %d: unknown capability '%s'",
				    rd->path, line, tok[i]);
			r->caps |= 1ull << b;
		}
		return 0;
	}
	if (strcmp(kw, "network") == 0) {
		struct pf_aarule *r = pf_aa_add(a, PF_R_NET, deny);
		for (i++; i < nt; i++) {
			if (tok[i][0] == '(')
				continue;
			if (r->family == NULL && strcmp(tok[i], "stream") &&
			    strcmp(tok[i], "dgram") && strcmp(tok[i], "raw") &&
			    strcmp(tok[i], "seqpacket") &&
			    strcmp(tok[i], "rdm") && strcmp(tok[i], "packet"))
				r->family = xstrdup(tok[i]);
			else if (r->type == NULL)
				r->type = xstrdup(tok[i]);
		}
		return 0;
	}
	if (strcmp(kw, "mount") == 0 || strcmp(kw, "remount") == 0) {
		struct pf_aarule *r = pf_aa_add(a, PF_R_MOUNT, deny);
		for (i++; i < nt; i++) {
			if (strncmp(tok[i], "fstype=", 7) == 0 ||
			    strncmp(tok[i], "vfstype=", 8) == 0) {
				const char *v = strchr(tok[i], '=') + 1;
				if (*v == '(' || *v == '\0')
					continue;
				free(r->fstype);
				r->fstype = xstrdup(v);
			} else if (strcmp(tok[i], "->") == 0 && i + 1 < nt) {
				free(r->glob);
				r->glob = pf_aa_expand(a, tok[++i], 0);
			}
		}
		return 0;
	}
	if (strcmp(kw, "umount") == 0 || strcmp(kw, "unmount") == 0) {
		struct pf_aarule *r = pf_aa_add(a, PF_R_UMOUNT, deny);
		for (i++; i < nt; i++)
			if (tok[i][0] == '/' || tok[i][0] == '"' ||
			    tok[i][0] == '@') {
				free(r->glob);
				r->glob = pf_aa_expand(a, tok[i], 0);
			}
		return 0;
	}
	if (strcmp(kw, "pivot_root") == 0) {
		pf_aa_add(a, PF_R_PIVOT, deny);
		return 0;
	}
	if (strcmp(kw, "ptrace") == 0) {
		pf_aa_add(a, PF_R_PTRACE, deny);
		return 0;
	}
	if (strcmp(kw, "signal") == 0 || strcmp(kw, "unix") == 0 ||
	    strcmp(kw, "dbus") == 0 || strcmp(kw, "change_profile") == 0 ||
	    strcmp(kw, "rlimit") == 0 || strcmp(kw, "set") == 0 ||
	    strcmp(kw, "link") == 0 || strcmp(kw, "userns") == 0 ||
	    strcmp(kw, "io_uring") == 0 || strcmp(kw, "mqueue") == 0 ||
	    strcmp(kw, "abi") == 0 || strcmp(kw, "change_hat") == 0)
		return 0;
	if (strcmp(kw, "file") == 0) {
		i++;
		if (i == nt) {
			pf_aa_add(a, PF_R_ALLFILES, deny);
			return 0;
		}
	}
	/* file rules: PATH PERMS [-> X] or PERMS PATH */
	if (i + 1 < nt && (tok[i][0] == '/' || tok[i][0] == '"' ||
			      tok[i][0] == '@')) {
		struct pf_aarule *r;
		if (!pf_perm_chars(tok[i + 1]))
			return dd_err_set(e, DD_EFORMAT,
			    "%s: line %d: '%s' is not a permission set", rd->path,
			    line, tok[i + 1]);
		r = pf_aa_add(a, PF_R_FILE, deny);
		r->glob = pf_aa_expand(a, tok[i], 0);
		pf_perms_norm(tok[i + 1], r->perms);
		return 0;
	}
	if (i + 1 < nt && pf_perm_chars(tok[i]) &&
	    (tok[i + 1][0] == '/' || tok[i + 1][0] == '"' ||
		tok[i + 1][0] == '@')) {
		struct pf_aarule *r = pf_aa_add(a, PF_R_FILE, deny);
		r->glob = pf_aa_expand(a, tok[i + 1], 0);
		pf_perms_norm(tok[i], r->perms);
		return 0;
	}
	return dd_err_set(e, DD_EFORMAT,
	    "%s: line %d: the checker does not know this rule ('%.40s'): "
	    "AppArmor syntax beyond file, capability, network, mount, "
	    "umount, pivot_root and ptrace rules is refused",
	    rd->path, line, kw);
}

static int
pf_cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
pf_aa_include(struct pf_aaread *rd, const char *spec, bool if_exists,
    int line, struct dd_err *e)
{
	char path[4096];
	char *text = NULL;
	size_t len = 0, n = strlen(spec);
	const char *save = rd->path;
	int rc;

	if (rd->depth >= 16)
		return dd_err_set(e, DD_ELIMIT,
		    "%s: line %d: includes nested deeper than 16", rd->path,
		    line);
	if (n < 2)
		return dd_err_set(e, DD_EFORMAT, "%s: line %d: a bad include",
		    rd->path, line);
	if (spec[0] == '<')
		snprintf(path, sizeof(path), "%s/%.*s", rd->dir, (int)(n - 2),
		    spec + 1);
	else {
		const char *slash = strrchr(rd->path, '/');
		const char *s2 = spec[0] == '"' ? spec + 1 : spec;
		size_t l2 = spec[0] == '"' ? n - 2 : n;
		if (s2[0] == '/')
			snprintf(path, sizeof(path), "%.*s", (int)l2, s2);
		else
			snprintf(path, sizeof(path), "%.*s%.*s",
			    slash ? (int)(slash - rd->path + 1) : 0, rd->path,
			    (int)l2, s2);
	}
	{
		struct stat sb;
		if (stat(path, &sb) != 0) {
			if (if_exists)
				return 0;
			return dd_err_set(e, DD_ENOTFOUND,
			    "%s: line %d: include %s: %s is missing (set "
			    "DRYDOCK_APPARMOR_DIR to the policy directory)",
			    rd->path, line, spec, path);
		}
		if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode))
			return dd_err_set(e, DD_EFORMAT,
			    "%s: line %d: include %s is not a regular file",
			    rd->path, line, path);
		if (S_ISDIR(sb.st_mode)) {
			/* a directory include: its files in name order, as
			 * apparmor_parser reads them (dot files skipped) */
			DIR *d = opendir(path);
			struct dirent *de;
			char **names = NULL;
			size_t nn = 0, k;
			if (d == NULL)
				return if_exists ? 0 :
						   dd_err_set(e, DD_EIO,
						       "%s: line %d: cannot "
						       "read %s",
						       rd->path, line, path);
			while ((de = readdir(d)) != NULL && nn < 1000) {
				if (de->d_name[0] == '.')
					continue;
				names = xreallocarray(names, nn + 1,
				    sizeof(char *));
				names[nn++] = xasprintf("\"%s/%s\"", path,
				    de->d_name);
			}
			closedir(d);
			if (nn > 0)
				qsort(names, nn, sizeof(char *),
				    pf_cmp_name);
			rc = 0;
			for (k = 0; k < nn; k++) {
				if (rc == 0)
					rc = pf_aa_include(rd, names[k], true,
					    line, e);
				free(names[k]);
			}
			free(names);
			return rc;
		}
	}
	if ((rc = file_read_all(path, 4u << 20, &text, &len, e)) < 0)
		return rc;
	rd->depth++;
	rd->path = path;
	rc = pf_aa_text(rd, path, text, len, e);
	rd->path = save;
	rd->depth--;
	free(text);
	return rc;
}

/* Read text (path for messages): statements end at ',' or '{' or '}';
 * a comment runs from # to the end of its line (#include is a
 * directive). */
static int
pf_aa_text(struct pf_aaread *rd, const char *path, const char *text,
    size_t len, struct dd_err *e)
{
	struct pf_aa *a = rd->a;
	struct sbuf st = SBUF_INIT;
	size_t i = 0;
	int line = 1, sline = 1, rc = 0, paren = 0, altd = 0;
	bool quote = false;

	(void)path;
	while (i <= len) {
		char c = i < len ? text[i] : '\n';
		if (i < len && memchr(text + i, '\0', 1) != NULL) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s: line %d: a NUL byte", rd->path, line);
			break;
		}
		if (!quote && c == '#') {
			/* #include is a directive, the rest a comment */
			size_t eol = i;
			while (eol < len && text[eol] != '\n')
				eol++;
			if (strncmp(text + i, "#include", 8) == 0 &&
			    (st.len == 0 ||
				strspn(st.buf, " \t\r\n") == st.len)) {
				char *d = xstrndup(text + i + 1, eol - i - 1);
				sbuf_reset(&st);
				sbuf_addstr(&st, d);
				free(d);
				i = eol;
				c = ',';
				/* fall into the statement end below */
			} else {
				i = eol;
				continue;
			}
		}
		if (c == '"')
			quote = !quote;
		if (c == '\n')
			line++;
		if (!quote && c == '(')
			paren++;
		else if (!quote && c == ')' && paren > 0)
			paren--;
		/* a block's braces stand apart ("profile x {", "}"); a
		 * path's alternation ({bin,sbin}, @{VAR}) does not */
		if (!quote && c == '{' &&
		    !((i == 0 || strchr(" \t\r\n", text[i - 1])) &&
			(i + 1 >= len || strchr(" \t\r\n", text[i + 1])))) {
			altd++;
			sbuf_add(&st, &c, 1);
			i++;
			continue;
		}
		if (!quote && c == '}' && altd > 0) {
			altd--;
			sbuf_add(&st, &c, 1);
			i++;
			continue;
		}
		if (!quote && ((c == ',' && paren == 0 && altd == 0) ||
				  c == '{' || c == '}' ||
				  (c == '\n' && st.len > 0 &&
				      (strncmp(st.buf + strspn(st.buf, " \t\r\n"),
					   "include", 7) == 0 ||
					  pf_is_assign(st.buf + strspn(st.buf,
							       " \t\r\n")))))) {
			char *s = st.buf ? st.buf + strspn(st.buf, " \t\r\n") :
					   (char *)"";
			char *tok[8];
			char *dup = xstrdup(s);
			size_t nt = pf_tokens(dup, tok, 8);
			if (c == '{') {
				rd->brace++;
				if (rd->skip == 0 && a->in_profile) {
					/* a child profile or hat */
					rd->skip = rd->brace;
				} else if (rd->skip == 0) {
					size_t k;
					a->in_profile = rd->brace;
					free(a->name);
					a->name = xstrdup(nt > 1 &&
							strcmp(tok[0],
							    "profile") == 0 ?
						tok[1] :
					    nt > 0 ? tok[0] :
						     "?");
					for (k = 0; k < nt; k++)
						if (strncmp(tok[k], "flags=",
							6) == 0 &&
						    strstr(tok[k],
							"complain") != NULL)
							a->complain = true;
					if (nt > 0 && strncmp(tok[0], "flags",
							  5) == 0)
						a->complain |= strstr(s,
						    "complain") != NULL;
					for (k = 0; k < nt; k++)
						if (strncmp(tok[k], "flags",
							5) == 0 &&
						    strstr(s, "complain"))
							a->complain = true;
				}
			} else if (c == '}') {
				if (nt > 0 && rd->skip == 0) {
					rc = pf_aa_rule(rd, s, sline, e);
				}
				if (rd->skip == rd->brace)
					rd->skip = 0;
				if (a->in_profile == rd->brace)
					a->in_profile = 0;
				if (--rd->brace < 0) {
					rc = dd_err_set(e, DD_EFORMAT,
					    "%s: line %d: '}' closes nothing",
					    rd->path, line);
				}
			} else if (nt > 0 &&
			    (strcmp(tok[0], "include") == 0 ||
				strcmp(tok[0], "#include") == 0)) {
				bool ie = nt > 3 && strcmp(tok[1], "if") == 0 &&
				    strcmp(tok[2], "exists") == 0;
				const char *spec = ie ? tok[3] : nt > 1 ? tok[1] :
									 "";
				rc = pf_aa_include(rd, spec, ie, sline, e);
			} else if (nt > 0 && pf_is_assign(s)) {
				/* @{X} = a b, or += */
				char *eq = strchr(s, '=');
				if (eq == NULL) {
					rc = dd_err_set(e, DD_EFORMAT,
					    "%s: line %d: a variable without "
					    "'='",
					    rd->path, sline);
				} else {
					bool add = eq > s && eq[-1] == '+';
					char *name = xstrndup(s,
					    (size_t)(strchr(s, '}') - s) + 1);
					char *vals = xstrdup(eq + 1), *vt[64];
					size_t nv = pf_tokens(vals, vt, 64), k,
					       vi;
					struct sbuf alt = SBUF_INIT;
					for (vi = 0; vi < a->nvars; vi++)
						if (strcmp(a->vars[vi], name) ==
						    0)
							break;
					if (vi == a->nvars) {
						a->vars = xreallocarray(a->vars,
						    a->nvars + 1,
						    sizeof(char *));
						a->vals = xreallocarray(a->vals,
						    a->nvars + 1,
						    sizeof(char *));
						a->vars[vi] = xstrdup(name);
						a->vals[vi] = xstrdup("{}");
						a->nvars++;
						add = false;
					}
					sbuf_addstr(&alt, "{");
					if (add && strlen(a->vals[vi]) > 2) {
						sbuf_add(&alt, a->vals[vi] + 1,
						    strlen(a->vals[vi]) - 2);
					}
					for (k = 0; k < nv; k++) {
						size_t vl = strlen(vt[k]);
						if (alt.len > 1)
							sbuf_addstr(&alt, ",");
						if (vl >= 2 && vt[k][0] == '"')
							sbuf_add(&alt, vt[k] + 1,
							    vl - 2);
						else
							sbuf_addstr(&alt, vt[k]);
					}
					sbuf_addstr(&alt, "}");
					free(a->vals[vi]);
					a->vals[vi] = sbuf_detach(&alt, NULL);
					free(name);
					free(vals);
				}
			} else if (nt > 0 && rd->skip == 0) {
				if (a->in_profile)
					rc = pf_aa_rule(rd, s, sline, e);
				else if (strcmp(tok[0], "abi") != 0)
					rc = dd_err_set(e, DD_EFORMAT,
					    "%s: line %d: a rule outside a "
					    "profile block",
					    rd->path, sline);
				if (rc == 0 && a->overflow)
					rc = dd_err_set(e, DD_ELIMIT,
					    "%s: line %d: variables expand to "
					    "more than %d bytes",
					    rd->path, sline, PF_EXPAND_MAX);
			}
			free(dup);
			sbuf_reset(&st);
			sline = line;
			paren = altd = 0;
			i++;
			if (rc < 0)
				break;
			continue;
		}
		if (st.len == 0 && (c == ' ' || c == '\t' || c == '\r' ||
				       c == '\n'))
			sline = line;
		else
			sbuf_add(&st, &c, 1);
		i++;
	}
	sbuf_release(&st);
	return rc;
}

int
pf_aa_parse(const char *path, const char *text, size_t len,
    struct pf_aa **out, struct dd_err *e)
{
	struct pf_aaread rd;
	const char *dir = getenv("DRYDOCK_APPARMOR_DIR");
	int rc;

	*out = NULL;
	memset(&rd, 0, sizeof(rd));
	rd.a = xcalloc(1, sizeof(*rd.a));
	rd.path = path;
	rd.dir = dir && *dir ? dir : "/etc/apparmor.d";
	rc = pf_aa_text(&rd, path, text, len, e);
	if (rc == 0 && rd.brace != 0)
		rc = dd_err_set(e, DD_EFORMAT, "%s: a '{' is never closed",
		    path);
	if (rc == 0 && rd.a->name == NULL)
		rc = dd_err_set(e, DD_EFORMAT,
		    "%s: no profile block (profile NAME { ... })", path);
	if (rc < 0) {
		pf_aa_free(rd.a);
		return rc;
	}
	*out = rd.a;
	return 0;
}

/* ---- deciding ---- */

/* A mount point matches as given or as a directory (a trailing /). */
static bool
pf_glob_dir(const char *glob, const char *path)
{
	char t[1100];

	if (pf_aa_glob(glob, path))
		return true;
	snprintf(t, sizeof(t), "%s/", path);
	return pf_aa_glob(glob, t);
}

/* Does the profile grant need nd? */
static bool
pf_aa_allows(const struct pf_aa *a, const struct pf_need *nd)
{
	size_t i;
	bool allow = false;

	for (i = 0; i < a->n; i++) {
		const struct pf_aarule *r = &a->r[i];
		bool m = false;
		switch (nd->kind) {
		case PF_N_FILE:
			if (r->kind == PF_R_ALLFILES)
				m = true;
			else if (r->kind == PF_R_FILE) {
				const char *p;
				bool all = true;
				for (p = nd->perms; *p; p++)
					if (!strchr(r->perms, *p))
						all = false;
				/* a deny rule denies any perm it names */
				if (r->deny) {
					all = false;
					for (p = nd->perms; *p; p++)
						all |= strchr(r->perms, *p) !=
						    NULL;
				}
				m = all && pf_aa_glob(r->glob, nd->path);
			}
			break;
		case PF_N_CAP:
			m = r->kind == PF_R_CAP && nd->cap >= 0 &&
			    (r->caps & (1ull << nd->cap));
			break;
		case PF_N_NET:
			m = r->kind == PF_R_NET &&
			    (r->family == NULL ||
				strcmp(r->family, nd->family) == 0) &&
			    (r->type == NULL || nd->type[0] == '\0' ||
				strcmp(r->type, nd->type) == 0);
			break;
		case PF_N_MOUNT:
			m = r->kind == PF_R_MOUNT &&
			    (r->fstype == NULL ||
				strcmp(r->fstype, nd->fstype) == 0) &&
			    (r->glob == NULL || pf_glob_dir(r->glob, nd->path));
			break;
		case PF_N_UMOUNT:
			m = r->kind == PF_R_UMOUNT &&
			    (r->glob == NULL || pf_glob_dir(r->glob, nd->path));
			break;
		case PF_N_PIVOT:
			m = r->kind == PF_R_PIVOT;
			break;
		case PF_N_PTRACE:
			m = r->kind == PF_R_PTRACE;
			break;
		}
		if (m && r->deny)
			return false;
		allow |= m;
	}
	return allow;
}

struct pf_acheck {
	const struct pf_aa *a;
	struct pf_steps *steps;
	struct pf_report *rep;
	struct pf_smap memo; /* a need's text -> allowed (0/1) */
};

/* Does the profile grant nd? Decided once per distinct need. */
static bool
pf_acheck_need(struct pf_acheck *c, const struct pf_need *nd)
{
	char key[1200];
	size_t v;
	bool ok;

	snprintf(key, sizeof(key), "%d|%s|%d|%s|%s|%s|%s", nd->kind,
	    nd->perms, nd->cap, nd->family, nd->type, nd->fstype, nd->path);
	if (pf_smap_get(&c->memo, key, &v))
		return v != 0;
	ok = pf_aa_allows(c->a, nd);
	if (c->memo.n < (1u << 20)) /* a bound on hostile traces */
		pf_smap_put(&c->memo, key, ok);
	return ok;
}

static void
pf_acheck_event(struct pf_ev *ev, void *user)
{
	struct pf_acheck *c = user;
	struct pf_need nd[4];
	int k, n = pf_aa_needs(ev, nd);
	const char *rule = c->steps->n ? pf_steps_rule(c->steps, ev->id) : NULL;
	struct sbuf what = SBUF_INIT;
	bool denied = false;

	for (k = 0; k < n && !c->a->complain; k++) {
		if (pf_acheck_need(c, &nd[k]))
			continue;
		denied = true;
		if (what.len)
			sbuf_addstr(&what, "; ");
		switch (nd[k].kind) {
		case PF_N_FILE:
			sbuf_addf(&what, "%s %s", nd[k].perms, nd[k].path);
			break;
		case PF_N_CAP:
			sbuf_addf(&what, "capability %s",
			    pf_cap_name(nd[k].cap) + 4);
			break;
		case PF_N_NET:
			sbuf_addf(&what, "network %s%s%s", nd[k].family,
			    nd[k].type[0] ? " " : "", nd[k].type);
			break;
		case PF_N_MOUNT:
			sbuf_addf(&what, "mount %s %s", nd[k].fstype,
			    nd[k].path);
			break;
		case PF_N_UMOUNT:
			sbuf_addf(&what, "umount %s", nd[k].path);
			break;
		case PF_N_PIVOT:
			sbuf_addstr(&what, "pivot_root");
			break;
		default:
			sbuf_addstr(&what, "ptrace");
			break;
		}
	}
	pf_report_event(c->rep, ev->id, ev->syscall, what.buf,
	    denied ? PF_DENY : PF_ALLOW, "EACCES (AppArmor)", rule);
	sbuf_release(&what);
}

int
pf_check_apparmor(struct store *s, const struct pf_scope *sc,
    const struct pf_check_opts *o, struct sbuf *out, uint64_t *denied,
    struct dd_err *e)
{
	struct pf_aa *a = NULL;
	struct pf_steps steps;
	struct pf_report rep;
	struct pf_acheck c;
	char *text = NULL;
	size_t tlen = 0;
	int rc;

	*denied = 0;
	memset(&steps, 0, sizeof(steps));
	memset(&c, 0, sizeof(c));
	pf_report_init(&rep, o->profile_path, "apparmor");
	rep.container = sc->container;
	if ((rc = file_read_all(o->profile_path, 4u << 20, &text, &tlen, e)) <
	    0)
		goto out;
	if ((rc = pf_aa_parse(o->profile_path, text, tlen, &a, e)) < 0)
		goto out;
	if (a->complain)
		pf_report_note(&rep, "the profile is in complain mode: it "
				     "logs and denies nothing");
	if ((rc = pf_steps_load(s, &steps, e)) < 0)
		goto out;
	c.a = a;
	c.steps = &steps;
	c.rep = &rep;
	if ((rc = pf_aa_scan(s, sc, pf_acheck_event, &c, e)) < 0)
		goto out;
	*denied = rep.ndeny;
	pf_report_emit(&rep, o->json, out);
out:
	pf_smap_release(&c.memo);
	pf_report_release(&rep);
	pf_steps_release(&steps);
	pf_aa_free(a);
	free(text);
	return rc;
}
