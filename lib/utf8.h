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

#endif
