/*
 * utf8: RFC 3629 validation.  The fast path skips ASCII eight bytes at a
 * time (most CSV data is ASCII); the slow path follows the table of
 * well-formed byte sequences in Unicode section 3.9.
 */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* True when one of the eight bytes of w is zero. */
static int
has_zero_byte(uint64_t w)
{
	return ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0;
}

size_t
utf8_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) == 0 && !has_zero_byte(w)) {
				i += 8;
				continue;
			}
		}
		unsigned char c = s[i];
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else
			return i;
		if (i + need >= n)
			return i; /* truncated sequence */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return i;
		i += need + 1;
	}
	return n;
}
