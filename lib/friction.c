/*
 * friction: per-journey signal counting and the ranking (friction.h).
 *
 * Everything is keyed by dense ids from string tables: a step is a
 * (place, event) pair, a transition a pair of steps, a slow group a
 * (transition, group value) pair, a row a (signal, a, b) triple, and
 * "pairs" (namespace, x, y) hold the side counts (the predecessors of
 * errors with their co-occurrence, the places where funnels drop).  Each
 * id owns a slot in growable arrays.  Per journey, "stamps" (the number
 * of the journey that last touched a slot) make every count once per
 * journey without clearing anything.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "friction.h"
#include "qsketch.h"
#include "strtab.h"

static const char *const signal_names[FS_N] = { "error", "loop",
	"repeat_contact", "channel_switch", "slow_step", "dropoff",
	"dead_end" };

const char *
friction_signal_name(enum friction_signal s)
{
	return s < FS_N ? signal_names[s] : "?";
}

/* Counts of a set of exposures: all of them, and those whose journey
 * converted at or after them. */
struct nc {
	uint64_t n, c;
};

struct step {
	uint32_t place; /* id in places */
	uint32_t event; /* id in events */
	struct nc vis;  /* visits containing the step */
	struct nc vend; /* digital visits without conversion ending with it */
	struct nc cont; /* service contacts ending with it (outcome window) */
	uint64_t crep;  /* ... of which repeated */
	uint64_t cjourneys, cjstamp; /* distinct journeys with such a contact */
	uint64_t vstamp;
	uint32_t vcount; /* occurrences in the current visit */
};

struct rowacc {
	enum friction_signal signal;
	uint32_t a, b;
	struct nc with;    /* exposures with the signal */
	uint64_t journeys; /* distinct journeys with it */
	uint64_t jstamp, vstamp;
	char *example;
};

struct trans {
	uint32_t from, to; /* steps */
	struct nc vis;     /* visits with the transition */
	uint64_t vstamp;
};

struct tgroup {
	uint32_t trans, group;
	struct qsketch all;     /* every duration */
	struct qsketch vmax[2]; /* per visit its longest, by outcome */
	uint64_t vstamp;
	uint64_t cur_max;
	uint64_t ex_max;
	char *example; /* the journey with the longest duration */
};

struct pair {
	uint64_t occ; /* predecessor occurrences, drop counts */
	struct nc co; /* visits with both */
	char *example;
};

enum { NS_PRED, NS_DROP };

/* Durations outside a group needed for their p90 to be the bar. */
#define SLOW_MIN_OUTSIDE 10

struct place {
	struct nc serv; /* service contacts here (outcome window) */
	uint64_t srep;  /* ... of which repeated */
};

struct friction {
	const struct friction_conf *cf;
	struct strtab *places, *events, *groups;
	struct strtab *step_ids, *trans_ids, *tg_ids, *row_ids, *pair_ids;
	struct strtab *step_names; /* "place NUL event" -> step_of_name */
	uint32_t *step_of_name;
	size_t nstep_names, capstep_names;
	struct step *step;
	size_t nstep, capstep;
	struct trans *trans;
	size_t ntrans, captrans;
	struct tgroup *tg;
	size_t ntg, captg;
	struct rowacc *racc;
	size_t nracc, capracc;
	struct pair *pair;
	size_t npair, cappair;
	struct place *place;
	size_t nplace, capplace;

	uint64_t jno, vno; /* journey and visit stamps */
	struct friction_totals tot;
	uint64_t unconverted;

	/* funnel */
	uint64_t reached[FRICTION_MAX_STAGES];
	struct qsketch stage_dur[FRICTION_MAX_STAGES];
	struct friction_stage stages[FRICTION_MAX_STAGES];

	/* per person scratch */
	struct {
		const char **place, **chan;
		size_t *place_len, *chan_len;
		uint32_t *step;
		uint8_t *assisted, *vstart, *vconv;
		size_t *vend, *next_contact, *next_conv;
		size_t cap;
	} p;
	/* per visit scratch lists */
	uint32_t *vsteps, *verr, *vtrans, *vtg;
	size_t nvsteps, nverr, nvtrans, nvtg;
	size_t capvsteps, capverr, capvtrans, capvtg;

	struct friction_row *rows;
	size_t nrows;
	struct buf tmp;
	int finished;
};

