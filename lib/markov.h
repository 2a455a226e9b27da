/*
 * markov: the absorbing Markov chain of the paths and its exact removal
 * effects.
 *
 * States of order k are sliding windows of k consecutive channels of a
 * path (a path shorter than k is one state of its whole length), with
 * (start), (conversion) and (null).  Consecutive identical states of a
 * path are collapsed, so there are no self-loops.  Each path adds
 * (start) -> s1 -> ... -> sm with weight conv + null per transition,
 * then sm -> (conversion) with weight conv and sm -> (null) with weight
 * null; transition probabilities are weights over the state's total.
 *
 * P(conversion) is the probability of absorption in (conversion) from
 * (start).  The removal effect of channel c is 1 - P_c / P, where P_c is
 * the same probability with every state containing c redirected to
 * (null).  The value removal effect is the same with expected value:
 * reaching (conversion) from state s earns the mean value of the
 * conversions whose path ended in s.  Both come from the linear system
 * x = b + Q x of the transient states (Q: transitions between them, b:
 * the one-step conversion probability, or value), solved by Gauss-Seidel
 * sweeps, the base from x = 0 (iterates increase to the solution), each
 * removal from the base solution (they decrease to it), until the
 * estimated error is below MARKOV_TOL relative to max |x|.  Exact: no
 * simulation, no cap on walk length.  Pure: no I/O.
 */
#ifndef JT_MARKOV_H
#define JT_MARKOV_H

#include <stddef.h>
#include <stdint.h>

#define MARKOV_MAX_ORDER 4
#define MARKOV_MAX_CHANNELS 65534
#define MARKOV_TOL 1e-13

/* The fixed state numbers. */
enum { MARKOV_START = 0, MARKOV_CONV = 1, MARKOV_NULL = 2 };

struct markov;

/* A chain of order 1..MARKOV_MAX_ORDER over channel ids < MARKOV_MAX_CHANNELS.
 */
struct markov *markov_new(int order);
void markov_free(struct markov *m);

/*
 * Adds a path of n >= 1 channels with conv conversions (worth value in
 * all) and null non-converting journeys.  A path with conv + null == 0
 * adds nothing.
 */
void markov_add(struct markov *m, const uint32_t *ch, size_t n, double conv,
    double null, double value);

/*
 * Solves the chain for nch channels (ids 0..nch-1): re[c] and re_value[c]
 * get the removal effects (0 when P is 0; in [0, 1]), *p the probability
 * of conversion and *ev the expected value per journey from (start).
 * Returns 0, or -1 when some system did not converge in the sweep limit
 * (the results are then approximate).
 */
int markov_solve(struct markov *m, uint32_t nch, double *re, double *re_value,
    double *p, double *ev);

/* States, including the three fixed ones. */
size_t markov_nstates(const struct markov *m);
/*
 * The channels of state s (0 for the fixed states) into ch[0..4);
 * returns how many.
 */
size_t markov_state(const struct markov *m, size_t s, uint32_t *ch);

/* Transitions with a positive weight, in order of first appearance. */
size_t markov_nedges(const struct markov *m);
/* Transition i: from, to, probability and summed weight. */
void markov_edge(const struct markov *m, size_t i, uint32_t *from, uint32_t *to,
    double *prob, double *count);

#endif
