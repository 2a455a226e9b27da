/*
 * plot: a report's rows in, a gnuplot script out.
 *
 * Rows are kept as added; every string is interned once (p->str) and
 * rows that must add up (attribution cells, paths, transitions) are found
 * by a composite key in p->keys, whose ids are the row indexes.  All the
 * sorting, summing, top-N and layout happens in plot_script, so adding is
 * cheap and the script is a function of the rows alone.  A timeline keeps
 * counts per day (an open-addressing table of days, each with a count per
 * channel), not events.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "plot.h"
#include "strtab.h"
#include "ts.h"

struct arow {
	uint32_t model, channel;
	double conv, value, share, lo, hi;
	int ci;
};

struct prow {
	uint32_t path;
	double journeys, conv, median;
};

struct srow {
	uint32_t stage;
	double journeys, fprev, ffirst, median;
};

struct frow {
	uint32_t signal, channel, step, group;
	double journeys, impact, z;
	int ranked;
};

struct trow {
	uint32_t from, to;
	double prob, count;
};

struct day {
	int64_t day;
	uint64_t *n; /* a count per channel id */
	size_t cap;
};

struct plot {
	enum plot_chart chart;
	struct strtab *str;
	struct strtab *keys;
	void *rows;
	size_t nrows, cap, rowsize;
	uint64_t added;
	enum plot_trans kind;
	/* timeline */
	struct day *days;
	size_t ndays, dayscap;
	uint32_t *slot; /* day index + 1, 0 empty */
	size_t nslots;
	int64_t last_day;
	size_t last_idx;
	uint32_t last_ch;
	size_t last_chlen;
};

static const char *const chart_names[] = { "attribution", "paths", "funnel",
	"friction", "transitions", "timeline" };

int
plot_chart_parse(const char *s, enum plot_chart *out)
{
	for (size_t i = 0; i < sizeof chart_names / sizeof *chart_names; i++)
		if (strcmp(s, chart_names[i]) == 0) {
			*out = (enum plot_chart)i;
			return 0;
		}
	return -1;
}

const char *
plot_chart_name(enum plot_chart c)
{
	return chart_names[c];
}

size_t
plot_default_top(enum plot_chart c)
{
	switch (c) {
	case PLOT_PATHS: return 20;
	case PLOT_FRICTION: return 15;
	case PLOT_TIMELINE: return 12;
	default: return 0;
	}
}

/* ---- colours ---- */

struct named_rgb {
	const char *name;
	uint32_t rgb;
};

static const struct named_rgb channel_rgb[] = {
	{ "paid_search", 0x1f77b4 },
	{ "organic_search", 0x2ca02c },
	{ "direct", 0x7f7f7f },
	{ "email", 0xff7f0e },
	{ "display", 0x9467bd },
	{ "paid_social", 0xe377c2 },
	{ "organic_social", 0xf7b6d2 },
	{ "affiliate", 0xbcbd22 },
	{ "referral", 0x17becf },
	{ "app", 0x8c564b },
	{ "call_center", 0xd62728 },
	{ "chat", 0xff9896 },
	{ "store", 0x98df8a },
	{ "web", 0x1f9e89 },
	{ "(none)", 0xc7c7c7 },
	{ "(other)", 0xa0a0a0 },
};

/* For the other channels: distinct from the fixed ones above. */
static const uint32_t extra_rgb[] = { 0x393b79, 0x637939, 0x8c6d31, 0x843c39,
	0x7b4173, 0x5254a3, 0xaec7e8, 0xffbb78, 0xc5b0d5, 0xc49c94, 0xdbdb8d,
	0x9edae5, 0x3182bd, 0xe6550d, 0x31a354, 0x756bb1 };

static const struct named_rgb model_rgb[] = {
	{ "markov", 0x4e79a7 },
	{ "shapley", 0xf28e2b },
	{ "first", 0xe15759 },
	{ "last", 0x76b7b2 },
	{ "last_non_direct", 0x59a14f },
	{ "linear", 0xedc948 },
	{ "participation", 0xb07aa1 },
	{ "position", 0xff9da7 },
	{ "time_decay", 0x9c755f },
	{ "j", 0xbab0ac },
	{ "inverse_j", 0x86bcb6 },
};

/* FNV-1a: small, and fixed forever (colours must not change). */
static uint32_t
fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t
lookup_rgb(const struct named_rgb *t, size_t nt, const char *s, size_t n)
{
	for (size_t i = 0; i < nt; i++)
		if (strlen(t[i].name) == n && memcmp(t[i].name, s, n) == 0)
			return t[i].rgb;
	return extra_rgb[fnv(s, n) % (sizeof extra_rgb / sizeof *extra_rgb)];
}

uint32_t
plot_channel_rgb(const char *name, size_t n)
{
	return lookup_rgb(
	    channel_rgb, sizeof channel_rgb / sizeof *channel_rgb, name, n);
}

uint32_t
plot_model_rgb(const char *name, size_t n)
{
	return lookup_rgb(
	    model_rgb, sizeof model_rgb / sizeof *model_rgb, name, n);
}

/* ---- text ---- */

/* s between quotes q, each q in it written as for_q, control bytes as
 * spaces (a gnuplot string is one line). */
static void
quoted(struct buf *b, const char *s, size_t n, char q, const char *for_q)
{
	buf_addc(b, q);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == (unsigned char)q)
			buf_adds(b, for_q);
		else
			buf_addc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
	buf_addc(b, q);
}

void
plot_quote(struct buf *b, const char *s, size_t n)
{
	quoted(b, s, n, '\'', "''");
}

static void
quotes(struct buf *b, const char *s)
{
	plot_quote(b, s, strlen(s));
}

void
plot_datum(struct buf *b, const char *s, size_t n)
{
	quoted(b, s, n, '"', "'");
}

#define SEP " > "
#define SEPLEN 3