#define GROW(arr, n, cap)                                                      \
	do {                                                                   \
		if ((n) == (cap)) {                                            \
			(cap) = (cap) ? 2 * (cap) : 64;                        \
			(arr) = xreallocarray((arr), (cap), sizeof *(arr));    \
		}                                                              \
	} while (0)

#define PUSH(arr, n, cap, v)                                                   \
	do {                                                                   \
		GROW(arr, n, cap);                                             \
		(arr)[(n)++] = (v);                                            \
	} while (0)

struct friction *
friction_new(const struct friction_conf *conf)
{
	struct friction *f = xcalloc(1, sizeof *f);
	f->cf = conf;
	f->places = strtab_new();
	f->events = strtab_new();
	f->groups = strtab_new();
	f->step_ids = strtab_new();
	f->step_names = strtab_new();
	f->trans_ids = strtab_new();
	f->tg_ids = strtab_new();
	f->row_ids = strtab_new();
	f->pair_ids = strtab_new();
	int added;
	strtab_intern(f->groups, "", 0, &added); /* group 0: none */
	return f;
}

static uint32_t
intern_key(struct strtab *t, const uint32_t *k, size_t nk, int *added)
{
	return strtab_intern(t, (const char *)k, nk * sizeof *k, added);
}

static uint32_t
step_of(
    struct friction *f, const char *pl, size_t pn, const char *ev, size_t en)
{
	/* one lookup of "place NUL event" nearly always; ids only when new */
	buf_clear(&f->tmp);
	buf_add(&f->tmp, pl, pn);
	buf_addc(&f->tmp, '\0');
	buf_add(&f->tmp, ev, en);
	int added;
	uint32_t sid =
	    strtab_intern(f->step_names, f->tmp.data, f->tmp.len, &added);
	if (!added)
		return f->step_of_name[sid];
	uint32_t k[2];
	k[0] = strtab_intern(f->places, pl, pn, &added);
	if (added) {
		GROW(f->place, f->nplace, f->capplace);
		memset(&f->place[f->nplace++], 0, sizeof *f->place);
	}
	k[1] = strtab_intern(f->events, ev, en, &added);
	uint32_t id = intern_key(f->step_ids, k, 2, &added);
	if (added) {
		GROW(f->step, f->nstep, f->capstep);
		struct step *s = &f->step[f->nstep++];
		memset(s, 0, sizeof *s);
		s->place = k[0];
		s->event = k[1];
	}
	GROW(f->step_of_name, f->nstep_names, f->capstep_names);
	f->step_of_name[f->nstep_names++] = id;
	return id;
}

/*
 * Row (signal, a, b) happened in the current visit, of outcome o, in the
 * journey of event je; counted once per visit and once per journey.
 * Returns the row's id, and *first set when new in this visit.
 */
static uint32_t
row_hit(struct friction *f, enum friction_signal sig, uint32_t a, uint32_t b,
    int o, const struct friction_ev *je, int *first)
{
	uint32_t k[3] = { (uint32_t)sig, a, b };
	int added;
	uint32_t id = intern_key(f->row_ids, k, 3, &added);
	if (added) {
		GROW(f->racc, f->nracc, f->capracc);
		struct rowacc *r = &f->racc[f->nracc++];
		memset(r, 0, sizeof *r);
		r->signal = sig;
		r->a = a;
		r->b = b;
	}
	struct rowacc *r = &f->racc[id];
	if (first)
		*first = 0;
	if (r->vstamp == f->vno)
		return id;
	r->vstamp = f->vno;
	if (first)
		*first = 1;
	r->with.n++;
	r->with.c += (uint64_t)o;
	if (r->jstamp != f->jno) {
		r->jstamp = f->jno;
		r->journeys++;
		if (!r->example)
			r->example = xstrndup(je->journey, je->journey_len);
	}
	return id;
}

static struct pair *
pair_of(struct friction *f, uint32_t ns, uint32_t x, uint32_t y)
{
	uint32_t k[3] = { ns, x, y };
	int added;
	uint32_t id = intern_key(f->pair_ids, k, 3, &added);
	if (added) {
		GROW(f->pair, f->npair, f->cappair);
		memset(&f->pair[f->npair++], 0, sizeof *f->pair);
	}
	return &f->pair[id];
}

static int
is_assisted(const struct friction_conf *cf, const char *s, size_t n)
{
	for (size_t i = 0; i < cf->nassisted; i++)
		if (strlen(cf->assisted[i]) == n &&
		    memcmp(cf->assisted[i], s, n) == 0)
			return 1;
	return 0;
}

