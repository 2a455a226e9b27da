/*
 * vmem: a growing array that never moves.  Address space for all it may
 * grow to is reserved at once and backed by memory only as it is used,
 * on huge pages: the tools' big tables (sort arenas, identity graph nodes
 * and links) are read at random, and with 4 KB pages nearly every access
 * missed the TLB as well as the cache.  Growing costs no copy either.
 * Where the reservation is refused (strict overcommit, a ulimit), or
 * outgrown, it falls back to a malloc'd buffer grown by doubling.
 */
#ifndef JT_VMEM_H
#define JT_VMEM_H

#include <stddef.h>

struct vmem {
	char *data;
	size_t cap;    /* bytes usable now */
	size_t limit;  /* bytes to reserve at the first growth */
	int mapped;    /* data is the reservation */
	int tried;     /* the reservation was tried */
};

/* An empty array that will reserve limit bytes when it first grows. */
void vmem_init(struct vmem *v, size_t limit);
/* Makes at least n bytes usable; the first used bytes stay. */
void vmem_need(struct vmem *v, size_t used, size_t n);
void vmem_free(struct vmem *v);

#endif
