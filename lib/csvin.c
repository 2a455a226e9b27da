/*
 * csvin: CSV records read line by line, with libcsv for the hard cases.
 *
 * Why per line: libcsv reports neither positions nor line numbers.  Reading
 * line by line (found with memchr) lets us know the physical line each
 * record starts on, keep the raw bytes of the record for --rejects, and
 * recover from errors by re-reading the lines after a bad record's first
 * line (the "pending" queue).  Most records fit on one line: those are cut
 * in place by cut_line, several times faster than libcsv's state machine;
 * libcsv reads records that span lines and words the errors.
 *
 * Invariants:
 *   - libcsv's terminator function accepts only LF and every line fed ends
 *     with LF (except a last line without one, finished by csv_fini), so a
 *     record can only end at the end of a line: after each line fed, either
 *     a record is complete or the current record continues.
 *   - "between" is true when no record is in progress; the next non-empty
 *     line starts one (its number is the record's line).
 *   - cur_line is the number of the next line to be fed, whether it comes
 *     from the pending queue or the input: pending holds exactly the lines
 *     before the input's next line.
 */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "buf.h"
#include "csvin.h"
#include "err.h"
#include "utf8.h"

#define CHUNK (256 * 1024)
#define RAW_REJECT_CAP (64 * 1024) /* raw bytes kept for an overlong record */
#define NO_SPAN UINT64_MAX

struct rd {
	struct io_in *in;
	struct csv_parser p;
	unsigned char opts;
	size_t max_field, max_record;
	int ragged;
	unsigned char delim;
	int encoding;    /* not UTF-8: lines are converted on input */
	struct buf xbuf; /* the converted line */

	/* input chunk */
	char *cbuf;
	size_t ccap, cpos, clen;
	uint64_t cbase; /* offset in the input stream of cbuf[0] */
	/* the last line handed out by next_line: its offset in the input,
	 * or NO_SPAN when its bytes there are not the line's (replayed from
	 * pending, CR dropped, converted, BOM stripped) */
	uint64_t line_off;
	/* the last record, when it is such a line and quote-free
	 * (csvin_span): offset, start (cut in place) and length */
	uint64_t span_off;
	const char *span_p;
	size_t span_n;
	int in_eof;
	const char *fail_why; /* a read error, reported once */

	/* lines to read again after an error */
	struct buf pending;
	size_t ppos;

	long cur_line;
	int between;
	int at_start; /* nothing read yet: strip a BOM */
	int done;

	/* the record being read */
	long rec_line;
	long rec_lines; /* physical lines in it so far */
	struct buf raw;
	char *line_raw; /* else: a one-line record's raw text */
	size_t line_raw_len;
	int line_raw_cut; /* its delimiters were cut to NULs */
	size_t raw_first; /* bytes of raw up to and including line 1's LF */

	/* fields of the record */
	struct buf row;
	size_t *foff;
	size_t nfo, cfo;
	size_t rcap; /* room in the csvin's f and len arrays */
	int row_done;
	int discard; /* callbacks ignored while resetting */

	/* a headerless input's first record, returned by the first next() */
	int first_pending;

	struct buf reason;
	struct buf skipped; /* the start of an overlong line */
};

/* libcsv's realloc hook cannot see the parser: the limit is global. */
static size_t field_limit = CSVIN_MAX_FIELD_DEFAULT;
static int field_refused;

static void *
limited_realloc(void *p, size_t n)
{
	if (n > field_limit + 1) {
		field_refused = 1;
		return NULL;
	}
	return realloc(p, n);
}

static int
is_lf(unsigned char c)
{
	return c == '\n';
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0; /* spaces are data */
}

static void
on_field(void *s, size_t n, void *data)
{
	struct rd *d = data;

	if (d->discard)
		return;
	if (d->nfo == d->cfo) {
		d->cfo = d->cfo ? d->cfo * 2 : 16;
		d->foff = xreallocarray(d->foff, d->cfo, sizeof *d->foff);
	}
	d->foff[d->nfo++] = d->row.len;
	if (n)
		buf_add(&d->row, s, n);
	buf_addc(&d->row, '\0');
}

