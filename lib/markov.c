/*
 * markov: states and transitions interned in two open-addressing maps
 * keyed by 64 bits (a state: up to four channel ids + 1 in 16 bits each;
 * a transition: from << 32 | to), grown at half full.  Invariants: the
 * three fixed states are 0, 1, 2 and never keys of the state map; every
 * transient state that has been entered has an outgoing weight > 0, so
 * every one can reach absorption and x = b + Q x has one solution.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "markov.h"

#define MAX_SWEEPS 200000

struct map {
	uint64_t *key;
	uint32_t *val; /* UINT32_MAX: empty */
	size_t mask, n;
};

static void
map_init(struct map *mp, size_t slots)
{
	mp->key = xmalloc(slots * sizeof *mp->key);
	mp->val = xmalloc(slots * sizeof *mp->val);
	memset(mp->val, 0xff, slots * sizeof *mp->val);
	mp->mask = slots - 1;
	mp->n = 0;
}

static inline size_t
map_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

static void
map_grow(struct map *mp)
{
	struct map old = *mp;
	map_init(mp, (old.mask + 1) * 2);
	for (size_t i = 0; i <= old.mask; i++) {
		if (old.val[i] == UINT32_MAX)
			continue;
		size_t j = map_hash(old.key[i]) & mp->mask;
		while (mp->val[j] != UINT32_MAX)
			j = (j + 1) & mp->mask;
		mp->key[j] = old.key[i];
		mp->val[j] = old.val[i];
	}
	mp->n = old.n;
	free(old.key);
	free(old.val);
}

/* The value of key k, or val when it is new (then *added = 1). */
static inline uint32_t
map_get(struct map *mp, uint64_t k, uint32_t val, int *added)
{
	size_t j = map_hash(k) & mp->mask;
	while (mp->val[j] != UINT32_MAX) {
		if (mp->key[j] == k) {
			*added = 0;
			return mp->val[j];
		}
		j = (j + 1) & mp->mask;
	}
	mp->key[j] = k;
	mp->val[j] = val;
	*added = 1;
	if (++mp->n * 2 > mp->mask + 1)
		map_grow(mp);
	return val;
}

static void
map_free(struct map *mp)
{
	free(mp->key);
	free(mp->val);
}

struct markov {
	int order;
	struct map states, edges;
	uint64_t *skey; /* state -> key (0 for the fixed states) */
	double *outw;   /* state -> total outgoing weight */
	double *valsum; /* state -> value of conversions ending there */
	size_t ns, scap;
	uint32_t *efrom, *eto;
	double *ew;
	size_t ne, ecap;
};

static uint32_t
new_state(struct markov *m, uint64_t key)
{
	if (m->ns == m->scap) {
		m->scap *= 2;
		m->skey = xreallocarray(m->skey, m->scap, sizeof *m->skey);
		m->outw = xreallocarray(m->outw, m->scap, sizeof *m->outw);
		m->valsum =
		    xreallocarray(m->valsum, m->scap, sizeof *m->valsum);
	}
	m->skey[m->ns] = key;
	m->outw[m->ns] = 0;
	m->valsum[m->ns] = 0;
	return (uint32_t)m->ns++;
}

struct markov *
markov_new(int order)
{
	struct markov *m = xcalloc(1, sizeof *m);
	m->order = order < 1           ? 1
	    : order > MARKOV_MAX_ORDER ? MARKOV_MAX_ORDER
				       : order;
	map_init(&m->states, 1024);
	map_init(&m->edges, 4096);
	m->scap = 1024;
	m->skey = xmalloc(m->scap * sizeof *m->skey);
	m->outw = xmalloc(m->scap * sizeof *m->outw);
	m->valsum = xmalloc(m->scap * sizeof *m->valsum);
	for (int i = 0; i < 3; i++)
		new_state(m, 0);
	m->ecap = 4096;
	m->efrom = xmalloc(m->ecap * sizeof *m->efrom);
	m->eto = xmalloc(m->ecap * sizeof *m->eto);
	m->ew = xmalloc(m->ecap * sizeof *m->ew);
	return m;
}

