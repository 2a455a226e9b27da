/* Unit tests of lib/strtab.c: interning, lookups, growth, stability. */
#include "unit.h"
#include "memeq.h"
#include "strtab.h"

static void
test_intern(void **state)
{
	(void)state;
	struct strtab *t = strtab_new();
	int added;
	assert_int_equal(strtab_intern(t, "cookie-1", 8, &added), 0);
	assert_int_equal(added, 1);
	assert_int_equal(strtab_intern(t, "cookie-2", 8, &added), 1);
	assert_int_equal(strtab_intern(t, "cookie-1", 8, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(strtab_intern(t, "", 0, &added), 2);
	assert_int_equal(strtab_find(t, "cookie-2", 8), 1);
	assert_true(strtab_find(t, "cookie-3", 8) == UINT32_MAX);
	/* a prefix is another string */
	assert_true(strtab_find(t, "cookie", 6) == UINT32_MAX);
	size_t n;
	assert_string_equal(strtab_str(t, 0, &n), "cookie-1");
	assert_int_equal(n, 8);
	strtab_free(t);
}

static void
test_growth(void **state)
{
	(void)state;
	struct strtab *t = strtab_new();
	char key[32];
	const char *first = NULL;
	for (int i = 0; i < 300000; i++) {
		int len = snprintf(key, sizeof key, "id-%d@example.com", i);
		assert_int_equal(strtab_intern(t, key, (size_t)len, NULL), i);
		if (i == 0)
			first = strtab_str(t, 0, NULL);
	}
	assert_int_equal(strtab_count(t), 300000);
	for (int i = 0; i < 300000; i += 997) {
		int len = snprintf(key, sizeof key, "id-%d@example.com", i);
		assert_int_equal(strtab_find(t, key, (size_t)len), i);
	}
	/* stored strings never move */
	assert_ptr_equal(first, strtab_str(t, 0, NULL));
	assert_string_equal(first, "id-0@example.com");
	/* strings longer than a block, the largest block, then short ones
	 * again after them (each long one has a block of its own) */
	size_t sizes[] = { 3 << 20, 17 << 20 };
	for (int k = 0; k < 2; k++) {
		char *big = malloc(sizes[k]);
		memset(big, 'y' + k, sizes[k]);
		uint32_t id = strtab_intern(t, big, sizes[k], NULL);
		assert_int_equal(strtab_find(t, big, sizes[k]), id);
		size_t n;
		assert_ptr_not_equal(strtab_str(t, id, &n), NULL);
		assert_int_equal(n, sizes[k]);
		int len = snprintf(key, sizeof key, "after-%d", k);
		uint32_t after = strtab_intern(t, key, (size_t)len, NULL);
		assert_string_equal(strtab_str(t, after, NULL), key);
		assert_int_equal(strtab_find(t, big, sizes[k]), id);
		free(big);
	}
	assert_string_equal(strtab_str(t, 0, NULL), "id-0@example.com");
	strtab_free(t);
	assert_true(strtab_hash("a", 1) != strtab_hash("b", 1));
	assert_true(strtab_hash("", 0) == strtab_hash("", 0));
}

/* Interns "v<i>" in t; sets *added and *payload. */
static uint32_t
intern_v(struct strtab *t, int i, int *added, void **payload)
{
	char key[32];
	int len = snprintf(key, sizeof key, "v%d", i);
	return strtab_intern_payload(t, key, (size_t)len,
	    strtab_hash(key, (size_t)len), added, payload);
}

/* A payload: zeroed when a string is added, aligned, kept with it through
 * growth, and the strings read back unharmed. */
static void
test_payload(void **state)
{
	(void)state;
	struct strtab *t = strtab_new_payload(20);
	int added;
	void *p;
	for (int i = 0; i < 200000; i++) {
		assert_int_equal(intern_v(t, i, &added, &p), (uint32_t)i);
		assert_true(added);
		assert_int_equal((uintptr_t)p % 8, 0);
		int64_t zero[3] = { 0 };
		assert_memory_equal(p, zero, 20);
		int64_t v = (int64_t)i * 3;
		memcpy(p, &v, sizeof v);
	}
	for (int i = 0; i < 200000; i += 7) {
		uint32_t id = intern_v(t, i, &added, &p);
		assert_int_equal(id, (uint32_t)i);
		assert_false(added);
		assert_ptr_equal(p, strtab_payload(t, id));
		int64_t v;
		memcpy(&v, p, sizeof v);
		assert_int_equal(v, (int64_t)i * 3);
		char key[32];
		snprintf(key, sizeof key, "v%d", i);
		assert_string_equal(strtab_str(t, id, NULL), key);
	}
	strtab_free(t);
}

/* A batch, new strings repeated within it, as one lookup at a time. */
static void
test_many(void **state)
{
	(void)state;
	struct strtab *t = strtab_new_payload(8), *u = strtab_new();
	enum { K = 3000 };
	char text[K][16];
	const char *sp[K];
	size_t n[K];
	uint64_t h[K];
	uint32_t id[K];
	void *pay[K];
	uint8_t added[K];
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < K; i++) {
			/* a string in three is one already in the batch */
			int v = i % 3 == 2 ? i / 2 : round * K + i;
			n[i] = (size_t)snprintf(text[i], sizeof text[i], "s%d", v);
			sp[i] = text[i];
			h[i] = strtab_hash(sp[i], n[i]);
		}
		strtab_intern_many(t, K, sp, n, h, id, pay, added);
		for (int i = 0; i < K; i++) {
			int a;
			assert_int_equal(id[i], strtab_intern(u, sp[i], n[i], &a));
			assert_int_equal(added[i], a);
			assert_ptr_equal(pay[i], strtab_payload(t, id[i]));
			assert_string_equal(strtab_str(t, id[i], NULL), sp[i]);
		}
	}
	strtab_free(t);
	strtab_free(u);
}

/* memeq: every length up to 40, a difference at every place found. */
static void
test_memeq(void **state)
{
	(void)state;
	char a[48], b[48];
	for (size_t n = 0; n <= 40; n++) {
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = (char)('a' + i % 26);
		assert_true(memeq(a, b, n));
		for (size_t i = 0; i < n; i++) {
			b[i] ^= 0x20;
			assert_false(memeq(a, b, n));
			b[i] ^= 0x20;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_memeq),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
