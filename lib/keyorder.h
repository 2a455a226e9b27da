/*
 * keyorder: is a stream of (key, time) records in the order extsort gives
 * them back, key bytewise (a shorter key before its extensions), then time
 * (equal times in any order)?  jt-journey checks --sorted input with it
 * as it streams, and pre-scans large inputs with it to decide whether they
 * can be streamed without a sort.  Pure: records in, a verdict out.
 */
#ifndef JT_KEYORDER_H
#define JT_KEYORDER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A compressed input counts this many times its size on disk. */
#define KEYORDER_GZIP_RATIO 4

/* The last record seen; zero-initialise (struct keyorder o = { 0 }). */
struct keyorder {
	struct buf prev; /* its key */
	int64_t ts;
	int started;
};

/*
 * Takes the next record: 0 when it comes at or after the one before (or
 * is the first), and it becomes the one before; -1 when it comes before
 * it, and the state is left as it was.  key is copied.
 */
int keyorder_next(
    struct keyorder *o, const char *key, size_t keylen, int64_t ts);
/* The two records compared as keyorder_next does: <0, 0 or >0. */
int keyorder_cmp(const char *ka, size_t na, int64_t ta, const char *kb,
    size_t nb, int64_t tb);
void keyorder_free(struct keyorder *o);

/*
 * Nonzero when n inputs of size[i] bytes on disk (gzip[i] nonzero: a
 * compressed one, counted KEYORDER_GZIP_RATIO times) add up to more than
 * memory bytes.
 */
int keyorder_exceeds(
    const uint64_t *size, const unsigned char *gzip, size_t n, uint64_t memory);

#endif
