/*
 * gen: the synthetic world of jt-gen(1), its causal model and its truth.
 *
 * A world is a list of persons.  Each person is generated from its own
 * random stream (forked from the seed by the person's index), so a person
 * is the same whatever the world's size and the order of generation.
 *
 * Each person has exogenous touches: visits through marketing channels,
 * app sessions, e-mail clicks, calls, chats and store visits, drawn as
 * Poisson processes whose rates scale with the person's heavy-tailed
 * activity.  Every touch carries its own random draws, fixed when the
 * touch is made.  gen_simulate() walks the touches in time order and
 * decides, at each touch that can sell, whether the person converts:
 *
 *   P(convert) = 1 - (1 - intent) * prod over channels c touched in the
 *                lookback window of the current journey of (1 - effect[c])
 *
 * (a noisy-OR), compared with the touch's own uniform draw.  Friction can
 * then abort the sale; some aborted sales are recovered by a phone call.
 * A conversion ends the journey (the window starts again).
 *
 * Because the draws belong to the touches, the same walk can be replayed
 * with one channel's touches removed, or one friction switched off: the
 * differences are the true removal effects of channels and the true cost
 * of frictions (counterfactual replay with the same random draws).
 */
#ifndef JT_GEN_H
#define JT_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

enum gen_channel {
	CH_DIRECT,
	CH_ORGANIC_SEARCH,
	CH_PAID_SEARCH,
	CH_DISPLAY,
	CH_PAID_SOCIAL,
	CH_ORGANIC_SOCIAL,
	CH_AFFILIATE,
	CH_REFERRAL,
	CH_EMAIL,
	CH_APP,
	CH_CALL_CENTER,
	CH_CHAT,
	CH_STORE,
	CH_N,
	CH_NONE = CH_N
};

/* Channels whose touches are web visits (landing on the site). */
#define GEN_IS_WEB(c) ((c) <= CH_EMAIL)

struct gen_channel_info {
	const char *name; /* jt channel name, as jt-ingest derives it */
	double rate;      /* touches per 30 days at activity 1 */
	double effect;    /* noisy-OR effect on conversion */
	int sells;        /* a touch of this channel may convert */
};
extern const struct gen_channel_info gen_channels[CH_N];

enum gen_friction {
	FR_CHECKOUT_ERROR,  /* web payment error: abandon, maybe phone in */
	FR_LOGIN_LOOP,      /* web login page loops: abandon the visit */
	FR_UNRESOLVED_CALL, /* service call left unresolved: repeat call */
	FR_UNRESOLVED_CHAT, /* service chat left unresolved: repeat call */
	FR_SLOW_PAYMENT,    /* app 5.2.0: slow payment step, abandon */
	FR_N
};

struct gen_friction_info {
	const char *name;
	const char *channel; /* where it happens */
	const char *step;    /* the event it shows as */
	const char *what;    /* one line for the README */
};
extern const struct gen_friction_info gen_frictions[FR_N];

/* Model constants (documented in jt-gen(1)). */
#define GEN_LOOKBACK_MS (30LL * 86400000)
#define GEN_P_CHECKOUT_ERROR 0.08
#define GEN_P_ERROR_ABANDON 0.6
#define GEN_P_ERROR_CALL 0.5
#define GEN_P_RECOVERY_ORDER 0.6
#define GEN_P_LOGIN 0.35
#define GEN_P_LOGIN_LOOP 0.05
#define GEN_P_LOOP_ABANDON 0.4
#define GEN_P_UNRESOLVED 0.25
#define GEN_P_REPEAT 0.7
#define GEN_FRUSTRATION_MS (7LL * 86400000)
#define GEN_FRUSTRATION 0.5 /* intent and effects scaled while frustrated */
#define GEN_P_SLOW_ABANDON 0.3
#define GEN_SLOW_VERSION 1 /* index into gen_app_versions */

extern const char *const gen_app_versions[3];

struct gen_params {
	uint64_t seed;
	uint32_t persons;
	uint32_t days;
	int64_t start_ms; /* first instant of the world, UTC */
};

/* Web devices of a person (cookies). */
enum { DEV_DESKTOP, DEV_MOBILE, DEV_MOBILE_RESET, DEV_N };

struct gen_person {
	uint32_t index;
	struct rng base; /* the person's stream; touches fork from it */
	double activity; /* touch rate multiplier, log-normal, mean 1 */
	double intent;   /* base conversion probability per selling touch */
	uint32_t first, last; /* name indexes */
	unsigned has_account : 1, has_email : 1, has_email2 : 1, subscribed : 1,
	    has_phone : 1, has_loyalty : 1, has_desktop : 1, has_mobile : 1,
	    has_app : 1, near_store : 1, shared_desktop : 1,
	    email_bad : 1; /* first address bounces */
	uint8_t email_domain[2];
	uint8_t app_version;
	uint8_t store;             /* home store, 0..GEN_STORES-1 */
	int64_t partner;           /* household partner's index, or -1 */
	uint64_t cookie[DEV_N][2]; /* 128-bit cookie ids */
	int64_t
	    cookie_reset_ms; /* mobile cookie replaced at; INT64_MAX never */
	uint64_t device[2];  /* app device id */
	uint64_t user;       /* account number, 8 digits */
	uint64_t phone;      /* 10 digits */
	uint64_t loyalty;    /* 10 digits */
};

