/*
 * jt-journey: sessions, journeys and paths across channels.
 *
 * Reads events (jt-stitch output: each with its person), groups them by
 * person (or --by COLUMN) and orders each person's events by time, ties in
 * input order: lib/extsort holds up to --memory of them and spills sorted,
 * compressed runs past it; with --sorted the input is streamed a person
 * at a time, and so is input in order that is too large to hold: regular
 * files larger than --memory are first read once to check their order
 * (prescan_in_order), and streamed when it holds.  Each person's events go
 * through lib/journey (visits, touches, journeys) and out as journeys, a path
 * table, the events with journey,session,step, the visits, the variants or the
 * directly-follows graph.  With --merge the inputs are path tables, summed.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "csvin.h"
#include "csvout.h"
#include "err.h"
#include "events.h"
#include "evin.h"
#include "handoff.h"
#include "extsort.h"
#include "io.h"
#include "journey.h"
#include "keyorder.h"
#include "re.h"
#include "reject.h"
#include "strtab.h"
#include "ts.h"
#include "varint.h"

enum {
	KEY_BY = CLI_KEY_TOOL_BASE,
	KEY_SORTED,
	KEY_MEMORY,
	KEY_TMPDIR,
	KEY_GAP,
	KEY_TOUCH,
	KEY_CONVERSION,
	KEY_LOOKBACK,
	KEY_MAX_TOUCHES,
	KEY_COLLAPSE,
	KEY_OUTPUT,
	KEY_PATH_BY,
	KEY_MERGE,
};

static const struct cli_opt opts[] = {
	{ "output", KEY_OUTPUT, CLI_ARG, "KIND",
	    "journeys (default), paths, events, sessions, variants or dfg" },
	{ "by", KEY_BY, CLI_ARG, "COLUMN",
	    "group by COLUMN instead of person (a case id)" },
	{ "session-gap", KEY_GAP, CLI_ARG, "DURATION",
	    "a visit ends after a gap this long (default 30m; 0: every event "
	    "a visit)" },
	{ "touch", KEY_TOUCH, CLI_ARG, "REGEX",
	    "events matching REGEX may be a visit's touch (default: any)" },
	{ "conversion", KEY_CONVERSION, CLI_ARG, "REGEX",
	    "conversion events (default '^(purchase|conversion|order)$')" },
	{ "lookback", KEY_LOOKBACK, CLI_ARG, "DURATION",
	    "leave out touches older than this at the conversion (default 30d; "
	    "0: no limit)" },
	{ "max-touches", KEY_MAX_TOUCHES, CLI_ARG, "N",
	    "keep the last N touches of a journey (default 0: all)" },
	{ "collapse", KEY_COLLAPSE, CLI_NOARG, NULL,
	    "merge consecutive touches with the same label in paths" },
	{ "path-by", KEY_PATH_BY, CLI_ARG, "WHAT",
	    "label of a touch: channel (default), event or a COLUMN" },
	{ "merge", KEY_MERGE, CLI_NOARG, NULL,
	    "the inputs are path tables: sum rows with the same path" },
	{ "sorted", KEY_SORTED, CLI_NOARG, NULL,
	    "the input is ordered by person, then ts: stream it" },
	{ "memory", KEY_MEMORY, CLI_ARG, "SIZE",
	    "sort up to SIZE in memory, then spill to disk (default 1G)" },
	{ "tmpdir", KEY_TMPDIR, CLI_ARG, "DIR",
	    "folder of the sort's temporary files (default $TMPDIR or /tmp)" },
	CLI_COMMON_OUT,
	CLI_COMMON_QUIET,
	CLI_COMMON_REJECTS,
	CLI_COMMON_MAX_REJECTS,
	CLI_COMMON_MAX_FIELD,
	{ 0 },
};

static const struct cli_tool tool = {
	"jt-journey",
	"rebuild visits, journeys and paths of each person",
	"[--output KIND] [--by COLUMN] [--session-gap DURATION] "
	"[--conversion REGEX] [--lookback DURATION] [-o FILE] [file ...]",
	opts,
};

enum out_kind {
	OUT_JOURNEYS,
	OUT_PATHS,
	OUT_EVENTS,
	OUT_SESSIONS,
	OUT_VARIANTS,
	OUT_DFG
};
static const char *const out_names[] = { "journeys", "paths", "events",
	"sessions", "variants", "dfg" };
enum path_by { BY_CHANNEL, BY_EVENT, BY_COLUMN };

struct conf {
	enum out_kind out;
	const char *by;
	const char *path_col;
	enum path_by path_by;
	int sorted, merge;
	size_t memory;
	const char *tmpdir;
	struct re *touch, *conv;
	struct journey_conf jc;
};

/*
 * A record's payload, the event as decoded, compact because it is what
 * the sort holds and spills: a byte of flags (JOURNEY_EV_TOUCH,
 * JOURNEY_EV_CONV, PL_CHANNEL, PL_VALUE), varints channel (with
 * PL_CHANNEL), event and label (with --path-by COLUMN), the value as 8
 * bytes (with PL_VALUE, when not 0); in events mode then two u32, the
 * lengths of parts A and B of the row's text, and the text.
 */
enum { PL_CHANNEL = 4, PL_VALUE = 8 };

static void
put_varint(struct buf *b, uint64_t v)
{
	unsigned char t[VARINT_MAX];
	buf_add(b, t, varint_put(t, v));
}

/* A varint of a payload this run encoded (put_varint). */
static uint32_t
get_varint(const unsigned char **p, const unsigned char *end)
{
	uint64_t v;
	if (!varint_get(p, end, &v) || v > UINT32_MAX)
		err_die("internal error: damaged sort record");
	return (uint32_t)v;
}

/*
 * A small direct-mapped cache in front of a strtab for short, repeated
 * values (channels, event names): two word compares instead of a hash
 * and a probe.
 */
#define ICACHE 512
struct icache {
	struct {
		uint64_t w[2];
		uint32_t len, id; /* len 0: empty slot */
	} e[ICACHE];
};

