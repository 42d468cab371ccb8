/* SPDX-License-Identifier: Apache-2.0 */
/* sink-queue.c: a sink on a consumer thread; see sink-queue.h. */
#include "core/common.h"
#include "core/sink-queue.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/event.h"
#include "core/sbuf.h"
#include "core/sink.h"
#include "core/xmalloc.h"

/* The string fields of an event, copied into the batch text. */
#define SQ_NSTR 11
#define SQ_NONE UINT32_MAX

enum { SQ_EVENT = 1, SQ_RAW, SQ_ANOMALY, SQ_MEMBER, SQ_LABEL, SQ_NET,
	SQ_PACKETS, SQ_LAYER, SQ_CUT, SQ_RAWAT };

/* SQ_NET: s[0] holds the record's integers (raw bytes), s[1] the text
 * offsets of its NR_NS texts (SQ_NONE for NULL);
 * ev.kind is its kind. SQ_PACKETS: s[0] holds the packet records, len
 * their count, ev.ord the first packet number. SQ_LAYER: off and len the
 * bytes of layer ev.ord's stream (len 0: its end). SQ_RAWAT: len bytes
 * of file artifact_id (a descriptor) at offset off, for the tap. */

/* SQ_MEMBER and SQ_LABEL reuse an item's fields: s[0], s[1] (and for a
 * member with a digest, s[2], 32 raw bytes) are texts; ev.ord is the
 * member id, ev.ret its size, ev.kind 1 for a new member. */

struct sq_item {
	int type;
	int64_t artifact_id;
	struct event_rec ev;   /* string pointers unset: see s[] */
	uint32_t s[SQ_NSTR];   /* text offsets of the strings, SQ_NONE */
	uint64_t off;	       /* SQ_RAW, SQ_ANOMALY: text offset */
	uint64_t len;	       /* SQ_RAW: bytes; SQ_ANOMALY: input offset */
};

struct sq_batch {
	struct sq_item *it;
	size_t n;
	size_t weight;	       /* bytes SQ_RAWAT items stand for */
	struct sbuf text;
	struct sq_batch *next;
};

struct sink_queue {
	struct sink *target;
	struct blobw *tap;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv_work; /* the consumer waits for batches */
	pthread_cond_t cv_done; /* the producer waits for free batches */
	struct sq_batch *todo, *todo_tail, *free;
	struct sq_batch *cur; /* being filled by the producer */
	bool busy, stop;
	atomic_bool failed;   /* set by the consumer on its first error */
	struct dd_err err;    /* the consumer's first error */
	int64_t next_member;  /* the id the next new member gets, 0 unknown */
	/* Work for the consumer while no batch waits (sink_queue_idle);
	 * idle_more: it may have some (set by each batch, cleared when it
	 * says it has none and by a drain, after which the producer may use
	 * the target itself). */
	int (*idle)(void *arg, struct dd_err *e);
	void *idle_arg;
	bool idle_more;
	struct sq_batch all[SINK_QUEUE_BATCHES];
};

/* Where the string fields sit in an event. */
static const size_t sq_fields[SQ_NSTR] = {
	offsetof(struct event_rec, name), offsetof(struct event_rec, comm),
	offsetof(struct event_rec, errname), offsetof(struct event_rec, path),
	offsetof(struct event_rec, path2),
	offsetof(struct event_rec, fd_path),
	offsetof(struct event_rec, family), offsetof(struct event_rec, addr),
	offsetof(struct event_rec, flags), offsetof(struct event_rec, args),
	offsetof(struct event_rec, container),
};

static inline const char **
sq_field(struct event_rec *r, int i)
{
	return (const char **)(void *)((char *)r + sq_fields[i]);
}

