/*
 * reject: the bookkeeping of rejected rows that every tool shares.
 *
 * Each rejected row is counted by reason, reported on stderr as
 * "prog: file:line: reason" (the first REJECT_SHOW_MAX of them; then one
 * line saying the rest are not shown), and, with --rejects FILE, written to
 * FILE as CSV "file,line,reason,raw".  Once more than max rows are
 * rejected the run fails: the rejects file is completed, other outputs are
 * abandoned (their temporary files removed) and the status is 1.
 */
#ifndef JT_REJECT_H
#define JT_REJECT_H

#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "io.h"

#define REJECT_SHOW_MAX 100
#define REJECT_MAX_DEFAULT 1000
#define REJECT_REASONS 32

struct reject_log {
	struct io_out *out; /* --rejects FILE, or NULL */
	struct csvout w;
	long long max; /* -1: no limit */
	uint64_t count;
	int quiet; /* no per-row messages on stderr */
	size_t nreasons;
	struct {
		char *reason; /* owned */
		uint64_t count;
	} reasons[REJECT_REASONS];
	uint64_t other; /* rejects whose reason did not fit the table */
};

/* Starts the log; path NULL means no rejects file; max -1 is no limit. */
void reject_init(struct reject_log *l, const char *path, long long max);
/*
 * Records one rejected row (raw may be NULL).  Dies with status 1 once the
 * count exceeds the maximum.
 */
void reject_add(struct reject_log *l, const char *file, long line,
    const char *reason, const char *raw, size_t rawlen);
/*
 * Appends "N reason, N reason" (most frequent first) to *out, for the
 * summary line; nothing when there were no rejects.
 */
struct buf;
void reject_describe(const struct reject_log *l, struct buf *out);
/*
 * Appends "N rejected" and, when N > 0, " (N reason, ...)" as
 * reject_describe: the summary lines' part about rejects.
 */
void reject_tally(const struct reject_log *l, struct buf *out);
/* Completes the rejects file (atomic rename) and frees the log. */
void reject_close(struct reject_log *l);

#endif
