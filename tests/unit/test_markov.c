/*
 * Unit tests of lib/markov.c: removal effects of small chains of order
 * 1, 2 and 3 against their closed-form solutions (worked by hand in the
 * comments), value removal effects, row-order independence, and random
 * chains against a dense Gaussian elimination of (I - Q) x = b.
 */
#include <math.h>

#include "unit.h"
#include "markov.h"
#include "rng.h"

enum { A, B, C, D };

struct row {
	uint32_t ch[8];
	size_t n;
	double conv, null, value;
};

static struct markov *
chain(int order, const struct row *r, size_t n)
{
	struct markov *m = markov_new(order);
	for (size_t i = 0; i < n; i++)
		markov_add(
		    m, r[i].ch, r[i].n, r[i].conv, r[i].null, r[i].value);
	return m;
}

static void
near(double got, double want, const char *what)
{
	if (fabs(got - want) > 1e-12)
		fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/*
 * a > b (1 conv, 1 null), a (2 null), b (1 conv).
 * start->a 4/5, start->b 1/5, a->b 1/2, a->null 1/2, b->conv 2/3.
 * P = 4/5 * 1/2 * 2/3 + 1/5 * 2/3 = 2/5.  Without a: 1/5 * 2/3 = 2/15,
 * RE 2/3.  Without b: 0, RE 1.
 */
static void
test_order1(void **state)
{
	(void)state;
	struct row r[] = {
		{ { A, B }, 2, 1, 1, 10 },
		{ { A }, 1, 0, 2, 0 },
		{ { B }, 1, 1, 0, 10 },
	};
	struct markov *m = chain(1, r, 3);
	double re[2], rv[2], p, ev;
	assert_int_equal(markov_solve(m, 2, re, rv, &p, &ev), 0);
	near(p, 2.0 / 5, "P");
	near(re[A], 2.0 / 3, "RE a");
	near(re[B], 1, "RE b");
	/* both conversions end in b: mean value 10 */
	near(ev, 4, "expected value");
	near(rv[A], 2.0 / 3, "value RE a");
	assert_int_equal(markov_nstates(m), 5);
	assert_int_equal(markov_nedges(m), 6);
	uint32_t f, t;
	double prob, count;
	markov_edge(m, 0, &f, &t, &prob, &count); /* the first: start -> a */
	assert_int_equal(f, MARKOV_START);
	near(prob, 4.0 / 5, "start -> a");
	near(count, 4, "start -> a count");
	markov_free(m);
}

/*
 * A loop: a > b > a converts (value 10), b is a null.  States a, b, a
 * (collapsed only when consecutive).  x_a = 1/2 + 1/2 x_b, x_b = 1/2 x_a:
 * x_a = 2/3, x_b = 1/3, P = 1/2.  Without a: 0, RE 1; without b: x_a =
 * 1/2, P = 1/4, RE 1/2.
 */
static void
test_loop(void **state)
{
	(void)state;
	struct row r[] = {
		{ { A, B, A }, 3, 1, 0, 10 },
		{ { B }, 1, 0, 1, 0 },
	};
	struct markov *m = chain(1, r, 2);
	double re[2], rv[2], p, ev;
	assert_int_equal(markov_solve(m, 2, re, rv, &p, &ev), 0);
	near(p, 0.5, "P");
	near(ev, 5, "EV");
	near(re[A], 1, "RE a");
	near(re[B], 0.5, "RE b");
	near(rv[B], 0.5, "value RE b");
	markov_free(m);

	/* repeats collapse: a > a > b is the chain a > b */
	struct row r2[] = { { { A, A, B }, 3, 1, 1, 0 } };
	struct row r3[] = { { { A, B }, 2, 1, 1, 0 } };
	struct markov *m2 = chain(1, r2, 1), *m3 = chain(1, r3, 1);
	assert_int_equal(markov_nedges(m2), markov_nedges(m3));
	assert_int_equal(markov_nstates(m2), 5);
	markov_free(m2);
	markov_free(m3);
}

/*
 * Value: a converts once worth 10; b converts once worth 30 and has a
 * null.  start->a 1/3, start->b 2/3, b->conv 1/2.  P = 2/3, EV = 10/3 +
 * 10 = 40/3.  Without a: P 1/3 (RE 1/2), EV 10 (value RE 1/4).  Without
 * b: P 1/3 (RE 1/2), EV 10/3 (value RE 3/4).
 */
static void
test_value(void **state)
{
	(void)state;
	struct row r[] = {
		{ { A }, 1, 1, 0, 10 },
		{ { B }, 1, 1, 1, 30 },
	};
	struct markov *m = chain(1, r, 2);
	double re[2], rv[2], p, ev;
	assert_int_equal(markov_solve(m, 2, re, rv, &p, &ev), 0);
	near(p, 2.0 / 3, "P");
	near(ev, 40.0 / 3, "EV");
	near(re[A], 0.5, "RE a");
	near(re[B], 0.5, "RE b");
	near(rv[A], 0.25, "value RE a");
	near(rv[B], 0.75, "value RE b");
	markov_free(m);
}

/*
 * Order 2: a > b > c converts, a > b is a null, c (shorter than 2: one
 * state) converts and has a null.  start->ab 1/2, start->c 1/2, ab->bc
 * 1/2, bc->conv 1, c->conv 1/2.  P = 1/4 + 1/4 = 1/2.  Without a (ab):
 * 1/4, RE 1/2; without b (ab, bc): 1/4, RE 1/2; without c (bc, c): 0.
 */
static void
test_order2(void **state)
{
	(void)state;
	struct row r[] = {
		{ { A, B, C }, 3, 1, 0, 1 },
		{ { A, B }, 2, 0, 1, 0 },
		{ { C }, 1, 1, 1, 1 },
	};
	struct markov *m = chain(2, r, 3);
	double re[3], rv[3], p, ev;
	assert_int_equal(markov_solve(m, 3, re, rv, &p, &ev), 0);
	near(p, 0.5, "P");
	near(re[A], 0.5, "RE a");
	near(re[B], 0.5, "RE b");
	near(re[C], 1, "RE c");
	assert_int_equal(markov_nstates(m), 6); /* 3 fixed, ab, bc, c */
	uint32_t ch[4];
	assert_int_equal(markov_state(m, 3, ch), 2);
	assert_true(ch[0] == A && ch[1] == B);
	assert_int_equal(markov_state(m, 5, ch), 1);
	assert_true(ch[0] == C);
	markov_free(m);

	/*
	 * A loop of order 2: a > b > a > b converts, a > b is a null.
	 * States ab, ba, ab.  ab -> ba, null, conv each 1/3; ba -> ab.
	 * x_ab = 1/3 + 1/3 x_ab: 1/2 = P.  Every state holds a and b: RE 1.
	 */
	struct row l[] = {
		{ { A, B, A, B }, 4, 1, 0, 1 },
		{ { A, B }, 2, 0, 1, 0 },
	};
	m = chain(2, l, 2);
	assert_int_equal(markov_solve(m, 2, re, rv, &p, &ev), 0);
	near(p, 0.5, "P loop");
	near(re[A], 1, "RE a loop");
	markov_free(m);
}

/*
 * Order 3: a > b > c > d converts, a > b > c > a is a null, d (one
 * state) converts and has a null.  start->abc 1/2, start->d 1/2, abc->bcd
 * 1/2, abc->bca 1/2, bcd->conv, bca->null, d->conv 1/2.  P = 1/2.
 * Without d (bcd, d): 0.  Without a, b or c (abc, bcd or bca): 1/4.
 */
static void
test_order3(void **state)
{
	(void)state;
	struct row r[] = {
		{ { A, B, C, D }, 4, 1, 0, 1 },
		{ { A, B, C, A }, 4, 0, 1, 0 },
		{ { D }, 1, 1, 1, 1 },
	};
	struct markov *m = chain(3, r, 3);
	double re[4], rv[4], p, ev;
	assert_int_equal(markov_solve(m, 4, re, rv, &p, &ev), 0);
	near(p, 0.5, "P");
	near(re[A], 0.5, "RE a");
	near(re[B], 0.5, "RE b");
	near(re[C], 0.5, "RE c");
	near(re[D], 1, "RE d");
	markov_free(m);
}

/* Zero conversions, and a channel seen only in nulls. */
static void
test_edges(void **state)
{
	(void)state;
	struct row r[] = {
		{ { A, B }, 2, 0, 3, 0 },
		{ { B }, 1, 0, 1, 0 },
	};
	struct markov *m = chain(1, r, 2);
	double re[3], rv[3], p, ev;
	assert_int_equal(markov_solve(m, 3, re, rv, &p, &ev), 0);
	assert_true(p == 0 && re[A] == 0 && re[B] == 0 && re[C] == 0);
	markov_free(m);
	/* c only leads to null: removing it changes nothing */
	struct row s[] = {
		{ { A }, 1, 1, 1, 5 }, { { C }, 1, 0, 4, 0 },
		{ { A, B }, 2, 0, 0, 0 }, /* no journeys: adds nothing */
	};
	m = chain(1, s, 3);
	assert_int_equal(markov_solve(m, 3, re, rv, &p, &ev), 0);
	near(p, 1.0 / 6, "P");
	near(re[A], 1, "RE a");
	assert_true(re[B] == 0 && re[C] == 0);
	assert_int_equal(markov_nstates(m), 5);
	markov_free(m);
}

/* P of the chain by dense Gaussian elimination of (I - Q) x = b. */
static double
dense_p(const struct markov *m, const unsigned char *removed)
{
	size_t n = markov_nstates(m);
	double *a = calloc(n * (n + 1), sizeof *a);
	for (size_t i = 0; i < n; i++)
		a[i * (n + 1) + i] = 1;
	for (size_t e = 0; e < markov_nedges(m); e++) {
		uint32_t f, t;
		double p, c;
		markov_edge(m, e, &f, &t, &p, &c);
		if (f < 3 && f != MARKOV_START)
			continue;
		if (removed && removed[f])
			continue;
		if (t == MARKOV_CONV)
			a[f * (n + 1) + n] += p;
		else if (t > MARKOV_NULL && !(removed && removed[t]))
			a[f * (n + 1) + t] -= p;
	}
	for (size_t k = 0; k < n; k++) {
		size_t piv = k;
		for (size_t i = k + 1; i < n; i++)
			if (fabs(a[i * (n + 1) + k]) >
			    fabs(a[piv * (n + 1) + k]))
				piv = i;
		for (size_t j = 0; j <= n; j++) {
			double t = a[k * (n + 1) + j];
			a[k * (n + 1) + j] = a[piv * (n + 1) + j];
			a[piv * (n + 1) + j] = t;
		}
		for (size_t i = 0; i < n; i++) {
			if (i == k)
				continue;
			double f = a[i * (n + 1) + k] / a[k * (n + 1) + k];
			for (size_t j = k; j <= n; j++)
				a[i * (n + 1) + j] -= f * a[k * (n + 1) + j];
		}
	}
	double p = a[MARKOV_START * (n + 1) + n] /
	    a[MARKOV_START * (n + 1) + MARKOV_START];
	free(a);
	return p;
}

static void
random_rows(struct rng *g, struct row *r, size_t n, uint32_t nch)
{
	for (size_t i = 0; i < n; i++) {
		r[i].n = 1 + (size_t)rng_below(g, 8);
		for (size_t j = 0; j < r[i].n; j++)
			r[i].ch[j] = (uint32_t)rng_below(g, nch);
		r[i].conv = (double)rng_below(g, 3);
		r[i].null = (double)rng_below(g, 5) + 0.5;
		r[i].value = r[i].conv * (1 + (double)rng_below(g, 100));
	}
}

static void
test_against_dense(void **state)
{
	(void)state;
	struct rng g;
	rng_seed(&g, 11);
	for (int order = 1; order <= 3; order++) {
		struct row r[60];
		random_rows(&g, r, 60, 5);
		struct markov *m = chain(order, r, 60);
		double re[5], rv[5], p, ev;
		assert_int_equal(markov_solve(m, 5, re, rv, &p, &ev), 0);
		double want = dense_p(m, NULL);
		if (fabs(p - want) > 1e-12 * want)
			fail_msg(
			    "order %d: P %.17g, dense %.17g", order, p, want);
		size_t ns = markov_nstates(m);
		unsigned char *removed = calloc(ns, 1);
		for (uint32_t c = 0; c < 5; c++) {
			uint32_t ch[4];
			for (size_t s = 3; s < ns; s++) {
				size_t k = markov_state(m, s, ch);
				removed[s] = 0;
				for (size_t i = 0; i < k; i++)
					removed[s] |= ch[i] == c;
			}
			double pc = dense_p(m, removed);
			if (fabs((1 - pc / want) - re[c]) > 1e-11)
				fail_msg("order %d channel %u: RE %.17g, dense "
					 "%.17g",
				    order, c, re[c], 1 - pc / want);
		}
		free(removed);
		markov_free(m);
	}
}

/* The same rows in another order give the same removal effects. */
static void
test_row_order(void **state)
{
	(void)state;
	struct rng g;
	rng_seed(&g, 5);
	enum { N = 400 };
	static struct row r[N], s[N];
	random_rows(&g, r, N, 6);
	memcpy(s, r, sizeof r);
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = (size_t)rng_below(&g, i + 1);
		struct row t = s[i];
		s[i] = s[j];
		s[j] = t;
	}
	for (int order = 1; order <= 4; order++) {
		struct markov *m1 = chain(order, r, N),
			      *m2 = chain(order, s, N);
		double re1[6], rv1[6], re2[6], rv2[6], p1, p2, e1, e2;
		assert_int_equal(markov_solve(m1, 6, re1, rv1, &p1, &e1), 0);
		assert_int_equal(markov_solve(m2, 6, re2, rv2, &p2, &e2), 0);
		near(p1, p2, "P");
		near(e1 / 100, e2 / 100, "EV");
		for (int c = 0; c < 6; c++) {
			near(re1[c], re2[c], "RE");
			near(rv1[c], rv2[c], "value RE");
		}
		markov_free(m1);
		markov_free(m2);
	}
}

/* A chain that loops for long: still converges, to the closed form. */
static void
test_slow_loop(void **state)
{
	(void)state;
	/* a > b > a > b ... 400 touches, one conversion; b alone: 1 null.
	 * a -> b always (weight 200) but a -> conv 1; b -> a 199, b -> null
	 * 1 (the null journey's), start->a 1/2, start->b 1/2. */
	struct markov *m = markov_new(1);
	uint32_t ch[400];
	for (int i = 0; i < 400; i++)
		ch[i] = i % 2 ? B : A;
	markov_add(m, ch, 399, 1, 0, 1); /* ends in a */
	uint32_t b = B;
	markov_add(m, &b, 1, 0, 1, 0);
	double re[2], rv[2], p, ev;
	assert_int_equal(markov_solve(m, 2, re, rv, &p, &ev), 0);
	double want = dense_p(m, NULL);
	if (fabs(p - want) > 1e-12 * want)
		fail_msg("P %.17g, dense %.17g", p, want);
	markov_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order1),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_order2),
		cmocka_unit_test(test_order3),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_against_dense),
		cmocka_unit_test(test_row_order),
		cmocka_unit_test(test_slow_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