static void
sq_run_batch(struct sink_queue *q, struct sq_batch *b)
{
	size_t i;
	int k, rc = 0;

	for (i = 0; i < b->n && !q->failed; i++) {
		struct sq_item *it = &b->it[i];
		switch (it->type) {
		case SQ_EVENT:
			for (k = 0; k < SQ_NSTR; k++)
				*sq_field(&it->ev, k) = it->s[k] == SQ_NONE ?
				    NULL :
				    b->text.buf + it->s[k];
			rc = q->target->ops->event == NULL ? 0 :
			    q->target->ops->event(q->target, it->artifact_id,
				&it->ev, &q->err);
			break;
		case SQ_RAW:
			rc = blobw_write(q->tap, b->text.buf + it->off,
			    (size_t)it->len, &q->err);
			break;
		case SQ_ANOMALY:
			rc = q->target->ops->anomaly == NULL ? 0 :
			    q->target->ops->anomaly(q->target, it->artifact_id,
				(int64_t)it->len, b->text.buf + it->off,
				&q->err);
			break;
		case SQ_MEMBER: {
			struct member_rec m;
			int64_t want = (int64_t)it->ev.ord;
			int64_t id = it->ev.kind == 1 ? 0 : want;
			memset(&m, 0, sizeof(m));
			m.id_hint = it->ev.kind == 1 ? want : 0;
			m.name = b->text.buf + it->s[0];
			m.format = b->text.buf + it->s[1];
			m.size = (uint64_t)it->ev.ret;
			m.sha256 = it->s[2] == SQ_NONE ? NULL :
			    (const uint8_t *)b->text.buf + it->s[2];
			rc = q->target->ops->member(q->target, it->artifact_id,
			    &m, &id, &q->err);
			if (rc == 0 && id != want)
				rc = dd_err_set(&q->err, DD_EINTERNAL,
				    "archive member '%s' got id %" PRId64
				    ", not the %" PRId64 " reserved for it",
				    m.name, id, want);
			break;
		}
		case SQ_LABEL:
			rc = q->target->ops->label(q->target, it->artifact_id,
			    b->text.buf + it->s[0], b->text.buf + it->s[1],
			    &q->err);
			break;
		case SQ_NET: {
			struct net_rec r;
			memset(&r, 0, sizeof(r));
			r.kind = it->ev.kind;
			memcpy(r.i, b->text.buf + it->s[0], sizeof(r.i));
			{
				uint32_t so[NR_NS];
				memcpy(so, b->text.buf + it->s[1], sizeof(so));
				for (k = 0; k < NR_NS; k++)
					r.s[k] = so[k] == SQ_NONE ? NULL :
					    b->text.buf + so[k];
			}
			rc = q->target->ops->net(q->target, it->artifact_id, &r,
			    &q->err);
			break;
		}
		case SQ_PACKETS: {
			size_t n = (size_t)it->len;
			struct packet_rec *pk = xreallocarray(NULL, n,
			    sizeof(*pk));
			memcpy(pk, b->text.buf + it->s[0], n * sizeof(*pk));
			rc = q->target->ops->packets(q->target,
			    it->artifact_id, (int64_t)it->ev.ord, pk, n,
			    &q->err);
			free(pk);
			break;
		}
		case SQ_RAWAT:
			rc = blobw_write_pread(q->tap, (int)it->artifact_id,
			    it->off, (size_t)it->len, &q->err);
			break;
		case SQ_CUT:
			rc = blobw_cut(q->tap, it->off, &q->err);
			break;
		case SQ_LAYER:
			rc = q->target->ops->layer_data(q->target,
			    it->artifact_id, (int64_t)it->ev.ord,
			    b->text.buf + it->off, (size_t)it->len, &q->err);
			break;
		default:
			BUG("sink queue: item type %d", it->type);
		}
		if (rc < 0) {
			if (q->err.code == 0)
				dd_err_set(&q->err, rc, "sink queue: error %d",
				    rc);
			q->failed = true;
		}
	}
}

static void *
sq_main(void *arg)
{
	struct sink_queue *q = arg;
	struct sq_batch *b;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->todo == NULL && !q->stop) {
			int rc;
			if (q->idle == NULL || !q->idle_more || q->failed) {
				pthread_cond_wait(&q->cv_work, &q->mu);
				continue;
			}
			q->busy = true;
			pthread_mutex_unlock(&q->mu);
			rc = q->idle(q->idle_arg, &q->err);
			pthread_mutex_lock(&q->mu);
			q->busy = false;
			if (rc < 0) {
				if (q->err.code == 0)
					dd_err_set(&q->err, rc,
					    "sink queue: error %d", rc);
				q->failed = true;
			}
			if (rc <= 0)
				q->idle_more = false;
			pthread_cond_broadcast(&q->cv_done);
		}
		if (q->todo == NULL)
			break;
		b = q->todo;
		q->todo = b->next;
		if (q->todo == NULL)
			q->todo_tail = NULL;
		q->busy = true;
		pthread_mutex_unlock(&q->mu);

		sq_run_batch(q, b);

		pthread_mutex_lock(&q->mu);
		b->n = 0;
		b->weight = 0;
		sbuf_reset(&b->text);
		b->next = q->free;
		q->free = b;
		q->busy = false;
		pthread_cond_broadcast(&q->cv_done);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Queue the current batch (called with the lock held). */