static uint32_t
icache_intern(struct icache *c, struct strtab *t, const char *s, size_t n)
{
	int added;
	if (n == 0 || n > 16)
		return strtab_intern(t, s, n, &added);
	uint64_t w[2] = { 0, 0 };
	memcpy(w, s, n);
	uint64_t h =
	    (w[0] * 0x9e3779b97f4a7c15ULL) ^ (w[1] * 0xc2b2ae3d27d4eb4fULL) ^ n;
	size_t i = (size_t)(h >> 55) % ICACHE;
	if (c->e[i].len == n && c->e[i].w[0] == w[0] && c->e[i].w[1] == w[1])
		return c->e[i].id;
	uint32_t id = strtab_intern(t, s, n, &added);
	c->e[i].w[0] = w[0];
	c->e[i].w[1] = w[1];
	c->e[i].len = (uint32_t)n;
	c->e[i].id = id;
	return id;
}

struct run {
	struct conf cf;
	struct icache chcache, evcache, labcache;
	struct reject_log rl;
	struct strtab *channels, *events, *labels;
	unsigned char *evflags; /* per event id: JOURNEY_EV_* */
	unsigned char *evknown; /* evflags[id] is set */
	size_t evflagcap;
	struct io_out *out;
	struct csvout w;
	struct journey_agg *agg;
	/* the person being written: a view into a person batch */
	const char *key;
	size_t keylen;
	const struct journey_event *ev;
	const uint32_t *evid; /* event name ids */
	size_t nev;
	const char *text;     /* events mode: the texts of the batch */
	const size_t *toff;   /* the person's events' offsets in text */
	const uint32_t *tpre; /* lengths of parts A and B, 2 per event */
	int has_part[4]; /* the layout has columns in part 0-3 (events_layout)
			  */
	struct journey_result jr;
	struct buf line, path;
	uint64_t rows, persons, visits, journeys, converted, conversions;
	uint64_t empty_paths;
	int prescanned; /* streamed because the pre-scan found it in order */
};

/* ---- formatting ---- */

/* Decimal digits of v (buf_printf costs more than the rest of a row). */
static void
put_u64(struct buf *b, uint64_t v)
{
	char t[24];
	size_t i = sizeof t;
	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_add(b, t + i, sizeof t - i);
}

/* Seconds from milliseconds: "90", "1.5", "0.001". */
static void
put_secs(struct buf *b, int64_t ms)
{
	if (ms < 0) {
		buf_addc(b, '-');
		ms = -ms;
	}
	put_u64(b, (uint64_t)(ms / 1000));
	int f = (int)(ms % 1000);
	if (f) {
		char d[4] = { '.', (char)('0' + f / 100),
			(char)('0' + f / 10 % 10), (char)('0' + f % 10) };
		int k = 4;
		while (d[k - 1] == '0')
			k--;
		buf_add(b, d, (size_t)k);
	}
}

/*
 * A number with up to 15 significant digits, the most a double holds
 * exactly: a sum of amounts like 0.1 + 0.2 is written 0.3, not the
 * 0.30000000000000004 it is in binary.
 */
static void
put_num(struct buf *b, double v)
{
	if (v == 0) {
		buf_addc(b, '0');
		return;
	}
	if (fabs(v) < 1e15 && v == (double)(long long)v) {
		if (v < 0)
			buf_addc(b, '-');
		put_u64(b, (uint64_t)(long long)fabs(v));
		return;
	}
	buf_printf(b, "%.15g", v);
}

/* A ratio with at most six decimals, trailing zeros dropped. */
static void
put_rate(struct buf *b, double v)
{
	char t[40];
	snprintf(t, sizeof t, "%.6f", v);
	size_t n = strlen(t);
	while (n > 1 && t[n - 1] == '0')
		n--;
	if (t[n - 1] == '.')
		n--;
	buf_add(b, t, n);
}

static void
put_ts(struct buf *b, int64_t ms)
{
	char t[TS_FORMAT_LEN + 1];
	if (ts_format(ms, t) != 0)
		err_die("internal error: time out of range");
	buf_add(b, t, TS_FORMAT_LEN);
}

/* ---- names ---- */

static const char *
name_of(struct strtab *t, uint32_t id, size_t *n)
{
	if (id == JOURNEY_NONE) {
		*n = 0;
		return "";
	}
	return strtab_str(t, id, n);
}

static void
label_name(struct run *run, uint32_t id, const char **s, size_t *n)
{
	switch (run->cf.path_by) {
	case BY_CHANNEL: *s = name_of(run->channels, id, n); break;
	case BY_EVENT: *s = name_of(run->events, id, n); break;
	default: *s = name_of(run->labels, id, n);
	}
	if (*n == 0) {
		*s = "(none)";
		*n = 6;
	}
}

/* ---- per person ---- */

/* The path of journey j into run->path. */
static void
build_path(struct run *run, const struct journey_info *j)
{
	buf_clear(&run->path);
	for (size_t k = 0; k < j->ntouches; k++) {
		const struct journey_touch *t = &run->jr.touches[j->touch0 + k];
		const char *s;
		size_t n;
		label_name(run, t->label, &s, &n);
		if (k)
			buf_add(&run->path, " > ", 3);
		buf_add(&run->path, s, n);
	}
}

static void
put_journey_id(struct run *run, struct buf *b, uint32_t n)
{
	buf_add(b, run->key, run->keylen);
	buf_addc(b, ':');
	put_u64(b, n);
}

static void
write_journeys(struct run *run)
{
	struct journey_result *r = &run->jr;
	struct buf *b = &run->line;
	for (size_t i = 0; i < r->njourneys; i++) {
		const struct journey_info *j = &r->journeys[i];
		csvout_field(&run->w, run->key, run->keylen);
		buf_clear(b);
		put_journey_id(run, b, (uint32_t)i + 1);
		csvout_field(&run->w, b->data, b->len);
		buf_clear(b);
		put_ts(b, j->start);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_ts(b, j->end);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_u64(b, j->ntouches);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_u64(b, j->sessions);
		csvout_plain(&run->w, b->data, b->len);
		build_path(run, j);
		csvout_field(&run->w, run->path.data, run->path.len);
		buf_clear(b);
		for (size_t k = 0; k < j->ntouches; k++) {
			if (k)
				buf_addc(b, ';');
			put_secs(b, j->end - r->touches[j->touch0 + k].ts);
		}
		csvout_plain(&run->w, b->data, b->len);
		csvout_plain(&run->w, j->converted ? "1" : "0", 1);
		buf_clear(b);
		put_u64(b, j->conversions);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_num(b, j->value);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_secs(b, j->end - j->start);
		csvout_plain(&run->w, b->data, b->len);
		csvout_end(&run->w);
	}
}

