/*
 * varint: LEB128 unsigned integers (7 bits a byte, low bits first, the
 * high bit set on every byte but the last) and zigzag signed ones, for
 * the compact records the tools spool and sort.
 */
#ifndef JT_VARINT_H
#define JT_VARINT_H

#include <stddef.h>
#include <stdint.h>

#define VARINT_MAX 10 /* bytes of the longest, a 64-bit value */

/* Writes v at p (room for VARINT_MAX bytes); returns the bytes written. */
static inline size_t
varint_put(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/*
 * Reads a varint from *p, not past end, into *v and moves *p past it:
 * 1, or 0 when the bytes end first or it is longer than 64 bits.
 */
static inline int
varint_get(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (int shift = 0; shift < 64 && *p < end; shift += 7) {
		unsigned char c = *(*p)++;
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 1;
		}
	}
	return 0;
}

/* A signed difference, small either way, as a small unsigned number. */
static inline uint64_t
zigzag(int64_t d)
{
	return (uint64_t)d << 1 ^ (uint64_t)(d >> 63);
}

static inline int64_t
unzigzag(uint64_t z)
{
	return (int64_t)(z >> 1 ^ (~(z & 1) + 1));
}

#endif
