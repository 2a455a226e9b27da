/*
 * csvout: minimal-quoting CSV writer, straight into the io_out buffer.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
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
	unsigned char top =
	    (unsigned char)w->delim > '"' ? (unsigned char)w->delim : '"';
	w->below = top < 128 ? ONES * (uint64_t)(top + 1) : ONES * 128;
}

/* Nonzero when a byte of w equals the byte b (times ONES). */
static inline uint64_t
has_byte(uint64_t w, uint64_t b)
{
	uint64_t x = w ^ b;
	return (x - ONES) & ~x & HIGHS;
}

/* Writes s[0..n) quoted, quotes doubled. */
static void
write_quoted(struct csvout *w, const char *s, size_t n)
{
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

/*
 * The field is copied into the output buffer eight bytes at a time while
 * it is checked for the bytes that force quoting (the delimiter, '"', CR,
 * LF): one pass, no call, for the common field that needs no quotes.  When
 * one is found the copy is dropped and the field is written quoted.
 */
void
csvout_field(struct csvout *w, const char *s, size_t n)
{
	struct io_out *o = w->out;
	const uint64_t d = ONES * (unsigned char)w->delim, q = ONES * '"',
		       cr = ONES * '\r', lf = ONES * '\n';

	if (o->cap - o->len < n + 1) {
		io_flush(o);
		if (o->cap < n + 1) {
			/* a field larger than the buffer: the plain way */
			if (w->nfields++)
				io_putc(o, w->delim);
			w->last_empty = n == 0;
			if (memchr(s, '"', n) || memchr(s, '\n', n) ||
			    memchr(s, '\r', n) || memchr(s, w->delim, n))
				write_quoted(w, s, n);
			else
				io_write(o, s, n);
			return;
		}
	}
	char *dst = o->buf + o->len;
	if (w->nfields++)
		*dst++ = w->delim;
	w->last_empty = n == 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		/* all four are below w->below: most words have none */
		if (((x - w->below) & ~x & HIGHS) &&
		    (has_byte(x, d) | has_byte(x, q) | has_byte(x, cr) |
			has_byte(x, lf)))
			goto quote;
		memcpy(dst + i, &x, 8);
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (w->special[c])
			goto quote;
		dst[i] = (char)c;
	}
	o->len = (size_t)(dst - o->buf) + n;
	return;
quote:
	o->len = (size_t)(dst - o->buf); /* keep the delimiter */
	write_quoted(w, s, n);
}

void
csvout_plain(struct csvout *w, const char *s, size_t n)
{
	if (w->nfields++)
		io_putc(w->out, w->delim);
	w->last_empty = n == 0;
	io_write(w->out, s, n);
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

void
csvout_field_buf(struct buf *b, const char *s, size_t n, char delim)
{
	size_t i = 0;
	while (i < n && s[i] != delim && s[i] != '"' && s[i] != '\r' &&
	    s[i] != '\n')
		i++;
	if (i == n) {
		buf_add(b, s, n);
		return;
	}
	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
}
