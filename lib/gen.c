/*
 * gen: persons, touches and the causal model of jt-gen (gen.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "gen.h"
#include "ts.h"

/*
 * Rates are touches per 30 days at activity 1; effects are the noisy-OR
 * terms.  Direct visits are frequent but weak (people come back to buy),
 * paid search and affiliates strong, display weak: the classic shape that
 * makes last-touch attribution over-credit direct.
 */
const struct gen_channel_info gen_channels[CH_N] = {
	[CH_DIRECT] = { "direct", 1.0, 0.010, 1 },
	[CH_ORGANIC_SEARCH] = { "organic_search", 0.8, 0.020, 1 },
	[CH_PAID_SEARCH] = { "paid_search", 0.6, 0.060, 1 },
	[CH_DISPLAY] = { "display", 0.3, 0.008, 1 },
	[CH_PAID_SOCIAL] = { "paid_social", 0.4, 0.025, 1 },
	[CH_ORGANIC_SOCIAL] = { "organic_social", 0.3, 0.010, 1 },
	[CH_AFFILIATE] = { "affiliate", 0.15, 0.050, 1 },
	[CH_REFERRAL] = { "referral", 0.2, 0.020, 1 },
	[CH_EMAIL] = { "email", 0.0, 0.040,
	    1 }, /* clicks come from campaigns */
	[CH_APP] = { "app", 2.0, 0.030, 1 },
	[CH_CALL_CENTER] = { "call_center", 0.12, 0.030, 1 },
	[CH_CHAT] = { "chat", 0.08, 0.040, 0 },
	[CH_STORE] = { "store", 0.25, 0.150, 1 },
};

const struct gen_friction_info gen_frictions[FR_N] = {
	[FR_CHECKOUT_ERROR] = { "checkout_error", "web", "checkout_error",
	    "a payment error at web checkout (8% of web sales): 60% abandon, "
	    "half of those phone in within hours and 60% of callers order" },
	[FR_LOGIN_LOOP] = { "login_loop", "web", "login_page",
	    "the login page comes back 3-6 times (5% of web logins): 40% "
	    "leave the visit" },
	[FR_UNRESOLVED_CALL] = { "unresolved_call", "call_center", "unresolved",
	    "25% of service calls end unresolved: 70% call again within "
	    "days, and the person is half as likely to buy for 7 days" },
	[FR_UNRESOLVED_CHAT] = { "unresolved_chat", "chat", "chat",
	    "25% of service chats end unresolved: 70% phone in within days, "
	    "and the person is half as likely to buy for 7 days" },
	[FR_SLOW_PAYMENT] = { "slow_payment", "app", "payment",
	    "app version 5.2.0 takes 30-120 s from checkout to payment "
	    "instead of 2-8 s: 30% of its buyers abandon" },
};

const char *const gen_app_versions[3] = { "5.1.0", "5.2.0", "5.3.0" };

/* Stream keys: exogenous touches, e-mail, person attributes, households. */
#define KEY_PERSON 0xA11CE5ULL
#define KEY_MAIL (1ULL << 60)
#define KEY_HOUSEHOLD 0x4853484F4C44ULL

/*
 * Hour-of-day weights (UTC hours; the customers live in the US Eastern and
 * Central zones).  Web traffic peaks in the US evening; calls, chats and
 * stores follow opening hours.
 */
static const double web_hours[24] = {
	9, 8, 7, 5, 3, 2, 1, 1, 1, 1, 1, 2, /* 00-11Z: US evening, night */
	3, 5, 6, 7, 7, 7, 7, 7, 8, 8, 9, 9, /* 12-23Z: US morning, day */
};
static const double call_hours[24] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 8, 7, 6, 7, 7, 6, 5, 4,
	2, /* 9:00-19:00 Eastern */
};
static const double store_hours[24] = {
	2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 6, 7, 7, 8, 8, 8,
	6, /* 10:00-21:00 Central */
};

void
gen_world_init(struct gen_world *w, const struct gen_params *p)
{
	memset(w, 0, sizeof *w);
	w->p = *p;
	rng_seed(&w->root, p->seed);
	/* Campaigns go out on Tuesdays and Fridays at 14:00Z. */
	static const char *const themes[] = { "weekly-deals", "new-arrivals",
		"members-only", "free-shipping", "season-sale" };
	int64_t day0 = p->start_ms / 86400000;
	for (uint32_t d = 0; d < p->days; d++) {
		int wd = (int)((day0 + d + 4) % 7); /* 0 = Sunday */
		if (wd != 2 && wd != 5)
			continue;
		w->campaigns = xreallocarray(
		    w->campaigns, w->ncampaigns + 1, sizeof *w->campaigns);
		struct gen_campaign *c = &w->campaigns[w->ncampaigns];
		c->t = (day0 + d) * 86400000 + 14 * 3600000LL;
		char iso[TS_FORMAT_LEN + 1];
		ts_format(c->t, iso);
		snprintf(c->name, sizeof c->name, "%s-%.10s",
		    themes[w->ncampaigns % 5], iso);
		w->ncampaigns++;
	}
}

