/*
 * jsonrow: a one-pass JSON scanner for JSON lines.
 *
 * Why not a JSON library: a tree-building parser (jansson was measured)
 * allocates for every value and reached 25 MB/s on analytics events; the
 * rows only need a few values each.  This scanner validates the whole line
 * against RFC 8259 and records, without allocating per value, each value's
 * dotted path and text:
 *   - strings decoded (escapes undone, \u0000 becomes U+FFFD);
 *   - numbers, true and false as written; null as present but empty;
 *   - objects and arrays as their JSON text, as written;
 *   - array elements under their index ("items.0.sku").
 * A key holding dots flattens to the same path as nested keys, so
 * "context.page" finds {"context":{"page":..}} and {"context.page":..}.
 * With duplicate paths the last one wins.
 *
 * Invariants: entries refer to the current line (borrowed, valid until the
 * next jsonrow_parse) or to the value buffer; the line is valid UTF-8
 * (checked by the caller).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "jsonrow.h"

#define MAX_DEPTH 64

enum kind { K_STRING, K_RAW, K_NULL, K_CONTAINER };

struct ent {
	size_t path_off, path_len; /* in paths */
	size_t val_off, val_len;   /* in vals (string) or the line */
	unsigned char kind;
	unsigned char in_array; /* not a leaf for jsonrow_leaves */
};

struct jsonrow {
	const char *line;
	struct ent *ent;
	size_t n, cap;
	struct buf paths; /* every entry's path, back to back */
	struct buf vals;  /* decoded strings */
	struct buf path;  /* the path being walked */
	const char *err;
	size_t err_at;
};

struct jsonrow *
jsonrow_new(void)
{
	return xcalloc(1, sizeof(struct jsonrow));
}

static int
fail(struct jsonrow *j, const char *p, const char *what)
{
	if (!j->err) {
		j->err = what;
		j->err_at = (size_t)(p - j->line);
	}
	return -1;
}

static const char *
ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static struct ent *
add(struct jsonrow *j, enum kind k, int in_array)
{
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 32;
		j->ent = xreallocarray(j->ent, j->cap, sizeof *j->ent);
	}
	struct ent *e = &j->ent[j->n++];
	e->path_off = j->paths.len;
	e->path_len = j->path.len;
	buf_add(&j->paths, j->path.data ? j->path.data : "", j->path.len);
	e->kind = (unsigned char)k;
	e->in_array = (unsigned char)in_array;
	return e;
}

static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | cp >> 12);
		s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | cp >> 18);
		s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		s[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, s, n);
}

/*
 * A string at p (after its opening quote), decoded onto the end of out.
 * Returns the position after the closing quote, or NULL.
 */
static const char *
string(struct jsonrow *j, const char *p, const char *end, struct buf *out)
{
	for (;;) {
		const char *q = p;
		while (q < end && *q != '"' && *q != '\\' &&
		    (unsigned char)*q >= 0x20)
			q++;
		buf_add(out, p, (size_t)(q - p));
		if (q == end)
			return fail(j, q, "unterminated string"), NULL;
		if (*q == '"')
			return q + 1;
		if ((unsigned char)*q < 0x20)
			return fail(j, q, "control character in string"), NULL;
		/* an escape */
		if (q + 1 >= end)
			return fail(j, q, "unterminated string"), NULL;
		char c = q[1];
		p = q + 2;
		switch (c) {
		case '"': buf_addc(out, '"'); break;
		case '\\': buf_addc(out, '\\'); break;
		case '/': buf_addc(out, '/'); break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'u': {
			unsigned cp, lo;
			if (end - p < 4 || hex4(p, &cp) < 0)
				return fail(j, q, "invalid \\u escape"), NULL;
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' ||
				    p[1] != 'u' || hex4(p + 2, &lo) < 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return fail(j, q,
						   "unpaired surrogate in "
						   "\\u escape"),
					       NULL;
				p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				    (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF)
				return fail(j, q,
					   "unpaired surrogate in \\u "
					   "escape"),
				       NULL;
			put_utf8(out, cp ? cp : 0xFFFD);
			break;
		}
		default: return fail(j, q, "invalid escape in string"), NULL;
		}
	}
}

static const char *
number(struct jsonrow *j, const char *p, const char *end)
{
	const char *s = p;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	else
		return fail(j, s, "invalid value"), NULL;
	if (p < end && *p == '.') {
		const char *d = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return fail(j, p, "invalid number"), NULL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		const char *d = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return fail(j, p, "invalid number"), NULL;
	}
	return p;
}

static const char *value(
    struct jsonrow *j, const char *p, const char *end, int depth, int in_array);

/* Appends ".key" (or "key" at the top) to the path. */
static void
path_push(struct jsonrow *j, const char *k, size_t n)
{
	if (j->path.len)
		buf_addc(&j->path, '.');
	buf_add(&j->path, k, n);
}

static void
path_pop(struct jsonrow *j, size_t mark)
{
	j->path.len = mark;
	if (j->path.data)
		j->path.data[mark] = '\0';
}

static const char *
object(
    struct jsonrow *j, const char *p, const char *end, int depth, int in_array)
{
	p = ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p >= end || *p != '"')
			return fail(j, p, "expected a key"), NULL;
		size_t mark = j->path.len;
		if (j->path.len)
			buf_addc(&j->path, '.');
		/* decode the key straight onto the path */
		p = string(j, p + 1, end, &j->path);
		if (!p)
			return NULL;
		p = ws(p, end);
		if (p >= end || *p != ':')
			return fail(j, p, "expected ':'"), NULL;
		p = value(j, ws(p + 1, end), end, depth + 1, in_array);
		if (!p)
			return NULL;
		path_pop(j, mark);
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			return p + 1;
		return fail(j, p, "expected ',' or '}'"), NULL;
	}
}

