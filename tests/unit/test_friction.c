/* Unit tests of lib/qsketch.c and lib/friction.c, expectations by hand. */
#include <math.h>

#include "unit.h"
#include "friction.h"
#include "qsketch.h"

static void
test_sketch_exact(void **state)
{
	(void)state;
	struct qsketch s;
	qsketch_init(&s);
	assert_true(qsketch_quantile(&s, 0.5) < 0);
	for (uint64_t v = 4; v >= 1; v--)
		qsketch_add(&s, v);
	/* type 7: h = (n-1) q */
	assert_true(fabs(qsketch_quantile(&s, 0.5) - 2.5) < 1e-9);
	assert_true(fabs(qsketch_quantile(&s, 0.9) - 3.7) < 1e-9);
	assert_true(fabs(qsketch_quantile(&s, 0) - 1) < 1e-9);
	assert_true(fabs(qsketch_quantile(&s, 1) - 4) < 1e-9);
	assert_true(
	    fabs(qsketch_quantile_in(&s, 0.5, 3, UINT64_MAX) - 3.5) < 1e-9);
	assert_true(qsketch_quantile_in(&s, 0.5, 10, 20) < 0);
	assert_int_equal(qsketch_count_ge(&s, 3), 2);
	assert_int_equal(qsketch_count_ge(&s, 2.5), 2);
	assert_null(s.bucket);
	qsketch_free(&s);
}

static void
test_sketch_buckets(void **state)
{
	(void)state;
	assert_int_equal(qsketch_bucket_of(0), 0);
	assert_int_equal(qsketch_bucket_of(1), 1);
	/* ln 2 / ln 1.02 = 35.0028: bucket 36 = [1.02^35, 1.02^36) */
	assert_int_equal(qsketch_bucket_of(2), 36);
	assert_int_equal(qsketch_bucket_of(1000), 349);
	assert_int_equal(qsketch_bucket_of(UINT64_MAX), QSKETCH_BUCKETS - 1);
	for (uint64_t v = 1; v < 2000000; v = v * 3 + 1) {
		size_t b = qsketch_bucket_of(v);
		double lo = pow(QSKETCH_GAMMA, (double)b - 1);
		assert_true((double)v >= lo * (1 - 1e-12));
		assert_true((double)v < lo * QSKETCH_GAMMA * (1 + 1e-12));
		/* the middle is within 1% of any value of its bucket */
		assert_true(fabs(qsketch_bucket_mid(b) / (double)v - 1) < 0.01);
	}
}

static void
test_sketch_histogram(void **state)
{
	(void)state;
	struct qsketch s, t;
	qsketch_init(&s);
	qsketch_init(&t);
	for (int i = 0; i < 100; i++)
		qsketch_add(&s, 0);
	for (int i = 0; i < 1000; i++)
		qsketch_add(&s, 1000);
	assert_non_null(s.bucket);
	assert_int_equal(s.n, 1100);
	double m = qsketch_quantile(&s, 0.5);
	assert_true(fabs(m / 1000 - 1) < 0.01);
	/* rank floor(1099 * .05) = 54: among the 100 zeros */
	assert_true(qsketch_quantile(&s, 0.05) == 0);
	assert_int_equal(qsketch_count_ge(&s, 990), 1000);
	assert_int_equal(qsketch_count_ge(&s, 1), 1000);
	assert_true(qsketch_quantile_in(&s, 0.5, 0, 1) == 0);
	/* merge: exact into histogram and two exact ones past the limit */
	for (int i = 0; i < 40; i++)
		qsketch_add(&t, 5);
	qsketch_merge(&s, &t);
	assert_int_equal(s.n, 1140);
	struct qsketch u;
	qsketch_init(&u);
	qsketch_merge(&u, &t);
	assert_null(u.bucket);
	qsketch_merge(&u, &t);
	assert_non_null(u.bucket);
	assert_int_equal(u.n, 80);
	assert_true(fabs(qsketch_quantile(&u, 0.5) / 5 - 1) < 0.01);
	qsketch_free(&s);
	qsketch_free(&t);
	qsketch_free(&u);
}

/* ---- friction ---- */

struct evs {
	struct friction_ev v[64];
	size_t n;
};