void
gen_world_free(struct gen_world *w)
{
	free(w->campaigns);
	memset(w, 0, sizeof *w);
}

/*
 * Identifier numbers: an affine map index -> (index * m + offset) mod
 * modulus is a bijection when m is prime to the modulus, so identifiers
 * are unique without a lookup table and do not look sequential.
 */
static uint64_t
scramble(uint64_t index, uint64_t m, uint64_t offset, uint64_t modulus)
{
	return (uint64_t)(((unsigned __int128)index * m + offset) % modulus);
}

static void
draw_id128(struct rng *r, uint64_t out[2])
{
	out[0] = rng_next(r);
	out[1] = rng_next(r);
}

void
gen_person_make(const struct gen_world *w, uint32_t index, struct gen_person *p)
{
	struct rng r;

	memset(p, 0, sizeof *p);
	p->index = index;
	rng_fork(&w->root, index, &p->base);
	rng_fork(&p->base, KEY_PERSON, &r);

	/* log-normal with mean 1: exp(mu + s^2/2) = 1 */
	p->activity = rng_lognormal(&r, -0.5, 1.0);
	if (p->activity > 40)
		p->activity = 40;
	p->intent = 0.004 * rng_lognormal(&r, -0.32, 0.8);
	if (p->intent > 0.05)
		p->intent = 0.05;
	p->first = (uint32_t)rng_below(&r, 64);
	p->last = (uint32_t)rng_below(&r, 64);
	p->has_account = rng_chance(&r, 0.70);
	p->has_email = rng_chance(&r, 0.85);
	p->has_email2 = p->has_email && rng_chance(&r, 0.20);
	p->subscribed = p->has_email && rng_chance(&r, 0.70);
	p->email_bad = p->has_email && rng_chance(&r, 0.02);
	p->email_domain[0] = (uint8_t)rng_below(&r, 6);
	p->email_domain[1] = (uint8_t)rng_below(&r, 6);
	p->has_phone = rng_chance(&r, 0.80);
	p->has_loyalty = rng_chance(&r, 0.40);
	p->has_desktop = rng_chance(&r, 0.70);
	p->has_mobile = !p->has_desktop || rng_chance(&r, 0.60);
	/* the app wants an account: few without one install it */
	p->has_app = rng_chance(&r, p->has_account ? 0.45 : 0.08);
	p->near_store = rng_chance(&r, 0.60);
	p->store = (uint8_t)rng_below(&r, GEN_STORES);
	double v = rng_double(&r);
	p->app_version = v < 0.3 ? 0 : v < 0.6 ? 1 : 2;
	draw_id128(&r, p->cookie[DEV_DESKTOP]);
	draw_id128(&r, p->cookie[DEV_MOBILE]);
	draw_id128(&r, p->cookie[DEV_MOBILE_RESET]);
	draw_id128(&r, p->device);
	/* a fifth of mobile browsers lose their cookie once (tracking
	 * prevention, cleared history) */
	int64_t span = (int64_t)w->p.days * 86400000;
	p->cookie_reset_ms = INT64_MAX;
	if (rng_chance(&r, 0.2))
		p->cookie_reset_ms =
		    w->p.start_ms + (int64_t)rng_below(&r, (uint64_t)span);

	uint64_t off = w->root.s[0];
	p->user = scramble(index, 2654435761ULL, off % 100000000, 100000000);
	p->phone = 2000000000ULL +
	    scramble(index, 2246822519ULL, off % 1000000000, 1000000000);
	p->loyalty = scramble(
	    index, 3266489917ULL, off % 10000000000ULL, 10000000000ULL);

	/*
	 * Households: persons 2k and 2k+1 share a desktop computer with
	 * probability 4%, both signing in to their own accounts on it.  The
	 * pair's own stream decides, so both members agree.
	 */
	p->partner = -1;
	uint64_t pair = index / 2, mate = index ^ 1u;
	if (mate < w->p.persons) {
		struct rng h;
		rng_fork(&w->root, KEY_HOUSEHOLD + pair, &h);
		if (rng_chance(&h, 0.04)) {
			p->partner = (int64_t)mate;
			p->shared_desktop = 1;
			p->has_desktop = 1;
			p->has_account = 1;
			draw_id128(&h, p->cookie[DEV_DESKTOP]);
		}
	}
}

