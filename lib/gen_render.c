/*
 * gen_render: the silos' records of a jt-gen world (gen_render.h).
 *
 * Every record is rendered from the person, the step and a random stream
 * forked from the touch's key, so the text depends only on the seed and
 * the person, never on the order of generation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "err.h"
#include "gen_render.h"

const struct gen_silo_info gen_silos[SILO_N] = {
	[SILO_WEB] = { "web.jsonl", "web", NULL },
	[SILO_APP] = { "app-gateway.log", "app", NULL },
	[SILO_ESP] = { "esp-events.csv", "email",
	    "Event ID,Email Address,Campaign,Event Type,Event Time\n" },
	[SILO_CALLS] = { "callcenter.csv", "call_center",
	    "\xEF\xBB\xBF"
	    "Call ID;Start (local);Caller;Account;Agent;Queue;Reason;"
	    "Disposition;Duration (s);Order Amount\r\n" },
	[SILO_CHAT] = { "chat.csv", "chat",
	    "chat_id,started_ms,visitor_email,user_id,topic,resolved,"
	    "first_message\n" },
	[SILO_POS] = { "pos.tsv", "store",
	    "receipt\tstore\tlocal_time\tloyalty_card\temail\ttotal\titems\n" },
	[SILO_CRM] = { "crm-accounts.csv", "crm",
	    "account_id,email,phone,loyalty_card,created_at,marketing_opt_"
	    "in\n" },
};

const char gen_events_header[] =
    "ts,person,id_user,id_email,id_phone,id_loyalty,id_device,id_cookie,"
    "channel,event,value,source,record,app_version\n";

#define SITE "https://shop.example"
#define STAFF_CARD "LC9999999999"
#define NO_RECEIPT "noreceipt@shop.example"

const struct gen_junk gen_junk_ids[] = {
	{ "id_phone", "Anonymous", "call_center",
	    "withheld caller id (jt-ingest empties it)" },
	{ "id_phone", "0000000000", "call_center",
	    "placeholder number (jt-ingest empties it)" },
	{ "id_email", "test@test.com", "web",
	    "typed at guest checkout (jt-ingest empties it)" },
	{ "id_email", "none@none.com", "store",
	    "typed by clerks for customers without e-mail (jt-ingest empties "
	    "it)" },
	{ "id_email", NO_RECEIPT, "store",
	    "the store's own address typed when no e-receipt is wanted: not "
	    "in any junk list, it links hundreds of loyalty cards" },
	{ "id_loyalty", STAFF_CARD, "store",
	    "the staff card scanned for customers without one: links hundreds "
	    "of e-mails" },
};
const size_t gen_njunk = sizeof gen_junk_ids / sizeof gen_junk_ids[0];

static const char *const first_names[64] = { "maria", "james", "li", "fatima",
	"john", "sofia", "david", "aisha", "michael", "emma", "wei", "olivia",
	"carlos", "mia", "ahmed", "ava", "daniel", "chloe", "jose", "grace",
	"robert", "zoe", "hiroshi", "lucy", "william", "nora", "ivan", "leah",
	"thomas", "ella", "kofi", "anna", "joseph", "ruby", "samuel", "hannah",
	"luis", "sara", "chen", "julia", "peter", "amara", "mark", "isla",
	"omar", "laura", "paul", "mei", "kevin", "elena", "raj", "claire",
	"brian", "nina", "diego", "alice", "george", "priya", "eric", "lena",
	"tariq", "rosa", "adam", "yuki" };
static const char *const last_names[64] = { "garcia", "smith", "wang", "khan",
	"johnson", "rossi", "brown", "okafor", "jones", "muller", "zhang",
	"miller", "lopez", "davis", "ali", "wilson", "martinez", "anderson",
	"hernandez", "taylor", "thomas", "moore", "tanaka", "jackson", "white",
	"harris", "petrov", "martin", "thompson", "clark", "mensah", "lewis",
	"walker", "young", "allen", "king", "gonzalez", "wright", "liu",
	"scott", "green", "baker", "adams", "nelson", "hill", "campbell",
	"mitchell", "chen", "roberts", "carter", "patel", "phillips", "evans",
	"turner", "torres", "parker", "collins", "sharma", "edwards", "stewart",
	"hassan", "flores", "morris", "sato" };
static const char *const domains[6] = { "mail.example", "inbox.example",
	"post.example", "webmail.example", "email.example", "home.example" };

static const char *const ua_desktop =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0";
static const char *const ua_mobile =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Mobile Safari/604.1";

/* ---- small appenders (snprintf is too slow per field) ---- */

/*
 * Every record is far shorter than REC_MAX (URLs are cut to 160 bytes,
 * names are short): rec_begin reserves that much, so the appenders write
 * without a capacity check per field.  rec_end checks the bound.
 */
#define REC_MAX 4096

static inline void
raw(struct buf *b, const void *s, size_t n)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static inline void
rawc(struct buf *b, char c)
{
	b->data[b->len++] = c;
}

static inline void
put_s(struct buf *b, const char *s)
{
	raw(b, s, strlen(s));
}

static void
put_u(struct buf *b, uint64_t v)
{
	char t[24];
	int i = 24;
	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	raw(b, t + i, (size_t)(24 - i));
}

/* v in exactly w digits, zero-padded. */
static void
put_uw(struct buf *b, uint64_t v, int w)
{
	char t[24];
	for (int i = w - 1; i >= 0; i--) {
		t[i] = (char)('0' + v % 10);
		v /= 10;
	}
	raw(b, t, (size_t)w);
}

static void
put_hex(struct buf *b, uint64_t v, int digits, int upper)
{
	const char *hx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char t[16];
	for (int i = digits - 1; i >= 0; i--) {
		t[i] = hx[v & 15];
		v >>= 4;
	}
	raw(b, t, (size_t)digits);
}