static void
ev(struct evs *e, const char *journey, const char *place, const char *event,
    int64_t ts_s, uint64_t visit, const char *group)
{
	struct friction_ev *x = &e->v[e->n++];
	memset(x, 0, sizeof *x);
	x->journey = journey;
	x->journey_len = strlen(journey);
	x->place = place;
	x->place_len = strlen(place);
	x->chan = place;
	x->chan_len = strlen(place);
	x->event = event;
	x->event_len = strlen(event);
	x->group = group ? group : "";
	x->group_len = strlen(x->group);
	x->ts = ts_s * 1000;
	x->visit = visit;
	x->conversion = strcmp(event, "purchase") == 0;
	x->error = strstr(event, "error") != NULL;
	x->stages = (strcmp(event, "checkout") == 0 ? 1u : 0u) |
	    (strcmp(event, "purchase") == 0 ? 2u : 0u);
}

static const char *const assisted[] = { "call_center" };

static void
conf_init(struct friction_conf *c)
{
	memset(c, 0, sizeof *c);
	c->assisted = assisted;
	c->nassisted = 1;
	c->repeat_window_ms = 7LL * 86400000;
	c->switch_window_ms = 86400000;
	c->loop_min = 3;
	c->slow_factor = 3;
	c->min_journeys = 2;
}

static const struct friction_row *
find(struct friction *f, enum friction_signal s, const char *step)
{
	for (size_t i = 0; i < friction_nrows(f); i++) {
		const struct friction_row *r = friction_row(f, i);
		if (r->signal == s && strcmp(r->step, step) == 0)
			return r;
	}
	return NULL;
}

static void
person(struct friction *f, struct evs *e)
{
	friction_person(f, e->v, e->n);
	e->n = 0;
}

static void
test_error_rates(void **state)
{
	(void)state;
	static const char *const stages[] = { "checkout", "buy" };
	struct friction_conf c;
	conf_init(&c);
	c.nstages = 2;
	c.stage = stages;
	struct friction *f = friction_new(&c);
	struct evs e = { .n = 0 };
	/* A: error then buys; B: error, leaves; C, D: buy */
	ev(&e, "A:1", "web", "checkout", 0, 1, NULL);
	ev(&e, "A:1", "web", "pay_error", 10, 1, NULL);
	ev(&e, "A:1", "web", "purchase", 20, 1, NULL);
	person(f, &e);
	ev(&e, "B:1", "web", "checkout", 0, 2, NULL);
	ev(&e, "B:1", "web", "pay_error", 10, 2, NULL);
	person(f, &e);
	ev(&e, "C:1", "web", "checkout", 0, 3, NULL);
	ev(&e, "C:1", "web", "purchase", 30, 3, NULL);
	person(f, &e);
	ev(&e, "D:1", "web", "checkout", 0, 4, NULL);
	ev(&e, "D:1", "web", "purchase", 50, 4, NULL);
	person(f, &e);
	friction_finish(f);

	const struct friction_row *r = friction_row(f, 0);
	assert_int_equal(r->signal, FS_ERROR);
	assert_string_equal(r->step, "pay_error");
	assert_string_equal(r->channel, "web");
	assert_string_equal(r->example, "A:1");
	assert_int_equal(r->journeys, 2);
	assert_int_equal(r->eligible, 4);
	assert_true(fabs(r->conv_with - 0.5) < 1e-12);
	assert_true(fabs(r->conv_without - 1.0) < 1e-12);
	assert_true(fabs(r->impact - 1.0) < 1e-12);
	/* p = 3/4: z = .5 / sqrt(3/16 * (1/2 + 1/2)) */
	assert_true(fabs(r->z - 0.5 / sqrt(3.0 / 16)) < 1e-12);
	assert_int_equal(r->ranked, 1);

	r = find(f, FS_DEAD_END, "pay_error");
	assert_non_null(r);
	assert_int_equal(r->journeys, 1);
	assert_true(fabs(r->share - 1) < 1e-12);
	assert_true(r->conv_with < 0 && isnan(r->z));

	/* the funnel: 4 at checkout, 3 buy after 20, 30, 50 s */
	const struct friction_stage *s = friction_stage(f, 0);
	assert_int_equal(s->journeys, 4);
	assert_true(fabs(s->from_previous - 1) < 1e-12);
	assert_true(s->median_s < 0);
	s = friction_stage(f, 1);
	assert_int_equal(s->journeys, 3);
	assert_true(fabs(s->from_previous - 0.75) < 1e-12);
	assert_true(fabs(s->median_s - 30) < 1e-12);
	r = find(f, FS_DROPOFF, "buy");
	assert_non_null(r);
	assert_int_equal(r->journeys, 1);
	assert_string_equal(r->example, "B:1");
	assert_true(fabs(r->impact - 1) < 1e-12);
	/* dropoff and dead_end come last */
	assert_int_equal(friction_row(f, friction_nrows(f) - 1)->ranked, 0);
	assert_true(
	    friction_row(f, friction_nrows(f) - 1)->signal >= FS_DROPOFF);

	struct friction_totals t;
	friction_totals(f, &t);
	assert_int_equal(t.journeys, 4);
	assert_int_equal(t.converted, 3);
	assert_int_equal(t.events, 9);
	friction_free(f);
}

