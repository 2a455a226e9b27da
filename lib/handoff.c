/*
 * handoff: two batches between a filling thread and a using one
 * (handoff.h).  full[k] says batch k waits to be used; done that the
 * filler has returned its last batch.
 */
#include <pthread.h>
#include <string.h>

#include "handoff.h"

struct handoff {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void **batch;
	int full[2], done;
	handoff_fill_fn fill;
	void *fill_ctx;
};

static void *
filler_main(void *arg)
{
	struct handoff *h = arg;
	for (int k = 0;; k ^= 1) {
		pthread_mutex_lock(&h->mu);
		while (h->full[k])
			pthread_cond_wait(&h->cv, &h->mu);
		pthread_mutex_unlock(&h->mu);
		int more = h->fill(h->fill_ctx, h->batch[k]);
		pthread_mutex_lock(&h->mu);
		h->full[k] = 1;
		if (!more)
			h->done = 1;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		if (!more)
			return NULL;
	}
}

void
handoff_run(void *batch[2], int threaded, handoff_fill_fn fill, void *fill_ctx,
    handoff_use_fn use, void *use_ctx)
{
	struct handoff h;
	memset(&h, 0, sizeof h);
	h.batch = batch;
	h.fill = fill;
	h.fill_ctx = fill_ctx;
	pthread_t tid;
	if (threaded) {
		pthread_mutex_init(&h.mu, NULL);
		pthread_cond_init(&h.cv, NULL);
		threaded = pthread_create(&tid, NULL, filler_main, &h) == 0;
		if (!threaded) {
			pthread_mutex_destroy(&h.mu);
			pthread_cond_destroy(&h.cv);
		}
	}
	if (!threaded) {
		int more;
		do {
			more = fill(fill_ctx, batch[0]);
			use(use_ctx, batch[0]);
		} while (more);
		return;
	}
	for (int k = 0;; k ^= 1) {
		pthread_mutex_lock(&h.mu);
		while (!h.full[k])
			pthread_cond_wait(&h.cv, &h.mu);
		int last = h.done && !h.full[k ^ 1];
		pthread_mutex_unlock(&h.mu);
		use(use_ctx, batch[k]);
		pthread_mutex_lock(&h.mu);
		h.full[k] = 0;
		pthread_cond_broadcast(&h.cv);
		pthread_mutex_unlock(&h.mu);
		if (last)
			break;
	}
	pthread_join(tid, NULL);
	pthread_mutex_destroy(&h.mu);
	pthread_cond_destroy(&h.cv);
}
