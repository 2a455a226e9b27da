/*
 * source: one input of jt-ingest read as rows of named columns, whatever
 * its format (CSV/TSV, JSON lines, Common/Combined Log Format, --regex).
 *
 * Columns by format:
 *   csv, tsv   the header
 *   jsonl      the requested paths (opts->paths), or, when none are given,
 *              every scalar leaf path found in the input (a first pass
 *              over the input collects them in order of first appearance)
 *   clf        ip,ident,user,ts,method,url,protocol,status,bytes
 *   combined   the same, then referrer,user_agent
 *   regex      the pattern's named groups
 * With query_columns (clf, combined, regex with a 'url' group), every
 * query-string parameter seen in the url column becomes a column q_<name>,
 * URL-decoded (a first pass collects the names).  A first pass over stdin
 * spools it to a temporary file, removed on exit.
 */
#ifndef JT_SOURCE_H
#define JT_SOURCE_H

#include <stddef.h>

#include "csvin.h"
#include "re.h"

enum source_format {
	SOURCE_CSV,
	SOURCE_TSV,
	SOURCE_JSONL,
	SOURCE_CLF,
	SOURCE_COMBINED,
	SOURCE_REGEX
};

struct source_opts {
	enum source_format format;
	char delim;        /* csv: 0 = ',' */
	size_t max_field;  /* 0 = default (1 MiB); also the line limit */
	const char *regex; /* SOURCE_REGEX: the pattern */
	int query_columns;
	int encoding;  /* enum utf8_encoding of the input */
	int no_header; /* csv, tsv: no header row; columns c1..cN */
	char **paths;  /* jsonl: columns to read; NULL = discover */
	size_t npaths;
};

/* Parses a format name; -1 when unknown. */
int source_format_parse(const char *name);

struct source {
	size_t ncols;
	char **col; /* column names, owned */
	int empty;  /* no data at all: no header, no line */

	/* current row (CSVIN_ROW): ncols values */
	const char **val;
	size_t *len;
	long line;
	const char *reason; /* CSVIN_REJECT / CSVIN_FAIL */

	void *priv;
};

/*
 * Opens path ("-" = stdin).  Returns NULL with a message in why on failure
 * (cannot open, malformed header, bad pattern).
 */
struct source *source_open(
    const char *path, const struct source_opts *o, char *why, size_t whylen);
enum csvin_status source_next(struct source *s);
/* Raw text of the last rejected row. */
const char *source_raw(const struct source *s, size_t *n);
const char *source_name(const struct source *s);
uint64_t source_bytes(const struct source *s);
long source_col(const struct source *s, const char *name);
void source_close(struct source *s);

#endif
