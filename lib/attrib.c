/*
 * attrib: weights per touch.  Distinct-channel models (linear unique,
 * participation) put a channel's weight on its first touch, so every
 * model is "weights per touch" and the callers add conv * w[i] to the
 * channel of touch i.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "err.h"

static const char *const names[ATTRIB_NMODELS] = { "first", "last",
	"last_non_direct", "linear", "participation", "position", "j",
	"inverse_j", "time_decay", "markov", "shapley" };

const char *
attrib_model_name(enum attrib_model m)
{
	return names[m];
}

int
attrib_model_parse(const char *s, size_t n)
{
	for (int i = 0; i < ATTRIB_NMODELS; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return i;
	return -1;
}

int
attrib_is_heuristic(enum attrib_model m)
{
	return m != ATTRIB_MARKOV && m != ATTRIB_SHAPLEY;
}

void
attrib_conf_init(struct attrib_conf *c)
{
	c->direct = UINT32_MAX;
	c->linear_unique = 0;
	c->pos_first = 0.4;
	c->pos_last = 0.4;
	c->half_life = 7 * 86400.0;
}

/* Nonzero when ch[i] is the first touch of its channel in ch[0..n). */
static int
first_of_channel(const uint32_t *ch, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (ch[j] == ch[i])
			return 0;
	return 1;
}

/*
 * first F, last L, the rest (1 - F - L) evenly over the middle touches;
 * one touch gets everything; two touches get F / (F + L) and L / (F + L)
 * (the middle share to both ends in proportion: j's 25/75), or half each
 * when even2 is set (position, whatever F and L).
 */
static void
shaped(double f, double l, int even2, size_t n, double *w)
{
	if (n == 1) {
		w[0] = 1;
		return;
	}
	if (n == 2) {
		double s = f + l;
		w[0] = s > 0 && !even2 ? f / s : 0.5;
		w[1] = s > 0 && !even2 ? l / s : 0.5;
		return;
	}
	double mid = (1 - f - l) / (double)(n - 2);
	w[0] = f;
	w[n - 1] = l;
	for (size_t i = 1; i + 1 < n; i++)
		w[i] = mid;
}

void
attrib_weights(enum attrib_model m, const struct attrib_conf *c,
    const uint32_t *ch, const double *age, size_t n, double *w)
{
	for (size_t i = 0; i < n; i++)
		w[i] = 0;
	switch (m) {
	case ATTRIB_FIRST: w[0] = 1; break;
	case ATTRIB_LAST: w[n - 1] = 1; break;
	case ATTRIB_LAST_NON_DIRECT: {
		size_t i = n;
		while (i > 0 && ch[i - 1] == c->direct)
			i--;
		/* all direct: the last touch, direct, keeps it */
		w[i > 0 ? i - 1 : n - 1] = 1;
		break;
	}
	case ATTRIB_LINEAR:
		if (!c->linear_unique) {
			for (size_t i = 0; i < n; i++)
				w[i] = 1.0 / (double)n;
			break;
		}
		/* fall through */
	case ATTRIB_PARTICIPATION: {
		size_t d = 0;
		for (size_t i = 0; i < n; i++)
			if (first_of_channel(ch, i)) {
				w[i] = 1;
				d++;
			}
		if (m == ATTRIB_LINEAR)
			for (size_t i = 0; i < n; i++)
				w[i] /= (double)d;
		break;
	}
	case ATTRIB_POSITION: shaped(c->pos_first, c->pos_last, 1, n, w); break;
	case ATTRIB_J: shaped(0.2, 0.6, 0, n, w); break;
	case ATTRIB_INVERSE_J: shaped(0.6, 0.2, 0, n, w); break;
	case ATTRIB_TIME_DECAY: {
		/* relative to the youngest touch, so old journeys do not
		 * underflow to 0/0 */
		double young = age[0];
		for (size_t i = 1; i < n; i++)
			if (age[i] < young)
				young = age[i];
		double s = 0;
		for (size_t i = 0; i < n; i++) {
			w[i] = c->half_life > 0
			    ? exp2(-(age[i] - young) / c->half_life)
			    : (age[i] == young);
			s += w[i];
		}
		for (size_t i = 0; i < n; i++)
			w[i] /= s;
		break;
	}
	case ATTRIB_MARKOV:
	case ATTRIB_SHAPLEY:
	case ATTRIB_NMODELS: break;
	}
}

void
attrib_heuristic(enum attrib_model m, const struct attrib_conf *c,
    const struct pathtab *t, const double *conv, const double *value,
    double *out_conv, double *out_value)
{
	double *w = NULL;
	size_t wcap = 0;
	for (size_t r = 0; r < t->n; r++) {
		if (conv[r] == 0 && value[r] == 0)
			continue;
		const uint32_t *ch = t->tch + t->off[r];
		size_t n = t->off[r + 1] - t->off[r];
		/* the common single-touch cases need no weights */
		if (m == ATTRIB_FIRST || n == 1) {
			out_conv[ch[0]] += conv[r];
			out_value[ch[0]] += value[r];
			continue;
		}
		if (m == ATTRIB_LAST) {
			out_conv[ch[n - 1]] += conv[r];
			out_value[ch[n - 1]] += value[r];
			continue;
		}
		if (n > wcap) {
			wcap = n * 2;
			free(w);
			w = xmalloc(wcap * sizeof *w);
		}
		attrib_weights(
		    m, c, ch, t->age ? t->age + t->off[r] : NULL, n, w);
		for (size_t i = 0; i < n; i++)
			if (w[i] != 0) {
				out_conv[ch[i]] += conv[r] * w[i];
				out_value[ch[i]] += value[r] * w[i];
			}
	}
	free(w);
}