static void
write_sessions(struct run *run)
{
	struct journey_result *r = &run->jr;
	struct buf *b = &run->line;
	for (size_t i = 0; i < r->nvisits; i++) {
		const struct journey_visit *v = &r->visits[i];
		size_t n;
		const char *s;
		csvout_field(&run->w, run->key, run->keylen);
		buf_clear(b);
		put_u64(b, i + 1);
		csvout_plain(&run->w, b->data, b->len);
		s = name_of(run->channels, v->channel, &n);
		csvout_field(&run->w, s, n);
		buf_clear(b);
		put_ts(b, v->start);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_ts(b, v->end);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_u64(b, v->events);
		csvout_plain(&run->w, b->data, b->len);
		s = name_of(run->events, run->evid[v->first], &n);
		csvout_field(&run->w, s, n);
		s = name_of(run->events, run->evid[v->last], &n);
		csvout_field(&run->w, s, n);
		csvout_end(&run->w);
	}
}

static void
write_events(struct run *run)
{
	struct journey_result *r = &run->jr;
	struct buf *b = &run->line;
	for (size_t i = 0; i < run->nev; i++) {
		const char *t = run->text + run->toff[i];
		size_t len = run->toff[i + 1] - run->toff[i];
		size_t la = run->tpre[2 * i], lb = run->tpre[2 * i + 1];
		buf_clear(b);
		buf_add(b, t, la);
		if (run->has_part[1]) {
			size_t n;
			const char *ch = name_of(run->channels,
			    r->visits[r->ev_visit[i] - 1].channel, &n);
			buf_addc(b, ',');
			csvout_field_buf(b, ch, n, ',');
		}
		if (run->has_part[2]) {
			buf_addc(b, ',');
			buf_add(b, t + la, lb);
		}
		buf_addc(b, ',');
		struct buf *id = &run->path;
		buf_clear(id);
		put_journey_id(run, id, r->ev_journey[i]);
		csvout_field_buf(b, id->data, id->len, ',');
		buf_addc(b, ',');
		put_u64(b, r->ev_visit[i]);
		buf_addc(b, ',');
		put_u64(b, r->ev_step[i]);
		if (run->has_part[3]) {
			buf_addc(b, ',');
			buf_add(b, t + la + lb, len - la - lb);
		}
		buf_addc(b, '\n');
		io_write(run->out, b->data, b->len);
	}
}

/* Adds the person's journeys to the path table, variants or graph. */
static void
aggregate(struct run *run)
{
	struct journey_result *r = &run->jr;
	for (size_t i = 0; i < r->njourneys; i++) {
		const struct journey_info *j = &r->journeys[i];
		if (j->ntouches == 0) {
			run->empty_paths++;
			continue;
		}
		if (run->cf.out == OUT_DFG) {
			const char *prev = "(start)", *s;
			size_t pn = 7, n;
			int64_t pts = -1;
			for (size_t k = 0; k < j->ntouches; k++) {
				const struct journey_touch *t =
				    &r->touches[j->touch0 + k];
				label_name(run, t->label, &s, &n);
				journey_agg_pair(run->agg, prev, pn, s, n,
				    pts < 0 ? 0 : t->ts - pts);
				prev = s;
				pn = n;
				pts = t->ts;
			}
			journey_agg_pair(
			    run->agg, prev, pn, "(end)", 5, j->end - pts);
			continue;
		}
		build_path(run, j);
		journey_agg_path(run->agg, run->path.data, run->path.len,
		    (double)j->conversions, j->value, j->converted ? 0 : 1,
		    j->end - j->start, run->cf.out == OUT_VARIANTS);
	}
}

static void
flush_person(struct run *run)
{
	journey_person(&run->cf.jc, run->ev, run->nev, &run->jr);
	struct journey_result *r = &run->jr;
	run->persons++;
	run->visits += r->nvisits;
	run->journeys += r->njourneys;
	for (size_t i = 0; i < r->njourneys; i++) {
		run->converted += r->journeys[i].converted != 0;
		run->conversions += r->journeys[i].conversions;
	}
	switch (run->cf.out) {
	case OUT_JOURNEYS: write_journeys(run); break;
	case OUT_SESSIONS: write_sessions(run); break;
	case OUT_EVENTS: write_events(run); break;
	default: aggregate(run);
	}
}

/*
 * Sorted records are gathered into batches of whole persons (about
 * PB_EVENTS events, more for one large person).  Unsorted input is written
 * on two threads: the main thread merges the sorted records into one batch
 * while a writer works out and writes the persons of the other.  The
 * writer alone formats and writes (the name tables are no longer changed
 * by then); --sorted input (or input the pre-scan found in order) is
 * gathered and written on one thread.  lib/ts caches the last date it
 * parsed and the last it formatted, in statics: only the reader thread
 * parses times (the pre-scan runs before it starts) and only the writer
 * formats them.
 */
#define PB_EVENTS 16384

struct pbatch {
	size_t npersons, pcap;
	size_t *kend;  /* per person: end of its key in keys */
	size_t *evend; /* per person: end of its events */
	struct buf keys;
	struct journey_event *ev;
	uint32_t *evid;
	size_t nev, evcap;
	struct buf text;
	size_t *toff; /* nev + 1 */
	uint32_t *tpre;
};

static void
pbatch_free(struct pbatch *b)
{
	free(b->kend);
	free(b->evend);
	buf_free(&b->keys);
	free(b->ev);
	free(b->evid);
	buf_free(&b->text);
	free(b->toff);
	free(b->tpre);
}

static int
pbatch_last_is(const struct pbatch *b, const char *key, size_t keylen)
{
	if (!b->npersons)
		return 0;
	size_t k0 = b->npersons > 1 ? b->kend[b->npersons - 2] : 0;
	return b->kend[b->npersons - 1] - k0 == keylen &&
	    memcmp(b->keys.data + k0, key, keylen) == 0;
}