static void
on_row(int c, void *data)
{
	struct rd *d = data;
	(void)c;
	if (!d->discard)
		d->row_done = 1;
}

static void
parser_init(struct rd *d)
{
	if (csv_init(&d->p, d->opts) != 0)
		err_die("cannot start libcsv");
	csv_set_term_func(&d->p, is_lf);
	csv_set_space_func(&d->p, no_space);
	csv_set_realloc_func(&d->p, limited_realloc);
	csv_set_blk_size(&d->p, 4096);
	csv_set_delim(&d->p, d->delim);
}

/* Forgets the record in progress and returns the parser to a fresh state. */
static void
parser_reset(struct rd *d)
{
	d->discard = 1;
	csv_set_opts(&d->p, CSV_STRICT); /* no error from csv_fini */
	csv_fini(&d->p, on_field, on_row, d);
	csv_set_opts(&d->p, d->opts);
	d->discard = 0;
	d->nfo = 0;
	buf_clear(&d->row);
	d->row_done = 0;
	field_refused = 0;
}

/* Reads more input into the chunk; returns 0, or -1 on a read error. */
static int
fill(struct rd *d)
{
	if (d->cpos > 0) {
		d->cbase += d->cpos;
		memmove(d->cbuf, d->cbuf + d->cpos, d->clen - d->cpos);
		d->clen -= d->cpos;
		d->cpos = 0;
	}
	if (d->clen == d->ccap) {
		d->ccap *= 2;
		d->cbuf = xrealloc(d->cbuf, d->ccap + 1);
	}
	long n =
	    io_read(d->in, d->cbuf + d->clen, d->ccap - d->clen, &d->fail_why);
	if (n < 0)
		return -1;
	if (n == 0)
		d->in_eof = 1;
	d->clen += (size_t)n;
	return 0;
}

enum line_kind { LINE_OK, LINE_LAST, LINE_EOF, LINE_LONG, LINE_FAIL };

/*
 * Converts an input line from the 8-bit encoding to UTF-8, followed by the
 * LF that the fast path may overwrite.  Lines replayed from the pending
 * queue were converted when first read.
 */
static void
convert(struct rd *d, const char **s, size_t *n)
{
	buf_clear(&d->xbuf);
	utf8_from_8bit(*s, *n, (enum utf8_encoding)d->encoding, &d->xbuf);
	*n = d->xbuf.len;
	buf_addc(&d->xbuf, '\n');
	*s = d->xbuf.data;
}

/*
 * The next physical line without its LF (and without a CR before the LF):
 * from the pending queue first, then the input.  LINE_LAST is a final line
 * without LF.  LINE_LONG: the line exceeds max_record; *s and *n hold its start
 * and the rest of it has been skipped.
 */
