/*
 * radix: stable LSD radix sort of (key, index) items (radix.h).
 */
#include "radix.h"

struct radix_item *
radix_sort(struct radix_item *a, struct radix_item *tmp, size_t n)
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
