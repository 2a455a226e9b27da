/* Unit tests of lib/ts.c: parsing, formatting, zones and DST rules. */
#include "unit.h"
#include "ts.h"

static struct ts_zone *ny, *berlin, *lord_howe, *sydney;

static const char *
fmt(int64_t t)
{
	static char out[TS_FORMAT_LEN + 1];
	assert_int_equal(ts_format(t, out), 0);
	return out;
}

static const char *
iso(const char *s, const struct ts_zone *z)
{
	int64_t t;
	if (ts_parse_auto(s, strlen(s), z, &t) < 0)
		return "FAIL";
	return fmt(t);
}

static void
test_format(void **state)
{
	(void)state;
	assert_string_equal(fmt(0), "1970-01-01T00:00:00.000Z");
	assert_string_equal(fmt(-1), "1969-12-31T23:59:59.999Z");
	assert_string_equal(fmt(951782400123), "2000-02-29T00:00:00.123Z");
	char out[TS_FORMAT_LEN + 1];
	assert_int_equal(ts_format(253402300800000LL, out), -1); /* 10000 */
}

static void
test_iso(void **state)
{
	(void)state;
	assert_string_equal(iso("2026-03-07T23:58:10.120-05:00", NULL),
	    "2026-03-08T04:58:10.120Z");
	assert_string_equal(
	    iso("2026-03-09 12:00:00+0100", NULL), "2026-03-09T11:00:00.000Z");
	assert_string_equal(
	    iso("2026-03-09T12:00+01", NULL), "2026-03-09T11:00:00.000Z");
	assert_string_equal(
	    iso("2026-03-09T12:00:00,5Z", NULL), "2026-03-09T12:00:00.500Z");
	assert_string_equal(iso("2026-03-09T12:00:00.123456789Z", NULL),
	    "2026-03-09T12:00:00.123Z");
	assert_string_equal(
	    iso("2026-03-09", NULL), "2026-03-09T00:00:00.000Z");
	assert_string_equal(
	    iso("2026-03-09 12:00:00 UTC", NULL), "2026-03-09T12:00:00.000Z");
	assert_string_equal(
	    iso("  2028-02-29T00:00:00Z ", NULL), "2028-02-29T00:00:00.000Z");
	/* errors */
	assert_string_equal(iso("2026-02-29", NULL), "FAIL");
	assert_string_equal(iso("2026-13-01", NULL), "FAIL");
	assert_string_equal(iso("2026-01-01T24:00", NULL), "FAIL");
	assert_string_equal(iso("2026-01-01T10:60", NULL), "FAIL");
	assert_string_equal(iso("2026-01-01T10:00:00+25:00", NULL), "FAIL");
	assert_string_equal(iso("2026-01-01T10:00:00Zjunk", NULL), "FAIL");
	assert_string_equal(iso("2026-01-01T10:00:00.", NULL), "FAIL");
	assert_string_equal(iso("yesterday", NULL), "FAIL");
	assert_string_equal(iso("", NULL), "FAIL");
}

static void
test_epoch(void **state)
{
	(void)state;
	assert_string_equal(
	    iso("1773051300", NULL), "2026-03-09T10:15:00.000Z");
	assert_string_equal(
	    iso("1773051300.25", NULL), "2026-03-09T10:15:00.250Z");
	assert_string_equal(
	    iso("1772980000000", NULL), "2026-03-08T14:26:40.000Z");
	assert_string_equal(
	    iso("1772980000000123", NULL), "2026-03-08T14:26:40.000Z");
	assert_string_equal(
	    iso("1772980000000123456", NULL), "2026-03-08T14:26:40.000Z");
	assert_string_equal(iso("-86400", NULL), "1969-12-31T00:00:00.000Z");
	assert_string_equal(iso("99999999999999999999", NULL), "FAIL");
	assert_string_equal(iso("12.", NULL), "FAIL");
}

static void
test_dst(void **state)
{
	(void)state;
	/* skipped hour: the offset before the gap */
	assert_string_equal(
	    iso("2026-03-08 02:30", ny), "2026-03-08T07:30:00.000Z");
	/* repeated hour: the first occurrence */
	assert_string_equal(
	    iso("2026-11-01 01:30", ny), "2026-11-01T05:30:00.000Z");
	assert_string_equal(
	    iso("2026-11-01 02:30", ny), "2026-11-01T07:30:00.000Z");
	assert_string_equal(
	    iso("2026-07-01 12:00", ny), "2026-07-01T16:00:00.000Z");
	assert_string_equal(
	    iso("1960-07-01 12:00", ny), "1960-07-01T16:00:00.000Z");
	/* far future: the footer rule */
	assert_string_equal(
	    iso("2100-07-01 12:00", ny), "2100-07-01T16:00:00.000Z");
	assert_string_equal(
	    iso("2100-12-01 12:00", ny), "2100-12-01T17:00:00.000Z");
	assert_string_equal(
	    iso("2026-03-29 02:30", berlin), "2026-03-29T01:30:00.000Z");
	assert_string_equal(
	    iso("2026-10-25 02:30", berlin), "2026-10-25T00:30:00.000Z");
	/* a 30-minute DST shift */
	assert_string_equal(
	    iso("2026-10-04 02:15", lord_howe), "2026-10-03T15:45:00.000Z");
	/* southern hemisphere: DST in January */
	assert_string_equal(
	    iso("2026-01-15 12:00", sydney), "2026-01-15T01:00:00.000Z");
	assert_string_equal(
	    iso("2026-07-15 12:00", sydney), "2026-07-15T02:00:00.000Z");
	/* an explicit offset wins over the zone */
	assert_string_equal(
	    iso("2026-07-01T12:00Z", ny), "2026-07-01T12:00:00.000Z");
	assert_int_equal(ts_zone_offset_at(ny, 1782907200000LL), -4 * 3600);
}

