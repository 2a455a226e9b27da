/*
 * re: PCRE2 regular expressions, JIT-compiled when the platform allows.
 *
 * Patterns are UTF-8 (PCRE2_UTF) and matched against bytes already checked
 * to be valid UTF-8, so matching skips the per-call UTF check.
 */
#ifndef JT_RE_H
#define JT_RE_H

#include <stddef.h>

struct re;

/*
 * Compiles pattern (flags: RE_ICASE).  Returns NULL and writes a message
 * "offset N: reason" into why (size whylen) on a bad pattern.
 */
enum { RE_ICASE = 1 };
struct re *re_compile(const char *pattern, int flags, char *why, size_t whylen);
/* 1 when s[0..n) contains a match, 0 when not. */
int re_match(struct re *r, const char *s, size_t n);
/*
 * Named groups: count, and name of group i (0-based, in pattern order of
 * their numbers); the name is borrowed from r.
 */
size_t re_ngroups(const struct re *r);
const char *re_group_name(const struct re *r, size_t i);
/*
 * Matches s and, on success, sets start[i]/len[i] for each named group i
 * (an unset group gives len 0).  Returns 1 on a match, 0 otherwise.
 */
int re_match_groups(
    struct re *r, const char *s, size_t n, size_t *start, size_t *len);
void re_free(struct re *r);

#endif