static void
sq_push_locked(struct sink_queue *q)
{
	struct sq_batch *b = q->cur;

	q->cur = NULL;
	if (b == NULL)
		return;
	if (b->n == 0) {
		b->next = q->free;
		q->free = b;
		return;
	}
	b->next = NULL;
	if (q->todo_tail)
		q->todo_tail->next = b;
	else
		q->todo = b;
	q->todo_tail = b;
	q->idle_more = true;
	pthread_cond_signal(&q->cv_work);
}

static int
sq_failed(struct sink_queue *q, struct dd_err *e)
{
	int rc;

	pthread_mutex_lock(&q->mu);
	rc = q->failed ? (q->err.code ? q->err.code : DD_EINTERNAL) : 0;
	if (rc < 0 && e != NULL && e->code == 0)
		*e = q->err;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

/* A batch with room for one more item and need bytes of text. */
static struct sq_batch *
sq_room(struct sink_queue *q, size_t need)
{
	struct sq_batch *b = q->cur;

	if (b != NULL && b->n < SINK_QUEUE_EVENTS &&
	    (b->text.len + b->weight + need <= SINK_QUEUE_TEXT || b->n == 0))
		return b;
	pthread_mutex_lock(&q->mu);
	sq_push_locked(q);
	while (q->free == NULL)
		pthread_cond_wait(&q->cv_done, &q->mu);
	b = q->free;
	q->free = b->next;
	b->next = NULL;
	q->cur = b;
	pthread_mutex_unlock(&q->mu);
	return b;
}

/* Room for n more bytes of text (after sq_room), so that sq_str can copy
 * without checks. */
static void
sq_reserve(struct sq_batch *b, size_t n)
{
	if (!sbuf_fits(&b->text, n) && sbuf_grow(&b->text, n) < 0)
		BUG("sink queue: batch text over its cap");
}

/* Append the NUL-terminated string s of length n (its NUL copied with
 * it: one copy); room was reserved. Its offset. */
static inline uint32_t
sq_str(struct sq_batch *b, const char *s, size_t n)
{
	uint32_t off = (uint32_t)b->text.len;

	memcpy(b->text.buf + b->text.len, s, n + 1);
	b->text.len += n + 1;
	return off;
}

/* Append text; its offset (the batch text grows for one large item). */
static uint32_t
sq_text(struct sq_batch *b, const void *p, size_t n)
{
	uint32_t off = (uint32_t)b->text.len;

	if (sbuf_add(&b->text, p, n) < 0 || sbuf_addch(&b->text, 0) < 0)
		BUG("sink queue: batch text over its cap");
	return off;
}

static int
sq_event(struct sink *k, int64_t artifact_id, const struct event_rec *r,
    struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	const char *str[SQ_NSTR];
	struct sq_batch *b;
	struct sq_item *it;
	size_t need = 0, len[SQ_NSTR];
	int i, rc;

	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	for (i = 0; i < SQ_NSTR; i++) {
		str[i] = *(const char *const *)(const void *)((const char *)r +
		    sq_fields[i]);
		len[i] = str[i] ? strlen(str[i]) : 0;
		need += str[i] ? len[i] + 1 : 0;
	}
	b = sq_room(q, need);
	sq_reserve(b, need);
	it = &b->it[b->n++];
	it->type = SQ_EVENT;
	it->artifact_id = artifact_id;
	it->ev = *r; /* one copy of the record; its strings go to the text */
	for (i = 0; i < SQ_NSTR; i++) {
		it->s[i] = str[i] ? sq_str(b, str[i], len[i]) : SQ_NONE;
		*sq_field(&it->ev, i) = NULL;
	}
	return 0;
}

static int
sq_anomaly(struct sink *k, int64_t artifact_id, int64_t off, const char *msg,
    struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	size_t n = strlen(msg);
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	b = sq_room(q, n + 1);
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_ANOMALY;
	it->artifact_id = artifact_id;
	it->off = sq_text(b, msg, n);
	it->len = (uint64_t)off;
	return 0;
}

int
sink_queue_raw(struct sink *k, const void *p, size_t n, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	while (q->tap != NULL && n > 0) {
		size_t m = MIN(n, (size_t)SINK_QUEUE_TEXT);
		b = sq_room(q, m + 1);
		it = &b->it[b->n++];
		memset(it, 0, sizeof(*it));
		it->type = SQ_RAW;
		it->off = sq_text(b, p, m);
		it->len = m;
		p = (const char *)p + m;
		n -= m;
	}
	return 0;
}

int
sink_queue_drain(struct sink *k, struct dd_err *e)
{
	struct sink_queue *q = k->impl;

	pthread_mutex_lock(&q->mu);
	sq_push_locked(q);
	while (q->todo != NULL || q->busy)
		pthread_cond_wait(&q->cv_done, &q->mu);
	q->idle_more = false; /* the producer may use the target now */
	pthread_mutex_unlock(&q->mu);
	return sq_failed(q, e);
}

void
sink_queue_idle(struct sink *k, int (*fn)(void *arg, struct dd_err *e),
    void *arg)
{
	struct sink_queue *q = k->impl;

	pthread_mutex_lock(&q->mu);
	q->idle = fn;
	q->idle_arg = arg;
	pthread_mutex_unlock(&q->mu);
}

static int
sq_process(struct sink *k, int64_t artifact_id, const struct process_rec *p,
    struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	int rc;

	if ((rc = sink_queue_drain(k, e)) < 0)
		return rc;
	if (q->target->ops->process == NULL)
		return 0;
	return q->target->ops->process(q->target, artifact_id, p, e);
}

static int
sq_container(struct sink *k, int64_t artifact_id,
    const struct container_rec *c, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	int rc;

	if ((rc = sink_queue_drain(k, e)) < 0)
		return rc;
	if (q->target->ops->container == NULL)
		return 0;
	return q->target->ops->container(q->target, artifact_id, c, e);
}

static int
sq_end(struct sink *k, int64_t artifact_id, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	int rc;

	if ((rc = sink_queue_drain(k, e)) < 0)
		return rc;
	if (q->target->ops->end == NULL)
		return 0;
	return q->target->ops->end(q->target, artifact_id, e);
}

/* A member returns an id (SQL on this thread): drain first. A target
 * that keeps no members leaves the member's records on the archive. */
/*
 * Members and labels are queued like events (an archive of thousands of
 * small members would otherwise wait for the queue to empty thousands of
 * times). A new member's id is needed at once: the first is asked of the
 * target (after a drain); later ones are the next ids, reserved here,
 * which the target inserts explicitly (only this import adds artifacts
 * while it runs; a mismatch is an error, never a silent mix-up).
 */
static int
sq_member(struct sink *k, int64_t artifact_id, const struct member_rec *m,
    int64_t *member_id, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	size_t nn = strlen(m->name), nf = strlen(m->format);
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->target->ops->member == NULL) {
		if (*member_id <= 0)
			*member_id = artifact_id;
		return 0;
	}
	if (*member_id <= 0 && q->next_member == 0) {
		if ((rc = sink_queue_drain(k, e)) < 0 ||
		    (rc = q->target->ops->member(q->target, artifact_id, m,
			 member_id, e)) < 0)
			return rc;
		q->next_member = *member_id + 1;
		return 0;
	}
	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	b = sq_room(q, nn + nf + 2 + (m->sha256 ? 33 : 0));
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_MEMBER;
	if (*member_id <= 0) {
		*member_id = q->next_member++;
		it->ev.kind = 1;
	}
	it->artifact_id = artifact_id;
	it->ev.ord = (uint64_t)*member_id;
	it->ev.ret = (int64_t)m->size;
	it->s[0] = sq_text(b, m->name, nn);
	it->s[1] = sq_text(b, m->format, nf);
	it->s[2] = m->sha256 ? sq_text(b, m->sha256, 32) : SQ_NONE;
	return 0;
}

