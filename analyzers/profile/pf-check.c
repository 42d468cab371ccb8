/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf-check.c: the what-if's report, whatever the profile kind: events
 * checked, denied, undecided; the escape steps among the denied; the
 * benign calls that would break, by syscall.
 */
#include "core/common.h"

#include <jansson.h>

#include "analyzers/profile/pf-check.h"
#include "core/xmalloc.h"

void
pf_report_init(struct pf_report *r, const char *profile_path,
    const char *kind)
{
	const char *base = strrchr(profile_path, '/');

	memset(r, 0, sizeof(*r));
	r->profile = base ? base + 1 : profile_path;
	r->kind = kind;
	r->stepnames = (struct sbuf)SBUF_INIT;
	r->notes = (struct sbuf)SBUF_INIT;
}

static size_t
pf_report_key(struct pf_report *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nk; i++)
		if (strcmp(r->k[i].key, key) == 0)
			return i;
	r->k = xreallocarray(r->k, r->nk + 1, sizeof(*r->k));
	memset(&r->k[r->nk], 0, sizeof(r->k[r->nk]));
	r->k[r->nk].key = xstrdup(key);
	return r->nk++;
}

void
pf_report_event(struct pf_report *r, int64_t id, const char *syscall,
    const char *what, int verdict, const char *action, const char *rule)
{
	size_t k;

	r->nev++;
	if (rule != NULL)
		r->nsteps++;
	if (verdict == PF_UNDECIDED) {
		r->nund++;
		return;
	}
	if (verdict != PF_DENY)
		return;
	r->ndeny++;
	k = pf_report_key(r, syscall);
	if (rule != NULL) {
		r->nsteps_den++;
		if (!r->k[k].stepped) {
			r->k[k].stepped = true;
			if (r->stepnames.len)
				sbuf_addstr(&r->stepnames, ", ");
			sbuf_addstr(&r->stepnames, r->k[k].key);
		}
	} else {
		r->k[k].n++;
		if (r->k[k].action == NULL)
			r->k[k].action = xstrdup(action);
	}
	if (r->nd < PF_LIST_MAX) {
		struct pf_deny *d;
		if (r->nd == r->cd) {
			r->cd = r->cd ? r->cd * 2 : 256;
			r->dv = xreallocarray(r->dv, r->cd, sizeof(*r->dv));
		}
		d = &r->dv[r->nd++];
		d->id = id;
		d->syscall = r->k[k].key;
		d->what = what != NULL && *what ? xstrdup(what) : NULL;
		d->action = xstrdup(action);
		d->rule = rule != NULL ? xstrdup(rule) : NULL;
	}
}

static int
pf_cmp_key(const void *a, const void *b)
{
	const struct pf_rkey *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Evidence text for a terminal: control bytes as \xNN. */
static void
pf_safe(struct sbuf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c >= 0x80)
			sbuf_addf(out, "\\x%02x", c);
		else
			sbuf_add(out, s, 1);
	}
}

