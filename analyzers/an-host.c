/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-host.c: what the host kept says about an attack: a container's drift
 * from its image, the Kubernetes audit log, the containers' own logs and
 * the Docker daemon's configuration. Every rule is one SQL statement
 * (analyzers/sqlrule.h):
 *
 *  host.drift.miner            a known miner's file added or changed     critical
 *  host.drift.preload          /etc/ld.so.preload written                critical
 *  host.drift.exec_new         new executables (one finding per          high
 *                              container, the paths listed)
 *  host.drift.binary_modified  an executable or library of the image     high
 *                              changed in place (/bin, /sbin, /usr/bin,
 *                              /usr/sbin, /lib, /usr/lib...)
 *  host.drift.persistence.cron     cron tables added or changed          high
 *  host.drift.persistence.service  systemd units, init scripts, rc.local high
 *  host.drift.ssh_keys         authorized_keys added or changed          high
 *  host.drift.accounts         passwd, shadow, group, sudoers changed    high
 *  host.drift.webshell         a script added or changed under a web     high
 *                              root (php, jsp, asp, cgi...)
 *  host.drift.logs_removed     logs or shell history deleted or emptied  medium
 *  host.drift.<rule>           a content rule (YARA, the layers          rule's
 *                              analyzer's rules: miners, web shells,
 *                              reverse shells, secrets...) matched a file
 *                              the container added or changed, read from
 *                              the stored root or export (drift.data_off),
 *                              e.g. host.drift.miner.xmrig
 *  host.k8s.exec               exec or attach into a pod allowed         high
 *  host.k8s.privileged_pod     a pod (or workload) created or changed    high
 *                              with privileged containers or the host's
 *                              pid, network or ipc namespace
 *  host.k8s.sensitive_mount    ... with a hostPath of /, /etc, /proc,    high
 *                              /root, /var/lib/kubelet, a runtime socket
 *  host.k8s.manifest.privileged, .manifest.sensitive_mount: the same   high
 *                              two for objects of a manifest
 *  host.k8s.secret_read        secrets read by a user, or a service-     medium
 *                              account token requested
 *  host.k8s.role_binding       a cluster role binding created or changed high
 *  host.log.revshell           a container's output shows a reverse      high
 *                              shell (bash -i, /dev/tcp, nc -e, mkfifo)
 *  host.log.download_exec      a container's output shows download and   high
 *                              execute (curl|wget piped to a shell or
 *                              made executable)
 *  host.log.shell_prompt       a container's output holds interactive    medium
 *                              shell prompts (user@host:dir# )
 *  host.log.error_burst        a minute of at least 20 stderr lines,     medium
 *                              five times the container's rate, then
 *                              within the hour one of the three above
 *  host.audit.login_bruteforce 10 or more failed logins or             high
 *                              authentications from one source within
 *                              10 minutes (audit USER_* records)
 *  host.audit.root_login       root logged in from a remote address      medium
 *  host.daemon.tcp_no_tls      dockerd listens on TCP without            critical
 *                              --tlsverify
 *  host.daemon.insecure_registry  plain-HTTP or unverified registries   medium
 *  host.daemon.userns_off      no user-namespace remapping while         high
 *                              privileged containers run
 *
 * Quiet on benign evidence: a drift of only data files, pods without host
 * access, reads by the control plane's own users (system:*), ordinary log
 * lines, a daemon on its unix socket.
 */
#include "core/common.h"

#include <string.h>

#include "core/lib-yara.h"

#include "analyzers/analyzer.h"
#include "analyzers/content-rules.h"
#include "analyzers/sqlrule.h"
#include "core/arena.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"

/* Content scans of drift: at most this much of one file, and of all. */
#define HOST_SCAN_FILE_MAX ((uint64_t)64 << 20)
#define HOST_SCAN_TOTAL_MAX ((uint64_t)4 << 30)

#define CNAME(cid) SQLRULE_CNAME_OF(cid)
/* drift rows of live artifacts with their basename */
#define DRIFT "(SELECT d.*, replace(d.path, rtrim(d.path, replace(d.path, " \
	"'/', '')), '') AS base FROM drift d)"

/* One finding per container for drift rows matching WHERE (over alias
 * x), listing up to 8 paths; evidence the first row and the container. */
#define DRIFT_RULE(id, sev, att, title, detail, where)                     \
	"WITH hit AS (SELECT * FROM " DRIFT " x WHERE " where ") "            \
	"SELECT '" id "', '" sev "', '" att "', h.container_id, '" title     \
	" in ' || " CNAME("h.container_id") ", '" detail " ' || "            \
	"(SELECT group_concat(p, ', ') FROM (SELECT y.change || ' ' || "     \
	"y.path AS p FROM hit y WHERE y.container_id = h.container_id "      \
	"ORDER BY y.path LIMIT 8)) || CASE WHEN count(*) > 8 THEN ' and ' "  \
	"|| (count(*) - 8) || ' more' ELSE '' END || '.', 'drift', (SELECT " \
	"y.key FROM hit y WHERE y.container_id = h.container_id ORDER BY "   \
	"y.path LIMIT 1), CASE WHEN EXISTS (SELECT 1 FROM containers c "     \
	"WHERE c.id = h.container_id) THEN 'containers' END, "               \
	"h.container_id FROM hit h GROUP BY h.container_id ORDER BY "        \
	"h.container_id"

/* A comma-separated list of host paths names a sensitive one (or below
 * one but /). */
#define SENSITIVE(col) "EXISTS (SELECT 1 FROM (SELECT '/' AS p UNION ALL " \
	"SELECT '/etc' UNION ALL SELECT '/proc' UNION ALL SELECT '/sys' " \
	"UNION ALL SELECT '/root' UNION ALL SELECT '/home' UNION ALL SELECT " \
	"'/boot' UNION ALL SELECT '/dev' UNION ALL SELECT '/var/lib/kubelet' " \
	"UNION ALL SELECT '/etc/kubernetes' UNION ALL SELECT " \
	"'/var/run/docker.sock' UNION ALL SELECT '/run/docker.sock' UNION " \
	"ALL SELECT '/var/run/crio' UNION ALL SELECT '/run/containerd' UNION " \
	"ALL SELECT '/var/lib/docker' UNION ALL SELECT '/var/run' UNION ALL " \
	"SELECT '/run') s WHERE instr(',' || " col " || ',', ',' || s.p || " \
	"',') > 0 OR (s.p != '/' AND instr(',' || " col ", ',' || s.p || " \
	"'/') > 0))"
#define PAST "CASE k.verb WHEN 'create' THEN 'created' WHEN 'update' " \
	"THEN 'updated' WHEN 'patch' THEN 'patched' ELSE k.verb END"
#define K8S_OK "(k.code IS NULL OR k.code < 400)"
#define K8S_KEY "k.artifact_id || ':' || k.seq"
#define K8S_WHO "coalesce(k.user, '?') || ' ' || k.verb || ' ' || " \
	"k.resource || coalesce('/' || k.subresource, '') || coalesce(' ' " \
	"|| k.namespace || '/' || k.name, ' ' || k.name, coalesce(' in ' " \
	"|| k.namespace, ''))"

/* Log lines (alias l) that show a compromise. */
#define W_REVSHELL "(l.message LIKE '%bash -i%' OR l.message LIKE " \
	"'%/dev/tcp/%' OR l.message LIKE '%/dev/udp/%' OR l.message LIKE " \
	"'%nc -e %' OR l.message LIKE '%ncat -e %' OR l.message LIKE " \
	"'%nc.traditional -e%' OR l.message LIKE '%mkfifo /tmp/%' OR " \
	"l.message LIKE '%socat%exec:%' OR l.message LIKE " \
	"'%import socket%subprocess%' OR l.message LIKE '%sh -i 2>&1%')"
#define W_DOWNLOAD "((l.message LIKE '%curl %' OR l.message LIKE " \
	"'%wget %') AND (l.message LIKE '%| sh%' OR l.message LIKE '%|sh%' " \
	"OR l.message LIKE '%| bash%' OR l.message LIKE '%|bash%' OR " \
	"l.message LIKE '%chmod +x%' OR l.message LIKE '%chmod 7%'))"
#define W_PROMPT "((instr(l.message, '@') > 1 AND instr(l.message, ':') " \
	"> instr(l.message, '@') AND instr(substr(l.message, 1, " \
	"instr(l.message, ':')), ' ') = 0 AND substr(l.message, " \
	"instr(l.message, ':')) GLOB ':*[#$] *') OR l.message GLOB " \
	"'/ # *' OR l.message GLOB 'sh-[0-9].[0-9]*[#$] *' OR l.message " \
	"GLOB 'bash-[0-9].[0-9]*[#$] *')"
#define TIME(x) "strftime('%Y-%m-%dT%H:%M:%SZ', " x " / 1000000000, " \
	"'unixepoch')"

/* One finding per container for log lines matching WHERE (over alias
 * l); evidence the first line. */
#define LOG_RULE(id, sev, att, title, detail, where)                        \
	"WITH hit AS (SELECT * FROM logs l WHERE " where ") "                 \
	"SELECT '" id "', '" sev "', '" att "', h.container_id, '" title      \
	" (' || coalesce(" CNAME("h.container_id") ", h.name, 'unknown "       \
	"container') || ')', '" detail " ' || count(*) || ' line' || CASE "   \
	"count(*) WHEN 1 THEN '' ELSE 's' END || ', the first: ' || (SELECT " \
	"substr(m.message, 1, 300) FROM hit m WHERE m.container_id IS "       \
	"h.container_id ORDER BY m.ts, m.artifact_id, m.seq LIMIT 1), "       \
	"'logs', (SELECT m.artifact_id || ':' || m.seq FROM hit m WHERE "     \
	"m.container_id IS h.container_id ORDER BY m.ts, m.artifact_id, "     \
	"m.seq LIMIT 1), NULL, NULL, NULL, NULL, min(h.ts) FROM hit h GROUP " \
	"BY h.container_id ORDER BY h.container_id"

static const struct sqlrule host_rules[] = {
	{ "miner",
	  DRIFT_RULE("host.drift.miner", "critical", "T1496",
	      "A cryptocurrency miner was dropped",
	      "The writable layer holds a file named like a known miner "
	      "(XMRig, kinsing, kdevtmpfsi...):",
	      "x.change != 'D' AND x.type = 'file' AND (lower(x.base) IN "
	      "('xmrig', 'xmr-stak', 'minerd', 'cpuminer', 'ccminer', "
	      "'kdevtmpfsi', 'kinsing', 'nbminer', 't-rex', 'lolminer', "
	      "'ethminer', 'phoenixminer', 'xmrig.json', 'config.json.xmrig') "
	      "OR lower(x.path) LIKE '%xmrig%')")
	  },
	{ "preload",
	  DRIFT_RULE("host.drift.preload", "critical", "T1574.006",
	      "/etc/ld.so.preload was written",
	      "Every dynamically linked program of the container now loads "
	      "what it names (a userland rootkit''s hook):",
	      "x.change != 'D' AND x.path = '/etc/ld.so.preload'") },
	{ "new executables",
	  DRIFT_RULE("host.drift.exec_new", "high", "T1105",
	      "New executables in the writable layer",
	      "Files the image did not ship, executable, added or made "
	      "executable at run time:",
	      "x.change = 'A' AND x.executable = 1") },
	{ "modified binaries",
	  DRIFT_RULE("host.drift.binary_modified", "high", "T1554",
	      "Binaries or libraries of the image changed",
	      "Executables or libraries shipped by the image were changed in "
	      "place (trojaned tools hide an intruder):",
	      "x.change = 'C' AND x.type = 'file' AND (x.path GLOB "
	      "'/bin/*' OR x.path GLOB '/sbin/*' OR x.path GLOB '/usr/bin/*' "
	      "OR x.path GLOB '/usr/sbin/*' OR x.path GLOB '/usr/local/bin/*' "
	      "OR x.path GLOB '/usr/local/sbin/*' OR x.path GLOB '/lib/*' OR "
	      "x.path GLOB '/lib64/*' OR x.path GLOB '/usr/lib/*' OR x.path "
	      "GLOB '/usr/lib64/*')") },
	{ "cron",
	  DRIFT_RULE("host.drift.persistence.cron", "high", "T1053.003",
	      "Cron persistence",
	      "Cron tables were added or changed:",
	      "x.change != 'D' AND x.type = 'file' AND (x.path = "
	      "'/etc/crontab' OR x.path GLOB '/etc/cron.*/*' OR x.path GLOB "
	      "'/var/spool/cron/*')") },
	{ "services",
	  DRIFT_RULE("host.drift.persistence.service", "high",
	      "T1543.002,T1037.004",
	      "Service or boot-script persistence",
	      "systemd units, init scripts or rc.local were added or "
	      "changed:",
	      "x.change != 'D' AND x.type IN ('file', 'symlink') AND (x.path "
	      "GLOB '/etc/systemd/system/*' OR x.path GLOB "
	      "'/lib/systemd/system/*' OR x.path GLOB "
	      "'/usr/lib/systemd/system/*' OR x.path GLOB '/etc/init.d/*' OR "
	      "x.path = '/etc/rc.local' OR x.path GLOB '/etc/rc[0-6S].d/*')") },
	{ "ssh keys",
	  DRIFT_RULE("host.drift.ssh_keys", "high", "T1098.004",
	      "SSH authorized keys written",
	      "An authorized_keys file was added or changed:",
	      "x.change != 'D' AND x.base IN ('authorized_keys', "
	      "'authorized_keys2')") },
	{ "accounts",
	  DRIFT_RULE("host.drift.accounts", "high", "T1136.001,T1548.003",
	      "Accounts or sudo rules changed",
	      "The account databases or sudo rules changed:",
	      "x.change != 'D' AND x.type = 'file' AND (x.path IN "
	      "('/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', "
	      "'/etc/sudoers') OR x.path GLOB '/etc/sudoers.d/*')") },
	{ "web shells",
	  DRIFT_RULE("host.drift.webshell", "high", "T1505.003",
	      "Scripts written under a web root",
	      "Server-side scripts (PHP, JSP, ASP, CGI) were added or changed "
	      "where a web server serves them, as web shells are:",
	      "x.change != 'D' AND x.type = 'file' AND (lower(x.base) GLOB "
	      "'*.php' OR lower(x.base) GLOB '*.php[0-9]' OR lower(x.base) "
	      "GLOB '*.phtml' OR lower(x.base) GLOB '*.jsp' OR lower(x.base) "
	      "GLOB '*.jspx' OR lower(x.base) GLOB '*.asp' OR lower(x.base) "
	      "GLOB '*.aspx' OR lower(x.base) GLOB '*.cgi') AND (x.path GLOB "
	      "'/var/www/*' OR x.path GLOB '/srv/*' OR x.path GLOB "
	      "'/usr/share/nginx/*' OR x.path GLOB '/usr/local/apache2/*' OR "
	      "x.path GLOB '/usr/local/tomcat/webapps/*' OR x.path GLOB "
	      "'/opt/*/webapps/*' OR x.path GLOB '/app/*' OR x.path GLOB "
	      "'/usr/share/html/*')") },
	{ "logs removed",
	  DRIFT_RULE("host.drift.logs_removed", "medium",
	      "T1070.002,T1070.003",
	      "Logs or shell history removed",
	      "Log files or shell history were deleted or emptied:",
	      "x.type IS NOT 'dir' AND (x.change = 'D' OR (x.change = 'C' "
	      "AND x.size = 0)) AND (x.path GLOB '/var/log/*' OR x.base IN "
	      "('.bash_history', '.ash_history', '.sh_history', "
	      "'.zsh_history', '.python_history', 'wtmp', 'btmp', "
	      "'lastlog'))") },
	{ "k8s exec",
	  "SELECT 'host.k8s.exec', 'high', 'T1609', NULL, "
	  "'Command run in pod ' || coalesce(k.namespace || '/', '') || "
	  "coalesce(k.name, '?') || ' by ' || coalesce(k.user, '?'), "
	  "'The Kubernetes API server allowed ' || " K8S_WHO " || coalesce("
	  "' from ' || k.source_ip, '') || ': an interactive way into a "
	  "running container.', 'k8s_audit', " K8S_KEY ", NULL, NULL, NULL, "
	  "NULL, k.ts FROM k8s_audit k WHERE k.verb IN ('create', 'get') AND "
	  "k.resource = 'pods' AND k.subresource IN ('exec', 'attach') AND "
	  K8S_OK " AND (k.stage IS NULL OR k.stage IN ('ResponseComplete', "
	  "'ResponseStarted')) ORDER BY k.ts, k.artifact_id, k.seq" },
	{ "k8s privileged pod",
	  "SELECT 'host.k8s.privileged_pod', 'high', 'T1610,T1611', NULL, "
	  "'Privileged or host-namespace ' || k.resource || ' ' || " PAST
	  " || ' in ' || coalesce(k.namespace, '?'), "
	  "' ' || " K8S_WHO " || ' with ' || trim("
	  "CASE WHEN k.privileged = 1 THEN 'privileged containers, ' ELSE '' "
	  "END || CASE WHEN k.host_pid = 1 THEN 'hostPID, ' ELSE '' END || "
	  "CASE WHEN k.host_network = 1 THEN 'hostNetwork, ' ELSE '' END || "
	  "CASE WHEN k.host_ipc = 1 THEN 'hostIPC, ' ELSE '' END, ', ') || "
	  "coalesce(' (images ' || k.images || ')', '') || '.', "
	  "'k8s_audit', " K8S_KEY ", NULL, NULL, NULL, NULL, k.ts "
	  "FROM k8s_audit k WHERE k.verb IN ('create', 'update', 'patch') AND "
	  "(k.privileged = 1 OR k.host_pid = 1 OR k.host_network = 1 OR "
	  "k.host_ipc = 1) AND " K8S_OK " ORDER BY k.ts, k.artifact_id, k.seq" },
	{ "k8s sensitive mount",
	  "SELECT 'host.k8s.sensitive_mount', 'high', 'T1611', NULL, "
	  "'Host path mounted into a ' || k.resource || ' in ' || "
	  "coalesce(k.namespace, '?'), ' ' || " K8S_WHO " || ' mounting "
	  "the host''s ' || k.host_paths || '.', 'k8s_audit', " K8S_KEY ", "
	  "NULL, NULL, NULL, NULL, k.ts FROM k8s_audit k WHERE k.verb IN "
	  "('create', 'update', 'patch') AND " K8S_OK " AND "
	  SENSITIVE("k.host_paths") " ORDER BY k.ts, k.artifact_id, k.seq" },
	{ "manifest privileged",
	  "SELECT 'host.k8s.manifest.privileged', 'high', 'T1610,T1611', NULL, "
	  "'Privileged or host-namespace ' || o.kind || ' ' || "
	  "coalesce(o.namespace || '/', '') || coalesce(o.name, '?') || ' in "
	  "a manifest', 'The manifest (' || a.name || coalesce(', line ' || "
	  "o.line, '') || ') runs ' || trim(CASE WHEN o.privileged = 1 THEN "
	  "'privileged containers, ' ELSE '' END || CASE WHEN o.host_pid = 1 "
	  "THEN 'in the host''s pid namespace, ' ELSE '' END || CASE WHEN "
	  "o.host_network = 1 THEN 'on the host''s network, ' ELSE '' END || "
	  "CASE WHEN o.host_ipc = 1 THEN 'in the host''s ipc namespace, ' "
	  "ELSE '' END, ', ') || coalesce(' (images ' || o.images || ')', '') "
	  "|| coalesce(', adding ' || o.caps_add, '') || '.', 'k8s_objects', "
	  "o.key, NULL, NULL, NULL, NULL FROM k8s_objects o JOIN artifacts a "
	  "ON a.id = o.artifact_id WHERE o.privileged = 1 OR o.host_pid = 1 "
	  "OR o.host_network = 1 OR o.host_ipc = 1 ORDER BY o.artifact_id, "
	  "o.seq" },
	{ "manifest sensitive mount",
	  "SELECT 'host.k8s.manifest.sensitive_mount', 'high', 'T1611', NULL, "
	  "'Host path mounted by ' || o.kind || ' ' || coalesce(o.namespace "
	  "|| '/', '') || coalesce(o.name, '?') || ' in a manifest', 'The "
	  "manifest (' || a.name || coalesce(', line ' || o.line, '') || ') "
	  "mounts the host''s ' || o.host_paths || '.', 'k8s_objects', o.key, "
	  "NULL, NULL, NULL, NULL FROM k8s_objects o JOIN artifacts a ON a.id "
	  "= o.artifact_id WHERE " SENSITIVE("o.host_paths") " ORDER BY "
	  "o.artifact_id, o.seq" },
	{ "k8s secret read",
	  "SELECT 'host.k8s.secret_read', 'medium', 'T1552.007', NULL, "
	  "CASE WHEN k.resource = 'secrets' THEN 'Secrets read by ' ELSE "
	  "'Service-account token requested by ' END || coalesce(k.user, "
	  "'?'), ' ' || " K8S_WHO " || coalesce(' from ' || k.source_ip, '') "
	  "|| ': credentials that open the cluster further.', 'k8s_audit', "
	  K8S_KEY ", NULL, NULL, NULL, NULL, k.ts FROM k8s_audit k WHERE "
	  K8S_OK " AND ((k.resource = 'secrets' AND k.verb IN ('get', "
	  "'list', 'watch')) OR (k.resource = 'serviceaccounts' AND "
	  "k.subresource = 'token' AND k.verb = 'create')) AND coalesce(k.user, "
	  "'') NOT GLOB 'system:*' ORDER BY k.ts, k.artifact_id, k.seq" },
	{ "k8s role binding",
	  "SELECT 'host.k8s.role_binding', 'high', 'T1098.006', NULL, "
	  "'Cluster role binding ' || coalesce(k.name, '?') || ' ' || " PAST
	  " || ' by ' || coalesce(k.user, '?'), ' ' || " K8S_WHO " || ': a "
	  "new grant of cluster-wide rights.', 'k8s_audit', " K8S_KEY ", NULL, "
	  "NULL, NULL, NULL, k.ts FROM k8s_audit k WHERE k.resource = "
	  "'clusterrolebindings' AND k.verb IN ('create', 'update', 'patch') "
	  "AND " K8S_OK " ORDER BY k.ts, k.artifact_id, k.seq" },
	{ "log reverse shell",
	  LOG_RULE("host.log.revshell", "high", "T1059.004",
	      "Reverse shell in a container''s output",
	      "The container''s log shows reverse-shell commands:",
	      W_REVSHELL) },
	{ "log download and execute",
	  LOG_RULE("host.log.download_exec", "high", "T1105,T1059.004",
	      "Download and execute in a container''s output",
	      "The container''s log shows a file fetched and run:",
	      W_DOWNLOAD) },
	{ "log shell prompt",
	  LOG_RULE("host.log.shell_prompt", "medium", "T1059.004",
	      "Interactive shell prompts in a container''s output",
	      "The container''s log holds shell prompts (someone typed "
	      "commands at a shell whose output the runtime kept):",
	      W_PROMPT) },
	{ "log error burst",
	  "WITH s AS (SELECT l.container_id AS cid, (max(l.ts) - min(l.ts)) / "
	  "60000000000 + 1 AS minutes FROM logs l WHERE l.ts IS NOT NULL "
	  "GROUP BY l.container_id), "
	  "m AS (SELECT l.container_id AS cid, l.ts / 60000000000 AS minute, "
	  "count(*) AS n, min(l.ts) AS first FROM logs l WHERE l.stream = "
	  "'stderr' AND l.ts IS NOT NULL GROUP BY 1, 2), "
	  "b AS (SELECT m.* FROM m JOIN s ON s.cid IS m.cid WHERE m.n >= 20 "
	  "AND m.n * s.minutes >= 5 * (SELECT sum(x.n) FROM m x WHERE x.cid "
	  "IS m.cid)), "
	  "c AS (SELECT b.cid, b.first, b.n, (SELECT min(l.ts) FROM logs l "
	  "WHERE l.container_id IS b.cid AND l.ts >= b.first AND l.ts <= "
	  "b.first + 3600000000000 AND (" W_REVSHELL " OR " W_DOWNLOAD " OR "
	  W_PROMPT ")) AS sign FROM b) "
	  "SELECT 'host.log.error_burst', 'medium', 'T1190', c.cid, 'A burst "
	  "of errors, then signs of compromise (' || coalesce(" CNAME("c.cid")
	  ", 'unknown container') || ')', 'The container wrote ' || c.n || ' "
	  "lines to stderr in the minute from ' || " TIME("c.first") " || ' "
	  "(at least five times its usual rate), and within the hour its "
	  "output shows a shell, a reverse shell or a download and execute "
	  "(from ' || " TIME("c.sign") " || '): probing or exploitation "
	  "before the compromise.', 'logs', (SELECT l.artifact_id || ':' || "
	  "l.seq FROM logs l WHERE l.container_id IS c.cid AND l.stream = "
	  "'stderr' AND l.ts >= c.first ORDER BY l.ts, l.artifact_id, l.seq "
	  "LIMIT 1), NULL, NULL, NULL, NULL, c.first FROM c WHERE c.sign IS "
	  "NOT NULL AND c.first = (SELECT min(y.first) FROM c y WHERE y.cid "
	  "IS c.cid AND y.sign IS NOT NULL) ORDER BY c.cid" },
	{ "audit login brute force",
	  "WITH f AS (SELECT u.*, coalesce(nullif(u.remote_addr, '?'), "
	  "u.hostname, '?') AS src FROM audit u WHERE u.type IN ('USER_AUTH', "
	  "'USER_LOGIN', 'USER_ERR', 'USER_ACCT') AND u.success = 0), "
	  "w AS (SELECT a.src, a.ts, (SELECT count(*) FROM f b WHERE b.src = "
	  "a.src AND b.ts BETWEEN a.ts AND a.ts + 600000000000) AS n, "
	  "(SELECT count(DISTINCT coalesce(b.acct, '?')) FROM f b WHERE b.src "
	  "= a.src AND b.ts BETWEEN a.ts AND a.ts + 600000000000) AS accts, "
	  "a.artifact_id || ':' || a.seq AS key FROM f a) "
	  "SELECT 'host.audit.login_bruteforce', 'high', 'T1110', NULL, "
	  "'Failed logins from ' || w.src, w.n || ' failed authentications "
	  "or logins from ' || w.src || ' for ' || w.accts || ' account(s) "
	  "within 10 minutes from ' || " TIME("w.ts") " || ' (audit log).', "
	  "'audit', w.key, NULL, NULL, NULL, NULL, w.ts FROM w WHERE w.n >= "
	  "10 AND w.ts = (SELECT min(x.ts) FROM w x WHERE x.src = w.src AND "
	  "x.n >= 10) GROUP BY w.src ORDER BY w.src" },
	{ "audit remote root login",
	  "SELECT 'host.audit.root_login', 'medium', 'T1078.003', NULL, "
	  "'root logged in from ' || u.remote_addr, 'A successful login of "
	  "root from ' || u.remote_addr || coalesce(' through ' || u.exe, '') "
	  "|| coalesce(' (' || u.tty || ')', '') || ' at ' || " TIME("u.ts")
	  " || ': remote root logins bypass per-user accountability.', "
	  "'audit', u.artifact_id || ':' || u.seq, NULL, NULL, NULL, NULL, "
	  "u.ts FROM audit u WHERE u.type = 'USER_LOGIN' AND u.success = 1 "
	  "AND (u.acct = 'root' OR (u.acct IS NULL AND u.uid = 0 AND u.auid = "
	  "0)) AND u.remote_addr IS NOT NULL AND u.remote_addr NOT IN ('?', "
	  "'127.0.0.1', '::1', '') ORDER BY u.ts, u.artifact_id, u.seq" },
	{ "daemon tcp without tls",
	  "SELECT 'host.daemon.tcp_no_tls', 'critical', 'T1133,T1609', NULL, "
	  "'dockerd listens on ' || h.value || ' without TLS verification', "
	  "'The Docker daemon accepts API calls on ' || h.value || ' (' || "
	  "h.source || ') without --tlsverify: anyone who reaches the port "
	  "runs containers as root on the host.', 'daemon_settings', h.key_id, "
	  "NULL, NULL, NULL, NULL "
	  "FROM (SELECT s.*, s.artifact_id || ':' || s.seq AS key_id FROM "
	  "daemon_settings s) h WHERE h.key = 'hosts' AND (h.value GLOB "
	  "'tcp://*' OR h.value GLOB 'fd://*:*') AND h.value NOT GLOB "
	  "'tcp://127.*' AND h.value NOT GLOB 'tcp://localhost*' AND NOT "
	  "EXISTS (SELECT 1 FROM daemon_settings t WHERE t.artifact_id = "
	  "h.artifact_id AND t.key = 'tlsverify' AND t.value IN ('true', "
	  "'1')) ORDER BY h.artifact_id, h.seq" },
	{ "daemon insecure registries",
	  "SELECT 'host.daemon.insecure_registry', 'medium', 'T1195.002', "
	  "NULL, 'Insecure registry ' || s.value, 'The Docker daemon pulls "
	  "from ' || s.value || ' over plain HTTP or without verifying its "
	  "certificate (' || s.source || '): images from it can be swapped "
	  "in transit.', 'daemon_settings', s.artifact_id || ':' || s.seq, "
	  "NULL, NULL, NULL, NULL FROM daemon_settings s WHERE s.key = "
	  "'insecure-registries' AND s.value NOT GLOB '127.*' AND s.value NOT "
	  "GLOB 'localhost*' AND s.value NOT GLOB '::1*' ORDER BY "
	  "s.artifact_id, s.seq" },
	{ "daemon userns off",
	  "SELECT 'host.daemon.userns_off', 'high', 'T1611', NULL, "
	  "'No user-namespace remapping while privileged containers run', "
	  "'No Docker daemon configuration in the case (' || (SELECT "
	  "group_concat(name, ', ') FROM artifacts WHERE id IN (SELECT "
	  "artifact_id FROM daemon_settings)) || ') sets userns-remap, and ' "
	  "|| (SELECT count(*) FROM containers c WHERE c.privileged = 1) || "
	  "' privileged container(s) are in the case (' || (SELECT "
	  "group_concat(coalesce(c.name, substr(c.id, 1, 12)), ', ') FROM "
	  "containers c WHERE c.privileged = 1) || '): root in them is root "
	  "on the host.', 'artifacts', a.id, NULL, NULL, NULL, NULL "
	  "FROM artifacts a WHERE a.id = (SELECT min(artifact_id) FROM "
	  "daemon_settings) AND NOT EXISTS (SELECT 1 FROM daemon_settings s "
	  "WHERE s.key = 'userns-remap' AND s.value NOT IN ('', 'false')) AND "
	  "EXISTS (SELECT 1 FROM containers c WHERE c.privileged = 1)" },
};

/* ---- content rules over drift ---- */

struct host_file { /* one added or changed file with stored content */
	const char *key, *cid, *path, *sha;
	int64_t blob_id, off, size;
};

struct host_scan {
	struct an_ctx *ctx;
	struct host_file *f;
	size_t n, cap;
	struct content_rules cr;
	bool *hit;	/* per rule, for the file being scanned */
};

static int
host_file_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct host_scan *hs = user;
	struct arena *a = hs->ctx->arena;
	struct host_file *f;

	(void)e;
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? hs->cap * 2 : 64;
		hs->f = xreallocarray(hs->f, hs->cap, sizeof(*hs->f));
	}
	f = &hs->f[hs->n++];
	f->key = arena_strdup(a, rowq_text(r, 0));
	f->cid = arena_strdup(a, rowq_text(r, 1));
	f->path = arena_strdup(a, rowq_text(r, 2));
	f->sha = rowq_null(r, 3) ? "" : arena_strdup(a, rowq_text(r, 3));
	f->blob_id = rowq_int(r, 4);
	f->off = rowq_int(r, 5);
	f->size = rowq_int(r, 6);
	return 0;
}

