/*
 * attrib: the rule-based ("heuristic") attribution models and the names
 * of every model jt-attribute knows.
 *
 * A heuristic model gives each touch of a journey a weight; the weights
 * of a journey sum to 1 (participation: 1 per distinct channel), and the
 * journey's conversions and value are split by them.  The formulas are
 * those of jt-attribute(1).  Pure: no I/O.
 */
#ifndef JT_ATTRIB_H
#define JT_ATTRIB_H

#include <stddef.h>
#include <stdint.h>

#include "pathtab.h"

enum attrib_model {
	ATTRIB_FIRST,
	ATTRIB_LAST,
	ATTRIB_LAST_NON_DIRECT,
	ATTRIB_LINEAR,
	ATTRIB_PARTICIPATION,
	ATTRIB_POSITION,
	ATTRIB_J,
	ATTRIB_INVERSE_J,
	ATTRIB_TIME_DECAY,
	ATTRIB_MARKOV,
	ATTRIB_SHAPLEY,
	ATTRIB_NMODELS
};

/* "first", "last", ..., "shapley". */
const char *attrib_model_name(enum attrib_model m);
/* The model named s[0..n), or -1. */
int attrib_model_parse(const char *s, size_t n);
/* Nonzero for the models attrib_weights computes. */
int attrib_is_heuristic(enum attrib_model m);

struct attrib_conf {
	uint32_t direct;   /* channel id of --direct, UINT32_MAX: none */
	int linear_unique; /* --linear unique */
	double pos_first, pos_last; /* --position F,L (0.4, 0.4) */
	double half_life;           /* --half-life in seconds (7 days) */
};

/* The defaults of jt-attribute(1). */
void attrib_conf_init(struct attrib_conf *c);

/*
 * The weights w[0..n) of the n touches ch[0..n) of one journey under
 * heuristic model m; age[0..n) (seconds before the journey's end) is
 * read by time_decay only and may be NULL otherwise.  n >= 1.
 */
void attrib_weights(enum attrib_model m, const struct attrib_conf *c,
    const uint32_t *ch, const double *age, size_t n, double *w);

/*
 * Adds heuristic model m over every row of t to out_conv[channel] and
 * out_value[channel] (arrays of pathtab_nchannels(t), not cleared),
 * splitting row i's conv[i] and value[i] (the caller's, so a bootstrap
 * can pass resampled counts).
 */
void attrib_heuristic(enum attrib_model m, const struct attrib_conf *c,
    const struct pathtab *t, const double *conv, const double *value,
    double *out_conv, double *out_value);

#endif