static void
pbatch_add(struct run *run, struct pbatch *b, const char *key, size_t keylen,
    int64_t ts, const void *data, size_t len)
{
	if (!pbatch_last_is(b, key, keylen)) {
		if (b->npersons == b->pcap) {
			b->pcap = b->pcap ? 2 * b->pcap : 1024;
			b->kend =
			    xreallocarray(b->kend, b->pcap, sizeof *b->kend);
			b->evend =
			    xreallocarray(b->evend, b->pcap, sizeof *b->evend);
		}
		buf_add(&b->keys, key, keylen);
		b->kend[b->npersons++] = b->keys.len;
	}
	if (b->nev + 1 >= b->evcap) {
		b->evcap = b->evcap ? 2 * b->evcap : PB_EVENTS;
		b->ev = xreallocarray(b->ev, b->evcap, sizeof *b->ev);
		b->evid = xreallocarray(b->evid, b->evcap, sizeof *b->evid);
		b->toff = xreallocarray(b->toff, b->evcap + 1, sizeof *b->toff);
		b->tpre = xreallocarray(b->tpre, 2 * b->evcap, sizeof *b->tpre);
	}
	const unsigned char *d = data, *end = d + len;
	unsigned flags = *d++;
	struct journey_event *e = &b->ev[b->nev];
	e->ts = ts;
	e->channel = flags & PL_CHANNEL ? get_varint(&d, end) : JOURNEY_NONE;
	b->evid[b->nev] = get_varint(&d, end);
	e->label = run->cf.path_by == BY_COLUMN ? get_varint(&d, end)
	    : run->cf.path_by == BY_EVENT       ? b->evid[b->nev]
						: 0;
	e->value = 0;
	if (flags & PL_VALUE) {
		memcpy(&e->value, d, sizeof e->value);
		d += sizeof e->value;
	}
	e->flags = flags & (JOURNEY_EV_TOUCH | JOURNEY_EV_CONV);
	if (run->cf.out == OUT_EVENTS) {
		memcpy(b->tpre + 2 * b->nev, d, 8);
		d += 8;
		b->toff[b->nev] = b->text.len;
		buf_add(&b->text, d, (size_t)(end - d));
		b->toff[b->nev + 1] = b->text.len;
	}
	b->nev++;
	b->evend[b->npersons - 1] = b->nev;
}

/* Works out and writes every person of b, then empties it. */
static void
pbatch_write(struct run *run, struct pbatch *b)
{
	size_t k0 = 0, e0 = 0;
	for (size_t i = 0; i < b->npersons; i++) {
		run->key = b->keys.data + k0;
		run->keylen = b->kend[i] - k0;
		run->ev = b->ev + e0;
		run->evid = b->evid + e0;
		run->nev = b->evend[i] - e0;
		run->text = b->text.data;
		run->toff = b->toff + e0;
		run->tpre = b->tpre + 2 * e0;
		flush_person(run);
		k0 = b->kend[i];
		e0 = b->evend[i];
	}
	b->npersons = b->nev = 0;
	buf_clear(&b->keys);
	buf_clear(&b->text);
}

struct feeder {
	struct run *run;
	struct pbatch b[2];
	int k, threaded;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int full[2], done;
	pthread_t tid;
};

static void *
writer_main(void *arg)
{
	struct feeder *f = arg;
	for (int k = 0;; k ^= 1) {
		pthread_mutex_lock(&f->mu);
		while (!f->full[k] && !f->done)
			pthread_cond_wait(&f->cv, &f->mu);
		int have = f->full[k];
		pthread_mutex_unlock(&f->mu);
		if (!have)
			return NULL;
		pbatch_write(f->run, &f->b[k]);
		pthread_mutex_lock(&f->mu);
		f->full[k] = 0;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
	}
}

static void
feeder_start(struct feeder *f, struct run *run, int threads)
{
	memset(f, 0, sizeof *f);
	f->run = run;
	if (!threads)
		return;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->threaded = pthread_create(&f->tid, NULL, writer_main, f) == 0;
	if (!f->threaded) {
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->cv);
	}
}

/* Hands the current batch to the writer, or writes it. */
static void
feeder_hand(struct feeder *f)
{
	if (!f->threaded) {
		pbatch_write(f->run, &f->b[0]);
		return;
	}
	pthread_mutex_lock(&f->mu);
	f->full[f->k] = 1;
	pthread_cond_broadcast(&f->cv);
	f->k ^= 1;
	while (f->full[f->k])
		pthread_cond_wait(&f->cv, &f->mu);
	pthread_mutex_unlock(&f->mu);
}

static void
feeder_add(struct feeder *f, const char *key, size_t keylen, int64_t ts,
    const void *data, size_t len)
{
	struct pbatch *b = &f->b[f->k];
	if (b->nev >= PB_EVENTS && !pbatch_last_is(b, key, keylen)) {
		feeder_hand(f);
		b = &f->b[f->k];
	}
	pbatch_add(f->run, b, key, keylen, ts, data, len);
}

static void
feeder_end(struct feeder *f)
{
	if (f->b[f->k].npersons)
		feeder_hand(f);
	if (f->threaded) {
		pthread_mutex_lock(&f->mu);
		f->done = 1;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->tid, NULL);
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->cv);
	}
	pbatch_free(&f->b[0]);
	pbatch_free(&f->b[1]);
}

/* ---- reading ---- */

struct cols {
	long key, ts, channel, event, value, label;
	int *place; /* events mode: 0 before journey, 1 after, -1 dropped */
};

static uint32_t
event_id(struct run *run, const char *s, size_t n)
{
	uint32_t id = icache_intern(&run->evcache, run->events, s, n);
	if (id >= run->evflagcap || !run->evknown[id]) {
		if (id >= run->evflagcap) {
			size_t old = run->evflagcap;
			run->evflagcap = old ? 2 * old : 64;
			run->evflags = xrealloc(run->evflags, run->evflagcap);
			run->evknown = xrealloc(run->evknown, run->evflagcap);
			memset(run->evknown + old, 0, run->evflagcap - old);
		}
		unsigned f = 0;
		if (!run->cf.touch || re_match(run->cf.touch, s, n))
			f |= JOURNEY_EV_TOUCH;
		if (re_match(run->cf.conv, s, n))
			f |= JOURNEY_EV_CONV;
		run->evflags[id] = (unsigned char)f;
		run->evknown[id] = 1;
	}
	return id;
}

