/*
 * buf: a growable byte buffer, always NUL-terminated after its contents.
 *
 * A zero-initialised struct buf is an empty buffer ready for use.  The
 * buffer owns its memory; buf_free releases it.  Pointers into b->data are
 * invalidated by any call that grows the buffer.
 */
#ifndef JT_BUF_H
#define JT_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *data; /* contents, NUL-terminated; NULL until first growth */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
};

/* Grows the buffer (the slow path of buf_reserve). */
void buf_grow(struct buf *b, size_t n);

/* Makes room for at least n more bytes (plus the NUL). */
static inline void
buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
}

/* Appends n bytes from p. */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Appends one byte. */
static inline void
buf_addc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
/* Appends a NUL-terminated string. */
void buf_adds(struct buf *b, const char *s);
/* Appends printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory. */
void buf_clear(struct buf *b);
/* Releases the memory; the buffer is empty and reusable afterwards. */
void buf_free(struct buf *b);
/* Returns the contents (never NULL: "" for an empty buffer). */
const char *buf_str(const struct buf *b);

#endif