static void
test_contacts_loops(void **state)
{
	(void)state;
	struct friction_conf c;
	conf_init(&c);
	struct friction *f = friction_new(&c);
	struct evs e = { .n = 0 };
	/*
	 * P: a web visit that loops on login and ends there, a call 2 h
	 * later (a switch), a purchase (journey 1); then a call 3 days after
	 * the first one, in journey 2 (a repeat of the first call).
	 */
	ev(&e, "P:1", "web", "login", 0, 1, NULL);
	ev(&e, "P:1", "web", "login", 10, 1, NULL);
	ev(&e, "P:1", "web", "login", 20, 1, NULL);
	ev(&e, "P:1", "call_center", "unresolved", 7200, 2, NULL);
	ev(&e, "P:1", "web", "purchase", 8000, 3, NULL);
	ev(&e, "P:2", "call_center", "resolved", 7200 + 3 * 86400, 4, NULL);
	person(f, &e);
	/* Q: one login, a call 2 days later (no switch, window 24 h) */
	ev(&e, "Q:1", "web", "login", 0, 5, NULL);
	ev(&e, "Q:1", "call_center", "resolved", 2 * 86400, 6, NULL);
	person(f, &e);
	friction_finish(f);

	const struct friction_row *r = find(f, FS_LOOP, "login");
	assert_non_null(r);
	/* exposures: P's and Q's web visits with login; P's converts */
	assert_int_equal(r->eligible, 2);
	assert_true(fabs(r->conv_with - 1) < 1e-12);
	assert_true(fabs(r->conv_without - 0) < 1e-12);
	assert_true(fabs(r->impact + 1) < 1e-12);

	r = find(f, FS_SWITCH, "login");
	assert_non_null(r);
	assert_int_equal(r->journeys, 1);
	assert_int_equal(r->eligible, 2); /* Q's visit ended at login too */
	assert_string_equal(r->example, "P:1");

	r = find(f, FS_REPEAT, "unresolved");
	assert_non_null(r);
	assert_string_equal(r->channel, "call_center");
	assert_int_equal(r->eligible, 3); /* three service contacts */
	assert_true(fabs(r->conv_with - 1) < 1e-12);
	assert_true(fabs(r->conv_without - 0) < 1e-12);
	/* unresolved: 1 of 1 repeated, the rest 0 of 2, z 1.73: repeated */
	assert_string_equal(r->group, "with=repeated repeat_rate=1.000/0.000");
	assert_null(find(f, FS_REPEAT, "resolved"));

	struct friction_totals t;
	friction_totals(f, &t);
	assert_int_equal(t.contacts, 3);
	assert_int_equal(t.repeated_contacts, 1);
	assert_int_equal(t.journeys, 3);
	friction_free(f);
}