static void reject_row(struct run *run, struct evin *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reject_row(struct run *run, struct evin *e, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	evin_reject(e, &run->rl, msg);
}

/* Values quoted in messages are cut to this many bytes. */
#define SHOW(n) ((int)((n) > 60 ? 60 : (n)))

static int
parse_value(const char *s, size_t n, double *out)
{
	char t[64];
	if (n == 0 || n >= sizeof t)
		return -1;
	memcpy(t, s, n);
	t[n] = '\0';
	char *end;
	errno = 0;
	*out = strtod(t, &end);
	if (*end || errno || !isfinite(*out) || t[0] == ' ')
		return -1;
	return 0;
}

/* What check_row finds wrong with a row, if anything. */
enum row_check { ROW_OK, ROW_NO_KEY, ROW_BAD_TS, ROW_BAD_VALUE };

/*
 * The rules a row must pass to be used: a key, a time, a number or
 * nothing for value.  Sets *ts and *value of a good row.  The reading
 * and the pre-scan (prescan_in_order) both judge rows with it.
 */
static enum row_check
check_row(
    const struct evin *e, const struct cols *c, int64_t *ts, double *value)
{
	if (e->len[c->key] == 0)
		return ROW_NO_KEY;
	const char *tv = e->f[c->ts];
	size_t tn = e->len[c->ts];
	if (ts_parse_canonical(tv, tn, ts) != 0 &&
	    (tn == 0 || ts_parse_auto(tv, tn, NULL, ts) != 0))
		return ROW_BAD_TS;
	*value = 0;
	if (c->value >= 0 && e->len[c->value] &&
	    parse_value(e->f[c->value], e->len[c->value], value) != 0)
		return ROW_BAD_VALUE;
	return ROW_OK;
}

/*
 * Rows are read a batch at a time: the key, time and payload of each (the
 * payload holds the decoded fields, and in events mode the row's text).
 * Unsorted input is read on two threads: a reader parses and decodes
 * batches while the main thread adds the batch before to the sort.  The
 * reader alone touches the CSV reader, the rejects and the name tables
 * until reading ends, so nothing else is shared.
 */
#define RBATCH 1024

struct rbatch {
	size_t n;
	struct buf keys, pay;
	size_t koff[RBATCH + 1], poff[RBATCH + 1];
	int64_t ts[RBATCH];
	long line[RBATCH];
	const char *file[RBATCH];
};

struct reader {
	struct run *run;
	struct evin *e;
	const struct cols *c;
};

/* Fills b with up to RBATCH rows; returns 0 at the end of the input. */
static int
fill_rbatch(struct reader *rd, struct rbatch *b)
{
	struct run *run = rd->run;
	struct evin *e = rd->e;
	const struct cols *c = rd->c;
	struct buf *pl = &b->pay;
	int more = 1;
	b->n = 0;
	buf_clear(&b->keys);
	buf_clear(pl);
	b->koff[0] = b->poff[0] = 0;
	while (b->n < RBATCH && (more = evin_next_row(e, &run->rl))) {
		int64_t ts = 0;
		double value = 0;
		switch (check_row(e, c, &ts, &value)) {
		case ROW_OK: break;
		case ROW_NO_KEY:
			reject_row(run, e, "column '%s': empty", run->cf.by);
			continue;
		case ROW_BAD_TS:
			if (e->len[c->ts])
				reject_row(run, e,
				    "column 'ts': invalid time '%.*s'",
				    SHOW(e->len[c->ts]), e->f[c->ts]);
			else
				reject_row(run, e, "column 'ts': empty time");
			continue;
		case ROW_BAD_VALUE:
			reject_row(run, e,
			    "column 'value': invalid number '%.*s'",
			    SHOW(e->len[c->value]), e->f[c->value]);
			continue;
		}
		size_t keylen = e->len[c->key];
		uint32_t channel = c->channel >= 0 && e->len[c->channel]
		    ? icache_intern(&run->chcache, run->channels,
			  e->f[c->channel], e->len[c->channel])
		    : JOURNEY_NONE;
		uint32_t event = c->event >= 0
		    ? event_id(run, e->f[c->event], e->len[c->event])
		    : event_id(run, "", 0);
		unsigned char flags = run->evflags[event];
		if (channel != JOURNEY_NONE)
			flags |= PL_CHANNEL;
		if (value != 0)
			flags |= PL_VALUE;
		buf_addc(pl, (char)flags);
		if (channel != JOURNEY_NONE)
			put_varint(pl, channel);
		put_varint(pl, event);
		if (run->cf.path_by == BY_COLUMN)
			put_varint(pl,
			    icache_intern(&run->labcache, run->labels,
				e->f[c->label], e->len[c->label]));
		if (value != 0)
			buf_add(pl, &value, sizeof value);
		if (run->cf.out == OUT_EVENTS) {
			/* parts A, B, C of the row (events_layout) */
			size_t at = pl->len;
			uint32_t plen[2] = { 0, 0 };
			buf_add(pl, plen, sizeof plen);
			for (int part = 0; part < 4; part++) {
				if (part == 1)
					continue;
				size_t start = pl->len;
				int first = 1;
				for (size_t i = 0; i < e->ncols; i++) {
					if (c->place[i] != part)
						continue;
					if (!first)
						buf_addc(pl, ',');
					first = 0;
					csvout_field_buf(
					    pl, e->f[i], e->len[i], ',');
				}
				if (part < 3)
					plen[part / 2] =
					    (uint32_t)(pl->len - start);
			}
			memcpy(pl->data + at, plen, sizeof plen);
		}
		buf_add(&b->keys, e->f[c->key], keylen);
		b->ts[b->n] = ts;
		b->line[b->n] = e->line;
		b->file[b->n] = e->file;
		b->n++;
		b->koff[b->n] = b->keys.len;
		b->poff[b->n] = pl->len;
		run->rows++;
		io_progress(run->rows, evin_bytes(e));
	}
	return more;
}

static void
sort_batch(struct extsort *xs, const struct rbatch *b)
{
	for (size_t i = 0; i < b->n; i++)
		extsort_add(xs, b->keys.data + b->koff[i],
		    b->koff[i + 1] - b->koff[i], b->ts[i],
		    b->pay.data + b->poff[i], b->poff[i + 1] - b->poff[i]);
}

/*
 * --sorted, or input the pre-scan found in order: each row straight to
 * its person, checking the order.
 */
static void
stream_batch(struct run *run, struct feeder *fd, const struct rbatch *b,
    struct keyorder *ko)
{
	for (size_t i = 0; i < b->n; i++) {
		const char *key = b->keys.data + b->koff[i];
		size_t keylen = b->koff[i + 1] - b->koff[i];
		if (keyorder_next(ko, key, keylen, b->ts[i]) != 0) {
			if (run->prescanned)
				err_die("%s:%ld: input not ordered by %s, "
					"then ts, though it was when first "
					"read (did it change?)",
				    b->file[i], b->line[i], run->cf.by);
			err_die("%s:%ld: input not ordered by %s, then ts "
				"(--sorted)",
			    b->file[i], b->line[i], run->cf.by);
		}
		feeder_add(fd, key, keylen, b->ts[i], b->pay.data + b->poff[i],
		    b->poff[i + 1] - b->poff[i]);
	}
}

/* Where read_events hands its batches: the sort, or the persons as
 * they come (--sorted or found in order), checking their order. */
struct batch_use {
	struct run *run;
	struct extsort *xs;
	struct feeder *fd;
	struct keyorder order;
};

static int
fill_one(void *rd, void *b)
{
	return fill_rbatch(rd, b);
}

static void
use_one(void *ctx, void *b)
{
	struct batch_use *u = ctx;
	if (u->xs)
		sort_batch(u->xs, b);
	else
		stream_batch(u->run, u->fd, b, &u->order);
}

/*
 * Reads every row into the sort xs or, xs NULL (--sorted, or found in
 * order), the feeder fd.  The sort parses on a second thread
 * (lib/handoff); streaming stays on one, so names go to the outputs as
 * they come.
 */
static void
read_events(struct run *run, struct evin *e, const struct cols *c,
    struct extsort *xs, struct feeder *fd)
{
	struct reader rd = { run, e, c };
	struct rbatch *b = xcalloc(2, sizeof *b);
	struct batch_use u = { run, xs, fd, { { 0 }, 0, 0 } };
	void *batch[2] = { &b[0], &b[1] };
	handoff_run(batch, xs != NULL, fill_one, &rd, use_one, &u);
	keyorder_free(&u.order);
	for (int k = 0; k < 2; k++) {
		buf_free(&b[k].keys);
		buf_free(&b[k].pay);
	}
	free(b);
}

/* ---- the pre-scan ---- */

/* Nonzero when path starts with the gzip magic bytes (as lib/io sees). */
static int
starts_gzip(const char *path)
{
	unsigned char m[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, m, 2);
	close(fd);
	return n == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

/*
 * Whether the inputs are worth a pre-scan: all named regular files (a
 * pipe or stdin cannot be read twice), larger on disk, a gzip one at
 * KEYORDER_GZIP_RATIO times its size, than the --memory budget, so that
 * the sort would hold a good part of a budget that streaming would not
 * need.  Smaller inputs are sorted (or found in order) in memory, which
 * is faster.
 */
static int
prescan_wanted(char *const *paths, size_t n, size_t memory)
{
	if (n == 0)
		return 0;
	uint64_t *size = xcalloc(n, sizeof *size);
	unsigned char *gz = xcalloc(n, 1);
	int ok = 1;
	for (size_t i = 0; i < n && ok; i++) {
		struct stat st;
		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 ||
		    !S_ISREG(st.st_mode))
			ok = 0;
		else {
			size[i] = (uint64_t)st.st_size;
			gz[i] = (unsigned char)starts_gzip(paths[i]);
		}
	}
	ok = ok && keyorder_exceeds(size, gz, n, memory);
	free(size);
	free(gz);
	return ok;
}

/*
 * The pre-scan: reads the inputs once, as the real pass will, and says
 * whether every row the real pass would use (check_row; rows it would
 * reject are skipped) comes in order of key, then ts.  Stops at the first
 * row out of order, within the first rows of unsorted input.  Touches no
 * state of run: names, rejects and counts are the real pass's.
 */
static int
prescan_in_order(struct run *run, char *const *paths, size_t n,
    const struct csvin_opts *copts)
{
	struct evin *e = evin_open(paths, n, copts, 1);
	struct cols c = { evin_col(e, run->cf.by), evin_col(e, "ts"), -1, -1,
		evin_col(e, "value"), -1, NULL };
	struct keyorder o = { { 0 }, 0, 0 };
	int in_order = c.key >= 0 && c.ts >= 0;
	enum csvin_status st;
	while (in_order && (st = evin_next(e)) != CSVIN_EOF) {
		if (st == CSVIN_FAIL) /* the real pass reports it */
			in_order = 0;
		if (st != CSVIN_ROW)
			continue;
		int64_t ts = 0;
		double value;
		if (check_row(e, &c, &ts, &value) == ROW_OK &&
		    keyorder_next(&o, e->f[c.key], e->len[c.key], ts) != 0)
			in_order = 0;
	}
	keyorder_free(&o);
	evin_close(e);
	return in_order;
}

/* ---- aggregated outputs ---- */

static void
write_paths(struct run *run)
{
	size_t n;
	const struct journey_path_row *p = journey_agg_paths(run->agg, &n);
	struct buf *b = &run->line;
	for (size_t i = 0; i < n; i++) {
		csvout_field(&run->w, p[i].path, p[i].len);
		buf_clear(b);
		put_num(b, p[i].conversions);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_num(b, p[i].value);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_num(b, p[i].nulls);
		csvout_plain(&run->w, b->data, b->len);
		csvout_end(&run->w);
	}
}

static int
cmp_variant(const void *x, const void *y)
{
	const struct journey_path_row *a = x, *b = y;
	if (a->journeys != b->journeys)
		return a->journeys > b->journeys ? -1 : 1;
	int c = memcmp(a->path, b->path, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static void
write_variants(struct run *run)
{
	size_t n;
	const struct journey_path_row *p = journey_agg_paths(run->agg, &n);
	struct journey_path_row *v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	memcpy(v, p, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_variant);
	struct buf *b = &run->line;
	for (size_t i = 0; i < n; i++) {
		csvout_field(&run->w, v[i].path, v[i].len);
		buf_clear(b);
		buf_printf(b, "%llu", (unsigned long long)v[i].journeys);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		buf_printf(b, "%llu", (unsigned long long)v[i].converted);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_rate(b, (double)v[i].converted / (double)v[i].journeys);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_num(b, journey_quantile(v[i].dur, v[i].ndur, 0.5) / 1000);
		csvout_plain(&run->w, b->data, b->len);
		csvout_end(&run->w);
	}
	free(v);
}

static void
write_dfg(struct run *run)
{
	size_t n;
	const struct journey_pair_row *p = journey_agg_pairs(run->agg, &n);
	struct buf *b = &run->line;
	for (size_t i = 0; i < n; i++) {
		csvout_field(&run->w, p[i].from, p[i].fromlen);
		csvout_field(&run->w, p[i].to, p[i].tolen);
		buf_clear(b);
		buf_printf(b, "%llu", (unsigned long long)p[i].count);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_num(b, journey_quantile(p[i].dur, p[i].ndur, 0.5) / 1000);
		csvout_plain(&run->w, b->data, b->len);
		buf_clear(b);
		put_num(b, journey_quantile(p[i].dur, p[i].ndur, 0.9) / 1000);
		csvout_plain(&run->w, b->data, b->len);
		csvout_end(&run->w);
	}
}

/* --merge: the inputs are path tables. */
static void
read_path_tables(struct run *run, struct evin *e, const char *in)
{
	static const char *const need[] = { "path", "total_conversions",
		"total_conversion_value", "total_null" };
	long col[4];
	for (int i = 0; i < 4; i++)
		if ((col[i] = evin_col(e, need[i])) < 0)
			err_die("%s: no '%s' column: --merge reads path "
				"tables (path,total_conversions,"
				"total_conversion_value,total_null)",
			    in, need[i]);
	while (evin_next_row(e, &run->rl)) {
		double v[3];
		int bad = -1;
		for (int i = 0; i < 3 && bad < 0; i++)
			if (parse_value(e->f[col[i + 1]], e->len[col[i + 1]],
				&v[i]) != 0)
				bad = i + 1;
		if (bad > 0) {
			reject_row(run, e, "column '%s': invalid number '%.*s'",
			    need[bad], SHOW(e->len[col[bad]]), e->f[col[bad]]);
			continue;
		}
		run->rows++;
		journey_agg_path(run->agg, e->f[col[0]], e->len[col[0]], v[0],
		    v[1], v[2], 0, 0);
	}
}

/* ---- main ---- */

static int64_t
duration_opt(const char *opt, const char *s)
{
	int64_t ms;
	if (ts_parse_duration(s, &ms) != 0 || ms < 0)
		err_usage("%s: invalid duration '%s' (a number with s, m, h, "
			  "d or w)",
		    opt, s);
	return ms;
}

static struct re *
regex_opt(const char *opt, const char *s)
{
	char why[128];
	struct re *r = re_compile(s, 0, why, sizeof why);
	if (!r)
		err_usage("%s '%s': %s", opt, s, why);
	return r;
}

static void
parse_options(struct conf *cf, struct cli_common *cc, struct cli *c)
{
	int k, out_set = 0;
	while ((k = cli_next(c)) != -1) {
		if (cli_common_opt(cc, k, c->arg))
			continue;
		switch (k) {
		case KEY_OUTPUT: {
			size_t i;
			for (i = 0; i < 6; i++)
				if (strcmp(c->arg, out_names[i]) == 0)
					break;
			if (i == 6)
				err_usage("--output takes journeys, paths, "
					  "events, sessions, variants or dfg, "
					  "not '%s'",
				    c->arg);
			cf->out = (enum out_kind)i;
			out_set = 1;
			break;
		}
		case KEY_BY:
			if (!*c->arg)
				err_usage("--by: empty column name");
			cf->by = c->arg;
			break;
		case KEY_GAP:
			cf->jc.gap_ms = duration_opt("--session-gap", c->arg);
			break;
		case KEY_LOOKBACK:
			cf->jc.lookback_ms = duration_opt("--lookback", c->arg);
			break;
		case KEY_TOUCH:
			re_free(cf->touch);
			cf->touch = regex_opt("--touch", c->arg);
			break;
		case KEY_CONVERSION:
			re_free(cf->conv);
			cf->conv = regex_opt("--conversion", c->arg);
			break;
		case KEY_MAX_TOUCHES:
			cf->jc.max_touches = (size_t)cli_int(
			    "--max-touches", c->arg, 0, 1000000000);
			break;
		case KEY_COLLAPSE: cf->jc.collapse = 1; break;
		case KEY_PATH_BY:
			if (!*c->arg)
				err_usage("--path-by: empty column name");
			if (strcmp(c->arg, "channel") == 0)
				cf->path_by = BY_CHANNEL;
			else if (strcmp(c->arg, "event") == 0)
				cf->path_by = BY_EVENT;
			else {
				cf->path_by = BY_COLUMN;
				cf->path_col = c->arg;
			}
			break;
		case KEY_MERGE: cf->merge = 1; break;
		case KEY_SORTED: cf->sorted = 1; break;
		case KEY_MEMORY:
			cf->memory = (size_t)cli_size("--memory", c->arg);
			if (cf->memory < (1u << 20))
				err_usage(
				    "--memory: at least 1M, not '%s'", c->arg);
			break;
		case KEY_TMPDIR: cf->tmpdir = c->arg; break;
		default: err_usage("unexpected option");
		}
	}
	if (cf->merge) {
		if (out_set && cf->out != OUT_PATHS)
			err_usage("--merge sums path tables: it writes "
				  "--output paths, not %s",
			    out_names[cf->out]);
		cf->out = OUT_PATHS;
	}
}

static const char *const headers[] = {
	"person,journey,start,end,touches,sessions,path,path_age_s,converted,"
	"conversions,value,duration_s",
	"path,total_conversions,total_conversion_value,total_null",
	NULL,
	"person,session,channel,start,end,events,first_event,last_event",
	"path,count,conversions,conversion_rate,median_duration_s",
	"from,to,count,median_s,p90_s",
};

/*
 * The events-mode header and the place of each input column: part 0 the
 * columns before channel, 1 channel (written from the event's visit), 2
 * the columns after it up to source, then journey,session,step, then part
 * 3 the rest; -1 for journey, session and step of the input (replaced).
 */
static void
events_layout(struct run *run, struct evin *e, struct cols *c)
{
	c->place = xcalloc(e->ncols + 1, sizeof *c->place);
	struct buf h = { 0 };
	int inserted = 0, part = 0;
	for (size_t i = 0; i <= e->ncols; i++) {
		int rank = i < e->ncols ? events_rank(e->col[i]) : EVENTS_ATTR;
		if (rank == EVENTS_JOURNEY || rank == EVENTS_SESSION ||
		    rank == EVENTS_STEP) {
			c->place[i] = -1;
			continue;
		}
		if (!inserted && rank > EVENTS_SOURCE) {
			buf_adds(&h, h.len ? "," : "");
			buf_adds(&h, "journey,session,step");
			inserted = 1;
			part = 3;
		}
		if (i == e->ncols)
			break;
		if (rank == EVENTS_CHANNEL)
			part = 1;
		else if (part == 1)
			part = 2;
		c->place[i] = part;
		run->has_part[part] = 1;
		if (h.len)
			buf_addc(&h, ',');
		csvout_field_buf(&h, e->col[i], strlen(e->col[i]), ',');
	}
	buf_addc(&h, '\n');
	io_write(run->out, h.data, h.len);
	buf_free(&h);
}

static void
summary(struct run *run, struct extsort *xs)
{
	struct buf b = { 0 };
	buf_printf(&b, "%llu %s, ", (unsigned long long)run->rows,
	    run->cf.merge ? "path rows" : "events");
	reject_tally(&run->rl, &b);
	if (!run->cf.merge) {
		buf_printf(&b,
		    "; %llu persons, %llu visits, %llu journeys (%llu "
		    "converted, %llu conversions)",
		    (unsigned long long)run->persons,
		    (unsigned long long)run->visits,
		    (unsigned long long)run->journeys,
		    (unsigned long long)run->converted,
		    (unsigned long long)run->conversions);
		if (run->empty_paths &&
		    (run->cf.out == OUT_PATHS || run->cf.out == OUT_VARIANTS ||
			run->cf.out == OUT_DFG))
			buf_printf(&b,
			    ", %llu journeys without a touch left out",
			    (unsigned long long)run->empty_paths);
	}
	if (run->prescanned)
		buf_adds(&b, "; input in order: streamed");
	if (xs) {
		if (extsort_runs(xs))
			buf_printf(&b,
			    "; sorted with %zu runs on disk (%.1f MB before "
			    "compression)",
			    extsort_runs(xs),
			    (double)extsort_spilled(xs) / (1 << 20));
		else if (extsort_was_sorted(xs))
			buf_adds(&b, "; input already in order");
		else
			buf_adds(&b, "; sorted in memory");
	}
	fprintf(stderr, "%s: %s\n", err_prog(), b.data);
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_common cc;
	struct run run;
	memset(&run, 0, sizeof run);
	struct conf *cf = &run.cf;
	cf->by = "person";
	cf->memory = (size_t)1 << 30;
	cf->jc.gap_ms = 30 * 60 * 1000;
	cf->jc.lookback_ms = (int64_t)30 * 86400 * 1000;
	cli_common_init(&cc);
	cli_init(&c, &tool, argc, argv);
	parse_options(cf, &cc, &c);
	if (!cf->conv)
		cf->conv =
		    regex_opt("--conversion", "^(purchase|conversion|order)$");
	int nop = argc - c.optind;
	cli_refuse_tty_stdin(&tool, nop);

	struct csvin_opts copts = { 0 };
	copts.max_field = cc.max_field;
	struct evin *e =
	    evin_open(argv + c.optind, (size_t)nop, &copts, cc.quiet);
	const char *in = nop ? argv[c.optind] : "<stdin>";
	run.channels = strtab_new();
	run.events = strtab_new();
	run.labels = strtab_new();
	int added;
	cf->jc.direct = strtab_intern(run.channels, "direct", 6, &added);
	cf->jc.label_is_channel = cf->path_by == BY_CHANNEL;
	struct cols cols = { -1, -1, -1, -1, -1, -1, NULL };
	if (e->ncols && !cf->merge) {
		cols.key = evin_need(e, cf->by, in,
		    strcmp(cf->by, "person") == 0
			? " (jt-stitch writes it; --by names another)"
			: " (--by)");
		cols.ts = evin_need(e, "ts", in, "");
		cols.channel = evin_col(e, "channel");
		cols.event = evin_col(e, "event");
		cols.value = evin_col(e, "value");
		if (cf->path_by == BY_COLUMN)
			cols.label =
			    evin_need(e, cf->path_col, in, " (--path-by)");
	}
	reject_init(&run.rl, cc.rejects, cc.max_rejects);
	run.out = io_out_open(cc.out);
	csvout_init(&run.w, run.out, ',');
	if (cf->out == OUT_EVENTS) {
		if (e->ncols)
			events_layout(&run, e, &cols);
	} else {
		io_puts(run.out, headers[cf->out]);
		io_putc(run.out, '\n');
	}
	if (cf->out == OUT_PATHS || cf->out == OUT_VARIANTS ||
	    cf->out == OUT_DFG)
		run.agg = journey_agg_new();

	struct extsort *xs = NULL;
	if (cf->merge) {
		if (e->ncols)
			read_path_tables(&run, e, in);
	} else if (e->ncols) {
		struct feeder fd;
		if (!cf->sorted &&
		    prescan_wanted(argv + c.optind, (size_t)nop, cf->memory) &&
		    prescan_in_order(
			&run, argv + c.optind, (size_t)nop, &copts))
			cf->sorted = run.prescanned = 1;
		if (cf->sorted) {
			feeder_start(&fd, &run, 0);
			read_events(&run, e, &cols, NULL, &fd);
		} else {
			xs = extsort_new(cf->memory, cf->tmpdir);
			read_events(&run, e, &cols, xs, NULL);
			extsort_finish(xs);
			feeder_start(&fd, &run, 1);
			struct extsort_rec r;
			while (extsort_next(xs, &r))
				feeder_add(
				    &fd, r.key, r.keylen, r.ts, r.data, r.len);
		}
		feeder_end(&fd);
	}
	io_progress_end();
	switch (cf->out) {
	case OUT_PATHS: write_paths(&run); break;
	case OUT_VARIANTS: write_variants(&run); break;
	case OUT_DFG: write_dfg(&run); break;
	default: break;
	}
	io_out_close(run.out);
	if (!cc.quiet)
		summary(&run, xs);
	reject_close(&run.rl);
	extsort_free(xs);
	evin_close(e);
	journey_agg_free(run.agg);
	journey_result_free(&run.jr);
	strtab_free(run.channels);
	strtab_free(run.events);
	strtab_free(run.labels);
	free(run.evflags);
	free(run.evknown);
	free(cols.place);
	buf_free(&run.line);
	buf_free(&run.path);
	re_free(cf->touch);
	re_free(cf->conv);
	cli_done(&c);
	return 0;
}
