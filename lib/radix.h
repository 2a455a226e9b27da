/*
 * radix: a stable LSD radix sort of (64-bit key, index) items, 11 bits a
 * pass, skipping the digits every key shares.  Linear, and several times
 * faster than qsort on millions of records: sort the keys with their
 * indexes, then visit the records through the indexes.  Being stable, two
 * sorts (by the minor key, then by the major) order by a 128-bit key.
 */
#ifndef JT_RADIX_H
#define JT_RADIX_H

#include <stddef.h>
#include <stdint.h>

struct radix_item {
	uint64_t key;
	uint32_t idx;
};

/*
 * Sorts a[0..n) by key, stably, using tmp[0..n) as scratch.  Returns the
 * array that holds the result (a or tmp).
 */
struct radix_item *radix_sort(
    struct radix_item *a, struct radix_item *tmp, size_t n);

#endif