static void
person_scratch(struct friction *f, size_t n)
{
	if (n <= f->p.cap)
		return;
	size_t c = f->p.cap ? f->p.cap : 64;
	while (c < n)
		c *= 2;
	f->p.cap = c;
	f->p.place = xreallocarray(f->p.place, c, sizeof *f->p.place);
	f->p.chan = xreallocarray(f->p.chan, c, sizeof *f->p.chan);
	f->p.place_len =
	    xreallocarray(f->p.place_len, c, sizeof *f->p.place_len);
	f->p.chan_len = xreallocarray(f->p.chan_len, c, sizeof *f->p.chan_len);
	f->p.step = xreallocarray(f->p.step, c, sizeof *f->p.step);
	f->p.assisted = xreallocarray(f->p.assisted, c, 1);
	f->p.vstart = xreallocarray(f->p.vstart, c, 1);
	f->p.vconv = xreallocarray(f->p.vconv, c, 1);
	f->p.vend = xreallocarray(f->p.vend, c, sizeof *f->p.vend);
	f->p.next_contact =
	    xreallocarray(f->p.next_contact, c, sizeof *f->p.next_contact);
	f->p.next_conv =
	    xreallocarray(f->p.next_conv, c, sizeof *f->p.next_conv);
}

static void
set_example(char **ex, const struct friction_ev *e)
{
	if (!*ex)
		*ex = xstrndup(e->journey, e->journey_len);
}

/* The directly-follows transition i-1 -> i of the visit. */
static void
transition(struct friction *f, const struct friction_ev *ev, size_t i)
{
	uint32_t *st = f->p.step;
	uint32_t k[2] = { st[i - 1], st[i] };
	int added;
	uint32_t t = intern_key(f->trans_ids, k, 2, &added);
	if (added) {
		GROW(f->trans, f->ntrans, f->captrans);
		struct trans *tr = &f->trans[f->ntrans++];
		memset(tr, 0, sizeof *tr);
		tr->from = k[0];
		tr->to = k[1];
	}
	if (f->trans[t].vstamp != f->vno) {
		f->trans[t].vstamp = f->vno;
		PUSH(f->vtrans, f->nvtrans, f->capvtrans, t);
	}
	uint32_t g = 0;
	if (f->cf->slow_by) {
		const struct friction_ev *ge =
		    ev[i].group_len ? &ev[i] : &ev[i - 1];
		g = strtab_intern(f->groups, ge->group, ge->group_len, &added);
	}
	uint32_t kg[2] = { t, g };
	uint32_t id = intern_key(f->tg_ids, kg, 2, &added);
	if (added) {
		GROW(f->tg, f->ntg, f->captg);
		struct tgroup *x = &f->tg[f->ntg++];
		memset(x, 0, sizeof *x);
		x->trans = t;
		x->group = g;
	}
	struct tgroup *x = &f->tg[id];
	int64_t d = ev[i].ts - ev[i - 1].ts;
	uint64_t du = d > 0 ? (uint64_t)d : 0;
	qsketch_add(&x->all, du);
	if (x->vstamp != f->vno) {
		x->vstamp = f->vno;
		x->cur_max = du;
		PUSH(f->vtg, f->nvtg, f->capvtg, id);
	} else if (du > x->cur_max) {
		x->cur_max = du;
	}
}

/* One visit [vs, ve) of the journey [a, b); o: the journey converts at or
 * after the visit. */
