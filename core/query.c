/* SPDX-License-Identifier: Apache-2.0 */
/*
 * query.c: the read-only query engine; see query.h.
 *
 * The guard has no per-connection memory to own: the authorizer needs
 * none, and the progress handler's argument carries the budget itself
 * (an unsigned stored in the pointer). What one query needs while it runs
 * (when it started, why the authorizer denied it, whether the budget
 * stopped it) lives in a thread-local struct that query_exec() sets up
 * and restores, so nested queries (a row callback that queries again)
 * keep their own state. SQLite calls the authorizer and the progress
 * handler on the thread that prepares or steps, which is the thread that
 * reads this state back.
 *
 * Output formats:
 *   csv    RFC 4180 with minimal quoting: a field is quoted only when it
 *          holds a comma, a double quote, CR or LF; quotes are doubled;
 *          records end in LF; NULL is empty; BLOB is lower-case hex; REAL
 *          is the shortest of %.15g..%.17g that reads back exactly.
 *   json   "[", one object per line, "]"; integers and reals as numbers
 *          (infinities as 1e999 and -1e999, which JSON parsers read as
 *          infinity), NULL as null, BLOB as a hex string; text escaped,
 *          C1 controls and U+2028/U+2029 as \u escapes, invalid UTF-8
 *          bytes as U+FFFD (hex(column) gives the exact bytes).
 *   table  column widths from the first QUERY_TABLE_WINDOW rows, numbers
 *          right-aligned, every value through esc_display().
 */
#include "core/common.h"
#include "core/query.h"

#include <math.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

/* The state of the query running on this thread. */
struct query_tls {
	bool running;	     /* inside query_exec() */
	int64_t start_ms;    /* monotonic start of the query */
	unsigned stopped_ms; /* budget that stopped it, 0 if none */
	char denied[256];    /* why the authorizer denied it, "" if not */
};

static _Thread_local struct query_tls query_tls;

/* Called once the statement is prepared and stepped once, with the
 * columns, whether or not there are rows. */
typedef int (*query_begin_fn)(void *user, int ncol,
    const char *const *names);

/* One output in progress (query_run). */
struct query_out {
	FILE *out;	 /* where rows go (borrowed) */
	int format;	 /* enum query_format */
	bool terminal;	 /* csv: escape all text (out is a terminal) */
	int ncol;	 /* columns of the statement */
	uint64_t rows;	 /* rows written or buffered */
	/* Table format only: */
	char **hdr;	 /* escaped column names (owned) */
	char ***cells;	 /* buffered rows of escaped cells (owned) */
	bool **numeric;	 /* per buffered cell: right-align */
	size_t nbuf;	 /* rows buffered */
	size_t *width;	 /* column display widths once fixed (owned) */
	bool fixed;	 /* header printed, widths fixed */
	struct sbuf tmp; /* scratch for escaping */
};

/* PRAGMAs whose operand names a table or index (or a row limit), which
 * only read. */
static const char *const query_pragma_arg[] = {
	"foreign_key_check",
	"foreign_key_list",
	"index_info",
	"index_list",
	"index_xinfo",
	"integrity_check",
	"quick_check",
	"table_info",
	"table_list",
	"table_xinfo",
	NULL,
};

/* PRAGMAs that read a setting without an operand and would set it with
 * one: allowed only without. */
static const char *const query_pragma_read[] = {
	"application_id",
	"auto_vacuum",
	"collation_list",
	"compile_options",
	"data_version",
	"encoding",
	"freelist_count",
	"function_list",
	"journal_mode",
	"module_list",
	"page_count",
	"page_size",
	"pragma_list",
	"schema_version",
	"user_version",
	NULL,
};

/* Functions no query may call: code loading and file access (edit,
 * readfile and writefile exist in the sqlite3 shell, not the library:
 * denied in case a plugin or a future SQLite registers them). */
static const char *const query_func_denied[] = {
	"edit",
	"fts3_tokenizer",
	"load_extension",
	"readfile",
	"writefile",
	NULL,
};

