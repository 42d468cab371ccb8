/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-memory.c: signs of injected code and implants in process memory
 * (cores, /proc snapshots): T1055 process injection, T1620 reflective
 * code loading, T1574.006 dynamic linker hijacking.
 *
 *  memory.rwx_anon        anonymous memory both writable and executable  high
 *                         (JIT runtimes do this too: the detail says so)
 *  memory.elf_anon        an ELF header at a page start of anonymous     high
 *                         memory of a core (a loaded-by-hand binary)
 *  memory.exe.deleted     the executable was deleted or is a memfd       high
 *  memory.map.memfd       executable memory mapped from a memfd          high
 *  memory.exe.tmp         running from /tmp, /var/tmp or /dev/shm        medium
 *  memory.env.ld_preload  LD_PRELOAD in the environment                  high
 *  memory.<rule id>       a content rule (YARA, the rules directory of
 *                         the layer analyzer: miners, reverse shells,
 *                         docker.sock, cloud keys...) matching a core's
 *                         anonymous or writable memory, or environ
 *
 * Segment bytes are read from the core's stored original (mappings
 * data_off/data_size, blobr_pread): at most MEM_SEG_MAX of each segment
 * and MEM_TOTAL_MAX per run, file-backed read-only segments skipped (the
 * files themselves are evidence elsewhere). One finding per (rule,
 * process), the first mapping as evidence.
 */
#include "core/common.h"

#include "analyzers/analyzer.h"
#include "analyzers/content-rules.h"
#include "analyzers/sqlrule.h"
#include "core/arena.h"
#include "core/chunk.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"

#define MEM_SEG_MAX ((uint64_t)64 << 20)
#define MEM_TOTAL_MAX ((uint64_t)2 << 30)

#define PNAME "'Process ' || p.pid || ' (' || coalesce(p.comm, '?') || ')'"

static const struct sqlrule memory_rules[] = {
	{ "anonymous rwx memory",
	  "SELECT 'memory.rwx_anon', 'high', 'T1055,T1620', p.container_id, "
	  PNAME " || ' has ' || count(*) || ' anonymous writable and executable "
	  "mapping' || CASE WHEN count(*) > 1 THEN 's' ELSE '' END, "
	  "'Memory both writable and executable and backed by no file, first "
	  "at ' || min(m.start) || ' (' || m.source || '): where injected or "
	  "unpacked code runs. JIT runtimes (Java, V8, LuaJIT) also make such "
	  "mappings; check the executable (' || coalesce(p.exe, '?') || ').', "
	  "'mappings', m.artifact_id || ':' || m.pid || ':' || min(m.seq), "
	  "'processes', p.id "
	  "FROM mappings m JOIN processes p ON p.id = m.process_id "
	  "WHERE substr(m.perms, 1, 3) = 'rwx' AND (m.path IS NULL OR m.path "
	  "= '' OR m.path IN ('[heap]', '[stack]') OR m.path LIKE '[anon%') "
	  "GROUP BY p.id ORDER BY p.id" },
	{ "deleted or memfd executables",
	  "SELECT 'memory.exe.deleted', 'high', 'T1620,T1070.004', "
	  "p.container_id, " PNAME " || ' runs a ' || CASE WHEN p.exe LIKE "
	  "'/memfd:%' THEN 'memfd' ELSE 'deleted' END || ' executable', "
	  "'Its executable is ' || p.exe || ': the file on disk is gone (or "
	  "never existed), as when a dropper deletes itself or runs from "
	  "memory.', 'processes', p.id "
	  "FROM processes p WHERE p.exe LIKE '% (deleted)' OR p.exe LIKE "
	  "'/memfd:%' ORDER BY p.id" },
	{ "executable memfd mappings",
	  "SELECT 'memory.map.memfd', 'high', 'T1620', p.container_id, "
	  PNAME " || ' maps a memfd executable', 'Executable memory from ' || "
	  "min(m.path) || ': code loaded from an anonymous in-memory file.', "
	  "'mappings', m.artifact_id || ':' || m.pid || ':' || min(m.seq), "
	  "'processes', p.id FROM mappings m JOIN processes p ON p.id = "
	  "m.process_id WHERE m.path LIKE '/memfd:%' AND substr(m.perms, 3, "
	  "1) = 'x' GROUP BY p.id ORDER BY p.id" },
	{ "executables in temporary directories",
	  "SELECT 'memory.exe.tmp', 'medium', 'T1059', p.container_id, "
	  PNAME " || ' runs from ' || rtrim(substr(p.exe, 1, instr(substr(p.exe, "
	  "2), '/') + 1), '/'), 'Its executable is ' || p.exe || ': "
	  "world-writable temporary directories are where droppers put "
	  "payloads.', 'processes', p.id FROM processes p WHERE p.exe LIKE "
	  "'/tmp/%' OR p.exe LIKE '/var/tmp/%' OR p.exe LIKE '/dev/shm/%' "
	  "ORDER BY p.id" },
	{ "LD_PRELOAD",
	  "SELECT 'memory.env.ld_preload', 'high', 'T1574.006', "
	  "p.container_id, " PNAME " || ' runs with LD_PRELOAD', 'LD_PRELOAD=' || "
	  "v.value || ' loads that library into the process before any "
	  "other: the classic user-land rootkit and credential hook.', "
	  "'environ', v.artifact_id || ':' || v.pid || ':' || v.seq, "
	  "'processes', p.id FROM environ v JOIN processes p ON p.id = "
	  "v.process_id WHERE v.name = 'LD_PRELOAD' AND coalesce(v.value, '') "
	  "<> '' GROUP BY p.id ORDER BY p.id" },
};

