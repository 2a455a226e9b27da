/*
 * handoff: a producer thread filling batches while the calling thread
 * uses the batch before, two batches alternating, handed over in order,
 * so the result is the same as one thread's.  jt-stitch and jt-journey
 * parse CSV this way while the main thread interns or sorts.
 */
#ifndef JT_HANDOFF_H
#define JT_HANDOFF_H

/*
 * Fills a batch; returns nonzero while more may follow (the batch it has
 * just filled is used either way).
 */
typedef int (*handoff_fill_fn)(void *ctx, void *batch);
typedef void (*handoff_use_fn)(void *ctx, void *batch);

/*
 * Runs fill on a second thread and use on this one over batch[0] and
 * batch[1] until fill returns 0.  Without threaded, or when no thread
 * can be had, both run on this thread, over batch[0] only.
 */
void handoff_run(void *batch[2], int threaded, handoff_fill_fn fill,
    void *fill_ctx, handoff_use_fn use, void *use_ctx);

#endif
