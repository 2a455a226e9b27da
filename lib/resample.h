/*
 * resample: the pieces of a seeded bootstrap: Poisson draws (each journey
 * is drawn Poisson(1) times, and an aggregated row of n journeys
 * Poisson(n)) and percentile intervals.  Pure: no I/O.
 */
#ifndef JT_RESAMPLE_H
#define JT_RESAMPLE_H

#include <stddef.h>

#include "rng.h"

/*
 * A Poisson draw with mean mu (0 for mu <= 0): multiplication of
 * uniforms below 30, Hormann's transformed rejection (PTRS) above.  The
 * same generator state gives the same draw on every machine.
 */
double resample_poisson(struct rng *r, double mu);

/*
 * The q quantile (0 <= q <= 1) of v[0..n), n >= 1, by linear
 * interpolation between order statistics (R's type 7); sorts v in place.
 */
double resample_quantile(double *v, size_t n, double q);

#endif
