/*
 * weblog: Common/Combined Log Format lines, cut in place.
 *
 * The parser walks the line once: host, ident and user are blank-separated
 * words; the time is between [ and ]; the request, referrer and agent are
 * double-quoted with backslash escapes; status and bytes are words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts.h"
#include "weblog.h"

const char *const weblog_columns[WEBLOG_NFIELDS] = { "ip", "ident", "user",
	"ts", "method", "url", "protocol", "status", "bytes", "referrer",
	"user_agent" };

static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static void
set(struct weblog_rec *r, int i, char *s, size_t n)
{
	s[n] = '\0';
	/* "-" is the formats' "no value" */
	if (n == 1 && s[0] == '-') {
		s[0] = '\0';
		n = 0;
	}
	r->f[i] = s;
	r->len[i] = n;
}

/* A blank-separated word at *p; NULL at the end of the line. */
static char *
word(char **p, char *end, size_t *n)
{
	char *s = *p;
	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return NULL;
	char *e = s;
	while (e < end && *e != ' ')
		e++;
	*n = (size_t)(e - s);
	*p = e < end ? e + 1 : e;
	return s;
}

/* A double-quoted field with \" and \\ escapes, undone in place. */
static char *
quoted(char **p, char *end, size_t *n)
{
	char *s = *p;
	while (s < end && *s == ' ')
		s++;
	if (s == end || *s != '"')
		return NULL;
	char *out = ++s, *w = s;
	while (s < end && *s != '"') {
		if (*s == '\\' && s + 1 < end &&
		    (s[1] == '"' || s[1] == '\\')) {
			*w++ = s[1];
			s += 2;
			continue;
		}
		*w++ = *s++;
	}
	if (s == end)
		return NULL;
	*n = (size_t)(w - out);
	*p = s + 1;
	if (*p < end && **p != ' ')
		return NULL;
	return out;
}

static int
two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* dd/Mon/yyyy:HH:MM:SS +zzzz */
static int
parse_time(const char *s, size_t n, int64_t *out)
{
	if (n != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' ||
	    s[14] != ':' || s[17] != ':' || s[20] != ' ' ||
	    (s[21] != '+' && s[21] != '-'))
		return -1;
	int m = -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(s + 3, mon[i], 3) == 0)
			m = i + 1;
	int d = two(s), yh = two(s + 7), yl = two(s + 9), h = two(s + 12),
	    mi = two(s + 15), sec = two(s + 18), oh = two(s + 22),
	    om = two(s + 24);
	if (m < 0 || d < 1 || yh < 0 || yl < 0 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 60 || oh < 0 || oh > 23 || om < 0 ||
	    om > 59)
		return -1;
	int64_t y = yh * 100 + yl;
	int64_t first = ts_days_from_civil(y, (unsigned)m, 1);
	int64_t next = m == 12 ? ts_days_from_civil(y + 1, 1, 1)
			       : ts_days_from_civil(y, (unsigned)m + 1, 1);
	if (d > next - first)
		return -1; /* 31/Feb */
	if (sec == 60)
		sec = 59; /* a leap second, as ts.c reads it */
	int64_t local = ((first + d - 1) * 86400 + h * 3600 + mi * 60 + sec);
	int64_t off = (oh * 3600 + om * 60) * (s[21] == '-' ? -1 : 1);
	*out = (local - off) * 1000;
	return 0;
}

static int
digits_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

