/* Unit tests of lib/rng.c: the reference sequence, determinism, ranges and
 * rough distribution checks (fixed seeds, so they cannot flake). */
#include <math.h>

#include "unit.h"
#include "rng.h"

static void
test_reference(void **state)
{
	(void)state;
	/* xoshiro256** from the state {1, 2, 3, 4}: the reference output */
	struct rng r = { { 1, 2, 3, 4 } };
	assert_true(rng_next(&r) == 11520);
	assert_true(rng_next(&r) == 0);
	assert_true(rng_next(&r) == 1509978240);
	assert_true(rng_next(&r) == 1215971899390074240ULL);
}

static void
test_determinism(void **state)
{
	(void)state;
	struct rng a, b, c, fa, fb;
	rng_seed(&a, 42);
	rng_seed(&b, 42);
	rng_seed(&c, 43);
	int differ = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t x = rng_next(&a);
		assert_true(x == rng_next(&b));
		differ |= x != rng_next(&c);
	}
	assert_true(differ);
	/* forks depend on the key, not on how much the parent drew since */
	rng_seed(&a, 7);
	rng_seed(&b, 7);
	rng_fork(&a, 99, &fa);
	rng_fork(&b, 99, &fb);
	assert_true(rng_next(&fa) == rng_next(&fb));
	rng_fork(&a, 100, &fb);
	assert_true(rng_next(&fa) != rng_next(&fb));
}

static void
test_ranges(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 1);
	int seen[7] = { 0 };
	double sum = 0, sum_exp = 0, sum_n = 0, sum_n2 = 0;
	const int n = 200000;
	for (int i = 0; i < n; i++) {
		double d = rng_double(&r);
		assert_true(d >= 0 && d < 1);
		sum += d;
		uint64_t k = rng_below(&r, 7);
		assert_true(k < 7);
		seen[k]++;
		sum_exp += rng_exp(&r, 3.0);
		double z = rng_normal(&r);
		sum_n += z;
		sum_n2 += z * z;
	}
	assert_true(fabs(sum / n - 0.5) < 0.01);
	for (int k = 0; k < 7; k++)
		assert_true(abs(seen[k] - n / 7) < n / 70);
	assert_true(fabs(sum_exp / n - 3.0) < 0.05);
	assert_true(fabs(sum_n / n) < 0.01);
	assert_true(fabs(sum_n2 / n - 1.0) < 0.02);
	assert_true(rng_below(&r, 1) == 0);
	assert_true(rng_lognormal(&r, 0, 1) > 0);
}

static void
test_weighted(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 3);
	const double w[] = { 0, 1, 0, 3 };
	int count[4] = { 0 };
	for (int i = 0; i < 40000; i++)
		count[rng_weighted(&r, w, 4)]++;
	assert_int_equal(count[0], 0);
	assert_int_equal(count[2], 0);
	assert_true(abs(count[3] - 30000) < 600);
	int hits = 0;
	for (int i = 0; i < 10000; i++)
		hits += rng_chance(&r, 0.25);
	assert_true(abs(hits - 2500) < 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_weighted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