static const char *
array(struct jsonrow *j, const char *p, const char *end, int depth)
{
	p = ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (size_t i = 0;; i++) {
		char idx[24];
		int n = snprintf(idx, sizeof idx, "%zu", i);
		size_t mark = j->path.len;
		path_push(j, idx, (size_t)n);
		p = value(j, p, end, depth + 1, 1);
		if (!p)
			return NULL;
		path_pop(j, mark);
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		if (p < end && *p == ']')
			return p + 1;
		return fail(j, p, "expected ',' or ']'"), NULL;
	}
}

static const char *
literal(struct jsonrow *j, const char *p, const char *end, const char *word,
    size_t n)
{
	if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
		return fail(j, p, "invalid value"), NULL;
	return p + n;
}

static const char *
value(
    struct jsonrow *j, const char *p, const char *end, int depth, int in_array)
{
	if (depth > MAX_DEPTH)
		return fail(j, p, "nesting deeper than 64"), NULL;
	if (p >= end)
		return fail(j, p, "expected a value"), NULL;
	const char *start = p, *q;
	struct ent *e;
	switch (*p) {
	case '{':
	case '[': {
		size_t at = j->n;
		add(j, K_CONTAINER, in_array);
		q = *p == '{' ? object(j, p, end, depth, in_array)
			      : array(j, p, end, depth);
		if (!q)
			return NULL;
		e = &j->ent[at]; /* add() may have moved the array */
		e->val_off = (size_t)(start - j->line);
		e->val_len = (size_t)(q - start);
		return q;
	}
	case '"': {
		size_t off = j->vals.len;
		q = string(j, p + 1, end, &j->vals);
		if (!q)
			return NULL;
		e = add(j, K_STRING, in_array);
		e->val_off = off;
		e->val_len = j->vals.len - off;
		return q;
	}
	case 't': q = literal(j, p, end, "true", 4); break;
	case 'f': q = literal(j, p, end, "false", 5); break;
	case 'n':
		q = literal(j, p, end, "null", 4);
		if (q) {
			e = add(j, K_NULL, in_array);
			e->val_off = e->val_len = 0;
		}
		return q;
	default: q = number(j, p, end); break;
	}
	if (!q)
		return NULL;
	e = add(j, K_RAW, in_array);
	e->val_off = (size_t)(start - j->line);
	e->val_len = (size_t)(q - start);
	return q;
}

int
jsonrow_parse(
    struct jsonrow *j, const char *s, size_t n, char *why, size_t whylen)
{
	const char *end = s + n, *p;

	j->line = s;
	j->n = 0;
	j->err = NULL;
	buf_clear(&j->paths);
	buf_clear(&j->vals);
	buf_clear(&j->path);
	p = ws(s, end);
	if (p < end && *p != '{' && strchr("[\"tfn-0123456789", *p)) {
		snprintf(why, whylen, "not a JSON object");
		return -1;
	}
	if (p == end || *p != '{') {
		snprintf(why, whylen,
		    "invalid JSON: expected '{' at column %zu",
		    (size_t)(p - s) + 1);
		return -1;
	}
	p = value(j, p, end, 0, 0);
	if (p) {
		p = ws(p, end);
		if (p != end)
			fail(j, p, "text after the object");
	}
	if (j->err) {
		snprintf(why, whylen, "invalid JSON: %s at column %zu", j->err,
		    j->err_at + 1);
		j->n = 0;
		return -1;
	}
	return 0;
}

static void
text_of(const struct jsonrow *j, const struct ent *e, struct buf *out)
{
	switch (e->kind) {
	case K_STRING:
		buf_add(out, j->vals.data + e->val_off, e->val_len);
		break;
	case K_NULL: break;
	default: buf_add(out, j->line + e->val_off, e->val_len);
	}
}

int
jsonrow_get(struct jsonrow *j, const char *path, struct buf *out)
{
	size_t n = strlen(path);
	buf_clear(out);
	/* the top object itself is entry 0: skip it */
	for (size_t i = j->n; i-- > 1;) {
		const struct ent *e = &j->ent[i];
		if (e->path_len == n &&
		    memcmp(j->paths.data + e->path_off, path, n) == 0) {
			text_of(j, e, out);
			return 1;
		}
	}
	return 0;
}

void
jsonrow_leaves(struct jsonrow *j, void (*fn)(const char *, void *), void *arg)
{
	struct buf p = { 0 };
	for (size_t i = 1; i < j->n; i++) {
		const struct ent *e = &j->ent[i];
		if (e->in_array)
			continue;
		/* objects are walked into; arrays are leaves */
		if (e->kind == K_CONTAINER && j->line[e->val_off] == '{')
			continue;
		buf_clear(&p);
		buf_add(&p, j->paths.data + e->path_off, e->path_len);
		fn(buf_str(&p), arg);
	}
	buf_free(&p);
}

void
jsonrow_free(struct jsonrow *j)
{
	if (!j)
		return;
	free(j->ent);
	buf_free(&j->paths);
	buf_free(&j->vals);
	buf_free(&j->path);
	free(j);
}
