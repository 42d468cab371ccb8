/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-lidds2019.c: LID-DS 2019 recordings (FORMATS.md section 2.7).
 *
 * Reference: LID-DS/LID-DS dataloader/syscall_2019.py.
 *
 *   <scenario>/<recording>.txt   sysdig lines:
 *     num HH:MM:SS.nnnnnnnnn cpu uid procname tid dir syscall args...
 *   <scenario>/runs.csv          "image_name, scenario_name,
 *                                is_executing_exploit, warmup_time,
 *                                recording_time, exploit_start_time"
 *
 * Events as lidds.h pairs them; there is no pid column (pid unknown). The
 * time has no date: it takes the date of -o date=YYYY-MM-DD, else of the
 * file's mtime (UTC; the day before when the first time of day is later
 * than the mtime's), with ts_quality date-inferred, or, with neither (an
 * in-memory source), counts from the epoch's first day with ts_quality
 * relative. A time of day that falls back by more than 12 hours passes
 * midnight. Scheduler "switch" lines are dropped, as the loader drops them.
 *
 * runs.csv (imported alone or as a member of the scenario's directory)
 * becomes labels on its own artifact, one set per row, keyed by the
 * recording: run.<scenario_name>.image, .exploit (true/false),
 * .warmup_time, .recording_time, .exploit_start_time (seconds, -1 none).
 */
#include "core/common.h"

#include <time.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "ingest/ingest.h"
#include "ingest/lidds.h"
#include "ingest/members.h"

#define IMP_LIDDS2019_HEAD (64u * 1024u)
#define NS_PER_DAY (86400ll * 1000000000ll)

extern const struct importer imp_lidds2019;

static const struct imp_option imp_lidds2019_options[] = {
	{ "date", "string", "", "date (YYYY-MM-DD, UTC) of the times of day; "
				"default: the file's mtime" },
	{ NULL, NULL, NULL, NULL },
};

static const char *const imp_lidds2019_cols[] = { "image", "exploit",
	"warmup_time", "recording_time", "exploit_start_time" };

/* Trim spaces around [*p, *p+*n). */
static void
imp_lidds2019_trim(const char **p, size_t *n)
{
	while (*n > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\r'))
		(*n)--;
}

static int
imp_lidds2019_runs(struct imp_ctx *ctx, ingest_read_fn fn, void *user,
    struct dd_err *e)
{
	struct ingest_lines l;
	const uint8_t *p;
	uint64_t off;
	size_t n;
	bool cut, header = true;
	int rc;

	ingest_lines_init(&l, fn, user);
	while ((rc = ingest_lines_next(&l, &p, &n, &off, &cut, e)) == 1) {
		const char *f[6], *s = (const char *)p;
		size_t fl[6], k = 0, i, start = 0;
		char key[512], val[256];
		if (header || n == 0) {
			header = false;
			continue;
		}
		for (i = 0; i <= n && k < 6; i++)
			if (i == n || s[i] == ',') {
				f[k] = s + start;
				fl[k] = i - start;
				imp_lidds2019_trim(&f[k], &fl[k]);
				k++;
				start = i + 1;
			}
		if (cut || k != 6 || fl[1] == 0 || fl[1] > 200) {
			if ((rc = ingest_anomaly(ctx, (int64_t)off,
				 "'%s': runs.csv line at offset %" PRIu64
				 " does not have 6 fields",
				 ctx->src->name, off)) < 0)
				break;
			continue;
		}
		for (i = 0; i < 5; i++) {
			const char *v = f[i == 0 ? 0 : i + 1];
			size_t vl = fl[i == 0 ? 0 : i + 1];
			snprintf(key, sizeof(key), "run.%.*s.%s", (int)fl[1],
			    f[1], imp_lidds2019_cols[i]);
			if (i == 1)
				snprintf(val, sizeof(val), "%s",
				    vl == 4 && memcmp(v, "True", 4) == 0 ?
					"true" :
					"false");
			else
				snprintf(val, sizeof(val), "%.*s",
				    (int)MIN(vl, sizeof(val) - 1), v);
			if ((rc = ingest_label(ctx, ctx->artifact_id, key, val,
				 e)) < 0)
				goto out;
		}
	}
out:
	ingest_lines_release(&l);
	return rc < 0 ? rc : 0;
}

/* Epoch ns of the UTC midnight of the recording's day, or -1. */
static int64_t
imp_lidds2019_day(struct imp_ctx *ctx, const uint8_t *first, size_t n,
    struct dd_err *e, int *rc)
{
	const char *date = ingest_opt(ctx, &imp_lidds2019, "date");
	struct tm tm;
	int64_t d0, tod = -1;
	size_t i = 0, sp = 0;

	*rc = 0;
	if (date != NULL && date[0] != '\0') {
		memset(&tm, 0, sizeof(tm));
		if (strptime(date, "%Y-%m-%d", &tm) == NULL) {
			*rc = dd_err_set(e, DD_EUSAGE,
			    "-o date=%s is not YYYY-MM-DD", date);
			return -1;
		}
		return (int64_t)timegm(&tm) * 1000000000ll;
	}
	if (ctx->src->mtime_ns <= 0)
		return -1;
	d0 = ctx->src->mtime_ns - ctx->src->mtime_ns % NS_PER_DAY;
	/* The first line's time of day: after the first space. */
	while (i < n && sp < 1)
		if (first[i++] == ' ')
			sp++;
	if (i + 8 <= n && first[i + 2] == ':') {
		int64_t h = (first[i] - '0') * 10 + (first[i + 1] - '0');
		int64_t m = (first[i + 3] - '0') * 10 + (first[i + 4] - '0');
		int64_t s = (first[i + 6] - '0') * 10 + (first[i + 7] - '0');
		tod = ((h * 60 + m) * 60 + s) * 1000000000ll;
	}
	if (tod > ctx->src->mtime_ns - d0)
		d0 -= NS_PER_DAY;
	return d0;
}

static int
imp_lidds2019_import(struct imp_ctx *ctx, struct dd_err *e)
{
	uint8_t *head = arena_alloc(ctx->job, IMP_LIDDS2019_HEAD);
	struct ingest_replay rp;
	struct ingest_lines l;
	struct lidds_run run;
	const uint8_t *p;
	uint64_t off;
	int64_t day;
	size_t hn, n;
	bool cut;
	int rc;

	if ((rc = ingest_read_head(ctx, head, IMP_LIDDS2019_HEAD, &hn, e)) < 0)
		return rc;
	memset(&rp, 0, sizeof(rp));
	rp.ctx = ctx;
	rp.head = head;
	rp.n = hn;
	if (hn >= 11 && memcmp(head, "image_name,", 11) == 0)
		return imp_lidds2019_runs(ctx, ingest_read_replay, &rp, e);
	day = imp_lidds2019_day(ctx, head, hn, e, &rc);
	if (rc < 0)
		return rc;
	ingest_lines_init(&l, ingest_read_replay, &rp);
	lidds_run_init(&run, ctx, ctx->artifact_id, ctx->src->name, LIDDS_2019,
	    ctx->src->filter == NULL, day);
	while ((rc = ingest_lines_next(&l, &p, &n, &off, &cut, e)) == 1) {
		if (cut) {
			rc = ingest_anomaly(ctx, (int64_t)off,
			    "'%s': line at offset %" PRIu64
			    " is longer than %u bytes",
			    ctx->src->name, off, LIM_TEXT_LINE);
			if (rc < 0)
				break;
			continue;
		}
		if ((rc = lidds_run_line(&run, p, n, off, e)) < 0)
			break;
		if (ctx->progress && (run.lines & 0xffff) == 0)
			ctx->progress(ctx->progress_user, off);
	}
	if (rc == 0)
		rc = lidds_run_finish(&run, e);
	if (rc == 0 && (run.lines == 0 || run.bad * 2 > run.lines))
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a LID-DS 2019 recording: %" PRIu64
		    " of %" PRIu64 " lines are not 'num time cpu uid comm tid "
		    "dir syscall args'",
		    ctx->src->name, run.bad, run.lines);
	lidds_run_release(&run);
	ingest_lines_release(&l);
	return rc;
}

static int
imp_lidds2019_sniff(const uint8_t *head, size_t n, const char *basename)
{
	struct rd r;
	const uint8_t *line;
	size_t len;

	(void)basename;
	if (n >= 40 && memcmp(head,
			   "image_name, scenario_name, is_executing_exploit",
			   40) == 0)
		return 48;
	rd_init(&r, head, n, 0);
	if (rd_until(&r, '\n', &line, &len) != 0)
		return 0;
	return lidds_line_ok(line, len, LIDDS_2019) ? 48 : 0;
}

const struct importer imp_lidds2019 = {
	.abi = INGEST_ABI,
	.name = "lidds2019",
	.version = "1",
	.summary = "LID-DS 2019 recordings: sysdig .txt lines (events, times "
		   "of day) and runs.csv (labels per recording)",
	.kind = EV_SYSCALL,
	.flags = 0,
	.sniff = imp_lidds2019_sniff,
	.import = imp_lidds2019_import,
	.options = imp_lidds2019_options,
	.zlevel = 1,
};
