/*
 * handoff: batches through a pipeline of threads (handoff.h).
 *
 * Step 0 fills a batch, step i (1..nstage) runs stage i - 1 on it.
 * step[k] is the step batch k waits for; the last stage sets it back to
 * 0, free to be filled again.  Each step takes the batches in turn, so
 * each sees them in the order they were filled.  last is the index of the
 * batch fill returned 0 on (-1 until then): a step that has handled it
 * stops.
 */
#include <pthread.h>
#include <string.h>

#include "handoff.h"

struct handoff {
	pthread_mutex_t mu;
	pthread_cond_t cv[HANDOFF_MAX_STAGES + 1]; /* per step: its batch is
						     ready (wakes only the
						     thread waiting for it) */
	void **batch;
	int nbatch, nstage;
	int step[16];
	int last;
	handoff_fill_fn fill;
	void *fill_ctx;
	const struct handoff_stage *stage;
};

struct worker {
	struct handoff *h;
	int step;
};

/*
 * Runs steps from..to, one after the other, over each batch in turn until
 * the last one.
 */
static void
run_steps(struct handoff *h, int from, int to)
{
	for (int k = 0;; k = (k + 1) % h->nbatch) {
		pthread_mutex_lock(&h->mu);
		while (h->step[k] != from)
			pthread_cond_wait(&h->cv[from], &h->mu);
		int last = h->last == k;
		pthread_mutex_unlock(&h->mu);
		for (int j = from; j <= to; j++) {
			if (j == 0)
				last = !h->fill(h->fill_ctx, h->batch[k]);
			else
				h->stage[j - 1].use(
				    h->stage[j - 1].ctx, h->batch[k]);
		}
		pthread_mutex_lock(&h->mu);
		int next = (to + 1) % (h->nstage + 1);
		h->step[k] = next;
		if (from == 0 && last)
			h->last = k;
		pthread_cond_broadcast(&h->cv[next]);
		pthread_mutex_unlock(&h->mu);
		if (last)
			return;
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	run_steps(w->h, w->step, w->step);
	return NULL;
}

void
handoff_pipeline(void **batch, int nbatch, int threaded, handoff_fill_fn fill,
    void *fill_ctx, const struct handoff_stage *stage, int nstage)
{
	struct handoff h;
	memset(&h, 0, sizeof h);
	h.batch = batch;
	h.nbatch = nbatch < 16 ? nbatch : 16;
	h.nstage = nstage;
	h.last = -1;
	h.fill = fill;
	h.fill_ctx = fill_ctx;
	h.stage = stage;
	pthread_mutex_init(&h.mu, NULL);
	for (int j = 0; j <= HANDOFF_MAX_STAGES; j++)
		pthread_cond_init(&h.cv[j], NULL);
	pthread_t tid[HANDOFF_MAX_STAGES];
	struct worker w[HANDOFF_MAX_STAGES];
	int nthreads = 0;
	if (!threaded || nstage > HANDOFF_MAX_STAGES || h.nbatch <= nstage)
		h.nbatch = 1; /* all on this thread, over batch[0] */
	else
		/* steps 0 .. nstage - 1 on threads of their own */
		for (int j = 0; j < nstage; j++) {
			w[j].h = &h;
			w[j].step = j;
			if (pthread_create(&tid[j], NULL, worker_main, &w[j]) != 0)
				break;
			nthreads++;
		}
	/* here: the last step, and any that could not have a thread */
	run_steps(&h, h.nbatch == 1 ? 0 : nthreads, nstage);
	for (int j = 0; j < nthreads; j++)
		pthread_join(tid[j], NULL);
	pthread_mutex_destroy(&h.mu);
	for (int j = 0; j <= HANDOFF_MAX_STAGES; j++)
		pthread_cond_destroy(&h.cv[j]);
}

void
handoff_run(void *batch[2], int threaded, handoff_fill_fn fill, void *fill_ctx,
    handoff_use_fn use, void *use_ctx)
{
	struct handoff_stage st = { use, use_ctx };
	handoff_pipeline(batch, 2, threaded, fill, fill_ctx, &st, 1);
}
