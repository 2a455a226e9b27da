/*
 * Unit tests of lib/extsort.c: order by (key, time), stability of ties,
 * spilled runs (one, several, more than one merge's fan-in) against a
 * reference sort, and already-ordered input.
 */
#include "unit.h"
#include "extsort.h"
#include "rng.h"

struct ref {
	char key[40];
	size_t keylen;
	int64_t ts;
	uint64_t seq;
};

static int
cmp_ref(const void *x, const void *y)
{
	const struct ref *a = x, *b = y;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	if (a->keylen != b->keylen)
		return a->keylen < b->keylen ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * n records over nkeys keys (some prefixes of others) and few distinct
 * times (many ties), sorted with the given budget; the payload is the
 * record's sequence number, so the order of ties is checked too.
 */
static const char *key_format = "k%llu";

static size_t
check_random(size_t n, size_t nkeys, size_t memory, uint64_t seed)
{
	struct rng r;
	rng_seed(&r, seed);
	struct ref *want = calloc(n, sizeof *want);
	struct extsort *s = extsort_new(memory, NULL);
	for (size_t i = 0; i < n; i++) {
		struct ref *w = &want[i];
		uint64_t k = rng_below(&r, nkeys);
		w->keylen = (size_t)snprintf(
		    w->key, sizeof w->key, "k%llu", (unsigned long long)k);
		if (k % 7 == 0)
			w->keylen = 1; /* "k": a prefix of every key */
		w->ts = (int64_t)rng_below(&r, 50) - 10;
		w->seq = i;
		extsort_add(
		    s, w->key, w->keylen, w->ts, &w->seq, sizeof w->seq);
	}
	extsort_finish(s);
	qsort(want, n, sizeof *want, cmp_ref);
	struct extsort_rec rec;
	size_t got = 0;
	while (extsort_next(s, &rec)) {
		assert_true(got < n);
		const struct ref *w = &want[got++];
		assert_int_equal(rec.keylen, w->keylen);
		assert_memory_equal(rec.key, w->key, w->keylen);
		assert_true(rec.ts == w->ts);
		uint64_t seq;
		assert_int_equal(rec.len, sizeof seq);
		memcpy(&seq, rec.data, sizeof seq);
		assert_true(seq == w->seq);
	}
	assert_int_equal(got, n);
	assert_false(extsort_was_sorted(s));
	size_t runs = extsort_runs(s);
	extsort_free(s);
	free(want);
	return runs;
}

static void
test_in_memory(void **state)
{
	(void)state;
	assert_int_equal(check_random(5000, 300, 1 << 30, 1), 0);
	/* one key: only the times decide; big keys count */
	assert_int_equal(check_random(3000, 1, 1 << 30, 2), 0);
	/* big enough to be dealt and sorted by two threads: ties still in
	 * the order added, across the two halves too */
	assert_int_equal(check_random(150000, 5000, 1 << 30, 9), 0);
	assert_int_equal(check_random(100000, 1, 1 << 30, 10), 0);
	assert_int_equal(check_random(100000, 3, 1 << 30, 11), 0);
}

static void
test_spilled(void **state)
{
	(void)state;
	/* about 80 bytes a record: a few runs, then over the fan-in */
	size_t runs = check_random(20000, 500, 200000, 3);
	assert_true(runs >= 2 && runs < EXTSORT_FANIN);
	runs = check_random(60000, 2000, 50000, 4);
	assert_true(runs > EXTSORT_FANIN);
}

/*
 * Keys sharing their first 8 bytes (ranked by a comparison after the
 * radix sort on them), and keys too long to be held in the key table's
 * slots.
 */
static void
test_long_keys(void **state)
{
	(void)state;
	key_format = "person-%llu";
	assert_int_equal(check_random(8000, 700, 1 << 30, 5), 0);
	assert_true(check_random(8000, 700, 100000, 6) > 1);
	key_format = "a-rather-long-person-key-%llu";
	assert_int_equal(check_random(8000, 700, 1 << 30, 7), 0);
	assert_true(check_random(8000, 700, 100000, 8) > 1);
	key_format = "k%llu";
}

static void
test_sorted_input(void **state)
{
	(void)state;
	struct extsort *s = extsort_new(1 << 20, NULL);
	const char *keys[] = { "a", "a", "a", "ab", "b", "b" };
	int64_t ts[] = { 5, 5, 9, 1, 0, 3 };
	for (int i = 0; i < 6; i++)
		extsort_add(s, keys[i], strlen(keys[i]), ts[i], &i, sizeof i);
	extsort_finish(s);
	assert_true(extsort_was_sorted(s));
	struct extsort_rec rec;
	for (int i = 0; i < 6; i++) {
		assert_true(extsort_next(s, &rec));
		int v;
		memcpy(&v, rec.data, sizeof v);
		assert_int_equal(v, i);
	}
	assert_false(extsort_next(s, &rec));
	extsort_free(s);

	/* a time going back inside a key is out of order */
	s = extsort_new(1 << 20, NULL);
	extsort_add(s, "a", 1, 5, "x", 1);
	extsort_add(s, "a", 1, 4, "y", 1);
	extsort_finish(s);
	assert_false(extsort_was_sorted(s));
	assert_true(extsort_next(s, &rec));
	assert_true(rec.ts == 4);
	assert_memory_equal(rec.data, "y", 1);
	extsort_free(s);
}

static void
test_empty(void **state)
{
	(void)state;
	struct extsort *s = extsort_new(1 << 20, NULL);
	extsort_finish(s);
	struct extsort_rec rec;
	assert_false(extsort_next(s, &rec));
	extsort_free(s);
	/* freed without being finished */
	s = extsort_new(1 << 20, NULL);
	extsort_add(s, "a", 1, 1, "", 0);
	extsort_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_memory),
		cmocka_unit_test(test_spilled),
		cmocka_unit_test(test_long_keys),
		cmocka_unit_test(test_sorted_input),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