#define GEN_STORES 12

/* Touch kinds: exogenous or caused by a friction. */
enum { TK_EXO, TK_RECOVERY_CALL, TK_REPEAT_CALL };

/* The random draws of one touch, fixed when the touch is made. */
struct gen_draws {
	double u_convert, u_error, u_abandon, u_call, u_login, u_loop,
	    u_loop_abandon, u_unresolved, u_repeat, u_slow_abandon, u_recovery;
	double call_delay_ms, repeat_delay_ms;
	uint32_t value_cents;
};

struct gen_touch {
	int64_t t;
	uint8_t channel;
	uint8_t kind;
	uint8_t device;         /* web: DEV_*; app and others: 0 */
	uint8_t origin;         /* repeat call: channel of the contact */
	uint16_t campaign;      /* e-mail click: campaign index */
	uint32_t inherit_cents; /* recovery call: the sale being recovered */
	uint64_t key;           /* the touch's stream key */
	struct gen_draws d;
};

/* An e-mail campaign: sent to every subscriber. */
struct gen_campaign {
	int64_t t;
	char name[40];
};

struct gen_world {
	struct gen_params p;
	struct rng root;
	size_t ncampaigns;
	struct gen_campaign *campaigns;
};

void gen_world_init(struct gen_world *w, const struct gen_params *p);
void gen_world_free(struct gen_world *w);

/* Makes person index of world w. */
void gen_person_make(
    const struct gen_world *w, uint32_t index, struct gen_person *out);

/* What the e-mail platform records for one subscriber. */
enum gen_mail_kind {
	MAIL_SENT,
	MAIL_BOUNCE,
	MAIL_OPEN,
	MAIL_CLICK,
	MAIL_UNSUBSCRIBE
};
typedef void (*gen_mail_fn)(void *ctx, const struct gen_person *p,
    uint16_t campaign, enum gen_mail_kind kind, int64_t t);
/*
 * Calls fn for each e-mail event of the person, campaign by campaign; a
 * click is also a touch of channel email (gen_touches_make adds it).
 */
void gen_mail(const struct gen_world *w, const struct gen_person *p,
    gen_mail_fn fn, void *ctx);

/* A growable list of touches. */
struct gen_touches {
	struct gen_touch *v;
	size_t n, cap;
};
void gen_touches_free(struct gen_touches *t);

/* The person's exogenous touches, sorted by time. */
void gen_touches_make(const struct gen_world *w, const struct gen_person *p,
    struct gen_touches *out);

/*
 * What happened at one realised touch of the actual run, handed to the
 * gen_simulate callback.
 */
struct gen_step {
	const struct gen_touch *touch;
	uint32_t value_cents;  /* of the sale, when decided */
	unsigned decided : 1,  /* the model chose to convert here */
	    sold : 1,          /* and the sale happened */
	    logged_in : 1,     /* web and app: signed in */
	    loop : 1,          /* web: login loop */
	    loop_abandon : 1,  /* ... and left */
	    error : 1,         /* web: checkout error */
	    error_abandon : 1, /* ... and left */
	    slow : 1,          /* app: slow payment step */
	    slow_abandon : 1,  /* ... and left */
	    unresolved : 1,    /* call or chat left unresolved */
	    recovery_call : 1; /* phoned in after a checkout error */
};
typedef void (*gen_step_fn)(
    void *ctx, const struct gen_person *p, const struct gen_step *s);

struct gen_result {
	uint32_t conversions;
	uint64_t revenue_cents;
	uint32_t touches;
	uint32_t conv_by_last[CH_N]; /* conversions by channel of the sale */
	uint32_t touches_by[CH_N];
	uint32_t friction_hits[FR_N];
	uint32_t friction_aborted[FR_N]; /* decided sales it aborted */
	uint32_t recovered;              /* of those, sold by phone */
	uint32_t extra_contacts[FR_N];   /* repeat calls, by friction */
};

/*
 * Walks the person's touches.  drop: a channel whose touches are removed
 * (CH_NONE for none); frictions: bit mask of enabled frictions.  With
 * step non-NULL, calls it for every realised touch.
 */
void gen_simulate(const struct gen_world *w, const struct gen_person *p,
    const struct gen_touches *exo, unsigned drop, unsigned frictions,
    gen_step_fn step, void *ctx, struct gen_result *r);

#define GEN_ALL_FRICTIONS ((1u << FR_N) - 1)

#endif
