/*
 * radix: stable LSD radix sort of (key, index) items (radix.h).
 *
 * Digits of 11 bits: six passes cover a 64-bit key where bytes took
 * eight, and the six counts (2048 entries each) still fit the cache.  All
 * six are counted in one read of the items, so a pass is one scatter,
 * not a count and a scatter; a digit every key shares is skipped.  Small
 * inputs (a person's events in jt-journey) go a byte at a time.
 */
#include <stdlib.h>

#include "err.h"
#include "radix.h"

#define DIGIT_BITS 11
#define DIGITS ((64 + DIGIT_BITS - 1) / DIGIT_BITS)
#define BUCKETS (1u << DIGIT_BITS)
#define DIGIT_MASK (BUCKETS - 1)
#define SMALL 16384 /* fewer items go by bytes (sort_bytes) */

/* Bytes, each counted in its own read: for a few thousand items, where
 * zeroing and summing six counts of 2048 would cost more than it saves. */
static struct radix_item *
sort_bytes(struct radix_item *a, struct radix_item *tmp, size_t n)
{
	uint64_t all_or = 0, all_and = ~0ULL;
	for (size_t i = 0; i < n; i++) {
		all_or |= a[i].key;
		all_and &= a[i].key;
	}
	for (int shift = 0; shift < 64; shift += 8) {
		if (((all_or ^ all_and) >> shift & 255) == 0)
			continue; /* every key has the same byte here */
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(a[i].key >> shift & 255) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[a[i].key >> shift & 255]++] = a[i];
		struct radix_item *t = a;
		a = tmp;
		tmp = t;
	}
	return a;
}

struct radix_item *
radix_sort(struct radix_item *a, struct radix_item *tmp, size_t n)
{
	if (n < SMALL)
		return sort_bytes(a, tmp, n);
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