void
gen_touches_free(struct gen_touches *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}

static struct gen_touch *
touch_add(struct gen_touches *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	struct gen_touch *x = &t->v[t->n++];
	memset(x, 0, sizeof *x);
	return x;
}

static void
make_draws(const struct gen_person *p, uint64_t key, struct gen_draws *d)
{
	struct rng r;

	rng_fork(&p->base, key, &r);
	d->u_convert = rng_double(&r);
	d->u_error = rng_double(&r);
	d->u_abandon = rng_double(&r);
	d->u_call = rng_double(&r);
	d->u_login = rng_double(&r);
	d->u_loop = rng_double(&r);
	d->u_loop_abandon = rng_double(&r);
	d->u_unresolved = rng_double(&r);
	d->u_repeat = rng_double(&r);
	d->u_slow_abandon = rng_double(&r);
	d->u_recovery = rng_double(&r);
	d->call_delay_ms = rng_exp(&r, 3 * 3600000.0);
	d->repeat_delay_ms = rng_exp(&r, 1.5 * 86400000.0);
	double cents = rng_lognormal(&r, log(6000.0), 0.6);
	if (cents < 500)
		cents = 500;
	if (cents > 200000)
		cents = 200000;
	d->value_cents = (uint32_t)cents;
}

/* An instant on a uniform day, at an hour drawn from weights. */
static int64_t
draw_time(const struct gen_world *w, struct rng *r, const double *hours)
{
	int64_t day = (int64_t)rng_below(r, w->p.days);
	int64_t hour = (int64_t)rng_weighted(r, hours, 24);
	return w->p.start_ms + day * 86400000 + hour * 3600000 +
	    (int64_t)rng_below(r, 3600000);
}

struct mail_clicks {
	const struct gen_world *w;
	struct gen_touches *out;
};

static void
collect_click(void *ctx, const struct gen_person *p, uint16_t campaign,
    enum gen_mail_kind kind, int64_t t)
{
	struct mail_clicks *mc = ctx;

	if (kind != MAIL_CLICK)
		return;
	struct gen_touch *x = touch_add(mc->out);
	x->t = t + 5000; /* the landing page loads a few seconds later */
	x->channel = CH_EMAIL;
	x->kind = TK_EXO;
	/* a click mostly comes from a phone */
	x->device = p->has_mobile && (!p->has_desktop || (t & 3) != 0)
	    ? DEV_MOBILE
	    : DEV_DESKTOP;
	x->campaign = campaign;
	x->key = ((uint64_t)CH_EMAIL << 32) | campaign;
	make_draws(p, x->key, &x->d);
}

void
gen_mail(const struct gen_world *w, const struct gen_person *p, gen_mail_fn fn,
    void *ctx)
{
	if (!p->subscribed)
		return;
	double open_p = 0.2 * sqrt(p->activity);
	if (open_p > 0.8)
		open_p = 0.8;
	for (size_t c = 0; c < w->ncampaigns; c++) {
		struct rng r;
		rng_fork(&p->base, KEY_MAIL + c, &r);
		int64_t t = w->campaigns[c].t + (int64_t)rng_below(&r, 7200000);
		fn(ctx, p, (uint16_t)c, MAIL_SENT, t);
		if (p->email_bad) {
			fn(ctx, p, (uint16_t)c, MAIL_BOUNCE, t + 2000);
			continue;
		}
		if (!rng_chance(&r, open_p))
			continue;
		int64_t to = t + 60000 + (int64_t)rng_exp(&r, 4 * 3600000.0);
		fn(ctx, p, (uint16_t)c, MAIL_OPEN, to);
		if (rng_chance(&r, 0.01)) {
			fn(ctx, p, (uint16_t)c, MAIL_UNSUBSCRIBE, to + 30000);
			return; /* no more campaigns for this person */
		}
		if (rng_chance(&r, 0.18))
			fn(ctx, p, (uint16_t)c, MAIL_CLICK,
			    to + 5000 + (int64_t)rng_below(&r, 120000));
	}
}

