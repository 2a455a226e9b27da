/*
 * rng: a small, fast, seedable pseudo-random generator (xoshiro256**,
 * seeded through splitmix64) and the draws the world generator needs.
 *
 * The same seed gives the same sequence on every machine: no floating
 * point enters the integer state, and doubles are built from the top 53
 * bits.  Not for cryptography.
 */
#ifndef JT_RNG_H
#define JT_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* Seeds the state from one 64-bit seed (any value, 0 included). */
void rng_seed(struct rng *r, uint64_t seed);
/*
 * A generator for a sub-stream (a person, a silo) derived from r's seed and
 * key, so that streams do not shift when another stream draws more.
 */
void rng_fork(const struct rng *r, uint64_t key, struct rng *out);
/* 64 random bits. */
uint64_t rng_next(struct rng *r);
/* A uniform double in [0, 1). */
double rng_double(struct rng *r);
/* A uniform integer in [0, n), n > 0, without modulo bias (Lemire). */
uint64_t rng_below(struct rng *r, uint64_t n);
/* 1 with probability p. */
int rng_chance(struct rng *r, double p);
/* An exponential draw with the given mean. */
double rng_exp(struct rng *r, double mean);
/* A log-normal draw: exp(mu + sigma * N(0,1)) (heavy-tailed activity). */
double rng_lognormal(struct rng *r, double mu, double sigma);
/* A standard normal draw (Box-Muller, one value per call). */
double rng_normal(struct rng *r);
/*
 * An index in [0, n) drawn with probability weight[i] / sum(weight);
 * weights are >= 0 and not all 0.
 */
size_t rng_weighted(struct rng *r, const double *weight, size_t n);

#endif
