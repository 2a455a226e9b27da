/*
 * jsonrow: jansson objects, one per line, read by dotted path.
 *
 * Path lookup does not split or copy the path: at each level it tries the
 * longest key that equals a prefix of the rest of the path ending at a dot
 * or at the end, so keys holding dots ("a.b") are found too; a segment of
 * digits indexes an array.  Duplicate keys in a line: the last one wins
 * (jansson's behaviour).  A string holding U+0000 is cut there.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "jsonrow.h"

struct jsonrow {
	json_t *obj;
	struct buf path;	/* scratch for jsonrow_leaves */
};

struct jsonrow *
jsonrow_new(void)
{
	return xcalloc(1, sizeof(struct jsonrow));
}

int
jsonrow_parse(struct jsonrow *j, const char *s, size_t n, char *why,
    size_t whylen)
{
	json_error_t e;

	if (j->obj) {
		json_decref(j->obj);
		j->obj = NULL;
	}
	json_t *v = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (!v) {
		snprintf(why, whylen, "invalid JSON: %s at column %d", e.text,
		    e.column);
		return -1;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		snprintf(why, whylen, "not a JSON object");
		return -1;
	}
	j->obj = v;
	return 0;
}

/* Child of v named by path[0..n); sets *used to the bytes consumed. */
static json_t *
child(json_t *v, const char *path, size_t n, size_t *used)
{
	if (json_is_object(v)) {
		/* the longest key first: try each dot from the end */
		size_t k = n;
		for (;;) {
			json_t *c = json_object_getn(v, path, k);
			if (c) {
				*used = k;
				return c;
			}
			while (k > 0 && path[k - 1] != '.')
				k--;
			if (k == 0)
				return NULL;
			k--; /* before the dot */
			if (k == 0)
				return NULL;
		}
	}
	if (json_is_array(v)) {
		size_t k = 0, idx = 0;
		while (k < n && path[k] >= '0' && path[k] <= '9' && k < 9)
			idx = idx * 10 + (size_t)(path[k++] - '0');
		if (k == 0 || (k < n && path[k] != '.'))
			return NULL;
		*used = k;
		return json_array_get(v, idx);
	}
	return NULL;
}

static void
value_text(json_t *v, struct buf *out)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		const char *nul = memchr(s, '\0', n);
		buf_add(out, s, nul ? (size_t)(nul - s) : n);
		break;
	}
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		buf_adds(out, num);
		break;
	case JSON_REAL: {
		double d = json_real_value(v);
		snprintf(num, sizeof num, "%.15g", d);
		if (strtod(num, NULL) != d)
			snprintf(num, sizeof num, "%.17g", d);
		buf_adds(out, num);
		break;
	}
	case JSON_TRUE:
		buf_adds(out, "true");
		break;
	case JSON_FALSE:
		buf_adds(out, "false");
		break;
	case JSON_NULL:
		break;
	default: {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (s) {
			buf_adds(out, s);
			free(s);
		}
	}
	}
}

int
jsonrow_get(struct jsonrow *j, const char *path, struct buf *out)
{
	buf_clear(out);
	if (!j->obj)
		return 0;
	json_t *v = j->obj;
	size_t n = strlen(path);
	while (n > 0) {
		size_t used;
		v = child(v, path, n, &used);
		if (!v)
			return 0;
		path += used;
		n -= used;
		if (n > 0) {
			path++; /* the dot */
			n--;
			if (n == 0)
				return 0;
		}
	}
	value_text(v, out);
	return 1;
}

static void
leaves(json_t *v, struct buf *path, void (*fn)(const char *, void *),
    void *arg)
{
	const char *key;
	json_t *c;
	size_t keylen;
	void *it;

	for (it = json_object_iter(v); it;
	     it = json_object_iter_next(v, it)) {
		key = json_object_iter_key(it);
		keylen = json_object_iter_key_len(it);
		c = json_object_iter_value(it);
		size_t mark = path->len;
		if (mark)
			buf_addc(path, '.');
		buf_add(path, key, keylen);
		/* an empty object holds no value: it is not a column */
		if (json_is_object(c)) {
			if (json_object_size(c) > 0)
				leaves(c, path, fn, arg);
		} else
			fn(buf_str(path), arg);
		path->len = mark;
		path->data[mark] = '\0';
	}
}

void
jsonrow_leaves(struct jsonrow *j, void (*fn)(const char *, void *),
    void *arg)
{
	if (!j->obj)
		return;
	buf_clear(&j->path);
	leaves(j->obj, &j->path, fn, arg);
}

void
jsonrow_free(struct jsonrow *j)
{
	if (!j)
		return;
	if (j->obj)
		json_decref(j->obj);
	buf_free(&j->path);
	free(j);
}
