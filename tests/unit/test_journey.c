/*
 * Unit tests of lib/journey.c: visits (gap edges, channel changes, empty
 * channels), touches, journeys (conversion closes, two conversions in a
 * visit, conversion first, lookback, collapse, max touches), numbering of
 * events, quantiles and the aggregates.  Every expectation is worked out
 * by hand in the comments.
 */
#include "unit.h"
#include "journey.h"
#include <math.h>

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

enum { DIRECT = 0, WEB = 1, EMAIL = 2, SEARCH = 3, NONE = JOURNEY_NONE };
#define T JOURNEY_EV_TOUCH
#define C JOURNEY_EV_CONV

static struct journey_conf
conf(void)
{
	struct journey_conf c = { 30 * MIN, 30 * DAY, 0, 0, DIRECT, 1 };
	return c;
}

static void
test_gap_edges(void **state)
{
	(void)state;
	/* 29:59.999 after the last event continues the visit, 30:00 after
	 * it starts another: the gap is measured from the previous event */
	struct journey_event ev[] = {
		{ 0, WEB, 0, T, 0 },
		{ 30 * MIN - 1, WEB, 0, T, 0 },
		{ 60 * MIN - 1, WEB, 0, T, 0 },
		{ 90 * MIN - 1, WEB, 0, T, 0 },
	};
	struct journey_result r = { 0 };
	struct journey_conf c = conf();
	journey_person(&c, ev, 4, &r);
	assert_int_equal(r.nvisits, 3);
	assert_int_equal(r.ev_visit[0], 1);
	assert_int_equal(r.ev_visit[1], 1);
	assert_int_equal(r.ev_visit[2], 2);
	assert_int_equal(r.ev_visit[3], 3);
	assert_int_equal(r.visits[0].events, 2);
	assert_true(r.visits[0].end == 30 * MIN - 1);
	/* one unconverted journey of three touches, steps 1..4 */
	assert_int_equal(r.njourneys, 1);
	assert_int_equal(r.journeys[0].ntouches, 3);
	assert_int_equal(r.journeys[0].sessions, 3);
	assert_false(r.journeys[0].converted);
	assert_true(r.journeys[0].start == 0);
	assert_true(r.journeys[0].end == 90 * MIN - 1);
	assert_int_equal(r.ev_step[3], 4);
	/* gap 0: every event its own visit, even at the same time */
	c.gap_ms = 0;
	struct journey_event same[] = { { 5, WEB, 0, T, 0 },
		{ 5, WEB, 0, T, 0 } };
	journey_person(&c, same, 2, &r);
	assert_int_equal(r.nvisits, 2);
	journey_result_free(&r);
}

static void
test_channels(void **state)
{
	(void)state;
	/*
	 * web 0, (none) +5m -> visit 1 web; email +6m -> visit 2; web +7m ->
	 * visit 3 (a run in one channel, not a union); (none) +3h -> the gap
	 * ended visit 3: visit 4 direct; (none) +3h10m -> still visit 4.
	 */
	struct journey_event ev[] = {
		{ 0, WEB, 0, T, 0 },
		{ 5 * MIN, NONE, 0, T, 0 },
		{ 6 * MIN, EMAIL, 0, T, 0 },
		{ 7 * MIN, WEB, 0, T, 0 },
		{ 3 * HOUR, NONE, 0, T, 0 },
		{ 3 * HOUR + 10 * MIN, NONE, 0, T, 0 },
	};
	struct journey_result r = { 0 };
	struct journey_conf c = conf();
	journey_person(&c, ev, 6, &r);
	assert_int_equal(r.nvisits, 4);
	uint32_t want_visit[] = { 1, 1, 2, 3, 4, 4 };
	for (int i = 0; i < 6; i++)
		assert_int_equal(r.ev_visit[i], want_visit[i]);
	assert_int_equal(r.visits[0].channel, WEB);
	assert_int_equal(r.visits[1].channel, EMAIL);
	assert_int_equal(r.visits[3].channel, DIRECT);
	/* the path is the visits' channels */
	assert_int_equal(r.journeys[0].ntouches, 4);
	uint32_t want_label[] = { WEB, EMAIL, WEB, DIRECT };
	for (int i = 0; i < 4; i++)
		assert_int_equal(r.touches[i].label, want_label[i]);
	/* a first event without a channel starts a direct visit */
	struct journey_event first[] = { { 0, NONE, 0, T, 0 } };
	journey_person(&c, first, 1, &r);
	assert_int_equal(r.visits[0].channel, DIRECT);
	journey_result_free(&r);
}