static enum line_kind
next_line(struct rd *d, const char **s, size_t *n)
{
	if (d->ppos > 0 && d->ppos == d->pending.len) {
		/* emptied only now: the last line handed out lived in it */
		buf_clear(&d->pending);
		d->ppos = 0;
	}
	if (d->ppos < d->pending.len) {
		char *p = d->pending.data + d->ppos;
		char *nl = memchr(p, '\n', d->pending.len - d->ppos);
		/* pending lines always end with LF (we append them so) */
		*s = p;
		*n = (size_t)(nl - p);
		d->ppos += *n + 1;
		d->line_off = NO_SPAN;
		return LINE_OK;
	}
	size_t scanned = 0;
	for (;;) {
		char *start = d->cbuf + d->cpos;
		size_t avail = d->clen - d->cpos;
		char *nl = memchr(start + scanned, '\n', avail - scanned);
		if (nl) {
			*s = start;
			*n = (size_t)(nl - start);
			d->line_off = d->cbase + d->cpos;
			d->cpos += *n + 1;
			if (*n && start[*n - 1] == '\r') {
				start[--*n] = '\n';
				d->line_off = NO_SPAN;
			}
			if (d->encoding) {
				convert(d, s, n);
				d->line_off = NO_SPAN;
			}
			return LINE_OK;
		}
		scanned = avail;
		if (d->in_eof) {
			if (avail == 0)
				return LINE_EOF;
			*s = start;
			*n = avail;
			d->line_off = d->cbase + d->cpos;
			d->cpos = d->clen;
			if (start[*n - 1] == '\r') {
				(*n)--;
				d->line_off = NO_SPAN;
			}
			if (*n && d->encoding) {
				convert(d, s, n);
				d->line_off = NO_SPAN;
			}
			return *n ? LINE_LAST : LINE_EOF;
		}
		if (avail > d->max_record) {
			/* Keep the start for the reject; skip to the next LF.
			 */
			size_t keep =
			    avail < RAW_REJECT_CAP ? avail : RAW_REJECT_CAP;
			buf_clear(&d->skipped);
			buf_add(&d->skipped, start, keep);
			d->cpos = d->clen;
			for (;;) {
				if (fill(d) < 0)
					return LINE_FAIL;
				char *q = memchr(d->cbuf, '\n', d->clen);
				if (q) {
					d->cpos = (size_t)(q - d->cbuf) + 1;
					break;
				}
				d->cpos = d->clen;
				if (d->in_eof)
					break;
			}
			*s = buf_str(&d->skipped);
			*n = keep;
			d->line_off = NO_SPAN;
			return LINE_LONG;
		}
		if (fill(d) < 0)
			return LINE_FAIL;
	}
}

static void
reasonf(struct rd *d, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_clear(&d->reason);
	buf_adds(&d->reason, tmp);
}

/*
 * Rejects the record in progress.  With replay, the lines after its first
 * line go back to the front of the pending queue, to be read again.
 */
static void
reject_record(struct rd *d, int replay)
{
	if (replay && d->rec_lines > 1) {
		struct buf rest = { 0 };
		buf_add(&rest, d->raw.data + d->raw_first,
		    d->raw.len - d->raw_first);
		buf_add(
		    &rest, d->pending.data + d->ppos, d->pending.len - d->ppos);
		buf_free(&d->pending);
		d->pending = rest;
		d->ppos = 0;
		d->cur_line = d->rec_line + 1;
	}
	parser_reset(d);
	d->between = 1;
}

static const char *
column_name(struct rd *d, struct csvin *r, size_t i, char *tmp, size_t cap)
{
	(void)d;
	if (i < r->ncols && r->col[i][0])
		return r->col[i];
	snprintf(tmp, cap, "%zu", i + 1);
	return tmp;
}

/* Room for at least nf + 1 fields in r's arrays. */
static void
grow_fields(struct rd *d, struct csvin *r, size_t nf)
{
	if (nf < d->rcap && r->f != NULL)
		return;
	d->rcap = d->rcap ? d->rcap * 2 : 16;
	r->f = xreallocarray(r->f, d->rcap, sizeof *r->f);
	r->len = xreallocarray(r->len, d->rcap, sizeof *r->len);
}

/*
 * The fastest path, for the line nearly every export is made of: ASCII,
 * no NUL, no quote.  One pass finds every delimiter, 16 bytes at a time
 * with SSE2 where the compiler has it, instead of a UTF-8 check, a quote
 * search and a memchr per field; then the fields are cut as cut_line cuts
 * them.  Returns 0, the line untouched, when it is not plain (cut_line
 * decides), -1 when a field is longer than max_field, 1 when cut.
 */
static int
cut_plain(struct rd *d, struct csvin *r, char *s, size_t n)
{
	size_t nf = 0, i = 0, start = 0;
	const unsigned char delim = (unsigned char)d->delim;

#if defined(__SSE2__)
	const __m128i vd = _mm_set1_epi8((char)delim);
	const __m128i vq = _mm_set1_epi8('"');
	const __m128i vz = _mm_setzero_si128();
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(void *)(s + i));
		unsigned bad = (unsigned)_mm_movemask_epi8(v) |
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq)) |
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vz));
		if (bad)
			return 0;
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));
		while (m) {
			size_t at = i + (size_t)__builtin_ctz(m);
			m &= m - 1;
			grow_fields(d, r, nf);
			r->f[nf] = s + start;
			r->len[nf++] = at - start;
			start = at + 1;
		}
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || c == '"' || c == 0)
			return 0;
		if (c == delim) {
			grow_fields(d, r, nf);
			r->f[nf] = s + start;
			r->len[nf++] = i - start;
			start = i + 1;
		}
	}
	grow_fields(d, r, nf);
	r->f[nf] = s + start;
	r->len[nf++] = n - start;
	for (size_t k = 0; k < nf; k++) {
		if (r->len[k] > d->max_field)
			return -1;
		r->f[k][r->len[k]] = '\0';
	}
	r->nf = nf;
	return 1;
}

