/* Unit tests of lib/attrib.c: every heuristic's weights, by hand. */
#include <math.h>

#include "unit.h"
#include "attrib.h"

#define A 0
#define D 1 /* "direct" */
#define B 2

static void
expect(enum attrib_model m, const struct attrib_conf *c, const uint32_t *ch,
    const double *age, size_t n, const double *want)
{
	double w[16];
	attrib_weights(m, c, ch, age, n, w);
	for (size_t i = 0; i < n; i++) {
		if (fabs(w[i] - want[i]) > 1e-15)
			fail_msg("%s touch %zu: got %.17g, want %.17g",
			    attrib_model_name(m), i, w[i], want[i]);
	}
}

static void
test_weights(void **state)
{
	(void)state;
	struct attrib_conf c;
	attrib_conf_init(&c);
	c.direct = D;
	const uint32_t p4[4] = { A, D, B, A };
	const double age[4] = { 14 * 86400.0, 7 * 86400.0, 7 * 86400.0, 0 };
	expect(ATTRIB_FIRST, &c, p4, NULL, 4, (double[]){ 1, 0, 0, 0 });
	expect(ATTRIB_LAST, &c, p4, NULL, 4, (double[]){ 0, 0, 0, 1 });
	expect(ATTRIB_LINEAR, &c, p4, NULL, 4,
	    (double[]){ 0.25, 0.25, 0.25, 0.25 });
	expect(ATTRIB_PARTICIPATION, &c, p4, NULL, 4, (double[]){ 1, 1, 1, 0 });
	expect(
	    ATTRIB_POSITION, &c, p4, NULL, 4, (double[]){ 0.4, 0.1, 0.1, 0.4 });
	expect(ATTRIB_J, &c, p4, NULL, 4, (double[]){ 0.2, 0.1, 0.1, 0.6 });
	expect(ATTRIB_INVERSE_J, &c, p4, NULL, 4,
	    (double[]){ 0.6, 0.1, 0.1, 0.2 });
	/* 2^-2, 2^-1, 2^-1, 2^0 over their sum 2.25 */
	expect(ATTRIB_TIME_DECAY, &c, p4, age, 4,
	    (double[]){ 1.0 / 9, 2.0 / 9, 2.0 / 9, 4.0 / 9 });
	c.linear_unique = 1;
	expect(ATTRIB_LINEAR, &c, p4, NULL, 4,
	    (double[]){ 1.0 / 3, 1.0 / 3, 1.0 / 3, 0 });

	/* last_non_direct passes over trailing direct touches */
	const uint32_t pd[3] = { A, B, D }, dd[2] = { D, D };
	expect(ATTRIB_LAST_NON_DIRECT, &c, pd, NULL, 3, (double[]){ 0, 1, 0 });
	expect(
	    ATTRIB_LAST_NON_DIRECT, &c, p4, NULL, 4, (double[]){ 0, 0, 0, 1 });
	expect(ATTRIB_LAST_NON_DIRECT, &c, dd, NULL, 2, (double[]){ 0, 1 });
	c.direct = UINT32_MAX; /* no channel called direct */
	expect(ATTRIB_LAST_NON_DIRECT, &c, pd, NULL, 3, (double[]){ 0, 0, 1 });

	/* two touches: position halves, j and inverse_j give the middle
	 * share to both ends pro rata */
	const uint32_t p2[2] = { A, B }, p1[1] = { B };
	expect(ATTRIB_POSITION, &c, p2, NULL, 2, (double[]){ 0.5, 0.5 });
	expect(ATTRIB_J, &c, p2, NULL, 2, (double[]){ 0.25, 0.75 });
	expect(ATTRIB_INVERSE_J, &c, p2, NULL, 2, (double[]){ 0.75, 0.25 });
	c.pos_first = 0.3;
	c.pos_last = 0.5;
	expect(ATTRIB_POSITION, &c, p2, NULL, 2, (double[]){ 0.5, 0.5 });
	expect(
	    ATTRIB_POSITION, &c, p4, NULL, 4, (double[]){ 0.3, 0.1, 0.1, 0.5 });
	c.pos_first = c.pos_last = 0;
	expect(ATTRIB_POSITION, &c, p2, NULL, 2, (double[]){ 0.5, 0.5 });
	/* one touch gets everything, whatever the model */
	for (int m = 0; m < ATTRIB_NMODELS; m++)
		if (attrib_is_heuristic((enum attrib_model)m))
			expect((enum attrib_model)m, &c, p1, (double[]){ 5e9 },
			    1, (double[]){ 1 });
	/* very old journeys do not underflow: ages are relative */
	const double old[2] = { 1e12 + 86400 * 7, 1e12 };
	c.half_life = 7 * 86400.0;
	expect(
	    ATTRIB_TIME_DECAY, &c, p2, old, 2, (double[]){ 1.0 / 3, 2.0 / 3 });
}

static void
test_aggregate(void **state)
{
	(void)state;
	struct pathtab *t = pathtab_new(0);
	const char *why;
	/* a > b: 2 conversions worth 10; b: 1 worth 4; a > b > a: 1 worth 6 */
	assert_int_equal(
	    pathtab_add(t, "a > b", 5, NULL, 0, 2, 10, 1, &why), 0);
	assert_int_equal(pathtab_add(t, "b", 1, NULL, 0, 1, 4, 0, &why), 0);
	assert_int_equal(
	    pathtab_add(t, "a > b > a", 9, NULL, 0, 1, 6, 3, &why), 0);
	assert_int_equal(pathtab_add(t, "c", 1, NULL, 0, 0, 0, 5, &why), 0);
	struct attrib_conf c;
	attrib_conf_init(&c);
	double conv[3], value[3];
	struct {
		enum attrib_model m;
		double a, b, c, va, vb;
	} want[] = {
		{ ATTRIB_FIRST, 3, 1, 0, 16, 4 },
		{ ATTRIB_LAST, 1, 3, 0, 6, 14 },
		/* a: 2/2 + 2/3, b: 2/2 + 1 + 1/3 */
		{ ATTRIB_LINEAR, 1 + 2.0 / 3, 2 + 1.0 / 3, 0, 5 + 4,
		    5 + 4 + 2 },
		{ ATTRIB_PARTICIPATION, 3, 4, 0, 16, 20 },
		/* a > b > a: 0.4 + 0.4 to a, 0.2 to b */
		{ ATTRIB_POSITION, 1 + 0.8, 1 + 1 + 0.2, 0, 5 + 4.8,
		    5 + 4 + 1.2 },
	};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		memset(conv, 0, sizeof conv);
		memset(value, 0, sizeof value);
		attrib_heuristic(
		    want[k].m, &c, t, t->conv, t->value, conv, value);
		assert_true(fabs(conv[0] - want[k].a) < 1e-12);
		assert_true(fabs(conv[1] - want[k].b) < 1e-12);
		assert_true(conv[2] == 0);
		assert_true(fabs(value[0] - want[k].va) < 1e-12);
		assert_true(fabs(value[1] - want[k].vb) < 1e-12);
	}
	assert_int_equal(attrib_model_parse("inverse_j", 9), ATTRIB_INVERSE_J);
	assert_int_equal(attrib_model_parse("shapley", 7), ATTRIB_SHAPLEY);
	assert_int_equal(attrib_model_parse("firs", 4), -1);
	pathtab_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_aggregate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
