/*
 * Unit tests of lib/gen.c: the causal model on hand-made touches (exact
 * noisy-OR thresholds, journeys, the lookback window, frictions, replays)
 * and the stability of persons.
 */
#include "unit.h"
#include "gen.h"

#define DAY (86400000LL)
#define T0 (1790812800000LL) /* 2026-10-01T00:00:00Z */

static struct gen_world w;
static struct gen_person p;

static int
setup(void **state)
{
	(void)state;
	struct gen_params gp = { 1, 100, 60, T0 };
	gen_world_init(&w, &gp);
	memset(&p, 0, sizeof p);
	p.intent = 0; /* only channel effects, so thresholds are exact */
	p.app_version = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	gen_world_free(&w);
	return 0;
}

/* A touch with every draw set so that no friction fires. */
static void
add(struct gen_touches *t, int64_t at, int channel, double u)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->v = realloc(t->v, t->cap * sizeof *t->v);
	}
	struct gen_touch *x = &t->v[t->n++];
	memset(x, 0, sizeof *x);
	x->t = at;
	x->channel = (uint8_t)channel;
	x->kind = TK_EXO;
	x->key = t->n;
	x->d.u_convert = u;
	x->d.u_error = x->d.u_loop = x->d.u_unresolved = 0.99;
	x->d.u_login = x->d.u_abandon = x->d.u_slow_abandon = 0.99;
	x->d.value_cents = 1000;
}

static void
test_noisy_or_thresholds(void **state)
{
	(void)state;
	struct gen_touches t = { 0 };
	struct gen_result r;
	/* paid search alone: P = 0.06 */
	add(&t, T0 + DAY, CH_PAID_SEARCH, 0.0601);
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	t.v[0].d.u_convert = 0.0599;
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 1);
	assert_int_equal(r.conv_by_last[CH_PAID_SEARCH], 1);
	assert_int_equal(r.revenue_cents, 1000);

	/* paid search then direct: P = 1 - 0.94 * 0.99 = 0.0694 */
	t.v[0].d.u_convert = 0.5;
	add(&t, T0 + 2 * DAY, CH_DIRECT, 0.0693);
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 1);
	assert_int_equal(r.conv_by_last[CH_DIRECT], 1);
	/* without paid search, direct alone (0.01) does not sell: removal */
	gen_simulate(&w, &p, &t, CH_PAID_SEARCH, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	assert_int_equal(r.touches_by[CH_PAID_SEARCH], 0);
	t.v[1].d.u_convert = 0.0695;
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	free(t.v);
}

static void
test_journey_and_lookback(void **state)
{
	(void)state;
	struct gen_touches t = { 0 };
	struct gen_result r;
	/* a conversion ends the journey: the next direct touch stands alone */
	add(&t, T0 + DAY, CH_PAID_SEARCH, 0.01);
	add(&t, T0 + 2 * DAY, CH_DIRECT, 0.0693);
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 1);
	/* a touch 31 days before is outside the 30-day window */
	t.v[0].d.u_convert = 0.5;
	t.v[1].t = T0 + 32 * DAY;
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	t.v[1].t = T0 + 30 * DAY;
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 1);
	/* chat never sells, whatever its draw */
	t.n = 0;
	add(&t, T0 + DAY, CH_CHAT, 0.0);
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	assert_int_equal(r.touches, 1);
	free(t.v);
}

struct seen {
	int steps, sold, error_abandon, recovery;
};

static void
on_step(void *ctx, const struct gen_person *pp, const struct gen_step *s)
{
	struct seen *sn = ctx;
	(void)pp;
	sn->steps++;
	sn->sold += s->sold;
	sn->error_abandon += s->error_abandon;
	sn->recovery += s->recovery_call;
}

