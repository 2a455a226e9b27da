/*
 * utf8: validation of UTF-8 text (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
#ifndef JT_UTF8_H
#define JT_UTF8_H

#include <stddef.h>

/*
 * Returns n when s[0..n) is valid UTF-8 without NUL bytes, else the offset
 * of the first bad byte.  ASCII runs are checked eight bytes at a time.
 */
size_t utf8_check(const char *s, size_t n);

/* Input encodings that exports come in besides UTF-8. */
enum utf8_encoding { UTF8_ENC_UTF8 = 0, UTF8_ENC_LATIN1, UTF8_ENC_CP1252 };

/*
 * Parses an encoding name ("utf-8", "latin1", "iso-8859-1", "cp1252",
 * "windows-1252", any case); -1 when unknown.
 */
int utf8_encoding_parse(const char *name);

/*
 * Appends s[0..n), in encoding enc (LATIN1 or CP1252), to out as UTF-8.
 * CP1252's five unassigned bytes become U+FFFD.  out is a struct buf.
 */
struct buf;
void utf8_from_8bit(
    const char *s, size_t n, enum utf8_encoding enc, struct buf *out);

#endif
