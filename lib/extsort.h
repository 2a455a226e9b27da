/*
 * extsort: a bounded-memory stable sort of records by (key, time).
 *
 * Records are (key bytes, int64 time, payload bytes).  They come back
 * ordered by key (bytewise, a shorter key before its extensions), then
 * time; records with the same key and time keep the order they were added
 * in (the sort is stable).
 *
 * Records are kept in memory up to the budget given to extsort_new; past
 * it the records held are sorted (dealt into per-key ranges in the
 * bytewise order of the run's distinct keys, then each range sorted by
 * time) and written as a sorted run, compactly encoded, to an
 * unlinked temporary file compressed with zlib's fastest mode (level 1,
 * Huffman coding only: the encoding has left little else) (lib/spool),
 * so no file survives any exit.  extsort_finish then merges the runs and
 * the records still in memory (a k-way merge on a heap; more than
 * EXTSORT_FANIN runs are first merged in groups; with no run on disk
 * there is nothing to merge and the records are read straight from
 * memory).  When every record was added already in order, the in-memory
 * sort is skipped.  A large run is sorted by two threads of its own
 * (the order is the same as one thread's).
 *
 * Budget accounting counts the records' bytes, the per-record item of the
 * sort and the key table, so the budget is close to the real peak (the
 * merge adds a few buffers per run).  Not thread-safe: one thread uses a
 * sorter (its own sorting threads aside).
 */
#ifndef JT_EXTSORT_H
#define JT_EXTSORT_H

#include <stddef.h>
#include <stdint.h>

#define EXTSORT_FANIN 64

struct extsort;

/* A record returned by extsort_next; pointers valid until the next call. */
struct extsort_rec {
	const char *key;
	size_t keylen;
	int64_t ts;
	const void *data;
	size_t len;
};

/*
 * A sorter holding at most memory bytes before spilling to runs in
 * tmpdir (NULL: $TMPDIR or /tmp).  The caller frees it (extsort_free).
 */
struct extsort *extsort_new(size_t memory, const char *tmpdir);
/* Adds a record; key and data are copied.  Dies on a write error. */
void extsort_add(struct extsort *s, const char *key, size_t keylen, int64_t ts,
    const void *data, size_t len);
/* Ends adding; the records are then read with extsort_next. */
void extsort_finish(struct extsort *s);
/* The next record in order: 1 and *r set, or 0 at the end. */
int extsort_next(struct extsort *s, struct extsort_rec *r);
/* Sorted runs written to disk so far. */
size_t extsort_runs(const struct extsort *s);
/* Nonzero when every record was added in order (no sort was needed). */
int extsort_was_sorted(const struct extsort *s);
/* Bytes written to the temporary files (before compression). */
uint64_t extsort_spilled(const struct extsort *s);
void extsort_free(struct extsort *s);

#endif