void
plot_path_label(struct buf *b, const char *path, size_t n, size_t max)
{
	if (n <= max) {
		buf_add(b, path, n);
		return;
	}
	/* the steps' offsets */
	size_t nst = 0, cap = 8;
	size_t *off = xmalloc(cap * sizeof *off),
	       *len = xmalloc(cap * sizeof *len);
	size_t i = 0;
	for (;;) {
		const char *e = NULL;
		for (size_t k = i; k + SEPLEN <= n; k++)
			if (memcmp(path + k, SEP, SEPLEN) == 0) {
				e = path + k;
				break;
			}
		size_t end = e ? (size_t)(e - path) : n;
		if (nst == cap) {
			cap *= 2;
			off = xreallocarray(off, cap, sizeof *off);
			len = xreallocarray(len, cap, sizeof *len);
		}
		off[nst] = i;
		len[nst++] = end - i;
		if (!e)
			break;
		i = end + SEPLEN;
	}
	if (nst == 1) {
		/* one step is a channel name: never cut */
		buf_add(b, path, n);
		free(off);
		free(len);
		return;
	}
	char tail[32];
	int tn = snprintf(tail, sizeof tail, " (%zu steps)", nst);
	/* take steps from the front and the back in turn while they fit */
	size_t front = 1, back = nst > 1 ? 1 : 0;
	size_t used = len[0] + (back ? SEPLEN + 3 + SEPLEN + len[nst - 1] : 0) +
	    (size_t)tn;
	for (int turn = 0; front + back < nst; turn ^= 1) {
		size_t k = turn ? nst - 1 - back : front;
		if (used + len[k] + SEPLEN > max)
			break;
		used += len[k] + SEPLEN;
		if (turn)
			back++;
		else
			front++;
	}
	for (size_t k = 0; k < front; k++) {
		if (k)
			buf_adds(b, SEP);
		buf_add(b, path + off[k], len[k]);
	}
	if (front + back < nst)
		buf_adds(b, SEP "...");
	for (size_t k = nst - back; k < nst; k++) {
		buf_adds(b, SEP);
		buf_add(b, path + off[k], len[k]);
	}
	buf_add(b, tail, (size_t)tn);
	free(off);
	free(len);
}

void
plot_count(struct buf *b, double v)
{
	char d[32];
	double r = floor(fabs(v) + 0.5);
	int n = snprintf(d, sizeof d, "%.0f", r);
	if (v < 0 && r > 0)
		buf_addc(b, '-');
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, d[i]);
	}
}

void
plot_duration(struct buf *b, double s)
{
	if (!(s >= 0)) {
		buf_adds(b, "?");
		return;
	}
	long long t = (long long)floor(s + 0.5);
	if (t < 60)
		buf_printf(b, "%llds", t);
	else if (t < 3600)
		buf_printf(b, "%lldm %llds", t / 60, t % 60);
	else if (t < 86400)
		buf_printf(b, "%lldh %lldm", t / 3600, t % 3600 / 60);
	else
		buf_printf(b, "%lldd %lldh", t / 86400, t % 86400 / 3600);
}

/* ---- rows ---- */

struct plot *
plot_new(enum plot_chart c)
{
	struct plot *p = xcalloc(1, sizeof *p);
	static const size_t size[] = { sizeof(struct arow), sizeof(struct prow),
		sizeof(struct srow), sizeof(struct frow), sizeof(struct trow),
		0 };
	p->chart = c;
	p->str = strtab_new();
	p->rowsize = size[c];
	p->last_day = INT64_MIN;
	p->last_ch = UINT32_MAX;
	if (c != PLOT_TIMELINE && c != PLOT_FUNNEL && c != PLOT_FRICTION)
		p->keys = strtab_new();
	return p;
}

void
plot_free(struct plot *p)
{
	if (!p)
		return;
	strtab_free(p->str);
	if (p->keys)
		strtab_free(p->keys);
	free(p->rows);
	for (size_t i = 0; i < p->ndays; i++)
		free(p->days[i].n);
	free(p->days);
	free(p->slot);
	free(p);
}

uint64_t
plot_rows(const struct plot *p)
{
	return p->added;
}

static uint32_t
sid(struct plot *p, const char *s)
{
	return strtab_intern(p->str, s, strlen(s), NULL);
}

static const char *
str(const struct plot *p, uint32_t id, size_t *n)
{
	return strtab_str(p->str, id, n);
}

/* The row of key (a, b); *fresh set when it was just added (zeroed). */
static void *
keyed_row(struct plot *p, uint32_t a, uint32_t b, int *fresh)
{
	uint32_t k[2] = { a, b };
	uint32_t i = strtab_intern(p->keys, (const char *)k, sizeof k, fresh);
	if (*fresh) {
		if (p->nrows == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 16;
			p->rows = xreallocarray(p->rows, p->cap, p->rowsize);
		}
		p->nrows++;
		memset((char *)p->rows + (size_t)i * p->rowsize, 0, p->rowsize);
	}
	return (char *)p->rows + (size_t)i * p->rowsize;
}

static void *
new_row(struct plot *p)
{
	if (p->nrows == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->rows = xreallocarray(p->rows, p->cap, p->rowsize);
	}
	void *r = (char *)p->rows + p->nrows++ * p->rowsize;
	memset(r, 0, p->rowsize);
	return r;
}

void
plot_add_attribution(struct plot *p, const char *model, const char *channel,
    double conversions, double value, double share, const double *lo,
    const double *hi)
{
	int fresh;
	uint32_t m = sid(p, model), c = sid(p, *channel ? channel : "(none)");
	struct arow *r = keyed_row(p, m, c, &fresh);
	p->added++;
	r->model = m;
	r->channel = c;
	r->conv += conversions;
	r->value += isnan(value) ? 0 : value;
	r->share += isnan(share) ? 0 : share;
	if (fresh && lo && hi) {
		r->lo = *lo;
		r->hi = *hi;
		r->ci = 1;
	} else {
		r->ci = 0;
	}
}

void
plot_add_path(struct plot *p, const char *path, size_t n, double journeys,
    double conversions, double median_s)
{
	int fresh;
	uint32_t s = strtab_intern(p->str, path, n, NULL);
	struct prow *r = keyed_row(p, s, 0, &fresh);
	p->added++;
	r->path = s;
	r->journeys += journeys;
	r->conv += conversions;
	/* a median of two parts is not known */
	r->median = fresh ? median_s : NAN;
}

void
plot_add_stage(struct plot *p, const char *stage, double journeys,
    double from_previous, double from_first, double median_s)
{
	struct srow *r = new_row(p);
	p->added++;
	r->stage = sid(p, stage);
	r->journeys = journeys;
	r->fprev = from_previous;
	r->ffirst = from_first;
	r->median = median_s;
}

void
plot_add_friction(struct plot *p, const char *signal, const char *channel,
    const char *step, const char *group, double journeys, double impact,
    double z, int ranked)
{
	struct frow *r = new_row(p);
	p->added++;
	r->signal = sid(p, signal);
	r->channel = sid(p, channel);
	r->step = sid(p, step);
	r->group = sid(p, group);
	r->journeys = journeys;
	r->impact = impact;
	r->z = z;
	r->ranked = ranked;
}

void
plot_add_transition(struct plot *p, enum plot_trans kind, const char *from,
    const char *to, double probability, double count)
{
	int fresh;
	if (p->added == 0)
		p->kind = kind;
	uint32_t f = sid(p, from), t = sid(p, to);
	struct trow *r = keyed_row(p, f, t, &fresh);
	p->added++;
	r->from = f;
	r->to = t;
	r->prob += isnan(probability) ? 0 : probability;
	r->count += isnan(count) ? 0 : count;
}

