/*
 * jsonrow: one JSON object per line, values looked up by dotted path.
 *
 * Uses jansson.  A path "context.campaign.medium" walks nested objects; a
 * key that itself contains dots is found too (the longest key matching a
 * prefix of the remaining path wins).  Values become text: strings as they
 * are, numbers as JSON writes them (integers exactly, reals with up to 17
 * significant digits), true/false, null = empty, objects and arrays as
 * compact JSON.
 */
#ifndef JT_JSONROW_H
#define JT_JSONROW_H

#include <stddef.h>

#include "buf.h"

struct jsonrow;

struct jsonrow *jsonrow_new(void);
/*
 * Parses one line.  Returns 0, or -1 with a reason in why (size whylen):
 * "invalid JSON: <jansson's text> at column N", "not a JSON object".
 */
int jsonrow_parse(struct jsonrow *j, const char *s, size_t n, char *why,
    size_t whylen);
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
void jsonrow_leaves(struct jsonrow *j, void (*fn)(const char *, void *),
    void *arg);
void jsonrow_free(struct jsonrow *j);

#endif