static bool
query_in(const char *const *list, const char *name)
{
	size_t i;

	if (name == NULL)
		return false;
	for (i = 0; list[i] != NULL; i++)
		if (strcasecmp(list[i], name) == 0)
			return true;
	return false;
}

/* Record why the statement is denied; returns SQLITE_DENY. */
DD_PRINTF(1, 2) static int
query_deny(const char *fmt, ...)
{
	va_list ap;

	if (query_tls.denied[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(query_tls.denied, sizeof(query_tls.denied), fmt, ap);
		va_end(ap);
	}
	return SQLITE_DENY;
}

static int
query_auth_pragma(const char *name, const char *arg)
{
	if (query_in(query_pragma_arg, name))
		return SQLITE_OK;
	if (query_in(query_pragma_read, name)) {
		if (arg == NULL)
			return SQLITE_OK;
		return query_deny("PRAGMA %.64s with a value is not allowed in "
				  "read-only queries (it would change a "
				  "setting)",
		    name);
	}
	return query_deny("PRAGMA %.64s is not allowed in read-only queries",
	    name ? name : "?");
}

static int
query_auth(void *user, int action, const char *a1, const char *a2,
    const char *db, const char *trigger)
{
	const char *what;

	(void)user;
	(void)db;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		/* a2 is the function's name. */
		if (query_in(query_func_denied, a2))
			return query_deny("function %.64s() is not allowed in "
					  "read-only queries",
			    a2);
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		return query_auth_pragma(a1, a2);
	case SQLITE_ATTACH:
		what = "ATTACH";
		break;
	case SQLITE_DETACH:
		what = "DETACH";
		break;
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
	case SQLITE_DELETE:
		/*
		 * SQLite asks to UPDATE sqlite_master when a statement first
		 * uses a virtual table (dbstat, pragma_table_info(), ...),
		 * and CREATE asks to INSERT into it before the CREATE check:
		 * let the schema table pass here. A real write to it is still
		 * refused below (sqlite3_stmt_readonly), by defensive mode and
		 * by SQLITE_OPEN_READONLY; CREATE is denied as CREATE.
		 */
		if (a1 != NULL && (strcasecmp(a1, "sqlite_master") == 0 ||
		    strcasecmp(a1, "sqlite_temp_master") == 0))
			return SQLITE_OK;
		what = action == SQLITE_INSERT ? "INSERT" :
		    action == SQLITE_UPDATE    ? "UPDATE" :
						 "DELETE";
		break;
	case SQLITE_TRANSACTION:
	case SQLITE_SAVEPOINT:
		what = "a transaction statement";
		break;
	case SQLITE_ALTER_TABLE:
		what = "ALTER TABLE";
		break;
	case SQLITE_REINDEX:
		what = "REINDEX";
		break;
	case SQLITE_ANALYZE:
		what = "ANALYZE";
		break;
	case SQLITE_CREATE_INDEX:
	case SQLITE_CREATE_TABLE:
	case SQLITE_CREATE_TEMP_INDEX:
	case SQLITE_CREATE_TEMP_TABLE:
	case SQLITE_CREATE_TEMP_TRIGGER:
	case SQLITE_CREATE_TEMP_VIEW:
	case SQLITE_CREATE_TRIGGER:
	case SQLITE_CREATE_VIEW:
	case SQLITE_CREATE_VTABLE:
		what = "CREATE";
		break;
	case SQLITE_DROP_INDEX:
	case SQLITE_DROP_TABLE:
	case SQLITE_DROP_TEMP_INDEX:
	case SQLITE_DROP_TEMP_TABLE:
	case SQLITE_DROP_TEMP_TRIGGER:
	case SQLITE_DROP_TEMP_VIEW:
	case SQLITE_DROP_TRIGGER:
	case SQLITE_DROP_VIEW:
	case SQLITE_DROP_VTABLE:
		what = "DROP";
		break;
	default:
		/* A whitelist: anything SQLite adds later is refused. */
		return query_deny("statement (authorizer action %d) is not "
				  "allowed in read-only queries",
		    action);
	}
	return query_deny("%s is not allowed in read-only queries", what);
}