static void
test_two_conversions_one_visit(void **state)
{
	(void)state;
	/*
	 * email day 0; web visit day 1: view, purchase 10 (+1m), purchase 5
	 * (+2m), view (+3m); search day 2.  Journey 1: email > web, two
	 * conversions, value 15, ends at the second purchase; the view after
	 * it stays in journey 1 (step 5); search starts journey 2.
	 */
	struct journey_event ev[] = {
		{ 0, EMAIL, 0, T, 0 },
		{ DAY, WEB, 0, T, 0 },
		{ DAY + MIN, WEB, 0, T | C, 10 },
		{ DAY + 2 * MIN, WEB, 0, T | C, 5 },
		{ DAY + 3 * MIN, WEB, 0, T, 0 },
		{ 2 * DAY, SEARCH, 0, T, 0 },
	};
	struct journey_result r = { 0 };
	struct journey_conf c = conf();
	journey_person(&c, ev, 6, &r);
	assert_int_equal(r.njourneys, 2);
	const struct journey_info *j = &r.journeys[0];
	assert_true(j->converted);
	assert_int_equal(j->conversions, 2);
	assert_true(j->value == 15);
	assert_true(j->start == 0);
	assert_true(j->end == DAY + 2 * MIN);
	assert_int_equal(j->ntouches, 2);
	assert_int_equal(r.touches[j->touch0].label, EMAIL);
	assert_int_equal(r.touches[j->touch0 + 1].label, WEB);
	assert_int_equal(j->sessions, 2);
	uint32_t want_j[] = { 1, 1, 1, 1, 1, 2 },
		 want_s[] = { 1, 2, 3, 4, 5, 1 };
	for (int i = 0; i < 6; i++) {
		assert_int_equal(r.ev_journey[i], want_j[i]);
		assert_int_equal(r.ev_step[i], want_s[i]);
	}
	j = &r.journeys[1];
	assert_false(j->converted);
	assert_int_equal(j->ntouches, 1);
	assert_int_equal(r.touches[j->touch0].label, SEARCH);
	assert_true(j->start == 2 * DAY && j->end == 2 * DAY);
	journey_result_free(&r);
}

static void
test_conversion_first_and_in_new_visit(void **state)
{
	(void)state;
	/*
	 * A purchase as the very first event is the touch of its own visit
	 * and closes journey 1 (path web).  A second purchase two hours later
	 * is a new visit, so a new touch: journey 2 (path web), converted.
	 */
	struct journey_event ev[] = {
		{ 0, WEB, 0, T | C, 7 },
		{ 2 * HOUR, WEB, 0, T | C, 3 },
	};
	struct journey_result r = { 0 };
	struct journey_conf c = conf();
	journey_person(&c, ev, 2, &r);
	assert_int_equal(r.njourneys, 2);
	for (int i = 0; i < 2; i++) {
		assert_true(r.journeys[i].converted);
		assert_int_equal(r.journeys[i].ntouches, 1);
		assert_int_equal(r.journeys[i].conversions, 1);
		assert_true(r.journeys[i].end == r.journeys[i].start);
	}
	assert_true(r.journeys[1].value == 3);
	/*
	 * When purchases may not be touches (--touch), a purchase in a later
	 * visit with no touch since the last conversion opens a journey of
	 * its own without touches, starting and ending at it.
	 */
	struct journey_event ev3[] = { { 0, WEB, 0, T, 0 },
		{ MIN, WEB, 0, C, 7 }, { 2 * HOUR, WEB, 0, C, 3 } };
	journey_person(&c, ev3, 3, &r);
	assert_int_equal(r.njourneys, 2);
	assert_int_equal(r.journeys[0].ntouches, 1);
	assert_int_equal(r.journeys[1].ntouches, 0);
	assert_true(r.journeys[1].converted);
	assert_true(r.journeys[1].start == 2 * HOUR);
	assert_int_equal(r.journeys[1].sessions, 1);
	assert_int_equal(r.ev_journey[2], 2);
	journey_result_free(&r);
}