static int
host_yara_cb(YR_SCAN_CONTEXT *context, int message, void *data, void *user)
{
	struct host_scan *hs = user;
	YR_RULE *rule = data;
	size_t idx;

	(void)context;
	if (message != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	idx = (size_t)(rule - hs->cr.rules->rules_table);
	if (idx < hs->cr.nyr && hs->cr.yr[idx].report)
		hs->hit[idx] = true;
	return CALLBACK_CONTINUE;
}

/* One finding per file and matching rule. */
static int
host_scan_emit(struct host_scan *hs, const struct host_file *f)
{
	struct arena *a = hs->ctx->arena;
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < hs->cr.nyr; i++) {
		const struct an_layers_yrule *y = &hs->cr.yr[i];
		const char *attack[8];
		struct finding fd;
		struct finding_ref ev[1];
		if (!hs->hit[i])
			continue;
		memset(&fd, 0, sizeof(fd));
		fd.nattack = finding_attack_split(a, y->attack, attack,
		    ARRAY_SIZE(attack));
		fd.attack = attack;
		/* "layers.miner.xmrig" -> "host.drift.miner.xmrig" */
		fd.rule = arena_printf(a, "host.drift.%s", y->id + 7);
		fd.severity = y->sev;
		fd.confidence = 1.0;
		fd.container_id = f->cid;
		fd.title = arena_printf(a, "%s dropped in container %.12s: %s",
		    y->title, f->cid, f->path);
		fd.detail = arena_printf(a, "The %s rule %s matched the content "
		    "(sha256 %s, %" PRId64 " bytes) of %s, which the container's "
		    "writable layer added or changed: drydock export-file CASE "
		    "--container %.12s '%s' -o FILE recovers it.",
		    content_rules_kind(y->kind), y->name, f->sha, f->size,
		    f->path, f->cid, f->path);
		ev[0].a = "drift";
		ev[0].b = f->key;
		fd.evidence = ev;
		fd.nevidence = 1;
		rc = an_emit(hs->ctx, &fd);
	}
	return rc;
}

