/*
 * friction: the pain points of journeys, counted per journey and ranked
 * by the conversions they cost (jt-friction(1) defines every signal).
 *
 * The caller feeds the events of one person at a time (friction_person),
 * in time order, each journey a contiguous run of rows with the same
 * journey id, each visit a run with the same visit number.  The module
 * keeps counters per signal row, per step and per transition, never the
 * events: memory grows with the distinct steps, transitions and groups,
 * not with the input.  friction_finish turns the counters into rows.
 *
 * Pure: no I/O, no exit; strings passed in are copied when kept.
 */
#ifndef JT_FRICTION_H
#define JT_FRICTION_H

#include <stddef.h>
#include <stdint.h>

#define FRICTION_MAX_STAGES 64

enum friction_signal {
	FS_ERROR,
	FS_LOOP,
	FS_REPEAT,
	FS_SWITCH,
	FS_SLOW,
	FS_DROPOFF,
	FS_DEAD_END,
	FS_N
};

/* "error", "loop", ... as written in the signal column. */
const char *friction_signal_name(enum friction_signal s);

struct friction_conf {
	const char *const *assisted; /* assisted channel names */
	size_t nassisted;
	int64_t repeat_window_ms; /* --repeat-window */
	int64_t switch_window_ms; /* --switch-window */
	unsigned loop_min;        /* --loop-min */
	double slow_factor;       /* --slow-factor */
	int slow_by; /* groups given (--slow-by): compare outside */
	const char *slow_by_name; /* the column, for the group column */
	long min_journeys;        /* --min-journeys */
	size_t nstages;           /* --funnel stages */
	const char *const *stage; /* their names */
};

/* One event as the caller read it; strings borrowed for the call. */
struct friction_ev {
	const char *journey;
	size_t journey_len;
	const char *place; /* where it happens; "" = the visit's */
	size_t place_len;
	const char *chan; /* the channel column; "" = the visit's */
	size_t chan_len;
	const char *event;
	size_t event_len;
	const char *group; /* --slow-by value, "" for none */
	size_t group_len;
	int64_t ts;     /* ms */
	uint64_t visit; /* changes between visits (a counter of the caller) */
	uint8_t conversion, error;
	uint64_t stages; /* bit k: the event matches funnel stage k */
};

struct friction_row {
	enum friction_signal signal;
	const char *channel, *step, *group, *example; /* owned by the module */
	uint64_t journeys;                            /* n_with */
	uint64_t eligible; /* the denominator: n_with + n_without */
	double share;      /* journeys / eligible */
	double conv_with,
	    conv_without; /* -1: not defined (dropoff, dead_end) */
	double impact;
	double z; /* NAN: not defined */
	int ranked;
};

struct friction_stage {
	const char *name;
	uint64_t journeys;
	double from_previous, from_first;
	double median_s; /* -1: none (first stage or nobody) */
};

struct friction_totals {
	uint64_t journeys, converted, events;
	uint64_t contact_journeys, repeat_journeys; /* repeat-contact rate */
	uint64_t contacts, repeated_contacts;
};

struct friction;

/* A new accumulator; conf and the strings it points to must outlive it. */
struct friction *friction_new(const struct friction_conf *conf);
/*
 * Counts the n events of one person (or of one journey when the caller
 * has no person key), in time order.
 */
void friction_person(
    struct friction *f, const struct friction_ev *ev, size_t n);
/*
 * Computes the rows, sorted: ranked rows by impact, then unranked
 * behavioural rows by impact, then dropoff and dead_end rows by impact
 * (ties by signal, channel, step, group).  Call once, after the last
 * friction_person.
 */
void friction_finish(struct friction *f);
size_t friction_nrows(const struct friction *f);
/* Row i, valid until friction_free. */
const struct friction_row *friction_row(const struct friction *f, size_t i);
/* The funnel stages (conf->nstages of them), valid until friction_free. */
const struct friction_stage *friction_stage(const struct friction *f, size_t i);
void friction_totals(const struct friction *f, struct friction_totals *t);
void friction_free(struct friction *f);

#endif
