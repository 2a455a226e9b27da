/*
 * csvout: RFC 4180 writer with minimal quoting.
 *
 * A field is quoted only when it holds the delimiter, a double quote, CR or
 * LF (quotes doubled inside).  Rows end with LF.  Output goes through an
 * io_out, which buffers and checks every write.
 */
#ifndef JT_CSVOUT_H
#define JT_CSVOUT_H

#include <stddef.h>
#include <stdint.h>

#include "io.h"

struct csvout {
	struct io_out *out; /* borrowed; the caller closes it */
	char delim;
	size_t nfields;             /* fields written on this row */
	int last_empty;             /* the last field written was empty */
	unsigned char special[256]; /* bytes that force quoting */
	uint64_t below;             /* eight copies of a bound above them all */
};

/* Starts writing rows to out with delimiter delim (0 means ','). */
void csvout_init(struct csvout *w, struct io_out *out, char delim);
/* Writes one field of n bytes, preceded by a delimiter unless first. */
void csvout_field(struct csvout *w, const char *s, size_t n);
/*
 * Writes a field the caller knows needs no quoting (no delimiter, quote,
 * CR or LF: a formatted time, a number, a snake_case name).
 */
void csvout_plain(struct csvout *w, const char *s, size_t n);
/* Writes a NUL-terminated field. */
void csvout_str(struct csvout *w, const char *s);
/* Ends the row with LF. */
void csvout_end(struct csvout *w);
/*
 * Appends one field to a buffer with the same minimal quoting, for text
 * that is kept before it is written (a spool, a record being built).
 */
struct buf;
void csvout_field_buf(struct buf *b, const char *s, size_t n, char delim);
/* Writes a whole row of n fields (len may be NULL: strlen is used). */
void csvout_row(struct csvout *w, char *const *f, const size_t *len, size_t n);

#endif
