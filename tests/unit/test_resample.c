/* Unit tests of lib/resample.c: Poisson moments and probabilities on
 * both sides of the method switch at 30, determinism, quantiles. */
#include <math.h>

#include "unit.h"
#include "resample.h"

static void
moments(double mu, size_t n, uint64_t seed)
{
	struct rng r;
	rng_seed(&r, seed);
	double s = 0, s2 = 0, at_mode = 0;
	double mode = floor(mu);
	for (size_t i = 0; i < n; i++) {
		double k = resample_poisson(&r, mu);
		if (k < 0 || k != floor(k))
			fail_msg("mu %g: draw %g is not a count", mu, k);
		s += k;
		s2 += k * k;
		at_mode += k == mode;
	}
	double mean = s / (double)n, var = s2 / (double)n - mean * mean;
	/* the mean is within 5 standard errors, the variance within 5% */
	if (fabs(mean - mu) > 5 * sqrt(mu / (double)n))
		fail_msg("mu %g: mean %g", mu, mean);
	if (fabs(var / mu - 1) > 0.05)
		fail_msg("mu %g: variance %g", mu, var);
	/* P(X = mode) = exp(-mu) mu^mode / mode! */
	double p = exp(-mu + mode * log(mu) - lgamma(mode + 1));
	double f = at_mode / (double)n;
	if (fabs(f - p) > 5 * sqrt(p * (1 - p) / (double)n))
		fail_msg("mu %g: P(%g) %g, want %g", mu, mode, f, p);
}

static void
test_poisson(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 1);
	assert_true(resample_poisson(&r, 0) == 0);
	assert_true(resample_poisson(&r, -2) == 0);
	moments(1, 200000, 1);
	moments(4.5, 200000, 2);
	moments(29.9, 100000, 3);
	moments(30, 100000, 4);
	moments(250, 100000, 5);
	moments(1e4, 50000, 6);
	/* the same seed, the same draws */
	struct rng a, b;
	rng_seed(&a, 9);
	rng_seed(&b, 9);
	for (int i = 0; i < 1000; i++) {
		double mu = i % 2 ? 3 : 300;
		assert_true(
		    resample_poisson(&a, mu) == resample_poisson(&b, mu));
	}
}

static void
test_quantile(void **state)
{
	(void)state;
	double v[4] = { 4, 1, 3, 2 };
	assert_true(resample_quantile(v, 4, 0) == 1);
	assert_true(resample_quantile(v, 4, 1) == 4);
	assert_true(resample_quantile(v, 4, 0.5) == 2.5);
	assert_true(resample_quantile(v, 4, 0.25) == 1.75);
	double one[1] = { 7 };
	assert_true(resample_quantile(one, 1, 0.025) == 7);
	assert_true(resample_quantile(one, 1, 0.975) == 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poisson),
		cmocka_unit_test(test_quantile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