/*
 * The fast path: a record on one line, valid UTF-8, is cut in place: each
 * field is ended by a NUL where its delimiter was (s[n], the LF or the
 * chunk's slack byte, ends the last), quoted fields are unquoted in place
 * (the text only moves left), and r->f points into the line: no copy.  It
 * follows libcsv's strict rules; on anything else (a quote inside an
 * unquoted field, text after a closing quote, a quoted field still open at
 * the end of the line) it returns 1, having changed the line, and the
 * caller restores it and gives it to libcsv, which reads multi-line
 * records and words the errors.  Returns -1 when a field is longer than
 * max_field, 0 when the row is complete.  nq is the line's first quote
 * (NULL for none).
 */
static int
cut_line(struct rd *d, struct csvin *r, char *s, size_t n, char *nq)
{
	char *end = s + n;
	size_t nf = 0;

	/* nq: the next quote at or after s, or end; found again only when
	 * a quoted field has moved s past it */
	if (!nq)
		nq = end;
	for (;;) {
		char *start = s, *fe;
		if (s < end && *s == '"') {
			char *w = s, *p = s + 1;
			for (;;) {
				char *q = memchr(p, '"', (size_t)(end - p));
				if (!q)
					return 1; /* continues on the next line
						   */
				memmove(w, p, (size_t)(q - p));
				w += q - p;
				if (q + 1 < end && q[1] == '"') {
					*w++ = '"';
					p = q + 2;
					continue;
				}
				p = q + 1;
				break;
			}
			if (p < end && (unsigned char)*p != d->delim)
				return 1; /* text after the closing quote */
			fe = w;
			s = p;
		} else {
			char *e = memchr(s, d->delim, (size_t)(end - s));
			fe = e ? e : end;
			if (nq < s) {
				nq = memchr(s, '"', (size_t)(end - s));
				if (!nq)
					nq = end;
			}
			if (nq < fe)
				return 1; /* a quote inside a plain field */
			s = fe;
		}
		if ((size_t)(fe - start) > d->max_field)
			return -1;
		grow_fields(d, r, nf);
		r->f[nf] = start;
		r->len[nf++] = (size_t)(fe - start);
		int last = s == end;
		*fe = '\0';
		if (last)
			break;
		s++; /* the delimiter */
	}
	r->nf = nf;
	return 0;
}

/* The raw text of a cut line, its NULs turned back into delimiters. */
static void
uncut_raw(struct rd *d, const char *s, size_t n)
{
	buf_clear(&d->raw);
	buf_add(&d->raw, s, n);
	/* one NUL per field: memchr finds them faster than a byte loop */
	char *p = d->raw.data, *end = d->raw.data + n;
	while ((p = memchr(p, '\0', (size_t)(end - p))) != NULL)
		*p++ = (char)d->delim;
	buf_addc(&d->raw, '\n');
}

/* Notes that the raw text is the cut line s, to restore on demand. */
static void
uncut_raw_later(struct rd *d, const char *s, size_t n)
{
	d->line_raw = (char *)s;
	d->line_raw_len = n;
	d->line_raw_cut = 1;
}