static size_t
day_hash(int64_t day, size_t mask)
{
	uint64_t h = (uint64_t)day * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32) & mask;
}

static size_t
day_index(struct plot *p, int64_t day)
{
	if (p->ndays * 2 >= p->nslots) {
		size_t ns = p->nslots ? 2 * p->nslots : 64;
		uint32_t *s = xcalloc(ns, sizeof *s);
		for (size_t i = 0; i < p->ndays; i++) {
			size_t h = day_hash(p->days[i].day, ns - 1);
			while (s[h])
				h = (h + 1) & (ns - 1);
			s[h] = (uint32_t)i + 1;
		}
		free(p->slot);
		p->slot = s;
		p->nslots = ns;
	}
	size_t h = day_hash(day, p->nslots - 1);
	while (p->slot[h]) {
		if (p->days[p->slot[h] - 1].day == day)
			return p->slot[h] - 1;
		h = (h + 1) & (p->nslots - 1);
	}
	if (p->ndays == p->dayscap) {
		p->dayscap = p->dayscap ? 2 * p->dayscap : 64;
		p->days = xreallocarray(p->days, p->dayscap, sizeof *p->days);
	}
	p->days[p->ndays] = (struct day){ day, NULL, 0 };
	p->slot[h] = (uint32_t)p->ndays + 1;
	return p->ndays++;
}

void
plot_add_event(struct plot *p, int64_t day, const char *channel, size_t n)
{
	if (n == 0) {
		channel = "(none)";
		n = 6;
	}
	/* events come in runs of one day and one channel */
	uint32_t ch = p->last_ch;
	size_t ln;
	const char *last =
	    ch != UINT32_MAX ? strtab_str(p->str, ch, &ln) : NULL;
	if (!last || ln != n || memcmp(last, channel, n) != 0)
		ch = p->last_ch = strtab_intern(p->str, channel, n, NULL);
	if (day != p->last_day) {
		p->last_idx = day_index(p, day);
		p->last_day = day;
	}
	struct day *d = &p->days[p->last_idx];
	if (ch >= d->cap) {
		size_t nc = d->cap ? d->cap : 8;
		while (nc <= ch)
			nc *= 2;
		d->n = xreallocarray(d->n, nc, sizeof *d->n);
		memset(d->n + d->cap, 0, (nc - d->cap) * sizeof *d->n);
		d->cap = nc;
	}
	d->n[ch]++;
	p->added++;
}

/* ---- script pieces ---- */

static const char *const ext[] = { "png", "svg", "pdf" };

static void
preamble(struct buf *b, const struct plot *p, const struct plot_opts *o, int w,
    int h, const char *what, const char *title)
{
	if (o->width)
		w = o->width;
	if (o->height)
		h = o->height;
	buf_printf(b, "# jt-plot %s: %s\n", chart_names[p->chart], what);
	buf_printf(b,
	    "# The data is inline below: restyle freely, then run\n"
	    "#   gnuplot THIS_FILE > chart.%s\n",
	    ext[o->format]);
	switch (o->format) {
	case PLOT_PNG:
		buf_printf(b,
		    "set terminal pngcairo size %d,%d noenhanced "
		    "font 'Sans,10' background '#ffffff'\n",
		    w, h);
		break;
	case PLOT_SVG:
		buf_printf(b,
		    "set terminal svg size %d,%d noenhanced "
		    "font 'Sans,10' background '#ffffff'\n",
		    w, h);
		break;
	case PLOT_PDF:
		/* a pixel is a CSS pixel: 96 to the inch */
		buf_printf(b,
		    "set terminal pdfcairo size %.2fin,%.2fin noenhanced "
		    "font 'Sans,10'\n",
		    w / 96.0, h / 96.0);
		break;
	}
	if (o->output) {
		buf_adds(b, "set output ");
		quotes(b, o->output);
		buf_addc(b, '\n');
	}
	buf_adds(b, "set title ");
	quotes(b, o->title ? o->title : title);
	buf_adds(b,
	    " font ',13'\n"
	    "set border 3 lc rgb '#606060'\n"
	    "set tics nomirror\n");
}

/* The chart drawn when there is no row. */
static void
empty_chart(struct buf *b, const struct plot *p, const struct plot_opts *o,
    const char *title)
{
	preamble(b, p, o, 1000, 600, "no data", title);
	buf_adds(b,
	    "unset border\nunset xtics\nunset ytics\nunset key\n"
	    "set label 1 'no data' at graph 0.5, graph 0.5 center "
	    "font ',16'\n"
	    "set xrange [0:1]\nset yrange [0:1]\n"
	    "plot 2 notitle\n");
}

static void
num(struct buf *b, double v)
{
	if (isnan(v))
		buf_adds(b, " NaN");
	else
		buf_printf(b, " %.10g", v == 0 ? 0.0 : v);
}

static void
datum_id(struct buf *b, const struct plot *p, uint32_t id)
{
	size_t n;
	const char *s = str(p, id, &n);
	plot_datum(b, s, n);
}

static void
rgb(struct buf *b, uint32_t c)
{
	buf_printf(b, "'#%06x'", (unsigned)c);
}

static int
imax(int a, int b)
{
	return a > b ? a : b;
}

/* Sorting an index array by a key, descending, ties by name ascending. */
struct rank {
	double key;
	const char *name;
	size_t namelen;
	size_t idx;
	int group; /* sorted ascending before key */
};

static int
rank_cmp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	size_t n = x->namelen < y->namelen ? x->namelen : y->namelen;
	int c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	return x->namelen < y->namelen ? -1 : x->namelen > y->namelen;
}

/* ---- attribution ---- */

static double
measure_of(const struct arow *r, enum plot_measure m)
{
	switch (m) {
	case PLOT_VALUE: return r->value;
	case PLOT_SHARE: return 100 * r->share;
	default: return r->conv;
	}
}

