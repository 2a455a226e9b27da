/*
 * ident: identifier normalisation and the junk list (ident.h).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ident.h"

/* Junk values, compared after trim and lower-case. */
#define J(s)                                                                   \
	{                                                                      \
		s, sizeof s - 1                                                \
	}
static const struct {
	const char *s;
	size_t n;
} junk[] = {
	J(""),
	J("null"),
	J("none"),
	J("nil"),
	J("nan"),
	J("n/a"),
	J("na"),
	J("-"),
	J("--"),
	J("undefined"),
	J("unknown"),
	J("anonymous"),
	J("anon"),
	J("guest"),
	J("test"),
	J("invalid"),
	J("[object object]"),
	J("0"),
	J("-1"),
	J("true"),
	J("false"),
	J("not set"),
	J("(not set)"),
	J("test@test.com"),
	J("none@none.com"),
	J("no@email.com"),
	J("noemail@noemail.com"),
	J("example@example.com"),
	J("email@example.com"),
	J("user@example.com"),
	J("null@null.com"),
	J("a@a.com"),
	J("x@x.com"),
};
#define JUNK_MAXLEN 20

/* The junk values of each length (indexes in junk[]), made once. */
static unsigned char by_length[JUNK_MAXLEN + 1][8], n_by_length[JUNK_MAXLEN + 1];
static pthread_once_t by_length_once = PTHREAD_ONCE_INIT;

static void
index_by_length(void)
{
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		size_t n = junk[i].n;
		if (n > JUNK_MAXLEN || n_by_length[n] == sizeof by_length[0])
			abort(); /* the table above outgrew its index */
		by_length[n][n_by_length[n]++] = (unsigned char)i;
	}
}

/* Blanks trimmed from values (C locale's isspace, without the call). */
static inline int
is_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

enum ident_kind
ident_kind(const char *column)
{
	if (strcmp(column, "id_email") == 0)
		return IDENT_EMAIL;
	if (strcmp(column, "id_phone") == 0)
		return IDENT_PHONE;
	return IDENT_OTHER;
}

int
ident_is_junk(const char *s, size_t n)
{
	while (n && is_blank(*s)) {
		s++;
		n--;
	}
	while (n && is_blank(s[n - 1]))
		n--;
	pthread_once(&by_length_once, index_by_length);
	if (n <= JUNK_MAXLEN) {
		/* the first byte, lower-cased, rules out nearly all */
		char c = n ? s[0] : 0;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		for (unsigned k = 0; k < n_by_length[n]; k++) {
			unsigned i = by_length[n][k];
			if (junk[i].s[0] == c &&
			    strncasecmp(s, junk[i].s, n) == 0)
				return 1;
		}
	}
	/* placeholder mailboxes: noemail@..., no-reply@... */
	if (n > 8 && (s[0] | 0x20) == 'n' &&
	    (strncasecmp(s, "noemail@", 8) == 0 ||
		strncasecmp(s, "no-email@", 9) == 0))
		return 1;
	/* all zeros with separators (000-000-0000, the zero UUID), or one
	 * digit repeated 7+ times (1111111111) */
	size_t digits = 0, other = 0;
	char first = 0;
	int same = 1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (!first)
				first = c;
			else if (c != first)
				same = 0;
			digits++;
		} else if (c == '-' || c == ' ' || c == '.' || c == '(' ||
		    c == ')' || c == '+' || c == '/' || c == '_')
			continue;
		else {
			other++;
			break; /* not a number: the rule cannot apply */
		}
	}
	if (other == 0 && digits > 0 && same && (first == '0' || digits >= 7))
		return 1;
	return 0;
}

/*
 * Lower-cases the ASCII letters of s into out, eight bytes at a time:
 * bytes 'A'..'Z' get 0x20 added; other bytes, UTF-8 included, are kept.
 */
static void
lower_ascii(const char *s, size_t n, struct buf *out)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	size_t i = 0;

	buf_reserve(out, n);
	for (; i + 8 <= n; i += 8) {
		uint64_t x, lo;
		memcpy(&x, s + i, 8);
		lo = x & ~high; /* the low seven bits of each byte */
		/* high bit set where lo >= 'A', and where lo > 'Z' */
		uint64_t ge_a = lo + ones * (0x80 - 'A');
		uint64_t gt_z = lo + ones * (0x7F - 'Z');
		uint64_t upper = (ge_a ^ gt_z) & ~x & high;
		x |= upper >> 2; /* 0x80 >> 2 = 0x20 */
		memcpy(out->data + i, &x, 8);
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out->data[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out->len = n;
	out->data[n] = '\0';
}

static void
trimmed(const char **s, size_t *n)
{
	while (*n && is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

/* Digits of a phone number without its extension; sets *intl. */
static void
phone_digits(const char *s, size_t n, int *intl, struct buf *out)
{
	size_t i = 0;
	*intl = 0;
	while (i < n && (s[i] == ' ' || s[i] == '('))
		i++;
	if (i < n && s[i] == '+')
		*intl = 1;
	for (; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			buf_addc(out, c);
		else if (c == 'x' || c == 'X' || c == '#' || c == ',' ||
		    c == ';' ||
		    ((c == 'e' || c == 'E') && i + 1 < n &&
			(s[i + 1] == 'x' || s[i + 1] == 'X')))
			break; /* extension: x123, ext. 123, #123 */
	}
	if (!*intl && out->len > 2 && out->data[0] == '0' &&
	    out->data[1] == '0') {
		/* 00 international prefix */
		memmove(out->data, out->data + 2, out->len - 1);
		out->len -= 2;
		*intl = 1;
	}
}

int
ident_normalise(enum ident_kind kind, const char *s, size_t n,
    const char *country, struct buf *out)
{
	buf_clear(out);
	trimmed(&s, &n);
	if (ident_is_junk(s, n))
		return 1;
	switch (kind) {
	case IDENT_EMAIL:
		if (n > 7 && strncasecmp(s, "mailto:", 7) == 0) {
			s += 7;
			n -= 7;
		}
		lower_ascii(s, n, out);
		break;
	case IDENT_PHONE: {
		int intl;
		phone_digits(s, n, &intl, out);
		if (out->len < 6) {
			buf_clear(out);
			return 1;
		}
		if (!intl && country && *country) {
			size_t cl = strlen(country);
			int has_cc = out->len == cl + 10 &&
			    strncmp(out->data, country, cl) == 0;
			if (!has_cc) {
				/* a national number: drop a trunk 0, add the
				 * code */
				const char *d = out->data;
				size_t dl = out->len;
				if (dl > 1 && d[0] == '0') {
					d++;
					dl--;
				}
				struct buf t = { 0 };
				buf_adds(&t, country);
				buf_add(&t, d, dl);
				buf_clear(out);
				buf_add(out, t.data, t.len);
				buf_free(&t);
			}
		}
		if (ident_is_junk(out->data, out->len)) {
			buf_clear(out);
			return 1;
		}
		break;
	}
	default: buf_add(out, s, n);
	}
	return out->len == 0;
}
