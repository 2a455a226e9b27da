/* Unit tests of lib/keyorder.c: the order of sorted input, the size rule. */
#include "unit.h"
#include "keyorder.h"

#define NEXT(o, k, t) keyorder_next(o, k, sizeof k - 1, t)

static void
test_in_order(void **state)
{
	(void)state;
	struct keyorder o = { 0 };
	/* the first record is always in order */
	assert_int_equal(NEXT(&o, "p2", 50), 0);
	/* equal times keep their input order: in order */
	assert_int_equal(NEXT(&o, "p2", 50), 0);
	assert_int_equal(NEXT(&o, "p2", 60), 0);
	/* a new key may start at any time, even an earlier one */
	assert_int_equal(NEXT(&o, "p3", -5), 0);
	/* a key before its extension ("p3" < "p30" < "p4") */
	assert_int_equal(NEXT(&o, "p30", 0), 0);
	assert_int_equal(NEXT(&o, "p4", 0), 0);
	/* bytes compare unsigned: 0xc3 after 'z' */
	assert_int_equal(NEXT(&o, "pz", 0), 0);
	assert_int_equal(NEXT(&o, "p\xc3\xa9", 0), 0);
	keyorder_free(&o);
}

static void
test_out_of_order(void **state)
{
	(void)state;
	struct keyorder o = { 0 };
	assert_int_equal(NEXT(&o, "p2", 100), 0);
	/* time going back within a key */
	assert_int_equal(NEXT(&o, "p2", 99), -1);
	/* the state stays at (p2, 100): 100 is still fine, 99 still not */
	assert_int_equal(NEXT(&o, "p2", 99), -1);
	assert_int_equal(NEXT(&o, "p2", 100), 0);
	/* a key going back, whatever its time */
	assert_int_equal(NEXT(&o, "p1", 1000), -1);
	/* a prefix of the key before comes before it */
	assert_int_equal(NEXT(&o, "p", 1000), -1);
	assert_int_equal(NEXT(&o, "p20", 0), 0);
	assert_int_equal(NEXT(&o, "p2", 500), -1);
	/* 'z' before 0xc3 */
	assert_int_equal(NEXT(&o, "p\xc3", 0), 0);
	assert_int_equal(NEXT(&o, "pz", 0), -1);
	keyorder_free(&o);
	/* after free, a fresh start */
	assert_int_equal(NEXT(&o, "a", 0), 0);
	keyorder_free(&o);
}

static void
test_empty_key(void **state)
{
	(void)state;
	struct keyorder o = { 0 };
	/* the empty key comes before every other */
	assert_int_equal(keyorder_next(&o, "", 0, 5), 0);
	assert_int_equal(keyorder_next(&o, "", 0, 4), -1);
	assert_int_equal(keyorder_next(&o, "", 0, 5), 0);
	assert_int_equal(NEXT(&o, "a", 0), 0);
	assert_int_equal(keyorder_next(&o, "", 0, 9), -1);
	keyorder_free(&o);
}

static void
test_cmp(void **state)
{
	(void)state;
	assert_true(keyorder_cmp("a", 1, 9, "b", 1, 0) < 0);
	assert_true(keyorder_cmp("b", 1, 0, "a", 1, 9) > 0);
	assert_true(keyorder_cmp("ab", 2, 0, "a", 1, 9) > 0);
	assert_true(keyorder_cmp("a", 1, 9, "ab", 2, 0) < 0);
	assert_true(keyorder_cmp("a", 1, 3, "a", 1, 4) < 0);
	assert_true(keyorder_cmp("a", 1, 4, "a", 1, 4) == 0);
	assert_true(keyorder_cmp("", 0, 4, "", 0, 4) == 0);
	assert_true(keyorder_cmp("", 0, 9, "a", 1, 0) < 0);
	/* times far apart do not overflow */
	assert_true(keyorder_cmp("a", 1, INT64_MIN, "a", 1, INT64_MAX) < 0);
	assert_true(keyorder_cmp("a", 1, INT64_MAX, "a", 1, INT64_MIN) > 0);
}

static void
test_exceeds(void **state)
{
	(void)state;
	uint64_t size[3] = { 600, 300, 100 };
	unsigned char plain[3] = { 0, 0, 0 }, gz[3] = { 0, 0, 1 };
	/* 600 + 300 + 100 = 1000: not more than 1000, more than 999 */
	assert_int_equal(keyorder_exceeds(size, plain, 3, 1000), 0);
	assert_int_equal(keyorder_exceeds(size, plain, 3, 999), 1);
	/* the gzip one counts 400: 1300 */
	assert_int_equal(keyorder_exceeds(size, gz, 3, 1299), 1);
	assert_int_equal(keyorder_exceeds(size, gz, 3, 1300), 0);
	/* no input: nothing to exceed */
	assert_int_equal(keyorder_exceeds(size, plain, 0, 0), 0);
	/* sizes that would overflow saturate */
	uint64_t huge[2] = { UINT64_MAX / 2, UINT64_MAX / 2 + 10 };
	unsigned char hz[2] = { 1, 0 };
	assert_int_equal(keyorder_exceeds(huge, hz, 2, UINT64_MAX - 1), 1);
	assert_int_equal(keyorder_exceeds(huge, plain, 2, UINT64_MAX - 1), 1);
	assert_int_equal(keyorder_exceeds(huge, plain, 1, UINT64_MAX / 2), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_empty_key),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_exceeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