static void
test_lookback(void **state)
{
	(void)state;
	/*
	 * email day 0, search day 20, web purchase day 35.  The email is 35
	 * days before the purchase: left out with the 30-day lookback, so the
	 * path is search > web, starting day 20 (2 sessions).  Exactly 30
	 * days is kept.  Lookback 0: all three.
	 */
	struct journey_event ev[] = {
		{ 0, EMAIL, 0, T, 0 },
		{ 20 * DAY, SEARCH, 0, T, 0 },
		{ 35 * DAY, WEB, 0, T | C, 1 },
	};
	struct journey_result r = { 0 };
	struct journey_conf c = conf();
	journey_person(&c, ev, 3, &r);
	assert_int_equal(r.njourneys, 1);
	assert_int_equal(r.journeys[0].ntouches, 2);
	assert_int_equal(r.touches[0].label, SEARCH);
	assert_true(r.journeys[0].start == 20 * DAY);
	assert_int_equal(r.journeys[0].sessions, 2);
	/* the events of the cut visit keep the journey's number */
	assert_int_equal(r.ev_journey[0], 1);
	ev[0].ts = 5 * DAY; /* exactly 30 days before */
	journey_person(&c, ev, 3, &r);
	assert_int_equal(r.journeys[0].ntouches, 3);
	c.lookback_ms = 0;
	ev[0].ts = 0;
	journey_person(&c, ev, 3, &r);
	assert_int_equal(r.journeys[0].ntouches, 3);
	/* no lookback on an unconverted journey */
	c.lookback_ms = DAY;
	ev[2].flags = T;
	journey_person(&c, ev, 3, &r);
	assert_int_equal(r.journeys[0].ntouches, 3);
	journey_result_free(&r);
}

static void
test_collapse_max_touches(void **state)
{
	(void)state;
	/* email, email, web, web, search (a day apart: five visits) */
	struct journey_event ev[5];
	uint32_t ch[] = { EMAIL, EMAIL, WEB, WEB, SEARCH };
	for (int i = 0; i < 5; i++) {
		ev[i].ts = i * DAY;
		ev[i].channel = ch[i];
		ev[i].label = 0;
		ev[i].flags = T;
		ev[i].value = 0;
	}
	struct journey_result r = { 0 };
	struct journey_conf c = conf();
	c.collapse = 1;
	journey_person(&c, ev, 5, &r);
	/* email > web > search, each at its first touch */
	assert_int_equal(r.journeys[0].ntouches, 3);
	assert_true(r.touches[1].ts == 2 * DAY);
	c.max_touches = 2;
	journey_person(&c, ev, 5, &r);
	/* the last two: web > search, starting at day 2 */
	assert_int_equal(r.journeys[0].ntouches, 2);
	assert_int_equal(r.touches[0].label, WEB);
	assert_true(r.journeys[0].start == 2 * DAY);
	assert_int_equal(r.journeys[0].sessions, 3);
	c.collapse = 0;
	journey_person(&c, ev, 5, &r);
	assert_int_equal(r.touches[0].label, WEB);
	assert_int_equal(r.touches[1].label, SEARCH);
	journey_result_free(&r);
}

