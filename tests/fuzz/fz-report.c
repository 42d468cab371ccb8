/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-report.c: every report writer fed hostile strings. The input is
 * split at NUL bytes into up to nine strings: rule, title, detail,
 * container id, evidence relation and key, entity kind and value, and an
 * ATT&CK list; its first byte also picks the severity and whether the
 * finding has a time. One finding with them replaces the previous one in
 * a scratch case (recreated every 256 inputs), and the case is written as
 * md, json, csv, html, sarif and timesketch into memory.
 *
 * Checks (trap otherwise): every writer succeeds; no output holds a
 * control byte other than newline (and CR in CSV; tab in JSON only as an
 * escape; DEL in JSON as RFC 8259 allows), and md, csv and html no bidi
 * override or isolate, so nothing
 * from evidence reaches a terminal or a viewer raw;
 * JSON and SARIF parse as one document, timesketch as one JSON object per
 * line; HTML holds no "<script" and carries its Content-Security-Policy;
 * a CSV cell never starts with = + - @ (formula injection).
 */
#include "core/common.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/report/report.h"
#include "core/store.h"
#include "tests/fuzz/fz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	struct store *s;
	char dir[4096];
	char path[4200];
	unsigned uses;
} fz;

static void
fz_close(void)
{
	char p[4300];

	if (fz.s == NULL)
		return;
	store_close(fz.s);
	fz.s = NULL;
	unlink(fz.path);
	snprintf(p, sizeof(p), "%s-wal", fz.path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fz.path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", fz.path);
	unlink(p);
}

static void
fz_cleanup(void)
{
	fz_close();
	if (fz.dir[0] != '\0')
		rmdir(fz.dir);
}

static void
fz_open(void)
{
	struct dd_err e = DD_ERR_INIT;
	const char *tmp = getenv("TMPDIR");

	if (fz.dir[0] == '\0') {
		if (tmp == NULL || *tmp == '\0')
			tmp = "/tmp";
		snprintf(fz.dir, sizeof(fz.dir), "%s/fzreport.%ld.XXXXXX",
		    tmp, (long)getpid());
		if (mkdtemp(fz.dir) == NULL) {
			fprintf(stderr, "fz-report: mkdtemp: %s\n",
			    strerror(errno));
			abort();
		}
		snprintf(fz.path, sizeof(fz.path), "%s/fz.drydock", fz.dir);
		atexit(fz_cleanup);
	}
	if (store_open(fz.path, STORE_CREATE | STORE_WRITE | STORE_NOLOCK,
		&fz.s, &e) < 0) {
		fprintf(stderr, "fz-report: %s\n", e.msg);
		abort();
	}
	fz.uses = 0;
}

/* The bytes of an output are safe for its format. */
static void
fz_check_bytes(const char *p, size_t n, int fmt)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\n' || (c == '\r' && fmt == REPORT_CSV))
			continue;
		/* JSON may carry DEL as it is (RFC 8259 escapes below 0x20;
		 * jansson does just that) */
		CHECK(c >= 0x20 &&
		    (c != 0x7f || fmt == REPORT_JSON || fmt == REPORT_SARIF ||
			fmt == REPORT_TIMESKETCH));
		/* what people read holds no bidi override or isolate (JSON
		 * is data: its strings keep every character) */
		if (c == 0xe2 && i + 2 < n && fmt != REPORT_JSON &&
		    fmt != REPORT_SARIF && fmt != REPORT_TIMESKETCH) {
			unsigned char c1 = (unsigned char)p[i + 1],
				      c2 = (unsigned char)p[i + 2];
			CHECK(!(c1 == 0x80 && c2 >= 0xaa && c2 <= 0xae));
			CHECK(!(c1 == 0x81 && c2 >= 0xa6 && c2 <= 0xa9));
		}
	}
}

static void
fz_check_json(const char *p, size_t n, int fmt)
{
	json_error_t je;
	json_t *j;

	if (fmt != REPORT_TIMESKETCH) {
		j = json_loadb(p, n, 0, &je);
		CHECK(j != NULL);
		json_decref(j);
		return;
	}
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl != NULL ? (size_t)(nl - p) : n;
		if (k > 0) {
			j = json_loadb(p, k, 0, &je);
			CHECK(j != NULL && json_is_object(j));
			json_decref(j);
		}
		if (nl == NULL)
			break;
		p += k + 1;
		n -= k + 1;
	}
}

