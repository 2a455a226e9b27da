/*
 * strtab: interning with an open-addressing index over an append-only
 * arena.  Invariants: the slot array has a power-of-two size and is at most
 * half full; a slot holds the top 24 bits of the string's hash and the
 * arena position of its record + 1 (0 = empty), so a probe rejects other
 * strings without touching them and reaches a candidate in one step (one
 * cache miss per lookup in big tables, not two); a record is the id (u32),
 * the length (u32), the bytes and a NUL, never split across arena blocks;
 * a table made with a payload keeps that many zeroed bytes for the caller
 * between the length and the bytes, the record then 8-byte aligned, so
 * the caller's data arrives with the comparison's cache line;
 * a position is the block's index << 24 | the offset in it (blocks grow
 * from 64 KB to 16 MB, so a small table stays small and a big one is on
 * huge pages; a longer string has a block of its own at offset 0); the
 * arena never moves a record once stored, so returned pointers stay
 * valid.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "memeq.h"
#include "strtab.h"

#define BLOCK_BITS 24
#define BLOCK (1 << BLOCK_BITS) /* the largest block */
#define FIRST_BLOCK (64 << 10)
#define POS_BITS 40
#define POS_MASK ((1ULL << POS_BITS) - 1)
#define HEAD 8 /* u32 id, u32 length */

struct entry {
	uint64_t hash;
	uint64_t pos; /* of the record */
};

struct strtab {
	uint64_t *slot; /* hash >> 40 << 40 | (pos + 1) */
	size_t mask;    /* slots - 1 */
	struct entry *ent;
	uint32_t nent, cap;
	char **blocks; /* the arena */
	size_t nblocks;
	size_t used;       /* bytes used in the last block */
	size_t block_size; /* size of the last block */
	size_t payload;    /* the caller's bytes in each record */
};

uint64_t
strtab_hash(const char *s, size_t n)
{
	/* 8 bytes at a time, multiply and fold: fast and well mixed for
	 * identifier-like keys */
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	uint64_t w = 0;
	if (n > i)
		memcpy(&w, s + i, n - i);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	return h ^ (h >> 32);
}

struct strtab *
strtab_new(void)
{
	return strtab_new_payload(0);
}

struct strtab *
strtab_new_payload(size_t bytes)
{
	struct strtab *t = xcalloc(1, sizeof *t);
	t->mask = 1023;
	t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
	t->payload = (bytes + 7) & ~(size_t)7;
	return t;
}

void
strtab_free(struct strtab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nblocks; i++)
		free(t->blocks[i]);
	free(t->blocks);
	free(t->slot);
	free(t->ent);
	free(t);
}

/* The record at position pos. */
static char *
record(const struct strtab *t, uint64_t pos)
{
	return t->blocks[pos >> BLOCK_BITS] + (pos & (BLOCK - 1));
}

/* Stores the record of id, s[0..n); returns its position. */
static uint64_t
store(struct strtab *t, uint32_t id, const char *s, size_t n)
{
	size_t need = HEAD + t->payload + n + 1;
	if (t->payload)
		need = (need + 7) & ~(size_t)7;
	if (t->nblocks == 0 || t->used + need > t->block_size) {
		size_t size = t->nblocks == 0 ? FIRST_BLOCK : t->block_size * 2;
		if (size > BLOCK)
			size = BLOCK;
		if (size < need)
			size = need;
		if ((uint64_t)(t->nblocks + 1) << BLOCK_BITS >= POS_MASK)
			err_die("too many or too long strings");
		t->blocks =
		    xreallocarray(t->blocks, t->nblocks + 1, sizeof *t->blocks);
		t->blocks[t->nblocks++] = xmalloc(size);
		mem_hugepages(t->blocks[t->nblocks - 1], size);
		t->block_size = size;
		t->used = 0;
	}
	char *p = t->blocks[t->nblocks - 1] + t->used;
	uint32_t len = (uint32_t)n;
	memcpy(p, &id, 4);
	memcpy(p + 4, &len, 4);
	memset(p + HEAD, 0, t->payload);
	if (n)
		memcpy(p + HEAD + t->payload, s, n);
	p[HEAD + t->payload + n] = '\0';
	uint64_t pos = (uint64_t)(t->nblocks - 1) << BLOCK_BITS | t->used;
	t->used += need;
	return pos;
}

static void
grow(struct strtab *t)
{
	size_t size = (t->mask + 1) * 2;
	uint64_t *slot = xcalloc(size, sizeof *slot);
	for (uint32_t id = 0; id < t->nent; id++) {
		uint64_t h = t->ent[id].hash;
		size_t i = h & (size - 1);
		while (slot[i])
			i = (i + 1) & (size - 1);
		slot[i] = (h >> POS_BITS << POS_BITS) | (t->ent[id].pos + 1);
	}
	free(t->slot);
	t->slot = slot;
	t->mask = size - 1;
	mem_hugepages(slot, size * sizeof *slot);
}

