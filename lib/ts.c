/*
 * ts: times as int64 milliseconds since the epoch, UTC.
 *
 * Calendar arithmetic is Howard Hinnant's days_from_civil/civil_from_days
 * (exact for the proleptic Gregorian calendar).  Zones come from TZif files
 * (RFC 8536): the 64-bit block of version 2+ files, and the POSIX TZ rule
 * of the footer for instants after the last transition.  Nothing here uses
 * the C library's time zone machinery, which is global, slow and depends on
 * the TZ variable.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ts.h"

#define MS 1000LL
#define DAY_S 86400LL

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
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
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

int
ts_format(int64_t t, char out[TS_FORMAT_LEN + 1])
{
	/* Events come in time order more often than not: the date part of
	 * the last day formatted is kept (per thread would be needed if jt
	 * ever used threads). */
	static int64_t cached_day = INT64_MIN;
	static char cached_date[11];
	int64_t days = floor_div(t, DAY_S * MS);
	int64_t rem = t - days * DAY_S * MS;

	if (days != cached_day) {
		int64_t y;
		unsigned m, d;
		civil_from_days(days, &y, &m, &d);
		if (y < 0 || y > 9999)
			return -1;
		unsigned yy = (unsigned)y;
		cached_date[0] = (char)('0' + yy / 1000);
		cached_date[1] = (char)('0' + yy / 100 % 10);
		cached_date[2] = (char)('0' + yy / 10 % 10);
		cached_date[3] = (char)('0' + yy % 10);
		cached_date[4] = '-';
		cached_date[5] = (char)('0' + m / 10);
		cached_date[6] = (char)('0' + m % 10);
		cached_date[7] = '-';
		cached_date[8] = (char)('0' + d / 10);
		cached_date[9] = (char)('0' + d % 10);
		cached_day = days;
	}
	unsigned ms = (unsigned)(rem % 1000), s = (unsigned)(rem / 1000);
	unsigned hh = s / 3600, mi = s / 60 % 60, ss = s % 60;
	memcpy(out, cached_date, 10);
	out[10] = 'T';
	out[11] = (char)('0' + hh / 10);
	out[12] = (char)('0' + hh % 10);
	out[13] = ':';
	out[14] = (char)('0' + mi / 10);
	out[15] = (char)('0' + mi % 10);
	out[16] = ':';
	out[17] = (char)('0' + ss / 10);
	out[18] = (char)('0' + ss % 10);
	out[19] = '.';
	out[20] = (char)('0' + ms / 100);
	out[21] = (char)('0' + ms / 10 % 10);
	out[22] = (char)('0' + ms % 10);
	out[23] = 'Z';
	out[24] = '\0';
	return 0;
}

/* ---- zones ---- */

/* A POSIX TZ rule date: Jn (1-365, no Feb 29), n (0-365), Mm.w.d. */
struct rule_date {
	char kind;    /* 'J', 'N' or 'M' */
	int a, b, c;  /* J/N: day; M: month, week, weekday */
	int32_t time; /* seconds after local midnight; may be <0 or >24h */
};

struct ts_zone {
	size_t ntrans;
	int64_t *trans;     /* transition instants, seconds */
	unsigned char *idx; /* type after each transition */
	size_t ntypes;
	int32_t *off; /* type offsets, seconds east of UTC */
	unsigned char *isdst;
	int has_rule; /* the footer rule applies after trans[n-1] */
	int32_t std_off, dst_off;
	int has_dst;
	struct rule_date start, end;
};