/* No CSV cell starts with a formula character. Cells are split as RFC
 * 4180 reads them. */
static void
fz_check_csv(const char *p, size_t n)
{
	size_t i = 0;
	bool start = true, quoted = false;

	for (i = 0; i < n; i++) {
		char c = p[i];
		if (start) {
			start = false;
			if (c == '"') {
				quoted = true;
				if (i + 1 < n)
					CHECK(strchr("=+-@", p[i + 1]) == NULL ||
					    p[i + 1] == '\0');
				continue;
			}
			CHECK(strchr("=+-@", c) == NULL || c == '\0');
		}
		if (quoted) {
			if (c == '"') {
				if (i + 1 < n && p[i + 1] == '"')
					i++;
				else
					quoted = false;
			}
			continue;
		}
		if (c == ',' || c == '\n')
			start = true;
	}
}

static void
fz_check_html(const char *p, size_t n)
{
	size_t i;

	CHECK(memmem(p, n, "Content-Security-Policy", 23) != NULL);
	for (i = 0; i + 7 <= n; i++)
		CHECK(strncasecmp(p + i, "<script", 7) != 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fmts[] = { REPORT_MD, REPORT_JSON, REPORT_CSV,
		REPORT_HTML, REPORT_SARIF, REPORT_TIMESKETCH };
	char *buf, *str[9];
	size_t i, k, ns = 0;
	struct finding f;
	struct finding_ref ev, ent;
	const char *attack[4];
	char head[SHA256_HEX];
	struct dd_err e = DD_ERR_INIT;
	struct arena a;

	if (size == 0 || size > 65536)
		return 0;
	if (fz.s == NULL || fz.uses >= 256) {
		fz_close();
		fz_open();
	}
	fz.uses++;
	buf = malloc(size + 1);
	if (buf == NULL)
		abort();
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	/* nine strings: missing ones are empty */
	for (k = 0; ns < ARRAY_SIZE(str) && k <= size - 1;) {
		str[ns++] = buf + k;
		k += strlen(buf + k) + 1;
	}
	for (; ns < ARRAY_SIZE(str); ns++)
		str[ns] = buf + size - 1;
	memset(&f, 0, sizeof(f));
	f.rule = str[0][0] != '\0' ? str[0] : "fuzz.rule";
	f.severity = (enum finding_sev)(data[0] % 5);
	f.confidence = (double)(data[0] >> 3) / 31.0;
	f.title = str[1];
	f.detail = str[2];
	f.has_ts = (data[0] & 0x80) != 0;
	f.ts = f.has_ts ? (int64_t)1700000000000000000LL +
		(int64_t)strlen(str[2]) * 1000000007LL :
			  0;
	f.container_id = str[3][0] != '\0' ? str[3] : NULL;
	ev.a = str[4][0] != '\0' ? str[4] : "artifacts";
	ev.b = str[5][0] != '\0' ? str[5] : "1";
	f.evidence = &ev;
	f.nevidence = 1;
	ent.a = str[6];
	ent.b = str[7];
	f.entities = &ent;
	f.nentities = str[6][0] != '\0' ? 1 : 0;
	arena_init(&a);
	f.nattack = finding_attack_split(&a, str[8], attack,
	    ARRAY_SIZE(attack));
	f.attack = attack;
	if (finding_replace(fz.s, "fuzz", "1",
		"0000000000000000000000000000000000000000000000000000000000000000",
		&f, 1, NULL, 0, head, &e) < 0) {
		/* a refused finding (a malformed rule id...) is fine */
		arena_release(&a);
		free(buf);
		return 0;
	}
	arena_release(&a);
	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		char *out = NULL;
		size_t n = 0;
		int worst = -1;
		FILE *fp = open_memstream(&out, &n);
		struct dd_err we = DD_ERR_INIT;
		if (fp == NULL)
			abort();
		CHECK(report_write(fz.s, fmts[i], fp, &worst, &we) == 0);
		fclose(fp);
		CHECK(worst == (int)f.severity);
		fz_check_bytes(out, n, fmts[i]);
		if (fmts[i] == REPORT_JSON || fmts[i] == REPORT_SARIF ||
		    fmts[i] == REPORT_TIMESKETCH)
			fz_check_json(out, n, fmts[i]);
		else if (fmts[i] == REPORT_CSV)
			fz_check_csv(out, n);
		else if (fmts[i] == REPORT_HTML)
			fz_check_html(out, n);
		free(out);
	}
	free(buf);
	return 0;
}
