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
	free(t->seg);
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

/* s[0..n) as a double when it is digits with at most one '.', <= 15
 * digits in all: m / 10^k is then exact or correctly rounded (both are
 * exact doubles and IEEE division rounds once). */
static int
fast_decimal(const char *s, size_t n, double *out)
{
	static const double p10[16] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
		1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	uint64_t m = 0;
	int digits = 0, frac = -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9') {
			m = m * 10 + (c - '0');
			if (++digits > 15)
				return -1;
			if (frac >= 0)
				frac++;
		} else if (c == '.' && frac < 0)
			frac = 0;
		else
			return -1;
	}
	if (digits == 0)
		return -1;
	*out = frac > 0 ? (double)m / p10[frac] : (double)m;
	return 0;
}

int
pathtab_number(const char *s, size_t n, double *out)
{
	if (n == 0) {
		*out = 0;
		return 0;
	}
	if (fast_decimal(s, n, out) == 0)
		return 0;
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

/*
 * The id of channel s[0..n): a direct-mapped cache keyed by the length
 * and the first and last bytes answers most lookups with one comparison
 * (a few channels make up nearly every touch), strtab the rest.
 */
static uint32_t
channel_id(struct pathtab *t, const char *s, size_t n)
{
	uint64_t a = 0, b = 0;
	memcpy(&a, s, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, s + n - 8, 8);
	uint64_t h =
	    (a ^ (b * 0x9e3779b97f4a7c15ULL) ^ n) * 0xff51afd7ed558ccdULL;
	struct pathtab_cache *c = &t->cache[h >> (64 - PATHTAB_CACHE_BITS)];
	/* the first and last 8 bytes cover a name of up to 16 bytes */
	if (c->n == n && c->a == a && c->b == b &&
	    (n <= 16 || memcmp(c->s, s, n) == 0))
		return c->id;
	uint32_t id = strtab_intern(t->chan, s, n, NULL);
	size_t len;
	c->s = strtab_str(t->chan, id, &len);
	c->n = len;
	c->a = a;
	c->b = b;
	c->id = id;
	return id;
}

/* The index of the first '>' in s[i..n), or n; eight bytes at a time. */
static size_t
find_sep(const char *s, size_t i, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, gt = ones * '>';
	/* the lowest flagged byte is the first '>' on a little-endian
	 * machine (a borrow only flags bytes above a real match) */
	while (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && i + 8 <= n) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		x ^= gt;
		uint64_t z = (x - ones) & ~x & (ones << 7);
		if (z)
			return i + (size_t)(__builtin_ctzll(z) >> 3);
		i += 8;
	}
	while (i < n && s[i] != '>')
		i++;
	return i;
}

int
pathtab_add(struct pathtab *t, const char *path, size_t n, const char *ages,
    size_t agelen, double conv, double value, double null, const char **why)
{
	size_t base = t->off[t->n], k = 0;
	/* one pass to find the channels, checked before any is interned */
	size_t i = 0;
	for (;;) {
		size_t e = find_sep(path, i, n), a = i, b = e;
		while (a < b && is_space(path[a]))
			a++;
		while (b > a && is_space(path[b - 1]))
			b--;
		i = e;
		if (b == a) {
			*why = k == 0 && i == n ? "empty path"
						: "empty channel in path";
			return -1;
		}
		if (k == t->segcap) {
			t->segcap = t->segcap ? 2 * t->segcap : 64;
			t->seg = xreallocarray(
			    t->seg, t->segcap, 2 * sizeof *t->seg);
		}
		t->seg[2 * k] = a;
		t->seg[2 * k + 1] = b;
		k++;
		if (i == n)
			break;
		i++; /* the '>' */
	}
	reserve_touches(t, base + k);
	if (t->age) {
		const char *q = ages, *qe = ages + agelen;
		for (size_t j = 0; j < k; j++) {
			const char *semi = memchr(q, ';', (size_t)(qe - q));
			const char *e = semi ? semi : qe;
			double v;
			if (agelen == 0 || (semi == NULL) != (j + 1 == k)) {
				*why = "path_age_s: does not have one age per "
				       "touch";
				return -1;
			}
			if (q == e || pathtab_number(q, (size_t)(e - q), &v)) {
				*why = "path_age_s: not a number of seconds "
				       ">= 0";
				return -1;
			}
			t->age[base + j] = v;
			q = e + 1;
		}
	}
	for (size_t j = 0; j < k; j++)
		t->tch[base + j] = channel_id(
		    t, path + t->seg[2 * j], t->seg[2 * j + 1] - t->seg[2 * j]);
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
	return strcmp(
	    pathtab_channel(sort_tab, a), pathtab_channel(sort_tab, b));
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
