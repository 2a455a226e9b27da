/*
 * Unit tests of lib/handoff.c: every batch goes through every stage, in
 * the order filled, with or without threads, whatever the number of
 * batches and stages.
 */
#include "unit.h"
#include "handoff.h"

#define NSEQ 1000

/* A batch: the numbers 8 at a time, and what each stage did to them. */
struct nb {
	int n, v[8];
	int seen[3]; /* per stage: the batch's serial number */
};

struct filler {
	int next, total, batches;
};

static int
fill(void *ctx, void *bp)
{
	struct filler *f = ctx;
	struct nb *b = bp;
	b->n = 0;
	while (b->n < 8 && f->next < f->total)
		b->v[b->n++] = f->next++;
	b->seen[0] = f->batches++;
	return f->next < f->total;
}

struct stage_log {
	int idx;     /* the stage */
	int batches; /* seen so far */
	int expect;  /* the next number it must see */
	int bad;
};

static void
use(void *ctx, void *bp)
{
	struct stage_log *s = ctx;
	struct nb *b = bp;
	for (int i = 0; i < b->n; i++) {
		if (b->v[i] != s->expect)
			s->bad++;
		s->expect++;
	}
	/* the stage before saw this batch, as the same one in the order */
	if (s->idx > 0 && b->seen[s->idx - 1] != s->batches)
		s->bad++;
	if (s->idx < 3)
		b->seen[s->idx] = s->batches;
	s->batches++;
}

static void
run_case(int nbatch, int threaded, int nstage, int total)
{
	struct nb b[6];
	void *batch[6];
	for (int k = 0; k < 6; k++)
		batch[k] = &b[k];
	struct filler f = { 0, total, 0 };
	struct stage_log log[3] = { { 0 } };
	struct handoff_stage st[3] = { { 0 } };
	for (int j = 0; j < nstage; j++) {
		log[j] = (struct stage_log){ j + 1, 0, 0, 0 };
		st[j].use = use;
		st[j].ctx = &log[j];
	}
	handoff_pipeline(batch, nbatch, threaded, fill, &f, st, nstage);
	for (int j = 0; j < nstage; j++) {
		assert_int_equal(log[j].bad, 0);
		assert_int_equal(log[j].expect, total);
		assert_int_equal(log[j].batches, f.batches);
	}
}

static void
test_pipeline(void **state)
{
	(void)state;
	for (int threaded = 0; threaded < 2; threaded++)
		for (int nstage = 1; nstage <= 2; nstage++)
			for (int nbatch = 1; nbatch <= 6; nbatch++) {
				run_case(nbatch, threaded, nstage, NSEQ);
				run_case(nbatch, threaded, nstage, 0);
				run_case(nbatch, threaded, nstage, 8);
				run_case(nbatch, threaded, nstage, 9);
			}
}

static void
test_two_batches(void **state)
{
	(void)state;
	struct nb b[2];
	void *batch[2] = { &b[0], &b[1] };
	struct filler f = { 0, NSEQ, 0 };
	struct stage_log log = { 1, 0, 0, 0 };
	handoff_run(batch, 1, fill, &f, use, &log);
	assert_int_equal(log.bad, 0);
	assert_int_equal(log.expect, NSEQ);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_two_batches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
