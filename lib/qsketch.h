/*
 * qsketch: a fixed-size quantile sketch of non-negative integers (durations
 * in milliseconds).
 *
 * The first QSKETCH_EXACT values are kept as they are, so small inputs
 * get exact quantiles.  Past that the sketch turns into a histogram of
 * logarithmic buckets of ratio QSKETCH_GAMMA (bucket 0 holds 0, bucket i
 * holds [gamma^(i-1), gamma^i)), read back as each bucket's geometric
 * middle: a quantile is then within 1% of a value of the data around that
 * rank (relative accuracy, as in DDSketch).  Values above QSKETCH_MAX go
 * to the last bucket.  Memory is fixed: QSKETCH_EXACT values inline, and
 * QSKETCH_BUCKETS counters once the histogram is needed.  Sketches merge
 * by adding (so partitions combine).
 *
 * Quantiles interpolate between order statistics (the "type 7" definition
 * of R and numpy): the median of 1,2,3,4 is 2.5.
 */
#ifndef JT_QSKETCH_H
#define JT_QSKETCH_H

#include <stddef.h>
#include <stdint.h>

#define QSKETCH_EXACT 64
#define QSKETCH_GAMMA 1.02
#define QSKETCH_BUCKETS 1400
#define QSKETCH_MAX (1ULL << 40)

struct qsketch {
	uint64_t n; /* values added */
	uint64_t exact[QSKETCH_EXACT];
	uint32_t *bucket; /* NULL while n <= QSKETCH_EXACT; owned */
};

/* A zeroed struct qsketch is an empty sketch; qsketch_init zeroes one. */
void qsketch_init(struct qsketch *s);
/* Adds value v (clamped to QSKETCH_MAX). */
void qsketch_add(struct qsketch *s, uint64_t v);
/* Adds every value of src to dst (src unchanged). */
void qsketch_merge(struct qsketch *dst, const struct qsketch *src);
/*
 * The q-quantile (0 <= q <= 1) of the values in [lo, hi), or -1 when there
 * are none.  In histogram mode a bucket counts as in the range when its
 * middle is.
 */
double qsketch_quantile_in(
    const struct qsketch *s, double q, uint64_t lo, uint64_t hi);
/* The q-quantile of all values, or -1 when empty. */
double qsketch_quantile(const struct qsketch *s, double q);
/* How many values are >= t (histogram: buckets whose middle is >= t). */
uint64_t qsketch_count_ge(const struct qsketch *s, double t);
/* Releases the histogram; the sketch is empty afterwards. */
void qsketch_free(struct qsketch *s);

/* The bucket of v and a bucket's middle (exposed for tests). */
size_t qsketch_bucket_of(uint64_t v);
double qsketch_bucket_mid(size_t i);

#endif