void
markov_free(struct markov *m)
{
	if (!m)
		return;
	map_free(&m->states);
	map_free(&m->edges);
	free(m->skey);
	free(m->outw);
	free(m->valsum);
	free(m->efrom);
	free(m->eto);
	free(m->ew);
	free(m);
}

static void
add_edge(struct markov *m, uint32_t from, uint32_t to, double w)
{
	int added;
	uint32_t e = map_get(
	    &m->edges, (uint64_t)from << 32 | to, (uint32_t)m->ne, &added);
	if (added) {
		if (m->ne == m->ecap) {
			m->ecap *= 2;
			m->efrom =
			    xreallocarray(m->efrom, m->ecap, sizeof *m->efrom);
			m->eto = xreallocarray(m->eto, m->ecap, sizeof *m->eto);
			m->ew = xreallocarray(m->ew, m->ecap, sizeof *m->ew);
		}
		m->efrom[e] = from;
		m->eto[e] = to;
		m->ew[e] = 0;
		m->ne++;
	}
	m->ew[e] += w;
	m->outw[from] += w;
}

static uint32_t
state_of(struct markov *m, const uint32_t *ch, size_t k)
{
	uint64_t key = 0;
	for (size_t i = 0; i < k; i++)
		key = key << 16 | (uint64_t)(ch[i] + 1);
	int added;
	uint32_t s = map_get(&m->states, key, (uint32_t)m->ns, &added);
	if (added)
		new_state(m, key);
	return s;
}

void
markov_add(struct markov *m, const uint32_t *ch, size_t n, double conv,
    double null, double value)
{
	double w = conv + null;
	if (!(w > 0) || n == 0)
		return;
	size_t k = (size_t)m->order;
	uint32_t prev = MARKOV_START;
	if (n < k) {
		uint32_t s = state_of(m, ch, n);
		add_edge(m, prev, s, w);
		prev = s;
	} else {
		for (size_t i = 0; i + k <= n; i++) {
			uint32_t s = state_of(m, ch + i, k);
			if (s == prev)
				continue;
			add_edge(m, prev, s, w);
			prev = s;
		}
	}
	if (conv > 0) {
		add_edge(m, prev, MARKOV_CONV, conv);
		m->valsum[prev] += value;
	}
	if (null > 0)
		add_edge(m, prev, MARKOV_NULL, null);
}

size_t
markov_nstates(const struct markov *m)
{
	return m->ns;
}

size_t
markov_state(const struct markov *m, size_t s, uint32_t *ch)
{
	uint64_t key = m->skey[s];
	size_t k = 0;
	uint32_t tmp[MARKOV_MAX_ORDER];
	while (key) {
		tmp[k++] = (uint32_t)(key & 0xffff) - 1;
		key >>= 16;
	}
	for (size_t i = 0; i < k; i++)
		ch[i] = tmp[k - 1 - i];
	return k;
}

size_t
markov_nedges(const struct markov *m)
{
	return m->ne;
}

void
markov_edge(const struct markov *m, size_t i, uint32_t *from, uint32_t *to,
    double *prob, double *count)
{
	*from = m->efrom[i];
	*to = m->eto[i];
	*count = m->ew[i];
	*prob = m->ew[i] / m->outw[m->efrom[i]];
}

/* The transient part of the chain in compressed rows. */
struct sys {
	size_t ns;
	size_t *row; /* transitions of s: col/p[row[s] .. row[s+1]) */
	uint32_t *col;
	double *p;
	double *b1, *b2; /* one-step conversion probability, value */
};

