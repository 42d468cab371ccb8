/* SPDX-License-Identifier: Apache-2.0 */
/* attrib.c: container attribution across artifacts (see attrib.h). */
#include "core/common.h"

#include "core/attrib.h"
#include "core/dderr.h"
#include "core/store.h"

static const char attrib_sql[] =
    "DELETE FROM attribution;"
    /* 1. the pid a running container's inspect output names */
    "INSERT OR IGNORE INTO attribution(process_id, container_id, rule) "
    "SELECT p.id, min(m.container_id), 'inspect_pid' "
    "FROM process_all p "
    "JOIN artifact_all a ON a.id = p.artifact_id AND a.state = 'complete' "
    "JOIN procinfo_all i ON i.artifact_id = p.artifact_id AND i.pid = p.pid "
    "JOIN container_meta_all m ON m.pid = p.pid AND m.pid > 0 AND "
    "     (m.state IS NULL OR lower(m.state) IN ('running', "
    "      'container_running', 'paused')) "
    "JOIN artifact_all b ON b.id = m.artifact_id AND b.state = 'complete' "
    "WHERE p.container_id IS NULL GROUP BY p.id;"
    /* 2. the pid, mnt and net namespaces of an attributed process */
    "INSERT OR IGNORE INTO attribution(process_id, container_id, rule) "
    "SELECT p.id, min(coalesce(q.container_id, t.container_id)), "
    "       'namespace' "
    "FROM process_all p "
    "JOIN artifact_all a ON a.id = p.artifact_id AND a.state = 'complete' "
    "JOIN namespace_all n1 ON n1.artifact_id = p.artifact_id AND "
    "     n1.pid = p.pid AND n1.kind = 'pid' AND n1.inode <> 4026531836 "
    "JOIN namespace_all m1 ON m1.artifact_id = p.artifact_id AND "
    "     m1.pid = p.pid AND m1.kind = 'mnt' "
    "JOIN namespace_all x1 ON x1.artifact_id = p.artifact_id AND "
    "     x1.pid = p.pid AND x1.kind = 'net' "
    "JOIN namespace_all n2 ON n2.artifact_id = p.artifact_id AND "
    "     n2.kind = 'pid' AND n2.inode = n1.inode AND n2.pid <> p.pid "
    "JOIN namespace_all m2 ON m2.artifact_id = p.artifact_id AND "
    "     m2.pid = n2.pid AND m2.kind = 'mnt' AND m2.inode = m1.inode "
    "JOIN namespace_all x2 ON x2.artifact_id = p.artifact_id AND "
    "     x2.pid = n2.pid AND x2.kind = 'net' AND x2.inode = x1.inode "
    "JOIN process_all q ON q.artifact_id = p.artifact_id AND q.pid = n2.pid "
    "LEFT JOIN attribution t ON t.process_id = q.id "
    "WHERE p.container_id IS NULL AND "
    "      coalesce(q.container_id, t.container_id) IS NOT NULL "
    "GROUP BY p.id;"
    /* 3. a trace's process with that pid (strace -p of a container's
     * init from the host): artifacts without process_info rows */
    "INSERT OR IGNORE INTO attribution(process_id, container_id, rule) "
    "SELECT p.id, min(m.container_id), 'inspect_pid' "
    "FROM process_all p "
    "JOIN artifact_all a ON a.id = p.artifact_id AND a.state = 'complete' "
    "JOIN container_meta_all m ON m.pid = p.pid AND m.pid > 0 AND "
    "     (m.state IS NULL OR lower(m.state) IN ('running', "
    "      'container_running', 'paused')) "
    "JOIN artifact_all b ON b.id = m.artifact_id AND b.state = 'complete' "
    "WHERE p.container_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
    "      procinfo_all i WHERE i.artifact_id = p.artifact_id) "
    "GROUP BY p.id;"
    /* 4. within a trace, the descendants of an attributed process */
    "INSERT OR IGNORE INTO attribution(process_id, container_id, rule) "
    "WITH RECURSIVE d(id, artifact_id, pid, cid, depth) AS ("
    " SELECT p.id, p.artifact_id, p.pid, t.container_id, 0 "
    " FROM process_all p JOIN attribution t ON t.process_id = p.id "
    " UNION "
    " SELECT c.id, c.artifact_id, c.pid, d.cid, d.depth + 1 "
    " FROM d JOIN process_all c ON c.artifact_id = d.artifact_id AND "
    "      c.ppid = d.pid AND c.id <> d.id "
    " WHERE c.container_id IS NULL AND d.depth < 64 AND NOT EXISTS "
    "      (SELECT 1 FROM procinfo_all i WHERE i.artifact_id = "
    "       c.artifact_id)) "
    "SELECT id, min(cid), 'parent' FROM d WHERE depth > 0 GROUP BY id;";

int
attrib_rebuild(struct store *s, struct dd_err *e)
{
	return store_exec(s, attrib_sql, e);
}
