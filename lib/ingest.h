/*
 * ingest: shaping a source's rows into events (jt-ingest(1)).
 *
 * A plan, built once per input from its column names, says where each
 * output column comes from: a --map source column, a column passed through
 * under its own name (all, or those of --keep), a --set constant, the
 * --source name, or the derived channel.  Per row, ingest_row fills the
 * output values and normalises them: the time to UTC, identifiers, the
 * channel, the value; then applies --where.  The plan owns the buffers the
 * output values live in (valid until the next ingest_row).
 */
#ifndef JT_INGEST_H
#define JT_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "channel.h"
#include "re.h"
#include "spec.h"
#include "ts.h"

struct ingest_where {
	char *col;  /* output column */
	int negate; /* !~ */
	struct re *re;
};

struct ingest_conf {
	struct spec_pair *map;
	size_t nmap;
	struct spec_pair *set;
	size_t nset;
	char **keep; /* NULL: pass every unmapped column through */
	size_t nkeep;
	int keep_given;
	struct ingest_where *where;
	size_t nwhere;
	const char *source;    /* --source, or NULL: the file's base name */
	struct ts_fmt *ts_fmt; /* NULL: auto-detect */
	struct ts_zone *tz;    /* NULL: UTC */
	const char *phone_country;
	int channels_web;
	const char *site;
	struct channel_rules *rules;
};

/* Counters shared by all inputs, for the summary. */
#define INGEST_MAX_IDCOLS 32
struct ingest_stats {
	uint64_t filtered;
	uint64_t no_id;
	size_t nid;
	struct {
		char *col; /* owned */
		uint64_t junk;
	} id[INGEST_MAX_IDCOLS];
};

struct ingest_plan;

/*
 * Builds the plan for an input with source columns src[0..nsrc).
 * base_name names the input for the default source column.  Returns NULL
 * with a message in why when a --map source column is missing or the
 * output has no 'ts' column.
 */
struct ingest_plan *ingest_plan_new(const struct ingest_conf *c,
    char *const *src, size_t nsrc, const char *base_name, int src_is_json,
    char *why, size_t whylen);
/* The plan's output columns (unordered; the caller orders the union). */
size_t ingest_plan_ncols(const struct ingest_plan *p);
const char *ingest_plan_col(const struct ingest_plan *p, size_t i);

/*
 * Nonzero when output column i never needs CSV quoting: the time, a
 * validated value, a snake_case channel, digits-only phones.
 */
int ingest_plan_plain(const struct ingest_plan *p, size_t i);

enum ingest_result { INGEST_KEEP, INGEST_FILTERED, INGEST_REJECT };

/*
 * Shapes one row: src/srclen are the source values.  On INGEST_KEEP,
 * out[i]/outlen[i] hold output column i's value.  On INGEST_REJECT the
 * reason is in why.
 */
enum ingest_result ingest_row(struct ingest_plan *p, const char *const *src,
    const size_t *srclen, struct ingest_stats *st, const char **out,
    size_t *outlen, char *why, size_t whylen);
void ingest_plan_free(struct ingest_plan *p);

/* The default source name of a path: base name without extensions. */
void ingest_base_name(const char *path, struct buf *out);

void ingest_stats_free(struct ingest_stats *st);

#endif
