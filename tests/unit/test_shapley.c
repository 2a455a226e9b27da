/*
 * Unit tests of lib/shapley.c: hand-computed values of two- and
 * three-channel games, unseen coalitions, efficiency, and the sampled
 * estimate above 16 channels on an additive game (every order gives each
 * channel exactly its weight, so the estimate must be exact too).
 */
#include <math.h>

#include "unit.h"
#include "shapley.h"

#define BIT(c) (1ULL << (c))

static void
near(double got, double want, const char *what)
{
	if (fabs(got - want) > 1e-12)
		fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/*
 * v(a) = 1/2, v(b) = 1/4, v(ab) = 3/4.  phi_a = 1/2 (v(a) - 0) + 1/2
 * (v(ab) - v(b)) = 1/2; phi_b = 1/2 (1/4) + 1/2 (3/4 - 1/2) = 1/4.
 */
static void
test_two(void **state)
{
	(void)state;
	struct shapley *s = shapley_new(1, 100);
	shapley_add(s, BIT(0), 1, 1);
	shapley_add(s, BIT(1), 1, 3);
	shapley_add(s, BIT(0) | BIT(1), 2, 1);
	shapley_add(s, BIT(0) | BIT(1), 1, 0); /* adds up: 3 of 4 */
	near(shapley_v(s, BIT(0) | BIT(1)), 0.75, "v(ab)");
	double phi[2], share[2];
	assert_int_equal(shapley_phi(s, BIT(0) | BIT(1), phi), 2);
	near(phi[0], 0.5, "phi a");
	near(phi[1], 0.25, "phi b");
	shapley_shares(s, BIT(0) | BIT(1), share);
	near(share[0], 2.0 / 3, "share a");
	near(share[1], 1.0 / 3, "share b");
	/* a one-channel set takes everything */
	shapley_shares(s, BIT(1), share);
	near(share[0], 1, "share b alone");
	/* unseen coalitions are worth 0: c alone never seen, ac converts
	 * always.  phi_a = 1/2 (1/2) + 1/2 (1 - 0) = 3/4, phi_c = 1/4 */
	shapley_add(s, BIT(0) | BIT(2), 1, 0);
	assert_int_equal(shapley_phi(s, BIT(0) | BIT(2), phi), 2);
	near(phi[0], 0.75, "phi a with unseen c");
	near(phi[1], 0.25, "phi c unseen alone");
	/* a set without conversions: shares 0, not NaN */
	shapley_add(s, BIT(3), 0, 4);
	shapley_shares(s, BIT(3), share);
	assert_true(share[0] == 0);
	assert_true(shapley_v(s, BIT(5)) == 0);
	shapley_free(s);
}

/*
 * Three channels, every coalition seen: v(a) = .1, v(b) = .2, v(c) = .3,
 * v(ab) = .4, v(ac) = .5, v(bc) = .5, v(abc) = .9.
 * phi_a = 1/3 (.1) + 1/6 (.4 - .2) + 1/6 (.5 - .3) + 1/3 (.9 - .5) = .233..
 * phi_b = 1/3 (.2) + 1/6 (.4 - .1) + 1/6 (.5 - .3) + 1/3 (.9 - .5) = .283..
 * phi_c = .9 - phi_a - phi_b = .383..
 */
static void
test_three(void **state)
{
	(void)state;
	struct shapley *s = shapley_new(1, 100);
	const struct {
		uint64_t m;
		double v;
	} g[] = { { BIT(0), .1 }, { BIT(1), .2 }, { BIT(2), .3 },
		{ BIT(0) | BIT(1), .4 }, { BIT(0) | BIT(2), .5 },
		{ BIT(1) | BIT(2), .5 }, { BIT(0) | BIT(1) | BIT(2), .9 } };
	for (size_t i = 0; i < 7; i++)
		shapley_add(s, g[i].m, g[i].v * 10, (1 - g[i].v) * 10);
	double phi[3];
	shapley_phi(s, BIT(0) | BIT(1) | BIT(2), phi);
	near(phi[0], .1 / 3 + .2 / 6 + .2 / 6 + .4 / 3, "phi a");
	near(phi[1], .2 / 3 + .3 / 6 + .2 / 6 + .4 / 3, "phi b");
	near(phi[0] + phi[1] + phi[2], .9, "efficiency");
	shapley_free(s);
}

/* 17 channels: sampled.  An additive game v(T) = sum of w_c. */
static void
test_sampled(void **state)
{
	(void)state;
	enum { D = 17 };
	double w[D], sum = 0;
	for (int c = 0; c < D; c++) {
		w[c] = (c + 1) / 200.0;
		sum += w[c];
	}
	struct shapley *s = shapley_new(7, 50);
	for (uint64_t m = 1; m < BIT(D); m++) {
		double v = 0;
		for (int c = 0; c < D; c++)
			if (m >> c & 1)
				v += w[c];
		shapley_add(s, m, v, 1 - v);
	}
	double phi[D], again[D];
	assert_int_equal(shapley_phi(s, BIT(D) - 1, phi), D);
	double tot = 0;
	for (int c = 0; c < D; c++) {
		near(phi[c], w[c], "additive phi");
		tot += phi[c];
	}
	near(tot, sum, "efficiency");
	shapley_free(s);

	/* a non-additive game: the estimate depends on the seed only */
	struct shapley *s1 = shapley_new(3, 20), *s2 = shapley_new(3, 20);
	for (uint64_t m = 1; m < BIT(D); m += 3) {
		double v = (double)__builtin_popcountll(m) / D;
		v = v * v;
		shapley_add(s1, m, v, 1 - v);
		shapley_add(s2, m, v, 1 - v);
	}
	shapley_add(s1, BIT(D) - 1, 1, 0);
	shapley_add(s2, BIT(D) - 1, 1, 0);
	shapley_phi(s1, BIT(D) - 1, phi);
	shapley_phi(s2, BIT(D) - 1, again);
	tot = 0;
	for (int c = 0; c < D; c++) {
		assert_true(phi[c] == again[c]);
		tot += phi[c];
	}
	near(tot, 1, "efficiency of the sample");
	shapley_free(s1);
	shapley_free(s2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two),
		cmocka_unit_test(test_three),
		cmocka_unit_test(test_sampled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