void
pf_report_emit(struct pf_report *r, bool json, struct sbuf *out)
{
	struct pf_rkey *bc = xcalloc(r->nk + 1, sizeof(*bc));
	size_t nb = 0, i;

	for (i = 0; i < r->nk; i++)
		if (r->k[i].n > 0)
			bc[nb++] = r->k[i];
	qsort(bc, nb, sizeof(*bc), pf_cmp_key);
	if (json) {
		json_t *root = json_object(), *ev = json_array(),
		       *esc = json_array(), *br = json_array(),
		       *un = json_array(), *cl = json_array();
		json_object_set_new(root, "profile", pf_json_str(r->profile));
		json_object_set_new(root, "kind", json_string(r->kind));
		if (r->caps_how != NULL) {
			json_object_set_new(root, "capabilities",
			    json_string(r->caps_how));
			for (i = 0; i < PF_CAP_MAX; i++)
				if (r->caps & (1ull << i))
					json_array_append_new(cl,
					    json_string(pf_cap_name((int)i)));
		}
		json_object_set_new(root, "caps", cl);
		json_object_set_new(root, "container",
		    r->container ? json_string(r->container) : json_null());
		json_object_set_new(root, "events_checked",
		    json_integer((json_int_t)r->nev));
		json_object_set_new(root, "denied",
		    json_integer((json_int_t)r->ndeny));
		json_object_set_new(root, "undecided",
		    json_integer((json_int_t)r->nund));
		json_object_set_new(root, "escape_steps",
		    json_integer((json_int_t)r->nsteps));
		for (i = 0; i < r->nd; i++) {
			struct pf_deny *d = &r->dv[i];
			json_t *x = json_object();
			json_object_set_new(x, "id", json_integer(d->id));
			json_object_set_new(x, "syscall",
			    json_string(d->syscall));
			if (d->what != NULL)
				json_object_set_new(x, "access",
				    pf_json_str(d->what));
			json_object_set_new(x, "action", json_string(d->action));
			json_object_set_new(x, "escape_rule",
			    d->rule ? json_string(d->rule) : json_null());
			json_array_append(ev, x);
			if (d->rule != NULL)
				json_array_append(esc, x);
			json_decref(x);
		}
		json_object_set_new(root, "events", ev);
		json_object_set_new(root, "events_truncated",
		    json_boolean(r->ndeny > r->nd));
		json_object_set_new(root, "escape_steps_denied", esc);
		for (i = 0; i < nb; i++) {
			json_t *x = json_object();
			json_object_set_new(x, "syscall", json_string(bc[i].key));
			json_object_set_new(x, "events",
			    json_integer((json_int_t)bc[i].n));
			json_object_set_new(x, "action",
			    json_string(bc[i].action));
			json_array_append_new(br, x);
		}
		json_object_set_new(root, "benign_breaks", br);
		for (i = 0; i < r->nunknown; i++)
			json_array_append_new(un, pf_json_str(r->unknown[i]));
		json_object_set_new(root, "unknown", un);
		pf_json_emit(out, root);
		json_decref(root);
		free(bc);
		return;
	}
	sbuf_addstr(out, "profile check: ");
	pf_safe(out, r->profile);
	sbuf_addf(out, " (%s)\n", r->kind);
	if (r->caps_how != NULL) {
		size_t sn = 0;
		sbuf_addf(out, "capabilities: %s (", r->caps_how);
		for (i = 0; i < PF_CAP_MAX; i++)
			if (r->caps & (1ull << i))
				sbuf_addf(out, "%s%s", sn++ ? " " : "",
				    pf_cap_name((int)i) + 4);
		sbuf_addstr(out, sn ? ")\n" : "none)\n");
	}
	if (r->container != NULL)
		sbuf_addf(out, "container: %s\n", r->container);
	for (i = 0; i < r->nunknown; i++) {
		sbuf_addstr(out, "note: ");
		pf_safe(out, r->unknown[i]);
		sbuf_addstr(out, "\n");
	}
	sbuf_addf(out,
	    "%" PRIu64 " syscall events checked: %" PRIu64 " denied, %" PRIu64
	    " undecided (arguments the trace lacks)\n",
	    r->nev, r->ndeny, r->nund);
	if (r->nsteps > 0) {
		sbuf_addstr(out, "");
		pf_safe(out, r->profile);
		sbuf_addf(out,
		    " would have blocked %" PRIu64 " of the %" PRIu64
		    " escape steps%s%s\n",
		    r->nsteps_den, r->nsteps, r->nsteps_den ? ": " : "",
		    r->stepnames.buf ? r->stepnames.buf : "");
	} else
		sbuf_addstr(out, "no escape steps in scope (escape findings "
				 "come from `drydock analyze`)\n");
	for (i = 0; i < r->nd; i++) {
		struct pf_deny *d = &r->dv[i];
		if (d->rule == NULL)
			continue;
		sbuf_addf(out, "  denied  %-26s event %" PRId64 "  %-17s %s",
		    d->rule, d->id, d->syscall, d->action);
		if (d->what != NULL) {
			sbuf_addstr(out, "  ");
			pf_safe(out, d->what);
		}
		sbuf_addstr(out, "\n");
	}
	if (nb > 0) {
		uint64_t tot = 0;
		for (i = 0; i < nb; i++)
			tot += bc[i].n;
		sbuf_addf(out,
		    "benign events that would break: %" PRIu64 " (%zu "
		    "syscall%s)\n",
		    tot, nb, nb == 1 ? "" : "s");
		for (i = 0; i < nb; i++)
			sbuf_addf(out, "  %-22s %10" PRIu64 "  %s\n", bc[i].key,
			    bc[i].n, bc[i].action);
	} else
		sbuf_addstr(out, "no benign event would break\n");
	free(bc);
}

void
pf_report_release(struct pf_report *r)
{
	size_t i;

	for (i = 0; i < r->nd; i++) {
		free(r->dv[i].what);
		free(r->dv[i].action);
		free(r->dv[i].rule);
	}
	for (i = 0; i < r->nk; i++) {
		free(r->k[i].key);
		free(r->k[i].action);
	}
	for (i = 0; i < r->nunknown; i++)
		free(r->unknown[i]);
	free(r->unknown);
	free(r->k);
	free(r->dv);
	sbuf_release(&r->stepnames);
	sbuf_release(&r->notes);
}

void
pf_report_note(struct pf_report *r, const char *text)
{
	r->unknown = xreallocarray(r->unknown, r->nunknown + 1,
	    sizeof(char *));
	r->unknown[r->nunknown++] = xstrdup(text);
}
