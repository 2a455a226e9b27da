/*
 * weblog: Common and Combined Log Format lines (Apache, NGINX) and URL
 * query strings.
 *
 * CLF:      host ident authuser [dd/Mon/yyyy:HH:MM:SS +zzzz] "request" status
 * bytes Combined: CLF "referer" "user-agent" The request "METHOD URL PROTOCOL"
 * is split in three; a request that is not three words (e.g. "-" or garbage
 * from scanners) gives method empty, url = the whole request, protocol empty.
 * A field that is exactly "-" (the formats' "no value") becomes empty.
 */
#ifndef JT_WEBLOG_H
#define JT_WEBLOG_H

#include <stddef.h>
#include <stdint.h>

enum {
	WEBLOG_IP,
	WEBLOG_IDENT,
	WEBLOG_USER,
	WEBLOG_TS,
	WEBLOG_METHOD,
	WEBLOG_URL,
	WEBLOG_PROTOCOL,
	WEBLOG_STATUS,
	WEBLOG_BYTES,
	WEBLOG_REFERRER,
	WEBLOG_USER_AGENT,
	WEBLOG_NFIELDS
};
/* Column names, in the order above. */
extern const char *const weblog_columns[WEBLOG_NFIELDS];

struct weblog_rec {
	/* Fields point into a buffer owned by the caller's struct; each is
	 * NUL-terminated.  Escapes \" and \\ inside quoted fields are
	 * undone. */
	char *f[WEBLOG_NFIELDS];
	size_t len[WEBLOG_NFIELDS];
	int64_t ts_ms; /* the [time] field converted to UTC */
};

/*
 * Parses one line (s is modified in place: fields are cut out of it).
 * combined nonzero requires the referrer and user-agent fields.  Returns 0,
 * or -1 with a reason written into whybuf ("not a combined log line:
 * missing user agent field", "invalid time '...'").
 */
int weblog_parse(char *s, size_t n, int combined, struct weblog_rec *rec,
    char *whybuf, size_t whylen);

/*
 * Query strings.  Calls fn(name, nlen, value, vlen, arg) for each
 * "name=value" pair of the query part of url (after '?', before '#'),
 * both percent-decoded and '+' as space, into scratch storage that stays
 * valid only during the call.  Pairs with an empty name are skipped.
 */
void weblog_query(const char *url, size_t n,
    void (*fn)(const char *, size_t, const char *, size_t, void *), void *arg);
/*
 * Percent-decodes s[0..n) into out (which must hold n+1 bytes); plus
 * nonzero turns '+' into ' '.  Invalid escapes are kept as they are.
 * Returns the decoded length.
 */
size_t weblog_decode(const char *s, size_t n, char *out, int plus);

#endif
