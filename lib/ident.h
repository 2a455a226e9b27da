/*
 * ident: normalisation of identifier values, as jt-ingest(1) documents it.
 *
 *   id_email  trimmed, lower-cased (the whole address; no provider rules)
 *   id_phone  digits only (a leading '+' or "00" marks an international
 *             number); a national number (no '+'/"00") gets the default
 *             country code; a number whose digits already start with the
 *             country code and are longer than a national number keeps it.
 *   others    trimmed
 * A value in the junk list becomes empty: see ident_is_junk.
 */
#ifndef JT_IDENT_H
#define JT_IDENT_H

#include <stddef.h>

#include "buf.h"

enum ident_kind { IDENT_OTHER, IDENT_EMAIL, IDENT_PHONE };

/* The kind of an id column: id_email and id_phone are special. */
enum ident_kind ident_kind(const char *column);

/*
 * Normalises s[0..n) of the given kind into out (cleared first).
 * country: digits of the default country calling code ("1", "44"), or NULL
 * to leave national numbers as they are.  Returns 0 when the result is a
 * usable identifier, 1 when it is junk (out is then empty).
 */
int ident_normalise(enum ident_kind kind, const char *s, size_t n,
    const char *country, struct buf *out);

/*
 * True when the trimmed, lower-cased value is junk: empty, "null", "none",
 * "nil", "nan", "n/a", "na", "-", "undefined", "unknown", "anonymous",
 * "guest", "test", "invalid", "[object object]", "0", "-1", "true",
 * "false", all zeros (with separators: "000-000-0000", the all-zero
 * UUID), one repeated digit of 7+ ("1111111111"), "test@test.com",
 * "none@none.com", "noemail@...", "no@email.com", "example@example.com".
 */
int ident_is_junk(const char *s, size_t n);

#endif
