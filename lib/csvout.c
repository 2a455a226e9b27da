/*
 * csvout: minimal-quoting CSV writer.  The scan for characters that need
 * quoting uses a 256-entry table; the common case (no special character)
 * is a single io_write of the field.
 */
#include <stdint.h>
#include <string.h>

#include "csvout.h"

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

void
csvout_init(struct csvout *w, struct io_out *out, char delim)
{
	w->out = out;
	w->delim = delim ? delim : ',';
	w->nfields = 0;
	w->last_empty = 0;
	memset(w->special, 0, sizeof w->special);
	w->special['"'] = w->special['\n'] = w->special['\r'] = 1;
	w->special[(unsigned char)w->delim] = 1;
	/* a bound above the four special bytes, for a quick word test; the
	 * test is exact only for bounds up to 128 */
	unsigned char top = (unsigned char)w->delim > '"' ? (unsigned char)w->delim
	                                                   : '"';
	w->below = top < 128 ? ONES * (uint64_t)(top + 1) : ONES * 128;
}


/* Nonzero when a byte of w equals the byte b (times ONES). */
static inline uint64_t
has_byte(uint64_t w, uint64_t b)
{
	uint64_t x = w ^ b;
	return (x - ONES) & ~x & HIGHS;
}

/*
 * Whether s holds a byte that forces quoting: eight bytes at a time for
 * the delimiter, '"', CR and LF, since most fields need no quotes.
 */
static int
needs_quotes(const struct csvout *w, const char *s, size_t n)
{
	const uint64_t d = ONES * (unsigned char)w->delim, q = ONES * '"',
	               cr = ONES * '\r', lf = ONES * '\n';
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		/* all four are below w->below: most words have no such byte */
		if (!((x - w->below) & ~x & HIGHS))
			continue;
		if (has_byte(x, d) | has_byte(x, q) | has_byte(x, cr) |
		    has_byte(x, lf))
			return 1;
	}
	for (; i < n; i++)
		if (w->special[(unsigned char)s[i]])
			return 1;
	return 0;
}

void
csvout_field(struct csvout *w, const char *s, size_t n)
{
	if (w->nfields++)
		io_putc(w->out, w->delim);
	w->last_empty = n == 0;
	if (!needs_quotes(w, s, n)) {
		io_write(w->out, s, n);
		return;
	}
	io_putc(w->out, '"');
	const char *q;
	while ((q = memchr(s, '"', n)) != NULL) {
		size_t k = (size_t)(q - s) + 1;
		io_write(w->out, s, k);
		io_putc(w->out, '"');
		s += k;
		n -= k;
	}
	io_write(w->out, s, n);
	io_putc(w->out, '"');
}

void
csvout_str(struct csvout *w, const char *s)
{
	csvout_field(w, s, strlen(s));
}

void
csvout_end(struct csvout *w)
{
	/* A row of one empty field would be an empty line, which readers
	 * skip: quote it so the row survives. */
	if (w->nfields == 1 && w->last_empty)
		io_write(w->out, "\"\"", 2);
	io_putc(w->out, '\n');
	w->nfields = 0;
}

void
csvout_row(struct csvout *w, char *const *f, const size_t *len, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csvout_field(w, f[i], len ? len[i] : strlen(f[i]));
	csvout_end(w);
}