/* One segment of a core to read. */
struct mem_seg {
	int64_t artifact_id, pid, seq, process_id, blob_id;
	int64_t off, size;
	const char *start, *container, *comm, *path;
	bool anon;
};

/* One content hit. */
struct mem_hit {
	int64_t process_id;
	size_t rule;
	const char *what;	/* "mapping at START" / "environ NAME" */
	const char *ev_rel, *ev_key;
	const char *container, *comm;
	int64_t pid;
};

struct mem_st {
	struct an_ctx *ctx;
	struct content_rules cr;
	bool rules_up;
	YR_SCANNER *scanner;
	struct mem_seg *seg;
	size_t nseg, aseg;
	struct mem_hit *hit;
	size_t nhit, ahit;
	const struct mem_seg *cur_seg;	/* being scanned */
	const char *cur_what, *cur_rel, *cur_key, *cur_ctr, *cur_comm;
	int64_t cur_proc, cur_pid;
};

static int
mem_seg_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct mem_st *st = user;
	struct arena *a = st->ctx->arena;
	struct mem_seg *g;

	(void)e;
	if (st->nseg == st->aseg) {
		st->aseg = st->aseg ? st->aseg * 2 : 64;
		st->seg = xreallocarray(st->seg, st->aseg, sizeof(*st->seg));
	}
	g = &st->seg[st->nseg++];
	g->artifact_id = rowq_int(r, 0);
	g->pid = rowq_int(r, 1);
	g->seq = rowq_int(r, 2);
	g->process_id = rowq_int(r, 3);
	g->blob_id = rowq_int(r, 4);
	g->off = rowq_int(r, 5);
	g->size = rowq_int(r, 6);
	g->start = arena_strdup(a, rowq_text(r, 7));
	g->container = rowq_null(r, 8) ? NULL : arena_strdup(a, rowq_text(r, 8));
	g->comm = arena_strdup(a, rowq_text(r, 9));
	g->path = rowq_null(r, 10) ? NULL : arena_strdup(a, rowq_text(r, 10));
	g->anon = rowq_null(r, 10) || rowq_text(r, 10)[0] == '[';
	return 0;
}

static void
mem_hit_add(struct mem_st *st, size_t rule)
{
	struct mem_hit *h;

	for (size_t i = 0; i < st->nhit; i++)
		if (st->hit[i].process_id == st->cur_proc &&
		    st->hit[i].rule == rule)
			return;
	if (st->nhit == st->ahit) {
		st->ahit = st->ahit ? st->ahit * 2 : 32;
		st->hit = xreallocarray(st->hit, st->ahit, sizeof(*st->hit));
	}
	h = &st->hit[st->nhit++];
	h->process_id = st->cur_proc;
	h->rule = rule;
	h->what = st->cur_what;
	h->ev_rel = st->cur_rel;
	h->ev_key = st->cur_key;
	h->container = st->cur_ctr;
	h->comm = st->cur_comm;
	h->pid = st->cur_pid;
}