static void
visit(struct friction *f, const struct friction_ev *ev, size_t a, size_t b,
    size_t vs, size_t ve, int o)
{
	const struct friction_conf *cf = f->cf;
	uint32_t *st = f->p.step;
	const struct friction_ev *je = &ev[a];
	f->vno++;
	f->nvsteps = f->nverr = f->nvtrans = f->nvtg = 0;
	for (size_t i = vs; i < ve; i++) {
		struct step *s = &f->step[st[i]];
		if (s->vstamp != f->vno) {
			s->vstamp = f->vno;
			s->vcount = 0;
			PUSH(f->vsteps, f->nvsteps, f->capvsteps, st[i]);
		}
		if (++s->vcount == cf->loop_min)
			row_hit(f, FS_LOOP, st[i], 0, o, je, NULL);
		if (ev[i].error) {
			int first;
			uint32_t r =
			    row_hit(f, FS_ERROR, st[i], 0, o, je, &first);
			if (first)
				PUSH(f->verr, f->nverr, f->capverr, r);
			/* the step before it in the visit (not itself) */
			for (size_t j = i; j > vs; j--)
				if (st[j - 1] != st[i]) {
					pair_of(f, NS_PRED, r, st[j - 1])
					    ->occ++;
					break;
				}
		}
		if (i > vs)
			transition(f, ev, i);
	}
	for (size_t i = 0; i < f->nvsteps; i++) {
		struct step *s = &f->step[f->vsteps[i]];
		s->vis.n++;
		s->vis.c += (uint64_t)o;
	}
	for (size_t i = 0; i < f->nverr; i++)
		for (size_t j = 0; j < f->nvsteps; j++) {
			struct pair *p =
			    pair_of(f, NS_PRED, f->verr[i], f->vsteps[j]);
			p->co.n++;
			p->co.c += (uint64_t)o;
		}
	for (size_t i = 0; i < f->nvtrans; i++) {
		struct trans *t = &f->trans[f->vtrans[i]];
		t->vis.n++;
		t->vis.c += (uint64_t)o;
	}
	for (size_t i = 0; i < f->nvtg; i++) {
		struct tgroup *x = &f->tg[f->vtg[i]];
		qsketch_add(&x->vmax[o], x->cur_max);
		if (!x->example || x->cur_max > x->ex_max) {
			free(x->example);
			x->example = xstrndup(je->journey, je->journey_len);
			x->ex_max = x->cur_max;
		}
	}
	if (f->p.vconv[vs])
		return;
	if (f->p.assisted[vs]) {
		/*
		 * A service contact, and another one soon after.  Its outcome
		 * is a conversion of its journey within the window: what a
		 * contact changes is the days after it.
		 */
		size_t cv = f->p.next_conv[vs];
		int oc =
		    cv < b && ev[cv].ts - ev[vs].ts <= cf->repeat_window_ms;
		struct step *out = &f->step[st[ve - 1]];
		struct place *p = &f->place[f->step[st[vs]].place];
		p->serv.n++;
		p->serv.c += (uint64_t)oc;
		out->cont.n++;
		out->cont.c += (uint64_t)oc;
		if (out->cjstamp != f->jno) {
			out->cjstamp = f->jno;
			out->cjourneys++;
		}
		f->tot.contacts++;
		size_t nx = f->p.next_contact[vs];
		if (nx != SIZE_MAX &&
		    ev[nx].ts - ev[vs].ts <= cf->repeat_window_ms) {
			row_hit(f, FS_REPEAT, st[ve - 1], 0, oc, je, NULL);
			p->srep++;
			out->crep++;
			f->tot.repeated_contacts++;
		}
		return;
	}
	/* a digital visit without conversion: did an assisted contact follow?
	 */
	struct step *last = &f->step[st[ve - 1]];
	last->vend.n++;
	last->vend.c += (uint64_t)o;
	if (ve < b && f->p.assisted[ve] &&
	    ev[ve].ts - ev[ve - 1].ts <= cf->switch_window_ms)
		row_hit(f, FS_SWITCH, st[ve - 1], 0, o, je, NULL);
}

/* One journey: events [a, b) of the person. */
static void
journey(struct friction *f, const struct friction_ev *ev, size_t a, size_t b)
{
	const struct friction_conf *cf = f->cf;
	uint32_t *st = f->p.step;
	long last_conv = -1;
	for (size_t i = a; i < b; i++)
		if (ev[i].conversion)
			last_conv = (long)i;
	int conv = last_conv >= 0;
	f->jno++;
	f->tot.journeys++;
	f->tot.converted += (uint64_t)conv;
	f->tot.events += b - a;
	uint64_t contacts = f->tot.contacts,
		 repeated = f->tot.repeated_contacts;
	for (size_t vs = a; vs < b; vs = f->p.vend[vs])
		visit(f, ev, a, b, vs, f->p.vend[vs], last_conv >= (long)vs);
	f->tot.contact_journeys += f->tot.contacts > contacts;
	f->tot.repeat_journeys += f->tot.repeated_contacts > repeated;
	if (!conv) {
		f->unconverted++;
		f->vno++;
		row_hit(f, FS_DEAD_END, st[b - 1], 0, 0, &ev[a], NULL);
	}

	/* funnel: stages matched in order, each after the one before */
	if (cf->nstages) {
		size_t k = 0;
		int64_t prev = 0;
		size_t prev_i = a;
		for (size_t i = a; i < b && k < cf->nstages; i++) {
			if (!(ev[i].stages >> k & 1))
				continue;
			f->reached[k]++;
			if (k > 0)
				qsketch_add(&f->stage_dur[k],
				    (uint64_t)(ev[i].ts - prev));
			prev = ev[i].ts;
			prev_i = i;
			k++;
		}
		if (k >= 1 && k < cf->nstages) {
			struct pair *p = pair_of(
			    f, NS_DROP, (uint32_t)k, f->step[st[prev_i]].place);
			p->occ++;
			set_example(&p->example, &ev[a]);
		}
	}
}

