/*
 * events: the reserved columns of jt-events(5) and their fixed order.
 *
 * Output column order everywhere: the reserved columns present, in the
 * order ts, person, id_* (in order of first appearance), channel, event,
 * value, source, journey, session, step; then every other column (an
 * attribute) in order of first appearance.
 */
#ifndef JT_EVENTS_H
#define JT_EVENTS_H

#include <stddef.h>

/* Rank of a column name in the fixed order; attributes get EVENTS_ATTR. */
enum {
	EVENTS_TS,
	EVENTS_PERSON,
	EVENTS_ID,
	EVENTS_CHANNEL,
	EVENTS_EVENT,
	EVENTS_VALUE,
	EVENTS_SOURCE,
	EVENTS_JOURNEY,
	EVENTS_SESSION,
	EVENTS_STEP,
	EVENTS_ATTR
};
int events_rank(const char *name);
/* Nonzero when name is an identifier column ("id_" and a non-empty type). */
int events_is_id(const char *name);

/*
 * Sorts names[0..n) in place into the fixed order (stable: names of equal
 * rank keep their order).  The pointers are borrowed, not copied.
 */
void events_order(const char **names, size_t n);

#endif
