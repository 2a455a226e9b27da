/*
 * memeq: whether two short byte strings are equal, compared a word at a
 * time with the last word overlapping the one before.  Identifiers are a
 * few dozen bytes, where a call of memcmp costs more than the comparison
 * (strtab's lookups, stitch's combinations of values).
 */
#ifndef JT_MEMEQ_H
#define JT_MEMEQ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t
memeq_word(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

static inline int
memeq(const char *a, const char *b, size_t n)
{
	if (n < 8)
		return memcmp(a, b, n) == 0;
	uint64_t d = memeq_word(a + n - 8) ^ memeq_word(b + n - 8);
	for (size_t i = 0; i + 8 < n; i += 8)
		d |= memeq_word(a + i) ^ memeq_word(b + i);
	return d == 0;
}

#endif