int
weblog_parse(char *s, size_t n, int combined, struct weblog_rec *rec,
    char *whybuf, size_t whylen)
{
	char *p = s, *end = s + n, *f;
	size_t len;
	const char *kind = combined ? "combined" : "common";

	for (int i = 0; i < WEBLOG_NFIELDS; i++) {
		rec->f[i] = end; /* *end is NUL: an empty field */
		rec->len[i] = 0;
	}
	*end = '\0';
	for (int i = WEBLOG_IP; i <= WEBLOG_USER; i++) {
		if (!(f = word(&p, end, &len)) ||
		    (i < WEBLOG_USER && p >= end)) {
			snprintf(whybuf, whylen,
			    "not a %s log line: too few "
			    "fields",
			    kind);
			return -1;
		}
		set(rec, i, f, len);
	}
	while (p < end && *p == ' ')
		p++;
	char *close =
	    p < end && *p == '[' ? memchr(p, ']', (size_t)(end - p)) : NULL;
	if (!close) {
		snprintf(whybuf, whylen,
		    "not a %s log line: expected "
		    "[time]",
		    kind);
		return -1;
	}
	if (parse_time(p + 1, (size_t)(close - p - 1), &rec->ts_ms) < 0) {
		snprintf(whybuf, whylen, "invalid time '%.*s'",
		    (int)(close - p - 1 < 40 ? close - p - 1 : 40), p + 1);
		return -1;
	}
	p = close + 1;
	char *req = quoted(&p, end, &len);
	if (!req) {
		snprintf(whybuf, whylen,
		    "not a %s log line: expected "
		    "\"request\"",
		    kind);
		return -1;
	}
	/* METHOD URL PROTOCOL; anything else is kept whole as the url */
	char *sp1 = memchr(req, ' ', len);
	char *sp2 =
	    sp1 ? memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - req)) : NULL;
	if (sp1 && sp2 &&
	    !memchr(sp2 + 1, ' ', len - (size_t)(sp2 + 1 - req)) && sp1 > req &&
	    sp2 > sp1 + 1) {
		size_t plen = len - (size_t)(sp2 + 1 - req);
		set(rec, WEBLOG_METHOD, req, (size_t)(sp1 - req));
		set(rec, WEBLOG_URL, sp1 + 1, (size_t)(sp2 - sp1 - 1));
		set(rec, WEBLOG_PROTOCOL, sp2 + 1, plen);
	} else {
		rec->f[WEBLOG_METHOD] = end;
		rec->f[WEBLOG_PROTOCOL] = end;
		set(rec, WEBLOG_URL, req, len);
	}
	if (!(f = word(&p, end, &len)) || len != 3 || !digits_only(f, 3)) {
		snprintf(whybuf, whylen,
		    "not a %s log line: expected a "
		    "3-digit status",
		    kind);
		return -1;
	}
	set(rec, WEBLOG_STATUS, f, len);
	if (!(f = word(&p, end, &len)) ||
	    !(digits_only(f, len) || (len == 1 && f[0] == '-'))) {
		snprintf(whybuf, whylen,
		    "not a %s log line: expected a byte "
		    "count",
		    kind);
		return -1;
	}
	set(rec, WEBLOG_BYTES, f, len);
	if (!combined) {
		while (p < end && *p == ' ')
			p++;
		if (p != end) {
			snprintf(whybuf, whylen,
			    "not a common log line: text "
			    "after the byte count (a combined log?)");
			return -1;
		}
		return 0;
	}
	if (!(f = quoted(&p, end, &len))) {
		snprintf(whybuf, whylen,
		    "not a combined log line: missing "
		    "referrer field");
		return -1;
	}
	set(rec, WEBLOG_REFERRER, f, len);
	if (!(f = quoted(&p, end, &len))) {
		snprintf(whybuf, whylen,
		    "not a combined log line: missing "
		    "user agent field");
		return -1;
	}
	set(rec, WEBLOG_USER_AGENT, f, len);
	/* further fields (some servers log more) are ignored */
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
weblog_decode(const char *s, size_t n, char *out, int plus)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (plus && s[i] == '+')
			out[o++] = ' ';
		else
			out[o++] = s[i];
	}
	out[o] = '\0';
	return o;
}

void
weblog_query(const char *url, size_t n,
    void (*fn)(const char *, size_t, const char *, size_t, void *), void *arg)
{
	const char *q = memchr(url, '?', n);
	if (!q)
		return;
	const char *end = url + n;
	const char *hash = memchr(q, '#', (size_t)(end - q));
	if (hash)
		end = hash;
	char small[512];
	for (const char *p = q + 1; p < end;) {
		const char *amp = p;
		while (amp < end && *amp != '&' && *amp != ';')
			amp++;
		const char *eq = memchr(p, '=', (size_t)(amp - p));
		const char *ke = eq ? eq : amp;
		const char *vs = eq ? eq + 1 : amp;
		size_t kn = (size_t)(ke - p), vn = (size_t)(amp - vs);
		if (kn > 0) {
			char *buf = small;
			char *big = NULL;
			if (kn + vn + 2 > sizeof small) {
				big = malloc(kn + vn + 2);
				if (!big)
					return;
				buf = big;
			}
			size_t dk = weblog_decode(p, kn, buf, 1);
			size_t dv = weblog_decode(vs, vn, buf + dk + 1, 1);
			if (dk > 0)
				fn(buf, dk, buf + dk + 1, dv, arg);
			free(big);
		}
		p = amp < end ? amp + 1 : end;
	}
}
