/*
 * lines: chunked line splitting with memchr.  The chunk grows up to the
 * line limit plus one chunk; a longer line is skipped to its LF, keeping
 * only its start for the reject, so memory stays bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "lines.h"
#include "utf8.h"

#define CHUNK (256 * 1024)
#define LONG_KEEP (64 * 1024)

struct lines {
	struct io_in *in;
	size_t max;
	char *buf;
	size_t cap, pos, len;
	int eof;
	int started;
	long line;
	const char *err;
	int failed;
	struct buf keep;
	int encoding;
	struct buf xbuf; /* a converted line */
};

void
lines_set_encoding(struct lines *l, int encoding)
{
	l->encoding = encoding;
}

/* The line, converted to UTF-8 when the input is not (writable, NUL). */
static void
convert(struct lines *l, char **s, size_t *n)
{
	if (!l->encoding)
		return;
	buf_clear(&l->xbuf);
	utf8_from_8bit(*s, *n, (enum utf8_encoding)l->encoding, &l->xbuf);
	*s = l->xbuf.data;
	*n = l->xbuf.len;
}

struct lines *
lines_new(struct io_in *in, size_t max)
{
	struct lines *l = xcalloc(1, sizeof *l);
	l->in = in;
	l->max = max ? max : 1024 * 1024;
	l->cap = CHUNK;
	l->buf = xmalloc(l->cap + 1);
	return l;
}

/* Reads more input after compacting; 0, or -1 on failure. */
static int
fill(struct lines *l)
{
	if (l->pos > 0) {
		memmove(l->buf, l->buf + l->pos, l->len - l->pos);
		l->len -= l->pos;
		l->pos = 0;
	}
	if (l->len == l->cap) {
		l->cap *= 2;
		l->buf = xrealloc(l->buf, l->cap + 1);
	}
	long n = io_read(l->in, l->buf + l->len, l->cap - l->len, &l->err);
	if (n < 0) {
		l->failed = 1;
		return -1;
	}
	if (n == 0)
		l->eof = 1;
	l->len += (size_t)n;
	return 0;
}

static void
strip_bom(struct lines *l, char **s, size_t *n)
{
	if (!l->started) {
		l->started = 1;
		if (*n >= 3 && memcmp(*s, "\xEF\xBB\xBF", 3) == 0) {
			*s += 3;
			*n -= 3;
		}
	}
}

enum lines_status
lines_next(struct lines *l, char **s, size_t *n, long *line)
{
	size_t scanned = 0;

	if (l->failed)
		return LINES_EOF;
	for (;;) {
		char *start = l->buf + l->pos;
		size_t avail = l->len - l->pos;
		char *nl = memchr(start + scanned, '\n', avail - scanned);
		if (nl) {
			*n = (size_t)(nl - start);
			l->pos += *n + 1;
			if (*n && start[*n - 1] == '\r')
				(*n)--;
			start[*n] = '\0';
			*s = start;
			*line = ++l->line;
			strip_bom(l, s, n);
			if (*n > l->max) {
				*n = l->max;
				return LINES_LONG;
			}
			convert(l, s, n);
			return LINES_OK;
		}
		scanned = avail;
		if (l->eof) {
			if (avail == 0)
				return LINES_EOF;
			*n = avail;
			l->pos = l->len;
			if (start[*n - 1] == '\r')
				(*n)--;
			start[*n] = '\0'; /* room: buf has cap + 1 bytes */
			*s = start;
			*line = ++l->line;
			strip_bom(l, s, n);
			if (*n > l->max)
				return LINES_LONG;
			convert(l, s, n);
			return LINES_OK;
		}
		if (avail > l->max) {
			/* keep the start, skip to the end of the line */
			size_t k = avail < LONG_KEEP ? avail : LONG_KEEP;
			buf_clear(&l->keep);
			buf_add(&l->keep, start, k);
			l->pos = l->len;
			while (!l->eof) {
				if (fill(l) < 0)
					break;
				char *q = memchr(l->buf, '\n', l->len);
				if (q) {
					l->pos = (size_t)(q - l->buf) + 1;
					break;
				}
				l->pos = l->len;
			}
			*s = l->keep.data;
			*n = l->keep.len;
			*line = ++l->line;
			return LINES_LONG;
		}
		if (fill(l) < 0) {
			/* the partial line read before the failure goes with it
			 */
			*n = l->len - l->pos;
			*s = l->buf + l->pos;
			(*s)[*n] = '\0';
			l->pos = l->len;
			*line = ++l->line;
			return LINES_FAIL;
		}
	}
}

const char *
lines_error(const struct lines *l)
{
	return l->err ? l->err : "read error";
}

void
lines_free(struct lines *l)
{
	if (!l)
		return;
	free(l->buf);
	buf_free(&l->keep);
	buf_free(&l->xbuf);
	free(l);
}