/* The budget rides in the handler's argument (see the file comment). */
static int
query_progress(void *arg)
{
	unsigned budget = (unsigned)(uintptr_t)arg;

	if (!query_tls.running || budget == 0)
		return 0;
	if (mono_ns() / 1000000 - query_tls.start_ms < (int64_t)budget)
		return 0;
	query_tls.stopped_ms = budget;
	return 1;
}

int
query_guard(struct sqlite3 *db, unsigned budget_ms)
{
	int on = -1;

	if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) !=
		SQLITE_OK ||
	    on != 1)
		return DD_ESQL;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on) !=
		SQLITE_OK ||
	    on != 0)
		return DD_ESQL;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
		&on) != SQLITE_OK ||
	    on != 0)
		return DD_ESQL;
	if (sqlite3_enable_load_extension(db, 0) != SQLITE_OK)
		return DD_ESQL;
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, QUERY_MAX_LENGTH);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, QUERY_MAX_SQL);
	sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, QUERY_MAX_LIKE);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, QUERY_MAX_EXPR_DEPTH);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, QUERY_MAX_VARIABLES);
	if (sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, -1) != 0)
		return DD_ESQL;
	if (sqlite3_set_authorizer(db, query_auth, NULL) != SQLITE_OK)
		return DD_ESQL;
	if (budget_ms > 0)
		sqlite3_progress_handler(db, QUERY_PROGRESS_STEPS,
		    query_progress, (void *)(uintptr_t)budget_ms);
	else
		sqlite3_progress_handler(db, 0, NULL, NULL);
	return 0;
}

int
query_format_parse(const char *name)
{
	if (strcmp(name, "csv") == 0)
		return QUERY_CSV;
	if (strcmp(name, "json") == 0)
		return QUERY_JSON;
	if (strcmp(name, "table") == 0)
		return QUERY_TABLE;
	return -1;
}

int
query_utf8_fix(struct sbuf *sb, const void *vp, size_t n)
{
	const unsigned char *p = vp;
	size_t i = 0, k, run = 0;
	uint32_t cp;
	int rc;

	/* Copy valid runs whole; replace each bad byte. */
	while (i < n) {
		if ((k = utf8_decode(p + i, n - i, &cp)) > 0) {
			i += k;
			continue;
		}
		if ((rc = sbuf_add(sb, p + run, i - run)) < 0 ||
		    (rc = sbuf_add(sb, "\xef\xbf\xbd", 3)) < 0)
			return rc;
		run = ++i;
	}
	return sbuf_add(sb, p + run, n - run);
}

/* The shortest of %.15g..%.17g that reads back as v; REAL keeps a ".0"
 * so it does not read as an integer. Infinities as inf_pos/inf_neg. */
static void
query_fmt_real(double v, char *buf, size_t cap, const char *inf_pos,
    const char *inf_neg)
{
	int prec;

	if (isinf(v)) {
		snprintf(buf, cap, "%s", v > 0 ? inf_pos : inf_neg);
		return;
	}
	if (isnan(v)) {
		/* SQLite stores NaN as NULL; kept for completeness. */
		snprintf(buf, cap, "null");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (buf[strspn(buf, "-0123456789")] == '\0' && strlen(buf) + 3 <= cap)
		memcpy(buf + strlen(buf), ".0", 3);
}

static void
query_put_hex(FILE *out, const unsigned char *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		putc(hx[p[i] >> 4], out);
		putc(hx[p[i] & 15], out);
	}
}

