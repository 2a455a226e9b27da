/*
 * events: the reserved column names of jt-events(5).
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "events.h"

static const struct {
	const char *name;
	int rank;
} reserved[] = {
	{ "ts", EVENTS_TS },
	{ "person", EVENTS_PERSON },
	{ "channel", EVENTS_CHANNEL },
	{ "event", EVENTS_EVENT },
	{ "value", EVENTS_VALUE },
	{ "source", EVENTS_SOURCE },
	{ "journey", EVENTS_JOURNEY },
	{ "session", EVENTS_SESSION },
	{ "step", EVENTS_STEP },
};

int
events_is_id(const char *name)
{
	return strncmp(name, "id_", 3) == 0 && name[3] != '\0';
}

int
events_rank(const char *name)
{
	if (events_is_id(name))
		return EVENTS_ID;
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcmp(name, reserved[i].name) == 0)
			return reserved[i].rank;
	return EVENTS_ATTR;
}

void
events_order(const char **names, size_t n)
{
	/* Insertion sort by rank: stable, and n is a header's width. */
	int *rank = xcalloc(n ? n : 1, sizeof *rank);
	for (size_t i = 0; i < n; i++)
		rank[i] = events_rank(names[i]);
	for (size_t i = 1; i < n; i++) {
		const char *s = names[i];
		int r = rank[i];
		size_t j = i;
		while (j > 0 && rank[j - 1] > r) {
			names[j] = names[j - 1];
			rank[j] = rank[j - 1];
			j--;
		}
		names[j] = s;
		rank[j] = r;
	}
	free(rank);
}
