/*
 * shapley: Shapley values over channel coalitions (Dalessandro et al.,
 * 2012, "Causally motivated attribution for online advertising").
 *
 * Journeys are grouped by their set of distinct channels S.  The value of
 * a coalition is v(S) = conversions / (conversions + nulls) of the
 * journeys whose channel set is exactly S; a set no journey has (an
 * unseen coalition, and the empty set) has v = 0.  Within a set S of d
 * channels, channel c gets
 *   phi_c(S) = sum over T in S \ {c} of |T|! (d - |T| - 1)! / d!
 *              * (v(T + c) - v(T)),
 * exactly when d <= SHAPLEY_EXACT_MAX, else estimated from a number of
 * random orders of S drawn from a generator seeded with the seed and S
 * (the same seed gives the same values whatever the input order).  The
 * phi of a set sum to v(S) (efficiency); a converting journey's
 * conversions and value are split by phi_c(S) / v(S), so a channel whose
 * presence lowers the conversion rate gets a negative share.  Channel ids
 * are < 64.  Pure: no I/O.
 */
#ifndef JT_SHAPLEY_H
#define JT_SHAPLEY_H

#include <stddef.h>
#include <stdint.h>

#define SHAPLEY_EXACT_MAX 16
#define SHAPLEY_MAX_CHANNELS 64

struct shapley;

/* An empty table; perms orders are drawn for sets above the exact size. */
struct shapley *shapley_new(uint64_t seed, size_t perms);
void shapley_free(struct shapley *s);

/* The channel set of ch[0..n) as a bit mask (ids < 64). */
uint64_t shapley_mask(const uint32_t *ch, size_t n);

/* Adds journeys with channel set mask: conv conversions, null nulls. */
void shapley_add(struct shapley *s, uint64_t mask, double conv, double null);

/* v(mask): the conversion rate of the set, 0 when unseen. */
double shapley_v(const struct shapley *s, uint64_t mask);

/*
 * The shares of the channels of mask, in increasing id order, into
 * share[0..popcount(mask)): phi_c / v(mask), summing to 1; all 0 when
 * v(mask) is 0.  Computed once per set and kept.  Returns popcount.
 */
size_t shapley_shares(struct shapley *s, uint64_t mask, double *share);

/* The raw phi_c(mask), same order (for tests and --per-journey). */
size_t shapley_phi(struct shapley *s, uint64_t mask, double *phi);

#endif
