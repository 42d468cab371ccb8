/* SPDX-License-Identifier: Apache-2.0 */
/* cmd-profile.c: `drydock profile seccomp|apparmor|netpolicy|slim|check
 * CASE ...`: hardening profiles from a case's evidence, and the what-if
 * (analyzers/profile/). */
#include "core/common.h"

#include "analyzers/profile/profile.h"
#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"

static int cmd_profile_run(int argc, char **argv);

const struct cli_cmd cmd_profile = {
	.name = "profile",
	.synopsis = "seccomp|apparmor|netpolicy|slim|check CASE [options]",
	.summary = "hardening profiles from the evidence, and the what-if check",
	.help =
	    "Derives hardening policies from what the case shows a container "
	    "doing,\n"
	    "and replays the case against a policy: would it have stopped "
	    "the attack,\n"
	    "and what would it break? Nothing is written to the case; the "
	    "output is\n"
	    "deterministic.\n\n"
	    "Kinds:\n"
	    "  seccomp    a Docker/OCI seccomp profile (the JSON of "
	    "docker-default.json):\n"
	    "             every syscall seen, ERRNO(EPERM) for the rest; "
	    "argument filters\n"
	    "             where the evidence pins them (socket families, "
	    "clone without\n"
	    "             new namespaces, personality values). Calls seen "
	    "only as escape\n"
	    "             steps (evidence of esc.* findings: run `drydock "
	    "analyze` first)\n"
	    "             are left out and named on stderr.\n"
	    "  apparmor   an AppArmor profile from file accesses (read, "
	    "write, exec),\n"
	    "             capabilities the calls needed, network families, "
	    "mounts and\n"
	    "             ptrace; per-run paths (/proc/PID, temporary "
	    "names) globbed.\n"
	    "  netpolicy  Kubernetes NetworkPolicy objects (YAML) per "
	    "container from\n"
	    "             its flows: ingress and egress peers and ports, DNS "
	    "allowed.\n"
	    "  slim       the image's files no trace touched (open, exec, "
	    "stat, mmap of\n"
	    "             a path; symlinks resolved in the image), by "
	    "directory and\n"
	    "             layer with the bytes that could go.\n"
	    "  check      the what-if: every event in scope decided against "
	    "--seccomp\n"
	    "             FILE or --apparmor FILE; the denied ones, which of "
	    "them are\n"
	    "             escape steps, and which benign calls would break.\n\n"
	    "Scope (any kind):\n"
	    "  --container ID     a container (id, id prefix, name or "
	    "alias): its\n"
	    "                     processes' events\n"
	    "  --pid N            a process and its descendants\n"
	    "  --artifact ID      one artifact's events\n\n"
	    "Options:\n"
	    "  --phase P          seccomp: startup, run or all (default): "
	    "start-up ends\n"
	    "                     after the first process's exec, loader and "
	    "configuration\n"
	    "                     reads (SPEAKER's split), or at --boundary "
	    "NS\n"
	    "  --baseline runtime seccomp: add the calls runc needs to start "
	    "a process\n"
	    "  --seccomp FILE     check: a Docker/OCI seccomp profile\n"
	    "  --apparmor FILE    check: an AppArmor profile\n"
	    "  --caps C           check: capabilities for the profile's "
	    "includes/excludes:\n"
	    "                     default (Docker's 14), case (the "
	    "container's, as\n"
	    "                     recorded; the default when the case has "
	    "none), or a\n"
	    "                     list CAP_SYS_ADMIN,CAP_NET_RAW\n"
	    "  --kernel X.Y       check: compare includes.minKernel with "
	    "this kernel\n"
	    "                     (default: taken as met)\n"
	    "  --image ID         slim: the image (images.id)\n"
	    "  --name NAME        apparmor: the profile's name\n"
	    "  --format F         text or json (every kind; slim also "
	    "list: one path\n"
	    "                     per line and nothing else)\n"
	    "  -o FILE            write to FILE (replaced only when "
	    "complete)\n\n"
	    "Exit status: 0; check exits 0 whether or not events are denied "
	    "(read\n"
	    "\"denied\" in --format json); 1 on errors; 2 on usage errors.\n\n"
	    "Examples:\n"
	    "  drydock analyze case.drydock\n"
	    "  drydock profile seccomp case.drydock --container web -o "
	    "web.json\n"
	    "  drydock profile check case.drydock --seccomp "
	    "docker-default.json --caps default\n"
	    "  drydock profile check case.drydock --seccomp web.json "
	    "--format json | jq .denied\n"
	    "  drydock profile apparmor case.drydock --container web -o "
	    "web.aa\n"
	    "  drydock profile netpolicy case.drydock -o policy.yaml\n"
	    "  drydock profile slim case.drydock --image 1 --format list\n",
	.mutates = false,
	.run = cmd_profile_run,
};

