/*
 * Unit tests of lib/vmem.c: bytes stay as the array grows, within its
 * reservation (where it never moves) and past it (copied to the heap).
 */
#include "unit.h"
#include "vmem.h"

static void
fill(struct vmem *v, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		v->data[i] = (char)(i * 7);
}

static void
check(const struct vmem *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v->data[i] != (char)(i * 7))
			fail_msg("byte %zu changed", i);
}

static void
test_grow(void **state)
{
	(void)state;
	/* a reservation of 4 MB, then outgrown */
	struct vmem v;
	vmem_init(&v, 4u << 20);
	vmem_need(&v, 0, 1000);
	assert_true(v.cap >= 1000);
	fill(&v, 0, 1000);
	char *at = v.data;
	vmem_need(&v, 1000, 3u << 20);
	assert_ptr_equal(v.data, at); /* within the reservation: not moved */
	fill(&v, 1000, 3u << 20);
	vmem_need(&v, 3u << 20, 9u << 20);
	assert_true(v.cap >= 9u << 20);
	check(&v, 3u << 20);
	fill(&v, 3u << 20, 9u << 20);
	vmem_need(&v, 9u << 20, 20u << 20);
	check(&v, 9u << 20);
	vmem_free(&v);
	assert_null(v.data);
	/* no reservation at all: the heap from the start */
	vmem_init(&v, 0);
	vmem_need(&v, 0, 100);
	fill(&v, 0, 100);
	vmem_need(&v, 100, 1u << 20);
	check(&v, 100);
	vmem_free(&v);
	vmem_free(&v); /* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