/* A JSON string: quotes, escapes, U+FFFD for invalid bytes. */
static void
query_json_str(FILE *out, const void *vp, size_t n)
{
	const unsigned char *p = vp;
	size_t i = 0, k;
	uint32_t cp;

	putc('"', out);
	while (i < n) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			putc('\\', out);
			putc(c, out);
			i++;
		} else if (c == '\n') {
			fputs("\\n", out);
			i++;
		} else if (c == '\r') {
			fputs("\\r", out);
			i++;
		} else if (c == '\t') {
			fputs("\\t", out);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			putc(c, out);
			i++;
		} else if ((k = utf8_decode(p + i, n - i, &cp)) == 0) {
			fputs("\\ufffd", out);
			i++;
		} else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
		    cp == 0x2029) {
			/* C1 controls (CSI among them) and the JavaScript
			 * line separators, escaped but kept. */
			fprintf(out, "\\u%04x", (unsigned)cp);
			i += k;
		} else {
			fwrite(p + i, 1, k, out);
			i += k;
		}
	}
	putc('"', out);
}

/* A CSV field: quoted only when it must be. */
static void
query_csv_field(FILE *out, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			break;
	if (i == n) {
		fwrite(p, 1, n, out);
		return;
	}
	putc('"', out);
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			putc('"', out);
		putc(p[i], out);
	}
	putc('"', out);
}

static void
query_csv_value(struct query_out *q, sqlite3_stmt *st, int i)
{
	const unsigned char *p;
	char num[64];
	size_t n;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		break;
	case SQLITE_INTEGER:
		fprintf(q->out, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		query_fmt_real(sqlite3_column_double(st, i), num, sizeof(num),
		    "Inf", "-Inf");
		fputs(num, q->out);
		break;
	case SQLITE_BLOB:
		p = sqlite3_column_blob(st, i);
		n = (size_t)sqlite3_column_bytes(st, i);
		if (p != NULL)
			query_put_hex(q->out, p, n);
		break;
	default:
		p = sqlite3_column_text(st, i);
		n = (size_t)sqlite3_column_bytes(st, i);
		if (p == NULL)
			break;
		if (!q->terminal && utf8_valid(p, n)) {
			query_csv_field(q->out, (const char *)p, n);
			break;
		}
		sbuf_reset(&q->tmp);
		esc_display(&q->tmp, p, n);
		query_csv_field(q->out, q->tmp.buf, q->tmp.len);
		break;
	}
}

static void
query_json_value(struct query_out *q, sqlite3_stmt *st, int i)
{
	const unsigned char *p;
	char num[64];
	size_t n;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		fputs("null", q->out);
		break;
	case SQLITE_INTEGER:
		fprintf(q->out, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		query_fmt_real(sqlite3_column_double(st, i), num, sizeof(num),
		    "1e999", "-1e999");
		fputs(num, q->out);
		break;
	case SQLITE_BLOB:
		p = sqlite3_column_blob(st, i);
		n = (size_t)sqlite3_column_bytes(st, i);
		putc('"', q->out);
		if (p != NULL)
			query_put_hex(q->out, p, n);
		putc('"', q->out);
		break;
	default:
		p = sqlite3_column_text(st, i);
		n = (size_t)sqlite3_column_bytes(st, i);
		query_json_str(q->out, p ? p : (const unsigned char *)"",
		    p ? n : 0);
		break;
	}
}

/* Display columns of escaped text (valid UTF-8, no controls). */
static size_t
query_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, w = 0;
	uint32_t cp;
	int cw;

	while (i < n) {
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0) {
			k = 1;
			cw = 1;
		} else if (cp < 0x80) {
			cw = 1;
		} else {
			cw = wcwidth((wchar_t)cp);
			if (cw < 0)
				cw = 1;
		}
		w += (size_t)cw;
		i += k;
	}
	return w;
}

