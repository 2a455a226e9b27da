/*
 * pathtab: journeys held as interned channel paths, the input of every
 * attribution model.
 *
 * A row is one journey of jt-journey --output journeys, or one row of a
 * path table (path,total_conversions,total_conversion_value,total_null),
 * which stands for total_conversions converting and total_null
 * non-converting journeys with the same path.  Its path is split on '>'
 * with spaces and tabs around each channel trimmed, so "a > b" and "a>b"
 * are the same path.  Channels get dense ids in order of first appearance
 * (a strtab).  Counts may be fractional.  Pure: no I/O.
 */
#ifndef JT_PATHTAB_H
#define JT_PATHTAB_H

#include <stddef.h>
#include <stdint.h>

#include "strtab.h"

#define PATHTAB_CACHE_BITS 8

struct pathtab {
	struct strtab *chan; /* channel names; id = index */
	size_t n;            /* rows */
	size_t *off;         /* touches of row i: tch[off[i] .. off[i+1]) */
	uint32_t *tch;       /* channel ids of every touch */
	double *age;         /* seconds from each touch to the journey's end,
				parallel to tch; NULL unless with_age */
	double *conv, *value, *null; /* per row */
	size_t cap, tcap;
	/* private: the row being parsed, and a cache of channel ids */
	size_t *seg, segcap;
	struct pathtab_cache {
		const char *s;
		size_t n;
		uint64_t a, b; /* its first and last 8 bytes */
		uint32_t id;
	} cache[1 << PATHTAB_CACHE_BITS];
};

/*
 * A new empty table; with_age nonzero keeps a touch age per touch (the
 * path_age_s column of journeys).  Free with pathtab_free.
 */
struct pathtab *pathtab_new(int with_age);
void pathtab_free(struct pathtab *t);

/*
 * Appends a row: path[0..n) is split into channels; ages (when the table
 * keeps them) is the ';'-joined list of touch ages, one per touch.
 * Returns 0, or -1 with a static reason in *why (an empty path, an empty
 * channel between separators, an age list that does not match the path,
 * an age that is not a number >= 0); the table is unchanged then.
 */
int pathtab_add(struct pathtab *t, const char *path, size_t n, const char *ages,
    size_t agelen, double conv, double value, double null, const char **why);

/* Channels seen so far. */
static inline uint32_t
pathtab_nchannels(const struct pathtab *t)
{
	return strtab_count(t->chan);
}

/* The name of channel id (valid until pathtab_free). */
const char *pathtab_channel(const struct pathtab *t, uint32_t id);

/* The id of the channel named name, or UINT32_MAX. */
uint32_t pathtab_find(const struct pathtab *t, const char *name);

/*
 * Parses a count or amount: a finite decimal number >= 0; an empty field
 * is 0.  Returns 0, or -1 when s[0..n) is not such a number.
 */
int pathtab_number(const char *s, size_t n, double *out);

/*
 * Channel ids ordered by name (bytewise): a new array of
 * pathtab_nchannels(t) ids, owned by the caller.
 */
uint32_t *pathtab_by_name(const struct pathtab *t);

#endif