static void
test_repeat_outcome(void **state)
{
	(void)state;
	struct friction_conf c;
	conf_init(&c);
	struct friction *f = friction_new(&c);
	struct evs e = { .n = 0 };
	static const char *const uj[] = { "U1:1", "U2:1", "U3:1", "U4:1" };
	static const char *const rj[] = { "R1:1", "R2:1", "R3:1", "R4:1" };
	/*
	 * U1-U3: an unresolved call, a resolved one a day later (a repeat);
	 * U1 buys on day 2.  U4: an unresolved call, no repeat, a purchase
	 * on day 10, outside the 7-day outcome window.  R1-R4: a resolved
	 * call; R1 and R2 buy the next day.
	 */
	for (int i = 0; i < 4; i++) {
		ev(&e, uj[i], "call_center", "unresolved", 0, 1, NULL);
		if (i < 3)
			ev(&e, uj[i], "call_center", "resolved", 86400, 2,
			    NULL);
		if (i == 0)
			ev(&e, uj[i], "web", "purchase", 2 * 86400, 3, NULL);
		if (i == 3)
			ev(&e, uj[i], "web", "purchase", 10 * 86400, 3, NULL);
		person(f, &e);
	}
	for (int i = 0; i < 4; i++) {
		ev(&e, rj[i], "call_center", "resolved", 0, 1, NULL);
		if (i < 2)
			ev(&e, rj[i], "web", "purchase", 86400, 2, NULL);
		person(f, &e);
	}
	friction_finish(f);

	/*
	 * unresolved: repeated 3 of 4, the other 7 contacts 0 of 7;
	 * p = 3/11, se = sqrt(3/11 * 8/11 * (1/4 + 1/7)) = 0.27915, z 2.69:
	 * every unresolved contact is exposed.  With: 4, U1 converts in the
	 * window (U4 too late): 1/4.  Without: the 7 resolved calls, U1's
	 * follow-up (day 1, purchase day 2), R1 and R2 convert: 3/7.
	 */
	const struct friction_row *r = find(f, FS_REPEAT, "unresolved");
	assert_non_null(r);
	assert_string_equal(r->group, "with=outcome repeat_rate=0.750/0.000");
	assert_int_equal(r->journeys, 4);
	assert_int_equal(r->eligible, 11);
	assert_true(fabs(r->share - 4.0 / 11) < 1e-12);
	assert_true(fabs(r->conv_with - 0.25) < 1e-12);
	assert_true(fabs(r->conv_without - 3.0 / 7) < 1e-12);
	assert_true(fabs(r->impact - 5.0 / 7) < 1e-12);
	/* p = 4/11, se = sqrt(1/11), z = (5/28) / sqrt(1/11) */
	assert_true(fabs(r->z - (5.0 / 28) * sqrt(11.0)) < 1e-9);
	assert_int_equal(r->ranked, 1);
	/* no resolved contact was repeated: no row */
	assert_null(find(f, FS_REPEAT, "resolved"));

	struct friction_totals t;
	friction_totals(f, &t);
	assert_int_equal(t.contacts, 11);
	assert_int_equal(t.repeated_contacts, 3);
	friction_free(f);
}

static void
test_slow(void **state)
{
	(void)state;
	struct friction_conf c;
	conf_init(&c);
	c.slow_by = 1;
	c.slow_by_name = "v";
	struct friction *f = friction_new(&c);
	struct evs e = { .n = 0 };
	/* 10 persons on v1 take 4 s, 2 on v2 take 60 s (one of them buys) */
	char name[12][16];
	for (int i = 0; i < 12; i++) {
		snprintf(name[i], sizeof name[i], "J%d:1", i);
		int slow = i >= 10;
		ev(&e, name[i], "app", "checkout", 0, (uint64_t)i + 1,
		    slow ? "v2" : "v1");
		ev(&e, name[i], "app", "payment", slow ? 60 : 4,
		    (uint64_t)i + 1, slow ? "v2" : "v1");
		if (i < 10 || i == 11)
			ev(&e, name[i], "app", "purchase", 70, (uint64_t)i + 1,
			    slow ? "v2" : "v1");
		person(f, &e);
	}
	friction_finish(f);
	const struct friction_row *r = find(f, FS_SLOW, "checkout > payment");
	assert_non_null(r);
	/* outside v2 the p90 is 4 s: 60 >= 12; v1 is not slow (3 x 60 s) */
	assert_string_equal(r->group, "v=v2 median_s=60.0/4.0");
	assert_int_equal(r->journeys, 2);
	assert_int_equal(r->eligible, 12);
	assert_true(fabs(r->conv_with - 0.5) < 1e-12);
	assert_true(fabs(r->conv_without - 1) < 1e-12);
	assert_true(fabs(r->impact - 1) < 1e-12);
	assert_string_equal(r->example, "J10:1");
	for (size_t i = 0; i < friction_nrows(f); i++) {
		const struct friction_row *x = friction_row(f, i);
		if (strcmp(x->step, "checkout > payment") == 0)
			assert_false(strstr(x->group, "v=v1"));
	}
	/*
	 * payment > purchase: v1 66 s, v2 a single 10 s: too few outside v1
	 * for a bar, so the overall p90 (66 s) is used and nothing is slow
	 */
	assert_null(find(f, FS_SLOW, "payment > purchase"));
	friction_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sketch_exact),
		cmocka_unit_test(test_sketch_buckets),
		cmocka_unit_test(test_sketch_histogram),
		cmocka_unit_test(test_error_rates),
		cmocka_unit_test(test_contacts_loops),
		cmocka_unit_test(test_repeat_outcome),
		cmocka_unit_test(test_slow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
