/*
 * pathtab: rows appended to growable parallel arrays.  Invariants:
 * off[0] = 0 and off[n] is the number of touches; a row is added whole
 * or not at all (its touches are parsed past the end of tch and only
 * committed once the row is known to be good).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pathtab.h"

struct pathtab *
pathtab_new(int with_age)
{
	struct pathtab *t = xcalloc(1, sizeof *t);
	t->chan = strtab_new();
	t->cap = 1024;
	t->off = xmalloc((t->cap + 1) * sizeof *t->off);
	t->conv = xmalloc(t->cap * sizeof *t->conv);
	t->value = xmalloc(t->cap * sizeof *t->value);
	t->null = xmalloc(t->cap * sizeof *t->null);
	t->tcap = 4096;
	t->tch = xmalloc(t->tcap * sizeof *t->tch);
	if (with_age)
		t->age = xmalloc(t->tcap * sizeof *t->age);
	t->off[0] = 0;
	return t;
}

void
pathtab_free(struct pathtab *t)
{
	if (!t)
		return;
	strtab_free(t->chan);
	free(t->off);
	free(t->tch);
	free(t->age);
	free(t->conv);
	free(t->value);
	free(t->null);
	free(t);
}

static void
reserve_touches(struct pathtab *t, size_t need)
{
	if (need <= t->tcap)
		return;
	while (t->tcap < need)
		t->tcap *= 2;
	t->tch = xreallocarray(t->tch, t->tcap, sizeof *t->tch);
	if (t->age)
		t->age = xreallocarray(t->age, t->tcap, sizeof *t->age);
}

int
pathtab_number(const char *s, size_t n, double *out)
{
	if (n == 0) {
		*out = 0;
		return 0;
	}
	char tmp[64], *end;
	if (n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* strtod takes "nan", "inf" and hex: only plain decimals here */
	for (size_t i = 0; i < n; i++) {
		char c = tmp[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' ||
			c == 'E' || c == '+' || c == '-'))
			return -1;
	}
	double v = strtod(tmp, &end);
	if (end != tmp + n || !isfinite(v) || v < 0)
		return -1;
	*out = v == 0 ? 0 : v; /* no "-0" */
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The next channel of a path at *p (trimmed) in [*a, *b); 0 when empty. */
static int
next_channel(const char **p, const char *end, const char **a, const char **b,
    int *more)
{
	const char *sep = memchr(*p, '>', (size_t)(end - *p));
	*a = *p;
	*b = sep ? sep : end;
	while (*a < *b && is_space(**a))
		(*a)++;
	while (*b > *a && is_space((*b)[-1]))
		(*b)--;
	*more = sep != NULL;
	*p = sep ? sep + 1 : end;
	return *a < *b;
}

int
pathtab_add(struct pathtab *t, const char *path, size_t n, const char *ages,
    size_t agelen, double conv, double value, double null, const char **why)
{
	size_t base = t->off[t->n], k = 0;
	const char *p = path, *end = path + n, *a, *b;
	int more = 1;
	/* check the whole row before interning anything */
	while (more) {
		if (!next_channel(&p, end, &a, &b, &more)) {
			*why = k == 0 && !more ? "empty path"
					       : "empty channel in path";
			return -1;
		}
		k++;
	}
	reserve_touches(t, base + k);
	if (t->age) {
		const char *q = ages, *qe = ages + agelen;
		for (size_t i = 0; i < k; i++) {
			const char *semi = memchr(q, ';', (size_t)(qe - q));
			const char *e = semi ? semi : qe;
			double v;
			if (agelen == 0 || (semi == NULL) != (i + 1 == k)) {
				*why = "path_age_s does not have one age per "
				       "touch";
				return -1;
			}
			if (q == e || pathtab_number(q, (size_t)(e - q), &v)) {
				*why = "path_age_s: not a number of seconds "
				       ">= 0";
				return -1;
			}
			t->age[base + i] = v;
			q = e + 1;
		}
	}
	p = path;
	more = 1;
	for (size_t i = 0; i < k; i++) {
		next_channel(&p, end, &a, &b, &more);
		t->tch[base + i] =
		    strtab_intern(t->chan, a, (size_t)(b - a), NULL);
	}
	if (t->n == t->cap) {
		t->cap *= 2;
		t->off = xreallocarray(t->off, t->cap + 1, sizeof *t->off);
		t->conv = xreallocarray(t->conv, t->cap, sizeof *t->conv);
		t->value = xreallocarray(t->value, t->cap, sizeof *t->value);
		t->null = xreallocarray(t->null, t->cap, sizeof *t->null);
	}
	t->conv[t->n] = conv;
	t->value[t->n] = value;
	t->null[t->n] = null;
	t->n++;
	t->off[t->n] = base + k;
	return 0;
}

const char *
pathtab_channel(const struct pathtab *t, uint32_t id)
{
	size_t n;
	return strtab_str(t->chan, id, &n);
}

uint32_t
pathtab_find(const struct pathtab *t, const char *name)
{
	return strtab_find(t->chan, name, strlen(name));
}

static const struct pathtab *sort_tab;

static int
by_name(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return strcmp(pathtab_channel(sort_tab, a), pathtab_channel(sort_tab, b));
}

uint32_t *
pathtab_by_name(const struct pathtab *t)
{
	uint32_t nc = pathtab_nchannels(t);
	uint32_t *ids = xmalloc((nc ? nc : 1) * sizeof *ids);
	for (uint32_t i = 0; i < nc; i++)
		ids[i] = i;
	sort_tab = t;
	qsort(ids, nc, sizeof *ids, by_name);
	sort_tab = NULL;
	return ids;
}
