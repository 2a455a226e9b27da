/*
 * utf8: RFC 3629 validation.  The fast path skips ASCII eight bytes at a
 * time (most CSV data is ASCII); the slow path follows the table of
 * well-formed byte sequences in Unicode section 3.9.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

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
			if ((w & 0x8080808080808080ULL) == 0 &&
			    !has_zero_byte(w)) {
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

int
utf8_encoding_parse(const char *name)
{
	static const struct {
		const char *name;
		int enc;
	} names[] = {
		{ "utf-8", UTF8_ENC_UTF8 },
		{ "utf8", UTF8_ENC_UTF8 },
		{ "latin1", UTF8_ENC_LATIN1 },
		{ "latin-1", UTF8_ENC_LATIN1 },
		{ "iso-8859-1", UTF8_ENC_LATIN1 },
		{ "iso8859-1", UTF8_ENC_LATIN1 },
		{ "cp1252", UTF8_ENC_CP1252 },
		{ "windows-1252", UTF8_ENC_CP1252 },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].enc;
	return -1;
}

/* Windows-1252 0x80-0x9F; 0 where the byte is unassigned. */
static const unsigned short cp1252[32] = {
	0x20AC,
	0,
	0x201A,
	0x0192,
	0x201E,
	0x2026,
	0x2020,
	0x2021,
	0x02C6,
	0x2030,
	0x0160,
	0x2039,
	0x0152,
	0,
	0x017D,
	0,
	0,
	0x2018,
	0x2019,
	0x201C,
	0x201D,
	0x2022,
	0x2013,
	0x2014,
	0x02DC,
	0x2122,
	0x0161,
	0x203A,
	0x0153,
	0,
	0x017E,
	0x0178,
};

void
utf8_from_8bit(
    const char *str, size_t n, enum utf8_encoding enc, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)str;
	buf_reserve(out, n * 3);
	for (size_t i = 0; i < n; i++) {
		unsigned cp = s[i];
		if (cp < 0x80) {
			out->data[out->len++] = (char)cp;
			continue;
		}
		if (enc == UTF8_ENC_CP1252 && cp < 0xA0)
			cp = cp1252[cp - 0x80] ? cp1252[cp - 0x80] : 0xFFFD;
		if (cp < 0x800) {
			out->data[out->len++] = (char)(0xC0 | cp >> 6);
			out->data[out->len++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out->data[out->len++] = (char)(0xE0 | cp >> 12);
			out->data[out->len++] = (char)(0x80 | (cp >> 6 & 0x3F));
			out->data[out->len++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out->data[out->len] = '\0';
}
