/*
 * csvin: a streaming CSV record reader over libcsv, with line numbers.
 *
 * RFC 4180 with the leniencies real exports need: CRLF or LF line ends
 * (a CR before LF is dropped, also inside quoted fields), a UTF-8 byte order
 * mark at the start ignored, spaces kept as data, empty lines skipped.  The
 * first record is the header.  Fields come out NUL-terminated.
 *
 * Input is fed to libcsv one physical line at a time so that each record
 * knows the line it starts on (header = line 1).  A bad record is returned
 * as CSVIN_REJECT with its start line, a reason and its raw bytes; reading
 * goes on with the next record, so one bad row never loses the good ones:
 *   - a stray quote, or text after a closing quote (strict mode);
 *   - a quoted field still open at the end of input: the record is rejected
 *     and the lines after its first line are read again as records, so a
 *     single stray quote costs one row, not the rest of the file;
 *   - a field longer than max_field bytes, or a record longer than
 *     16 * max_field bytes (memory stays bounded whatever the input);
 *   - a record with a different number of fields than the header;
 *   - invalid UTF-8 or a NUL byte in a field;
 *   - a truncated or corrupt gzip stream (the partial record, then EOF).
 */
#ifndef JT_CSVIN_H
#define JT_CSVIN_H

#include <stddef.h>
#include <stdint.h>

#include "io.h"

#define CSVIN_MAX_FIELD_DEFAULT (1024 * 1024)

struct csvin_opts {
	char delim;       /* field separator; 0 means ',' */
	size_t max_field; /* 0 means CSVIN_MAX_FIELD_DEFAULT */
	int no_header;    /* the first record is data (columns c1..cN) */
	int ragged;       /* accept rows with fewer or more fields */
	int encoding;     /* enum utf8_encoding of the input; 0 UTF-8 */
};

enum csvin_status {
	CSVIN_ROW = 0, /* r->nf fields of r->f / r->len at r->line */
	CSVIN_EOF = 1,
	CSVIN_REJECT = 2, /* r->line, r->reason, csvin_raw() */
	CSVIN_FAIL = 3    /* read error: r->reason; EOF follows */
};

struct csvin {
	/* the current record (valid until the next csvin_next) */
	size_t nf;          /* number of fields */
	char **f;           /* NUL-terminated fields */
	size_t *len;        /* their lengths */
	long line;          /* physical line where the record starts */
	const char *reason; /* why the record was rejected (CSVIN_REJECT) */

	/* the header, fixed after csvin_open */
	size_t ncols;
	char **col; /* column names */
	int empty;  /* the input had no header at all (empty file) */

	void *priv; /* reader state */
};

/*
 * Opens path ("-" or NULL for stdin) and reads its header.  Returns NULL
 * with errno set when the file cannot be opened.  An empty input gives a
 * reader with ncols 0, empty set, and csvin_next returning CSVIN_EOF.  A
 * malformed header is fatal: NULL is returned with *why set to a message
 * (owned by the reader module, valid until the next call).
 */
struct csvin *csvin_open(
    const char *path, const struct csvin_opts *opts, const char **why);
/* Reads the next record; see enum csvin_status. */
enum csvin_status csvin_next(struct csvin *r);
/* Index of column name, or -1. */
long csvin_col(const struct csvin *r, const char *name);
/*
 * Raw bytes of the last record read, rejected or not (lines joined by LF),
 * valid until the next csvin_next.
 */
const char *csvin_raw(const struct csvin *r, size_t *n);
/*
 * Where the last record read lies in the input, when a caller can read it
 * again from there: returns 1, with *fd the input's descriptor (a regular
 * file read uncompressed, io_plain_fd) and the record's raw text
 * (csvin_raw) at bytes [*off, *off + *n) of it, when the record is one
 * physical line without a quote, a CR or a BOM, read straight from the
 * input (not replayed after an error, not converted from another
 * encoding).  Returns 0 otherwise.  Copies nothing: the cheap way to
 * remember a row for a second pass.
 */
int csvin_span(const struct csvin *r, int *fd, uint64_t *off, size_t *n);
/* The input's name for messages ("<stdin>" or the path). */
const char *csvin_name(const struct csvin *r);
/* Bytes of the (possibly compressed) input consumed so far. */
uint64_t csvin_bytes(const struct csvin *r);
/* Releases everything, including the input. */
void csvin_close(struct csvin *r);

#endif
