/*
 * spec: the small option languages of the tools.
 *
 * A pair list "a=b,c=d": items split on ',' and each on its first '='.
 * Either side may be double-quoted to hold ',', '=' or surrounding spaces
 * ("Start, local"); "" inside quotes is one quote.  Unquoted sides are
 * taken exactly as written (no trimming: a column may be named " x").
 */
#ifndef JT_SPEC_H
#define JT_SPEC_H

#include <stddef.h>

struct spec_pair {
	char *key; /* owned */
	char *val; /* owned */
};

/*
 * Parses s and appends its pairs to *pairs (n and cap updated; the array
 * is xrealloc'ed).  Returns 0, or -1 with a static reason in *why ("missing
 * '='", "empty name", "unterminated quote").
 */
int spec_pairs(const char *s, struct spec_pair **pairs, size_t *n, size_t *cap,
    const char **why);
/*
 * Parses a plain list "a,b,c" with the same quoting; appends owned strings.
 * Returns 0 or -1 with *why.
 */
int spec_list(
    const char *s, char ***items, size_t *n, size_t *cap, const char **why);
void spec_pairs_free(struct spec_pair *pairs, size_t n);
void spec_list_free(char **items, size_t n);

#endif