static void
test_checkout_error_and_replay(void **state)
{
	(void)state;
	struct gen_touches t = { 0 };
	struct gen_result r, off;
	struct seen sn = { 0 };
	add(&t, T0 + DAY, CH_PAID_SEARCH, 0.01);
	t.v[0].d.u_error = 0.01;   /* error */
	t.v[0].d.u_abandon = 0.01; /* abandon */
	t.v[0].d.u_call = 0.99;    /* no call */
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, on_step, &sn, &r);
	assert_int_equal(r.conversions, 0);
	assert_int_equal(r.friction_hits[FR_CHECKOUT_ERROR], 1);
	assert_int_equal(r.friction_aborted[FR_CHECKOUT_ERROR], 1);
	assert_int_equal(sn.error_abandon, 1);
	/* the same draws with the friction off: the sale happens */
	gen_simulate(&w, &p, &t, CH_NONE,
	    GEN_ALL_FRICTIONS & ~(1u << FR_CHECKOUT_ERROR), NULL, NULL, &off);
	assert_int_equal(off.conversions, 1);
	/* phoning in: a recovery call touch follows, unless the call
	 * center is removed */
	t.v[0].d.u_call = 0.01;
	t.v[0].d.call_delay_ms = 3600000;
	memset(&sn, 0, sizeof sn);
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, on_step, &sn, &r);
	assert_int_equal(sn.recovery, 1);
	assert_int_equal(r.touches_by[CH_CALL_CENTER], 1);
	assert_int_equal(r.recovered, r.conversions);
	gen_simulate(
	    &w, &p, &t, CH_CALL_CENTER, GEN_ALL_FRICTIONS, NULL, NULL, &r);
	assert_int_equal(r.touches_by[CH_CALL_CENTER], 0);
	free(t.v);
}

static void
test_unresolved_and_slow(void **state)
{
	(void)state;
	struct gen_touches t = { 0 };
	struct gen_result r;
	/* an unresolved call: a repeat call that never sells */
	add(&t, T0 + DAY, CH_CALL_CENTER, 0.99);
	t.v[0].d.u_unresolved = 0.01;
	t.v[0].d.u_repeat = 0.01;
	t.v[0].d.repeat_delay_ms = DAY;
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, NULL, NULL, &r);
	assert_int_equal(r.friction_hits[FR_UNRESOLVED_CALL], 1);
	assert_int_equal(r.friction_hits[FR_UNRESOLVED_CHAT], 0);
	assert_int_equal(r.extra_contacts[FR_UNRESOLVED_CALL], 1);
	assert_int_equal(r.extra_contacts[FR_UNRESOLVED_CHAT], 0);
	assert_int_equal(r.touches, 2);
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.touches, 1);
	/* frustration halves the effects: 0.06 * 0.5 = 0.03 */
	add(&t, T0 + 2 * DAY, CH_PAID_SEARCH, 0.035);
	t.v[0].d.u_repeat = 0.99;
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, NULL, NULL, &r);
	/* call 0.03*0.5 and paid search 0.06*0.5: 1 - 0.985 * 0.97 = 0.0446 */
	assert_int_equal(r.conversions, 1);
	t.v[1].d.u_convert = 0.045;
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	gen_simulate(&w, &p, &t, CH_NONE, 0, NULL, NULL, &r);
	assert_int_equal(r.conversions, 1); /* 1 - 0.97 * 0.94 = 0.0882 */
	/* each channel's friction switches off alone */
	gen_simulate(&w, &p, &t, CH_NONE,
	    GEN_ALL_FRICTIONS & ~(1u << FR_UNRESOLVED_CALL), NULL, NULL, &r);
	assert_int_equal(r.conversions, 1);
	assert_int_equal(r.friction_hits[FR_UNRESOLVED_CALL], 0);
	gen_simulate(&w, &p, &t, CH_NONE,
	    GEN_ALL_FRICTIONS & ~(1u << FR_UNRESOLVED_CHAT), NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	/* an unresolved chat: its repeat call is the chat friction's */
	t.v[0].channel = CH_CHAT;
	t.v[0].d.u_repeat = 0.01;
	/* chat 0.04*0.5, paid search 0.06*0.5: 1 - 0.98 * 0.97 = 0.0494 */
	t.v[1].d.u_convert = 0.06;
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, NULL, NULL, &r);
	assert_int_equal(r.friction_hits[FR_UNRESOLVED_CHAT], 1);
	assert_int_equal(r.extra_contacts[FR_UNRESOLVED_CHAT], 1);
	assert_int_equal(r.extra_contacts[FR_UNRESOLVED_CALL], 0);
	assert_int_equal(r.conversions, 0);
	gen_simulate(&w, &p, &t, CH_NONE,
	    GEN_ALL_FRICTIONS & ~(1u << FR_UNRESOLVED_CHAT), NULL, NULL, &r);
	assert_int_equal(r.friction_hits[FR_UNRESOLVED_CHAT], 0);
	assert_int_equal(r.touches, 2);
	assert_int_equal(r.conversions, 1); /* 1 - 0.96 * 0.94 = 0.0976 */

	/* the slow app version loses the sale when the buyer gives up */
	t.n = 0;
	add(&t, T0 + DAY, CH_APP, 0.01);
	t.v[0].d.u_slow_abandon = 0.01;
	p.app_version = GEN_SLOW_VERSION;
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, NULL, NULL, &r);
	assert_int_equal(r.conversions, 0);
	assert_int_equal(r.friction_aborted[FR_SLOW_PAYMENT], 1);
	p.app_version = 2;
	gen_simulate(&w, &p, &t, CH_NONE, GEN_ALL_FRICTIONS, NULL, NULL, &r);
	assert_int_equal(r.conversions, 1);
	p.app_version = 0;
	free(t.v);
}

