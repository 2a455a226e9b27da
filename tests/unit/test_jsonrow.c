/*
 * Differential test of lib/jsonrow.c against jansson: random documents
 * (nested objects and arrays, escapes, unicode, numbers) are written by
 * jansson and read by both; every scalar leaf must read the same.
 */
#include <jansson.h>

#include "unit.h"
#include "buf.h"
#include "jsonrow.h"

static uint64_t rng = 12345;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static json_t *
gen_string(void)
{
	static const char *const parts[] = { "a", "b c", "\"", "\\", "/", "\n",
		"\t", "\xC3\xA9", "\xF0\x9F\x98\x80", "\x01", "x.y", "" };
	char s[128] = "";
	for (unsigned i = 0, k = rnd(6); i < k; i++)
		strcat(s, parts[rnd(sizeof parts / sizeof *parts)]);
	return json_string(s);
}

static json_t *
gen(int depth)
{
	switch (rnd(depth > 3 ? 5 : 7)) {
	case 0: return gen_string();
	case 1: return json_integer((json_int_t)rnd(1000000) - 500000);
	case 2: return json_real((double)rnd(100000) / 64.0);
	case 3: return rnd(2) ? json_true() : json_false();
	case 4: return json_null();
	case 5: {
		json_t *a = json_array();
		for (unsigned i = 0, n = rnd(4); i < n; i++)
			json_array_append_new(a, gen(depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (unsigned i = 0, n = rnd(5); i < n; i++) {
			char k[16];
			snprintf(k, sizeof k, "k%u", rnd(6));
			json_object_set_new(o, k, gen(depth + 1));
		}
		return o;
	}
	}
}

/* Walks jansson's tree and checks each scalar against jsonrow_get. */
static void
check(struct jsonrow *j, json_t *v, char *path, size_t plen)
{
	struct buf got = { 0 };
	const char *key;
	json_t *c;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach (v, key, c) {
			size_t n = (size_t)snprintf(path + plen, 512 - plen,
			    "%s%s", plen ? "." : "", key);
			check(j, c, path, plen + n);
		}
		return;
	}
	if (json_is_array(v)) {
		json_array_foreach (v, i, c) {
			size_t n = (size_t)snprintf(path + plen, 512 - plen,
			    "%s%zu", plen ? "." : "", i);
			check(j, c, path, plen + n);
		}
		return;
	}
	path[plen] = '\0';
	assert_int_equal(jsonrow_get(j, path, &got), 1);
	char want[64];
	switch (json_typeof(v)) {
	case JSON_STRING: {
		/* U+0000 reads as U+FFFD: none is generated */
		assert_int_equal(got.len, json_string_length(v));
		assert_memory_equal(
		    buf_str(&got), json_string_value(v), got.len);
		break;
	}
	case JSON_INTEGER:
		snprintf(want, sizeof want, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		assert_string_equal(buf_str(&got), want);
		break;
	case JSON_REAL:
		/* numbers are kept as written: compare by value */
		assert_true(strtod(buf_str(&got), NULL) == json_real_value(v));
		break;
	case JSON_TRUE: assert_string_equal(buf_str(&got), "true"); break;
	case JSON_FALSE: assert_string_equal(buf_str(&got), "false"); break;
	case JSON_NULL: assert_string_equal(buf_str(&got), ""); break;
	default: break;
	}
	buf_free(&got);
}

static void
test_differential(void **state)
{
	(void)state;
	struct jsonrow *j = jsonrow_new();
	char why[256], path[512];

	for (int round = 0; round < 3000; round++) {
		json_t *doc = json_object();
		for (unsigned i = 0, n = 1 + rnd(6); i < n; i++) {
			char k[16];
			snprintf(k, sizeof k, "f%u", i);
			json_object_set_new(doc, k, gen(0));
		}
		/* keys are unique per object here, so "last wins" is moot */
		char *text =
		    json_dumps(doc, rnd(2) ? JSON_COMPACT : JSON_INDENT(0));
		for (char *p = text; *p; p++)
			if (*p == '\n')
				*p = ' '; /* one line */
		assert_int_equal(
		    jsonrow_parse(j, text, strlen(text), why, sizeof why), 0);
		check(j, doc, path, 0);
		free(text);
		json_decref(doc);
	}
	jsonrow_free(j);
}

static void
test_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = { "{", "{\"a\"}", "{\"a\":}",
		"{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}",
		"{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}",
		"{\"a\":\"tab\there\"}", "{\"a\":1} x", "{'a':1}",
		"{\"a\":[1,]}", "{\"a\":\"open}" };
	struct jsonrow *j = jsonrow_new();
	char why[256];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_error_t e;
		json_t *v = json_loads(bad[i], 0, &e);
		assert_null(v); /* jansson agrees that it is invalid */
		assert_int_equal(
		    jsonrow_parse(j, bad[i], strlen(bad[i]), why, sizeof why),
		    -1);
		assert_non_null(strstr(why, "invalid JSON: "));
	}
	/* nesting limit */
	char deep[300];
	size_t n = 0;
	deep[n++] = '{';
	strcpy(deep + n, "\"a\":");
	n += 4;
	for (int i = 0; i < 70; i++)
		deep[n++] = '[';
	for (int i = 0; i < 70; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	assert_int_equal(jsonrow_parse(j, deep, n, why, sizeof why), -1);
	assert_non_null(strstr(why, "nesting"));
	/* \u0000 reads as U+FFFD; surrogate pairs decode */
	struct buf b = { 0 };
	const char *s = "{\"z\":\"a\\u0000b\",\"e\":\"\\ud83d\\ude00\"}";
	assert_int_equal(jsonrow_parse(j, s, strlen(s), why, sizeof why), 0);
	jsonrow_get(j, "z", &b);
	assert_string_equal(buf_str(&b),
	    "a\xEF\xBF\xBD"
	    "b");
	jsonrow_get(j, "e", &b);
	assert_string_equal(buf_str(&b), "\xF0\x9F\x98\x80");
	buf_free(&b);
	jsonrow_free(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