/* One value as an escaped, owned string for the table. */
static char *
query_table_cell(struct query_out *q, sqlite3_stmt *st, int i, bool *num)
{
	const unsigned char *p;
	char buf[64];
	size_t n, cut;

	*num = false;
	sbuf_reset(&q->tmp);
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		break;
	case SQLITE_INTEGER:
		*num = true;
		sbuf_addf(&q->tmp, "%lld",
		    (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		*num = true;
		query_fmt_real(sqlite3_column_double(st, i), buf, sizeof(buf),
		    "Inf", "-Inf");
		sbuf_addstr(&q->tmp, buf);
		break;
	case SQLITE_BLOB:
		p = sqlite3_column_blob(st, i);
		n = (size_t)sqlite3_column_bytes(st, i);
		for (cut = 0; p != NULL && cut < MIN(n, QUERY_TABLE_BLOB);
		     cut++)
			sbuf_addf(&q->tmp, "%02x", p[cut]);
		if (n > QUERY_TABLE_BLOB)
			sbuf_addf(&q->tmp, "... (%zu bytes)", n);
		break;
	default:
		p = sqlite3_column_text(st, i);
		n = (size_t)sqlite3_column_bytes(st, i);
		if (p == NULL)
			break;
		cut = n;
		if (cut > QUERY_TABLE_CELL) {
			/* Cut on a character boundary. */
			cut = QUERY_TABLE_CELL;
			while (cut > 0 && (p[cut] & 0xc0) == 0x80)
				cut--;
		}
		esc_display(&q->tmp, p, cut);
		if (cut < n)
			sbuf_addstr(&q->tmp, "...");
		break;
	}
	return xstrdup(q->tmp.buf);
}

static void
query_table_line(struct query_out *q, char **cells, const bool *num)
{
	size_t w, pad;
	int i;

	for (i = 0; i < q->ncol; i++) {
		if (i > 0)
			fputs("  ", q->out);
		w = query_width(cells[i]);
		pad = w < q->width[i] ? q->width[i] - w : 0;
		if (num != NULL && num[i]) {
			fprintf(q->out, "%*s%s", (int)pad, "", cells[i]);
		} else {
			fputs(cells[i], q->out);
			/* No trailing blanks after the last column. */
			if (i + 1 < q->ncol)
				fprintf(q->out, "%*s", (int)pad, "");
		}
	}
	putc('\n', q->out);
}

/* Fix the widths from the header and the buffered rows, print them. */
static void
query_table_flush(struct query_out *q)
{
	size_t r, w;
	int i;

	if (q->ncol == 0)
		return;
	if (!q->fixed) {
		q->width = xcalloc((size_t)q->ncol, sizeof(*q->width));
		for (i = 0; i < q->ncol; i++) {
			q->width[i] = query_width(q->hdr[i]);
			for (r = 0; r < q->nbuf; r++) {
				w = query_width(q->cells[r][i]);
				q->width[i] = MAX(q->width[i], w);
			}
		}
		query_table_line(q, q->hdr, NULL);
		for (i = 0; i < q->ncol; i++) {
			if (i > 0)
				fputs("  ", q->out);
			for (w = 0; w < MAX(q->width[i], 1); w++)
				putc('-', q->out);
		}
		putc('\n', q->out);
		q->fixed = true;
	}
	for (r = 0; r < q->nbuf; r++) {
		query_table_line(q, q->cells[r], q->numeric[r]);
		for (i = 0; i < q->ncol; i++)
			free(q->cells[r][i]);
		free(q->cells[r]);
		free(q->numeric[r]);
	}
	q->nbuf = 0;
}

static int
query_out_begin(void *user, int ncol, const char *const *names)
{
	struct query_out *q = user;
	size_t n;
	int i;

	q->ncol = ncol;
	switch (q->format) {
	case QUERY_CSV:
		if (ncol == 0)
			break;
		for (i = 0; i < ncol; i++) {
			if (i > 0)
				putc(',', q->out);
			n = strlen(names[i]);
			if (q->terminal || !utf8_valid(names[i], n)) {
				sbuf_reset(&q->tmp);
				esc_display(&q->tmp, names[i], n);
				query_csv_field(q->out, q->tmp.buf, q->tmp.len);
			} else {
				query_csv_field(q->out, names[i], n);
			}
		}
		putc('\n', q->out);
		break;
	case QUERY_TABLE:
		q->cells = xcalloc(QUERY_TABLE_WINDOW, sizeof(*q->cells));
		q->numeric = xcalloc(QUERY_TABLE_WINDOW, sizeof(*q->numeric));
		q->hdr = xcalloc((size_t)ncol + 1, sizeof(*q->hdr));
		for (i = 0; i < ncol; i++) {
			sbuf_reset(&q->tmp);
			esc_display(&q->tmp, names[i], strlen(names[i]));
			q->hdr[i] = xstrdup(q->tmp.buf);
		}
		break;
	}
	return 0;
}

static int
query_out_row(void *user, int ncol, const char *const *names,
    sqlite3_stmt *st)
{
	struct query_out *q = user;
	int i;

	switch (q->format) {
	case QUERY_CSV:
		for (i = 0; i < ncol; i++) {
			if (i > 0)
				putc(',', q->out);
			query_csv_value(q, st, i);
		}
		putc('\n', q->out);
		break;
	case QUERY_JSON:
		fputs(q->rows == 0 ? "[\n{" : ",\n{", q->out);
		for (i = 0; i < ncol; i++) {
			if (i > 0)
				putc(',', q->out);
			query_json_str(q->out, names[i], strlen(names[i]));
			putc(':', q->out);
			query_json_value(q, st, i);
		}
		putc('}', q->out);
		break;
	case QUERY_TABLE:
		if (ncol == 0)
			break;
		q->cells[q->nbuf] = xcalloc((size_t)ncol, sizeof(char *));
		q->numeric[q->nbuf] = xcalloc((size_t)ncol, sizeof(bool));
		for (i = 0; i < ncol; i++)
			q->cells[q->nbuf][i] = query_table_cell(q, st, i,
			    &q->numeric[q->nbuf][i]);
		q->nbuf++;
		if (q->nbuf == QUERY_TABLE_WINDOW)
			query_table_flush(q);
		break;
	}
	q->rows++;
	return 0;
}

/* Finish the output; partial says the query failed midway. */
static void
query_out_end(struct query_out *q, bool partial)
{
	switch (q->format) {
	case QUERY_JSON:
		if (partial)
			break;
		fputs(q->rows == 0 ? "[]\n" : "\n]\n", q->out);
		break;
	case QUERY_TABLE:
		if (q->cells != NULL)
			query_table_flush(q);
		break;
	}
}

static void
query_out_release(struct query_out *q)
{
	size_t r;
	int i;

	for (r = 0; r < q->nbuf; r++) {
		for (i = 0; i < q->ncol; i++)
			free(q->cells[r][i]);
		free(q->cells[r]);
		free(q->numeric[r]);
	}
	for (i = 0; q->hdr != NULL && i < q->ncol; i++)
		free(q->hdr[i]);
	free(q->hdr);
	free(q->cells);
	free(q->numeric);
	free(q->width);
	sbuf_release(&q->tmp);
}

/* Skip whitespace, semicolons and comments (an unterminated block
 * comment runs to the end, as SQLite reads it). */
static const char *
query_skip(const char *p)
{
	const char *q;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v' || *p == ';')
			p++;
		if (p[0] == '-' && p[1] == '-') {
			q = strchr(p, '\n');
			p = q ? q + 1 : p + strlen(p);
		} else if (p[0] == '/' && p[1] == '*') {
			q = strstr(p + 2, "*/");
			p = q ? q + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

static int
query_guard_failed(struct store *s, struct dd_err *e)
{
	return dd_err_set(e, DD_ESQL,
	    "cannot guard a query on case '%s': SQLite refused a setting",
	    s->path);
}

/* Translate a failure of prepare or step into e. */
static int
query_sqlerr(struct store *s, struct dd_err *e)
{
	int off = -1;

	if (query_tls.denied[0] != '\0')
		return dd_err_set(e, DD_ESQL, "query denied: %s",
		    query_tls.denied);
	if (query_tls.stopped_ms > 0)
		return dd_err_set(e, DD_ESQL,
		    "query stopped: time budget of %u ms exceeded",
		    query_tls.stopped_ms);
#if SQLITE_VERSION_NUMBER >= 3038000
	off = sqlite3_error_offset(s->db);
#endif
	if (off >= 0)
		return dd_err_set(e, DD_ESQL, "query failed: %s (at offset %d)",
		    sqlite3_errmsg(s->db), off);
	return dd_err_set(e, DD_ESQL, "query failed: %s",
	    sqlite3_errmsg(s->db));
}

/*
 * The one place a guarded statement is prepared and stepped: one
 * statement, read-only, begin() once with the columns, fn() per row.
 */
static int
query_exec(struct store *s, const char *sql, query_begin_fn begin,
    query_row_fn fn, void *user, struct dd_err *e)
{
	struct query_tls saved = query_tls;
	sqlite3_stmt *st = NULL;
	const char *p, *tail = NULL, *rest;
	char **names = NULL;
	int ncol = 0, rc, r, i;

	p = query_skip(sql);
	if (*p == '\0')
		return dd_err_set(e, DD_EUSAGE, "no SQL statement given");
	memset(&query_tls, 0, sizeof(query_tls));
	query_tls.running = true;
	query_tls.start_ms = mono_ns() / 1000000;
	if (sqlite3_prepare_v3(s->db, p, -1, 0, &st, &tail) != SQLITE_OK) {
		rc = query_sqlerr(s, e);
		goto out;
	}
	if (st == NULL) {
		rc = dd_err_set(e, DD_EUSAGE, "no SQL statement given");
		goto out;
	}
	rest = query_skip(tail);
	if (*rest != '\0') {
		rc = dd_err_set(e, DD_EUSAGE,
		    "only one SQL statement is allowed, but more follows the "
		    "first: '%.40s%s'",
		    rest, strlen(rest) > 40 ? "..." : "");
		goto out;
	}
	if (!sqlite3_stmt_readonly(st)) {
		rc = dd_err_set(e, DD_ESQL, "query denied: only statements "
					    "that read are allowed");
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = query_sqlerr(s, e);
		goto out;
	}
	/* Names are read after the first step: an automatic re-prepare
	 * there would invalidate earlier pointers. */
	ncol = sqlite3_column_count(st);
	names = xcalloc((size_t)ncol + 1, sizeof(*names));
	for (i = 0; i < ncol; i++) {
		const char *nm = sqlite3_column_name(st, i);
		names[i] = xstrdup(nm ? nm : "");
	}
	if (begin != NULL &&
	    (r = begin(user, ncol, (const char *const *)names)) < 0) {
		rc = dd_err_set(e, r, "query stopped by its output");
		goto out;
	}
	while (rc == SQLITE_ROW) {
		r = fn(user, ncol, (const char *const *)names, st);
		if (r < 0) {
			rc = dd_err_set(e, r, "query stopped by its row "
					      "callback");
			goto out;
		}
		if (r > 0)
			break;
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = query_sqlerr(s, e);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	for (i = 0; names != NULL && i < ncol; i++)
		free(names[i]);
	free(names);
	query_tls = saved;
	return rc;
}

int
query_run(struct store *s, const char *sql, const struct query_opts *o,
    FILE *out, struct dd_err *e)
{
	struct query_out q;
	int rc;

	if (o->format != QUERY_CSV && o->format != QUERY_JSON &&
	    o->format != QUERY_TABLE)
		return dd_err_set(e, DD_EUSAGE, "unknown query format %d",
		    o->format);
	if (query_guard(s->db, o->budget_ms) < 0)
		return query_guard_failed(s, e);
	memset(&q, 0, sizeof(q));
	q.out = out;
	q.format = o->format;
	q.terminal = o->terminal;
	q.tmp = (struct sbuf)SBUF_INIT;
	rc = query_exec(s, sql, query_out_begin, query_out_row, &q, e);
	query_out_end(&q, rc < 0);
	query_out_release(&q);
	if (fflush(out) != 0 || ferror(out)) {
		int rc2 = dd_err_set(e, DD_EIO,
		    "cannot write the query result: %s", strerror(errno));
		if (rc == 0)
			rc = rc2;
	}
	return rc;
}

int
query_each(struct store *s, const char *sql, query_row_fn fn, void *user,
    struct dd_err *e)
{
	if (query_guard(s->db, LIM_QUERY_MS) < 0)
		return query_guard_failed(s, e);
	return query_exec(s, sql, NULL, fn, user, e);
}