/* Publishes the completed row in r; 0 when fine, -1 with a reason. */
static int
finish_row(struct rd *d, struct csvin *r, int is_header, int valid)
{
	if (d->nfo > d->rcap || r->f == NULL) {
		d->rcap = d->nfo > 16 ? d->nfo : 16;
		r->f = xreallocarray(r->f, d->rcap, sizeof *r->f);
		r->len = xreallocarray(r->len, d->rcap, sizeof *r->len);
	}
	r->nf = d->nfo;
	for (size_t i = 0; i < d->nfo; i++) {
		size_t end = i + 1 < d->nfo ? d->foff[i + 1] : d->row.len;
		r->f[i] = d->row.data + d->foff[i];
		r->len[i] = end - d->foff[i] - 1;
	}
	r->line = d->rec_line;
	d->nfo = 0;
	d->row_done = 0;
	d->between = 1;
	/* valid: the whole line was checked at once (faster); else find
	 * the field to name in the message */
	for (size_t i = 0; i < r->nf && !valid; i++) {
		size_t bad = utf8_check(r->f[i], r->len[i]);
		if (bad < r->len[i]) {
			char tmp[32];
			reasonf(d,
			    r->f[i][bad] ? "column '%s': invalid UTF-8"
					 : "column '%s': NUL byte",
			    column_name(d, r, i, tmp, sizeof tmp));
			return -1;
		}
	}
	if (!is_header && !d->ragged && r->nf != r->ncols) {
		reasonf(d, "expected %zu fields, found %zu", r->ncols, r->nf);
		return -1;
	}
	return 0;
}

/* The status for a rejected record; sets the record's line. */
static enum csvin_status
rejected(struct rd *d, struct csvin *r, int replay)
{
	r->line = d->rec_line;
	reject_record(d, replay);
	return CSVIN_REJECT;
}

/* Reads the input to its end (or failure) after a gzip or read error. */
static enum csvin_status
read_failed(struct rd *d, struct csvin *r)
{
	d->done = 1;
	if (d->between) {
		r->line = d->cur_line;
		buf_clear(&d->raw);
	} else
		r->line = d->rec_line;
	/* the partial line read before the failure is part of the reject */
	buf_add(&d->raw, d->cbuf + d->cpos, d->clen - d->cpos);
	d->cpos = d->clen;
	reasonf(d, "%s", d->fail_why);
	/* A damaged gzip stream is bad data; anything else is an I/O error. */
	return io_is_gzip(d->in) ? CSVIN_REJECT : CSVIN_FAIL;
}