static void
test_zone_errors(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_null(ts_zone_load("Mars/Olympus", &why));
	assert_non_null(why);
	assert_null(ts_zone_load("../etc/passwd", &why));
	assert_null(ts_zone_load("/etc/passwd", &why));
	struct ts_zone *utc = ts_zone_load("UTC", &why);
	assert_non_null(utc);
	assert_int_equal(ts_zone_offset_at(utc, 0), 0);
	ts_zone_free(utc);
	assert_null(ts_zone_from_tzif("TZif2", 5, &why));
	assert_null(ts_zone_from_tzif("not a zone file at all, longer than "
				      "forty-four bytes......",
	    60, &why));
}

static const char *
fp(const char *f, const char *s, const struct ts_zone *z)
{
	const char *why;
	struct ts_fmt *c = ts_fmt_compile(f, &why);
	int64_t t;
	assert_non_null(c);
	int rc = ts_fmt_parse(c, s, strlen(s), z, &t);
	ts_fmt_free(c);
	return rc < 0 ? "FAIL" : fmt(t);
}

static void
test_strptime(void **state)
{
	(void)state;
	assert_string_equal(fp("%m/%d/%Y %H:%M", "03/08/2026 02:30", ny),
	    "2026-03-08T07:30:00.000Z");
	assert_string_equal(
	    fp("%d/%b/%Y:%H:%M:%S %z", "17/May/2015:10:05:03 +0000", NULL),
	    "2015-05-17T10:05:03.000Z");
	assert_string_equal(
	    fp("%I:%M %p %B %e, %Y", "3:05 pm September  7, 2026", NULL),
	    "2026-09-07T15:05:00.000Z");
	assert_string_equal(
	    fp("%I %p", "12 AM", NULL), "1970-01-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%a, %d %b %Y %T %Z", "Sun, 22 Nov 2026 14:52:19 GMT", NULL),
	    "2026-11-22T14:52:19.000Z");
	assert_string_equal(
	    fp("%Y%m%d", "20261122", NULL), "2026-11-22T00:00:00.000Z");
	assert_string_equal(
	    fp("%Y-%j", "2024-366", NULL), "2024-12-31T00:00:00.000Z");
	assert_string_equal(
	    fp("%s.%f", "1773051300.5", NULL), "2026-03-09T10:15:00.500Z");
	assert_string_equal(
	    fp("%D", "03/09/26", NULL), "2026-03-09T00:00:00.000Z");
	assert_string_equal(fp("%F %T", "2026-03-09 10:15:00", NULL),
	    "2026-03-09T10:15:00.000Z");
	/* errors */
	assert_string_equal(
	    fp("%m/%d/%Y %H:%M", "13/45/2026 25:00", ny), "FAIL");
	assert_string_equal(fp("%Y-%m-%d", "2026-02-30", NULL), "FAIL");
	assert_string_equal(fp("%Y-%m-%d", "2026-02-10x", NULL), "FAIL");
	assert_string_equal(fp("%b", "Foo", NULL), "FAIL");
	assert_string_equal(fp("%I %p", "13 PM", NULL), "FAIL");
	const char *why = NULL;
	assert_null(ts_fmt_compile("%Q", &why));
	assert_non_null(why);
	assert_null(ts_fmt_compile("%", &why));
}

static void
test_duration(void **state)
{
	(void)state;
	int64_t d;
	assert_int_equal(ts_parse_duration("30m", &d), 0);
	assert_int_equal(d, 1800000);
	assert_int_equal(ts_parse_duration("1.5h", &d), 0);
	assert_int_equal(d, 5400000);
	assert_int_equal(ts_parse_duration("90", &d), 0);
	assert_int_equal(d, 90000);
	assert_int_equal(ts_parse_duration("2w", &d), 0);
	assert_int_equal(d, 14LL * 86400000);
	assert_int_equal(ts_parse_duration("", &d), -1);
	assert_int_equal(ts_parse_duration("-1d", &d), -1);
	assert_int_equal(ts_parse_duration("1y", &d), -1);
	assert_int_equal(ts_parse_duration("d", &d), -1);
}

static int
setup(void **state)
{
	const char *why;
	(void)state;
	ny = ts_zone_load("America/New_York", &why);
	berlin = ts_zone_load("Europe/Berlin", &why);
	lord_howe = ts_zone_load("Australia/Lord_Howe", &why);
	sydney = ts_zone_load("Australia/Sydney", &why);
	return ny && berlin && lord_howe && sydney ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	ts_zone_free(ny);
	ts_zone_free(berlin);
	ts_zone_free(lord_howe);
	ts_zone_free(sydney);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_zone_errors),
		cmocka_unit_test(test_strptime),
		cmocka_unit_test(test_duration),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