static void
build(const struct markov *m, struct sys *y)
{
	size_t ns = m->ns;
	y->ns = ns;
	y->row = xcalloc(ns + 1, sizeof *y->row);
	y->b1 = xcalloc(ns, sizeof *y->b1);
	y->b2 = xcalloc(ns, sizeof *y->b2);
	size_t nt = 0;
	for (size_t e = 0; e < m->ne; e++)
		if (m->eto[e] > MARKOV_NULL) {
			y->row[m->efrom[e] + 1]++;
			nt++;
		}
	for (size_t s = 0; s < ns; s++)
		y->row[s + 1] += y->row[s];
	y->col = xmalloc((nt ? nt : 1) * sizeof *y->col);
	y->p = xmalloc((nt ? nt : 1) * sizeof *y->p);
	size_t *fill = xmalloc((ns ? ns : 1) * sizeof *fill);
	memcpy(fill, y->row, ns * sizeof *fill);
	for (size_t e = 0; e < m->ne; e++) {
		uint32_t f = m->efrom[e], t = m->eto[e];
		double p = m->ew[e] / m->outw[f];
		if (t == MARKOV_CONV)
			y->b1[f] += p;
		else if (t > MARKOV_NULL) {
			y->col[fill[f]] = t;
			y->p[fill[f]++] = p;
		}
	}
	for (size_t s = 0; s < ns; s++)
		if (m->outw[s] > 0)
			y->b2[s] = m->valsum[s] / m->outw[s];
	free(fill);
}

static void
sys_free(struct sys *y)
{
	free(y->row);
	free(y->col);
	free(y->p);
	free(y->b1);
	free(y->b2);
}

/*
 * Error estimate after a sweep that changed x by at most d: the tail of a
 * geometric series, d * rho / (1 - rho), with rho the larger of the last
 * two ratios of successive changes (Gauss-Seidel from 0 on this M-matrix
 * system increases monotonically).  *r1 and *r0 carry the last two
 * changes between calls.
 */
static int
small_enough(double d, double *r1, double *r0, double scale)
{
	double prev = *r1, prev2 = *r0;
	*r0 = prev;
	*r1 = d;
	if (d == 0)
		return 1;
	if (!isfinite(prev2) || !(prev > 0) || !(prev2 > 0) || d >= prev ||
	    prev >= prev2)
		return 0;
	double rho = d / prev, rho0 = prev / prev2;
	if (rho0 > rho)
		rho = rho0;
	return d * rho / (1 - rho) <= MARKOV_TOL * scale;
}

/*
 * Solves x = b + Q x over the states not removed (removed ones are 0),
 * for both right-hand sides; sweeps from the last state to (start), the
 * reverse of first appearance, which is close to the reverse of the
 * paths' order, so a chain without loops is solved in two sweeps.
 * Starts from 0 (init NULL: the iterates increase to the solution) or
 * from the solution without removals (they decrease to it, and states
 * that cannot reach a removed one are right from the start).
 */
static int
solve(const struct sys *y, const unsigned char *removed, double *x1, double *x2,
    const double *init1, const double *init2)
{
	size_t ns = y->ns;
	if (init1) {
		memcpy(x1, init1, ns * sizeof *x1);
		memcpy(x2, init2, ns * sizeof *x2);
		for (size_t s = 0; s < ns; s++)
			if (removed[s])
				x1[s] = x2[s] = 0;
	} else {
		memset(x1, 0, ns * sizeof *x1);
		memset(x2, 0, ns * sizeof *x2);
	}
	double a1 = INFINITY, b1 = INFINITY, a2 = INFINITY, b2 = INFINITY;
	for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
		double d1 = 0, d2 = 0, m1 = 0, m2 = 0;
		for (size_t s = ns; s-- > 0;) {
			if (s == MARKOV_CONV || s == MARKOV_NULL ||
			    (removed && removed[s]))
				continue;
			double v1 = y->b1[s], v2 = y->b2[s];
			for (size_t j = y->row[s]; j < y->row[s + 1]; j++) {
				v1 += y->p[j] * x1[y->col[j]];
				v2 += y->p[j] * x2[y->col[j]];
			}
			double e1 = fabs(v1 - x1[s]), e2 = fabs(v2 - x2[s]);
			if (e1 > d1)
				d1 = e1;
			if (e2 > d2)
				d2 = e2;
			if (v1 > m1)
				m1 = v1;
			if (v2 > m2)
				m2 = v2;
			x1[s] = v1;
			x2[s] = v2;
		}
		int ok1 = small_enough(d1, &a1, &b1, m1);
		int ok2 = small_enough(d2, &a2, &b2, m2);
		if (ok1 && ok2)
			return 0;
	}
	return -1;
}

