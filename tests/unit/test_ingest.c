/* Unit tests of the jt-ingest modules: ident, channel, weblog, spec,
 * jsonrow, re. */
#include "unit.h"
#include "buf.h"
#include "channel.h"
#include "ident.h"
#include "jsonrow.h"
#include "re.h"
#include "spec.h"
#include "weblog.h"

static const char *
norm(enum ident_kind k, const char *s, const char *cc)
{
	static struct buf b;
	if (ident_normalise(k, s, strlen(s), cc, &b))
		return "JUNK";
	return buf_str(&b);
}

static void
test_ident(void **state)
{
	(void)state;
	const char *phones[] = { "(555) 010-2030", "+1 555-010-2030",
		"555.010.2030", "5550102030", "1-555-010-2030",
		"001 555 010 2030", "555-010-2030 x42" };
	for (size_t i = 0; i < sizeof phones / sizeof *phones; i++)
		assert_string_equal(
		    norm(IDENT_PHONE, phones[i], "1"), "15550102030");
	assert_string_equal(
	    norm(IDENT_PHONE, "020 7946 0018", "44"), "442079460018");
	assert_string_equal(
	    norm(IDENT_PHONE, "+44 20 7946 0018", "1"), "442079460018");
	assert_string_equal(norm(IDENT_PHONE, "12345", "1"), "JUNK");
	assert_string_equal(norm(IDENT_PHONE, "000-000-0000", "1"), "JUNK");
	assert_string_equal(norm(IDENT_EMAIL, "  Jane.Doe@Example.COM ", NULL),
	    "jane.doe@example.com");
	assert_string_equal(norm(IDENT_EMAIL, "mailto:A@B.C", NULL), "a@b.c");
	assert_string_equal(norm(IDENT_EMAIL, "TEST@test.com", NULL), "JUNK");
	assert_string_equal(norm(IDENT_OTHER, " U-1 ", NULL), "U-1");
	const char *junk[] = { "", "null", "NULL", "None", "n/a", "undefined",
		"unknown", "0", "-1", "00000000-0000-0000-0000-000000000000",
		"1111111111", "[object Object]", "guest", "noemail@shop.com",
		"ANONYMOUS", "(Not Set)", "N/A", "Test@Test.com", " False ",
		"X@X.COM", "--" };
	for (size_t i = 0; i < sizeof junk / sizeof *junk; i++)
		assert_true(ident_is_junk(junk[i], strlen(junk[i])));
	assert_false(ident_is_junk("1234567", 7));
	assert_false(ident_is_junk("nullable", 8));
	assert_int_equal(ident_kind("id_email"), IDENT_EMAIL);
	assert_int_equal(ident_kind("id_phone"), IDENT_PHONE);
	assert_int_equal(ident_kind("id_user"), IDENT_OTHER);
}

static const char *
web(const char *src, const char *med, const char *ref, const char *url)
{
	struct channel_hit h = { src, med, NULL, ref, url, NULL };
	return channel_web(&h);
}

static void
test_channel_web(void **state)
{
	(void)state;
	assert_string_equal(web("google", "cpc", NULL, NULL), "paid_search");
	assert_string_equal(
	    web(NULL, NULL, NULL, "https://s.com/?gclid=x"), "paid_search");
	assert_string_equal(web(NULL, "banner", NULL, NULL), "display");
	assert_string_equal(web("facebook", "paid", NULL, NULL), "paid_social");
	assert_string_equal(web(NULL, "social", NULL, NULL), "organic_social");
	assert_string_equal(
	    web(NULL, NULL, "https://m.facebook.com/", "https://s.com/"),
	    "organic_social");
	assert_string_equal(
	    web(NULL, NULL, "https://t.co/abc", NULL), "organic_social");
	assert_string_equal(web("newsletter", NULL, NULL, NULL), "email");
	assert_string_equal(web(NULL, "E-Mail", NULL, NULL), "email");
	assert_string_equal(web(NULL, "affiliate", NULL, NULL), "affiliate");
	assert_string_equal(web(NULL, NULL, "https://www.google.co.uk/", NULL),
	    "organic_search");
	assert_string_equal(web(NULL, "organic", NULL, NULL), "organic_search");
	assert_string_equal(
	    web(NULL, NULL, "https://news.example.org/x", NULL), "referral");
	assert_string_equal(web(NULL, "weird", NULL, NULL), "other");
	assert_string_equal(web(NULL, NULL, NULL, "https://s.com/"), "direct");
	assert_string_equal(
	    web(NULL, NULL, "https://www.s.com/a", "https://s.com/b"), "");
	assert_string_equal(
	    web(NULL, NULL, NULL,
		"https://s.com/?utm_source=newsletter&utm_medium=email"),
	    "email");
	char out[64];
	channel_snake("Online Display", 14, out, sizeof out);
	assert_string_equal(out, "online_display");
	channel_snake("  --E-Mail!! ", 13, out, sizeof out);
	assert_string_equal(out, "e_mail");
}