static enum csvin_status
read_record(struct rd *d, struct csvin *r, int is_header)
{
	for (;;) {
		const char *s;
		size_t n;

		if (d->done)
			return CSVIN_EOF;
		enum line_kind k = next_line(d, &s, &n);
		if (k == LINE_FAIL)
			return read_failed(d, r);
		if (k == LINE_EOF) {
			d->done = 1;
			if (d->between)
				return CSVIN_EOF;
			/* Only an open quoted field leaves a record here. */
			d->done = 0;
			reasonf(d, "unterminated quoted field");
			return rejected(d, r, 1);
		}
		long lineno = d->cur_line++;
		if (d->at_start) {
			d->at_start = 0;
			if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
				s += 3;
				n -= 3;
				d->line_off = NO_SPAN;
			}
		}
		if (d->between) {
			if (n == 0 && k == LINE_OK)
				continue; /* empty line between records */
			d->between = 0;
			d->rec_line = lineno;
			d->rec_lines = 0;
			buf_clear(&d->raw);
			buf_clear(&d->row);
		}
		d->rec_lines++;
		if (k == LINE_LONG || d->raw.len + n + 1 > d->max_record) {
			buf_add(&d->raw, s, n);
			reasonf(
			    d, "record longer than %zu bytes", d->max_record);
			return rejected(d, r, k != LINE_LONG);
		}
		/*
		 * Fast path (cut_line).  A line with quotes is changed by the
		 * cut, so its raw text is kept first; a quote-free one can be
		 * restored from the cut line, and is copied only on demand.
		 */
		int quoted = 0, cut = 1, plain = 0;
		if (d->rec_lines == 1) {
			plain = cut_plain(d, r, (char *)s, n);
			if (plain)
				cut = plain < 0 ? -1 : 0;
		}
		if (!plain && d->rec_lines == 1 && utf8_check(s, n) == n) {
			char *q = memchr(s, '"', n);
			quoted = q != NULL;
			if (quoted) {
				buf_clear(&d->raw);
				buf_add(&d->raw, s, n);
				buf_addc(&d->raw, '\n');
			}
			cut = cut_line(d, r, (char *)s, n, q);
		}
		if (cut <= 0) {
			r->line = d->rec_line;
			d->between = 1;
			if (!quoted) {
				uncut_raw_later(d, s, n);
				if (d->rec_lines == 1 &&
				    d->line_off != NO_SPAN) {
					d->span_off = d->line_off;
					d->span_p = s;
					d->span_n = n;
				}
			}
			if (cut < 0) {
				reasonf(d, "field longer than %zu bytes",
				    d->max_field);
				return rejected(d, r, 0);
			}
			if (!is_header && !d->ragged && r->nf != r->ncols) {
				reasonf(d, "expected %zu fields, found %zu",
				    r->ncols, r->nf);
				return CSVIN_REJECT;
			}
			return CSVIN_ROW;
		}
		if (quoted) {
			/* undo the partial cut: libcsv reads the original */
			memcpy((char *)s, d->raw.data, n);
			buf_clear(&d->raw);
		}
		buf_add(&d->raw, s, n);
		buf_addc(&d->raw, '\n');
		if (d->rec_lines == 1)
			d->raw_first = d->raw.len;
		/* A complete line is fed with its LF, which s[n] holds. */
		size_t len = k == LINE_OK ? n + 1 : n;
		if (csv_parse(&d->p, s, len, on_field, on_row, d) < len) {
			int e = csv_error(&d->p);
			if (e == CSV_ENOMEM && field_refused) {
				if (d->p.quoted && d->rec_lines > 1)
					reasonf(d,
					    "quoted field not closed within "
					    "%zu bytes",
					    d->max_field);
				else
					reasonf(d,
					    "field longer than %zu bytes",
					    d->max_field);
			} else if (e == CSV_EPARSE)
				reasonf(d,
				    "malformed quoted field (stray quote "
				    "or text after a closing quote)");
			else
				err_die("%s: libcsv: %s", io_name(d->in),
				    csv_strerror(e));
			return rejected(d, r, 1);
		}
		if (k == LINE_LAST &&
		    csv_fini(&d->p, on_field, on_row, d) != 0) {
			reasonf(d, "unterminated quoted field");
			return rejected(d, r, 1);
		}
		if (d->row_done)
			return finish_row(d, r, is_header, 0) ? CSVIN_REJECT
							      : CSVIN_ROW;
	}
}

struct csvin *
csvin_open(const char *path, const struct csvin_opts *opts, const char **why)
{
	static struct buf msg;
	struct io_in *in = io_open(path);
	struct csvin_opts def = { 0 };

	if (!in)
		return NULL;
	if (!opts)
		opts = &def;
	struct csvin *r = xcalloc(1, sizeof *r);
	struct rd *d = xcalloc(1, sizeof *d);
	r->priv = d;
	d->in = in;
	d->delim = (unsigned char)(opts->delim ? opts->delim : ',');
	d->max_field =
	    opts->max_field ? opts->max_field : CSVIN_MAX_FIELD_DEFAULT;
	d->max_record =
	    d->max_field > ((size_t)-1) / 32 ? d->max_field : d->max_field * 16;
	field_limit = d->max_field;
	d->ragged = opts->ragged;
	d->encoding = opts->encoding;
	d->opts = CSV_STRICT | CSV_STRICT_FINI;
	parser_init(d);
	d->ccap = CHUNK;
	/* one byte of slack: a last line without LF is cut in place too */
	d->cbuf = xmalloc(d->ccap + 1);
	d->cur_line = 1;
	d->between = 1;
	d->at_start = 1;
	d->line_off = d->span_off = NO_SPAN;

	enum csvin_status st = read_record(d, r, 1);
	if (st == CSVIN_EOF) {
		r->empty = 1;
		return r;
	}
	if (st != CSVIN_ROW) {
		buf_clear(&msg);
		buf_printf(&msg, "%s:%ld: header: %s", io_name(in), r->line,
		    buf_str(&d->reason));
		*why = buf_str(&msg);
		csvin_close(r);
		errno = EINVAL;
		return NULL;
	}
	r->ncols = r->nf;
	r->col = xcalloc(r->ncols ? r->ncols : 1, sizeof *r->col);
	for (size_t i = 0; i < r->ncols; i++) {
		if (opts->no_header) {
			char name[32];
			snprintf(name, sizeof name, "c%zu", i + 1);
			r->col[i] = xstrdup(name);
		} else
			r->col[i] = xstrdup(r->f[i]);
	}
	if (opts->no_header) {
		d->first_pending = 1;
		return r;
	}
	for (size_t i = 0; i < r->ncols; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->col[i], r->col[j]) == 0) {
				buf_clear(&msg);
				buf_printf(&msg, "%s:1: duplicate column '%s'",
				    io_name(in), r->col[i]);
				*why = buf_str(&msg);
				csvin_close(r);
				errno = EINVAL;
				return NULL;
			}
	return r;
}