static void
test_person_stability(void **state)
{
	(void)state;
	struct gen_world small, big;
	struct gen_params a = { 9, 20, 30, T0 }, b = { 9, 5000, 30, T0 };
	gen_world_init(&small, &a);
	gen_world_init(&big, &b);
	struct gen_touches ta = { 0 }, tb = { 0 };
	for (uint32_t i = 0; i < 20; i++) {
		struct gen_person pa, pb;
		gen_person_make(&small, i, &pa);
		gen_person_make(&big, i, &pb);
		assert_true(pa.user == pb.user && pa.phone == pb.phone);
		assert_memory_equal(pa.cookie, pb.cookie, sizeof pa.cookie);
		gen_touches_make(&small, &pa, &ta);
		gen_touches_make(&big, &pb, &tb);
		assert_int_equal(ta.n, tb.n);
		for (size_t k = 0; k < ta.n; k++) {
			assert_true(ta.v[k].t == tb.v[k].t);
			assert_true(ta.v[k].d.u_convert == tb.v[k].d.u_convert);
		}
		/* touches are sorted and inside the world */
		for (size_t k = 0; k < ta.n; k++) {
			assert_true(
			    ta.v[k].t >= T0 && ta.v[k].t < T0 + 30 * DAY);
			assert_true(k == 0 || ta.v[k - 1].t <= ta.v[k].t);
		}
	}
	/* identifiers are unique */
	for (uint32_t i = 0; i < 2000; i++) {
		struct gen_person x, y;
		gen_person_make(&big, i, &x);
		gen_person_make(&big, i + 1, &y);
		assert_true(x.user != y.user && x.phone != y.phone &&
		    x.loyalty != y.loyalty);
	}
	gen_touches_free(&ta);
	gen_touches_free(&tb);
	gen_world_free(&small);
	gen_world_free(&big);
}

static void
test_households_agree(void **state)
{
	(void)state;
	struct gen_world big;
	struct gen_params a = { 3, 4000, 30, T0 };
	gen_world_init(&big, &a);
	int pairs = 0;
	for (uint32_t i = 0; i < 4000; i += 2) {
		struct gen_person x, y;
		gen_person_make(&big, i, &x);
		gen_person_make(&big, i + 1, &y);
		assert_int_equal(x.shared_desktop, y.shared_desktop);
		if (!x.shared_desktop)
			continue;
		pairs++;
		assert_true(
		    x.partner == (int64_t)i + 1 && y.partner == (int64_t)i);
		assert_memory_equal(
		    x.cookie[DEV_DESKTOP], y.cookie[DEV_DESKTOP], 16);
		assert_true(x.user != y.user);
	}
	/* 4% of 2000 pairs, give or take */
	assert_in_range(pairs, 50, 110);
	gen_world_free(&big);
}

static void
test_campaigns(void **state)
{
	(void)state;
	/* 2026-10-01 is a Thursday: the first campaign is Friday the 2nd */
	assert_true(w.ncampaigns > 0);
	assert_true(w.campaigns[0].t == T0 + DAY + 14 * 3600000LL);
	assert_string_equal(w.campaigns[0].name, "weekly-deals-2026-10-02");
	assert_true(w.campaigns[1].t == T0 + 5 * DAY + 14 * 3600000LL);
	/* 60 days from Thursday 1 October: 9 Fridays, 8 Tuesdays */
	assert_int_equal(w.ncampaigns, 17);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_noisy_or_thresholds, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journey_and_lookback, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_checkout_error_and_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unresolved_and_slow, setup, teardown),
		cmocka_unit_test(test_person_stability),
		cmocka_unit_test(test_households_agree),
		cmocka_unit_test_setup_teardown(
		    test_campaigns, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
