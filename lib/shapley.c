/*
 * shapley: sets kept in an open-addressing map from mask to an entry
 * (counts, and the phi once computed, in one growing pool).  Invariant:
 * an entry's phi, once computed, is never recomputed, so --per-journey
 * and the totals use the same numbers.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rng.h"
#include "shapley.h"

struct entry {
	uint64_t mask;
	double conv, null;
	size_t phi; /* offset in pool, SIZE_MAX until computed */
};

struct shapley {
	uint64_t seed;
	size_t perms;
	uint32_t *slot; /* entry + 1, 0 empty */
	size_t mask;
	struct entry *ent;
	size_t n, cap;
	double *pool;
	size_t pn, pcap;
	uint64_t all;  /* the union of every set added */
	double *dense; /* v of every subset of all, when it has few bits */
	int dense_built;
};

/* Up to this many channels in all, v is tabulated for every subset. */
#define DENSE_MAX_BITS 20

static size_t
hash(uint64_t k)
{
	k ^= k >> 31;
	k *= 0x9e3779b97f4a7c15ULL;
	k ^= k >> 29;
	return (size_t)k;
}

struct shapley *
shapley_new(uint64_t seed, size_t perms)
{
	struct shapley *s = xcalloc(1, sizeof *s);
	s->seed = seed;
	s->perms = perms ? perms : 1;
	s->mask = 1023;
	s->slot = xcalloc(s->mask + 1, sizeof *s->slot);
	s->cap = 256;
	s->ent = xmalloc(s->cap * sizeof *s->ent);
	s->pcap = 1024;
	s->pool = xmalloc(s->pcap * sizeof *s->pool);
	return s;
}

void
shapley_free(struct shapley *s)
{
	if (!s)
		return;
	free(s->slot);
	free(s->ent);
	free(s->pool);
	free(s->dense);
	free(s);
}

uint64_t
shapley_mask(const uint32_t *ch, size_t n)
{
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++)
		m |= 1ULL << ch[i];
	return m;
}

static struct entry *
find(const struct shapley *s, uint64_t mask)
{
	size_t j = hash(mask) & s->mask;
	while (s->slot[j]) {
		struct entry *e = &s->ent[s->slot[j] - 1];
		if (e->mask == mask)
			return e;
		j = (j + 1) & s->mask;
	}
	return NULL;
}

static void
grow(struct shapley *s)
{
	free(s->slot);
	s->mask = s->mask * 2 + 1;
	s->slot = xcalloc(s->mask + 1, sizeof *s->slot);
	for (size_t i = 0; i < s->n; i++) {
		size_t j = hash(s->ent[i].mask) & s->mask;
		while (s->slot[j])
			j = (j + 1) & s->mask;
		s->slot[j] = (uint32_t)i + 1;
	}
}

void
shapley_add(struct shapley *s, uint64_t mask, double conv, double null)
{
	struct entry *e = find(s, mask);
	if (!e) {
		if (s->n == s->cap) {
			s->cap *= 2;
			s->ent = xreallocarray(s->ent, s->cap, sizeof *s->ent);
		}
		e = &s->ent[s->n++];
		e->mask = mask;
		e->conv = e->null = 0;
		e->phi = SIZE_MAX;
		if (s->n * 2 > s->mask + 1)
			grow(s);
		else {
			size_t j = hash(mask) & s->mask;
			while (s->slot[j])
				j = (j + 1) & s->mask;
			s->slot[j] = (uint32_t)s->n;
		}
	}
	e->conv += conv;
	e->null += null;
	s->all |= mask;
	if (s->dense_built) { /* a set added after values were asked */
		free(s->dense);
		s->dense = NULL;
		s->dense_built = 0;
	}
}

/*
 * The table of v over every subset of all (indexed by the subset's
 * bits packed in channel order), when all has few channels: the exact
 * sums then read an array instead of probing the map.
 */
static void
build_dense(struct shapley *s)
{
	s->dense_built = 1;
	if (s->all >> DENSE_MAX_BITS) /* ids must be small to index */
		return;
	uint32_t top = 0;
	while (top < 64 && (s->all >> top))
		top++;
	size_t n = (size_t)1 << top;
	s->dense = xcalloc(n, sizeof *s->dense);
	for (size_t i = 0; i < s->n; i++) {
		const struct entry *e = &s->ent[i];
		if (e->conv + e->null > 0)
			s->dense[e->mask] = e->conv / (e->conv + e->null);
	}
}

double
shapley_v(const struct shapley *s, uint64_t mask)
{
	const struct entry *e = mask ? find(s, mask) : NULL;
	if (!e || !(e->conv + e->null > 0))
		return 0;
	return e->conv / (e->conv + e->null);
}