void
friction_person(struct friction *f, const struct friction_ev *ev, size_t n)
{
	const struct friction_conf *cf = f->cf;
	if (n == 0)
		return;
	person_scratch(f, n);
	/* visits: boundaries, the visit's place and channel for empty ones */
	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && ev[e].visit == ev[s].visit &&
		    ev[e].journey_len == ev[s].journey_len &&
		    memcmp(ev[e].journey, ev[s].journey, ev[s].journey_len) ==
			0)
			e++;
		const char *vp = "", *vc = "";
		size_t vpn = 0, vcn = 0;
		int vconv = 0;
		for (size_t i = s; i < e; i++) {
			if (!vpn && ev[i].place_len) {
				vp = ev[i].place;
				vpn = ev[i].place_len;
			}
			if (!vcn && ev[i].chan_len) {
				vc = ev[i].chan;
				vcn = ev[i].chan_len;
			}
			vconv |= ev[i].conversion;
		}
		int assisted =
		    is_assisted(cf, vc, vcn) || is_assisted(cf, vp, vpn);
		for (size_t i = s; i < e; i++) {
			f->p.place[i] = ev[i].place_len ? ev[i].place : vp;
			f->p.place_len[i] =
			    ev[i].place_len ? ev[i].place_len : vpn;
			f->p.assisted[i] = (uint8_t)assisted;
			f->p.vstart[i] = i == s;
			f->p.vconv[i] = (uint8_t)vconv;
			f->p.vend[i] = e;
			f->p.step[i] = step_of(f, f->p.place[i],
			    f->p.place_len[i], ev[i].event, ev[i].event_len);
		}
		s = e;
	}
	/* the next service contact after each event, over the person */
	size_t next = SIZE_MAX, conv = SIZE_MAX;
	for (size_t i = n; i-- > 0;) {
		f->p.next_contact[i] = next;
		if (f->p.vstart[i] && f->p.assisted[i] && !f->p.vconv[i])
			next = i;
		if (ev[i].conversion)
			conv = i;
		f->p.next_conv[i] = conv; /* at or after i */
	}
	/* journeys */
	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && ev[e].journey_len == ev[s].journey_len &&
		    memcmp(ev[e].journey, ev[s].journey, ev[s].journey_len) ==
			0)
			e++;
		journey(f, ev, s, e);
		s = e;
	}
}

/* ---- finishing ---- */

static void
add_row(struct friction *f, const struct friction_row *r)
{
	f->rows = xreallocarray(f->rows, f->nrows + 1, sizeof *f->rows);
	f->rows[f->nrows++] = *r;
}

static const char *
str_of(struct strtab *t, uint32_t id)
{
	size_t n;
	return strtab_str(t, id, &n);
}

/* Fills the comparison fields of r from with and without counts. */
static void
compare(const struct friction *f, struct friction_row *r, struct nc with,
    struct nc without)
{
	r->journeys = with.n;
	r->eligible = with.n + without.n;
	r->share = r->eligible ? (double)with.n / (double)r->eligible : 0;
	r->conv_with = with.n ? (double)with.c / (double)with.n : -1;
	r->conv_without =
	    without.n ? (double)without.c / (double)without.n : -1;
	r->impact = 0;
	r->z = NAN;
	r->ranked = 0;
	if (with.n == 0 || without.n == 0)
		return;
	r->impact = (double)with.n * (r->conv_without - r->conv_with);
	double p = (double)(with.c + without.c) / (double)(with.n + without.n);
	double se = sqrt(
	    p * (1 - p) * (1.0 / (double)with.n + 1.0 / (double)without.n));
	r->z = se > 0 ? (r->conv_without - r->conv_with) / se : 0;
	r->ranked = (long)with.n >= f->cf->min_journeys &&
	    (long)without.n >= f->cf->min_journeys;
}