static void
script_attribution(
    const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	static const char *const xlabel[] = { "conversions credited",
		"value credited", "share of conversions (%)" };
	static const char *const what[] = { "Conversions", "Value",
		"Share of conversions" };
	const struct arow *rows = p->rows;
	uint32_t nstr = strtab_count(p->str);
	long *mi = xmalloc((nstr + 1) * sizeof *mi);
	long *ci = xmalloc((nstr + 1) * sizeof *ci);
	for (uint32_t i = 0; i < nstr; i++)
		mi[i] = ci[i] = -1;
	size_t nm = 0, nc = 0;
	uint32_t *models = xmalloc((p->nrows + 1) * sizeof *models);
	uint32_t *chans = xmalloc((p->nrows + 1) * sizeof *chans);
	int any_ci = 0;
	for (size_t i = 0; i < p->nrows; i++) {
		if (mi[rows[i].model] < 0) {
			mi[rows[i].model] = (long)nm;
			models[nm++] = rows[i].model;
		}
		if (ci[rows[i].channel] < 0) {
			ci[rows[i].channel] = (long)nc;
			chans[nc++] = rows[i].channel;
		}
		any_ci |= rows[i].ci;
	}
	/* the intervals are of conversions */
	if (o->measure != PLOT_CONVERSIONS)
		any_ci = 0;
	/* cells [channel][model]: value, lo, hi */
	size_t ncell = nc * nm + 1;
	double *v = xcalloc(ncell, sizeof *v);
	double *lo = xmalloc(ncell * sizeof *lo);
	double *hi = xmalloc(ncell * sizeof *hi);
	for (size_t i = 0; i < ncell; i++)
		lo[i] = hi[i] = NAN;
	struct rank *rk = xcalloc(nc + 1, sizeof *rk);
	for (size_t c = 0; c < nc; c++) {
		rk[c].idx = c;
		rk[c].name = str(p, chans[c], &rk[c].namelen);
	}
	for (size_t i = 0; i < p->nrows; i++) {
		size_t c = (size_t)ci[rows[i].channel];
		size_t k = c * nm + (size_t)mi[rows[i].model];
		v[k] = measure_of(&rows[i], o->measure);
		if (rows[i].ci) {
			lo[k] = rows[i].lo;
			hi[k] = rows[i].hi;
		}
		rk[c].key += v[k];
	}
	/* channels by their total over the models, most credited first */
	qsort(rk, nc, sizeof *rk, rank_cmp);
	size_t shown = o->top && nc > o->top ? o->top : nc;
	int other = shown < nc;
	size_t nout = shown + (size_t)other;
	char title[160];
	if (nm == 1) {
		size_t n;
		const char *s = str(p, models[0], &n);
		snprintf(title, sizeof title, "%s credited by channel (%.*s)",
		    what[o->measure], (int)(n > 60 ? 60 : n), s);
	} else {
		snprintf(title, sizeof title,
		    "%s credited by channel and model", what[o->measure]);
	}
	if (p->nrows == 0) {
		empty_chart(b, p, o, title);
		goto out;
	}
	int h = imax(600, 140 + (int)nout * (10 + 8 * (int)nm));
	preamble(b, p, o, 1000, h, "grouped horizontal bars, channels x models",
	    title);
	size_t stride = any_ci ? 3 : 1;
	size_t colour = 2 + nm * stride;
	buf_printf(b,
	    "# one row per channel, most credited first: a column per "
	    "model%s, then the channel's colour\n"
	    "$attribution << EOD\n# channel",
	    any_ci ? " (value, lo, hi)" : "");
	for (size_t m = 0; m < nm; m++) {
		size_t n;
		const char *s = str(p, models[m], &n);
		buf_printf(b, " %.*s", (int)n, s);
		if (any_ci)
			buf_printf(b, " %.*s_lo %.*s_hi", (int)n, s, (int)n, s);
	}
	buf_adds(b, " colour\n");
	double *sum = xcalloc(nm + 1, sizeof *sum);
	double mn = 0;
	for (size_t r = 0; r < nc; r++) {
		size_t c = rk[r].idx;
		for (size_t m = 0; m < nm; m++)
			if (v[c * nm + m] < mn)
				mn = v[c * nm + m];
		if (r >= shown) {
			for (size_t m = 0; m < nm; m++)
				sum[m] += v[c * nm + m];
			continue;
		}
		datum_id(b, p, chans[c]);
		for (size_t m = 0; m < nm; m++) {
			num(b, v[c * nm + m]);
			if (any_ci) {
				num(b, lo[c * nm + m]);
				num(b, hi[c * nm + m]);
			}
		}
		buf_printf(b, " %u\n",
		    (unsigned)plot_channel_rgb(rk[r].name, rk[r].namelen));
	}
	if (other) {
		char lab[64];
		snprintf(lab, sizeof lab, "(other %zu channels)", nc - shown);
		plot_datum(b, lab, strlen(lab));
		for (size_t m = 0; m < nm; m++) {
			num(b, sum[m]);
			if (sum[m] < mn)
				mn = sum[m];
			if (any_ci)
				buf_adds(b, " NaN NaN");
		}
		buf_printf(
		    b, " %u\n", (unsigned)plot_channel_rgb("(other)", 7));
	}
	free(sum);
	buf_adds(b, "EOD\nset ytics (");
	for (size_t r = 0; r < nout; r++) {
		if (r)
			buf_adds(b, ", ");
		if (r < shown) {
			plot_quote(b, rk[r].name, rk[r].namelen);
		} else {
			char lab[64];
			snprintf(lab, sizeof lab, "(other %zu channels)",
			    nc - shown);
			quotes(b, lab);
		}
		buf_printf(b, " %zu", r);
	}
	buf_adds(b, ")\nset xlabel ");
	quotes(b, xlabel[o->measure]);
	buf_printf(b,
	    "\nset ylabel 'channel'\n"
	    "set style fill solid 0.85 border rgb '#404040'\n"
	    "set yrange [%zu.5:-0.5]\n"
	    "set xrange [%s:*]\n"
	    "set offsets 0, graph 0.12, 0, 0\n"
	    "set ytics scale 0\n"
	    "set grid xtics lc rgb '#dddddd'\n",
	    nout - 1, mn < 0 ? "*" : "0");
	if (nm == 1) {
		/* one model: the channels' own colours, values at the ends */
		buf_printf(b,
		    "unset key\n"
		    "plot $attribution using (column(2)/2):($0):"
		    "(abs(column(2))/2):(0.38):(column(%zu)) "
		    "with boxxyerror lc rgb variable notitle, \\\n"
		    "  '' using %s:($0):(sprintf('  %%.1f', column(2))) "
		    "with labels left notitle",
		    colour,
		    any_ci ? "(column(4) > column(2) ? column(4) : column(2))"
			   : "2");
		if (any_ci)
			buf_adds(b,
			    ", \\\n  '' using 2:($0):3:4 with "
			    "xerrorbars lc rgb '#303030' pt 7 ps 0.3 "
			    "notitle");
		buf_addc(b, '\n');
		goto out;
	}
	buf_printf(b,
	    "set key outside right top title 'model'\n"
	    "K = %zu\nbw = 0.8 / K\nplot ",
	    nm);
	for (size_t m = 0; m < nm; m++) {
		size_t n;
		const char *s = str(p, models[m], &n);
		size_t col = 2 + m * stride;
		if (m)
			buf_adds(b, ", \\\n  ");
		buf_printf(b,
		    "%s using (column(%zu)/2):($0-0.4+%zu.5*bw):"
		    "(abs(column(%zu))/2):(0.45*bw) with boxxyerror lc rgb ",
		    m ? "''" : "$attribution", col, m, col);
		rgb(b, plot_model_rgb(s, n));
		buf_adds(b, " title ");
		plot_quote(b, s, n);
	}
	if (any_ci)
		for (size_t m = 0; m < nm; m++) {
			size_t col = 2 + m * stride;
			buf_printf(b,
			    ", \\\n  '' using %zu:($0-0.4+%zu.5*bw):%zu:%zu "
			    "with xerrorbars lc rgb '#303030' pt 7 ps 0.3 "
			    "notitle",
			    col, m, col + 1, col + 2);
		}
	buf_addc(b, '\n');
out:
	free(mi);
	free(ci);
	free(models);
	free(chans);
	free(v);
	free(lo);
	free(hi);
	free(rk);
}

