/*
 * Unit tests of lib/ts.c: calendar, formatting, ISO/epoch/strptime-style
 * parsing, durations, TZif reading (hand-built files of every version and
 * the system's zoneinfo) and the DST gap and repeated-hour rules.
 *
 * Expected zone results were checked against Python's zoneinfo with
 * fold=0, which ts.h names as the reference.  The system zones used are
 * Debian's (tzdata); the TZif files built here need none.
 */
#include "unit.h"
#include "ts.h"

#include <sys/stat.h>

static struct ts_zone *ny, *berlin, *lord_howe, *sydney, *santiago;

static const char *
fmt(int64_t t)
{
	static char out[TS_FORMAT_LEN + 1];
	if (ts_format(t, out) < 0)
		return "RANGE";
	return out;
}

/* ts_parse_auto on a C string, formatted, or "FAIL". */
static const char *
iso(const char *s, const struct ts_zone *z)
{
	int64_t t;
	if (ts_parse_auto(s, strlen(s), z, &t) < 0)
		return "FAIL";
	return fmt(t);
}

/* ts_parse_iso (no trimming) on a C string, formatted, or "FAIL". */
static const char *
iso_strict(const char *s, const struct ts_zone *z)
{
	int64_t t;
	if (ts_parse_iso(s, strlen(s), z, &t) < 0)
		return "FAIL";
	return fmt(t);
}

static const char *
epoch(const char *s)
{
	int64_t t;
	if (ts_parse_epoch(s, strlen(s), &t) < 0)
		return "FAIL";
	return fmt(t);
}

/* ---- calendar and formatting ---- */

