/*
 * ts: times as int64 milliseconds since the epoch, UTC.
 *
 * Calendar arithmetic is Howard Hinnant's days_from_civil/civil_from_days
 * (exact for the proleptic Gregorian calendar).  Zones come from TZif files
 * (RFC 8536, versions 1 to 4): the 64-bit block of version 2+ files, and
 * the POSIX TZ rule of the footer for instants after the last transition.
 * Nothing here uses the C library's time zone machinery (global, slow,
 * driven by $TZ) nor its locale: names and digits are ASCII, compared by
 * hand.
 *
 * Invariants:
 * - A zone's transitions are strictly ascending (checked on load).  toff[i]
 *   is the offset in force from trans[i] on; off0 before trans[0].
 * - wall[i] is the local wall-clock second from which a local time reads
 *   with toff[i]: trans[i] + max(offset before, offset after).  Local times
 *   before that read with the offset before, which is both gap rules of
 *   ts.h (skipped hour: the offset before the gap; repeated hour: the
 *   first, earlier occurrence).  It is Python's zoneinfo with fold=0.
 *   wall[] is made non-decreasing so that it can be binary-searched.
 * - Each zone remembers the last period (a [lo, hi) range of constant
 *   offset) found in UTC and in wall-clock seconds.  Rows mostly come in
 *   time order, so most lookups are two compares.  The caches make a
 *   const zone change behind the caller's back: one zone must not be used
 *   by two threads at once (jt is single-threaded); ts_format's date cache
 *   is process-wide for the same reason.
 * - A time the parsers return is always within years 0000-9999, so it can
 *   be formatted.
 * - A second ":60" (a leap second) reads as :59.999, the last millisecond
 *   of the minute: jt's time scale, like POSIX time, has no leap seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ts.h"

#define MS 1000LL
#define DAY_S 86400LL
/* 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z */
#define TS_MIN_MS (-62167219200000LL)
#define TS_MAX_MS 253402300799999LL

/* ---- ASCII ---- */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	c |= 0x20;
	return c >= 'a' && c <= 'z';
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Compares n bytes of s with lower-case ASCII word w, ignoring case. */
static int
ascii_prefix(const char *s, const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != w[i] || !is_alpha(s[i]))
			return 0;
	return 1;
}

/* ---- calendar ---- */

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t
ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int
in_range(int64_t t)
{
	return t >= TS_MIN_MS && t <= TS_MAX_MS;
}

static void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

int
ts_format(int64_t t, char out[TS_FORMAT_LEN + 1])
{
	/* Events come in time order more often than not: the date part of
	 * the last day formatted is kept (per thread would be needed if jt
	 * ever used threads). */
	static int64_t cached_day = INT64_MIN;
	static char cached_date[10];

	if (!in_range(t))
		return -1;
	int64_t days = floor_div(t, DAY_S * MS);
	unsigned rem = (unsigned)(t - days * DAY_S * MS);
	if (days != cached_day) {
		int64_t y;
		unsigned m, d;
		civil_from_days(days, &y, &m, &d);
		put2(cached_date, (unsigned)y / 100);
		put2(cached_date + 2, (unsigned)y % 100);
		cached_date[4] = '-';
		put2(cached_date + 5, m);
		cached_date[7] = '-';
		put2(cached_date + 8, d);
		cached_day = days;
	}
	unsigned ms = rem % 1000, s = rem / 1000;
	memcpy(out, cached_date, 10);
	out[10] = 'T';
	put2(out + 11, s / 3600);
	out[13] = ':';
	put2(out + 14, s / 60 % 60);
	out[16] = ':';
	put2(out + 17, s % 60);
	out[19] = '.';
	out[20] = (char)('0' + ms / 100);
	put2(out + 21, ms % 100);
	out[23] = 'Z';
	out[24] = '\0';
	return 0;
}

/* ---- zones ---- */

/* A POSIX TZ rule date: Jn (1-365, no Feb 29), n (0-365), Mm.w.d. */
struct rule_date {
	char kind;    /* 'J', 'N' or 'M' */
	int a, b, c;  /* J/N: day; M: month, week 1-5 (5 = last), weekday */
	int32_t time; /* local seconds after midnight, -167h to 167h */
};

/* A range [lo, hi) of UTC or wall-clock seconds with one offset. */
struct period {
	int64_t lo, hi;
	int32_t off;
};

struct ts_zone {
	size_t ntrans;
	int64_t *trans; /* UTC seconds, strictly ascending */
	int64_t *wall;  /* local seconds from which toff[i] applies */
	int32_t *toff;  /* offset (seconds east) from trans[i] on */
	int32_t off0;   /* offset before trans[0]: time type 0 */
	int has_rule;   /* the footer rule applies from trans[ntrans-1] on */
	int has_dst;
	int32_t std_off, dst_off;
	struct rule_date start, end;
	struct period ucache, wcache; /* the last UTC / wall period found */
};

/* Reads 1 to max digits; NULL when there are none. */
static const char *
read_uint(const char *s, int max, int *out)
{
	int v = 0, k = 0;
	while (k < max && is_digit(s[k])) {
		v = v * 10 + (s[k] - '0');
		k++;
	}
	if (k == 0)
		return NULL;
	*out = v;
	return s + k;
}

