/* Unit tests of lib/radix.c: sorted by key, stable, against qsort. */
#include "unit.h"
#include "radix.h"
#include "rng.h"

static int
by_key_then_idx(const void *x, const void *y)
{
	const struct radix_item *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static void
test_against_qsort(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 3);
	for (int round = 0; round < 14; round++) {
		/* small inputs go by bytes, big ones by 11-bit digits */
		size_t n = round >= 7 ? 16384 + (size_t)rng_below(&r, 40000)
				      : 1 + (size_t)rng_below(&r, 16000);
		struct radix_item *a = malloc(n * sizeof *a),
				  *t = malloc(n * sizeof *t),
				  *want = malloc(n * sizeof *want);
		/* few distinct keys (ties test stability), spread bytes */
		/* then: keys over all 64 bits; a few values each spread
		 * over every digit; the top bits only */
		for (size_t i = 0; i < n; i++) {
			uint64_t k = rng_below(&r, round % 7 ? 50 : 3);
			int kind = round % 7;
			if (kind < 4)
				a[i].key = k << (8 * kind) |
				    (kind == 3 ? 1ULL << 60 : 0);
			else if (kind == 4)
				a[i].key = rng_next(&r);
			else if (kind == 5)
				a[i].key = k * 0x9e3779b97f4a7c15ULL;
			else
				a[i].key = k << 58;
			a[i].idx = (uint32_t)i;
		}
		memcpy(want, a, n * sizeof *a);
		qsort(want, n, sizeof *want, by_key_then_idx);
		struct radix_item *got = radix_sort(a, t, n);
		assert_true(got == a || got == t);
		for (size_t i = 0; i < n; i++) {
			assert_true(got[i].key == want[i].key);
			assert_int_equal(got[i].idx, want[i].idx);
		}
		free(a);
		free(t);
		free(want);
	}
	/* empty and one-item inputs */
	struct radix_item one = { 7, 0 }, tmp;
	assert_true(radix_sort(&one, &tmp, 1)->key == 7);
	assert_non_null(radix_sort(&one, &tmp, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_qsort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
