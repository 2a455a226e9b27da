/*
 * journey: visits, touches and journeys of one person's events, and the
 * aggregates over journeys (path tables, variants, directly-follows
 * graph).  Pure: records in, results out.
 *
 * The rules (jt-journey(1) states them for users):
 *   - Events come in time order (ties in input order).  A visit is a run of
 *     events in one channel whose gaps (from the previous event) are under
 *     gap_ms.  An event with no channel (JOURNEY_NONE) continues the visit
 *     in progress when its gap is under gap_ms, else starts a visit in
 *     channel direct.
 *   - The touch of a visit is its first event flagged JOURNEY_EV_TOUCH
 *     (a visit may have none).
 *   - A journey collects touches.  An event flagged JOURNEY_EV_CONV closes
 *     the journey in progress as converted; further conversions in the same
 *     visit add to it (count and value).  The next touch, or a conversion in
 *     a later visit, starts a new journey.  What is left at the end is an
 *     unconverted journey.
 *   - At the close of a converted journey, touches more than lookback_ms
 *     before its first conversion are left out (lookback_ms 0: no limit);
 *     then with collapse consecutive touches with the same label merge
 *     (the first is kept); then only the last max_touches are kept (0: all).
 *   - start is the first kept touch (or, without one, the first conversion
 *     of a converted journey, or its first event); end is the last
 *     conversion of a converted journey, else its last event.
 */
#ifndef JT_JOURNEY_H
#define JT_JOURNEY_H

#include <stddef.h>
#include <stdint.h>

#define JOURNEY_NONE UINT32_MAX

enum { JOURNEY_EV_TOUCH = 1, JOURNEY_EV_CONV = 2 };

struct journey_conf {
	int64_t gap_ms;
	int64_t lookback_ms; /* 0: no limit */
	size_t max_touches;  /* 0: no limit */
	int collapse;
	uint32_t direct;      /* channel id of "direct" */
	int label_is_channel; /* a touch's label is its visit's channel */
};

/* One event of a person, as the caller decoded it. */
struct journey_event {
	int64_t ts;
	uint32_t channel; /* JOURNEY_NONE when empty */
	uint32_t label;   /* path label (ignored when label_is_channel) */
	unsigned flags;   /* JOURNEY_EV_* */
	double value;     /* summed over conversions */
};

struct journey_visit {
	uint32_t channel;
	int64_t start, end;
	size_t first, last; /* event indexes */
	size_t events;
};

struct journey_touch {
	int64_t ts;
	uint32_t label;
	uint32_t visit; /* index into visits */
	size_t event;   /* index into the events */
};

struct journey_info {
	int64_t start, end;
	size_t touch0, ntouches; /* the kept path: touches[touch0..+n) */
	size_t sessions;
	int converted;
	uint64_t conversions;
	double value;
	size_t first_event, nevents; /* the events carrying its number */
};

/*
 * The result of journey_person; zero-initialise, reuse across persons,
 * release with journey_result_free.  Arrays are owned by the result and
 * valid until the next journey_person.
 */
struct journey_result {
	size_t nevents;
	uint32_t *ev_visit;   /* per event: visit number, 1-based */
	uint32_t *ev_journey; /* per event: journey number, 1-based */
	uint32_t *ev_step;    /* per event: position in its journey, 1-based */
	struct journey_visit *visits;
	size_t nvisits;
	struct journey_touch *touches; /* kept paths of every journey */
	size_t ntouches;
	struct journey_info *journeys;
	size_t njourneys;
	/* private */
	size_t evcap, viscap, tcap, jcap, candcap;
	struct journey_touch *cand;
};

/* Computes visits, journeys and paths of one person's n events (n > 0). */
void journey_person(const struct journey_conf *c,
    const struct journey_event *ev, size_t n, struct journey_result *r);
void journey_result_free(struct journey_result *r);

/*
 * The q-quantile (0 <= q <= 1) of v[0..n) (n > 0), sorted in place:
 * linear interpolation between closest ranks (R's type 7, numpy's
 * default), so the median of an even count is the mean of the middle two.
 */
double journey_quantile(int64_t *v, size_t n, double q);

/*
 * Aggregates over journeys keyed by path string: the path table
 * (conversions, value, null journeys), variants (journeys, converted
 * journeys, durations) and directly-follows pairs (count, durations).
 */
struct journey_agg;

struct journey_agg *journey_agg_new(void);
void journey_agg_free(struct journey_agg *a);
/*
 * Adds a journey whose path is p[0..n) (the " > "-joined labels) with its
 * conversions, value, converted flag and duration in ms.
 */
void journey_agg_path(struct journey_agg *a, const char *p, size_t n,
    double conversions, double value, double nulls, int64_t duration_ms,
    int keep_duration);
/* Adds one directly-follows pair of labels with the time between them. */
void journey_agg_pair(struct journey_agg *a, const char *from, size_t fn,
    const char *to, size_t tn, int64_t ms);

/* A row of the path table or the variants, in bytewise order of path. */
struct journey_path_row {
	const char *path;
	size_t len;
	uint64_t journeys, converted;
	double conversions, nulls, value;
	int64_t *dur; /* journeys durations in ms (when kept), ndur of them */
	size_t ndur;
};
/* The rows sorted by path; the array is owned by a, valid until free. */
const struct journey_path_row *journey_agg_paths(
    struct journey_agg *a, size_t *n);

struct journey_pair_row {
	const char *from, *to;
	size_t fromlen, tolen;
	uint64_t count;
	int64_t *dur;
	size_t ndur;
};
/* The pairs by count descending, then from, then to; owned by a. */
const struct journey_pair_row *journey_agg_pairs(
    struct journey_agg *a, size_t *n);

#endif