static const char *
parse_name(const char *s)
{
	if (*s == '<') {
		const char *e = strchr(s, '>');
		return e && e > s + 1 ? e + 1 : NULL;
	}
	const char *p = s;
	while (isalpha((unsigned char)*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to 167 (RFC 8536). */
static const char *
parse_hms(const char *s, int32_t *out)
{
	int sign = 1, h = 0, m = 0, sec = 0;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*s))
		return NULL;
	while (isdigit((unsigned char)*s))
		h = h * 10 + (*s++ - '0');
	if (*s == ':') {
		s++;
		if (!isdigit((unsigned char)*s))
			return NULL;
		while (isdigit((unsigned char)*s))
			m = m * 10 + (*s++ - '0');
		if (*s == ':') {
			s++;
			if (!isdigit((unsigned char)*s))
				return NULL;
			while (isdigit((unsigned char)*s))
				sec = sec * 10 + (*s++ - '0');
		}
	}
	if (h > 167 || m > 59 || sec > 59)
		return NULL;
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *
parse_int(const char *s, int *out)
{
	if (!isdigit((unsigned char)*s))
		return NULL;
	int v = 0;
	while (isdigit((unsigned char)*s) && v < 100000)
		v = v * 10 + (*s++ - '0');
	*out = v;
	return s;
}

static const char *
parse_rule_date(const char *s, struct rule_date *r)
{
	if (*s == 'J') {
		r->kind = 'J';
		s = parse_int(s + 1, &r->a);
		if (!s || r->a < 1 || r->a > 365)
			return NULL;
	} else if (*s == 'M') {
		r->kind = 'M';
		if (!(s = parse_int(s + 1, &r->a)) || *s++ != '.' ||
		    !(s = parse_int(s, &r->b)) || *s++ != '.' ||
		    !(s = parse_int(s, &r->c)))
			return NULL;
		if (r->a < 1 || r->a > 12 || r->b < 1 || r->b > 5 || r->c > 6)
			return NULL;
	} else {
		r->kind = 'N';
		s = parse_int(s, &r->a);
		if (!s || r->a > 365)
			return NULL;
	}
	r->time = 7200;
	if (*s == '/')
		s = parse_hms(s + 1, &r->time);
	return s;
}

/* Parses a POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0". */
static int
parse_rule(struct ts_zone *z, const char *s)
{
	int32_t o;
	if (!(s = parse_name(s)) || !(s = parse_hms(s, &o)))
		return -1;
	z->std_off = -o; /* POSIX offsets count west */
	z->has_rule = 1;
	if (*s == '\0')
		return 0;
	if (!(s = parse_name(s)))
		return -1;
	z->has_dst = 1;
	z->dst_off = z->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = parse_hms(s, &o)))
			return -1;
		z->dst_off = -o;
	}
	if (*s != ',') {
		/* no rule: the US rules of POSIX's default */
		z->start = (struct rule_date){ 'M', 3, 2, 0, 7200 };
		z->end = (struct rule_date){ 'M', 11, 1, 0, 7200 };
		return *s == '\0' ? 0 : -1;
	}
	if (!(s = parse_rule_date(s + 1, &z->start)) || *s++ != ',' ||
	    !(s = parse_rule_date(s, &z->end)))
		return -1;
	return *s == '\0' ? 0 : -1;
}

/* Local midnight (seconds, as if UTC) of a rule date in year y, + time. */
static int64_t
rule_local(const struct rule_date *r, int64_t y)
{
	int64_t day;
	if (r->kind == 'J') {
		day = ts_days_from_civil(y, 1, 1) + r->a - 1;
		if (is_leap(y) && r->a >= 60)
			day++;
	} else if (r->kind == 'N') {
		day = ts_days_from_civil(y, 1, 1) + r->a;
	} else {
		int64_t first = ts_days_from_civil(y, (unsigned)r->a, 1);
		/* 1970-01-01 was a Thursday (4) */
		int wd = (int)((first % 7 + 11) % 7);
		int64_t d = first + (r->c - wd + 7) % 7 + (r->b - 1) * 7;
		int64_t dim = days_in_month(y, (unsigned)r->a);
		while (d >= first + dim)
			d -= 7;
		day = d;
	}
	return day * DAY_S + r->time;
}

static int32_t
rule_offset(const struct ts_zone *z, int64_t t)
{
	if (!z->has_dst)
		return z->std_off;
	int64_t y;
	unsigned m, d;
	civil_from_days(floor_div(t + z->std_off, DAY_S), &y, &m, &d);
	int64_t start = rule_local(&z->start, y) - z->std_off;
	int64_t end = rule_local(&z->end, y) - z->dst_off;
	if (start < end)
		return t >= start && t < end ? z->dst_off : z->std_off;
	return t >= end && t < start ? z->std_off : z->dst_off;
}