/* ---- paths ---- */

#define PATH_LABEL_MAX 48

static void
script_paths(const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	const struct prow *rows = p->rows;
	size_t top = o->top ? o->top : plot_default_top(PLOT_PATHS);
	size_t shown = p->nrows < top ? p->nrows : top;
	char title[96];
	snprintf(title, sizeof title, "Top %zu paths by journeys", shown);
	if (p->nrows == 0) {
		empty_chart(b, p, o, "Top paths by journeys");
		return;
	}
	struct rank *rk = xcalloc(p->nrows, sizeof *rk);
	int medians = 0;
	for (size_t i = 0; i < p->nrows; i++) {
		rk[i].idx = i;
		rk[i].key = rows[i].journeys;
		rk[i].name = str(p, rows[i].path, &rk[i].namelen);
		medians |= !isnan(rows[i].median);
	}
	qsort(rk, p->nrows, sizeof *rk, rank_cmp);
	double maxj = 0, maxr = 0;
	for (size_t r = 0; r < shown; r++) {
		const struct prow *x = &rows[rk[r].idx];
		double rate = x->journeys > 0 ? 100 * x->conv / x->journeys : 0;
		if (x->journeys > maxj)
			maxj = x->journeys;
		if (rate > maxr)
			maxr = rate;
	}
	preamble(b, p, o, 1000, imax(600, 140 + 26 * (int)shown),
	    "top paths by journeys, coloured by conversion rate", title);
	buf_adds(b,
	    "# one row per path, most journeys first: label, journeys, "
	    "conversions, conversion rate (%), text\n"
	    "$paths << EOD\n");
	struct buf lab = { 0 };
	for (size_t r = 0; r < shown; r++) {
		const struct prow *x = &rows[rk[r].idx];
		double rate = x->journeys > 0 ? 100 * x->conv / x->journeys : 0;
		buf_clear(&lab);
		plot_path_label(
		    &lab, rk[r].name, rk[r].namelen, PATH_LABEL_MAX);
		if (lab.len != rk[r].namelen) {
			buf_adds(b, "# ");
			for (size_t i = 0; i < rk[r].namelen; i++) {
				char c = rk[r].name[i];
				buf_addc(b, c == '\n' || c == '\r' ? ' ' : c);
			}
			buf_addc(b, '\n');
		}
		plot_datum(b, lab.data, lab.len);
		num(b, x->journeys);
		num(b, x->conv);
		buf_printf(b, " %.4f ", rate);
		buf_clear(&lab);
		buf_adds(&lab, "  ");
		plot_count(&lab, x->journeys);
		buf_printf(&lab, " journeys, %.1f%% converted", rate);
		if (!isnan(x->median)) {
			buf_adds(&lab, ", median ");
			plot_duration(&lab, x->median);
		}
		plot_datum(b, lab.data, lab.len);
		buf_addc(b, '\n');
	}
	buf_free(&lab);
	buf_printf(b,
	    "EOD\n"
	    "set xlabel 'journeys'\n"
	    "set ylabel 'path'\n"
	    "set style fill solid 0.9 border rgb '#404040'\n"
	    "set yrange [%zu.5:-0.5]\n"
	    "set xrange [0:%.10g]\n"
	    "set ytics scale 0\n"
	    "set grid xtics lc rgb '#dddddd'\n"
	    "set palette defined (0 '#c6dbef', 1 '#08306b')\n"
	    "set cbrange [0:%.10g]\n"
	    "set cblabel 'conversion rate (%%)'\n"
	    "unset key\n"
	    "plot $paths using (column(2)/2):($0):(column(2)/2):(0.38):"
	    "(column(4)):ytic(1) with boxxyerror fc palette notitle, \\\n"
	    "  '' using 2:($0):5 with labels left notitle\n",
	    shown - 1, maxj > 0 ? maxj * 1.7 : 1, maxr > 0 ? maxr : 1);
	free(rk);
}

/* ---- funnel ---- */

static void
script_funnel(const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	const struct srow *rows = p->rows;
	const char *title = "Funnel: journeys reaching each stage";
	if (p->nrows == 0) {
		empty_chart(b, p, o, title);
		return;
	}
	double maxj = 0;
	for (size_t i = 0; i < p->nrows; i++)
		if (rows[i].journeys > maxj)
			maxj = rows[i].journeys;
	preamble(b, p, o, 1000, imax(500, 140 + 50 * (int)p->nrows),
	    "journeys per stage, in funnel order, the stage before in grey",
	    title);
	buf_adds(b,
	    "# one row per stage in funnel order: stage, journeys, "
	    "journeys of the stage before, % of previous, % of first, "
	    "text\n$funnel << EOD\n");
	struct buf lab = { 0 };
	for (size_t i = 0; i < p->nrows; i++) {
		const struct srow *x = &rows[i];
		double prev = i ? rows[i - 1].journeys : x->journeys;
		double fp = !isnan(x->fprev) ? x->fprev
		    : prev > 0               ? x->journeys / prev
					     : 0;
		double ff = !isnan(x->ffirst) ? x->ffirst
		    : rows[0].journeys > 0    ? x->journeys / rows[0].journeys
					      : 0;
		datum_id(b, p, x->stage);
		num(b, x->journeys);
		num(b, prev);
		buf_printf(b, " %.4f %.4f ", 100 * fp, 100 * ff);
		buf_clear(&lab);
		buf_adds(&lab, "  ");
		plot_count(&lab, x->journeys);
		if (i) {
			buf_printf(&lab,
			    ": %.1f%% of previous, %.1f%% of first", 100 * fp,
			    100 * ff);
			if (!isnan(x->median)) {
				buf_adds(&lab, "; median ");
				plot_duration(&lab, x->median);
			}
		} else {
			buf_adds(&lab, " journeys");
		}
		plot_datum(b, lab.data, lab.len);
		buf_addc(b, '\n');
	}
	buf_free(&lab);
	buf_printf(b,
	    "EOD\n"
	    "set xlabel 'journeys'\n"
	    "set ylabel 'stage'\n"
	    "set yrange [%zu.5:-0.5]\n"
	    "set xrange [0:%.10g]\n"
	    "set ytics scale 0\n"
	    "set grid xtics lc rgb '#dddddd'\n"
	    "unset key\n"
	    "plot $funnel using (column(3)/2):($0):(column(3)/2):(0.4):"
	    "ytic(1) with boxxyerror fs solid 1 noborder lc rgb '#dddddd' "
	    "notitle, \\\n"
	    "  '' using (column(2)/2):($0):(column(2)/2):(0.4) with "
	    "boxxyerror fs solid 0.9 border rgb '#404040' lc rgb '#4e79a7' "
	    "notitle, \\\n"
	    "  '' using (column(3) > column(2) ? column(3) : column(2)):($0):6 "
	    "with labels left notitle\n",
	    p->nrows - 1, maxj > 0 ? maxj * 1.8 : 1);
}