static struct nc
nc_minus(struct nc a, struct nc b)
{
	struct nc r = { a.n > b.n ? a.n - b.n : 0, a.c > b.c ? a.c - b.c : 0 };
	return r;
}

static char *
dup_tmp(struct friction *f)
{
	return xstrdup(buf_str(&f->tmp));
}

static int
tier(const struct friction_row *r)
{
	if (r->signal == FS_DROPOFF || r->signal == FS_DEAD_END)
		return 2;
	return r->ranked ? 0 : 1;
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct friction_row *a = pa, *b = pb;
	int ta = tier(a), tb = tier(b);
	if (ta != tb)
		return ta - tb;
	if (a->impact != b->impact)
		return a->impact > b->impact ? -1 : 1;
	if (a->signal != b->signal)
		return (int)a->signal - (int)b->signal;
	int c = strcmp(a->channel, b->channel);
	if (c)
		return c;
	if ((c = strcmp(a->step, b->step)) != 0)
		return c;
	return strcmp(a->group, b->group);
}

/* The error's anchor: its most frequent predecessor, or UINT32_MAX. */
static uint32_t
anchor_of(struct friction *f, uint32_t row)
{
	uint32_t best = UINT32_MAX;
	uint64_t bocc = 0;
	for (uint32_t s = 0; s < f->nstep; s++) {
		uint32_t k[3] = { NS_PRED, row, s };
		uint32_t id =
		    strtab_find(f->pair_ids, (const char *)k, sizeof k);
		if (id != UINT32_MAX && f->pair[id].occ > bocc) {
			bocc = f->pair[id].occ;
			best = s;
		}
	}
	return best;
}

static void
slow_rows(struct friction *f)
{
	const struct friction_conf *cf = f->cf;
	/* the groups of each transition */
	size_t *first = xmalloc((f->ntrans + 1) * sizeof *first);
	size_t *order = xmalloc((f->ntg + 1) * sizeof *order);
	size_t *cnt = xcalloc(f->ntrans + 1, sizeof *cnt);
	for (size_t i = 0; i < f->ntg; i++)
		cnt[f->tg[i].trans]++;
	size_t acc = 0;
	for (size_t t = 0; t < f->ntrans; t++) {
		first[t] = acc;
		acc += cnt[t];
		cnt[t] = 0;
	}
	for (size_t i = 0; i < f->ntg; i++) {
		size_t t = f->tg[i].trans;
		order[first[t] + cnt[t]++] = i;
	}
	for (size_t t = 0; t < f->ntrans; t++) {
		struct qsketch total;
		qsketch_init(&total);
		for (size_t k = 0; k < cnt[t]; k++)
			qsketch_merge(&total, &f->tg[order[first[t] + k]].all);
		for (size_t k = 0; k < cnt[t]; k++) {
			struct tgroup *x = &f->tg[order[first[t] + k]];
			struct qsketch out;
			qsketch_init(&out);
			for (size_t j = 0; j < cnt[t]; j++)
				if (j != k)
					qsketch_merge(&out,
					    &f->tg[order[first[t] + j]].all);
			const struct qsketch *base =
			    cf->slow_by && out.n >= SLOW_MIN_OUTSIDE ? &out
								     : &total;
			double p90 = qsketch_quantile(base, 0.9);
			double thr = cf->slow_factor * p90;
			if (thr <= 0)
				thr =
				    1; /* a transition of 0 ms is never slow */
			struct nc with = { qsketch_count_ge(&x->vmax[0], thr) +
				    qsketch_count_ge(&x->vmax[1], thr),
				qsketch_count_ge(&x->vmax[1], thr) };
			if (with.n == 0) {
				qsketch_free(&out);
				continue;
			}
			struct friction_row r;
			memset(&r, 0, sizeof r);
			r.signal = FS_SLOW;
			const struct trans *tr = &f->trans[t];
			const struct step *from = &f->step[tr->from],
					  *to = &f->step[tr->to];
			r.channel = xstrdup(str_of(f->places, to->place));
			buf_clear(&f->tmp);
			buf_printf(&f->tmp, "%s > %s",
			    str_of(f->events, from->event),
			    str_of(f->events, to->event));
			r.step = dup_tmp(f);
			double in, outm;
			if (cf->slow_by) {
				in = qsketch_quantile(&x->all, 0.5);
				outm = out.n ? qsketch_quantile(&out, 0.5) : -1;
			} else {
				in = qsketch_quantile_in(&x->all, 0.5,
				    (uint64_t)ceil(thr), UINT64_MAX);
				outm = qsketch_quantile_in(
				    &x->all, 0.5, 0, (uint64_t)ceil(thr));
			}
			buf_clear(&f->tmp);
			if (cf->slow_by) {
				const char *g = str_of(f->groups, x->group);
				buf_printf(&f->tmp, "%s=%s ", cf->slow_by_name,
				    *g ? g : "(none)");
			}
			buf_printf(&f->tmp, "median_s=");
			if (in >= 0)
				buf_printf(&f->tmp, "%.1f", in / 1000);
			buf_addc(&f->tmp, '/');
			if (outm >= 0)
				buf_printf(&f->tmp, "%.1f", outm / 1000);
			r.group = dup_tmp(f);
			r.example = xstrdup(x->example ? x->example : "");
			compare(f, &r, with, nc_minus(tr->vis, with));
			add_row(f, &r);
			qsketch_free(&out);
		}
		qsketch_free(&total);
	}
	free(first);
	free(order);
	free(cnt);
}