/* Offset at UTC instant t (seconds). */
static int32_t
offset_s(const struct ts_zone *z, int64_t t)
{
	if (!z)
		return 0;
	if (z->ntrans == 0 || t >= z->trans[z->ntrans - 1]) {
		if (z->has_rule &&
		    (z->ntrans == 0 || t >= z->trans[z->ntrans - 1]))
			return rule_offset(z, t);
		if (z->ntrans)
			return z->off[z->idx[z->ntrans - 1]];
		return z->ntypes ? z->off[0] : 0;
	}
	if (t < z->trans[0])
		return z->ntypes ? z->off[0] : 0;
	size_t lo = 0, hi = z->ntrans - 1; /* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[z->idx[lo]];
}

int32_t
ts_zone_offset_at(const struct ts_zone *z, int64_t t_ms)
{
	return offset_s(z, floor_div(t_ms, MS));
}

int64_t
ts_local_to_utc(const struct ts_zone *z, int64_t local_ms)
{
	if (!z)
		return local_ms;
	int64_t sec = floor_div(local_ms, MS);
	int64_t frac = local_ms - sec * MS;
	/* The offsets a day either side cover any transition near us. */
	int32_t early = offset_s(z, sec - DAY_S);
	int32_t late = offset_s(z, sec + DAY_S);
	if (early == late) {
		int32_t o = offset_s(z, sec - early);
		return (sec - o) * MS + frac;
	}
	int64_t ue = sec - early, ul = sec - late;
	int ve = offset_s(z, ue) == early, vl = offset_s(z, ul) == late;
	int64_t u;
	if (ve && vl)
		u = ue < ul ? ue : ul; /* repeated hour: first occurrence */
	else if (ve)
		u = ue;
	else if (vl)
		u = ul;
	else
		u = ue; /* skipped hour: offset before the gap */
	return u * MS + frac;
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

struct ts_zone *
ts_zone_from_tzif(const void *data, size_t len, const char **why)
{
	const unsigned char *p = data, *end = p + len;
	*why = "not a TZif file";
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return NULL;
	int version = p[4] ? p[4] - '0' : 1;
	uint32_t c[6];
	for (int i = 0; i < 6; i++)
		c[i] = be32(p + 20 + 4 * i);
	/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
	size_t v1 = (size_t)c[3] * 5 + (size_t)c[4] * 6 + c[5] +
	    (size_t)c[2] * 8 + c[1] + c[0];
	const unsigned char *q = p + 44;
	int tsize = 4;
	if (version >= 2) {
		q += v1;
		if (q + 44 > end || memcmp(q, "TZif", 4) != 0)
			return NULL;
		for (int i = 0; i < 6; i++)
			c[i] = be32(q + 20 + 4 * i);
		q += 44;
		tsize = 8;
	}
	size_t need = (size_t)c[3] * (size_t)(tsize + 1) + (size_t)c[4] * 6 +
	    c[5] + (size_t)c[2] * (size_t)(tsize + 4) + c[1] + c[0];
	if (c[4] == 0 || c[4] > 256 || (size_t)(end - q) < need)
		return NULL;
	struct ts_zone *z = calloc(1, sizeof *z);
	if (!z)
		return NULL;
	z->ntrans = c[3];
	z->ntypes = c[4];
	z->trans = calloc(z->ntrans + 1, sizeof *z->trans);
	z->idx = calloc(z->ntrans + 1, 1);
	z->off = calloc(z->ntypes, sizeof *z->off);
	z->isdst = calloc(z->ntypes, 1);
	if (!z->trans || !z->idx || !z->off || !z->isdst) {
		ts_zone_free(z);
		*why = "out of memory";
		return NULL;
	}
	for (size_t i = 0; i < z->ntrans; i++, q += tsize)
		z->trans[i] = tsize == 8 ? be64(q) : (int32_t)be32(q);
	for (size_t i = 0; i < z->ntrans; i++) {
		z->idx[i] = *q++;
		if (z->idx[i] >= z->ntypes) {
			ts_zone_free(z);
			return NULL;
		}
	}
	for (size_t i = 0; i < z->ntypes; i++, q += 6) {
		z->off[i] = (int32_t)be32(q);
		z->isdst[i] = q[4];
	}
	q += c[5] + (size_t)c[2] * (size_t)(tsize + 4) + c[1] + c[0];
	if (version >= 2 && q < end && *q == '\n') {
		const unsigned char *e =
		    memchr(q + 1, '\n', (size_t)(end - q - 1));
		if (e && e > q + 1) {
			char rule[128];
			size_t n = (size_t)(e - q - 1);
			if (n < sizeof rule) {
				memcpy(rule, q + 1, n);
				rule[n] = '\0';
				if (parse_rule(z, rule) < 0) {
					*why = "bad TZ rule in TZif footer";
					ts_zone_free(z);
					return NULL;
				}
			}
		}
	}
	*why = NULL;
	return z;
}

struct ts_zone *
ts_zone_load(const char *name, const char **why)
{
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
	    strcmp(name, "Z") == 0 || strcmp(name, "GMT") == 0) {
		struct ts_zone *z = calloc(1, sizeof *z);
		if (!z)
			*why = "out of memory";
		return z; /* no transitions, no types: offset 0 */
	}
	if (!*name || name[0] == '/' || strstr(name, "..")) {
		*why = "not a time zone name";
		return NULL;
	}
	const char *dir = getenv("TZDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/%s",
	    dir && *dir ? dir : "/usr/share/zoneinfo", name);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		*why = "unknown time zone (no such file in the zoneinfo "
		       "folder)";
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (1 << 20)) {
		close(fd);
		*why = "unknown time zone";
		return NULL;
	}
	size_t len = (size_t)st.st_size;
	unsigned char *buf = malloc(len ? len : 1);
	size_t got = 0;
	while (buf && got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf) {
		*why = "out of memory";
		return NULL;
	}
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
	free(z->idx);
	free(z->off);
	free(z->isdst);
	free(z);
}