static void
exact(const struct shapley *s, const uint32_t *bit, size_t d, double *phi)
{
	size_t nsub = (size_t)1 << d;
	double *v = xmalloc(nsub * sizeof *v);
	double *wl = xmalloc(nsub * sizeof *wl);
	uint64_t *g = xmalloc(nsub * sizeof *g);
	g[0] = 0;
	v[0] = 0;
	for (size_t l = 1; l < nsub; l++) {
		/* the global set of l: that of l without its lowest bit, plus
		 * the channel of that bit */
		g[l] = g[l & (l - 1)] | 1ULL << bit[__builtin_ctzll(l)];
		v[l] = s->dense ? s->dense[g[l]] : shapley_v(s, g[l]);
	}
	/* w[t] = t! (d - t - 1)! / d! */
	double w[SHAPLEY_EXACT_MAX], f[SHAPLEY_EXACT_MAX + 1];
	f[0] = 1;
	for (size_t i = 1; i <= d; i++)
		f[i] = f[i - 1] * (double)i;
	for (size_t t = 0; t < d; t++)
		w[t] = f[t] * f[d - t - 1] / f[d];
	/* popcount by the same recurrence as g, no popcount instruction */
	unsigned char *pc = (unsigned char *)g; /* g is no longer needed */
	pc[0] = 0;
	for (size_t l = 1; l < nsub; l++)
		pc[l] = (unsigned char)(pc[l & (l - 1)] + 1);
	for (size_t l = 0; l < nsub; l++)
		wl[l] = pc[l] < d ? w[pc[l]] : 0;
	for (size_t i = 0; i < d; i++) {
		double acc = 0;
		size_t b = (size_t)1 << i;
		for (size_t l = 0; l < nsub; l++)
			if (!(l & b))
				acc += wl[l] * (v[l | b] - v[l]);
		phi[i] = acc;
	}
	free(v);
	free(wl);
	free(g);
}

static void
sampled(const struct shapley *s, uint64_t mask, const uint32_t *bit, size_t d,
    double *phi)
{
	struct rng base, r;
	rng_seed(&base, s->seed);
	rng_fork(&base, mask, &r);
	uint32_t *order = xmalloc(d * sizeof *order);
	for (size_t i = 0; i < d; i++)
		phi[i] = 0;
	for (size_t k = 0; k < s->perms; k++) {
		for (size_t i = 0; i < d; i++)
			order[i] = (uint32_t)i;
		for (size_t i = d - 1; i > 0; i--) {
			size_t j = (size_t)rng_below(&r, i + 1);
			uint32_t t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		uint64_t pre = 0;
		double vpre = 0;
		for (size_t i = 0; i < d; i++) {
			pre |= 1ULL << bit[order[i]];
			double vn = shapley_v(s, pre);
			phi[order[i]] += vn - vpre;
			vpre = vn;
		}
	}
	for (size_t i = 0; i < d; i++)
		phi[i] /= (double)s->perms;
	free(order);
}

/* The entry's phi in the pool, computing it the first time. */
static const double *
phi_of(struct shapley *s, uint64_t mask, size_t *d)
{
	uint32_t bit[SHAPLEY_MAX_CHANNELS];
	size_t n = 0;
	for (uint64_t m = mask; m; m &= m - 1)
		bit[n++] = (uint32_t)__builtin_ctzll(m);
	*d = n;
	struct entry *e = find(s, mask);
	if (e && e->phi != SIZE_MAX)
		return s->pool + e->phi;
	if (s->pn + n > s->pcap) {
		while (s->pn + n > s->pcap)
			s->pcap *= 2;
		s->pool = xreallocarray(s->pool, s->pcap, sizeof *s->pool);
	}
	double *phi = s->pool + s->pn;
	if (!s->dense_built)
		build_dense(s);
	if (n <= SHAPLEY_EXACT_MAX)
		exact(s, bit, n, phi);
	else
		sampled(s, mask, bit, n, phi);
	if (!e)
		return phi; /* an unseen set: not kept (pool slot reused) */
	e->phi = s->pn;
	s->pn += n;
	return phi;
}

size_t
shapley_phi(struct shapley *s, uint64_t mask, double *phi)
{
	size_t d;
	const double *p = phi_of(s, mask, &d);
	memcpy(phi, p, d * sizeof *phi);
	return d;
}

size_t
shapley_shares(struct shapley *s, uint64_t mask, double *share)
{
	size_t d;
	const double *p = phi_of(s, mask, &d);
	double v = shapley_v(s, mask);
	for (size_t i = 0; i < d; i++)
		share[i] = v > 0 ? p[i] / v : 0;
	return d;
}