/*
 * A repeat_contact row: the with-exposures are the contacts of the row's
 * outcome that were repeated or, when that outcome is repeated more often
 * than the place's other contacts (z of the two rates 2 or more), all of
 * its contacts: the outcome then marks the failure, whether or not the
 * person came back.  The group says which, and the two repeat rates.
 */
static void
repeat_row(struct friction *f, struct friction_row *r, const struct rowacc *ra,
    const struct step *s)
{
	const struct place *pl = &f->place[s->place];
	uint64_t n1 = s->cont.n, r1 = s->crep;
	uint64_t n2 = pl->serv.n - n1, r2 = pl->srep - r1;
	double p1 = n1 ? (double)r1 / (double)n1 : 0;
	double p2 = n2 ? (double)r2 / (double)n2 : -1;
	int outcome = 0;
	if (n1 && n2) {
		double p = (double)(r1 + r2) / (double)(n1 + n2);
		double se =
		    sqrt(p * (1 - p) * (1.0 / (double)n1 + 1.0 / (double)n2));
		outcome = se > 0 && (p1 - p2) / se >= 2;
	}
	struct nc with = outcome ? s->cont : ra->with;
	compare(f, r, with, nc_minus(pl->serv, with));
	r->journeys = outcome ? s->cjourneys : ra->journeys;
	buf_clear(&f->tmp);
	buf_printf(&f->tmp, "with=%s repeat_rate=%.3f/",
	    outcome ? "outcome" : "repeated", p1);
	if (p2 >= 0)
		buf_printf(&f->tmp, "%.3f", p2);
	r->group = dup_tmp(f);
}