static int
touch_cmp(const void *a, const void *b)
{
	const struct gen_touch *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

void
gen_touches_make(const struct gen_world *w, const struct gen_person *p,
    struct gen_touches *out)
{
	double scale = p->activity * w->p.days / 30.0;
	int64_t end = w->p.start_ms + (int64_t)w->p.days * 86400000;

	out->n = 0;
	for (int c = 0; c < CH_N; c++) {
		double rate = gen_channels[c].rate * scale;
		if (c == CH_APP && !p->has_app)
			continue;
		if (c == CH_STORE && !p->near_store)
			continue;
		if (rate <= 0)
			continue;
		struct rng r;
		rng_fork(&p->base, (uint64_t)c << 40, &r);
		/* Poisson count: unit-rate arrivals within the mean */
		double at = rng_exp(&r, 1.0);
		for (uint32_t k = 0; at < rate; k++, at += rng_exp(&r, 1.0)) {
			const double *hours =
			    c == CH_CALL_CENTER || c == CH_CHAT ? call_hours
			    : c == CH_STORE                     ? store_hours
								: web_hours;
			struct gen_touch *x = touch_add(out);
			x->t = draw_time(w, &r, hours);
			x->channel = (uint8_t)c;
			x->kind = TK_EXO;
			if (GEN_IS_WEB(c)) {
				int mobile = p->has_mobile &&
				    (!p->has_desktop || rng_chance(&r, 0.5));
				x->device = mobile ? DEV_MOBILE : DEV_DESKTOP;
			}
			x->key = ((uint64_t)c << 32) | k;
			make_draws(p, x->key, &x->d);
		}
	}
	struct mail_clicks mc = { w, out };
	gen_mail(w, p, collect_click, &mc);
	/* a click late on the last day may land after the world's end */
	size_t k = 0;
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].t < end)
			out->v[k++] = out->v[i];
	out->n = k;
	qsort(out->v, out->n, sizeof *out->v, touch_cmp);
	/* a mobile visit after the cookie reset carries the new cookie */
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].device == DEV_MOBILE &&
		    out->v[i].t >= p->cookie_reset_ms)
			out->v[i].device = DEV_MOBILE_RESET;
}

/* Endogenous touches waiting for their time, sorted by time. */
#define PENDING_MAX 64

struct pending {
	struct gen_touch v[PENDING_MAX];
	size_t n;
};

/*
 * Schedules a touch caused by parent.  The key is derived from the
 * parent's, so a replay makes the same touch with the same draws.  A
 * person with PENDING_MAX touches already waiting (which the model's
 * rates make practically impossible) gets no more.
 */
static void
schedule(struct pending *q, const struct gen_person *p,
    const struct gen_touch *parent, int kind, int64_t t, uint32_t cents)
{
	if (q->n == PENDING_MAX)
		return;
	struct gen_touch x;
	memset(&x, 0, sizeof x);
	x.t = t;
	x.channel = CH_CALL_CENTER;
	x.origin = parent->channel;
	x.kind = (uint8_t)kind;
	x.inherit_cents = cents;
	x.key = (parent->key * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)(kind + 1);
	make_draws(p, x.key, &x.d);
	size_t i = q->n;
	while (i > 0 && q->v[i - 1].t > t) {
		q->v[i] = q->v[i - 1];
		i--;
	}
	q->v[i] = x;
	q->n++;
}