/* ---- parsing ---- */

/* Reads exactly n digits at s; -1 if any is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';
		if (c > 9)
			return -1;
		v = v * 10 + (int)c;
	}
	return v;
}

/* Builds local ms from fields, validating ranges; -1 when invalid. */
static int
make_time(int64_t y, int mo, int d, int h, int mi, int s, int ms, int64_t *out)
{
	if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > (int)days_in_month(y, (unsigned)mo) || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 60 || ms < 0 || ms > 999)
		return -1;
	if (s == 60) { /* a leap second: the last instant of the minute */
		s = 59;
		ms = 999;
	}
	*out = ((ts_days_from_civil(y, (unsigned)mo, (unsigned)d) * DAY_S +
		    h * 3600 + mi * 60 + s) *
		   MS) +
	    ms;
	return 0;
}

/* Fraction digits after '.' or ',': milliseconds, the rest dropped. */
static size_t
fraction(const char *s, size_t n, int *ms)
{
	size_t i = 0;
	int v = 0, k = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (k < 3) {
			v = v * 10 + (s[i] - '0');
			k++;
		}
		i++;
	}
	while (k < 3) {
		v *= 10;
		k++;
	}
	*ms = v;
	return i;
}

/* Parses Z, z, +HH, +HHMM, +HH:MM, " UTC", " GMT"; returns bytes used. */
static size_t
zone_suffix(const char *s, size_t n, int *has, int32_t *off)
{
	*has = 0;
	if (n == 0)
		return 0;
	if (s[0] == 'Z' || s[0] == 'z') {
		*has = 1;
		*off = 0;
		return 1;
	}
	size_t i = 0;
	if (s[0] == ' ' && n >= 4 &&
	    (memcmp(s + 1, "UTC", 3) == 0 || memcmp(s + 1, "GMT", 3) == 0)) {
		*has = 1;
		*off = 0;
		return 4;
	}
	if (s[0] != '+' && s[0] != '-')
		return 0;
	int sign = s[0] == '-' ? -1 : 1;
	i = 1;
	if (n < 3)
		return (size_t)-1;
	int hh = digits(s + 1, 2), mm = 0;
	if (hh < 0)
		return (size_t)-1;
	i = 3;
	if (i < n && s[i] == ':')
		i++;
	if (i + 2 <= n && s[i] >= '0' && s[i] <= '9') {
		mm = digits(s + i, 2);
		if (mm < 0)
			return (size_t)-1;
		i += 2;
	} else if (i > 3)
		return (size_t)-1; /* "+05:" */
	if (hh > 23 || mm > 59)
		return (size_t)-1;
	*has = 1;
	*off = sign * (hh * 3600 + mm * 60);
	return i;
}

