/*
 * journey: visits, touches, journeys and their aggregates (journey.h).
 *
 * One pass over a person's events assigns visits and journeys; a journey's
 * candidate touches are kept until it ends, then cut (lookback, collapse,
 * max-touches) into the kept path appended to r->touches.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "journey.h"
#include "strtab.h"

#define GROW(p, n, cap)                                                        \
	do {                                                                   \
		if ((n) >= (cap)) {                                            \
			(cap) = (cap) ? 2 * (cap) : 16;                        \
			while ((cap) <= (n))                                   \
				(cap) *= 2;                                    \
			(p) = xreallocarray((p), (cap), sizeof *(p));          \
		}                                                              \
	} while (0)

/* The journey being built. */
struct open_journey {
	size_t ncand;
	int converted;
	uint32_t conv_visit; /* visit of its first conversion */
	int64_t first_conv, last_conv;
	uint64_t conversions;
	double value;
	size_t first_event, last_event;
};

static void
close_journey(const struct journey_conf *c, const struct journey_event *ev,
    struct journey_result *r, struct open_journey *o)
{
	struct journey_touch *t = r->cand;
	size_t n = o->ncand, from = 0;
	if (o->converted && c->lookback_ms > 0)
		while (from < n && o->first_conv - t[from].ts > c->lookback_ms)
			from++;
	/* kept touches go to r->touches, collapsed */
	size_t t0 = r->ntouches;
	for (size_t i = from; i < n; i++) {
		if (c->collapse && r->ntouches > t0 &&
		    r->touches[r->ntouches - 1].label == t[i].label)
			continue;
		GROW(r->touches, r->ntouches, r->tcap);
		r->touches[r->ntouches++] = t[i];
	}
	size_t kept = r->ntouches - t0;
	if (c->max_touches && kept > c->max_touches) {
		size_t drop = kept - c->max_touches;
		memmove(r->touches + t0, r->touches + t0 + drop,
		    c->max_touches * sizeof *r->touches);
		r->ntouches -= drop;
		kept = c->max_touches;
	}
	GROW(r->journeys, r->njourneys, r->jcap);
	struct journey_info *j = &r->journeys[r->njourneys++];
	memset(j, 0, sizeof *j);
	j->touch0 = t0;
	j->ntouches = kept;
	j->converted = o->converted;
	j->conversions = o->conversions;
	j->value = o->value;
	j->first_event = o->first_event;
	j->nevents = o->last_event - o->first_event + 1;
	uint32_t v0, v1;
	if (kept) {
		j->start = r->touches[t0].ts;
		v0 = r->touches[t0].visit;
	} else if (o->converted) {
		j->start = o->first_conv;
		v0 = o->conv_visit;
	} else {
		j->start = ev[o->first_event].ts;
		v0 = r->ev_visit[o->first_event] - 1;
	}
	if (o->converted) {
		j->end = o->last_conv;
		v1 = o->conv_visit;
	} else {
		j->end = ev[o->last_event].ts;
		v1 = r->ev_visit[o->last_event] - 1;
	}
	j->sessions = v1 >= v0 ? v1 - v0 + 1 : 1;
}