/* ---- friction ---- */

/* A dropoff or dead_end row: journeys lost by definition, not a cause. */
static int
outcome_signal(const struct plot *p, const struct frow *x)
{
	size_t n;
	const char *s = str(p, x->signal, &n);
	return (n == 7 && memcmp(s, "dropoff", 7) == 0) ||
	    (n == 8 && memcmp(s, "dead_end", 8) == 0);
}

static void
friction_label(struct buf *l, const struct plot *p, const struct frow *x)
{
	size_t n;
	const char *s = str(p, x->signal, &n);
	buf_add(l, s, n);
	s = str(p, x->step, &n);
	if (n) {
		buf_adds(l, ": ");
		buf_add(l, s, n);
	}
	s = str(p, x->channel, &n);
	if (n) {
		buf_adds(l, " (");
		buf_add(l, s, n);
		buf_addc(l, ')');
	}
	s = str(p, x->group, &n);
	if (n) {
		buf_adds(l, " [");
		buf_add(l, s, n);
		buf_addc(l, ']');
	}
}

static void
script_friction(const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	const struct frow *rows = p->rows;
	size_t top = o->top ? o->top : plot_default_top(PLOT_FRICTION);
	size_t shown = p->nrows < top ? p->nrows : top;
	const char *title = "Top friction signals by impact";
	if (p->nrows == 0) {
		empty_chart(b, p, o, title);
		return;
	}
	/*
	 * Drop-offs and dead ends count journeys lost by definition, often
	 * thousands: on one axis they would shrink the behavioural signals
	 * to nothing, so they are left out while there is any other row
	 * (the funnel chart draws the drop-offs), unless asked for.
	 */
	int behavioural = 0;
	for (size_t i = 0; i < p->nrows; i++)
		behavioural |= !outcome_signal(p, &rows[i]);
	/* labels first: the sort breaks ties by label */
	struct buf *labs = xcalloc(p->nrows, sizeof *labs);
	struct rank *rk = xcalloc(p->nrows, sizeof *rk);
	size_t eligible = 0;
	for (size_t i = 0; i < p->nrows; i++) {
		friction_label(&labs[i], p, &rows[i]);
		rk[i].idx = i;
		rk[i].key = rows[i].impact;
		rk[i].group = !rows[i].ranked;
		if (behavioural && !o->all_signals &&
		    outcome_signal(p, &rows[i]))
			rk[i].group = 2;
		else
			eligible++;
		rk[i].name = labs[i].data;
		rk[i].namelen = labs[i].len;
	}
	/* ranked signals by impact, then the unranked (jt-friction's order) */
	qsort(rk, p->nrows, sizeof *rk, rank_cmp);
	if (shown > eligible)
		shown = eligible;
	double mn = 0, mx = 0;
	int unranked = 0;
	for (size_t r = 0; r < shown; r++) {
		const struct frow *x = &rows[rk[r].idx];
		if (x->impact < mn)
			mn = x->impact;
		if (x->impact > mx)
			mx = x->impact;
		unranked |= !x->ranked;
	}
	/* wide enough for the longest label beside a 500-pixel plot */
	size_t longest = 0;
	for (size_t r = 0; r < shown; r++)
		if (rk[r].namelen > longest)
			longest = rk[r].namelen;
	int width = imax(1000, 700 + 7 * (int)(longest < 300 ? longest : 300));
	preamble(b, p, o, width, imax(600, 140 + 28 * (int)shown),
	    "friction signals by impact, coloured by channel, unranked "
	    "hatched",
	    title);
	buf_adds(b,
	    "# one row per signal, ranked by impact then unranked: "
	    "label, impact, journeys, z, ranked, colour, text\n"
	    "$friction << EOD\n");
	struct buf lab = { 0 };
	for (size_t r = 0; r < shown; r++) {
		const struct frow *x = &rows[rk[r].idx];
		size_t cn;
		const char *cs = str(p, x->channel, &cn);
		plot_datum(b, rk[r].name, rk[r].namelen);
		num(b, x->impact);
		num(b, x->journeys);
		num(b, x->z);
		buf_printf(b, " %d %u ", x->ranked,
		    (unsigned)(cn ? plot_channel_rgb(cs, cn)
				  : plot_channel_rgb("(none)", 6)));
		buf_clear(&lab);
		buf_printf(&lab, "  %.1f", x->impact);
		const char *sep = " (";
		if (!isnan(x->journeys)) {
			buf_adds(&lab, sep);
			plot_count(&lab, x->journeys);
			buf_adds(&lab, " journeys");
			sep = ", ";
		}
		if (!x->ranked) {
			buf_adds(&lab, sep);
			buf_adds(&lab, "not ranked");
			sep = ", ";
		} else if (!isnan(x->z)) {
			buf_printf(&lab, "%sz %.1f", sep, x->z);
			sep = ", ";
		}
		if (sep[0] == ',')
			buf_addc(&lab, ')');
		plot_datum(b, lab.data, lab.len);
		buf_addc(b, '\n');
	}
	buf_free(&lab);
	double span = mx - mn > 0 ? mx - mn : 1;
	buf_printf(b,
	    "EOD\n"
	    "set xlabel 'impact: estimated conversions lost'\n"
	    "set ylabel 'signal'\n"
	    "set yrange [%zu.5:-0.5]\n"
	    "set xrange [%.10g:%.10g]\n"
	    "set ytics scale 0\n"
	    "set grid xtics lc rgb '#dddddd'\n"
	    "set key outside right top title 'channel'\n"
	    "plot $friction using (column(5) != 0 ? column(2)/2 : NaN):($0):"
	    "(abs(column(2))/2):(0.38):(column(6)):ytic(1) with boxxyerror "
	    "fs solid 0.85 border rgb '#404040' lc rgb variable notitle, "
	    "\\\n"
	    "  '' using (column(5) != 0 ? NaN : column(2)/2):($0):"
	    "(abs(column(2))/2):(0.38):(column(6)) with boxxyerror "
	    "fs pattern 4 border rgb '#404040' lc rgb variable notitle, \\\n"
	    "  '' using (column(2) > 0 ? column(2) : 0):($0):7 with labels "
	    "left notitle",
	    shown - 1, mn < 0 ? mn - 0.15 * span : 0, mx + 0.6 * span);
	/* the legend: each channel drawn, in order of first appearance */
	uint32_t nstr = strtab_count(p->str);
	unsigned char *seen = xcalloc(nstr + 1, 1);
	for (size_t r = 0; r < shown; r++) {
		const struct frow *x = &rows[rk[r].idx];
		if (seen[x->channel])
			continue;
		seen[x->channel] = 1;
		size_t cn;
		const char *cs = str(p, x->channel, &cn);
		buf_adds(
		    b, ", \\\n  keyentry with boxes fs solid 0.85 lc rgb ");
		rgb(b,
		    cn ? plot_channel_rgb(cs, cn)
		       : plot_channel_rgb("(none)", 6));
		buf_adds(b, " title ");
		if (cn)
			plot_quote(b, cs, cn);
		else
			buf_adds(b, "'(none)'");
	}
	if (unranked)
		buf_adds(b,
		    ", \\\n  keyentry with boxes fs pattern 4 lc rgb "
		    "'#404040' title 'not ranked'");
	buf_addc(b, '\n');
	free(seen);
	for (size_t i = 0; i < p->nrows; i++)
		buf_free(&labs[i]);
	free(labs);
	free(rk);
}