/* An abbreviation: 3+ letters, or <...> of 3+ letters, digits, '+', '-'. */
static const char *
parse_abbr(const char *s)
{
	const char *p = s;
	if (*p == '<') {
		for (p++;
		     is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-';)
			p++;
		return *p == '>' && p - s - 1 >= 3 ? p + 1 : NULL;
	}
	while (is_alpha(*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

/*
 * [+-]hh[:mm[:ss]] into seconds.  maxh is 24 for zone offsets (POSIX) and
 * 167 for transition times (RFC 8536 allows -167 to 167 there, so that
 * rules like "M3.2.0/-1" or "J365/25" can be written).
 */
static const char *
parse_hms(const char *s, int maxh, int32_t *out)
{
	int sign = 1, h, m = 0, sec = 0;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!(s = read_uint(s, maxh > 99 ? 3 : 2, &h)) || h > maxh)
		return NULL;
	if (*s == ':') {
		if (!(s = read_uint(s + 1, 2, &m)) || m > 59)
			return NULL;
		if (*s == ':' && (!(s = read_uint(s + 1, 2, &sec)) || sec > 59))
			return NULL;
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *
parse_rule_date(const char *s, struct rule_date *r)
{
	if (*s == 'J') {
		r->kind = 'J';
		if (!(s = read_uint(s + 1, 3, &r->a)) || r->a < 1 || r->a > 365)
			return NULL;
	} else if (*s == 'M') {
		r->kind = 'M';
		if (!(s = read_uint(s + 1, 2, &r->a)) || *s++ != '.' ||
		    !(s = read_uint(s, 1, &r->b)) || *s++ != '.' ||
		    !(s = read_uint(s, 1, &r->c)))
			return NULL;
		if (r->a < 1 || r->a > 12 || r->b < 1 || r->b > 5 || r->c > 6)
			return NULL;
	} else {
		r->kind = 'N';
		if (!(s = read_uint(s, 3, &r->a)) || r->a > 365)
			return NULL;
	}
	r->time = 7200; /* POSIX's default: 02:00 */
	if (*s == '/')
		s = parse_hms(s + 1, 167, &r->time);
	return s;
}

/*
 * Parses a POSIX TZ string ("EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30") into
 * z's rule fields.  Returns 0 or -1.
 */
static int
parse_rule(struct ts_zone *z, const char *s)
{
	int32_t o;
	if (!(s = parse_abbr(s)) || !(s = parse_hms(s, 24, &o)))
		return -1;
	z->std_off = -o; /* POSIX offsets count west */
	z->dst_off = z->std_off;
	if (*s == '\0') {
		z->has_rule = 1;
		return 0;
	}
	if (!(s = parse_abbr(s)))
		return -1;
	z->dst_off = z->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = parse_hms(s, 24, &o)))
			return -1;
		z->dst_off = -o;
	}
	if (*s == '\0') {
		/* No dates: the US rules, POSIX's usual default. */
		z->start = (struct rule_date){ 'M', 3, 2, 0, 7200 };
		z->end = (struct rule_date){ 'M', 11, 1, 0, 7200 };
	} else if (*s != ',' || !(s = parse_rule_date(s + 1, &z->start)) ||
	    *s++ != ',' || !(s = parse_rule_date(s, &z->end)) || *s != '\0')
		return -1;
	z->has_rule = z->has_dst = 1;
	return 0;
}

/* Local seconds (wall clock read as UTC) of a rule date in year y. */
static int64_t
rule_local(const struct rule_date *r, int64_t y)
{
	int64_t day;
	if (r->kind == 'J') {
		day = ts_days_from_civil(y, 1, 1) + r->a - 1;
		if (r->a >= 60 && is_leap(y))
			day++;
	} else if (r->kind == 'N') {
		day = ts_days_from_civil(y, 1, 1) + r->a;
	} else {
		int64_t first = ts_days_from_civil(y, (unsigned)r->a, 1);
		/* 1970-01-01 was a Thursday (4); Sunday is 0 */
		int wd = (int)((first % 7 + 11) % 7);
		int64_t d = first + (r->c - wd + 7) % 7 + (r->b - 1) * 7;
		int64_t dim = days_in_month(y, (unsigned)r->a);
		while (d >= first + dim) /* week 5 means the last one */
			d -= 7;
		day = d;
	}
	return day * DAY_S + r->time;
}

/* A transition of the rule: the UTC second and the offset from then on. */
struct rule_ev {
	int64_t t;
	int32_t off;
};

/*
 * The rule's transitions in years y-1 to y+1, in time order.  Three years
 * cover any instant of year y even with transition times shifted by up to
 * 167 hours, and make no assumption on which hemisphere the rule is for.
 * The start time is read in standard time, the end in daylight time
 * (POSIX: "the current local time").  The sort is stable, so for a
 * permanent-DST rule ("EST5EDT4,0/0,J365/25") the year's start follows the
 * previous year's end at the same instant and DST stays on.  glibc and
 * CPython pair each year's start with that year's end instead: the two
 * readings differ only for rules whose DST would end after the next one
 * starts, which no real zone has.
 */
static void
rule_events(const struct ts_zone *z, int64_t y, struct rule_ev ev[6])
{
	int n = 0;
	for (int64_t yy = y - 1; yy <= y + 1; yy++) {
		ev[n++] =
		    (struct rule_ev){ rule_local(&z->start, yy) - z->std_off,
			    z->dst_off };
		ev[n++] =
		    (struct rule_ev){ rule_local(&z->end, yy) - z->dst_off,
			    z->std_off };
	}
	for (int i = 1; i < n; i++) {
		struct rule_ev e = ev[i];
		int j = i;
		for (; j > 0 && ev[j - 1].t > e.t; j--)
			ev[j] = ev[j - 1];
		ev[j] = e;
	}
}

/*
 * The period of the footer rule holding x (UTC seconds, or wall seconds
 * when wall is set), for x at or after the last transition of the table.
 */
static void
rule_period(const struct ts_zone *z, int64_t x, int wall, struct period *p)
{
	size_t n = z->ntrans;
	int64_t lo = INT64_MIN, hi = INT64_MAX;
	int32_t off = z->std_off;
	if (n) {
		lo = wall ? z->wall[n - 1] : z->trans[n - 1];
		off = z->toff[n - 1];
	}
	if (!z->has_dst) {
		*p = (struct period){ lo, hi, z->std_off };
		return;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(
	    floor_div(wall ? x : x + z->std_off, DAY_S), &y, &m, &d);
	struct rule_ev ev[6];
	rule_events(z, y, ev);
	if (!n) /* the state before the window: that of the year before */
		off = ev[0].off == z->dst_off ? z->std_off : z->dst_off;
	int first = 1, skipped = 0;
	for (int i = 0; i < 6; i++) {
		if (n && ev[i].t <= z->trans[n - 1]) {
			skipped = 1; /* the table has the say until its end */
			continue;
		}
		int64_t at = ev[i].t;
		if (wall)
			at += off > ev[i].off ? off : ev[i].off;
		if (at < lo)
			at = lo;
		if (x < at) {
			hi = at;
			break;
		}
		lo = at;
		off = ev[i].off;
		first = 0;
	}
	/*
	 * x in year y follows the window's first transitions, unless the
	 * rule is contrived (times shifted by days across a new year).  Then
	 * the bounds are not proven by the window: narrow them to x itself,
	 * so that the cache never claims too much.
	 */
	if (first && !skipped)
		lo = x;
	if (hi == INT64_MAX)
		hi = x + 1;
	*p = (struct period){ lo, hi, off };
}

/* The period holding x: UTC seconds, or wall-clock seconds when wall. */
static void
find_period(const struct ts_zone *z, int64_t x, int wall, struct period *p)
{
	const int64_t *a = wall ? z->wall : z->trans;
	size_t n = z->ntrans;

	if (n == 0 || x >= a[n - 1]) {
		if (z->has_rule)
			rule_period(z, x, wall, p);
		else if (n == 0)
			*p = (struct period){ INT64_MIN, INT64_MAX, z->off0 };
		else
			*p = (struct period){ a[n - 1], INT64_MAX,
				z->toff[n - 1] };
		return;
	}
	if (x < a[0]) {
		*p = (struct period){ INT64_MIN, a[0], z->off0 };
		return;
	}
	size_t lo = 0, hi = n - 1; /* a[lo] <= x < a[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	*p = (struct period){ a[lo], a[hi], z->toff[lo] };
}

/* The offset at x (UTC or wall seconds), through the zone's cache. */
static int32_t
lookup(const struct ts_zone *z, int64_t x, int wall)
{
	/* The caches are all a lookup changes.  Zones are only ever made
	 * by ts_zone_from_tzif and ts_zone_load, on the heap, never defined
	 * const, so writing through the cast is well defined. */
	struct ts_zone *mz = (struct ts_zone *)z;
	struct period *c = wall ? &mz->wcache : &mz->ucache;
	if (x < c->lo || x >= c->hi)
		find_period(z, x, wall, c);
	return c->off;
}

int32_t
ts_zone_offset_at(const struct ts_zone *z, int64_t t_ms)
{
	return z ? lookup(z, floor_div(t_ms, MS), 0) : 0;
}

int64_t
ts_local_to_utc(const struct ts_zone *z, int64_t local_ms)
{
	if (!z)
		return local_ms;
	int64_t off = (int64_t)lookup(z, floor_div(local_ms, MS), 1) * MS;
	/* saturate instead of overflowing at the ends of the int64 range */
	if (off > 0 && local_ms < INT64_MIN + off)
		return INT64_MIN;
	if (off < 0 && local_ms > INT64_MAX + off)
		return INT64_MAX;
	return local_ms - off;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The counts of a TZif header, in file order. */
struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static void
read_counts(const unsigned char *h, struct tzif_counts *c)
{
	c->isut = be32(h + 20);
	c->isstd = be32(h + 24);
	c->leap = be32(h + 28);
	c->time = be32(h + 32);
	c->type = be32(h + 36);
	c->chars = be32(h + 40);
}

/* Bytes of the data block after a header; tsize 4 (v1) or 8 (v2+). */
static uint64_t
block_len(const struct tzif_counts *c, unsigned tsize)
{
	return (uint64_t)c->time * (tsize + 1) + (uint64_t)c->type * 6 +
	    c->chars + (uint64_t)c->leap * (tsize + 4) + c->isstd + c->isut;
}

static struct ts_zone *
fail(struct ts_zone *z, const char **why, const char *msg)
{
	ts_zone_free(z);
	if (why)
		*why = msg;
	return NULL;
}

/*
 * Reads the footer at q (end at end): "\nTZ-string\n".  Returns 0, or -1
 * with *msg set.  An absent footer (data ending with the block) is taken
 * as no rule, as an empty TZ string is.
 */
static int
read_footer(struct ts_zone *z, const unsigned char *q, const unsigned char *end,
    const char **msg)
{
	char rule[256];
	*msg = "malformed TZif footer";
	if (q == end)
		return 0;
	if (*q != '\n')
		return -1;
	const unsigned char *e = memchr(q + 1, '\n', (size_t)(end - q - 1));
	if (!e || (size_t)(e - q - 1) >= sizeof rule)
		return -1;
	size_t n = (size_t)(e - q - 1);
	if (n == 0)
		return 0;
	memcpy(rule, q + 1, n);
	rule[n] = '\0';
	if (memchr(rule, '\0', n) || parse_rule(z, rule) < 0) {
		*msg = "bad TZ rule in TZif footer";
		return -1;
	}
	return 0;
}

struct ts_zone *
ts_zone_from_tzif(const void *data, size_t len, const char **why)
{
	const unsigned char *p = data;
	struct tzif_counts c;
	const char *msg;

	if (!p || len < 44 || memcmp(p, "TZif", 4) != 0)
		return fail(NULL, why, "not a TZif file");
	/* RFC 8536: version 1 is NUL, then '2', '3', '4'; later versions
	 * promise to stay readable by this layout. */
	unsigned char version = p[4];
	if (version != 0 && (version < '2' || version > '9'))
		return fail(NULL, why, "unsupported TZif version");
	read_counts(p, &c);
	size_t off = 44;
	unsigned tsize = 4;
	uint64_t blen = block_len(&c, 4);
	if (blen > len - off)
		return fail(NULL, why, "truncated TZif file");
	if (version) {
		/* skip the 32-bit data for the 64-bit block that follows */
		off += (size_t)blen;
		if (len - off < 44)
			return fail(NULL, why, "truncated TZif file");
		if (memcmp(p + off, "TZif", 4) != 0)
			return fail(NULL, why, "malformed TZif file");
		read_counts(p + off, &c);
		off += 44;
		tsize = 8;
		blen = block_len(&c, 8);
		if (blen > len - off)
			return fail(NULL, why, "truncated TZif file");
	}
	if (c.type == 0 || c.chars == 0 || (c.isut && c.isut != c.type) ||
	    (c.isstd && c.isstd != c.type))
		return fail(NULL, why, "malformed TZif file");
	if (c.leap)
		return fail(NULL, why,
		    "time zones with leap seconds ('right/') are not "
		    "supported");

	struct ts_zone *z = calloc(1, sizeof *z);
	if (!z)
		return fail(NULL, why, "out of memory");
	z->ntrans = c.time;
	if (c.time) {
		z->trans = malloc(c.time * sizeof *z->trans);
		z->wall = malloc(c.time * sizeof *z->wall);
		z->toff = malloc(c.time * sizeof *z->toff);
		if (!z->trans || !z->wall || !z->toff)
			return fail(z, why, "out of memory");
	}
	const unsigned char *tt = p + off, *ix = tt + (size_t)c.time * tsize;
	const unsigned char *ty = ix + c.time;
	for (uint32_t k = 0; k < c.type; k++) {
		/* RFC 8536 bounds UT offsets to [-89999, 93599] */
		int32_t u = (int32_t)be32(ty + 6 * (size_t)k);
		if (u < -89999 || u > 93599 || ty[6 * (size_t)k + 4] > 1)
			return fail(z, why, "malformed TZif file");
	}
	z->off0 = (int32_t)be32(ty);
	for (size_t i = 0; i < z->ntrans; i++) {
		int64_t t =
		    tsize == 8 ? be64(tt + 8 * i) : (int32_t)be32(tt + 4 * i);
		/* 2^60 s is far past any date; the bound keeps the wall
		 * arithmetic below from overflowing on hostile input. */
		if (ix[i] >= c.type || t < -(1LL << 60) || t > (1LL << 60) ||
		    (i && t <= z->trans[i - 1]))
			return fail(z, why, "malformed TZif file");
		z->trans[i] = t;
		z->toff[i] = (int32_t)be32(ty + 6 * (size_t)ix[i]);
		int32_t before = i ? z->toff[i - 1] : z->off0;
		int64_t w = t + (before > z->toff[i] ? before : z->toff[i]);
		z->wall[i] = i && w < z->wall[i - 1] ? z->wall[i - 1] : w;
	}
	if (version && read_footer(z, p + off + blen, p + len, &msg) < 0)
		return fail(z, why, msg);
	if (why)
		*why = NULL;
	return z;
}

/* Names that mean UTC, served without a file (it may be missing). */
static int
is_utc_name(const char *name)
{
	static const char *const names[] = { "UTC", "Etc/UTC", "GMT", "Etc/GMT",
		"Z", "Zulu", "Etc/Zulu", "UCT", "Etc/UCT", "Universal",
		"Etc/Universal" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

struct ts_zone *
ts_zone_load(const char *name, const char **why)
{
	if (!name || !*name || name[0] == '/' || strstr(name, ".."))
		return fail(NULL, why, "not a time zone name");
	if (is_utc_name(name)) {
		struct ts_zone *z = calloc(1, sizeof *z);
		if (!z)
			return fail(NULL, why, "out of memory");
		if (why)
			*why = NULL;
		return z; /* no transitions, no rule, off0 0 */
	}
	const char *dir = getenv("TZDIR");
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	size_t dl = strlen(dir), nl = strlen(name);
	char path[4096];
	if (dl + 1 + nl >= sizeof path)
		return fail(NULL, why, "time zone name too long");
	memcpy(path, dir, dl);
	path[dl] = '/';
	memcpy(path + dl + 1, name, nl + 1);

	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(NULL, why,
		    "unknown time zone (no such file in the zoneinfo "
		    "folder)");
	struct stat st;
	/* real TZif files are a few kilobytes */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (1 << 20)) {
		close(fd);
		return fail(NULL, why, "unknown time zone (not a TZif file)");
	}
	size_t len = (size_t)st.st_size, got = 0;
	unsigned char *buf = malloc(len ? len : 1);
	while (buf && got < len) {
		ssize_t k = read(fd, buf + got, len - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (!buf)
		return fail(NULL, why, "out of memory");
	struct ts_zone *z = ts_zone_from_tzif(buf, got, why);
	free(buf);
	return z;
}

void
ts_zone_free(struct ts_zone *z)
{
	if (!z)
		return;
	free(z->trans);
	free(z->wall);
	free(z->toff);
	free(z);
}

/* ---- parsing ---- */

/* Reads exactly n digits at s; -1 if any is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i] - (unsigned)'0';
		if (c > 9)
			return -1;
		v = v * 10 + (int)c;
	}
	return v;
}

/* Builds local ms from fields, validating ranges; -1 when invalid. */
static int
make_time(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s,
    int64_t ms, int64_t *out)
{
	if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > (int64_t)days_in_month(y, (unsigned)mo) || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 60 || ms < 0 || ms > 999)
		return -1;
	if (s == 60) { /* a leap second: the last instant of the minute */
		s = 59;
		ms = 999;
	}
	*out = (ts_days_from_civil(y, (unsigned)mo, (unsigned)d) * DAY_S +
		   h * 3600 + mi * 60 + s) *
		MS +
	    ms;
	return 0;
}

/*
 * Converts local fields to UTC: with an explicit offset (has_off) or in
 * zone z.  Refuses results outside years 0000-9999, which an offset or
 * zone can push a valid local time to.
 */
static int
finish(int64_t local, int has_off, int32_t off, const struct ts_zone *z,
    int64_t *out)
{
	int64_t t =
	    has_off ? local - (int64_t)off * MS : ts_local_to_utc(z, local);
	if (!in_range(t))
		return -1;
	*out = t;
	return 0;
}

/* Fraction digits (up to max): ms, the rest truncated; digits used. */
static size_t
fraction(const char *s, size_t n, size_t max, int64_t *ms)
{
	size_t i = 0;
	int64_t v = 0;
	while (i < n && i < max && is_digit(s[i])) {
		if (i < 3)
			v = v * 10 + (s[i] - '0');
		i++;
	}
	for (size_t k = i; k < 3; k++)
		v *= 10;
	*ms = v;
	return i;
}

/*
 * Parses an offset at s: Z, z, +HH, +HHMM, +HH:MM (and '-').  Returns the
 * bytes used, or 0 when there is none or it is malformed.
 */
static size_t
parse_offset(const char *s, size_t n, int32_t *off)
{
	if (n >= 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		return 1;
	}
	if (n < 3 || (s[0] != '+' && s[0] != '-'))
		return 0;
	int hh = digits(s + 1, 2), mm = 0;
	size_t i = 3;
	if (hh < 0 || hh > 23)
		return 0;
	if (i < n && s[i] == ':') {
		if (n - i < 3 || (mm = digits(s + i + 1, 2)) < 0)
			return 0;
		i += 3;
	} else if (n - i >= 2 && is_digit(s[i])) {
		if ((mm = digits(s + i, 2)) < 0)
			return 0;
		i += 2;
	}
	if (mm > 59)
		return 0;
	*off = (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
	return i;
}

int
ts_parse_iso(const char *s, size_t n, const struct ts_zone *z, int64_t *out)
{
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	int h = 0, mi = 0, sec = 0, has_off = 0;
	int64_t ms = 0;
	int32_t off = 0;
	if (y < 0 || mo < 0 || d < 0)
		return -1;
	size_t i = 10;
	if (i < n) {
		/* A time must follow: a zone or offset after a bare date is
		 * not ISO 8601 and is refused. */
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return -1;
		i++;
		if (n - i < 5 || s[i + 2] != ':' ||
		    (h = digits(s + i, 2)) < 0 ||
		    (mi = digits(s + i + 3, 2)) < 0)
			return -1;
		i += 5;
		if (i < n && s[i] == ':') {
			if (n - i < 3 || (sec = digits(s + i + 1, 2)) < 0)
				return -1;
			i += 3;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				size_t k = fraction(
				    s + i + 1, n - i - 1, (size_t)-1, &ms);
				if (k == 0)
					return -1;
				i += 1 + k;
			}
		}
		if (i < n) {
			size_t k;
			if (n - i == 4 && memcmp(s + i, " UTC", 4) == 0) {
				k = 4;
				off = 0;
			} else if (!(k = parse_offset(s + i, n - i, &off)))
				return -1;
			has_off = 1;
			i += k;
		}
		if (i != n)
			return -1;
	}
	int64_t local;
	if (make_time(y, mo, d, h, mi, sec, ms, &local) < 0)
		return -1;
	return finish(local, has_off, off, z, out);
}

int
ts_parse_epoch(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	size_t start = i;
	uint64_t v = 0;
	while (i < n && is_digit(s[i])) {
		if (i - start >= 19)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		i++;
	}
	size_t nd = i - start;
	if (nd == 0)
		return -1;
	/* The unit by the count of integer digits; fraction digits are
	 * kept down to the millisecond. */
	int64_t ms;
	size_t keep;
	if (nd <= 11) {
		ms = (int64_t)v * 1000;
		keep = 3;
	} else if (nd <= 14) {
		ms = (int64_t)v;
		keep = 0;
	} else if (nd <= 17) {
		ms = (int64_t)(v / 1000);
		keep = 0;
	} else {
		ms = (int64_t)(v / 1000000);
		keep = 0;
	}
	if (i < n && s[i] == '.') {
		size_t fstart = ++i;
		int64_t f = 0;
		for (; i < n && is_digit(s[i]); i++)
			if (i - fstart < keep)
				f = f * 10 + (s[i] - '0');
		if (i == fstart)
			return -1;
		for (size_t k = i - fstart; k < keep; k++)
			f *= 10;
		ms += f;
	}
	if (i != n)
		return -1;
	/* at most 19 digits, scaled down: ms is far from overflowing */
	ms = neg ? -ms : ms;
	if (!in_range(ms))
		return -1;
	*out = ms;
	return 0;
}

int
ts_parse_auto(const char *s, size_t n, const struct ts_zone *z, int64_t *out)
{
	/* jt's own format first: every tool after jt-ingest reads it */
	if (n == TS_FORMAT_LEN && ts_parse_canonical(s, n, out) == 0)
		return 0;
	while (n && is_blank(*s)) {
		s++;
		n--;
	}
	while (n && is_blank(s[n - 1]))
		n--;
	size_t i = n && (s[0] == '-' || s[0] == '+');
	size_t j = i;
	while (j < n && is_digit(s[j]))
		j++;
	if (j > i && (j == n || s[j] == '.'))
		return ts_parse_epoch(s, n, out);
	return ts_parse_iso(s, n, z, out);
}

/* Two digits at s, or -1. */
static int
two(const char *s)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int
ts_parse_canonical(const char *s, size_t n, int64_t *out)
{
	/*
	 * The days of the dates met lately, one slot per day of the month
	 * and month's parity: a day holds many events, and events in no
	 * order still span a few weeks (each thread its own).
	 */
	static _Thread_local struct {
		char date[10];
		int64_t days;
	} seen[64];

	if (n != TS_FORMAT_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z')
		return -1;
	int64_t days;
	unsigned slot = ((unsigned)(s[8] & 15) * 10 + (unsigned)(s[9] & 15)) %
		32 |
	    (unsigned)(s[6] & 1) << 5;
	if (memcmp(s, seen[slot].date, 10) == 0) {
		days = seen[slot].days;
	} else {
		int y1 = two(s), y2 = two(s + 2), mo = two(s + 5),
		    d = two(s + 8);
		if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1)
			return -1;
		int64_t y = y1 * 100 + y2;
		if (d > (int)days_in_month(y, (unsigned)mo))
			return -1;
		days = ts_days_from_civil(y, (unsigned)mo, (unsigned)d);
		memcpy(seen[slot].date, s, 10);
		seen[slot].days = days;
	}
	int h = two(s + 11), mi = two(s + 14), se = two(s + 17);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 ||
	    !is_digit(s[20]) || !is_digit(s[21]) || !is_digit(s[22]))
		return -1;
	int ms = (s[20] - '0') * 100 + (s[21] - '0') * 10 + (s[22] - '0');
	*out = ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms;
	return 0;
}

int
ts_parse_duration(const char *s, int64_t *out_ms)
{
	if (!s)
		return -1;
	size_t n = strlen(s);
	int64_t mult = 1000;
	if (n) {
		switch (s[n - 1]) {
		case 's': mult = 1000; break;
		case 'm': mult = 60 * 1000; break;
		case 'h': mult = 3600 * 1000; break;
		case 'd': mult = DAY_S * 1000; break;
		case 'w': mult = 7 * DAY_S * 1000; break;
		default: mult = 0;
		}
		if (mult)
			n--;
		else
			mult = 1000;
	}
	/* digits [. digits] or . digits; the fraction to 9 digits */
	size_t i = 0;
	int64_t whole = 0, frac = 0, scale = 1;
	for (; i < n && is_digit(s[i]); i++) {
		if (whole > (INT64_MAX - 9) / 10)
			return -1;
		whole = whole * 10 + (s[i] - '0');
	}
	size_t nint = i;
	if (i < n && s[i] == '.') {
		size_t f0 = ++i;
		for (; i < n && is_digit(s[i]); i++)
			if (i - f0 < 9) {
				frac = frac * 10 + (s[i] - '0');
				scale *= 10;
			}
		if (i == f0)
			return -1;
	} else if (nint == 0)
		return -1;
	if (i != n || whole > INT64_MAX / mult)
		return -1;
	/* frac < 10^9 and mult < 10^9: the product fits; round to ms */
	int64_t part = (frac * mult + scale / 2) / scale;
	if (whole * mult > INT64_MAX - part)
		return -1;
	*out_ms = whole * mult + part;
	return 0;
}

/* ---- strptime-style formats ---- */

/*
 * A compiled format: one op per conversion or literal byte.  Composite
 * conversions (%T %D %F) are expanded when compiling, so that parsing
 * is a single loop over ops.
 */
struct ts_fmt {
	size_t n;
	char *op;  /* conversion letter, 0 for a literal, ' ' for blanks */
	char *lit; /* the literal byte for op 0 */
};

static const char *const months[12] = { "january", "february", "march", "april",
	"may", "june", "july", "august", "september", "october", "november",
	"december" };
static const char *const wdays[7] = { "sunday", "monday", "tuesday",
	"wednesday", "thursday", "friday", "saturday" };

static int
push_op(struct ts_fmt *f, char op, char lit)
{
	char *o = realloc(f->op, f->n + 1);
	if (!o)
		return -1;
	f->op = o;
	char *l = realloc(f->lit, f->n + 1);
	if (!l)
		return -1;
	f->lit = l;
	f->op[f->n] = op;
	f->lit[f->n++] = lit;
	return 0;
}

/* Pushes ops a, b, c with literal sep between them (%T %D %F). */
static int
push3(struct ts_fmt *f, char a, char sep, char b, char c)
{
	return push_op(f, a, 0) || push_op(f, 0, sep) || push_op(f, b, 0) ||
		push_op(f, 0, sep) || push_op(f, c, 0)
	    ? -1
	    : 0;
}

struct ts_fmt *
ts_fmt_compile(const char *fmt, const char **why)
{
	struct ts_fmt *f = calloc(1, sizeof *f);
	int rc = 0;

	if (!f) {
		if (why)
			*why = "out of memory";
		return NULL;
	}
	for (const char *p = fmt; *p && rc == 0; p++) {
		if (is_blank(*p) || *p == '\n') {
			rc = push_op(f, ' ', 0);
			continue;
		}
		if (*p != '%') {
			rc = push_op(f, 0, *p);
			continue;
		}
		switch (*++p) {
		case 'T': rc = push3(f, 'H', ':', 'M', 'S'); break;
		case 'D': rc = push3(f, 'm', '/', 'd', 'y'); break;
		case 'F': rc = push3(f, 'Y', '-', 'm', 'd'); break;
		case 'n':
		case 't': rc = push_op(f, ' ', 0); break;
		case '%': rc = push_op(f, 0, '%'); break;
		case 'h':
		case 'B': rc = push_op(f, 'b', 0); break;
		case 'A': rc = push_op(f, 'a', 0); break;
		case 'Y':
		case 'y':
		case 'm':
		case 'd':
		case 'e':
		case 'H':
		case 'I':
		case 'M':
		case 'S':
		case 'f':
		case 'p':
		case 'b':
		case 'a':
		case 'j':
		case 'z':
		case 'Z':
		case 's': rc = push_op(f, *p, 0); break;
		default:
			if (why)
				*why = *p ? "unknown conversion (see TIMES in "
					    "jt-ingest(1))"
					  : "a lone '%' at the end";
			ts_fmt_free(f);
			return NULL;
		}
	}
	if (rc) {
		if (why)
			*why = "out of memory";
		ts_fmt_free(f);
		return NULL;
	}
	return f;
}

void
ts_fmt_free(struct ts_fmt *f)
{
	if (!f)
		return;
	free(f->op);
	free(f->lit);
	free(f);
}

/* Reads 1..max digits; returns digits used or 0. */
static size_t
num(const char *s, size_t n, size_t max, int64_t *v)
{
	size_t i = 0;
	*v = 0;
	while (i < n && i < max && is_digit(s[i]))
		*v = *v * 10 + (s[i++] - '0');
	return i;
}

/* Matches an English name (full or its first three letters), any case. */
static size_t
name(const char *s, size_t n, const char *const *names, int count, int *out)
{
	for (int k = 0; k < count; k++) {
		size_t len = strlen(names[k]);
		if (n >= len && ascii_prefix(s, names[k], len)) {
			*out = k;
			return len;
		}
	}
	for (int k = 0; k < count; k++)
		if (n >= 3 && ascii_prefix(s, names[k], 3)) {
			*out = k;
			/* "Sept" is a common four-letter form */
			if (k == 8 && count == 12 && n >= 4 &&
			    (s[3] | 0x20) == 't')
				return 4;
			return 3;
		}
	return 0;
}

/* The parsed fields of ts_fmt_parse, with their defaults. */
struct fields {
	int64_t y, mo, d, h, mi, sec, ms, yday, epoch;
	int pm, hour12, has_off, has_epoch, epoch_neg;
	int32_t off;
};

/* Applies op at s (n bytes left); returns the bytes used, or -1. */
static long
apply(char op, char lit, const char *s, size_t n, struct fields *x)
{
	size_t k = 0;
	int v;
	switch (op) {
	case 0: return n && s[0] == lit ? 1 : -1;
	case ' ':
		while (k < n && is_blank(s[k]))
			k++;
		return (long)k;
	case 'Y': k = num(s, n, 4, &x->y); break;
	case 'y':
		/* POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068 */
		if ((k = num(s, n, 2, &x->y)))
			x->y += x->y < 69 ? 2000 : 1900;
		break;
	case 'm': k = num(s, n, 2, &x->mo); break;
	case 'e':
		/* day of month padded with a blank: " 7" */
		if (n && s[0] == ' ' && (k = num(s + 1, n - 1, 2, &x->d)))
			return (long)k + 1;
		k = num(s, n, 2, &x->d);
		break;
	case 'd': k = num(s, n, 2, &x->d); break;
	case 'I':
	case 'H':
		x->hour12 = op == 'I';
		k = num(s, n, 2, &x->h);
		break;
	case 'M': k = num(s, n, 2, &x->mi); break;
	case 'S': k = num(s, n, 2, &x->sec); break;
	case 'f': k = fraction(s, n, 9, &x->ms); break;
	case 'j':
		if ((k = num(s, n, 3, &x->yday)) && x->yday < 1)
			k = 0;
		break;
	case 'p':
		if (n >= 2 && (s[1] | 0x20) == 'm' &&
		    ((s[0] | 0x20) == 'a' || (s[0] | 0x20) == 'p')) {
			x->pm = (s[0] | 0x20) == 'p';
			k = 2;
		}
		break;
	case 'b':
		if ((k = name(s, n, months, 12, &v)))
			x->mo = v + 1;
		break;
	case 'a': k = name(s, n, wdays, 7, &v); break;
	case 'z':
		if ((k = parse_offset(s, n, &x->off)))
			x->has_off = 1;
		break;
	case 'Z':
		if (n >= 3 &&
		    (memcmp(s, "UTC", 3) == 0 || memcmp(s, "GMT", 3) == 0))
			k = 3;
		else if (n >= 1 && s[0] == 'Z')
			k = 1;
		if (k) {
			x->has_off = 1;
			x->off = 0;
		}
		break;
	case 's': {
		size_t neg = n && s[0] == '-';
		if ((k = num(s + neg, n - neg, 12, &x->epoch))) {
			x->epoch_neg = (int)neg;
			x->has_epoch = 1;
			k += neg;
		}
		break;
	}
	}
	return k ? (long)k : -1;
}

int
ts_fmt_parse(const struct ts_fmt *f, const char *s, size_t n,
    const struct ts_zone *z, int64_t *out)
{
	struct fields x = { .y = 1970, .mo = 1, .d = 1, .yday = -1, .pm = -1 };
	size_t i = 0;

	while (n && is_blank(s[n - 1]))
		n--;
	while (i < n && is_blank(s[i]))
		i++;
	for (size_t o = 0; o < f->n; o++) {
		long k = apply(f->op[o], f->lit[o], s + i, n - i, &x);
		if (k < 0)
			return -1;
		i += (size_t)k;
	}
	if (i != n)
		return -1;
	if (x.has_epoch) {
		/* the sign covers the fraction too: "-0.5" */
		int64_t t = x.epoch * MS + x.ms;
		t = x.epoch_neg ? -t : t;
		if (!in_range(t))
			return -1;
		*out = t;
		return 0;
	}
	if (x.hour12) {
		if (x.h < 1 || x.h > 12)
			return -1;
		if (x.pm >= 0)
			x.h = x.h % 12 + (x.pm ? 12 : 0);
	} else if (x.pm == 1 && x.h < 12)
		x.h += 12;
	if (x.yday > 0) {
		if (x.y < 0 || x.y > 9999 || x.yday > 365 + is_leap(x.y))
			return -1;
		int64_t yy;
		unsigned mm, dd;
		civil_from_days(
		    ts_days_from_civil(x.y, 1, 1) + x.yday - 1, &yy, &mm, &dd);
		x.mo = mm;
		x.d = dd;
	}
	int64_t local;
	if (make_time(x.y, x.mo, x.d, x.h, x.mi, x.sec, x.ms, &local) < 0)
		return -1;
	return finish(local, x.has_off, x.off, z, out);
}