static bool
cmd_profile_kmaj(const char *s, int *maj, int *min)
{
	return sscanf(s, "%d.%d", maj, min) == 2 && *maj > 0 && *min >= 0;
}

static int
cmd_profile_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "container", 0, true }, /* 0 */
		{ "pid", 0, true },	  /* 1 */
		{ "artifact", 0, true },  /* 2 */
		{ "phase", 0, true },	  /* 3 */
		{ "baseline", 0, true },  /* 4 */
		{ "seccomp", 0, true },	  /* 5 */
		{ "apparmor", 0, true },  /* 6 */
		{ "caps", 0, true },	  /* 7 */
		{ "format", 'f', true },  /* 8 */
		{ "output", 'o', true },  /* 9 */
		{ "image", 0, true },	  /* 10 */
		{ "name", 0, true },	  /* 11 */
		{ "boundary", 0, true },  /* 12 */
		{ "kernel", 0, true },	  /* 13 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	struct pf_scope sc;
	struct pf_gen_opts go;
	struct pf_check_opts co;
	struct sbuf out = SBUF_INIT, note = SBUF_INIT;
	struct cli_out o;
	const char *outpath = "-", *format = "text", *kind, *name = NULL;
	const char *seccomp = NULL, *apparmor = NULL;
	int64_t image = 0;
	uint64_t denied = 0;
	int k, rc = CLI_OK;
	bool ok;

	memset(&sc, 0, sizeof(sc));
	memset(&go, 0, sizeof(go));
	memset(&co, 0, sizeof(co));
	go.phase = "all";
	go.boundary = INT64_MIN;
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto done;
		case 0:
			sc.container_arg = p.optarg;
			break;
		case 1:
			if (!parse_i64(p.optarg, &sc.pid) || sc.pid <= 0) {
				rc = cli_usage(&cmd_profile,
				    "'%s' is not a pid", p.optarg);
				goto done;
			}
			break;
		case 2:
			if (!parse_i64(p.optarg, &sc.artifact) ||
			    sc.artifact <= 0) {
				rc = cli_usage(&cmd_profile,
				    "'%s' is not an artifact id", p.optarg);
				goto done;
			}
			break;
		case 3:
			if (strcmp(p.optarg, "startup") != 0 &&
			    strcmp(p.optarg, "run") != 0 &&
			    strcmp(p.optarg, "all") != 0) {
				rc = cli_usage(&cmd_profile,
				    "--phase is startup, run or all, not '%s'",
				    p.optarg);
				goto done;
			}
			go.phase = p.optarg;
			break;
		case 4:
			if (strcmp(p.optarg, "runtime") != 0) {
				rc = cli_usage(&cmd_profile,
				    "--baseline knows runtime, not '%s'",
				    p.optarg);
				goto done;
			}
			go.baseline_runtime = true;
			break;
		case 5:
			seccomp = p.optarg;
			break;
		case 6:
			apparmor = p.optarg;
			break;
		case 7:
			co.caps = p.optarg;
			break;
		case 8:
			format = p.optarg;
			break;
		case 9:
			outpath = p.optarg;
			break;
		case 10:
			if (!parse_i64(p.optarg, &image) || image <= 0) {
				rc = cli_usage(&cmd_profile,
				    "'%s' is not an image id", p.optarg);
				goto done;
			}
			break;
		case 11:
			name = p.optarg;
			break;
		case 12:
			if (!parse_i64(p.optarg, &go.boundary)) {
				rc = cli_usage(&cmd_profile,
				    "--boundary takes a time in ns since the "
				    "epoch, not '%s'",
				    p.optarg);
				goto done;
			}
			break;
		case 13:
			if (!cmd_profile_kmaj(p.optarg, &co.kmaj, &co.kmin)) {
				rc = cli_usage(&cmd_profile,
				    "--kernel takes X.Y, not '%s'", p.optarg);
				goto done;
			}
			break;
		}
	}
	if (p.nops != 2) {
		rc = cli_usage(&cmd_profile,
		    "expected a kind (seccomp, apparmor, netpolicy, slim, "
		    "check) and CASE");
		goto done;
	}
	kind = p.ops[0];
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    !(strcmp(kind, "slim") == 0 && strcmp(format, "list") == 0)) {
		rc = cli_usage(&cmd_profile,
		    "--format is text or json%s, not '%s'",
		    strcmp(kind, "slim") == 0 ? " or list" : "", format);
		goto done;
	}
	if (strcmp(kind, "check") == 0 && (seccomp == NULL) == (apparmor == NULL)) {
		rc = cli_usage(&cmd_profile,
		    "check needs one of --seccomp FILE or --apparmor FILE");
		goto done;
	}
	if (strcmp(kind, "slim") == 0 && image <= 0) {
		rc = cli_usage(&cmd_profile, "slim needs --image ID");
		goto done;
	}
	if (strcmp(kind, "seccomp") != 0 && strcmp(kind, "apparmor") != 0 &&
	    strcmp(kind, "netpolicy") != 0 && strcmp(kind, "slim") != 0 &&
	    strcmp(kind, "check") != 0) {
		rc = cli_usage(&cmd_profile,
		    "unknown kind '%s' (seccomp, apparmor, netpolicy, slim, "
		    "check)",
		    kind);
		goto done;
	}
	if (store_open(p.ops[1], STORE_RDONLY, &s, &e) < 0 ||
	    pf_scope_resolve(s, &sc, &e) < 0) {
		rc = cli_fail("profile", &e);
		goto done;
	}
	go.json_report = strcmp(format, "json") == 0;
	co.json = go.json_report;
	if (strcmp(kind, "seccomp") == 0)
		k = pf_seccomp_generate(s, &sc, &go, &out, &note, &e);
	else if (strcmp(kind, "apparmor") == 0)
		k = pf_apparmor_generate(s, &sc, name, go.json_report, &out,
		    &note, &e);
	else if (strcmp(kind, "netpolicy") == 0)
		k = pf_netpol_generate(s, &sc, go.json_report, &out, &e);
	else if (strcmp(kind, "slim") == 0)
		k = pf_slim(s, image, &sc,
		    strcmp(format, "list") == 0 ? PF_SLIM_LIST :
		    go.json_report		? PF_SLIM_JSON :
						  PF_SLIM_TEXT,
		    &out, &e);
	else {
		co.profile_path = seccomp ? seccomp : apparmor;
		k = seccomp ? pf_check_seccomp(s, &sc, &co, &out, &denied, &e) :
			      pf_check_apparmor(s, &sc, &co, &out, &denied, &e);
	}
	if (k < 0) {
		rc = cli_fail("profile", &e);
		goto done;
	}
	if ((rc = cli_out_open(&o, outpath, "profile")) != CLI_OK)
		goto done;
	ok = out.len == 0 || write_all(o.fd, out.buf, out.len) == 0;
	if (!ok)
		cli_errorf("profile", "cannot write '%s': %s", outpath,
		    strerror(errno));
	if ((rc = cli_out_finish(&o, ok, "profile")) != CLI_OK)
		goto done;
	if (!cli_g.quiet && note.len > 0)
		fprintf(stderr, "%s", note.buf);
done:
	sbuf_release(&out);
	sbuf_release(&note);
	pf_scope_release(&sc);
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
