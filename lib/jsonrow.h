/*
 * jsonrow: one JSON object per line, values looked up by dotted path.
 *
 * A path "context.campaign.medium" names a value in nested objects, or
 * under a key that itself holds dots; a number indexes an array
 * ("items.0.sku").  Values become text: strings decoded (U+0000 becomes
 * U+FFFD), numbers, true and false exactly as written, null present but
 * empty, objects and arrays as their JSON text.  The whole line is checked
 * against RFC 8259; nesting deeper than 64 is refused.
 */
#ifndef JT_JSONROW_H
#define JT_JSONROW_H

#include <stddef.h>

#include "buf.h"

struct jsonrow;

struct jsonrow *jsonrow_new(void);
/*
 * Parses one line.  Returns 0, or -1 with a reason in why (size whylen):
 * "invalid JSON: <what> at column N", "not a JSON object".  The line must
 * be valid UTF-8 (the caller checks) and stay unchanged until the next
 * call: values are read from it.
 */
int jsonrow_parse(
    struct jsonrow *j, const char *s, size_t n, char *why, size_t whylen);
/*
 * The text of the value at path into out (cleared first).  Returns 1 when
 * the path exists (also for null, which gives ""), 0 when it does not.
 */
int jsonrow_get(struct jsonrow *j, const char *path, struct buf *out);
/*
 * Calls fn(path, arg) for each scalar leaf of the current object, nested
 * objects flattened with dots, in document order (arrays count as leaves,
 * empty objects are skipped).
 */
void jsonrow_leaves(
    struct jsonrow *j, void (*fn)(const char *, void *), void *arg);
void jsonrow_free(struct jsonrow *j);

#endif