static int
mem_yara_cb(YR_SCAN_CONTEXT *context, int message, void *data, void *user)
{
	struct mem_st *st = user;
	YR_RULE *rule = data;
	size_t idx;

	(void)context;
	if (message != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	idx = (size_t)(rule - st->cr.rules->rules_table);
	if (idx < st->cr.nyr && st->cr.yr[idx].report)
		mem_hit_add(st, idx);
	return CALLBACK_CONTINUE;
}

/* ELF headers at page starts of an anonymous segment: one finding. */
static int
mem_elf(struct mem_st *st, const struct mem_seg *g, const uint8_t *b,
    size_t n)
{
	struct arena *a = st->ctx->arena;
	struct finding f;
	struct finding_ref ev[2];
	static const char *const attack[] = { "T1620" };
	size_t at;

	if (g->path != NULL && strcmp(g->path, "[vdso]") == 0)
		return 0; /* the kernel's own ELF image */
	for (at = 0; at + 4 <= n; at += 4096)
		if (memcmp(b + at, "\177ELF", 4) == 0)
			break;
	if (at + 4 > n)
		return 0;
	memset(&f, 0, sizeof(f));
	f.rule = "memory.elf_anon";
	f.severity = SEV_HIGH;
	f.confidence = 1.0;
	f.attack = attack;
	f.nattack = 1;
	f.container_id = g->container;
	f.title = arena_printf(a, "Process %" PRId64 " (%s) holds an ELF "
	    "image in anonymous memory", g->pid, g->comm);
	f.detail = arena_printf(a, "An ELF header at offset %zu of the "
	    "anonymous mapping at %s, which no file backs: a binary loaded "
	    "by hand (reflective loading, a packer, an injected payload).",
	    at, g->start);
	ev[0].a = "mappings";
	ev[0].b = arena_printf(a, "%" PRId64 ":%" PRId64 ":%" PRId64,
	    g->artifact_id, g->pid, g->seq);
	ev[1].a = "processes";
	ev[1].b = arena_printf(a, "%" PRId64, g->process_id);
	f.evidence = ev;
	f.nevidence = 2;
	return an_emit(st->ctx, &f);
}

static int
mem_env_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct mem_st *st = user;
	struct arena *a = st->ctx->arena;
	const char *v = rowq_text(r, 4);

	(void)e;
	st->cur_proc = rowq_int(r, 0);
	st->cur_pid = rowq_int(r, 1);
	st->cur_ctr = rowq_null(r, 5) ? NULL : arena_strdup(a, rowq_text(r, 5));
	st->cur_comm = arena_strdup(a, rowq_text(r, 6));
	st->cur_what = arena_printf(a, "the environment variable %s",
	    rowq_text(r, 3));
	st->cur_rel = "environ";
	st->cur_key = arena_printf(a, "%" PRId64 ":%" PRId64 ":%" PRId64,
	    rowq_int(r, 7), st->cur_pid, rowq_int(r, 2));
	yr_scanner_scan_mem(st->scanner, (const uint8_t *)v, strlen(v));
	return 0;
}

static int
mem_scan(struct mem_st *st, struct dd_err *e)
{
	struct arena *a = st->ctx->arena;
	struct content_reader rd = { .s = st->ctx->store };
	uint64_t total = 0;
	size_t i;
	int rc;

	rc = an_query(st->ctx,
	    "SELECT m.artifact_id, m.pid, m.seq, m.process_id, a.blob_id, "
	    "m.data_off, m.data_size, m.start, p.container_id, "
	    "coalesce(p.comm, '?'), m.path "
	    "FROM mappings m JOIN artifacts a ON a.id = m.artifact_id "
	    "JOIN processes p ON p.id = m.process_id "
	    "WHERE m.source = 'core' AND m.data_off IS NOT NULL AND "
	    "m.data_size > 0 AND a.blob_id IS NOT NULL AND (m.path IS NULL "
	    "OR m.path LIKE '[%' OR substr(m.perms, 2, 1) = 'w') "
	    "ORDER BY m.artifact_id, m.pid, m.seq",
	    NULL, 0, mem_seg_row, st, e);
	for (i = 0; rc >= 0 && i < st->nseg && total < MEM_TOTAL_MAX; i++) {
		const struct mem_seg *g = &st->seg[i];
		size_t n = (size_t)MIN((uint64_t)g->size, MEM_SEG_MAX);

		if ((rc = content_read(&rd, g->blob_id, (uint64_t)g->off, n,
			 &n, e)) < 0)
			break;
		total += n;
		if (g->anon && (rc = mem_elf(st, g, rd.buf, n)) < 0)
			break;
		st->cur_proc = g->process_id;
		st->cur_pid = g->pid;
		st->cur_ctr = g->container;
		st->cur_comm = g->comm;
		st->cur_what = arena_printf(a, "memory at %s%s%s", g->start,
		    g->path ? " " : "", g->path ? g->path : "");
		st->cur_rel = "mappings";
		st->cur_key = arena_printf(a, "%" PRId64 ":%" PRId64 ":%" PRId64,
		    g->artifact_id, g->pid, g->seq);
		yr_scanner_scan_mem(st->scanner, rd.buf, n);
	}
	content_reader_release(&rd);
	if (rc < 0)
		return rc;
	return an_query(st->ctx,
	    "SELECT v.process_id, v.pid, v.seq, v.name, v.value, "
	    "p.container_id, coalesce(p.comm, '?'), v.artifact_id "
	    "FROM environ v JOIN processes p ON p.id = v.process_id "
	    "WHERE v.value IS NOT NULL AND v.value <> '' "
	    "ORDER BY v.artifact_id, v.pid, v.seq",
	    NULL, 0, mem_env_row, st, e);
}