int
markov_solve(struct markov *m, uint32_t nch, double *re, double *re_value,
    double *p, double *ev)
{
	struct sys y;
	build(m, &y);
	size_t ns = m->ns;
	double *x1 = xmalloc(ns * sizeof *x1), *x2 = xmalloc(ns * sizeof *x2);
	double *bx1 = xmalloc(ns * sizeof *bx1);
	double *bx2 = xmalloc(ns * sizeof *bx2);
	unsigned char *removed = xmalloc(ns);
	int rc = solve(&y, NULL, bx1, bx2, NULL, NULL);
	memcpy(x1, bx1, ns * sizeof *x1);
	memcpy(x2, bx2, ns * sizeof *x2);
	double base1 = x1[MARKOV_START], base2 = x2[MARKOV_START];
	*p = base1;
	*ev = base2;
	/* states of each channel, for the removals */
	size_t *cnt = xcalloc((size_t)nch + 1, sizeof *cnt);
	uint32_t ch[MARKOV_MAX_ORDER];
	for (size_t s = 3; s < ns; s++) {
		size_t k = markov_state(m, s, ch);
		for (size_t i = 0; i < k; i++)
			if (ch[i] < nch) {
				int dup = 0;
				for (size_t j = 0; j < i; j++)
					dup |= ch[j] == ch[i];
				if (!dup)
					cnt[ch[i] + 1]++;
			}
	}
	for (uint32_t c = 0; c < nch; c++)
		cnt[c + 1] += cnt[c];
	uint32_t *list = xmalloc((cnt[nch] ? cnt[nch] : 1) * sizeof *list);
	size_t *fill = xmalloc(((size_t)nch + 1) * sizeof *fill);
	memcpy(fill, cnt, ((size_t)nch + 1) * sizeof *fill);
	for (size_t s = 3; s < ns; s++) {
		size_t k = markov_state(m, s, ch);
		for (size_t i = 0; i < k; i++) {
			if (ch[i] >= nch)
				continue;
			int dup = 0;
			for (size_t j = 0; j < i; j++)
				dup |= ch[j] == ch[i];
			if (!dup)
				list[fill[ch[i]]++] = (uint32_t)s;
		}
	}
	for (uint32_t c = 0; c < nch; c++) {
		re[c] = re_value[c] = 0;
		if (cnt[c] == cnt[c + 1])
			continue; /* no state: removing it changes nothing */
		memset(removed, 0, ns);
		for (size_t i = cnt[c]; i < cnt[c + 1]; i++)
			removed[list[i]] = 1;
		if (solve(&y, removed, x1, x2, bx1, bx2) != 0)
			rc = -1;
		if (base1 > 0) {
			double r = 1 - x1[MARKOV_START] / base1;
			re[c] = r < 0 ? 0 : r > 1 ? 1 : r;
		}
		if (base2 > 0) {
			double r = 1 - x2[MARKOV_START] / base2;
			re_value[c] = r < 0 ? 0 : r > 1 ? 1 : r;
		}
	}
	free(cnt);
	free(list);
	free(fill);
	free(removed);
	free(bx1);
	free(bx2);
	free(x1);
	free(x2);
	sys_free(&y);
	return rc;
}