/* ---- transitions ---- */

static void
script_transitions(
    const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	const struct trow *rows = p->rows;
	int dfg = p->kind == PLOT_DFG;
	const char *title = dfg ? "Transitions between steps"
				: "Markov transition probabilities";
	if (p->nrows == 0) {
		empty_chart(b, p, o, title);
		return;
	}
	uint32_t ns = strtab_count(p->str);
	/* per state: seen as from, seen as to, flow */
	unsigned char *isfrom = xcalloc(ns, 1), *isto = xcalloc(ns, 1);
	double *flow = xcalloc(ns, sizeof *flow);
	double *rowsum = xcalloc(ns, sizeof *rowsum);
	for (size_t i = 0; i < p->nrows; i++) {
		const struct trow *t = &rows[i];
		double w = t->count > 0 ? t->count : t->prob;
		isfrom[t->from] = isto[t->to] = 1;
		flow[t->from] += w;
		flow[t->to] += w;
		rowsum[t->from] += t->count;
	}
	/*
	 * Cells are boxes, not "with image": an image needs a grid of 2 x 2
	 * at least, and a table may have one row.
	 *
	 * Order: sources (never a "to": the start state), then the states
	 * between by flow, then sinks (never a "from": conversion, null).
	 */
	struct rank *rk = xcalloc(ns, sizeof *rk);
	size_t nmid = 0;
	for (uint32_t s = 0; s < ns; s++) {
		rk[s].idx = s;
		rk[s].name = str(p, s, &rk[s].namelen);
		rk[s].group = !isto[s] ? 0 : !isfrom[s] ? 2 : 1;
		/* sinks by name: (conversion) before (null) */
		rk[s].key = rk[s].group == 2 ? 0 : flow[s];
		nmid += rk[s].group == 1;
	}
	qsort(rk, ns, sizeof *rk, rank_cmp);
	/* --top N: the N states between with most flow */
	long *pos = xmalloc(ns * sizeof *pos); /* rank position or -1 */
	size_t kept_mid = 0;
	for (size_t r = 0; r < ns; r++) {
		pos[rk[r].idx] = (long)r;
		if (rk[r].group == 1 && o->top && kept_mid++ >= o->top)
			pos[rk[r].idx] = -1;
	}
	long *rowi = xmalloc(ns * sizeof *rowi),
	     *coli = xmalloc(ns * sizeof *coli);
	uint32_t *rowst = xmalloc(ns * sizeof *rowst);
	uint32_t *colst = xmalloc(ns * sizeof *colst);
	size_t nr = 0, nc = 0;
	for (size_t r = 0; r < ns; r++) {
		uint32_t s = (uint32_t)rk[r].idx;
		rowi[s] = coli[s] = -1;
		if (pos[s] < 0)
			continue;
		if (isfrom[s]) {
			rowi[s] = (long)nr;
			rowst[nr++] = s;
		}
		if (isto[s]) {
			coli[s] = (long)nc;
			colst[nc++] = s;
		}
	}
	double *cell = xcalloc(nr * nc + 1, sizeof *cell);
	double *cnt = xcalloc(nr * nc + 1, sizeof *cnt);
	for (size_t i = 0; i < p->nrows; i++) {
		const struct trow *t = &rows[i];
		if (rowi[t->from] < 0 || coli[t->to] < 0)
			continue;
		size_t k = (size_t)rowi[t->from] * nc + (size_t)coli[t->to];
		cell[k] = dfg
		    ? (rowsum[t->from] > 0 ? t->count / rowsum[t->from] : 0)
		    : t->prob;
		cnt[k] = t->count;
	}
	int w = imax(1000, 260 + 64 * (int)nc);
	int h = imax(600, 220 + 34 * (int)nr);
	preamble(b, p, o, w, h,
	    dfg ? "heat map of the directly-follows graph, each row's "
		  "share, labelled with counts"
		: "heat map of the transition probabilities",
	    title);
	if (o->top && kept_mid > o->top)
		buf_printf(b, "# --top %zu: %zu other states left out\n",
		    o->top, kept_mid - o->top);
	buf_adds(b, "set xtics (");
	for (size_t c = 0; c < nc; c++) {
		size_t n;
		const char *s = str(p, colst[c], &n);
		if (c)
			buf_adds(b, ", ");
		plot_quote(b, s, n);
		buf_printf(b, " %zu", c);
	}
	buf_adds(b, ") rotate by 40 right scale 0\nset ytics (");
	for (size_t r = 0; r < nr; r++) {
		size_t n;
		const char *s = str(p, rowst[r], &n);
		if (r)
			buf_adds(b, ", ");
		plot_quote(b, s, n);
		buf_printf(b, " %zu", r);
	}
	buf_printf(b,
	    ") scale 0\n"
	    "# one row per cell: column (to), row (from), %s, "
	    "text colour, text\n"
	    "$transitions << EOD\n",
	    dfg ? "share of the row" : "probability");
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < nc; c++) {
			double x = cell[r * nc + c];
			buf_printf(b, "%zu %zu", c, r);
			num(b, x);
			buf_printf(b, " %u ", x > 0.55 ? 0xffffffu : 0x202020u);
			char lab[40] = "";
			if (dfg && cnt[r * nc + c] > 0) {
				struct buf l = { 0 };
				plot_count(&l, cnt[r * nc + c]);
				snprintf(lab, sizeof lab, "%s", l.data);
				buf_free(&l);
			} else if (!dfg && x > 0) {
				snprintf(lab, sizeof lab,
				    x < 0.005 ? "<0.01" : "%.2f", x);
			}
			plot_datum(b, lab, strlen(lab));
			buf_addc(b, '\n');
		}
	buf_printf(b,
	    "EOD\n"
	    "set xlabel 'to'\n"
	    "set ylabel 'from'\n"
	    "set xrange [-0.5:%zu.5]\n"
	    "set yrange [%zu.5:-0.5]\n"
	    "set palette defined (0 '#f7fbff', 0.5 '#6baed6', 1 '#08306b')\n"
	    "set cbrange [0:1]\n"
	    "set cblabel %s\n"
	    "unset key\n"
	    "plot $transitions using 1:2:(0.5):(0.5):3 with boxxyerror "
	    "fs solid 1 noborder fc palette notitle, \\\n"
	    "  '' using 1:2:5:4 with labels tc rgb variable notitle\n",
	    nc - 1, nr - 1,
	    dfg ? "'share of the transitions out of the row''s step'"
		: "'transition probability'");
	free(isfrom);
	free(isto);
	free(flow);
	free(rowsum);
	free(rk);
	free(pos);
	free(rowi);
	free(coli);
	free(rowst);
	free(colst);
	free(cell);
	free(cnt);
}