void
journey_person(const struct journey_conf *c, const struct journey_event *ev,
    size_t n, struct journey_result *r)
{
	r->nevents = n;
	r->nvisits = r->ntouches = r->njourneys = 0;
	if (n > r->evcap) {
		r->evcap = n;
		r->ev_visit = xreallocarray(r->ev_visit, n, sizeof(uint32_t));
		r->ev_journey =
		    xreallocarray(r->ev_journey, n, sizeof(uint32_t));
		r->ev_step = xreallocarray(r->ev_step, n, sizeof(uint32_t));
	}
	struct open_journey o;
	memset(&o, 0, sizeof o);
	uint32_t jn = 1, step = 0;
	int touched = 0;
	for (size_t i = 0; i < n; i++) {
		const struct journey_event *e = &ev[i];
		struct journey_visit *v =
		    r->nvisits ? &r->visits[r->nvisits - 1] : NULL;
		int same = v && e->ts - ev[i - 1].ts < c->gap_ms &&
		    (e->channel == JOURNEY_NONE || e->channel == v->channel);
		if (same) {
			v->end = e->ts;
			v->last = i;
			v->events++;
		} else {
			GROW(r->visits, r->nvisits, r->viscap);
			v = &r->visits[r->nvisits++];
			v->channel =
			    e->channel == JOURNEY_NONE ? c->direct : e->channel;
			v->start = v->end = e->ts;
			v->first = v->last = i;
			v->events = 1;
			touched = 0;
		}
		uint32_t vi = (uint32_t)(r->nvisits - 1);
		r->ev_visit[i] = vi + 1;
		if (!touched && (e->flags & JOURNEY_EV_TOUCH)) {
			touched = 1;
			if (o.converted) {
				close_journey(c, ev, r, &o);
				memset(&o, 0, sizeof o);
				o.first_event = i;
				jn++;
				step = 0;
			}
			GROW(r->cand, o.ncand, r->candcap);
			struct journey_touch *t = &r->cand[o.ncand++];
			t->ts = e->ts;
			t->label = c->label_is_channel ? v->channel : e->label;
			t->visit = vi;
			t->event = i;
		}
		if (e->flags & JOURNEY_EV_CONV) {
			if (o.converted && o.conv_visit != vi) {
				close_journey(c, ev, r, &o);
				memset(&o, 0, sizeof o);
				o.first_event = i;
				jn++;
				step = 0;
			}
			if (!o.converted) {
				o.converted = 1;
				o.conv_visit = vi;
				o.first_conv = e->ts;
			}
			o.last_conv = e->ts;
			o.conversions++;
			o.value += e->value;
		}
		o.last_event = i;
		r->ev_journey[i] = jn;
		r->ev_step[i] = ++step;
	}
	if (n)
		close_journey(c, ev, r, &o);
}

void
journey_result_free(struct journey_result *r)
{
	free(r->ev_visit);
	free(r->ev_journey);
	free(r->ev_step);
	free(r->visits);
	free(r->touches);
	free(r->journeys);
	free(r->cand);
	memset(r, 0, sizeof *r);
}

static int
cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

double
journey_quantile(int64_t *v, size_t n, double q)
{
	qsort(v, n, sizeof *v, cmp_i64);
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)h;
	if (lo + 1 >= n)
		return (double)v[n - 1];
	return (double)v[lo] + (h - (double)lo) * (double)(v[lo + 1] - v[lo]);
}

/* ---- aggregates ---- */

struct dvec {
	int64_t *v;
	size_t n, cap;
};

struct journey_agg {
	struct strtab *paths;
	struct journey_path_row *prow;
	size_t pcap;
	struct dvec *pdur;
	struct strtab *pairs;
	struct journey_pair_row *qrow;
	size_t qcap;
	struct dvec *qdur;
	struct journey_path_row *psorted;
	struct journey_pair_row *qsorted;
	struct buf key;
};

struct journey_agg *
journey_agg_new(void)
{
	struct journey_agg *a = xcalloc(1, sizeof *a);
	a->paths = strtab_new();
	a->pairs = strtab_new();
	return a;
}

void
journey_agg_free(struct journey_agg *a)
{
	if (!a)
		return;
	uint32_t np = strtab_count(a->paths), nq = strtab_count(a->pairs);
	for (uint32_t i = 0; i < np; i++)
		free(a->pdur[i].v);
	for (uint32_t i = 0; i < nq; i++)
		free(a->qdur[i].v);
	free(a->pdur);
	free(a->qdur);
	free(a->prow);
	free(a->qrow);
	free(a->psorted);
	free(a->qsorted);
	strtab_free(a->paths);
	strtab_free(a->pairs);
	buf_free(&a->key);
	free(a);
}

static void
dvec_add(struct dvec *d, int64_t v)
{
	GROW(d->v, d->n, d->cap);
	d->v[d->n++] = v;
}