static void
test_channel_rules(void **state)
{
	(void)state;
	char why[256];
	const char *ok = "# comment\n\nsms\tutm_medium~^sms$\treferrer!~.\n"
			 "retail\tutm_source~criteo\n";
	const char *path = unit_file(ok, strlen(ok));
	struct channel_rules *r = channel_rules_load(path, why, sizeof why);
	unlink(path);
	assert_non_null(r);
	assert_int_equal(channel_rules_ncolumns(r), 3);
	const char *v[3] = { "SMS", NULL, NULL };
	size_t l[3] = { 3, 0, 0 };
	assert_string_equal(channel_rules_apply(r, v, l), "sms");
	v[1] = "x";
	l[1] = 1;
	assert_null(channel_rules_apply(r, v, l));
	v[2] = "Criteo";
	l[2] = 6;
	assert_string_equal(channel_rules_apply(r, v, l), "retail");
	channel_rules_free(r);
	const char *bad[] = { "notab\n", "x\tcol~(\n", "x\t~y\n", "\tc~y\n" };
	for (size_t i = 0; i < 4; i++) {
		path = unit_file(bad[i], strlen(bad[i]));
		assert_null(channel_rules_load(path, why, sizeof why));
		unlink(path);
		assert_non_null(strstr(why, ":1: "));
	}
}

static void
on_pair(const char *k, size_t kn, const char *v, size_t vn, void *arg)
{
	struct buf *b = arg;
	buf_printf(b, "[%.*s=%.*s]", (int)kn, k, (int)vn, v);
}

static void
test_weblog(void **state)
{
	(void)state;
	char line[] = "83.149.9.216 - - [17/May/2015:10:05:03 +0200] \"GET "
		      "/a?x=1 HTTP/1.1\" 200 203023 \"http://r/\" \"Mozilla "
		      "\\\"5\\\"\"";
	struct weblog_rec r;
	char why[128];
	assert_int_equal(
	    weblog_parse(line, strlen(line), 1, &r, why, sizeof why), 0);
	assert_string_equal(r.f[WEBLOG_IP], "83.149.9.216");
	assert_string_equal(r.f[WEBLOG_IDENT], "");
	assert_string_equal(r.f[WEBLOG_METHOD], "GET");
	assert_string_equal(r.f[WEBLOG_URL], "/a?x=1");
	assert_string_equal(r.f[WEBLOG_STATUS], "200");
	assert_string_equal(r.f[WEBLOG_USER_AGENT], "Mozilla \"5\"");
	assert_true(r.ts_ms == 1431849903000LL);
	char bad1[] =
	    "1.2.3.4 - - [31/Feb/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1";
	assert_int_equal(
	    weblog_parse(bad1, strlen(bad1), 0, &r, why, sizeof why), -1);
	assert_non_null(strstr(why, "invalid time"));
	char bad2[] =
	    "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1";
	assert_int_equal(
	    weblog_parse(bad2, strlen(bad2), 1, &r, why, sizeof why), -1);
	assert_non_null(strstr(why, "missing referrer"));
	char bad3[] = "garbage";
	assert_int_equal(
	    weblog_parse(bad3, strlen(bad3), 0, &r, why, sizeof why), -1);
	struct buf b = { 0 };
	const char *url = "/s?q=red+shoes&utm_campaign=spring%20sale&x&=y#frag";
	weblog_query(url, strlen(url), on_pair, &b);
	assert_string_equal(
	    buf_str(&b), "[q=red shoes][utm_campaign=spring sale][x=]");
	buf_free(&b);
	char out[16];
	assert_int_equal(weblog_decode("%4", 2, out, 0), 2);
	assert_string_equal(out, "%4");
}