/* Scan every added or changed regular file whose content the case holds
 * with the content rules (loaded only when there is one). */
static int
host_scan(struct an_ctx *ctx, struct dd_err *e)
{
	struct host_scan hs = { .ctx = ctx };
	struct content_reader rd = { .s = ctx->store };
	YR_SCANNER *sc = NULL;
	uint64_t total = 0;
	int rc;

	rc = an_query(ctx,
	    "SELECT key, container_id, path, sha256, blob_id, data_off, size "
	    "FROM drift WHERE change IN ('A', 'C') AND type = 'file' AND "
	    "blob_id IS NOT NULL AND size > 0 ORDER BY blob_id, data_off",
	    NULL, 0, host_file_row, &hs, e);
	if (rc < 0 || hs.n == 0)
		goto out;
	if ((rc = content_rules_load(&hs.cr, e)) < 0)
		goto out;
	if (yr_scanner_create(hs.cr.rules, &sc) != ERROR_SUCCESS) {
		rc = dd_err_set(e, DD_EINTERNAL, "yara: no scanner");
		goto out;
	}
	yr_scanner_set_callback(sc, host_yara_cb, &hs);
	yr_scanner_set_flags(sc, 0);
	yr_scanner_set_timeout(sc, 60);
	hs.hit = xcalloc(MAX(hs.cr.nyr, (size_t)1), sizeof(*hs.hit));
	for (size_t i = 0; i < hs.n && total < HOST_SCAN_TOTAL_MAX; i++) {
		const struct host_file *f = &hs.f[i];
		const char *base = strrchr(f->path, '/'), *dot;
		size_t n = (size_t)MIN((uint64_t)f->size, HOST_SCAN_FILE_MAX);
		base = base ? base + 1 : f->path;
		dot = strrchr(base, '.');
		if ((rc = content_read(&rd, f->blob_id, (uint64_t)f->off, n, &n,
			 e)) < 0)
			break;
		total += n;
		if (yr_scanner_define_string_variable(sc, "filename", base) !=
			ERROR_SUCCESS ||
		    yr_scanner_define_string_variable(sc, "extension",
			dot != NULL && dot != base ? dot + 1 : "") !=
			ERROR_SUCCESS) {
			rc = dd_err_set(e, DD_EINTERNAL, "yara: externals");
			break;
		}
		memset(hs.hit, 0, hs.cr.nyr * sizeof(*hs.hit));
		if (yr_scanner_scan_mem(sc, rd.buf, n) == ERROR_SUCCESS &&
		    (rc = host_scan_emit(&hs, f)) < 0)
			break;
	}
out:
	if (sc != NULL)
		yr_scanner_destroy(sc);
	content_reader_release(&rd);
	content_rules_free(&hs.cr);
	free(hs.hit);
	free(hs.f);
	return rc;
}