static inline size_t
probe(const struct strtab *t, const char *s, size_t n, uint64_t h)
{
	size_t i = h & t->mask;
	for (;;) {
		uint64_t v = t->slot[i];
		if (v == 0)
			return i;
		if ((v ^ h) >> POS_BITS == 0) {
			const char *r = record(t, (v & POS_MASK) - 1);
			uint32_t len;
			memcpy(&len, r + 4, 4);
			if (len == n && memeq(r + HEAD + t->payload, s, n))
				return i;
		}
		i = (i + 1) & t->mask;
	}
}

/* The id of the record a full slot points to. */
static uint32_t
slot_id(const struct strtab *t, uint64_t v)
{
	uint32_t id;
	memcpy(&id, record(t, (v & POS_MASK) - 1), 4);
	return id;
}

static inline void
prefetch_slot(const struct strtab *t, uint64_t h)
{
	__builtin_prefetch(&t->slot[h & t->mask]);
}

static inline void
prefetch_record(const struct strtab *t, uint64_t h)
{
	uint64_t v = t->slot[h & t->mask];
	if (v == 0 || (v ^ h) >> POS_BITS != 0)
		return;
	const char *r = record(t, (v & POS_MASK) - 1);
	__builtin_prefetch(r);
	if (t->payload) /* the bytes are on the next line, often */
		__builtin_prefetch(r + HEAD + t->payload + 16);
}

uint32_t
strtab_intern(struct strtab *t, const char *s, size_t n, int *added)
{
	return strtab_intern_hashed(t, s, n, strtab_hash(s, n), added);
}

uint32_t
strtab_intern_hashed(
    struct strtab *t, const char *s, size_t n, uint64_t h, int *added)
{
	return strtab_intern_payload(t, s, n, h, added, NULL);
}

static inline uint32_t
intern(struct strtab *t, const char *s, size_t n, uint64_t h, int *added,
    void **payload)
{
	size_t i = probe(t, s, n, h);
	if (added)
		*added = 0;
	if (t->slot[i]) {
		if (payload)
			*payload = record(t, (t->slot[i] & POS_MASK) - 1) + HEAD;
		return slot_id(t, t->slot[i]);
	}
	if (n > UINT32_MAX - HEAD - t->payload - 8 || t->nent == UINT32_MAX - 1)
		err_die("too many or too long strings");
	if (t->nent == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->ent = xreallocarray(t->ent, t->cap, sizeof *t->ent);
		mem_hugepages(t->ent, t->cap * sizeof *t->ent);
	}
	uint32_t id = t->nent++;
	uint64_t pos = store(t, id, s, n);
	t->ent[id].hash = h;
	t->ent[id].pos = pos;
	t->slot[i] = (h >> POS_BITS << POS_BITS) | (pos + 1);
	if ((size_t)t->nent * 2 > t->mask + 1)
		grow(t);
	if (added)
		*added = 1;
	if (payload)
		*payload = record(t, pos) + HEAD;
	return id;
}

uint32_t
strtab_intern_payload(struct strtab *t, const char *s, size_t n, uint64_t h,
    int *added, void **payload)
{
	return intern(t, s, n, h, added, payload);
}

void
strtab_intern_many(struct strtab *t, size_t k, const char *const *s,
    const size_t *n, const uint64_t *h, uint32_t *id, void **payload,
    uint8_t *added)
{
	/*
	 * A rolling pipeline of prefetches: the slot of string i + 2D, the
	 * record of i + D (its slot has arrived by then), while string i is
	 * looked up.  A few dozen misses are in flight at any time, which
	 * is what the memory system can overlap.
	 */
	enum { D = 8 };
	for (size_t i = 0; i < k + 2 * D; i++) {
		if (i < k)
			prefetch_slot(t, h[i]);
		if (i >= D && i - D < k)
			prefetch_record(t, h[i - D]);
		if (i < 2 * D)
			continue;
		size_t j = i - 2 * D;
		int a;
		id[j] = intern(t, s[j], n[j], h[j], &a, payload ? &payload[j] : NULL);
		added[j] = (uint8_t)a;
	}
}

void *
strtab_payload(const struct strtab *t, uint32_t id)
{
	return record(t, t->ent[id].pos) + HEAD;
}

uint32_t
strtab_find(const struct strtab *t, const char *s, size_t n)
{
	size_t i = probe(t, s, n, strtab_hash(s, n));
	return t->slot[i] ? slot_id(t, t->slot[i]) : UINT32_MAX;
}

const char *
strtab_str(const struct strtab *t, uint32_t id, size_t *n)
{
	const char *r = record(t, t->ent[id].pos);
	if (n) {
		uint32_t len;
		memcpy(&len, r + 4, 4);
		*n = len;
	}
	return r + HEAD + t->payload;
}

uint32_t
strtab_count(const struct strtab *t)
{
	return t->nent;
}