static void
test_spec(void **state)
{
	(void)state;
	struct spec_pair *p = NULL;
	size_t n = 0, cap = 0;
	const char *why;
	assert_int_equal(spec_pairs("ts=Start (local),\"a,b\"=\"x=\"\"y\"\"\"",
			     &p, &n, &cap, &why),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].val, "Start (local)");
	assert_string_equal(p[1].key, "a,b");
	assert_string_equal(p[1].val, "x=\"y\"");
	assert_int_equal(spec_pairs("novalue", &p, &n, &cap, &why), -1);
	assert_int_equal(spec_pairs("=x", &p, &n, &cap, &why), -1);
	assert_int_equal(spec_pairs("\"open=x", &p, &n, &cap, &why), -1);
	spec_pairs_free(p, n);
	char **l = NULL;
	n = cap = 0;
	assert_int_equal(spec_list("a,,\"b,c\"", &l, &n, &cap, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(l[1], "b,c");
	spec_list_free(l, n);
}

static void
test_jsonrow(void **state)
{
	(void)state;
	struct jsonrow *j = jsonrow_new();
	struct buf b = { 0 };
	char why[128];
	const char *s =
	    "{\"a\":{\"b\":1,\"c\":[1,{\"d\":\"x\"}]},\"a.k\":{\"z\":true},"
	    "\"n\":null,\"r\":0.1,\"big\":9223372036854775807}";
	assert_int_equal(jsonrow_parse(j, s, strlen(s), why, sizeof why), 0);
	assert_int_equal(jsonrow_get(j, "a.b", &b), 1);
	assert_string_equal(buf_str(&b), "1");
	assert_int_equal(jsonrow_get(j, "a.c.1.d", &b), 1);
	assert_string_equal(buf_str(&b), "x");
	assert_int_equal(jsonrow_get(j, "a.k.z", &b), 1);
	assert_string_equal(buf_str(&b), "true");
	assert_int_equal(jsonrow_get(j, "n", &b), 1);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(jsonrow_get(j, "r", &b), 1);
	assert_string_equal(buf_str(&b), "0.1");
	assert_int_equal(jsonrow_get(j, "big", &b), 1);
	assert_string_equal(buf_str(&b), "9223372036854775807");
	assert_int_equal(jsonrow_get(j, "a.c", &b), 1);
	assert_string_equal(buf_str(&b), "[1,{\"d\":\"x\"}]");
	assert_int_equal(jsonrow_get(j, "missing.path", &b), 0);
	assert_int_equal(jsonrow_parse(j, "{\"a\":", 5, why, sizeof why), -1);
	assert_non_null(strstr(why, "invalid JSON: "));
	assert_int_equal(jsonrow_parse(j, "[1]", 3, why, sizeof why), -1);
	assert_string_equal(why, "not a JSON object");
	buf_free(&b);
	jsonrow_free(j);
}

static void
test_re(void **state)
{
	(void)state;
	char why[128];
	struct re *r = re_compile("^(?<b>x+)(?<a>y*)$", 0, why, sizeof why);
	assert_non_null(r);
	assert_int_equal(re_ngroups(r), 2);
	assert_string_equal(re_group_name(r, 0), "b");
	size_t st[2], ln[2];
	assert_int_equal(re_match_groups(r, "xxy", 3, st, ln), 1);
	assert_int_equal(ln[0], 2);
	assert_int_equal(st[1], 2);
	assert_int_equal(re_match(r, "z", 1), 0);
	re_free(r);
	assert_null(re_compile("(", 0, why, sizeof why));
	assert_non_null(strstr(why, "offset 1: "));
	r = re_compile("abc", RE_ICASE, why, sizeof why);
	assert_int_equal(re_match(r, "xABCx", 5), 1);
	re_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_channel_web),
		cmocka_unit_test(test_channel_rules),
		cmocka_unit_test(test_weblog),
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_jsonrow),
		cmocka_unit_test(test_re),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