static int
host_finish(struct an_ctx *ctx, struct dd_err *e)
{
	int rc;

	if ((rc = sqlrule_run(ctx, host_rules, ARRAY_SIZE(host_rules), e)) <
	    0)
		return rc;
	return host_scan(ctx, e);
}

/* The SQL rules and the content rules, hashed into custody. */
static const char *
host_rules_text(void)
{
	static struct sbuf out = SBUF_INIT;

	sbuf_reset(&out);
	sbuf_addstr(&out, sqlrule_text("host", host_rules,
			      ARRAY_SIZE(host_rules)));
	sbuf_addf(&out, "drift scan caps: file %" PRIu64 ", run %" PRIu64 "\n",
	    HOST_SCAN_FILE_MAX, HOST_SCAN_TOTAL_MAX);
	sbuf_addstr(&out, content_rules_text());
	return out.buf;
}

const struct analyzer an_host = {
	.abi = ANALYZER_ABI,
	.name = "host",
	.version = "1.0",
	.summary = "host runtime evidence: a container's drift (new or changed "
		   "executables, miners, persistence, web shells, removed "
		   "logs), Kubernetes audit (exec, privileged pods, host "
		   "mounts, secrets, role bindings), container logs (reverse "
		   "shells, download and execute, prompts), dockerd settings; "
		   "content rules (YARA) over drift",
	.needs = AN_NEEDS_PROC,
	.finish = host_finish,
	.rules = host_rules_text,
};
