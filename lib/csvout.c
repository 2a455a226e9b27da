/*
 * csvout: minimal-quoting CSV writer.  The scan for characters that need
 * quoting uses a 256-entry table; the common case (no special character)
 * is a single io_write of the field.
 */
#include <string.h>

#include "csvout.h"

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
}

static int
needs_quotes(const unsigned char *tab, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++)
		if (tab[p[i]])
			return 1;
	return 0;
}

void
csvout_field(struct csvout *w, const char *s, size_t n)
{
	if (w->nfields++)
		io_putc(w->out, w->delim);
	w->last_empty = n == 0;
	if (!needs_quotes(w->special, s, n)) {
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
