/*
 * rng: xoshiro256** by Blackman and Vigna (public domain reference
 * algorithm), seeded with splitmix64 as its authors recommend.
 */
#include <math.h>

#include "rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

void
rng_fork(const struct rng *r, uint64_t key, struct rng *out)
{
	/* mix the parent's state with the key, then seed afresh */
	uint64_t x = r->s[0] ^ (r->s[1] << 1) ^ (r->s[2] >> 1) ^ r->s[3];
	uint64_t k = key;
	rng_seed(out, x ^ splitmix64(&k));
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
rng_double(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	/* Lemire's nearly divisionless method: multiply, reject the few
	 * values that would make some results more likely */
	unsigned __int128 m = (unsigned __int128)rng_next(r) * n;
	uint64_t low = (uint64_t)m;
	if (low < n) {
		uint64_t threshold = -n % n;
		while (low < threshold) {
			m = (unsigned __int128)rng_next(r) * n;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

int
rng_chance(struct rng *r, double p)
{
	return rng_double(r) < p;
}

double
rng_exp(struct rng *r, double mean)
{
	/* 1 - u is in (0, 1]: log never sees 0 */
	return -mean * log(1.0 - rng_double(r));
}

double
rng_normal(struct rng *r)
{
	double u = 1.0 - rng_double(r), v = rng_double(r);
	return sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979323846 * v);
}

double
rng_lognormal(struct rng *r, double mu, double sigma)
{
	return exp(mu + sigma * rng_normal(r));
}

size_t
rng_weighted(struct rng *r, const double *weight, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += weight[i];
	double x = rng_double(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < weight[i])
			return i;
		x -= weight[i];
	}
	/* rounding left x at the very top: the last positive weight */
	for (size_t i = n; i-- > 0;)
		if (weight[i] > 0)
			return i;
	return 0;
}