/* A version 4 UUID text from 128 random bits. */
static void
put_uuid(struct buf *b, const uint64_t id[2], int upper)
{
	uint64_t hi = (id[0] & ~0xF000ULL) | 0x4000ULL;
	uint64_t lo = (id[1] & ~(3ULL << 62)) | (2ULL << 62);
	put_hex(b, hi >> 32, 8, upper);
	rawc(b, '-');
	put_hex(b, hi >> 16 & 0xFFFF, 4, upper);
	rawc(b, '-');
	put_hex(b, hi & 0xFFFF, 4, upper);
	rawc(b, '-');
	put_hex(b, lo >> 48, 4, upper);
	rawc(b, '-');
	put_hex(b, lo & 0xFFFFFFFFFFFFULL, 12, upper);
}

static void
put_cents(struct buf *b, uint32_t cents)
{
	put_u(b, cents / 100);
	rawc(b, '.');
	put_uw(b, cents % 100, 2);
}

static void
put_iso(struct buf *b, int64_t t)
{
	char s[TS_FORMAT_LEN + 1];
	ts_format(t, s);
	raw(b, s, TS_FORMAT_LEN);
}

/* ---- identifiers ---- */

size_t
gen_person_key(uint32_t index, char out[16])
{
	uint32_t v = index + 1;
	int w = v > 99999999 ? 9 : 8;
	out[0] = 'P';
	for (int i = w; i >= 1; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[w + 1] = '\0';
	return (size_t)w + 1;
}

/* Writes hex digits of v into out; returns digits. */
static size_t
hex_into(char *out, uint64_t v, int digits)
{
	for (int i = digits - 1; i >= 0; i--) {
		out[i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
	return (size_t)digits;
}

size_t
gen_record_id(enum gen_silo silo, uint64_t id, char out[48])
{
	static const char *const prefix[] = { "", "req-", "ev-", "C", "chat-",
		"R", "u" };
	_Static_assert(sizeof prefix / sizeof prefix[0] == SILO_N, "per silo");
	size_t n = strlen(prefix[silo]);
	memcpy(out, prefix[silo], n);
	if (silo == SILO_WEB) {
		/* a version 4 UUID from the 64 bits and their scramble */
		uint64_t hi = (id & ~0xF000ULL) | 0x4000ULL;
		uint64_t lo = id * 0x9E3779B97F4A7C15ULL;
		lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
		n += hex_into(out + n, hi >> 32, 8);
		out[n++] = '-';
		n += hex_into(out + n, hi >> 16 & 0xFFFF, 4);
		out[n++] = '-';
		n += hex_into(out + n, hi & 0xFFFF, 4);
		out[n++] = '-';
		n += hex_into(out + n, lo >> 48, 4);
		out[n++] = '-';
		n += hex_into(out + n, lo & 0xFFFFFFFFFFFFULL, 12);
	} else if (silo == SILO_CRM) {
		/* the account number is the row's id */
		uint64_t v = id % 100000000ULL;
		for (int i = 7; i >= 0; i--) {
			out[n + (size_t)i] = (char)('0' + v % 10);
			v /= 10;
		}
		n += 8;
	} else if (silo == SILO_CALLS || silo == SILO_POS) {
		uint64_t v = id % 10000000000ULL;
		for (int i = 9; i >= 0; i--) {
			out[n + (size_t)i] = (char)('0' + v % 10);
			v /= 10;
		}
		n += 10;
	} else {
		n += hex_into(out + n, id, 16);
	}
	out[n] = '\0';
	return n;
}

/* Writing variants of an e-mail address. */
enum { EM_LOWER, EM_CAPITAL, EM_UPPER, EM_SPACES, EM_NVARIANTS };

/* Address which (0 first, 1 second) of p, written in variant v. */
static void
put_email(struct buf *b, const struct gen_person *p, int which, int v)
{
	if (v == EM_SPACES)
		rawc(b, ' ');
	size_t from = b->len;
	if (which == 0) {
		put_s(b, first_names[p->first]);
		rawc(b, '.');
		put_s(b, last_names[p->last]);
	} else {
		rawc(b, first_names[p->first][0]);
		put_s(b, last_names[p->last]);
	}
	put_u(b, p->index + 1);
	rawc(b, '@');
	put_s(b, domains[p->email_domain[which]]);
	if (v == EM_CAPITAL) {
		b->data[from] = (char)(b->data[from] - 32);
		char *dot = memchr(b->data + from, '.', b->len - from);
		if (dot && dot[1] >= 'a' && dot[1] <= 'z' && which == 0)
			dot[1] = (char)(dot[1] - 32);
		char *at = memchr(b->data + from, '@', b->len - from);
		at[1] = (char)(at[1] - 32);
	} else if (v == EM_UPPER) {
		for (size_t i = from; i < b->len; i++)
			if (b->data[i] >= 'a' && b->data[i] <= 'z')
				b->data[i] = (char)(b->data[i] - 32);
	} else if (v == EM_SPACES) {
		rawc(b, ' ');
	}
}

/* The phone number written in variant v (0..5). */
static void
put_phone(struct buf *b, uint64_t phone, int v)
{
	uint64_t a = phone / 10000000, x = phone / 10000 % 1000,
		 n = phone % 10000;
	switch (v) {
	case 0:
		rawc(b, '(');
		put_uw(b, a, 3);
		put_s(b, ") ");
		put_uw(b, x, 3);
		rawc(b, '-');
		put_uw(b, n, 4);
		break;
	case 1:
	case 2:
		put_uw(b, a, 3);
		rawc(b, v == 1 ? '-' : '.');
		put_uw(b, x, 3);
		rawc(b, v == 1 ? '-' : '.');
		put_uw(b, n, 4);
		break;
	case 3:
		put_s(b, "+1 ");
		put_uw(b, a, 3);
		rawc(b, ' ');
		put_uw(b, x, 3);
		rawc(b, ' ');
		put_uw(b, n, 4);
		break;
	case 4:
		rawc(b, '1');
		put_uw(b, phone, 10);
		break;
	default: put_uw(b, phone, 10); break;
	}
}

static void
put_user(struct buf *b, const struct gen_person *p)
{
	rawc(b, 'u');
	put_uw(b, p->user, 8);
}

static void
put_loyalty(struct buf *b, const struct gen_person *p)
{
	put_s(b, "LC");
	put_uw(b, p->loyalty, 10);
}

void
gen_person_idents(
    const struct gen_person *p, struct buf *scratch, gen_ident_fn fn, void *ctx)
{
	struct buf b = *scratch; /* its memory, returned below */
	buf_reserve(&b, REC_MAX);
	b.len = 0;
#define EMIT(type, kind)                                                       \
	do {                                                                   \
		b.data[b.len] = '\0';                                          \
		fn(ctx, type, b.data, kind);                                   \
		b.len = 0;                                                     \
	} while (0)
	if (p->has_account) {
		put_user(&b, p);
		EMIT("id_user", "own");
	}
	if (p->has_email) {
		put_email(&b, p, 0, EM_LOWER);
		EMIT("id_email", "own");
	}
	if (p->has_email2) {
		put_email(&b, p, 1, EM_LOWER);
		EMIT("id_email", "own");
	}
	if (p->has_phone) {
		rawc(&b, '1');
		put_uw(&b, p->phone, 10);
		EMIT("id_phone", "own");
	}
	if (p->has_loyalty) {
		put_loyalty(&b, p);
		EMIT("id_loyalty", "own");
	}
	if (p->has_app) {
		put_uuid(&b, p->device, 1);
		EMIT("id_device", "own");
	}
	if (p->has_desktop) {
		put_uuid(&b, p->cookie[DEV_DESKTOP], 0);
		EMIT("id_cookie", p->shared_desktop ? "household" : "own");
	}
	if (p->has_mobile) {
		put_uuid(&b, p->cookie[DEV_MOBILE], 0);
		EMIT("id_cookie", "own");
		if (p->cookie_reset_ms != INT64_MAX) {
			put_uuid(&b, p->cookie[DEV_MOBILE_RESET], 0);
			EMIT("id_cookie", "own");
		}
	}
#undef EMIT
	*scratch = b;
}

/* ---- records ---- */

void
gen_render_init(struct gen_render *r, const struct gen_world *w, int events)
{
	const char *why;

	memset(r, 0, sizeof *r);
	r->w = w;
	r->events = events;
	for (int s = 0; s < SILO_N; s++)
		if (!gen_silos[s].file)
			err_die("internal error: silo %d has no file", s);
	r->eastern = ts_zone_load("America/New_York", &why);
	if (!r->eastern)
		err_die("time zone America/New_York: %s (install tzdata)", why);
	r->central = ts_zone_load("America/Chicago", &why);
	if (!r->central)
		err_die("time zone America/Chicago: %s (install tzdata)", why);
}

void
gen_render_free(struct gen_render *r)
{
	for (int s = 0; s < SILO_N; s++) {
		buf_free(&r->recs[s].text);
		free(r->recs[s].v);
	}
	buf_free(&r->scratch);
	ts_zone_free(r->eastern);
	ts_zone_free(r->central);
	memset(r, 0, sizeof *r);
}

void
gen_render_clear(struct gen_render *r)
{
	for (int s = 0; s < SILO_N; s++) {
		buf_clear(&r->recs[s].text);
		r->recs[s].n = 0;
	}
}

/* Starts a record of silo; the caller appends its text to the result. */
static struct buf *
rec_begin(struct gen_render *r, enum gen_silo silo, int64_t k1, int64_t k2,
    const struct gen_person *p, uint64_t id)
{
	struct gen_recs *rs = &r->recs[r->events ? 0 : silo];
	buf_reserve(&rs->text, REC_MAX);
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 4096;
		rs->v = xreallocarray(rs->v, rs->cap, sizeof *rs->v);
	}
	struct gen_rec *x = &rs->v[rs->n++];
	x->k1 = r->events ? 0 : k1;
	x->k2 = k2;
	x->off = rs->text.len;
	x->person = p->index;
	x->id = id;
	return &rs->text;
}

static void
rec_end(struct gen_render *r, enum gen_silo silo)
{
	struct gen_recs *rs = &r->recs[r->events ? 0 : silo];
	struct gen_rec *x = &rs->v[rs->n - 1];
	x->len = (uint32_t)(rs->text.len - x->off);
	if (x->len >= REC_MAX)
		err_die("internal error: a record of %u bytes", x->len);
	rs->text.data[rs->text.len] = '\0';
}

/*
 * An event in jt-events(5) form, as ingest.sh makes it from the native
 * record: identifiers normalised (junk emptied), times at the silo's
 * precision.
 */
struct canon {
	int64_t t;
	const char *event;
	uint8_t channel; /* CH_NONE: empty (internal web navigation) */
	int has_value;
	uint32_t cents;
	int user, email, phone, loyalty, device, cookie;
	/* email: 0 none, 1 first, 2 second, 3 NO_RECEIPT; phone 0/1;
	 * loyalty: 0 none, 1 own, 2 staff card; cookie: DEV_* + 1 */
	const char *app_version;
};

static void
emit_canon(struct gen_render *r, enum gen_silo silo, const struct gen_person *p,
    const struct canon *c, uint64_t id)
{
	struct buf *b = rec_begin(r, silo, 0, c->t, p, id);
	char key[16], rid[48];
	put_iso(b, c->t);
	rawc(b, ',');
	raw(b, key, gen_person_key(p->index, key));
	rawc(b, ',');
	if (c->user)
		put_user(b, p);
	rawc(b, ',');
	if (c->email == 1 || c->email == 2)
		put_email(b, p, c->email - 1, EM_LOWER);
	else if (c->email == 3)
		put_s(b, NO_RECEIPT);
	rawc(b, ',');
	if (c->phone) {
		rawc(b, '1');
		put_uw(b, p->phone, 10);
	}
	rawc(b, ',');
	if (c->loyalty == 1)
		put_loyalty(b, p);
	else if (c->loyalty == 2)
		put_s(b, STAFF_CARD);
	rawc(b, ',');
	if (c->device)
		put_uuid(b, p->device, 1);
	rawc(b, ',');
	if (c->cookie)
		put_uuid(b, p->cookie[c->cookie - 1], 0);
	rawc(b, ',');
	if (c->channel != CH_NONE)
		put_s(b, gen_channels[c->channel].name);
	rawc(b, ',');
	put_s(b, c->event);
	rawc(b, ',');
	if (c->has_value)
		put_cents(b, c->cents);
	rawc(b, ',');
	put_s(b, gen_silos[silo].source);
	rawc(b, ',');
	raw(b, rid, gen_record_id(silo, id, rid));
	rawc(b, ',');
	if (c->app_version)
		put_s(b, c->app_version);
	rawc(b, '\n');
	rec_end(r, silo);
}

/* ---- the web tag ---- */

struct web_visit {
	struct gen_render *r;
	const struct gen_person *p;
	struct rng rr;
	int64_t t;
	int device;
	int user; /* signed in: userId on the events from now on */
	char url[160], prev[160];
};

/* Copies a URL of n bytes into a page slot, cut to fit. */
static void
set_url(char url[160], const char *s, size_t n)
{
	if (n > 159)
		n = 159;
	memcpy(url, s, n);
	url[n] = '\0';
}

/* Landing parameters of a marketing channel. */
static void
landing(struct web_visit *v, int channel, const char *campaign,
    const char **src, const char **med, const char **name,
    const char **referrer)
{
	static const char *const engines[] = { "https://www.google.com/",
		"https://www.google.com/", "https://www.bing.com/",
		"https://duckduckgo.com/" };
	static const char *const socials[] = { "https://www.facebook.com/",
		"https://t.co/", "https://www.instagram.com/",
		"https://www.reddit.com/" };
	*src = *med = *name = *referrer = NULL;
	const char *path = "/";
	unsigned product = (unsigned)rng_below(&v->rr, 5000);
	switch (channel) {
	case CH_ORGANIC_SEARCH:
		*referrer = engines[rng_below(&v->rr, 4)];
		path = "/category/shoes";
		break;
	case CH_PAID_SEARCH:
		*src = "google";
		*med = "cpc";
		*name = rng_chance(&v->rr, 0.5) ? "brand" : "generic";
		*referrer = "https://www.google.com/";
		path = "/products/";
		break;
	case CH_DISPLAY:
		*src = "dv360";
		*med = "display";
		*name = "retargeting";
		path = "/products/";
		break;
	case CH_PAID_SOCIAL:
		*src = rng_chance(&v->rr, 0.6) ? "facebook" : "instagram";
		*med = "paid_social";
		*name = "prospecting";
		path = "/category/new";
		break;
	case CH_ORGANIC_SOCIAL:
		*referrer = socials[rng_below(&v->rr, 4)];
		path = "/blog/autumn-looks";
		break;
	case CH_AFFILIATE:
		*src = rng_chance(&v->rr, 0.5) ? "dealfinder" : "cashbackclub";
		*med = "affiliate";
		*name = "partners";
		path = "/products/";
		break;
	case CH_REFERRAL:
		*referrer = "https://blog.example.org/best-running-shoes";
		path = "/products/";
		break;
	case CH_EMAIL:
		*src = "newsletter";
		*med = "email";
		*name = campaign;
		path = "/offers";
		break;
	default: /* direct */ break;
	}
	struct buf *u = &v->r->scratch; /* kept: no allocation a visit */
	buf_clear(u);
	buf_reserve(u, REC_MAX);
	put_s(u, SITE);
	put_s(u, path);
	if (path[strlen(path) - 1] == '/' && strcmp(path, "/") != 0)
		put_u(u, product);
	if (*src) {
		put_s(u, "?utm_source=");
		put_s(u, *src);
		put_s(u, "&utm_medium=");
		put_s(u, *med);
		put_s(u, "&utm_campaign=");
		put_s(u, *name);
	}
	set_url(v->url, u->data, u->len);
}

/*
 * One hit of the tag.  email: 0 none, 1 first address (variant), 2 the
 * junk test@test.com.  landing_channel: the marketing channel on the
 * landing hit, CH_NONE for the hits after it.
 */
static void
web_hit(struct web_visit *v, const char *event, int is_page, const char *path,
    int landing_channel, const char *campaign, int email, int has_value,
    uint32_t cents)
{
	struct gen_render *r = v->r;
	const struct gen_person *p = v->p;
	const char *src = NULL, *med = NULL, *name = NULL, *ref = NULL;
	uint64_t id = rng_next(&v->rr);
	int variant = (int)rng_below(&v->rr, EM_NVARIANTS);

	if (landing_channel != CH_NONE) {
		landing(v, landing_channel, campaign, &src, &med, &name, &ref);
		set_url(v->prev, ref ? ref : "", ref ? strlen(ref) : 0);
	} else if (path) {
		/* a new page: the page before is its referrer */
		memcpy(v->prev, v->url, sizeof v->prev);
		char page[160];
		size_t sl = sizeof SITE - 1, pl = strlen(path);
		memcpy(page, SITE, sl);
		memcpy(page + sl, path, pl < 159 - sl ? pl : 159 - sl);
		set_url(v->url, page, sl + (pl < 159 - sl ? pl : 159 - sl));
	}
	ref = v->prev[0] ? v->prev : NULL;

	/* mobile hits queued offline arrive late now and then */
	int64_t arrival = v->t + 150 + (int64_t)rng_below(&v->rr, 1500);
	if (v->device != DEV_DESKTOP && rng_chance(&v->rr, 0.03))
		arrival = v->t + (int64_t)rng_exp(&v->rr, 6 * 3600000.0);

	if (r->events) {
		struct canon c = { 0 };
		c.t = v->t;
		c.event = event;
		c.channel = (uint8_t)landing_channel;
		c.has_value = has_value;
		c.cents = cents;
		c.user = v->user;
		c.email = email == 1 ? 1 : 0;
		c.cookie = v->device + 1;
		emit_canon(r, SILO_WEB, p, &c, id);
		return;
	}
	struct buf *b = rec_begin(r, SILO_WEB, 0, arrival, p, id);
	char rid[48];
	put_s(b, "{\"messageId\":\"");
	raw(b, rid, gen_record_id(SILO_WEB, id, rid));
	put_s(b, is_page ? "\",\"type\":\"page\"" : "\",\"type\":\"track\"");
	put_s(b, ",\"event\":\"");
	put_s(b, event);
	put_s(b, "\",\"anonymousId\":\"");
	put_uuid(b, p->cookie[v->device], 0);
	put_s(b, "\",\"userId\":");
	if (v->user) {
		rawc(b, '"');
		put_user(b, p);
		rawc(b, '"');
	} else {
		put_s(b, "null");
	}
	put_s(b, ",\"timestamp\":\"");
	put_iso(b, v->t);
	put_s(b, "\",\"receivedAt\":\"");
	put_iso(b, arrival);
	put_s(b, "\",\"context\":{\"page\":{\"url\":\"");
	put_s(b, v->url);
	put_s(b, "\",\"referrer\":\"");
	put_s(b, ref ? ref : "");
	put_s(b, "\"}");
	if (src) {
		put_s(b, ",\"campaign\":{\"source\":\"");
		put_s(b, src);
		put_s(b, "\",\"medium\":\"");
		put_s(b, med);
		put_s(b, "\",\"name\":\"");
		put_s(b, name);
		put_s(b, "\"}");
	}
	if (email) {
		put_s(b, ",\"traits\":{\"email\":\"");
		if (email == 2)
			put_s(b, "test@test.com");
		else
			put_email(b, p, 0, variant);
		put_s(b, "\"}");
	}
	put_s(b, ",\"userAgent\":\"");
	put_s(b, v->device == DEV_DESKTOP ? ua_desktop : ua_mobile);
	put_s(b, "\"}");
	if (has_value) {
		put_s(b, ",\"properties\":{\"revenue\":");
		put_cents(b, cents);
		put_s(b, ",\"order_id\":\"O");
		put_hex(b, id >> 16, 10, 1);
		put_s(b, "\"}");
	}
	put_s(b, "}\n");
	rec_end(r, SILO_WEB);
}

static void
web_next(struct web_visit *v, double mean_gap_ms)
{
	v->t += 2000 + (int64_t)rng_exp(&v->rr, mean_gap_ms);
}

static void
render_web(
    struct gen_render *r, const struct gen_person *p, const struct gen_step *s)
{
	const struct gen_touch *x = s->touch;
	struct web_visit v;

	memset(&v, 0, sizeof v);
	v.r = r;
	v.p = p;
	rng_fork(&p->base, x->key ^ 0x52454E444552ULL, &v.rr);
	v.t = x->t;
	v.device = x->device;
	const char *campaign =
	    x->channel == CH_EMAIL ? r->w->campaigns[x->campaign].name : NULL;
	/* an e-mail link carries the subscriber: the tag identifies the
	 * address on landing, as e-mail platforms' click tracking does */
	web_hit(&v, "page_view", 1, NULL, x->channel, campaign,
	    x->channel == CH_EMAIL, 0, 0);
	int pages = (int)rng_exp(&v.rr, 1.5);
	for (int i = 0; i < pages; i++) {
		web_next(&v, 40000);
		web_hit(&v, "page_view", 1,
		    i % 2 ? "/category/sale" : "/products/1042", CH_NONE, NULL,
		    0, 0, 0);
	}
	if (s->logged_in || s->loop) {
		int loops = s->loop ? 3 + (int)rng_below(&v.rr, 4) : 1;
		for (int i = 0; i < loops; i++) {
			web_next(&v, i ? 15000 : 30000);
			web_hit(&v, "login_page", 1, "/account/login", CH_NONE,
			    NULL, 0, 0, 0);
		}
		if (s->loop_abandon)
			return;
		web_next(&v, 10000);
		v.user = 1;
		/* half the sign-ins send the address as typed */
		web_hit(&v, "login", 0, NULL, CH_NONE, NULL,
		    p->has_email && rng_chance(&v.rr, 0.5), 0, 0);
	}
	if (!s->decided || s->loop_abandon)
		return;
	web_next(&v, 60000);
	web_hit(&v, "add_to_cart", 0, "/cart", CH_NONE, NULL, 0, 0, 0);
	web_next(&v, 30000);
	/* a guest types an address at checkout; 1% type test@test.com */
	int email = 0;
	if (!v.user)
		email = rng_chance(&v.rr, 0.01) ? 2 : p->has_email ? 1 : 0;
	web_hit(&v, "checkout", 1, "/checkout", CH_NONE, NULL, email, 0, 0);
	if (s->error) {
		web_next(&v, 20000);
		web_hit(&v, "checkout_error", 0, NULL, CH_NONE, NULL, 0, 0, 0);
		if (s->error_abandon)
			return;
		web_next(&v, 30000);
		web_hit(&v, "checkout", 1, "/checkout", CH_NONE, NULL, 0, 0, 0);
	}
	web_next(&v, 45000);
	web_hit(&v, "purchase", 0, "/checkout/confirmation", CH_NONE, NULL, 0,
	    1, s->value_cents);
}

/* ---- the app gateway ---- */

static void
put_clf_time(struct buf *b, const struct ts_zone *z, int64_t t)
{
	static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int32_t off = ts_zone_offset_at(z, t);
	char s[TS_FORMAT_LEN + 1];
	ts_format(t + (int64_t)off * 1000, s);
	/* 2026-10-03T07:34:56.000Z -> 03/Oct/2026:07:34:56 -0500 */
	raw(b, s + 8, 2);
	rawc(b, '/');
	put_s(b, mon[(s[5] - '0') * 10 + (s[6] - '0') - 1]);
	rawc(b, '/');
	raw(b, s, 4);
	rawc(b, ':');
	raw(b, s + 11, 8);
	rawc(b, ' ');
	rawc(b, off < 0 ? '-' : '+');
	int32_t a = off < 0 ? -off : off;
	put_uw(b, (uint64_t)(a / 3600), 2);
	put_uw(b, (uint64_t)(a / 60 % 60), 2);
}

struct app_session {
	struct gen_render *r;
	const struct gen_person *p;
	struct rng rr;
	int64_t t;
	int user;
	unsigned ip;
};

static void
app_req(struct app_session *a, const char *method, const char *event,
    const char *rest, int has_value, uint32_t cents)
{
	struct gen_render *r = a->r;
	const struct gen_person *p = a->p;
	uint64_t id = rng_next(&a->rr);
	int64_t t = a->t - a->t % 1000; /* the log has whole seconds */
	uint64_t bytes = 200 + rng_below(&a->rr, 8000);

	if (r->events) {
		struct canon c = { 0 };
		c.t = t;
		c.event = event;
		c.channel = CH_APP;
		c.has_value = has_value;
		c.cents = cents;
		c.user = a->user;
		c.device = 1;
		c.app_version = gen_app_versions[p->app_version];
		emit_canon(r, SILO_APP, p, &c, id);
		return;
	}
	struct buf *b = rec_begin(r, SILO_APP, 0, t, p, id);
	char rid[48];
	put_s(b, "10.");
	put_u(b, a->ip >> 16 & 255);
	rawc(b, '.');
	put_u(b, a->ip >> 8 & 255);
	rawc(b, '.');
	put_u(b, a->ip & 255);
	put_s(b, " - ");
	if (a->user)
		put_user(b, p);
	else
		rawc(b, '-');
	put_s(b, " [");
	put_clf_time(b, r->central, t);
	put_s(b, "] \"");
	put_s(b, method);
	put_s(b, " /api/v2/");
	put_s(b, event);
	put_s(b, rest);
	if (has_value) {
		put_s(b, "?total=");
		put_cents(b, cents);
	}
	put_s(b, " HTTP/1.1\" 200 ");
	put_u(b, bytes);
	put_s(b, " \"-\" \"ShopApp/");
	put_s(b, gen_app_versions[p->app_version]);
	put_s(
	    b, p->index & 1 ? " (Android 14; device " : " (iOS 18.1; device ");
	put_uuid(b, p->device, 1);
	put_s(b, ")\" ");
	raw(b, rid, gen_record_id(SILO_APP, id, rid));
	rawc(b, '\n');
	rec_end(r, SILO_APP);
}

static void
render_app(
    struct gen_render *r, const struct gen_person *p, const struct gen_step *s)
{
	const struct gen_touch *x = s->touch;
	struct app_session a;

	memset(&a, 0, sizeof a);
	a.r = r;
	a.p = p;
	rng_fork(&p->base, x->key ^ 0x52454E444552ULL, &a.rr);
	a.t = x->t;
	a.user = s->logged_in;
	a.ip = (unsigned)rng_below(&a.rr, 1u << 24);
	app_req(&a, "GET", "session", "", 0, 0);
	int views = 1 + (int)rng_exp(&a.rr, 2.0);
	char rest[24];
	for (int i = 0; i < views; i++) {
		a.t += 1000 + (int64_t)rng_exp(&a.rr, 20000);
		snprintf(
		    rest, sizeof rest, "/%u", (unsigned)rng_below(&a.rr, 5000));
		app_req(&a, "GET", "products", rest, 0, 0);
	}
	if (!s->decided)
		return;
	a.t += 2000 + (int64_t)rng_exp(&a.rr, 20000);
	app_req(&a, "POST", "cart", "", 0, 0);
	a.t += 2000 + (int64_t)rng_exp(&a.rr, 30000);
	app_req(&a, "POST", "checkout", "", 0, 0);
	/* checkout -> payment: 2-8 s, or 30-120 s on the slow version */
	a.t += s->slow ? 30000 + (int64_t)rng_below(&a.rr, 90000)
		       : 2000 + (int64_t)rng_below(&a.rr, 6000);
	app_req(&a, "POST", "payment", "", 0, 0);
	if (s->slow_abandon)
		return;
	a.t += 1000 + (int64_t)rng_below(&a.rr, 3000);
	app_req(&a, "POST", "order", "", 1, s->value_cents);
}

/* ---- the call center ---- */

/* 10/03/2026 02:34:07 PM in zone z. */
static void
put_us_time(struct buf *b, const struct ts_zone *z, int64_t t)
{
	char s[TS_FORMAT_LEN + 1];
	ts_format(t + (int64_t)ts_zone_offset_at(z, t) * 1000, s);
	int h = (s[11] - '0') * 10 + (s[12] - '0');
	raw(b, s + 5, 2);
	rawc(b, '/');
	raw(b, s + 8, 2);
	rawc(b, '/');
	raw(b, s, 4);
	rawc(b, ' ');
	put_uw(b, (uint64_t)(h % 12 == 0 ? 12 : h % 12), 2);
	raw(b, s + 13, 6);
	put_s(b, h < 12 ? " AM" : " PM");
}

static void
render_call(
    struct gen_render *r, const struct gen_person *p, const struct gen_step *s)
{
	static const char *const reasons[] = { "order status", "returns",
		"product question", "account help", "delivery" };
	const struct gen_touch *x = s->touch;
	struct rng rr;
	rng_fork(&p->base, x->key ^ 0x52454E444552ULL, &rr);
	uint64_t id = rng_next(&rr);
	int64_t t = x->t - x->t % 1000;
	/* caller id: own number, withheld, or a placeholder */
	double u = rng_double(&rr);
	int phone = p->has_phone && u < 0.93 ? 1 : u < 0.97 ? 2 : 3;
	int account = p->has_account && rng_chance(&rr, 0.5);
	const char *reason = s->recovery_call ? "payment problem"
	    : x->kind == TK_REPEAT_CALL       ? "follow-up"
					      : reasons[rng_below(&rr, 5)];
	const char *disp = s->sold ? "order"
	    : s->unresolved        ? "unresolved"
				   : "resolved";
	unsigned agent = 1 + (unsigned)rng_below(&rr, 40);
	unsigned dur = 60 + (unsigned)rng_exp(&rr, 360);
	int variant = (int)rng_below(&rr, 6);

	if (r->events) {
		struct canon c = { 0 };
		c.t = t;
		c.event = disp;
		c.channel = CH_CALL_CENTER;
		c.has_value = s->sold;
		c.cents = s->value_cents;
		c.user = account;
		c.phone = phone == 1;
		emit_canon(r, SILO_CALLS, p, &c, id);
		return;
	}
	struct buf *b = rec_begin(r, SILO_CALLS, agent, t, p, id);
	char rid[48];
	raw(b, rid, gen_record_id(SILO_CALLS, id, rid));
	rawc(b, ';');
	put_us_time(b, r->eastern, t);
	rawc(b, ';');
	if (phone == 1)
		put_phone(b, p->phone, variant);
	else
		put_s(b, phone == 2 ? "Anonymous" : "0000000000");
	rawc(b, ';');
	if (account)
		put_user(b, p);
	put_s(b, ";agent");
	put_uw(b, agent, 2);
	put_s(b,
	    s->recovery_call ? ";payments;"
		: s->sold    ? ";sales;"
			     : ";service;");
	put_s(b, reason);
	rawc(b, ';');
	put_s(b, disp);
	rawc(b, ';');
	put_u(b, dur);
	rawc(b, ';');
	if (s->sold)
		put_cents(b, s->value_cents);
	put_s(b, "\r\n");
	rec_end(r, SILO_CALLS);
}

/* ---- the chat desk ---- */

static void
render_chat(
    struct gen_render *r, const struct gen_person *p, const struct gen_step *s)
{
	static const char *const topics[] = { "delivery", "returns", "payment",
		"product", "account" };
	static const char *const openers[] = { "Hi, where is my order?",
		"My discount code \"AUTUMN\" doesn't work",
		"Can I change the delivery address, please?",
		"I was charged twice, can you check?",
		"Do you have this in size 42?" };
	const struct gen_touch *x = s->touch;
	struct rng rr;
	rng_fork(&p->base, x->key ^ 0x52454E444552ULL, &rr);
	uint64_t id = rng_next(&rr);
	int email = p->has_email && rng_chance(&rr, 0.9);
	int variant = (int)rng_below(&rr, EM_NVARIANTS);
	int user = p->has_account && rng_chance(&rr, 0.6);
	unsigned topic = (unsigned)rng_below(&rr, 5);

	if (r->events) {
		struct canon c = { 0 };
		c.t = x->t;
		c.event = "chat";
		c.channel = CH_CHAT;
		c.user = user;
		c.email = !email ? 0 : p->has_email2 && (id & 1) ? 2 : 1;
		emit_canon(r, SILO_CHAT, p, &c, id);
		return;
	}
	struct buf *b = rec_begin(r, SILO_CHAT, 0, x->t, p, id);
	char rid[48];
	raw(b, rid, gen_record_id(SILO_CHAT, id, rid));
	rawc(b, ',');
	put_u(b, (uint64_t)x->t);
	rawc(b, ',');
	if (email)
		put_email(b, p, p->has_email2 && (id & 1) ? 1 : 0, variant);
	rawc(b, ',');
	if (user)
		put_user(b, p);
	rawc(b, ',');
	put_s(b, topics[topic]);
	put_s(b, s->unresolved ? ",no," : ",yes,");
	csvout_field_buf(b, openers[topic], strlen(openers[topic]), ',');
	rawc(b, '\n');
	rec_end(r, SILO_CHAT);
}

/* ---- the stores ---- */

static void
render_store(
    struct gen_render *r, const struct gen_person *p, const struct gen_step *s)
{
	if (!s->sold)
		return; /* the till sees only sales */
	const struct gen_touch *x = s->touch;
	struct rng rr;
	rng_fork(&p->base, x->key ^ 0x52454E444552ULL, &rr);
	uint64_t id = rng_next(&rr);
	int64_t t = x->t - x->t % 1000;
	unsigned store = rng_chance(&rr, 0.85)
	    ? p->store
	    : (unsigned)rng_below(&rr, GEN_STORES);
	int loyalty = p->has_loyalty && rng_chance(&rr, 0.9) ? 1
	    : !p->has_loyalty && rng_chance(&rr, 0.08)       ? 2
							     : 0;
	/* e-receipt: the customer's address, or what the clerk typed */
	double u = rng_double(&rr);
	int email = p->has_email && u < 0.4 ? 1
	    : u > 0.97                      ? 3
	    : u > 0.92                      ? 4
					    : 0;
	int variant = (int)rng_below(&rr, EM_NVARIANTS);
	unsigned items = 1 + (unsigned)rng_exp(&rr, 1.2);

	if (r->events) {
		struct canon c = { 0 };
		c.t = t;
		c.event = "purchase";
		c.channel = CH_STORE;
		c.has_value = 1;
		c.cents = s->value_cents;
		c.loyalty = loyalty;
		c.email = email == 3 ? 3 : email == 1 ? 1 : 0;
		emit_canon(r, SILO_POS, p, &c, id);
		return;
	}
	int64_t day =
	    (t + (int64_t)ts_zone_offset_at(r->central, t) * 1000) / 86400000;
	struct buf *b =
	    rec_begin(r, SILO_POS, (int64_t)store * 100000 + day, t, p, id);
	char rid[48];
	raw(b, rid, gen_record_id(SILO_POS, id, rid));
	put_s(b, "\tS");
	put_uw(b, store + 1, 2);
	rawc(b, '\t');
	{
		char iso[TS_FORMAT_LEN + 1];
		ts_format(
		    t + (int64_t)ts_zone_offset_at(r->central, t) * 1000, iso);
		iso[10] = ' ';
		raw(b, iso, 19);
	}
	rawc(b, '\t');
	if (loyalty == 1)
		put_loyalty(b, p);
	else if (loyalty == 2)
		put_s(b, STAFF_CARD);
	rawc(b, '\t');
	if (email == 1)
		put_email(b, p, 0, variant);
	else if (email == 3)
		put_s(b, NO_RECEIPT);
	else if (email == 4)
		put_s(b, "none@none.com");
	rawc(b, '\t');
	put_cents(b, s->value_cents);
	rawc(b, '\t');
	put_u(b, items);
	rawc(b, '\n');
	rec_end(r, SILO_POS);
}

void
gen_render_step(void *ctx, const struct gen_person *p, const struct gen_step *s)
{
	struct gen_render *r = ctx;
	int c = s->touch->channel;

	if (GEN_IS_WEB(c))
		render_web(r, p, s);
	else if (c == CH_APP)
		render_app(r, p, s);
	else if (c == CH_CALL_CENTER)
		render_call(r, p, s);
	else if (c == CH_CHAT)
		render_chat(r, p, s);
	else
		render_store(r, p, s);
}

/* ---- the e-mail platform ---- */

void
gen_render_mail(void *ctx, const struct gen_person *p, uint16_t campaign,
    enum gen_mail_kind kind, int64_t t)
{
	static const char *const kinds[] = { "email_sent", "email_bounce",
		"email_open", "email_click", "email_unsubscribe" };
	struct gen_render *r = ctx;
	struct rng rr;
	rng_fork(&p->base,
	    ((uint64_t)campaign << 8 | (uint64_t)kind) ^ 0x4D41494CULL << 24,
	    &rr);
	uint64_t id = rng_next(&rr);
	t -= t % 1000; /* epoch seconds */

	if (r->events) {
		struct canon c = { 0 };
		c.t = t;
		c.event = kinds[kind];
		c.channel = CH_EMAIL;
		c.email = 1;
		emit_canon(r, SILO_ESP, p, &c, id);
		return;
	}
	struct buf *b = rec_begin(r, SILO_ESP, campaign, t, p, id);
	char rid[48];
	raw(b, rid, gen_record_id(SILO_ESP, id, rid));
	rawc(b, ',');
	/* the platform keeps the address as it was typed at sign-up */
	put_email(b, p, 0, (int)(p->index % 3));
	rawc(b, ',');
	put_s(b, r->w->campaigns[campaign].name);
	rawc(b, ',');
	put_s(b, kinds[kind]);
	rawc(b, ',');
	put_u(b, (uint64_t)(t / 1000));
	rawc(b, '\n');
	rec_end(r, SILO_ESP);
}

/* ---- the account database ---- */

void
gen_render_account(struct gen_render *r, const struct gen_person *p)
{
	if (r->events || !p->has_account)
		return;
	struct rng rr;
	rng_fork(&p->base, 0x43524DULL << 32, &rr);
	/* signed up within the three years before the world starts */
	int64_t created =
	    r->w->p.start_ms - (int64_t)rng_below(&rr, 3ULL * 365 * 86400000);
	created -= created % 1000;
	int email = p->has_email && rng_chance(&rr, 0.95);
	int phone = p->has_phone && rng_chance(&rr, 0.8);
	int loyalty = p->has_loyalty && rng_chance(&rr, 0.8);
	int variant = (int)rng_below(&rr, 6);

	struct buf *b = rec_begin(r, SILO_CRM, 0, created, p, p->user);
	put_user(b, p);
	rawc(b, ',');
	if (email) /* as typed at sign-up, like the e-mail platform's copy */
		put_email(b, p, 0, (int)(p->index % 3));
	rawc(b, ',');
	if (phone)
		put_phone(b, p->phone, variant);
	rawc(b, ',');
	if (loyalty)
		put_loyalty(b, p);
	rawc(b, ',');
	{
		char iso[TS_FORMAT_LEN + 1];
		ts_format(created, iso);
		iso[10] = ' ';
		raw(b, iso, 19);
	}
	put_s(b, p->subscribed ? ",yes\n" : ",no\n");
	rec_end(r, SILO_CRM);
}
