/*
 * radix: stable LSD radix sort of (key, index) items (radix.h).
 *
 * Digits of 11 bits: six passes cover a 64-bit key where bytes took
 * eight, and the six counts (2048 entries each) still fit the cache.  All
 * six are counted in one read of the items, so a pass is one scatter,
 * not a count and a scatter; a digit every key shares is skipped.
 */
#include <stdlib.h>

#include "err.h"
#include "radix.h"

#define DIGIT_BITS 11
#define DIGITS ((64 + DIGIT_BITS - 1) / DIGIT_BITS)
#define BUCKETS (1u << DIGIT_BITS)
#define DIGIT_MASK (BUCKETS - 1)

struct radix_item *
radix_sort(struct radix_item *a, struct radix_item *tmp, size_t n)
{
	size_t(*count)[BUCKETS] = xcalloc(DIGITS, sizeof *count);
	uint64_t all_or = 0, all_and = ~0ULL;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = a[i].key;
		all_or |= k;
		all_and &= k;
		for (int d = 0; d < DIGITS; d++)
			count[d][k >> (d * DIGIT_BITS) & DIGIT_MASK]++;
	}
	for (int d = 0; d < DIGITS; d++) {
		unsigned shift = (unsigned)(d * DIGIT_BITS);
		if (((all_or ^ all_and) >> shift & DIGIT_MASK) == 0)
			continue; /* every key has the same digit here */
		size_t *c = count[d], sum = 0;
		for (size_t b = 0; b < BUCKETS; b++) {
			size_t x = c[b];
			c[b] = sum;
			sum += x;
		}
		for (size_t i = 0; i < n; i++)
			tmp[c[a[i].key >> shift & DIGIT_MASK]++] = a[i];
		struct radix_item *t = a;
		a = tmp;
		tmp = t;
	}
	free(count);
	return a;
}