void
friction_finish(struct friction *f)
{
	const struct friction_conf *cf = f->cf;
	if (f->finished)
		return;
	f->finished = 1;
	for (size_t i = 0; i < f->nracc; i++) {
		struct rowacc *ra = &f->racc[i];
		struct friction_row r;
		memset(&r, 0, sizeof r);
		r.signal = ra->signal;
		const struct step *s = &f->step[ra->a];
		r.channel = xstrdup(str_of(f->places, s->place));
		r.step = xstrdup(str_of(f->events, s->event));
		r.group = xstrdup("");
		r.example = xstrdup(ra->example ? ra->example : "");
		struct nc without = { 0, 0 };
		switch (ra->signal) {
		case FS_ERROR: {
			uint32_t an = anchor_of(f, (uint32_t)i);
			if (an != UINT32_MAX) {
				struct pair *p =
				    pair_of(f, NS_PRED, (uint32_t)i, an);
				without = nc_minus(f->step[an].vis, p->co);
			}
			compare(f, &r, ra->with, without);
			break;
		}
		case FS_LOOP:
			compare(f, &r, ra->with, nc_minus(s->vis, ra->with));
			break;
		case FS_SWITCH:
			compare(f, &r, ra->with, nc_minus(s->vend, ra->with));
			break;
		case FS_REPEAT:
			free((char *)r.group);
			repeat_row(f, &r, ra, s);
			break;
		case FS_DEAD_END:
			r.eligible = f->unconverted;
			r.share = f->unconverted
			    ? (double)ra->with.n / (double)f->unconverted
			    : 0;
			r.conv_with = r.conv_without = -1;
			r.impact = (double)ra->with.n;
			r.z = NAN;
			break;
		default: break;
		}
		if (ra->signal != FS_REPEAT)
			r.journeys = ra->journeys;
		add_row(f, &r);
	}
	slow_rows(f);
	/* funnel */
	for (size_t k = 0; k < cf->nstages; k++) {
		struct friction_stage *sg = &f->stages[k];
		sg->name = cf->stage[k];
		sg->journeys = f->reached[k];
		uint64_t prev = k ? f->reached[k - 1] : f->tot.journeys;
		sg->from_previous =
		    prev ? (double)f->reached[k] / (double)prev : 0;
		sg->from_first = f->reached[0]
		    ? (double)f->reached[k] / (double)f->reached[0]
		    : 0;
		double m = k ? qsketch_quantile(&f->stage_dur[k], 0.5) : -1;
		sg->median_s = m >= 0 ? m / 1000 : -1;
		if (k == 0 || f->reached[k - 1] == f->reached[k])
			continue;
		/* the drop-off: where the dropped journeys were last */
		uint64_t best = 0;
		uint32_t bpl = 0;
		struct pair *bp = NULL;
		for (uint32_t pl = 0; pl < f->nplace; pl++) {
			uint32_t key[3] = { NS_DROP, (uint32_t)k, pl };
			uint32_t id = strtab_find(
			    f->pair_ids, (const char *)key, sizeof key);
			if (id != UINT32_MAX && f->pair[id].occ > best) {
				best = f->pair[id].occ;
				bpl = pl;
				bp = &f->pair[id];
			}
		}
		struct friction_row r;
		memset(&r, 0, sizeof r);
		r.signal = FS_DROPOFF;
		r.channel = xstrdup(bp ? str_of(f->places, bpl) : "");
		r.step = xstrdup(cf->stage[k]);
		r.group = xstrdup("");
		r.example = xstrdup(bp && bp->example ? bp->example : "");
		r.journeys = f->reached[k - 1] - f->reached[k];
		r.eligible = f->reached[k - 1];
		r.share = (double)r.journeys / (double)r.eligible;
		r.conv_with = r.conv_without = -1;
		r.impact = (double)r.journeys;
		r.z = NAN;
		add_row(f, &r);
	}
	if (f->nrows)
		qsort(f->rows, f->nrows, sizeof *f->rows, cmp_rows);
}

size_t
friction_nrows(const struct friction *f)
{
	return f->nrows;
}

const struct friction_row *
friction_row(const struct friction *f, size_t i)
{
	return i < f->nrows ? &f->rows[i] : NULL;
}

const struct friction_stage *
friction_stage(const struct friction *f, size_t i)
{
	return i < f->cf->nstages ? &f->stages[i] : NULL;
}

void
friction_totals(const struct friction *f, struct friction_totals *t)
{
	*t = f->tot;
}

void
friction_free(struct friction *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nrows; i++) {
		free((char *)f->rows[i].channel);
		free((char *)f->rows[i].step);
		free((char *)f->rows[i].group);
		free((char *)f->rows[i].example);
	}
	free(f->rows);
	for (size_t i = 0; i < f->nracc; i++)
		free(f->racc[i].example);
	free(f->racc);
	for (size_t i = 0; i < f->npair; i++)
		free(f->pair[i].example);
	free(f->pair);
	for (size_t i = 0; i < f->ntg; i++) {
		qsketch_free(&f->tg[i].all);
		qsketch_free(&f->tg[i].vmax[0]);
		qsketch_free(&f->tg[i].vmax[1]);
		free(f->tg[i].example);
	}
	free(f->tg);
	for (size_t k = 0; k < FRICTION_MAX_STAGES; k++)
		qsketch_free(&f->stage_dur[k]);
	free(f->step);
	free(f->trans);
	free(f->place);
	strtab_free(f->places);
	strtab_free(f->events);
	strtab_free(f->groups);
	strtab_free(f->step_ids);
	strtab_free(f->step_names);
	free(f->step_of_name);
	strtab_free(f->trans_ids);
	strtab_free(f->tg_ids);
	strtab_free(f->row_ids);
	strtab_free(f->pair_ids);
	free(f->p.place);
	free(f->p.chan);
	free(f->p.place_len);
	free(f->p.chan_len);
	free(f->p.step);
	free(f->p.assisted);
	free(f->p.next_conv);
	free(f->p.vstart);
	free(f->p.vconv);
	free(f->p.vend);
	free(f->p.next_contact);
	free(f->vsteps);
	free(f->verr);
	free(f->vtrans);
	free(f->vtg);
	buf_free(&f->tmp);
	free(f);
}