static void
test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(ts_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(ts_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(ts_days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(ts_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(
	    ts_days_from_civil(1900, 3, 1) - ts_days_from_civil(1900, 2, 28),
	    1); /* 1900 is not a leap year */
	assert_int_equal(ts_days_from_civil(0, 1, 1), -719528);
	assert_int_equal(ts_days_from_civil(9999, 12, 31), 2932896);
	assert_int_equal(ts_days_from_civil(-1, 12, 31), -719529);
	/* every day of 1600-2400 follows the one before */
	int64_t prev = ts_days_from_civil(1599, 12, 31);
	for (int64_t y = 1600; y <= 2400; y++)
		for (unsigned m = 1; m <= 12; m++) {
			static const unsigned dm[] = { 31, 28, 31, 30, 31, 30,
				31, 31, 30, 31, 30, 31 };
			unsigned n = dm[m - 1] +
			    (m == 2 &&
				(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
			for (unsigned d = 1; d <= n; d++) {
				int64_t k = ts_days_from_civil(y, m, d);
				assert_int_equal(k, prev + 1);
				prev = k;
			}
		}
}

static void
test_format(void **state)
{
	(void)state;
	char out[TS_FORMAT_LEN + 1];
	assert_string_equal(fmt(0), "1970-01-01T00:00:00.000Z");
	assert_string_equal(fmt(-1), "1969-12-31T23:59:59.999Z");
	assert_string_equal(fmt(951782400123), "2000-02-29T00:00:00.123Z");
	assert_string_equal(fmt(1795359139007), "2026-11-22T14:52:19.007Z");
	assert_string_equal(fmt(-62167219200000LL), "0000-01-01T00:00:00.000Z");
	assert_string_equal(fmt(253402300799999LL), "9999-12-31T23:59:59.999Z");
	assert_int_equal(strlen(fmt(0)), TS_FORMAT_LEN);
	/* the cached date must follow the day, back and forth */
	assert_string_equal(fmt(86399999), "1970-01-01T23:59:59.999Z");
	assert_string_equal(fmt(86400000), "1970-01-02T00:00:00.000Z");
	assert_string_equal(fmt(86399999), "1970-01-01T23:59:59.999Z");
	/* errors: outside years 0000-9999 */
	assert_int_equal(ts_format(253402300800000LL, out), -1);
	assert_int_equal(ts_format(-62167219200001LL, out), -1);
	assert_int_equal(ts_format(INT64_MAX, out), -1);
	assert_int_equal(ts_format(INT64_MIN, out), -1);
}

/* ---- ISO 8601 ---- */

/*
 * ts_parse_canonical keeps the days of dates met lately: dates in no order
 * over more days than it keeps, and bad dates next to cached ones, must
 * each parse as ts_format wrote them (or fail).
 */
static void
test_canonical_cache(void **state)
{
	(void)state;
	uint64_t x = 12345;
	for (int i = 0; i < 20000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* any time over 800 days from 2025-01-01 */
		int64_t t = 1735689600000LL + (int64_t)(x >> 20) % (800LL * 86400000);
		char s[TS_FORMAT_LEN + 1];
		assert_int_equal(ts_format(t, s), 0);
		int64_t back;
		assert_int_equal(ts_parse_canonical(s, TS_FORMAT_LEN, &back), 0);
		assert_int_equal(back, t);
		/* the same time on the 31st of a 30-day month: invalid */
		memcpy(s + 5, "04-31", 5);
		assert_int_equal(ts_parse_canonical(s, TS_FORMAT_LEN, &back), -1);
	}
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
	    iso("2026-03-09t12:00z", NULL), "2026-03-09T12:00:00.000Z");
	assert_string_equal(
	    iso("2026-03-09T12:00-00:00", NULL), "2026-03-09T12:00:00.000Z");
	assert_string_equal(
	    iso("2026-03-09T12:00:00+05:45", NULL), "2026-03-09T06:15:00.000Z");
	assert_string_equal(
	    iso("2026-03-09T12:00:00,5Z", NULL), "2026-03-09T12:00:00.500Z");
	assert_string_equal(
	    iso("2026-03-09T12:00:00.05Z", NULL), "2026-03-09T12:00:00.050Z");
	assert_string_equal(iso("2026-03-09T12:00:00.123456789Z", NULL),
	    "2026-03-09T12:00:00.123Z");
	assert_string_equal(iso("2026-03-09T12:00:00.9999999999999Z", NULL),
	    "2026-03-09T12:00:00.999Z");
	assert_string_equal(
	    iso("2026-03-09", NULL), "2026-03-09T00:00:00.000Z");
	assert_string_equal(
	    iso("2026-03-09 12:00:00 UTC", NULL), "2026-03-09T12:00:00.000Z");
	assert_string_equal(
	    iso("  2028-02-29T00:00:00Z\t", NULL), "2028-02-29T00:00:00.000Z");
	assert_string_equal(
	    iso("2000-02-29T23:59:59.999Z", NULL), "2000-02-29T23:59:59.999Z");
	/* a leap second reads as the last millisecond of the minute */
	assert_string_equal(
	    iso("2016-12-31T23:59:60Z", NULL), "2016-12-31T23:59:59.999Z");
	assert_string_equal(
	    iso("2016-12-31T23:59:60.5Z", NULL), "2016-12-31T23:59:59.999Z");
	/* the ends of the range */
	assert_string_equal(
	    iso("0000-01-01T00:00Z", NULL), "0000-01-01T00:00:00.000Z");
	assert_string_equal(
	    iso("9999-12-31T23:59:59.999Z", NULL), "9999-12-31T23:59:59.999Z");
	/* an explicit offset wins over the zone */
	assert_string_equal(
	    iso("2026-07-01T12:00Z", ny), "2026-07-01T12:00:00.000Z");
	assert_string_equal(
	    iso("2026-07-01T12:00+02:00", ny), "2026-07-01T10:00:00.000Z");
	/* ts_parse_iso itself does not trim */
	assert_string_equal(iso_strict(" 2026-03-09", NULL), "FAIL");
	assert_string_equal(iso_strict("2026-03-09 ", NULL), "FAIL");
	int64_t t = 0;
	assert_int_equal(ts_parse_iso("2026-03-09Tjunk", 10, NULL, &t), 0);
	assert_string_equal(fmt(t), "2026-03-09T00:00:00.000Z");
}

static void
test_iso_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "yesterday", "2026", "2026-03", "2026-3-09", "2026/03/09",
		"20260309", "2026-03-9", "2026-0a-09",
		"2026-02-29", /* not a leap year */
		"1900-02-29", "2026-04-31", "2026-13-01", "2026-00-01",
		"2026-01-00", "2026-01-01T", "2026-01-01T1", "2026-01-01T10",
		"2026-01-01T10:0", "2026-01-01T1000", "2026-01-01T10-00",
		"2026-01-01T24:00", /* 24:00 is refused, not end of day */
		"2026-01-01T10:60", "2026-01-01T10:00:61", "2026-01-01T10:00:6",
		"2026-01-01T10:00:", "2026-01-01T10:00:00.",
		"2026-01-01T10:00:00,", "2026-01-01T10:00.5",
		"2026-01-01T10:00:00Zjunk", "2026-01-01T10:00:00ZZ",
		"2026-01-01T10:00:00+25:00", "2026-01-01T10:00:00+24",
		"2026-01-01T10:00:00+01:60", "2026-01-01T10:00:00+1",
		"2026-01-01T10:00:00+01:", "2026-01-01T10:00:00+01:0",
		"2026-01-01T10:00:00+010", "2026-01-01T10:00:00+01:00:00",
		"2026-01-01T10:00:00 +01:00", "2026-01-01T10:00:00 utc",
		"2026-01-01T10:00:00 UTC+1", "2026-01-01T10:00:00 GMT",
		"2026-01-01T10:00:00 EST",
		"2026-01-01Z", /* a zone needs a time */
		"2026-01-01+01:00", "2026-01-01 UTC", "2026-01-01 ",
		"2026-01-01x10:00",
		"0000-01-01T00:30+01:00", /* before year 0 */
		"9999-12-31T23:30-01:00", /* after year 9999 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int64_t t;
		if (ts_parse_iso(bad[i], strlen(bad[i]), NULL, &t) == 0)
			fail_msg("accepted '%s'", bad[i]);
	}
}

/* ---- epoch numbers and auto-detection ---- */

static void
test_epoch(void **state)
{
	(void)state;
	/* up to 11 digits: seconds */
	assert_string_equal(epoch("0"), "1970-01-01T00:00:00.000Z");
	assert_string_equal(epoch("1773051300"), "2026-03-09T10:15:00.000Z");
	assert_string_equal(epoch("1773051300.25"), "2026-03-09T10:15:00.250Z");
	assert_string_equal(
	    epoch("1773051300.123999"), "2026-03-09T10:15:00.123Z");
	assert_string_equal(epoch("+1773051300"), "2026-03-09T10:15:00.000Z");
	assert_string_equal(epoch("-86400"), "1969-12-31T00:00:00.000Z");
	assert_string_equal(epoch("-1.5"), "1969-12-31T23:59:58.500Z");
	assert_string_equal(epoch("01773051300"), "2026-03-09T10:15:00.000Z");
	assert_string_equal(epoch("99999999999"), "5138-11-16T09:46:39.000Z");
	/* 12-14 digits: milliseconds */
	assert_string_equal(epoch("100000000000"), "1973-03-03T09:46:40.000Z");
	assert_string_equal(epoch("1772980000000"), "2026-03-08T14:26:40.000Z");
	assert_string_equal(
	    epoch("1772980000123.9"), "2026-03-08T14:26:40.123Z");
	assert_string_equal(
	    epoch("99999999999999"), "5138-11-16T09:46:39.999Z");
	/* 15-17 digits: microseconds */
	assert_string_equal(
	    epoch("100000000000000"), "1973-03-03T09:46:40.000Z");
	assert_string_equal(
	    epoch("1772980000000123"), "2026-03-08T14:26:40.000Z");
	assert_string_equal(
	    epoch("1772980000001999"), "2026-03-08T14:26:40.001Z");
	assert_string_equal(
	    epoch("17729800000019999"), "2531-11-02T00:26:40.019Z");
	/* 18-19 digits: nanoseconds */
	assert_string_equal(
	    epoch("177298000000000000"), "1975-08-15T01:26:40.000Z");
	assert_string_equal(
	    epoch("1772980000000123456"), "2026-03-08T14:26:40.000Z");
	assert_string_equal(
	    epoch("-1772980000000123456"), "1913-10-26T09:33:20.000Z");
	assert_string_equal(
	    epoch("9999999999999999999"), "2286-11-20T17:46:39.999Z");
	/* errors */
	static const char *const bad[] = { "", "-", "+", ".", ".5", "12.",
		"-.5", "1e9", "0x10", "12 ", " 12", "1.2.3", "--1", "1-",
		"99999999999999999999", /* 20 digits */
		"-62167219201",         /* before year 0 */
		"-99999999999", "-62167219200.001" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int64_t t;
		if (ts_parse_epoch(bad[i], strlen(bad[i]), &t) == 0)
			fail_msg("accepted '%s'", bad[i]);
	}
	/* 12 digits are milliseconds, whatever the year they would give */
	assert_string_equal(epoch("253402300800"), "1978-01-11T21:31:40.800Z");
	assert_string_equal(epoch("-62167219200"), "0000-01-01T00:00:00.000Z");
	assert_string_equal(epoch("25340230079"), "2772-12-31T16:47:59.000Z");
}

static void
test_auto(void **state)
{
	(void)state;
	assert_string_equal(
	    iso(" \t1773051300\t ", NULL), "2026-03-09T10:15:00.000Z");
	assert_string_equal(
	    iso("  2026-03-09T10:15:00Z  ", NULL), "2026-03-09T10:15:00.000Z");
	assert_string_equal(iso("-1", NULL), "1969-12-31T23:59:59.000Z");
	/* a number is an epoch time even when it looks like a year */
	assert_string_equal(iso("2026", NULL), "1970-01-01T00:33:46.000Z");
	/* epoch times ignore the zone, ISO local times use it */
	assert_string_equal(iso("0", ny), "1970-01-01T00:00:00.000Z");
	assert_string_equal(
	    iso("1970-01-01 00:00", ny), "1970-01-01T05:00:00.000Z");
	/* errors */
	assert_string_equal(iso("", NULL), "FAIL");
	assert_string_equal(iso("   ", NULL), "FAIL");
	assert_string_equal(iso("12.x", NULL), "FAIL");
	assert_string_equal(iso("12abc", NULL), "FAIL");
	assert_string_equal(iso("-", NULL), "FAIL");
	assert_string_equal(iso("2026-03-09 x", NULL), "FAIL");
	int64_t t;
	assert_int_equal(ts_parse_auto("12", 0, NULL, &t), -1);
}

/* ---- hand-built TZif files ---- */

static unsigned char tzbuf[8192];

static unsigned char *
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

static unsigned char *
put64(unsigned char *p, int64_t v)
{
	return put32(put32(p, (uint32_t)((uint64_t)v >> 32)), (uint32_t)v);
}

/* A TZif file to build: the fields of RFC 8536 that matter here. */
struct tzspec {
	char version; /* 0 (v1), '2', '3', '4' */
	size_t ntrans;
	const int64_t *trans;
	const unsigned char *idx;
	size_t ntypes;
	const int32_t *off;
	uint32_t nleap;
	const char *footer; /* NULL: the file ends with the data block */
};

static unsigned char *
header(unsigned char *p, char version, uint32_t nleap, size_t ntrans,
    size_t ntypes)
{
	memcpy(p, "TZif", 4);
	p[4] = (unsigned char)version;
	memset(p + 5, 0, 15);
	p = put32(p + 20, (uint32_t)ntypes); /* isutcnt */
	p = put32(p, (uint32_t)ntypes);      /* isstdcnt */
	p = put32(p, nleap);
	p = put32(p, (uint32_t)ntrans);
	p = put32(p, (uint32_t)ntypes);
	return put32(p, 4); /* charcnt: "ABC\0" */
}

static unsigned char *
block(unsigned char *p, const struct tzspec *s, int tsize)
{
	for (size_t i = 0; i < s->ntrans; i++)
		p = tsize == 8 ? put64(p, s->trans[i])
			       : put32(p, (uint32_t)s->trans[i]);
	for (size_t i = 0; i < s->ntrans; i++)
		*p++ = s->idx[i];
	for (size_t i = 0; i < s->ntypes; i++) {
		p = put32(p, (uint32_t)s->off[i]);
		*p++ = i > 0; /* isdst */
		*p++ = 0;     /* desigidx */
	}
	memcpy(p, "ABC", 4);
	p += 4;
	for (uint32_t i = 0; i < s->nleap; i++) {
		p = tsize == 8 ? put64(p, 78796800) : put32(p, 78796800);
		p = put32(p, i + 1);
	}
	memset(p, 0, 2 * s->ntypes); /* isstd, isut */
	return p + 2 * s->ntypes;
}

/*
 * Builds s into tzbuf and returns its length.  Version 2+ files get a
 * decoy 32-bit block (one type, UTC+00:00:01, no transitions): a reader
 * using it instead of the 64-bit block gives wrong offsets.
 */
static size_t
build(const struct tzspec *s)
{
	unsigned char *p = tzbuf;
	if (s->version == 0) {
		p = header(p, 0, s->nleap, s->ntrans, s->ntypes);
		p = block(p, s, 4);
		return (size_t)(p - tzbuf);
	}
	static const int32_t one = 1;
	struct tzspec decoy = { .ntypes = 1, .off = &one };
	p = header(p, s->version, 0, 0, 1);
	p = block(p, &decoy, 4);
	p = header(p, s->version, s->nleap, s->ntrans, s->ntypes);
	p = block(p, s, 8);
	if (s->footer) {
		size_t n = strlen(s->footer);
		*p++ = '\n';
		memcpy(p, s->footer, n);
		p += n;
		*p++ = '\n';
	}
	return (size_t)(p - tzbuf);
}

static struct ts_zone *
zone_of(const struct tzspec *s)
{
	const char *why = "unset";
	struct ts_zone *z = ts_zone_from_tzif(tzbuf, build(s), &why);
	if (!z)
		fail_msg("zone refused: %s", why);
	assert_null(why);
	return z;
}

/* A zone of only a footer rule, as in slim TZif files. */
static struct ts_zone *
rule_zone(const char *footer)
{
	static const int32_t off0 = 0;
	struct tzspec s = {
		.version = '3', .ntypes = 1, .off = &off0, .footer = footer
	};
	return zone_of(&s);
}

/* The offset in zone z at an ISO UTC time. */
static int32_t
off_at(const struct ts_zone *z, const char *utc)
{
	int64_t t;
	assert_int_equal(ts_parse_iso(utc, strlen(utc), NULL, &t), 0);
	return ts_zone_offset_at(z, t);
}

/* Transitions 1000 s (+1h, type 1) and 2000 s (back, type 0). */
static const int64_t tr2[] = { 1000, 2000 };
static const unsigned char ix2[] = { 1, 0 };
static const int32_t of2[] = { 0, 3600 };

static void
test_tzif_versions(void **state)
{
	(void)state;
	for (int v = 0; v < 4; v++) {
		static const char versions[] = { 0, '2', '3', '4' };
		struct tzspec s = { .version = versions[v],
			.ntrans = 2,
			.trans = tr2,
			.idx = ix2,
			.ntypes = 2,
			.off = of2 };
		struct ts_zone *z = zone_of(&s);
		assert_int_equal(ts_zone_offset_at(z, -1000000), 0);
		assert_int_equal(ts_zone_offset_at(z, 999999), 0);
		assert_int_equal(ts_zone_offset_at(z, 1000000), 3600);
		assert_int_equal(ts_zone_offset_at(z, 1999999), 3600);
		assert_int_equal(ts_zone_offset_at(z, 2000000), 0);
		assert_int_equal(ts_zone_offset_at(z, 1LL << 50), 0);
		/* the gap (local 1000-4600 s) and the repeated hour */
		assert_int_equal(ts_local_to_utc(z, 999999), 999999);
		assert_int_equal(ts_local_to_utc(z, 1000000), 1000000);
		assert_int_equal(ts_local_to_utc(z, 4599999), 4599999);
		assert_int_equal(ts_local_to_utc(z, 4600000), 1000000);
		assert_int_equal(ts_local_to_utc(z, 5599999), 1999999);
		assert_int_equal(ts_local_to_utc(z, 5600000), 5600000);
		ts_zone_free(z);
	}
	/* 64-bit times: before 1901, after 2038 */
	static const int64_t far[] = { -5000000000LL, 5000000000LL };
	static const unsigned char fix[] = { 1, 0 };
	struct tzspec s = { .version = '2',
		.ntrans = 2,
		.trans = far,
		.idx = fix,
		.ntypes = 2,
		.off = of2,
		.footer = "" };
	struct ts_zone *z = zone_of(&s);
	assert_int_equal(ts_zone_offset_at(z, -5000000001000LL), 0);
	assert_int_equal(ts_zone_offset_at(z, 0), 3600);
	assert_int_equal(ts_zone_offset_at(z, 5000000000000LL), 0);
	ts_zone_free(z);
	/* no transitions, no footer: type 0 always */
	static const int32_t east = 19800;
	struct tzspec k = { .version = '2', .ntypes = 1, .off = &east };
	z = zone_of(&k);
	assert_int_equal(ts_zone_offset_at(z, 0), 19800);
	assert_int_equal(ts_local_to_utc(z, 19800000), 0);
	ts_zone_free(z);
	/* a later version promises the same layout */
	k.version = '5';
	z = zone_of(&k);
	ts_zone_free(z);
	/* why may be NULL */
	z = ts_zone_from_tzif(tzbuf, build(&k), NULL);
	assert_non_null(z);
	ts_zone_free(z);
}

static void
expect_refused(size_t len, const char *why_part)
{
	const char *why = NULL;
	assert_null(ts_zone_from_tzif(tzbuf, len, &why));
	assert_non_null(why);
	if (!strstr(why, why_part))
		fail_msg("why '%s', expected '%s'", why, why_part);
}

static void
test_tzif_errors(void **state)
{
	(void)state;
	const char *why = NULL;
	struct tzspec s = { .version = '2',
		.ntrans = 2,
		.trans = tr2,
		.idx = ix2,
		.ntypes = 2,
		.off = of2,
		.footer = "UTC0" };
	size_t n = build(&s);

	assert_null(ts_zone_from_tzif(NULL, 0, &why));
	assert_string_equal(why, "not a TZif file");
	assert_null(ts_zone_from_tzif("TZif2", 5, &why));
	assert_null(ts_zone_from_tzif("not a zone file at all, longer than "
				      "forty-four bytes......",
	    60, &why));
	assert_string_equal(why, "not a TZif file");
	expect_refused(43, "not a TZif file");
	/* every truncation is refused, but the one that drops the whole
	 * footer: version 2+ data may end with the 64-bit block */
	for (size_t k = 44; k < n; k++) {
		struct ts_zone *z = ts_zone_from_tzif(tzbuf, k, &why);
		if (k == n - strlen("\nUTC0\n")) {
			assert_non_null(z);
			ts_zone_free(z);
		} else
			assert_null(z);
	}
	expect_refused(n - 1, "footer");      /* no closing newline */
	expect_refused(44 + 10, "truncated"); /* inside the v1 block */
	tzbuf[4] = '1';
	expect_refused(n, "version");
	tzbuf[4] = 'x';
	expect_refused(n, "version");

	/* a bad second header */
	size_t v1 = 44 + 6 + 4 + 2;
	n = build(&s);
	tzbuf[v1] = 'X';
	expect_refused(n, "malformed");
	/* a type index out of range */
	n = build(&s);
	tzbuf[v1 + 44 + 16] = 2;
	expect_refused(n, "malformed");
	/* an offset out of RFC 8536's range */
	n = build(&s);
	put32(tzbuf + v1 + 44 + 18, 100000);
	expect_refused(n, "malformed");
	/* isdst neither 0 nor 1 */
	n = build(&s);
	tzbuf[v1 + 44 + 18 + 4] = 2;
	expect_refused(n, "malformed");

	/* transitions out of order, or repeated */
	static const int64_t down[] = { 2000, 1000 }, same[] = { 1000, 1000 };
	struct tzspec d = s;
	d.trans = down;
	expect_refused(build(&d), "malformed");
	d.trans = same;
	expect_refused(build(&d), "malformed");
	static const int64_t huge[] = { 1000, INT64_MAX };
	d.trans = huge;
	expect_refused(build(&d), "malformed");
	/* no types */
	d = s;
	d.ntrans = 0;
	d.ntypes = 0;
	expect_refused(build(&d), "malformed");
	/* leap seconds ('right/' zones) */
	d = s;
	d.nleap = 2;
	expect_refused(build(&d), "leap seconds");
	d.version = 0;
	expect_refused(build(&d), "leap seconds");
	/* isutcnt neither 0 nor typecnt */
	n = build(&s);
	put32(tzbuf + v1 + 20, 1);
	expect_refused(n, "malformed");
	/* charcnt 0 */
	struct tzspec e = { .version = 0, .ntypes = 1, .off = of2 };
	n = build(&e);
	put32(tzbuf + 40, 0);
	expect_refused(n - 4, "malformed");

	/* footers */
	static const char *const bad[] = { "EST", "EST5EDT,M3.2.0",
		"EST5EDT,M3.2.0,", "EST5EDT,M13.2.0,M11.1.0",
		"EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0",
		"EST5EDT,M3.0.0,M11.1.0", "EST5EDT,J0,J365", "EST5EDT,J1,J366",
		"EST5EDT,0,366", "EST5EDT,M3.2.0/168,M11.1.0",
		"EST5EDT,M3.2.0/2:60,M11.1.0", "EST5EDT,M3.2.0/,M11.1.0",
		"EST25", "EST5:60", "EST5:00:60", "ES5", "<ES>5", "<EST5",
		"<E T>5", "EST5EDT,M3.2.0,M11.1.0x", "EST5ED", "EST5EDT25",
		"EST5EDT4x", "5EST", "EST+", "EST5EDT,X3.2.0,M11.1.0",
		"EST5EDT,M3.2,M11.1.0", "EST5EDT,M3,M11.1.0", "EST 5" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		s.footer = bad[i];
		why = NULL;
		if (ts_zone_from_tzif(tzbuf, build(&s), &why))
			fail_msg("accepted footer '%s'", bad[i]);
		assert_string_equal(why, "bad TZ rule in TZif footer");
	}
	/* a footer not framed by newlines, one too long, one with a NUL */
	s.footer = NULL;
	n = build(&s);
	memcpy(tzbuf + n, "XUTC0\n", 6);
	expect_refused(n + 6, "footer");
	memcpy(tzbuf + n, "\nUTC0", 5);
	expect_refused(n + 5, "footer");
	tzbuf[n] = '\n';
	memset(tzbuf + n + 1, 'A', 300);
	tzbuf[n + 301] = '\n';
	expect_refused(n + 302, "footer");
	memcpy(tzbuf + n, "\nUTC\0000\n", 7);
	expect_refused(n + 7, "footer");
	/* an empty footer is no rule */
	memcpy(tzbuf + n, "\n\n", 2);
	struct ts_zone *z = ts_zone_from_tzif(tzbuf, n + 2, &why);
	assert_non_null(z);
	assert_int_equal(ts_zone_offset_at(z, 3000000), 0);
	ts_zone_free(z);
}

static void
test_footer_rules(void **state)
{
	(void)state;
	struct ts_zone *z;

	/* New York's rule alone, as in a slim file */
	z = rule_zone("EST5EDT,M3.2.0,M11.1.0");
	assert_int_equal(off_at(z, "2026-01-15T12:00Z"), -5 * 3600);
	assert_int_equal(off_at(z, "2026-03-08T06:59:59Z"), -5 * 3600);
	assert_int_equal(off_at(z, "2026-03-08T07:00Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2026-11-01T05:59:59Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2026-11-01T06:00Z"), -5 * 3600);
	assert_int_equal(off_at(z, "1950-07-01T12:00Z"), -4 * 3600);
	assert_string_equal(
	    iso("2026-03-08 02:30", z), "2026-03-08T07:30:00.000Z");
	assert_string_equal(
	    iso("2026-03-08 03:00", z), "2026-03-08T07:00:00.000Z");
	assert_string_equal(
	    iso("2026-11-01 01:30", z), "2026-11-01T05:30:00.000Z");
	assert_string_equal(
	    iso("2026-11-01 02:00", z), "2026-11-01T07:00:00.000Z");
	assert_string_equal(
	    iso("2100-03-14 02:30", z), "2100-03-14T07:30:00.000Z");
	ts_zone_free(z);

	/* no DST, and a name in angle brackets with a half-hour offset */
	z = rule_zone("<+0330>-3:30");
	assert_int_equal(off_at(z, "2026-07-01T00:00Z"), 12600);
	assert_string_equal(
	    iso("2026-07-01 03:30", z), "2026-07-01T00:00:00.000Z");
	ts_zone_free(z);
	z = rule_zone("<-0130>+1:30:15");
	assert_int_equal(off_at(z, "2026-07-01T00:00Z"), -5415);
	ts_zone_free(z);

	/* Central Europe: the end at 03:00 daylight time */
	z = rule_zone("CET-1CEST,M3.5.0,M10.5.0/3");
	assert_int_equal(off_at(z, "2026-03-29T00:59:59Z"), 3600);
	assert_int_equal(off_at(z, "2026-03-29T01:00Z"), 7200);
	assert_int_equal(off_at(z, "2026-10-25T00:59:59Z"), 7200);
	assert_int_equal(off_at(z, "2026-10-25T01:00Z"), 3600);
	assert_string_equal(
	    iso("2026-10-25 02:30", z), "2026-10-25T00:30:00.000Z");
	ts_zone_free(z);

	/* a negative transition time (Greenland: "/-1") */
	z = rule_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
	assert_int_equal(off_at(z, "2026-03-29T00:59:59Z"), -7200);
	assert_int_equal(off_at(z, "2026-03-29T01:00Z"), -3600);
	assert_int_equal(off_at(z, "2026-10-25T00:59:59Z"), -3600);
	assert_int_equal(off_at(z, "2026-10-25T01:00Z"), -7200);
	ts_zone_free(z);

	/* hours past 24 (Chile: "/24"), southern hemisphere */
	z = rule_zone("<-04>4<-03>,M9.1.6/24,M4.1.6/24");
	assert_int_equal(off_at(z, "2026-01-15T12:00Z"), -3 * 3600);
	assert_int_equal(off_at(z, "2026-07-15T12:00Z"), -4 * 3600);
	assert_string_equal(
	    iso("2026-09-06 00:30", z), "2026-09-06T04:30:00.000Z");
	assert_string_equal(
	    iso("2026-04-04 23:30", z), "2026-04-05T02:30:00.000Z");
	ts_zone_free(z);

	/* permanent DST (RFC 8536's example): on all year, every year */
	z = rule_zone("EST5EDT4,0/0,J365/25");
	assert_int_equal(off_at(z, "2026-01-01T02:00Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2026-01-01T05:00Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2026-07-01T00:00Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2028-12-31T23:00Z"), -4 * 3600);
	assert_string_equal(
	    iso("2026-01-01 00:30", z), "2026-01-01T04:30:00.000Z");
	ts_zone_free(z);

	/* Jn never counts February 29; n (from 0) does.  glibc agrees on
	 * these; CPython's zoneinfo (3.11) puts n-form dates a day early. */
	z = rule_zone("XXX3YYY,J60/2,J300/2");
	assert_int_equal(off_at(z, "2028-03-01T04:59:59Z"), -3 * 3600);
	assert_int_equal(off_at(z, "2028-03-01T05:00Z"), -2 * 3600);
	assert_int_equal(off_at(z, "2027-03-01T05:00Z"), -2 * 3600);
	ts_zone_free(z);
	z = rule_zone("XXX3YYY,59/2,300/2");
	assert_int_equal(off_at(z, "2028-02-29T04:59:59Z"), -3 * 3600);
	assert_int_equal(off_at(z, "2028-02-29T05:00Z"), -2 * 3600);
	assert_int_equal(off_at(z, "2027-03-01T04:59:59Z"), -3 * 3600);
	assert_int_equal(off_at(z, "2027-03-01T05:00Z"), -2 * 3600);
	/* day 300 at 02:00 daylight time: 2027-10-28 04:00Z */
	assert_int_equal(off_at(z, "2027-10-28T03:59:59Z"), -2 * 3600);
	assert_int_equal(off_at(z, "2027-10-28T04:00Z"), -3 * 3600);
	ts_zone_free(z);

	/* negative DST: "summer" is standard time (Ireland) */
	z = rule_zone("IST-1GMT0,M10.5.0,M3.5.0/1");
	assert_int_equal(off_at(z, "2026-07-01T00:00Z"), 3600);
	assert_int_equal(off_at(z, "2026-12-01T00:00Z"), 0);
	assert_string_equal(
	    iso("2026-10-25 01:30", z), "2026-10-25T00:30:00.000Z");
	assert_string_equal(
	    iso("2026-03-29 01:30", z), "2026-03-29T01:30:00.000Z");
	ts_zone_free(z);

	/* a DST name with no dates: POSIX's usual US rules */
	z = rule_zone("AAA5BBB");
	assert_int_equal(off_at(z, "2026-07-01T00:00Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2026-12-01T00:00Z"), -5 * 3600);
	ts_zone_free(z);
	/* an explicit DST offset */
	z = rule_zone("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
	assert_int_equal(off_at(z, "2026-01-01T00:00Z"), 39600);
	assert_int_equal(off_at(z, "2026-07-01T00:00Z"), 37800);
	ts_zone_free(z);
	/* extended times of days both ways */
	z = rule_zone("AAA5BBB,M3.2.0/-25,M11.1.0/167");
	assert_int_equal(off_at(z, "2026-03-07T03:59:59Z"), -5 * 3600);
	assert_int_equal(off_at(z, "2026-03-07T04:00Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2026-11-08T02:59:59Z"), -4 * 3600);
	assert_int_equal(off_at(z, "2026-11-08T03:00Z"), -5 * 3600);
	ts_zone_free(z);

	/* a table, then the rule after its last transition */
	static const int64_t tr[] = { -2000000000LL, 1000000000LL };
	static const unsigned char ix[] = { 1, 2 };
	static const int32_t of[] = { -17762, -18000, -14400 };
	struct tzspec s = { .version = '2',
		.ntrans = 2,
		.trans = tr,
		.idx = ix,
		.ntypes = 3,
		.off = of,
		.footer = "EST5EDT,M3.2.0,M11.1.0" };
	z = zone_of(&s);
	assert_int_equal(ts_zone_offset_at(z, -2000000001000LL), -17762);
	assert_int_equal(ts_zone_offset_at(z, 0), -18000);
	/* 2001-09-09T01:46:40Z: daylight from the table */
	assert_int_equal(ts_zone_offset_at(z, 1000000000000LL), -14400);
	assert_int_equal(off_at(z, "2001-11-04T05:59:59Z"), -14400);
	assert_int_equal(off_at(z, "2001-11-04T06:00Z"), -18000);
	assert_int_equal(off_at(z, "2030-03-10T07:00Z"), -14400);
	assert_string_equal(
	    iso("2001-11-04 01:30", z), "2001-11-04T05:30:00.000Z");
	ts_zone_free(z);
}

/* ---- system zones ---- */

static void
test_dst(void **state)
{
	(void)state;
	/* skipped hour: the offset before the gap */
	assert_string_equal(
	    iso("2026-03-08 02:30", ny), "2026-03-08T07:30:00.000Z");
	assert_string_equal(
	    iso("2026-03-08 01:59:59.999", ny), "2026-03-08T06:59:59.999Z");
	assert_string_equal(
	    iso("2026-03-08 03:00", ny), "2026-03-08T07:00:00.000Z");
	/* repeated hour: the first occurrence */
	assert_string_equal(
	    iso("2026-11-01 01:30", ny), "2026-11-01T05:30:00.000Z");
	assert_string_equal(
	    iso("2026-11-01 01:59:59.999", ny), "2026-11-01T05:59:59.999Z");
	assert_string_equal(
	    iso("2026-11-01 02:00", ny), "2026-11-01T07:00:00.000Z");
	assert_string_equal(
	    iso("2026-11-01 02:30", ny), "2026-11-01T07:30:00.000Z");
	assert_string_equal(
	    iso("2026-07-01 12:00", ny), "2026-07-01T16:00:00.000Z");
	/* before 1970, and before the first transition (local mean time) */
	assert_string_equal(
	    iso("1960-07-01 12:00", ny), "1960-07-01T16:00:00.000Z");
	assert_string_equal(
	    iso("1944-07-01 12:00", ny), "1944-07-01T16:00:00.000Z");
	assert_string_equal(
	    iso("1969-12-31 19:00", ny), "1970-01-01T00:00:00.000Z");
	assert_string_equal(
	    iso("1800-01-01 00:00", ny), "1800-01-01T04:56:02.000Z");
	assert_string_equal(
	    iso("1883-11-18 12:03:57", ny), "1883-11-18T16:59:59.000Z");
	assert_string_equal(
	    iso("1883-11-18 12:03:58", ny), "1883-11-18T17:03:58.000Z");
	/* far future: the footer rule */
	assert_string_equal(
	    iso("2100-07-01 12:00", ny), "2100-07-01T16:00:00.000Z");
	assert_string_equal(
	    iso("2100-12-01 12:00", ny), "2100-12-01T17:00:00.000Z");
	assert_string_equal(
	    iso("2100-03-14 02:30", ny), "2100-03-14T07:30:00.000Z");
	assert_string_equal(
	    iso("2100-11-07 01:30", ny), "2100-11-07T05:30:00.000Z");
	assert_string_equal(
	    iso("2100-11-07 02:00", ny), "2100-11-07T07:00:00.000Z");
	assert_string_equal(
	    iso("9999-12-31 12:00", ny), "9999-12-31T17:00:00.000Z");
	/* Berlin */
	assert_string_equal(
	    iso("2026-03-29 02:30", berlin), "2026-03-29T01:30:00.000Z");
	assert_string_equal(
	    iso("2026-10-25 02:30", berlin), "2026-10-25T00:30:00.000Z");
	assert_string_equal(
	    iso("2026-10-25 03:00", berlin), "2026-10-25T02:00:00.000Z");
	assert_string_equal(
	    iso("2100-03-28 02:30", berlin), "2100-03-28T01:30:00.000Z");
	assert_string_equal(
	    iso("2100-10-31 02:30", berlin), "2100-10-31T00:30:00.000Z");
	assert_string_equal(
	    iso("1945-06-01 12:00", berlin), "1945-06-01T09:00:00.000Z");
	assert_string_equal(
	    iso("1916-06-01 12:00", berlin), "1916-06-01T10:00:00.000Z");
	/* a 30-minute DST shift */
	assert_string_equal(
	    iso("2026-10-04 02:15", lord_howe), "2026-10-03T15:45:00.000Z");
	assert_string_equal(
	    iso("2026-10-04 02:30", lord_howe), "2026-10-03T15:30:00.000Z");
	assert_string_equal(
	    iso("2026-04-05 01:45", lord_howe), "2026-04-04T14:45:00.000Z");
	assert_string_equal(
	    iso("2026-04-05 02:00", lord_howe), "2026-04-04T15:30:00.000Z");
	/* southern hemisphere: DST in January */
	assert_string_equal(
	    iso("2026-01-15 12:00", sydney), "2026-01-15T01:00:00.000Z");
	assert_string_equal(
	    iso("2026-07-15 12:00", sydney), "2026-07-15T02:00:00.000Z");
	assert_string_equal(
	    iso("2100-10-03 02:30", sydney), "2100-10-02T16:30:00.000Z");
	assert_string_equal(
	    iso("2100-04-04 02:30", sydney), "2100-04-03T15:30:00.000Z");
	/* Chile: transitions at 24:00, far future from the footer */
	assert_string_equal(
	    iso("2026-09-06 00:30", santiago), "2026-09-06T04:30:00.000Z");
	assert_string_equal(
	    iso("2026-04-04 23:30", santiago), "2026-04-05T02:30:00.000Z");
	assert_string_equal(
	    iso("2100-09-05 00:30", santiago), "2100-09-05T04:30:00.000Z");
	assert_string_equal(
	    iso("2100-04-03 23:30", santiago), "2100-04-04T02:30:00.000Z");
	assert_string_equal(
	    iso("2100-01-01 12:00", santiago), "2100-01-01T15:00:00.000Z");
	assert_string_equal(
	    iso("2100-07-01 12:00", santiago), "2100-07-01T16:00:00.000Z");
	/* offsets at UTC instants */
	assert_int_equal(ts_zone_offset_at(ny, 1782907200000LL), -4 * 3600);
	assert_int_equal(off_at(ny, "2026-03-08T06:59:59.999Z"), -5 * 3600);
	assert_int_equal(off_at(ny, "2026-03-08T07:00Z"), -4 * 3600);
	assert_int_equal(off_at(ny, "2100-07-01T00:00Z"), -4 * 3600);
	assert_int_equal(off_at(ny, "1800-01-01T00:00Z"), -17762);
	assert_int_equal(off_at(lord_howe, "2026-01-01T00:00Z"), 11 * 3600);
	assert_int_equal(
	    off_at(lord_howe, "2026-07-01T00:00Z"), 10 * 3600 + 1800);
	assert_int_equal(off_at(sydney, "2100-01-01T00:00Z"), 11 * 3600);
	assert_int_equal(off_at(sydney, "2100-07-01T00:00Z"), 10 * 3600);
}

static unsigned char zbytes[65536];
static size_t zlen;

/* Reads a system zone file into zbytes, for fresh copies of a zone. */
static void
slurp(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	zlen = fread(zbytes, 1, sizeof zbytes, f);
	fclose(f);
}

/* A zone that has answered nothing yet: its caches are empty. */
static struct ts_zone *
fresh_zone(void)
{
	const char *why;
	struct ts_zone *z = ts_zone_from_tzif(zbytes, zlen, &why);
	assert_non_null(z);
	return z;
}

/* The cached zone must answer as a fresh one, in any query order. */
static void
test_zone_cache(void **state)
{
	(void)state;
	uint64_t r = 88172645463325252ULL;
	slurp("America/New_York");
	int64_t lo = -2208988800000LL, span = 6311390400000LL; /* 1900-2100 */
	for (int i = 0; i < 3000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		int64_t t = lo + (int64_t)(r % (uint64_t)span);
		if (i % 3) /* mostly near the query before, as rows come */
			t = lo + (int64_t)(r % 1000) * 3600000 +
			    i * 864000000LL;
		struct ts_zone *fresh = fresh_zone();
		assert_int_equal(
		    ts_zone_offset_at(ny, t), ts_zone_offset_at(fresh, t));
		ts_zone_free(fresh);
		fresh = fresh_zone();
		assert_int_equal(
		    ts_local_to_utc(ny, t), ts_local_to_utc(fresh, t));
		ts_zone_free(fresh);
	}
	/* across every half hour of 2026, forward then back */
	slurp("Australia/Lord_Howe");
	struct ts_zone *fresh = fresh_zone();
	for (int64_t t = 1767225600000LL; t < 1798761600000LL; t += 1800000) {
		struct ts_zone *f2 = fresh_zone();
		assert_int_equal(
		    ts_local_to_utc(fresh, t), ts_local_to_utc(f2, t));
		assert_int_equal(
		    ts_zone_offset_at(fresh, t), ts_zone_offset_at(f2, t));
		ts_zone_free(f2);
	}
	for (int64_t t = 1798761600000LL; t > 1767225600000LL; t -= 1800000) {
		struct ts_zone *f2 = fresh_zone();
		assert_int_equal(
		    ts_local_to_utc(fresh, t), ts_local_to_utc(f2, t));
		ts_zone_free(f2);
	}
	ts_zone_free(fresh);
}

static void
test_zone_null_and_extremes(void **state)
{
	(void)state;
	assert_int_equal(ts_zone_offset_at(NULL, 123456789), 0);
	assert_int_equal(ts_local_to_utc(NULL, 123456789), 123456789);
	assert_int_equal(ts_local_to_utc(NULL, INT64_MIN), INT64_MIN);
	/* no overflow at the ends of the range; offsets there are sane */
	assert_int_equal(ts_local_to_utc(berlin, INT64_MIN), INT64_MIN);
	assert_int_equal(ts_local_to_utc(ny, INT64_MAX), INT64_MAX);
	assert_int_equal(ts_local_to_utc(ny, INT64_MIN), INT64_MIN + 17762000);
	int32_t o = ts_zone_offset_at(ny, INT64_MAX);
	assert_true(o == -18000 || o == -14400);
	assert_int_equal(ts_zone_offset_at(ny, INT64_MIN), -17762);
	o = ts_zone_offset_at(sydney, INT64_MAX);
	assert_true(o == 36000 || o == 39600);
	o = ts_zone_offset_at(santiago, INT64_MIN / 2);
	assert_int_equal(o, -16965); /* Santiago's local mean time */
}

static void
test_zone_load(void **state)
{
	(void)state;
	const char *why = NULL;
	struct ts_zone *z;

	static const char *const utc[] = { "UTC", "Etc/UTC", "GMT", "Z", "Zulu",
		"Etc/GMT", "UCT", "Universal" };
	for (size_t i = 0; i < sizeof utc / sizeof *utc; i++) {
		z = ts_zone_load(utc[i], &why);
		assert_non_null(z);
		assert_int_equal(ts_zone_offset_at(z, 0), 0);
		assert_int_equal(ts_zone_offset_at(z, 4102444800000LL), 0);
		assert_int_equal(ts_local_to_utc(z, 5), 5);
		ts_zone_free(z);
	}
	/* a zone with a fixed offset from the system */
	z = ts_zone_load("Asia/Kolkata", &why);
	assert_non_null(z);
	assert_int_equal(off_at(z, "2026-07-01T00:00Z"), 19800);
	assert_string_equal(
	    iso("1941-10-01 12:00", z), "1941-10-01T05:30:00.000Z");
	ts_zone_free(z);
	z = ts_zone_load("America/St_Johns", &why);
	assert_string_equal(
	    iso("2026-07-01 12:00", z), "2026-07-01T14:30:00.000Z");
	ts_zone_free(z);

	/* errors */
	static const char *const bad[] = { "Mars/Olympus", "../etc/passwd",
		"America/../../etc/passwd", "/etc/passwd", "", "America",
		"zone1970.tab", "America/New_York/x", "utc" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		why = NULL;
		if ((z = ts_zone_load(bad[i], &why))) {
			ts_zone_free(z);
			fail_msg("loaded '%s'", bad[i]);
		}
		assert_non_null(why);
	}
	assert_null(ts_zone_load(NULL, &why));
	assert_null(ts_zone_load("Mars/Olympus", NULL));
	char longname[5000];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_null(ts_zone_load(longname, &why));
	assert_string_equal(why, "time zone name too long");
}

static void
test_tzdir(void **state)
{
	(void)state;
	const char *why = NULL;
	char dir[] = "/tmp/jt-unit-tzdir.XXXXXX";
	char path[256];
	assert_non_null(mkdtemp(dir));

	/* a zone of our own under $TZDIR/Test/ */
	snprintf(path, sizeof path, "%s/Test", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	struct tzspec s = { .version = '4',
		.ntrans = 2,
		.trans = tr2,
		.idx = ix2,
		.ntypes = 2,
		.off = of2,
		.footer = "<+0545>-5:45" };
	size_t n = build(&s);
	snprintf(path, sizeof path, "%s/Test/Zone", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(tzbuf, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	snprintf(path, sizeof path, "%s/Empty", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(setenv("TZDIR", dir, 1), 0);
	struct ts_zone *z = ts_zone_load("Test/Zone", &why);
	assert_non_null(z);
	assert_int_equal(ts_zone_offset_at(z, 1500000), 3600);
	assert_int_equal(ts_zone_offset_at(z, 2000000), 20700);
	ts_zone_free(z);
	/* UTC needs no file */
	z = ts_zone_load("UTC", &why);
	assert_non_null(z);
	ts_zone_free(z);
	/* the system's zones are not looked for elsewhere */
	assert_null(ts_zone_load("America/New_York", &why));
	assert_non_null(strstr(why, "unknown time zone"));
	assert_null(ts_zone_load("Test", &why)); /* a folder */
	assert_null(ts_zone_load("Empty", &why));
	assert_string_equal(why, "not a TZif file");
	/* an empty TZDIR means the default folder */
	assert_int_equal(setenv("TZDIR", "", 1), 0);
	z = ts_zone_load("America/New_York", &why);
	assert_non_null(z);
	ts_zone_free(z);
	assert_int_equal(unsetenv("TZDIR"), 0);

	unlink(path);
	snprintf(path, sizeof path, "%s/Test/Zone", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/Test", dir);
	rmdir(path);
	rmdir(dir);
}

/* ---- strptime-style formats ---- */

/* Compiles f, parses s in z: the formatted result or "FAIL". */
static const char *
fp(const char *f, const char *s, const struct ts_zone *z)
{
	const char *why = NULL;
	struct ts_fmt *c = ts_fmt_compile(f, &why);
	int64_t t;
	if (!c)
		fail_msg("format '%s' refused: %s", f, why);
	int rc = ts_fmt_parse(c, s, strlen(s), z, &t);
	ts_fmt_free(c);
	return rc < 0 ? "FAIL" : fmt(t);
}

static void
test_fmt(void **state)
{
	(void)state;
	assert_string_equal(fp("%m/%d/%Y %H:%M", "03/08/2026 02:30", ny),
	    "2026-03-08T07:30:00.000Z");
	assert_string_equal(fp("%m/%d/%Y %H:%M", "3/8/2026 2:30", NULL),
	    "2026-03-08T02:30:00.000Z");
	assert_string_equal(
	    fp("%d/%b/%Y:%H:%M:%S %z", "17/May/2015:10:05:03 +0000", NULL),
	    "2015-05-17T10:05:03.000Z");
	assert_string_equal(
	    fp("%d/%b/%Y:%H:%M:%S %z", "17/May/2015:10:05:03 -0700", NULL),
	    "2015-05-17T17:05:03.000Z");
	assert_string_equal(
	    fp("%I:%M %p %B %e, %Y", "3:05 pm September  7, 2026", NULL),
	    "2026-09-07T15:05:00.000Z");
	assert_string_equal(
	    fp("%a, %d %b %Y %T %Z", "Sun, 22 Nov 2026 14:52:19 GMT", NULL),
	    "2026-11-22T14:52:19.000Z");
	assert_string_equal(fp("%A %d %h %Y", "Sunday 22 NOVEMBER 2026", NULL),
	    "2026-11-22T00:00:00.000Z");
	assert_string_equal(
	    fp("%Y%m%d", "20261122", NULL), "2026-11-22T00:00:00.000Z");
	assert_string_equal(fp("%Y%m%d%H%M%S", "20261122145219", NULL),
	    "2026-11-22T14:52:19.000Z");
	assert_string_equal(
	    fp("%Y-%j", "2024-366", NULL), "2024-12-31T00:00:00.000Z");
	assert_string_equal(
	    fp("%Y-%j", "2026-060", NULL), "2026-03-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%Y %j", "2024 60", NULL), "2024-02-29T00:00:00.000Z");
	assert_string_equal(
	    fp("%s", "1773051300", NULL), "2026-03-09T10:15:00.000Z");
	assert_string_equal(
	    fp("%s.%f", "1773051300.5", NULL), "2026-03-09T10:15:00.500Z");
	assert_string_equal(
	    fp("%s.%f", "-1.5", NULL), "1969-12-31T23:59:58.500Z");
	assert_string_equal(
	    fp("%s.%f", "-0.5", NULL), "1969-12-31T23:59:59.500Z");
	assert_string_equal(fp("%s", "0", ny), "1970-01-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%D", "03/09/26", NULL), "2026-03-09T00:00:00.000Z");
	assert_string_equal(
	    fp("%D", "03/09/69", NULL), "1969-03-09T00:00:00.000Z");
	assert_string_equal(
	    fp("%D", "03/09/68", NULL), "2068-03-09T00:00:00.000Z");
	assert_string_equal(fp("%F %T", "2026-03-09 10:15:00", NULL),
	    "2026-03-09T10:15:00.000Z");
	assert_string_equal(fp("%F %T", "2026-03-09 10:15:00", berlin),
	    "2026-03-09T09:15:00.000Z");
	/* fractions: 1 to 9 digits, truncated to ms */
	assert_string_equal(
	    fp("%T.%f", "10:15:00.1", NULL), "1970-01-01T10:15:00.100Z");
	assert_string_equal(fp("%T,%f", "10:15:00,123456789", NULL),
	    "1970-01-01T10:15:00.123Z");
	/* 12-hour clock */
	assert_string_equal(
	    fp("%I %p", "12 AM", NULL), "1970-01-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%I %p", "12 pm", NULL), "1970-01-01T12:00:00.000Z");
	assert_string_equal(
	    fp("%I%p", "11Pm", NULL), "1970-01-01T23:00:00.000Z");
	assert_string_equal(
	    fp("%I %p", "1 aM", NULL), "1970-01-01T01:00:00.000Z");
	assert_string_equal(fp("%I", "12", NULL), "1970-01-01T12:00:00.000Z");
	assert_string_equal(
	    fp("%H %p", "3 PM", NULL), "1970-01-01T15:00:00.000Z");
	assert_string_equal(
	    fp("%H %p", "15 PM", NULL), "1970-01-01T15:00:00.000Z");
	/* zones */
	assert_string_equal(fp("%F %T%z", "2026-03-09 10:15:00Z", ny),
	    "2026-03-09T10:15:00.000Z");
	assert_string_equal(fp("%F %T%z", "2026-03-09 10:15:00+05:30", ny),
	    "2026-03-09T04:45:00.000Z");
	assert_string_equal(fp("%F %T%z", "2026-03-09 10:15:00-03", ny),
	    "2026-03-09T13:15:00.000Z");
	assert_string_equal(fp("%F %T %Z", "2026-03-09 10:15:00 UTC", ny),
	    "2026-03-09T10:15:00.000Z");
	assert_string_equal(fp("%F %T%Z", "2026-03-09 10:15:00Z", ny),
	    "2026-03-09T10:15:00.000Z");
	/* month names: full, three letters, "Sept", any case */
	assert_string_equal(
	    fp("%b %Y", "sept 2026", NULL), "2026-09-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%b %Y", "SEP 2026", NULL), "2026-09-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%B%Y", "june2026", NULL), "2026-06-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%b%Y", "jun2026", NULL), "2026-06-01T00:00:00.000Z");
	assert_string_equal(
	    fp("%b.%d", "Dec.31", NULL), "1970-12-31T00:00:00.000Z");
	/* day names are checked for shape only */
	assert_string_equal(
	    fp("%a %F", "Mon 2026-11-22", NULL), "2026-11-22T00:00:00.000Z");
	assert_string_equal(fp("%A %F", "wednesday 2026-11-22", NULL),
	    "2026-11-22T00:00:00.000Z");
	/* blanks: a format blank matches any run, including none */
	assert_string_equal(
	    fp("%Y %m %d", "2026 \t 11  22", NULL), "2026-11-22T00:00:00.000Z");
	assert_string_equal(
	    fp("%Y %m %d", "20261122", NULL), "2026-11-22T00:00:00.000Z");
	assert_string_equal(
	    fp("%Y%n%m%t%d", "2026\t11 22", NULL), "2026-11-22T00:00:00.000Z");
	assert_string_equal(fp("%Y-%m-%d", "  2026-11-22\t ", NULL),
	    "2026-11-22T00:00:00.000Z");
	assert_string_equal(
	    fp("%e/%m", " 7/11", NULL), "1970-11-07T00:00:00.000Z");
	assert_string_equal(
	    fp("%m/%e", "11/ 7", NULL), "1970-11-07T00:00:00.000Z");
	assert_string_equal(
	    fp("%m/%e", "11/17", NULL), "1970-11-17T00:00:00.000Z");
	/* literals, %% */
	assert_string_equal(
	    fp("%Y%%%m", "2026%11", NULL), "2026-11-01T00:00:00.000Z");
	assert_string_equal(
	    fp("[%Y]", "[2026]", NULL), "2026-01-01T00:00:00.000Z");
	/* everything missing: 1970-01-01 00:00:00 */
	assert_string_equal(fp("", "", NULL), "1970-01-01T00:00:00.000Z");
	assert_string_equal(fp("%H", "7", NULL), "1970-01-01T07:00:00.000Z");
	/* the leap second */
	assert_string_equal(
	    fp("%T", "23:59:60", NULL), "1970-01-01T23:59:59.999Z");
}

static void
test_fmt_errors(void **state)
{
	(void)state;
	static const char *const bad[][2] = {
		{ "%m/%d/%Y %H:%M", "13/45/2026 25:00" },
		{ "%Y-%m-%d", "2026-02-30" },
		{ "%Y-%m-%d", "2026-02-10x" },
		{ "%Y-%m-%d", "2026-02" },
		{ "%Y-%m-%d", "2026-02-" },
		{ "%Y-%m-%d", "2026/02/10" },
		{ "%Y-%m-%d", "x2026-02-10" },
		{ "%Y-%m-%d", "20266-02-10" },
		{ "%Y-%m-%d", "2026-002-10" },
		{ "%Y-%m-%d", "2026-00-10" },
		{ "%Y-%m-%d", "2026-01-00" },
		{ "%Y-%m-%d", "-2026-01-01" },
		{ "%Y", "" },
		{ "%H", "24" },
		{ "%M", "60" },
		{ "%S", "61" },
		{ "%H:%M", "1:2:3" },
		{ "%b", "Foo" },
		{ "%b", "Ma" },
		{ "%b", "" },
		{ "%B", "Mayo" },
		{ "%a", "Xyz" },
		{ "%a", "Su" },
		{ "%A %F", "Funday 2026-01-01" },
		{ "%I %p", "13 PM" },
		{ "%I %p", "0 AM" },
		{ "%I %p", "1 XM" },
		{ "%I %p", "1 A" },
		{ "%I %p", "1 A.M." },
		{ "%p", "" },
		{ "%j", "000" },
		{ "%j", "367" },
		{ "%Y-%j", "2026-366" },
		{ "%j", "1000" },
		{ "%T.%f", "10:00:00." },
		{ "%T.%f", "10:00:00.1234567890" },
		{ "%f", "x" },
		{ "%z", "" },
		{ "%z", "+" },
		{ "%z", "+1" },
		{ "%z", "+25" },
		{ "%z", "+05:" },
		{ "%z", "+0560" },
		{ "%z", "UTC" },
		{ "%Y%z", "2026 +0100" },
		{ "%Z", "EST" },
		{ "%Z", "utc" },
		{ "%Z", "" },
		{ "%s", "" },
		{ "%s", "-" },
		{ "%s", "x" },
		{ "%s", "1234567890123" },
		{ "%s", "-62167219201" },
		{ "%s", "253402300800" },
		{ "%m/%e", "11/  7" },
		{ "%m/%d", "11/ 7" },
		{ "%Y%%", "2026" },
		{ "%Y%%", "2026x" },
		{ "x", "y" },
		{ "x", "" },
		{ "", "x" },
		{ "%Y-%m-%d %H:%M%z", "0000-01-01 00:30+01:00" },
		{ "%Y-%m-%d %H:%M%z", "9999-12-31 23:30-01:00" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (strcmp(fp(bad[i][0], bad[i][1], NULL), "FAIL") != 0)
			fail_msg("'%s' accepted '%s'", bad[i][0], bad[i][1]);

	const char *why = NULL;
	assert_null(ts_fmt_compile("%Q", &why));
	assert_non_null(strstr(why, "unknown conversion"));
	why = NULL;
	assert_null(ts_fmt_compile("%Y %", &why));
	assert_string_equal(why, "a lone '%' at the end");
	assert_null(ts_fmt_compile("%Ey", &why));
	assert_null(ts_fmt_compile("%Od", &why));
	assert_null(ts_fmt_compile("%c", NULL));
	ts_fmt_free(NULL);
}

/* ---- durations ---- */

static int64_t
dur(const char *s)
{
	int64_t d = -12345;
	return ts_parse_duration(s, &d) < 0 ? -1 : d;
}

static void
test_duration(void **state)
{
	(void)state;
	assert_int_equal(dur("90"), 90000);
	assert_int_equal(dur("0"), 0);
	assert_int_equal(dur("90s"), 90000);
	assert_int_equal(dur("30m"), 1800000);
	assert_int_equal(dur("1.5h"), 5400000);
	assert_int_equal(dur("7d"), 7LL * 86400000);
	assert_int_equal(dur("2w"), 14LL * 86400000);
	assert_int_equal(dur("0.5"), 500);
	assert_int_equal(dur(".5s"), 500);
	assert_int_equal(dur("0.001"), 1);
	assert_int_equal(dur("0.0005"), 1); /* rounded to the millisecond */
	assert_int_equal(dur("0.0004"), 0);
	assert_int_equal(dur("1.123456789123s"), 1123);
	assert_int_equal(dur("0.1m"), 6000);
	assert_int_equal(dur("0010m"), 600000);
	assert_int_equal(dur("15250284452w"), 9223372036569600000LL);
	/* errors */
	static const char *const bad[] = { "", "s", "d", "-1", "-1d", "+1",
		"1y", "1M", "1ms", "1.", ".", "..5", "1.2.3", "1e3", "5 m",
		" 5m", "5m ", "5mm", "abc", "1,5h", "99999999999999999999",
		"99999999999999999w", "15250284453w" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (dur(bad[i]) != -1)
			fail_msg("accepted '%s'", bad[i]);
	int64_t d = 7;
	assert_int_equal(ts_parse_duration(NULL, &d), -1);
	assert_int_equal(d, 7);
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
	santiago = ts_zone_load("America/Santiago", &why);
	return ny && berlin && lord_howe && sydney && santiago ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	ts_zone_free(ny);
	ts_zone_free(berlin);
	ts_zone_free(lord_howe);
	ts_zone_free(sydney);
	ts_zone_free(santiago);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_canonical_cache),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_iso_errors),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_auto),
		cmocka_unit_test(test_tzif_versions),
		cmocka_unit_test(test_tzif_errors),
		cmocka_unit_test(test_footer_rules),
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_zone_cache),
		cmocka_unit_test(test_zone_null_and_extremes),
		cmocka_unit_test(test_zone_load),
		cmocka_unit_test(test_tzdir),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_fmt_errors),
		cmocka_unit_test(test_duration),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
