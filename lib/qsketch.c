/*
 * qsketch: exact values first, then a log-bucket histogram (qsketch.h).
 * Invariant: bucket == NULL iff n <= QSKETCH_EXACT, and then exact[0..n)
 * holds every value added; otherwise the histogram holds them all.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "qsketch.h"

void
qsketch_init(struct qsketch *s)
{
	memset(s, 0, sizeof *s);
}

size_t
qsketch_bucket_of(uint64_t v)
{
	if (v == 0)
		return 0;
	if (v > QSKETCH_MAX)
		v = QSKETCH_MAX;
	/* [gamma^(i-1), gamma^i) is bucket i */
	double l = log((double)v) / log(QSKETCH_GAMMA);
	size_t i = (size_t)floor(l) + 1;
	/* log() rounding at exact powers: keep v inside its bucket */
	if (i > 1 && (double)v < pow(QSKETCH_GAMMA, (double)(i - 1)))
		i--;
	return i < QSKETCH_BUCKETS ? i : QSKETCH_BUCKETS - 1;
}

double
qsketch_bucket_mid(size_t i)
{
	if (i == 0)
		return 0;
	return pow(QSKETCH_GAMMA, (double)i - 0.5);
}

static void
to_histogram(struct qsketch *s)
{
	s->bucket = xcalloc(QSKETCH_BUCKETS, sizeof *s->bucket);
	for (uint64_t i = 0; i < s->n; i++)
		s->bucket[qsketch_bucket_of(s->exact[i])]++;
}

void
qsketch_add(struct qsketch *s, uint64_t v)
{
	if (v > QSKETCH_MAX)
		v = QSKETCH_MAX;
	if (!s->bucket && s->n < QSKETCH_EXACT) {
		s->exact[s->n++] = v;
		return;
	}
	if (!s->bucket)
		to_histogram(s);
	s->bucket[qsketch_bucket_of(v)]++;
	s->n++;
}

void
qsketch_merge(struct qsketch *dst, const struct qsketch *src)
{
	if (!src->bucket) {
		for (uint64_t i = 0; i < src->n; i++)
			qsketch_add(dst, src->exact[i]);
		return;
	}
	if (!dst->bucket)
		to_histogram(dst);
	for (size_t i = 0; i < QSKETCH_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->n += src->n;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

double
qsketch_quantile_in(const struct qsketch *s, double q, uint64_t lo, uint64_t hi)
{
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	if (!s->bucket) {
		uint64_t v[QSKETCH_EXACT];
		size_t n = 0;
		for (uint64_t i = 0; i < s->n; i++)
			if (s->exact[i] >= lo && s->exact[i] < hi)
				v[n++] = s->exact[i];
		if (n == 0)
			return -1;
		qsort(v, n, sizeof *v, cmp_u64);
		double h = (double)(n - 1) * q;
		size_t k = (size_t)floor(h);
		if (k + 1 >= n)
			return (double)v[n - 1];
		return (double)v[k] +
		    (h - (double)k) * (double)(v[k + 1] - v[k]);
	}
	uint64_t n = 0;
	for (size_t i = 0; i < QSKETCH_BUCKETS; i++) {
		double m = qsketch_bucket_mid(i);
		if (m >= (double)lo && m < (double)hi)
			n += s->bucket[i];
	}
	if (n == 0)
		return -1;
	/* the bucket holding order statistic floor((n-1) q) */
	double rank = floor((double)(n - 1) * q);
	uint64_t seen = 0;
	for (size_t i = 0; i < QSKETCH_BUCKETS; i++) {
		double m = qsketch_bucket_mid(i);
		if (!(m >= (double)lo && m < (double)hi))
			continue;
		seen += s->bucket[i];
		if ((double)seen > rank)
			return m;
	}
	return -1; /* not reached */
}

double
qsketch_quantile(const struct qsketch *s, double q)
{
	return qsketch_quantile_in(s, q, 0, UINT64_MAX);
}

uint64_t
qsketch_count_ge(const struct qsketch *s, double t)
{
	uint64_t c = 0;
	if (!s->bucket) {
		for (uint64_t i = 0; i < s->n; i++)
			c += (double)s->exact[i] >= t;
		return c;
	}
	for (size_t i = 0; i < QSKETCH_BUCKETS; i++)
		if (qsketch_bucket_mid(i) >= t)
			c += s->bucket[i];
	return c;
}

void
qsketch_free(struct qsketch *s)
{
	free(s->bucket);
	qsketch_init(s);
}