/* ---- timeline ---- */

static int
day_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Days without any event are drawn as zeros up to this span. */
#define TIMELINE_FILL_DAYS 3660

static void
script_timeline(const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	const char *title = "Events per day by channel";
	if (p->ndays == 0) {
		empty_chart(b, p, o, title);
		return;
	}
	uint32_t nch = strtab_count(p->str);
	struct rank *rk = xcalloc(nch, sizeof *rk);
	for (uint32_t c = 0; c < nch; c++) {
		rk[c].idx = c;
		rk[c].name = str(p, c, &rk[c].namelen);
	}
	int64_t *days = xmalloc(p->ndays * sizeof *days);
	for (size_t i = 0; i < p->ndays; i++) {
		const struct day *d = &p->days[i];
		days[i] = d->day;
		for (size_t c = 0; c < d->cap && c < nch; c++)
			rk[c].key += (double)d->n[c];
	}
	qsort(rk, nch, sizeof *rk, rank_cmp);
	qsort(days, p->ndays, sizeof *days, day_cmp);
	size_t top = o->top ? o->top : plot_default_top(PLOT_TIMELINE);
	size_t shown = nch > top ? top : nch;
	int other = shown < nch;
	int64_t first = days[0], last = days[p->ndays - 1];
	int fill = last - first < TIMELINE_FILL_DAYS;
	preamble(b, p, o, 1000, 600, "events per day (UTC) per channel", title);
	buf_adds(b,
	    "# one row per day (UTC): date, seconds since 1970, then "
	    "the events of each channel, most events first\n"
	    "$timeline << EOD\n# day seconds");
	for (size_t r = 0; r < shown; r++)
		buf_printf(b, " %.*s", (int)rk[r].namelen, rk[r].name);
	if (other)
		buf_adds(b, " (other)");
	buf_addc(b, '\n');
	size_t di = 0;
	for (int64_t day = first; day <= last; day++) {
		const struct day *d = NULL;
		if (days[di] == day) {
			/* find it (the table is not sorted) */
			size_t h = day_hash(day, p->nslots - 1);
			while (p->days[p->slot[h] - 1].day != day)
				h = (h + 1) & (p->nslots - 1);
			d = &p->days[p->slot[h] - 1];
			di++;
		} else if (!fill) {
			day = days[di] - 1;
			continue;
		}
		char ts[TS_FORMAT_LEN + 1];
		ts_format(day * 86400000, ts);
		buf_printf(b, "%.10s %lld", ts, (long long)(day * 86400));
		uint64_t rest = 0;
		for (size_t r = 0; r < nch; r++) {
			size_t c = rk[r].idx;
			uint64_t n = d && c < d->cap ? d->n[c] : 0;
			if (r < shown)
				buf_printf(b, " %llu", (unsigned long long)n);
			else
				rest += n;
		}
		if (other)
			buf_printf(b, " %llu", (unsigned long long)rest);
		buf_addc(b, '\n');
	}
	buf_printf(b,
	    "EOD\n"
	    "set xlabel 'day (UTC)'\n"
	    "set ylabel 'events'\n"
	    "set xrange [%lld:%lld]\n"
	    "set xtics format '%s' timedate\n"
	    "set yrange [0:*]\n"
	    "set grid ytics lc rgb '#dddddd'\n"
	    "set key outside right top title 'channel'\n"
	    "plot ",
	    (long long)(first * 86400 - 43200),
	    (long long)(last * 86400 + 43200),
	    last - first > 120 ? "%b %Y" : "%d %b");
	for (size_t r = 0; r < shown + (size_t)other; r++) {
		if (r)
			buf_adds(b, ", \\\n  ");
		buf_printf(b,
		    "%s using 2:%zu with linespoints lw 2 pt 7 ps 0.5 "
		    "lc rgb ",
		    r ? "''" : "$timeline", r + 3);
		if (r < shown) {
			rgb(b, plot_channel_rgb(rk[r].name, rk[r].namelen));
			buf_adds(b, " title ");
			plot_quote(b, rk[r].name, rk[r].namelen);
		} else {
			rgb(b, plot_channel_rgb("(other)", 7));
			/* dashed: not to be taken for a grey channel */
			buf_printf(b, " dt 2 title '(other %zu channels)'",
			    nch - shown);
		}
	}
	buf_addc(b, '\n');
	free(rk);
	free(days);
}

void
plot_script(const struct plot *p, const struct plot_opts *o, struct buf *out)
{
	switch (p->chart) {
	case PLOT_ATTRIBUTION: script_attribution(p, o, out); break;
	case PLOT_PATHS: script_paths(p, o, out); break;
	case PLOT_FUNNEL: script_funnel(p, o, out); break;
	case PLOT_FRICTION: script_friction(p, o, out); break;
	case PLOT_TRANSITIONS: script_transitions(p, o, out); break;
	case PLOT_TIMELINE: script_timeline(p, o, out); break;
	}
}
