/* Unit tests of lib/pathtab.c: splitting paths, ages, numbers. */
#include "unit.h"
#include "pathtab.h"

static void
test_split(void **state)
{
	(void)state;
	struct pathtab *t = pathtab_new(0);
	const char *why = NULL;
	assert_int_equal(pathtab_add(t, "a > b", 5, NULL, 0, 1, 2, 3, &why), 0);
	assert_int_equal(pathtab_add(t, " a>b ", 5, NULL, 0, 0, 0, 1, &why), 0);
	const char *long_name = "a_channel_name_longer_than_16 >a";
	assert_int_equal(pathtab_add(t, long_name, strlen(long_name), NULL, 0,
			     0, 0, 1, &why),
	    0);
	assert_int_equal(t->n, 3);
	assert_int_equal(pathtab_nchannels(t), 3);
	assert_int_equal(t->off[1] - t->off[0], 2);
	assert_int_equal(t->tch[0], t->tch[2]); /* "a" both times */
	assert_int_equal(t->tch[1], t->tch[3]);
	assert_string_equal(
	    pathtab_channel(t, t->tch[4]), "a_channel_name_longer_than_16");
	assert_int_equal(t->tch[5], t->tch[0]);
	assert_true(t->conv[0] == 1 && t->value[0] == 2 && t->null[0] == 3);
	assert_int_equal(pathtab_find(t, "b"), t->tch[1]);
	assert_int_equal(pathtab_find(t, "zz"), UINT32_MAX);

	/* bad rows leave the table as it was, new channels included */
	assert_int_equal(
	    pathtab_add(t, "a > > c", 7, NULL, 0, 1, 0, 0, &why), -1);
	assert_string_equal(why, "empty channel in path");
	assert_int_equal(pathtab_add(t, "c >", 3, NULL, 0, 1, 0, 0, &why), -1);
	assert_string_equal(why, "empty channel in path");
	assert_int_equal(pathtab_add(t, "  ", 2, NULL, 0, 1, 0, 0, &why), -1);
	assert_string_equal(why, "empty path");
	assert_int_equal(pathtab_add(t, "", 0, NULL, 0, 1, 0, 0, &why), -1);
	assert_string_equal(why, "empty path");
	assert_int_equal(t->n, 3);
	assert_int_equal(pathtab_nchannels(t), 3);

	uint32_t *ids = pathtab_by_name(t);
	assert_string_equal(pathtab_channel(t, ids[0]), "a");
	assert_string_equal(
	    pathtab_channel(t, ids[1]), "a_channel_name_longer_than_16");
	assert_string_equal(pathtab_channel(t, ids[2]), "b");
	free(ids);
	pathtab_free(t);
}

static void
test_ages(void **state)
{
	(void)state;
	struct pathtab *t = pathtab_new(1);
	const char *why;
	assert_int_equal(
	    pathtab_add(t, "a > b > c", 9, "20;10.5;0", 9, 1, 0, 0, &why), 0);
	assert_true(t->age[0] == 20 && t->age[1] == 10.5 && t->age[2] == 0);
	assert_int_equal(
	    pathtab_add(t, "a > b", 5, "20;10;0", 7, 1, 0, 0, &why), -1);
	assert_string_equal(why, "path_age_s: does not have one age per touch");
	assert_int_equal(
	    pathtab_add(t, "a > b", 5, "20", 2, 1, 0, 0, &why), -1);
	assert_int_equal(pathtab_add(t, "a", 1, "", 0, 1, 0, 0, &why), -1);
	assert_int_equal(
	    pathtab_add(t, "a > b", 5, "x;1", 3, 1, 0, 0, &why), -1);
	assert_string_equal(why, "path_age_s: not a number of seconds >= 0");
	assert_int_equal(
	    pathtab_add(t, "a > b", 5, ";1", 2, 1, 0, 0, &why), -1);
	assert_int_equal(t->n, 1);
	pathtab_free(t);
}

static void
test_number(void **state)
{
	(void)state;
	double v;
	assert_int_equal(pathtab_number("", 0, &v), 0);
	assert_true(v == 0);
	assert_int_equal(pathtab_number("12", 2, &v), 0);
	assert_true(v == 12);
	assert_int_equal(pathtab_number("0.1", 3, &v), 0);
	assert_true(v == 0.1);
	assert_int_equal(pathtab_number("3.195", 5, &v), 0);
	assert_true(v == strtod("3.195", NULL));
	assert_int_equal(pathtab_number("1e3", 3, &v), 0);
	assert_true(v == 1000);
	assert_int_equal(pathtab_number("1234567890.123456789", 20, &v), 0);
	assert_true(v == strtod("1234567890.123456789", NULL));
	assert_int_equal(pathtab_number("-1", 2, &v), -1);
	assert_int_equal(pathtab_number("nan", 3, &v), -1);
	assert_int_equal(pathtab_number("inf", 3, &v), -1);
	assert_int_equal(pathtab_number("1e999", 5, &v), -1);
	assert_int_equal(pathtab_number("0x10", 4, &v), -1);
	assert_int_equal(pathtab_number("1.2.3", 5, &v), -1);
	assert_int_equal(pathtab_number(".", 1, &v), -1);
	assert_int_equal(pathtab_number("2 ", 2, &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_ages),
		cmocka_unit_test(test_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
