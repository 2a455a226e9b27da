/*
 * evin: several CSV inputs read as one stream of rows over the union of
 * their columns, matched by name.
 *
 * The union header is in the order of jt-events(5) (events_order): the
 * reserved columns first in their fixed order, then the attributes in order
 * of first appearance across the inputs.  A column an input lacks reads as
 * the empty string.  Inputs are read one after the other, in the order
 * given.  All inputs are opened (and their headers read) by evin_open, so
 * the union is known before the first row.
 */
#ifndef JT_EVIN_H
#define JT_EVIN_H

#include <stddef.h>
#include <stdint.h>

#include "csvin.h"
#include "reject.h"

struct evin {
	size_t ncols;
	const char **col; /* union header, owned by evin */

	/* the current row (CSVIN_ROW), valid until the next evin_next */
	const char **f; /* ncols fields, "" where the input has none */
	size_t *len;
	const char *file; /* input name for messages */
	long line;

	/* CSVIN_REJECT / CSVIN_FAIL */
	const char *reason;

	void *priv;
};

/*
 * Opens the inputs (npaths 0 means stdin).  Dies with "prog: path: reason"
 * when one cannot be opened or its header is malformed (status 1).  An
 * empty input is read as no rows, with a warning unless quiet.
 */
struct evin *evin_open(char *const *paths, size_t npaths,
    const struct csvin_opts *opts, int quiet);
/* Next row, reject or end; see enum csvin_status. */
enum csvin_status evin_next(struct evin *e);
/*
 * Next good row: 1, or 0 at the end.  Malformed records are rejected into
 * rl with their raw bytes; a read error dies ("prog: file: reason").
 */
int evin_next_row(struct evin *e, struct reject_log *rl);
/*
 * Rejects the current row, which parsed but the tool cannot use, for
 * reason, with its raw bytes (reject_add: may die past --max-rejects).
 */
void evin_reject(struct evin *e, struct reject_log *rl, const char *reason);
/* Index of a union column, or -1. */
long evin_col(const struct evin *e, const char *name);
/*
 * Index of a column the tool cannot do without; else dies with
 * "LABEL: no 'NAME' column" and then why (e.g. ": --by names it").
 */
long evin_need(const struct evin *e, const char *name, const char *label,
    const char *why);
/*
 * Nonzero when the input of the current row has exactly the union's
 * columns in the union's order: its raw record (evin_raw) is then a row
 * of the union as it stands, which lets a tool copy it instead of
 * re-encoding its fields.
 */
int evin_same_layout(const struct evin *e);
/* csvin_span of the input of the current row (csvin.h). */
int evin_span(const struct evin *e, int *fd, uint64_t *off, size_t *n);
/* Raw bytes of the last record read (rejected or not). */
const char *evin_raw(const struct evin *e, size_t *n);
/* Input bytes read so far, over all inputs (for progress). */
uint64_t evin_bytes(const struct evin *e);
void evin_close(struct evin *e);

#endif