int
ts_parse_iso(const char *s, size_t n, const struct ts_zone *z, int64_t *out)
{
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	int h = 0, mi = 0, sec = 0, ms = 0;
	if (y < 0 || mo < 0 || d < 0)
		return -1;
	size_t i = 10;
	if (i < n &&
	    (s[i] == 'T' || s[i] == 't' ||
		(s[i] == ' ' && i + 1 < n && s[i + 1] >= '0' &&
		    s[i + 1] <= '9'))) {
		i++;
		if (i + 5 > n || s[i + 2] != ':')
			return -1;
		h = digits(s + i, 2);
		mi = digits(s + i + 3, 2);
		if (h < 0 || mi < 0)
			return -1;
		i += 5;
		if (i < n && s[i] == ':') {
			if (i + 3 > n || (sec = digits(s + i + 1, 2)) < 0)
				return -1;
			i += 3;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				size_t k = fraction(s + i + 1, n - i - 1, &ms);
				if (k == 0)
					return -1;
				i += 1 + k;
			}
		}
	}
	int has = 0;
	int32_t off = 0;
	size_t k = zone_suffix(s + i, n - i, &has, &off);
	if (k == (size_t)-1 || i + k != n)
		return -1;
	int64_t local;
	if (make_time(y, mo, d, h, mi, sec, ms, &local) < 0)
		return -1;
	*out = has ? local - (int64_t)off * MS : ts_local_to_utc(z, local);
	return 0;
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
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (i - start >= 19)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		i++;
	}
	size_t nd = i - start;
	if (nd == 0)
		return -1;
	/* unit by the count of integer digits */
	int64_t per_ms_num = 1, per_ms_den = 1; /* ms = v * num / den */
	int frac_digits_ms;
	if (nd <= 11) {
		per_ms_num = 1000;
		frac_digits_ms = 3;
	} else if (nd <= 14) {
		frac_digits_ms = 0;
	} else if (nd <= 17) {
		per_ms_den = 1000;
		frac_digits_ms = -3;
	} else {
		per_ms_den = 1000000;
		frac_digits_ms = -6;
	}
	int64_t ms = (int64_t)(v / (uint64_t)per_ms_den) * per_ms_num;
	if (i < n && s[i] == '.') {
		i++;
		size_t fstart = i;
		int64_t f = 0;
		int k = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (k < frac_digits_ms) {
				f = f * 10 + (s[i] - '0');
				k++;
			}
			i++;
		}
		if (i == fstart)
			return -1;
		while (k < frac_digits_ms) {
			f *= 10;
			k++;
		}
		ms += f;
	}
	if (i != n)
		return -1;
	*out = neg ? -ms : ms;
	/* refuse what cannot be formatted (years 0000-9999) */
	return *out < -62167219200000LL || *out > 253402300799999LL ? -1 : 0;
}

int
ts_parse_auto(const char *s, size_t n, const struct ts_zone *z, int64_t *out)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	size_t i = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
	size_t j = i;
	while (j < n && s[j] >= '0' && s[j] <= '9')
		j++;
	if (j > i && (j == n || s[j] == '.'))
		return ts_parse_epoch(s, n, out);
	return ts_parse_iso(s, n, z, out);
}