enum csvin_status
csvin_next(struct csvin *r)
{
	struct rd *d = r->priv;

	if (d->first_pending) {
		d->first_pending = 0;
		return CSVIN_ROW; /* r->f still holds the first record */
	}
	field_limit = d->max_field;
	d->line_raw = NULL;
	d->span_off = NO_SPAN;
	enum csvin_status st = read_record(d, r, 0);
	r->reason = buf_str(&d->reason);
	return st;
}

long
csvin_col(const struct csvin *r, const char *name)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (strcmp(r->col[i], name) == 0)
			return (long)i;
	return -1;
}

const char *
csvin_raw(const struct csvin *r, size_t *n)
{
	struct rd *d = r->priv;
	size_t len;

	if (d->line_raw && d->line_raw_cut && r->nf > 0 &&
	    r->f[0] == d->line_raw) {
		/* a quote-free cut line: each field but the last ends where
		 * its delimiter was */
		buf_clear(&d->raw);
		buf_add(&d->raw, d->line_raw, d->line_raw_len);
		for (size_t i = 0; i + 1 < r->nf; i++)
			d->raw.data[r->f[i] - d->line_raw + r->len[i]] =
			    (char)d->delim;
		buf_addc(&d->raw, '\n');
		d->line_raw = NULL;
	} else if (d->line_raw && d->line_raw_cut) {
		uncut_raw(d, d->line_raw, d->line_raw_len);
		d->line_raw = NULL;
	}
	if (d->line_raw) {
		*n = d->line_raw_len;
		return d->line_raw;
	}
	len = d->raw.len;
	/* raw holds each line with its LF; the last LF is not part of it */
	if (len && d->raw.data[len - 1] == '\n')
		len--;
	*n = len;
	return buf_str(&d->raw);
}

int
csvin_span(const struct csvin *r, int *fd, uint64_t *off, size_t *n)
{
	const struct rd *d = r->priv;
	if (d->span_off == NO_SPAN || (*fd = io_plain_fd(d->in)) < 0 ||
	    memchr(d->span_p, '\r', d->span_n) != NULL)
		return 0;
	*off = d->span_off;
	*n = d->span_n;
	return 1;
}

const char *
csvin_name(const struct csvin *r)
{
	return io_name(((const struct rd *)r->priv)->in);
}

uint64_t
csvin_bytes(const struct csvin *r)
{
	return io_raw_bytes(((const struct rd *)r->priv)->in);
}

void
csvin_close(struct csvin *r)
{
	if (!r)
		return;
	struct rd *d = r->priv;
	csv_free(&d->p);
	io_close(d->in);
	free(d->cbuf);
	buf_free(&d->pending);
	buf_free(&d->raw);
	buf_free(&d->row);
	buf_free(&d->reason);
	buf_free(&d->skipped);
	buf_free(&d->xbuf);
	free(d->foff);
	free(d);
	for (size_t i = 0; i < r->ncols; i++)
		free(r->col[i]);
	free(r->col);
	free(r->f);
	free(r->len);
	free(r);
}
