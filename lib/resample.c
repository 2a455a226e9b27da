/*
 * resample: Poisson draws and quantiles.  PTRS: W. Hormann, "The
 * transformed rejection method for generating Poisson random variables",
 * Insurance: Mathematics and Economics 12 (1993).
 */
#include <math.h>
#include <stdlib.h>

#include "resample.h"

double
resample_poisson(struct rng *g, double mu)
{
	if (!(mu > 0))
		return 0;
	if (mu < 30) {
		double l = exp(-mu), p = 1, k = 0;
		for (;;) {
			p *= rng_double(g);
			if (p <= l)
				return k;
			k++;
		}
	}
	double slam = sqrt(mu), loglam = log(mu);
	double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
	double invalpha = 1.1239 + 1.1328 / (b - 3.4);
	double vr = 0.9277 - 3.6224 / (b - 2);
	for (;;) {
		double u = rng_double(g) - 0.5, v = rng_double(g);
		double us = 0.5 - fabs(u);
		double k = floor((2 * a / us + b) * u + mu + 0.43);
		if (us >= 0.07 && v <= vr)
			return k;
		if (k < 0 || (us < 0.013 && v > us))
			continue;
		if (log(v) + log(invalpha) - log(a / (us * us) + b) <=
		    -mu + k * loglam - lgamma(k + 1))
			return k;
	}
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

double
resample_quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof *v, cmp_double);
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}