void
journey_agg_path(struct journey_agg *a, const char *p, size_t n,
    double conversions, double value, double nulls, int64_t duration_ms,
    int keep_duration)
{
	int added;
	uint32_t id = strtab_intern(a->paths, p, n, &added);
	if (added) {
		size_t old = a->pcap;
		GROW(a->prow, id, a->pcap);
		if (a->pcap != old) {
			a->pdur =
			    xreallocarray(a->pdur, a->pcap, sizeof *a->pdur);
			memset(a->pdur + old, 0,
			    (a->pcap - old) * sizeof *a->pdur);
		}
		memset(&a->prow[id], 0, sizeof a->prow[id]);
	}
	struct journey_path_row *w = &a->prow[id];
	w->journeys++;
	w->converted += conversions > 0;
	w->conversions += conversions;
	w->nulls += nulls;
	w->value += value;
	if (keep_duration)
		dvec_add(&a->pdur[id], duration_ms);
}

void
journey_agg_pair(struct journey_agg *a, const char *from, size_t fn,
    const char *to, size_t tn, int64_t ms)
{
	buf_clear(&a->key);
	buf_add(&a->key, from, fn);
	buf_addc(&a->key, '\0');
	buf_add(&a->key, to, tn);
	int added;
	uint32_t id = strtab_intern(a->pairs, a->key.data, a->key.len, &added);
	if (added) {
		size_t old = a->qcap;
		GROW(a->qrow, id, a->qcap);
		if (a->qcap != old) {
			a->qdur =
			    xreallocarray(a->qdur, a->qcap, sizeof *a->qdur);
			memset(a->qdur + old, 0,
			    (a->qcap - old) * sizeof *a->qdur);
		}
		memset(&a->qrow[id], 0, sizeof a->qrow[id]);
	}
	a->qrow[id].count++;
	dvec_add(&a->qdur[id], ms);
}

static int
cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

static int
cmp_prow(const void *x, const void *y)
{
	const struct journey_path_row *a = x, *b = y;
	return cmp_bytes(a->path, a->len, b->path, b->len);
}

const struct journey_path_row *
journey_agg_paths(struct journey_agg *a, size_t *n)
{
	uint32_t np = strtab_count(a->paths);
	free(a->psorted);
	a->psorted = xreallocarray(NULL, np ? np : 1, sizeof *a->psorted);
	for (uint32_t i = 0; i < np; i++) {
		a->psorted[i] = a->prow[i];
		a->psorted[i].path =
		    strtab_str(a->paths, i, &a->psorted[i].len);
		a->psorted[i].dur = a->pdur[i].v;
		a->psorted[i].ndur = a->pdur[i].n;
	}
	qsort(a->psorted, np, sizeof *a->psorted, cmp_prow);
	*n = np;
	return a->psorted;
}

static int
cmp_qrow(const void *x, const void *y)
{
	const struct journey_pair_row *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	int c = cmp_bytes(a->from, a->fromlen, b->from, b->fromlen);
	return c ? c : cmp_bytes(a->to, a->tolen, b->to, b->tolen);
}

const struct journey_pair_row *
journey_agg_pairs(struct journey_agg *a, size_t *n)
{
	uint32_t nq = strtab_count(a->pairs);
	free(a->qsorted);
	a->qsorted = xreallocarray(NULL, nq ? nq : 1, sizeof *a->qsorted);
	for (uint32_t i = 0; i < nq; i++) {
		struct journey_pair_row *w = &a->qsorted[i];
		size_t len;
		const char *k = strtab_str(a->pairs, i, &len);
		w->count = a->qrow[i].count;
		w->from = k;
		w->fromlen = strlen(k);
		w->to = k + w->fromlen + 1;
		w->tolen = len - w->fromlen - 1;
		w->dur = a->qdur[i].v;
		w->ndur = a->qdur[i].n;
	}
	qsort(a->qsorted, nq, sizeof *a->qsorted, cmp_qrow);
	*n = nq;
	return a->qsorted;
}