static int
mem_emit_hits(struct mem_st *st)
{
	struct arena *a = st->ctx->arena;
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < st->nhit; i++) {
		const struct mem_hit *h = &st->hit[i];
		const struct an_layers_yrule *y = &st->cr.yr[h->rule];
		const char *attack[8];
		struct finding f;
		struct finding_ref ev[2];

		memset(&f, 0, sizeof(f));
		f.nattack = finding_attack_split(a, y->attack, attack,
		    ARRAY_SIZE(attack));
		f.attack = attack;
		/* "layers.miner.pool_url" -> "memory.miner.pool_url" */
		f.rule = arena_printf(a, "memory.%s", y->id + 7);
		f.severity = y->sev;
		f.confidence = 1.0;
		f.container_id = h->container;
		f.title = arena_printf(a, "%s in the memory of process %" PRId64
		    " (%s)", y->title, h->pid, h->comm);
		f.detail = arena_printf(a, "The %s rule %s matched %s.",
		    content_rules_kind(y->kind), y->name, h->what);
		ev[0].a = h->ev_rel;
		ev[0].b = h->ev_key;
		ev[1].a = "processes";
		ev[1].b = arena_printf(a, "%" PRId64, h->process_id);
		f.evidence = ev;
		f.nevidence = 2;
		rc = an_emit(st->ctx, &f);
	}
	return rc;
}

static void
mem_free(struct mem_st *st)
{
	if (st->scanner != NULL)
		yr_scanner_destroy(st->scanner);
	content_rules_free(&st->cr);
	free(st->seg);
	free(st->hit);
	free(st);
}

static int
memory_init(struct an_ctx *ctx, struct dd_err *e)
{
	struct mem_st *st = xcalloc(1, sizeof(*st));
	int rc;

	st->ctx = ctx;
	if ((rc = content_rules_load(&st->cr, e)) < 0) {
		free(st);
		return rc;
	}
	if (yr_scanner_create(st->cr.rules, &st->scanner) != ERROR_SUCCESS) {
		mem_free(st);
		return dd_err_set(e, DD_EINTERNAL, "yara: no scanner");
	}
	yr_scanner_set_callback(st->scanner, mem_yara_cb, st);
	yr_scanner_set_flags(st->scanner, 0);
	yr_scanner_set_timeout(st->scanner, 60);
	ctx->state = st;
	return 0;
}

static void
memory_fini(struct an_ctx *ctx)
{
	if (ctx->state != NULL)
		mem_free(ctx->state);
	ctx->state = NULL;
}

static int
memory_finish(struct an_ctx *ctx, struct dd_err *e)
{
	struct mem_st *st = ctx->state;
	int rc;

	if ((rc = sqlrule_run(ctx, memory_rules, ARRAY_SIZE(memory_rules),
		 e)) < 0 ||
	    (rc = mem_scan(st, e)) < 0)
		return rc;
	return mem_emit_hits(st);
}

/* The SQL rules and the content rules, hashed into custody. */
static const char *
memory_rules_text(void)
{
	static struct sbuf out = SBUF_INIT;

	sbuf_reset(&out);
	sbuf_addstr(&out, sqlrule_text("memory", memory_rules,
			      ARRAY_SIZE(memory_rules)));
	sbuf_addf(&out, "segment cap %" PRIu64 ", run cap %" PRIu64 "\n",
	    MEM_SEG_MAX, MEM_TOTAL_MAX);
	sbuf_addstr(&out, content_rules_text());
	return out.buf;
}

const struct analyzer an_memory = {
	.abi = ANALYZER_ABI,
	.name = "memory",
	.version = "1.0",
	.summary = "process memory (cores, /proc snapshots): anonymous RWX, "
		   "ELF images in anonymous memory, deleted or memfd "
		   "executables, /tmp executables, LD_PRELOAD, content rules "
		   "(YARA) over memory and environ",
	.needs = AN_NEEDS_PROC,
	.init = memory_init,
	.finish = memory_finish,
	.fini = memory_fini,
	.rules = memory_rules_text,
};