void
gen_simulate(const struct gen_world *w, const struct gen_person *p,
    const struct gen_touches *exo, unsigned drop, unsigned frictions,
    gen_step_fn step_fn, void *ctx, struct gen_result *r)
{
	int64_t last[CH_N];
	int64_t frustrated_until = INT64_MIN;
	int64_t end = w->p.start_ms + (int64_t)w->p.days * 86400000;
	struct pending q;
	size_t i = 0;

	memset(r, 0, sizeof *r);
	for (int c = 0; c < CH_N; c++)
		last[c] = INT64_MIN;
	q.n = 0;
	for (;;) {
		struct gen_touch cur;
		if (i < exo->n && (q.n == 0 || exo->v[i].t <= q.v[0].t)) {
			cur = exo->v[i++];
		} else if (q.n > 0) {
			cur = q.v[0];
			memmove(q.v, q.v + 1, --q.n * sizeof q.v[0]);
		} else {
			break;
		}
		if (cur.channel == drop || cur.t >= end)
			continue;
		const struct gen_touch *x = &cur;
		const struct gen_draws *d = &x->d;
		int c = x->channel;
		struct gen_step s;
		memset(&s, 0, sizeof s);
		s.touch = x;
		s.value_cents = d->value_cents;
		r->touches++;
		r->touches_by[c]++;
		if (x->kind == TK_REPEAT_CALL)
			r->extra_contacts[x->origin == CH_CHAT
				? FR_UNRESOLVED_CHAT
				: FR_UNRESOLVED_CALL]++;

		/*
		 * The noisy-OR over the journey's window, this touch included.
		 * A repeat call is about a problem, not a purchase: it neither
		 * sells nor joins the window.
		 */
		if (x->kind != TK_REPEAT_CALL)
			last[c] = x->t;
		/* only an enabled friction sets frustrated_until */
		double damp = x->t < frustrated_until ? GEN_FRUSTRATION : 1.0;
		double keep = 1 - p->intent * damp;
		for (int k = 0; k < CH_N; k++)
			if (last[k] != INT64_MIN &&
			    last[k] >= x->t - GEN_LOOKBACK_MS)
				keep *= 1 - gen_channels[k].effect * damp;
		s.decided = gen_channels[c].sells && x->kind == TK_EXO &&
		    d->u_convert < 1 - keep;
		if (x->kind == TK_RECOVERY_CALL) {
			s.recovery_call = 1;
			s.decided = d->u_recovery < GEN_P_RECOVERY_ORDER;
			s.value_cents = x->inherit_cents;
		}

		if (GEN_IS_WEB(c)) {
			int login = p->has_account &&
			    (s.decided || d->u_login < GEN_P_LOGIN);
			if (login && (frictions & (1u << FR_LOGIN_LOOP)) &&
			    d->u_loop < GEN_P_LOGIN_LOOP) {
				s.loop = 1;
				r->friction_hits[FR_LOGIN_LOOP]++;
				if (d->u_loop_abandon < GEN_P_LOOP_ABANDON) {
					s.loop_abandon = 1;
					login = 0;
					if (s.decided)
						r->friction_aborted
						    [FR_LOGIN_LOOP]++;
				}
			}
			s.logged_in = login;
			if (s.decided && !s.loop_abandon) {
				s.sold = 1;
				if ((frictions & (1u << FR_CHECKOUT_ERROR)) &&
				    d->u_error < GEN_P_CHECKOUT_ERROR) {
					s.error = 1;
					r->friction_hits[FR_CHECKOUT_ERROR]++;
					if (d->u_abandon <
					    GEN_P_ERROR_ABANDON) {
						s.error_abandon = 1;
						s.sold = 0;
						r->friction_aborted
						    [FR_CHECKOUT_ERROR]++;
						if (d->u_call <
						    GEN_P_ERROR_CALL)
							schedule(&q, p, x,
							    TK_RECOVERY_CALL,
							    x->t + 600000 +
								(int64_t)d
								    ->call_delay_ms,
							    s.value_cents);
					}
				}
			}
		} else if (c == CH_APP) {
			s.logged_in = p->has_account && d->u_login < 0.85;
			if (s.decided) {
				s.sold = 1;
				if ((frictions & (1u << FR_SLOW_PAYMENT)) &&
				    p->app_version == GEN_SLOW_VERSION) {
					s.slow = 1;
					r->friction_hits[FR_SLOW_PAYMENT]++;
					if (d->u_slow_abandon <
					    GEN_P_SLOW_ABANDON) {
						s.slow_abandon = 1;
						s.sold = 0;
						r->friction_aborted
						    [FR_SLOW_PAYMENT]++;
					}
				}
			}
		} else if (c == CH_CALL_CENTER || c == CH_CHAT) {
			int fr_unresolved = c == CH_CHAT ? FR_UNRESOLVED_CHAT
							 : FR_UNRESOLVED_CALL;
			if (s.decided) {
				s.sold = 1;
				if (s.recovery_call)
					r->recovered++;
			} else if (!s.recovery_call &&
			    (frictions & (1u << fr_unresolved)) &&
			    d->u_unresolved < GEN_P_UNRESOLVED) {
				s.unresolved = 1;
				r->friction_hits[fr_unresolved]++;
				frustrated_until = x->t + GEN_FRUSTRATION_MS;
				if (d->u_repeat < GEN_P_REPEAT)
					schedule(&q, p, x, TK_REPEAT_CALL,
					    x->t + 3600000 +
						(int64_t)d->repeat_delay_ms,
					    0);
			}
		} else { /* store: a visit without a sale leaves no trace */
			s.sold = s.decided;
		}

		if (s.sold) {
			r->conversions++;
			r->revenue_cents += s.value_cents;
			r->conv_by_last[c]++;
			for (int k = 0; k < CH_N; k++)
				last[k] = INT64_MIN; /* the journey ends */
		}
		if (step_fn)
			step_fn(ctx, p, &s);
	}
}
