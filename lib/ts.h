/*
 * ts: time parsing and formatting.
 *
 * A time is an int64_t count of milliseconds since 1970-01-01T00:00:00Z
 * (proleptic Gregorian calendar, no leap seconds).  Years 0000-9999 only.
 * Formatting is always UTC, fixed width: YYYY-MM-DDTHH:MM:SS.sssZ (24 bytes).
 *
 * Zone-less local times are converted with a struct ts_zone read from the
 * system's TZif files (/usr/share/zoneinfo, or $TZDIR), including the POSIX
 * TZ rule at the end of version 2+ files for times after the last listed
 * transition.  Nothing here calls mktime, localtime or setenv("TZ"): all of
 * it is pure arithmetic and safe to call per row.
 *
 * Local times that fall in a DST gap (the skipped hour) are read with the
 * offset in force before the gap, so they land after it (02:30 on a
 * spring-forward night in New York becomes 07:30Z = 03:30 EDT); local times
 * in a repeated hour take the first occurrence (the earlier, daylight one).
 * This is what Python's zoneinfo does with fold=0.
 */
#ifndef JT_TS_H
#define JT_TS_H

#include <stddef.h>
#include <stdint.h>

#define TS_FORMAT_LEN 24 /* strlen("2026-11-22T14:52:19.000Z") */

struct ts_zone; /* opaque */

/*
 * Loads zone NAME ("UTC", "America/New_York", ...) from $TZDIR or
 * /usr/share/zoneinfo.  Returns NULL and sets *why to a static message when
 * the name is unknown or the file is malformed.  Names containing ".." or
 * starting with '/' are refused.  The caller owns the result (ts_zone_free).
 */
struct ts_zone *ts_zone_load(const char *name, const char **why);
/* Loads a zone from TZif bytes in memory (for tests); like ts_zone_load. */
struct ts_zone *ts_zone_from_tzif(
    const void *data, size_t len, const char **why);
void ts_zone_free(struct ts_zone *z);
/* The UTC offset in seconds at UTC instant t_ms in zone z. */
int32_t ts_zone_offset_at(const struct ts_zone *z, int64_t t_ms);
/*
 * Converts a local wall-clock time (ms since 1970-01-01T00:00 local) to UTC
 * ms with the gap and repeated-hour rules above.  z NULL means UTC.
 */
int64_t ts_local_to_utc(const struct ts_zone *z, int64_t local_ms);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);

/*
 * Writes t_ms as YYYY-MM-DDTHH:MM:SS.sssZ into out (TS_FORMAT_LEN bytes plus
 * a NUL).  Returns 0, or -1 when the year is outside 0000-9999.
 */
int ts_format(int64_t t_ms, char out[TS_FORMAT_LEN + 1]);

/*
 * Parses ISO 8601 / RFC 3339 text of length n:
 *   YYYY-MM-DD
 *   YYYY-MM-DD[T| ]HH:MM[:SS[(.|,)fraction]][Z|z|(+|-)HH[:]MM|(+|-)HH| UTC]
 * Fraction digits past milliseconds are truncated.  Without an offset the
 * time is local to zone z (NULL = UTC).  Returns 0 and sets *out, or -1.
 */
int ts_parse_iso(
    const char *s, size_t n, const struct ts_zone *z, int64_t *out);

/*
 * Parses exactly jt's own format, YYYY-MM-DDTHH:MM:SS.sssZ (what
 * ts_format writes), fast; returns -1 for anything else (then use
 * ts_parse_iso).  Keeps the last date in a process-wide cache.
 */
int ts_parse_canonical(const char *s, size_t n, int64_t *out);

/*
 * Parses an epoch number: optional '-', digits, optional '.' and fraction.
 * The unit is decided by the count of integer digits (documented in
 * jt-ingest(1)): up to 11 digits seconds, 12-14 milliseconds,
 * 15-17 microseconds, 18-19 nanoseconds.  Returns 0 or -1.
 */
int ts_parse_epoch(const char *s, size_t n, int64_t *out);

/*
 * Auto-detection: epoch when the text is a number (ts_parse_epoch), else
 * ISO 8601 (ts_parse_iso).  Leading and trailing blanks are ignored.
 */
int ts_parse_auto(
    const char *s, size_t n, const struct ts_zone *z, int64_t *out);

/*
 * A strptime-style format compiled once and applied per row.
 * Conversions: %Y %y %m %d %e %H %I %M %S %f (fraction, 1-9 digits)
 * %p (AM/PM) %b %B %h (English month names, any case) %a %A (English day
 * names, checked for shape only) %j (day of year) %z (+HHMM, +HH:MM, Z)
 * %Z (UTC, GMT, Z only) %s (epoch seconds) %T (%H:%M:%S) %D (%m/%d/%y)
 * %F (%Y-%m-%d) %n %t (any blanks) %% ; a blank in the format matches any
 * run of blanks (including none).  Every other byte must match itself.
 * Numbers accept 1 to their full width of digits (%Y 4, %d 2, ...).
 * Missing fields default to 1970-01-01 00:00:00.
 */
struct ts_fmt;
/* Compiles fmt; NULL and *why set (static text) on an unknown conversion. */
struct ts_fmt *ts_fmt_compile(const char *fmt, const char **why);
void ts_fmt_free(struct ts_fmt *f);
/*
 * Parses s (length n, whole string must match, surrounding blanks allowed)
 * with f.  Without %z, %Z or %s the time is local to z (NULL = UTC).
 * Returns 0 and sets *out, or -1.
 */
int ts_fmt_parse(const struct ts_fmt *f, const char *s, size_t n,
    const struct ts_zone *z, int64_t *out);

/*
 * Parses a duration "90", "90s", "30m", "1.5h", "7d", "2w" (no unit means
 * seconds).  Returns 0 and sets *out_ms, or -1.
 */
int ts_parse_duration(const char *s, int64_t *out_ms);

#endif
