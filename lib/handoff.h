/*
 * handoff: batches flowing in order through a pipeline of stages, each
 * stage on its own thread, so the result is the same as one thread's.
 * jt-stitch and jt-journey parse CSV this way while other threads intern,
 * link or sort what was parsed before.
 */
#ifndef JT_HANDOFF_H
#define JT_HANDOFF_H

/*
 * Fills a batch; returns nonzero while more may follow (the batch it has
 * just filled is used either way).
 */
typedef int (*handoff_fill_fn)(void *ctx, void *batch);
typedef void (*handoff_use_fn)(void *ctx, void *batch);

struct handoff_stage {
	handoff_use_fn use;
	void *ctx;
};

#define HANDOFF_MAX_STAGES 4

/*
 * Runs fill on a thread of its own and then the stages in order over each
 * batch filled, the batches batch[0..nbatch) taken in turn (nbatch >
 * nstage: each stage can work while the others do).  Every stage but the
 * last has a thread of its own; the last runs on this one.  A stage sees
 * the batches in the order they were filled, one at a time.  Without
 * threaded, or when no thread can be had, everything runs on this thread
 * over batch[0] only.
 */
void handoff_pipeline(void **batch, int nbatch, int threaded,
    handoff_fill_fn fill, void *fill_ctx, const struct handoff_stage *stage,
    int nstage);

/*
 * The two-stage case: fill on a second thread and use on this one over
 * batch[0] and batch[1] until fill returns 0.
 */
void handoff_run(void *batch[2], int threaded, handoff_fill_fn fill,
    void *fill_ctx, handoff_use_fn use, void *use_ctx);

#endif
