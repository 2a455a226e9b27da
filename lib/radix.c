/*
 * radix: stable LSD radix sort of (key, index) items (radix.h).
 *
 * Every digit is counted in one read of the items, so a pass is one
 * scatter, not a count and a scatter; a digit every key shares is
 * skipped.  Big inputs take 11-bit digits: six passes cover a 64-bit key
 * where bytes took eight, and the six counts (2048 entries each) still
 * fit the cache.  Small inputs (a person's events in jt-journey) take
 * bytes, whose counts cost little to clear and sum.
 */
#include <stdlib.h>

#include "err.h"
#include "radix.h"

#define SMALL 16384 /* fewer items go by bytes */

static struct radix_item *
sort_by(struct radix_item *a, struct radix_item *tmp, size_t n, unsigned bits)
{
	const unsigned digits = (64 + bits - 1) / bits;
	const size_t buckets = (size_t)1 << bits, mask = buckets - 1;
	size_t *count = xcalloc(digits * buckets, sizeof *count);
	uint64_t all_or = 0, all_and = ~0ULL;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = a[i].key;
		all_or |= k;
		all_and &= k;
		for (unsigned d = 0; d < digits; d++)
			count[d * buckets + (k >> (d * bits) & mask)]++;
	}
	for (unsigned d = 0; d < digits; d++) {
		unsigned shift = d * bits;
		if (((all_or ^ all_and) >> shift & mask) == 0)
			continue; /* every key has the same digit here */
		size_t *c = count + d * buckets, sum = 0;
		for (size_t b = 0; b < buckets; b++) {
			size_t x = c[b];
			c[b] = sum;
			sum += x;
		}
		for (size_t i = 0; i < n; i++)
			tmp[c[a[i].key >> shift & mask]++] = a[i];
		struct radix_item *t = a;
		a = tmp;
		tmp = t;
	}
	free(count);
	return a;
}

struct radix_item *
radix_sort(struct radix_item *a, struct radix_item *tmp, size_t n)
{
	return sort_by(a, tmp, n, n < SMALL ? 8 : 11);
}
