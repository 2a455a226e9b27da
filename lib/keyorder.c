/*
 * keyorder: the order check of sorted input (keyorder.h).  The key of the
 * record before is kept in o->prev; it is rewritten only when the key
 * changes, so a person's run of records costs one compare each.
 */
#include <string.h>

#include "keyorder.h"

int
keyorder_cmp(const char *ka, size_t na, int64_t ta, const char *kb, size_t nb,
    int64_t tb)
{
	size_t m = na < nb ? na : nb;
	int c = m ? memcmp(ka, kb, m) : 0;
	if (c)
		return c;
	if (na != nb)
		return na < nb ? -1 : 1;
	return (ta > tb) - (ta < tb);
}

int
keyorder_next(struct keyorder *o, const char *key, size_t keylen, int64_t ts)
{
	if (o->started) {
		int c = keyorder_cmp(
		    key, keylen, ts, o->prev.data, o->prev.len, o->ts);
		if (c < 0)
			return -1;
	}
	if (!o->started || keylen != o->prev.len ||
	    (keylen && memcmp(key, o->prev.data, keylen) != 0)) {
		buf_clear(&o->prev);
		buf_add(&o->prev, key, keylen);
	}
	o->ts = ts;
	o->started = 1;
	return 0;
}

void
keyorder_free(struct keyorder *o)
{
	buf_free(&o->prev);
	memset(o, 0, sizeof *o);
}

int
keyorder_exceeds(
    const uint64_t *size, const unsigned char *gzip, size_t n, uint64_t memory)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t s = size[i];
		if (gzip[i])
			s = s > UINT64_MAX / KEYORDER_GZIP_RATIO
			    ? UINT64_MAX
			    : s * KEYORDER_GZIP_RATIO;
		total = s > UINT64_MAX - total ? UINT64_MAX : total + s;
		if (total > memory)
			return 1;
	}
	return 0;
}