int
ts_parse_duration(const char *s, int64_t *out_ms)
{
	size_t n = strlen(s);
	if (n == 0)
		return -1;
	int64_t mult = 1000;
	switch (s[n - 1]) {
	case 's':
		mult = 1000;
		n--;
		break;
	case 'm':
		mult = 60 * 1000;
		n--;
		break;
	case 'h':
		mult = 3600 * 1000;
		n--;
		break;
	case 'd':
		mult = DAY_S * 1000;
		n--;
		break;
	case 'w':
		mult = 7 * DAY_S * 1000;
		n--;
		break;
	}
	if (n == 0 || n > 30)
		return -1;
	char tmp[32];
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!(isdigit((unsigned char)tmp[i]) || tmp[i] == '.'))
			return -1;
	char *end;
	double v = strtod(tmp, &end);
	if (*end || v < 0 || v * (double)mult > 9e18)
		return -1;
	*out_ms = (int64_t)(v * (double)mult + 0.5);
	return 0;
}

/* ---- strptime-style formats ---- */

struct ts_fmt {
	size_t n;
	char *op;  /* conversion letter, or 0 for a literal, ' ' for blanks */
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
	char *o = realloc(f->op, f->n + 1), *l;
	if (!o)
		return -1;
	f->op = o;
	l = realloc(f->lit, f->n + 1);
	if (!l)
		return -1;
	f->lit = l;
	f->op[f->n] = op;
	f->lit[f->n++] = lit;
	return 0;
}

