/*
 * lines: a line reader with line numbers, for the line-oriented formats
 * (JSON lines, access logs, --regex).
 *
 * Lines end with LF; a CR before it is dropped; a UTF-8 BOM at the start of
 * the input is skipped; a last line without LF is still a line.  A line
 * longer than the limit is returned as LINES_LONG with its first bytes and
 * the rest skipped, so memory stays bounded whatever the input.
 */
#ifndef JT_LINES_H
#define JT_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "io.h"

enum lines_status {
	LINES_OK = 0, /* *s, *n: the line without its end, NUL-terminated */
	LINES_EOF = 1,
	LINES_LONG = 2, /* longer than the limit: *s holds its start */
	LINES_FAIL = 3  /* read error or damaged gzip: lines_error(); *s holds
			   the partial line read before it; EOF follows */
};

struct lines;

/* Reads from in (borrowed; the caller closes it); max 0 means 1 MiB. */
struct lines *lines_new(struct io_in *in, size_t max);
/*
 * The next line.  *s is valid until the next call; *line is its physical
 * line number (first line = 1).
 */
enum lines_status lines_next(struct lines *l, char **s, size_t *n, long *line);
/* Converts lines from an 8-bit encoding (enum utf8_encoding) to UTF-8. */
void lines_set_encoding(struct lines *l, int encoding);
/* The reason for LINES_FAIL (static text). */
const char *lines_error(const struct lines *l);
void lines_free(struct lines *l);

#endif
