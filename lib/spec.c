/*
 * spec: pair lists and plain lists with double-quote quoting.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "spec.h"

/*
 * Reads one token from *s up to a byte in stops (or the end), undoing
 * quotes, into out.  Returns 0 or -1 on an unterminated quote.
 */
static int
token(const char **sp, const char *stops, struct buf *out)
{
	const char *s = *sp;

	buf_clear(out);
	if (*s == '"') {
		s++;
		for (;;) {
			if (*s == '\0')
				return -1;
			if (*s == '"') {
				if (s[1] == '"') {
					buf_addc(out, '"');
					s += 2;
					continue;
				}
				s++;
				break;
			}
			buf_addc(out, *s++);
		}
		/* text after the closing quote, up to the stop, is kept too */
	}
	while (*s && !strchr(stops, *s))
		buf_addc(out, *s++);
	*sp = s;
	return 0;
}

int
spec_pairs(const char *s, struct spec_pair **pairs, size_t *n, size_t *cap,
    const char **why)
{
	struct buf k = { 0 }, v = { 0 };
	int rc = -1;

	for (;;) {
		if (token(&s, "=,", &k) < 0) {
			*why = "unterminated quote";
			goto out;
		}
		if (*s != '=') {
			*why = "missing '='";
			goto out;
		}
		s++;
		if (k.len == 0) {
			*why = "empty name";
			goto out;
		}
		if (token(&s, ",", &v) < 0) {
			*why = "unterminated quote";
			goto out;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			*pairs = xreallocarray(*pairs, *cap, sizeof **pairs);
		}
		(*pairs)[*n].key = xstrdup(buf_str(&k));
		(*pairs)[*n].val = xstrdup(buf_str(&v));
		(*n)++;
		if (*s == '\0')
			break;
		s++; /* ',' */
	}
	rc = 0;
out:
	buf_free(&k);
	buf_free(&v);
	return rc;
}

int
spec_list(
    const char *s, char ***items, size_t *n, size_t *cap, const char **why)
{
	struct buf t = { 0 };

	for (;;) {
		if (token(&s, ",", &t) < 0) {
			*why = "unterminated quote";
			buf_free(&t);
			return -1;
		}
		if (t.len > 0) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 8;
				*items =
				    xreallocarray(*items, *cap, sizeof **items);
			}
			(*items)[(*n)++] = xstrdup(buf_str(&t));
		}
		if (*s == '\0')
			break;
		s++;
	}
	buf_free(&t);
	return 0;
}

void
spec_pairs_free(struct spec_pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].key);
		free(pairs[i].val);
	}
	free(pairs);
}

void
spec_list_free(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}