struct ts_fmt *
ts_fmt_compile(const char *fmt, const char **why)
{
	struct ts_fmt *f = calloc(1, sizeof *f);
	int rc = 0;

	if (!f) {
		*why = "out of memory";
		return NULL;
	}
	for (const char *p = fmt; *p && rc == 0; p++) {
		if (*p == ' ' || *p == '\t') {
			rc = push_op(f, ' ', 0);
			continue;
		}
		if (*p != '%') {
			rc = push_op(f, 0, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 'T': /* %H:%M:%S */
			rc = push_op(f, 'H', 0) | push_op(f, 0, ':') |
			    push_op(f, 'M', 0) | push_op(f, 0, ':') |
			    push_op(f, 'S', 0);
			break;
		case 'D': /* %m/%d/%y */
			rc = push_op(f, 'm', 0) | push_op(f, 0, '/') |
			    push_op(f, 'd', 0) | push_op(f, 0, '/') |
			    push_op(f, 'y', 0);
			break;
		case 'F': /* %Y-%m-%d */
			rc = push_op(f, 'Y', 0) | push_op(f, 0, '-') |
			    push_op(f, 'm', 0) | push_op(f, 0, '-') |
			    push_op(f, 'd', 0);
			break;
		case 'n':
		case 't': rc = push_op(f, ' ', 0); break;
		case '%': rc = push_op(f, 0, '%'); break;
		case 'h':
		case 'B': rc = push_op(f, 'b', 0); break;
		case 'A': rc = push_op(f, 'a', 0); break;
		case 'e': rc = push_op(f, 'd', 0); break;
		case 'Y':
		case 'y':
		case 'm':
		case 'd':
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
			*why = *p ? "unknown conversion (see TIMES in "
				    "jt-ingest(1))"
				  : "a lone '%' at the end";
			ts_fmt_free(f);
			return NULL;
		}
	}
	if (rc) {
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
	while (i < n && i < max && s[i] >= '0' && s[i] <= '9')
		*v = *v * 10 + (s[i++] - '0');
	return i;
}

/* Matches an English name (full or its first three letters), any case. */
static size_t
name(const char *s, size_t n, const char *const *names, int count, int *out)
{
	for (int k = 0; k < count; k++) {
		size_t len = strlen(names[k]);
		if (n >= len && strncasecmp(s, names[k], len) == 0) {
			*out = k;
			return len;
		}
	}
	for (int k = 0; k < count; k++)
		if (n >= 3 && strncasecmp(s, names[k], 3) == 0) {
			*out = k;
			/* "Sept" is a common four-letter form */
			if (k == 8 && n >= 4 && (s[3] == 't' || s[3] == 'T'))
				return 4;
			return 3;
		}
	return 0;
}

int
ts_fmt_parse(const struct ts_fmt *f, const char *s, size_t n,
    const struct ts_zone *z, int64_t *out)
{
	int64_t y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, yday = -1;
	int ms = 0, pm = -1, hour12 = 0, has_off = 0, has_epoch = 0;
	int32_t off = 0;
	int64_t epoch = 0, v;
	size_t i = 0, k;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (size_t o = 0; o < f->n; o++) {
		char op = f->op[o];
		switch (op) {
		case 0:
			if (i >= n || s[i] != f->lit[o])
				return -1;
			i++;
			break;
		case ' ':
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			break;
		case 'Y':
			if (!(k = num(s + i, n - i, 4, &y)))
				return -1;
			i += k;
			break;
		case 'y':
			if (!(k = num(s + i, n - i, 2, &v)))
				return -1;
			y = v < 69 ? 2000 + v : 1900 + v;
			i += k;
			break;
		case 'm':
			if (!(k = num(s + i, n - i, 2, &mo)))
				return -1;
			i += k;
			break;
		case 'd':
			if (i < n && s[i] == ' ')
				i++; /* %e pads with a blank */
			if (!(k = num(s + i, n - i, 2, &d)))
				return -1;
			i += k;
			break;
		case 'H':
		case 'I':
			if (!(k = num(s + i, n - i, 2, &h)))
				return -1;
			hour12 |= op == 'I';
			i += k;
			break;
		case 'M':
			if (!(k = num(s + i, n - i, 2, &mi)))
				return -1;
			i += k;
			break;
		case 'S':
			if (!(k = num(s + i, n - i, 2, &sec)))
				return -1;
			i += k;
			break;
		case 'f':
			if (!(k = fraction(s + i, n - i, &ms)))
				return -1;
			i += k;
			break;
		case 'j':
			if (!(k = num(s + i, n - i, 3, &yday)) || yday < 1 ||
			    yday > 366)
				return -1;
			i += k;
			break;
		case 'p':
			if (n - i >= 2 && strncasecmp(s + i, "am", 2) == 0)
				pm = 0;
			else if (n - i >= 2 && strncasecmp(s + i, "pm", 2) == 0)
				pm = 1;
			else
				return -1;
			i += 2;
			break;
		case 'b': {
			int m;
			if (!(k = name(s + i, n - i, months, 12, &m)))
				return -1;
			mo = m + 1;
			i += k;
			break;
		}
		case 'a': {
			int w;
			if (!(k = name(s + i, n - i, wdays, 7, &w)))
				return -1;
			i += k;
			break;
		}
		case 'z':
		case 'Z':
			if (op == 'Z') {
				if (n - i >= 3 &&
				    (strncmp(s + i, "UTC", 3) == 0 ||
					strncmp(s + i, "GMT", 3) == 0))
					k = 3;
				else if (i < n && s[i] == 'Z')
					k = 1;
				else
					return -1;
				has_off = 1;
				off = 0;
			} else {
				int has;
				k = zone_suffix(s + i, n - i, &has, &off);
				if (k == (size_t)-1 || !has || s[i] == ' ')
					return -1;
				has_off = 1;
			}
			i += k;
			break;
		case 's': {
			int neg = i < n && s[i] == '-';
			if (!(k = num(s + i + neg, n - i - neg, 12, &epoch)))
				return -1;
			if (neg)
				epoch = -epoch;
			has_epoch = 1;
			i += k + neg;
			break;
		}
		}
	}
	if (i != n)
		return -1;
	if (has_epoch) {
		*out = epoch * MS + ms;
		return 0;
	}
	if (hour12) {
		if (h < 1 || h > 12)
			return -1;
		if (pm >= 0)
			h = h % 12 + (pm ? 12 : 0);
	} else if (pm == 1 && h < 12)
		h += 12;
	if (yday > 0) {
		if (yday > 365 + is_leap(y))
			return -1;
		int64_t days = ts_days_from_civil(y, 1, 1) + yday - 1;
		int64_t yy;
		unsigned mm, dd;
		civil_from_days(days, &yy, &mm, &dd);
		mo = mm;
		d = dd;
	}
	int64_t local;
	if (make_time(
		y, (int)mo, (int)d, (int)h, (int)mi, (int)sec, ms, &local) < 0)
		return -1;
	*out = has_off ? local - (int64_t)off * MS : ts_local_to_utc(z, local);
	return 0;
}