static int
sq_label(struct sink *k, int64_t artifact_id, const char *key,
    const char *value, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	size_t nk = strlen(key), nv = strlen(value);
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->target->ops->label == NULL)
		return 0;
	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	b = sq_room(q, nk + nv + 2);
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_LABEL;
	it->artifact_id = artifact_id;
	it->s[0] = sq_text(b, key, nk);
	it->s[1] = sq_text(b, value, nv);
	return 0;
}

static int
sq_net(struct sink *k, int64_t artifact_id, const struct net_rec *r,
    struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	size_t need = sizeof(r->i) + 2 + NR_NS * sizeof(uint32_t), len[NR_NS];
	uint32_t so[NR_NS];
	struct sq_batch *b;
	struct sq_item *it;
	int i, rc;

	if (q->target->ops->net == NULL)
		return 0;
	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	for (i = 0; i < NR_NS; i++) {
		len[i] = r->s[i] ? strlen(r->s[i]) : 0;
		need += r->s[i] ? len[i] + 1 : 0;
	}
	b = sq_room(q, need);
	sq_reserve(b, need);
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_NET;
	it->artifact_id = artifact_id;
	it->ev.kind = r->kind;
	it->s[0] = sq_text(b, r->i, sizeof(r->i));
	for (i = 0; i < NR_NS; i++)
		so[i] = r->s[i] ? sq_str(b, r->s[i], len[i]) : SQ_NONE;
	it->s[1] = sq_text(b, so, sizeof(so));
	return 0;
}