static void
test_touch_filter_and_labels(void **state)
{
	(void)state;
	/*
	 * A visit's touch is its first event flagged as a touch: the email
	 * open (no flag) does not make the email visit a touch until the
	 * click 1 minute later; labels come from the events when the path is
	 * not by channel.
	 */
	struct journey_event ev[] = {
		{ 0, EMAIL, 10, 0, 0 },
		{ MIN, EMAIL, 11, T, 0 },
		{ 2 * MIN, EMAIL, 12, T, 0 },
		{ DAY, WEB, 13, 0, 0 },
	};
	struct journey_result r = { 0 };
	struct journey_conf c = conf();
	c.label_is_channel = 0;
	journey_person(&c, ev, 4, &r);
	assert_int_equal(r.nvisits, 2);
	assert_int_equal(r.journeys[0].ntouches, 1);
	assert_int_equal(r.touches[0].label, 11);
	assert_true(r.touches[0].ts == MIN);
	assert_true(r.journeys[0].end == DAY);
	journey_result_free(&r);
}

static void
test_quantile(void **state)
{
	(void)state;
	int64_t a[] = { 4, 1, 3, 2 };
	/* sorted 1 2 3 4: median (2 + 3) / 2; p90 at rank 2.7: 3 + 0.7 */
	assert_true(journey_quantile(a, 4, 0.5) == 2.5);
	assert_true(fabs(journey_quantile(a, 4, 0.9) - 3.7) < 1e-12);
	int64_t b[] = { 9 };
	assert_true(journey_quantile(b, 1, 0.9) == 9);
	int64_t c3[] = { 10, 30, 20 };
	assert_true(journey_quantile(c3, 3, 0.5) == 20);
	assert_true(journey_quantile(c3, 3, 1) == 30);
}

static void
test_agg(void **state)
{
	(void)state;
	struct journey_agg *a = journey_agg_new();
	journey_agg_path(a, "web", 3, 1, 10, 0, 1000, 1);
	journey_agg_path(a, "email > web", 11, 0, 0, 1, 5000, 1);
	journey_agg_path(a, "web", 3, 2, 2.5, 0, 3000, 1);
	journey_agg_path(a, "web", 3, 0, 0, 1, 2000, 1);
	size_t n;
	const struct journey_path_row *p = journey_agg_paths(a, &n);
	assert_int_equal(n, 2);
	/* bytewise order: "email > web" < "web" */
	assert_memory_equal(p[0].path, "email > web", 11);
	assert_true(p[0].nulls == 1 && p[0].conversions == 0);
	assert_memory_equal(p[1].path, "web", 3);
	assert_true(p[1].conversions == 3 && p[1].value == 12.5);
	assert_true(p[1].nulls == 1);
	assert_int_equal(p[1].journeys, 3);
	assert_int_equal(p[1].converted, 2);
	assert_int_equal(p[1].ndur, 3);
	int64_t d[3];
	memcpy(d, p[1].dur, sizeof d);
	assert_true(journey_quantile(d, 3, 0.5) == 2000);

	journey_agg_pair(a, "(start)", 7, "web", 3, 0);
	journey_agg_pair(a, "web", 3, "(end)", 5, 100);
	journey_agg_pair(a, "(start)", 7, "email", 5, 0);
	journey_agg_pair(a, "web", 3, "(end)", 5, 300);
	const struct journey_pair_row *q = journey_agg_pairs(a, &n);
	assert_int_equal(n, 3);
	/* by count, then from, then to */
	assert_memory_equal(q[0].from, "web", 3);
	assert_memory_equal(q[0].to, "(end)", 5);
	assert_int_equal(q[0].count, 2);
	assert_memory_equal(q[1].to, "email", 5);
	assert_memory_equal(q[2].to, "web", 3);
	journey_agg_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gap_edges),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_two_conversions_one_visit),
		cmocka_unit_test(test_conversion_first_and_in_new_visit),
		cmocka_unit_test(test_lookback),
		cmocka_unit_test(test_collapse_max_touches),
		cmocka_unit_test(test_touch_filter_and_labels),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_agg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