static int
sq_packets(struct sink *k, int64_t artifact_id, int64_t first_pkt,
    const struct packet_rec *p, size_t n, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->target->ops->packets == NULL || n == 0)
		return 0;
	if (n > SINK_PACKETS_MAX)
		BUG("packet batch of %zu", n);
	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	b = sq_room(q, n * sizeof(*p) + 1);
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_PACKETS;
	it->artifact_id = artifact_id;
	it->ev.ord = (uint64_t)first_pkt;
	it->len = n;
	it->s[0] = sq_text(b, p, n * sizeof(*p));
	return 0;
}

int
sink_queue_raw_at(struct sink *k, int fd, uint64_t off, size_t n,
    struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->tap == NULL || n == 0)
		return 0;
	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	/* The bytes count toward the batch's size, so that the tap keeps
	 * pace with the parser instead of waiting for a full batch. */
	b = sq_room(q, n);
	b->weight += n;
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_RAWAT;
	it->artifact_id = fd;
	it->off = off;
	it->len = n;
	return 0;
}

int
sink_queue_cut(struct sink *k, uint64_t off, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->tap == NULL)
		return 0;
	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	b = sq_room(q, 1);
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_CUT;
	it->off = off;
	return 0;
}

static int
sq_layer_data(struct sink *k, int64_t artifact_id, int64_t layer_no,
    const void *p, size_t n, struct dd_err *e)
{
	struct sink_queue *q = k->impl;
	struct sq_batch *b;
	struct sq_item *it;
	int rc;

	if (q->target->ops->layer_data == NULL)
		return 0;
	if (q->failed && (rc = sq_failed(q, e)) < 0)
		return rc;
	b = sq_room(q, n + 1);
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->type = SQ_LAYER;
	it->artifact_id = artifact_id;
	it->ev.ord = (uint64_t)layer_no;
	it->off = sq_text(b, p, n);
	it->len = n;
	return 0;
}

static const struct sink_ops sink_queue_ops = {
	.abi = SINK_ABI,
	.anomaly = sq_anomaly,
	.event = sq_event,
	.process = sq_process,
	.end = sq_end,
	.container = sq_container,
	.member = sq_member,
	.label = sq_label,
	.net = sq_net,
	.packets = sq_packets,
	.layer_data = sq_layer_data,
};

int
sink_queue_start(struct sink *k, struct sink *target, struct blobw *tap,
    struct dd_err *e)
{
	struct sink_queue *q = xcalloc(1, sizeof(*q));
	int i;

	q->target = target;
	q->tap = tap;
	q->err = (struct dd_err)DD_ERR_INIT;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv_work, NULL);
	pthread_cond_init(&q->cv_done, NULL);
	for (i = 0; i < SINK_QUEUE_BATCHES; i++) {
		struct sq_batch *b = &q->all[i];
		/* Items are written in full before use: no zeroing (a
		 * small import touches few pages of it). */
		b->it = xreallocarray(NULL, SINK_QUEUE_EVENTS, sizeof(*b->it));
		/* One item may exceed SINK_QUEUE_TEXT: a line's fields. */
		sbuf_init(&b->text, (size_t)SINK_QUEUE_TEXT * 16);
		b->next = q->free;
		q->free = b;
	}
	if (pthread_create(&q->th, NULL, sq_main, q) != 0) {
		for (i = 0; i < SINK_QUEUE_BATCHES; i++) {
			free(q->all[i].it);
			sbuf_release(&q->all[i].text);
		}
		free(q);
		return dd_err_set(e, DD_EINTERNAL, "cannot start a thread");
	}
	k->ops = &sink_queue_ops;
	k->impl = q;
	return 0;
}

void
sink_queue_stop(struct sink *k)
{
	struct sink_queue *q = k->impl;
	int i;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	sq_push_locked(q);
	q->stop = true;
	pthread_cond_signal(&q->cv_work);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	for (i = 0; i < SINK_QUEUE_BATCHES; i++) {
		free(q->all[i].it);
		sbuf_release(&q->all[i].text);
	}
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv_work);
	pthread_cond_destroy(&q->cv_done);
	free(q);
	k->impl = NULL;
}
