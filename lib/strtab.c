/*
 * strtab: interning with an open-addressing index over an append-only
 * arena.  Invariants: the slot array has a power-of-two size and is at most
 * half full; a slot holds the top 32 bits of the string's hash and id + 1
 * (0 = empty), so a probe rejects other strings without touching their
 * entries (one cache miss fewer per collision in big tables); the arena
 * never moves a string once stored (it grows by new blocks), so returned
 * pointers stay valid.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "strtab.h"

#define BLOCK (1 << 20)

struct entry {
	const char *s;
	uint32_t n;
	uint64_t hash;
};

struct strtab {
	uint64_t *slot; /* hash >> 32 << 32 | (id + 1) */
	size_t mask;    /* slots - 1 */
	struct entry *ent;
	uint32_t nent, cap;
	char **blocks; /* the arena */
	size_t nblocks;
	size_t used;       /* bytes used in the last block */
	size_t block_size; /* size of the last block */
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
	struct strtab *t = xcalloc(1, sizeof *t);
	t->mask = 1023;
	t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
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

static const char *
store(struct strtab *t, const char *s, size_t n)
{
	if (t->nblocks == 0 || t->used + n + 1 > t->block_size) {
		size_t size = n + 1 > BLOCK ? n + 1 : BLOCK;
		t->blocks =
		    xreallocarray(t->blocks, t->nblocks + 1, sizeof *t->blocks);
		t->blocks[t->nblocks++] = xmalloc(size);
		t->block_size = size;
		t->used = 0;
	}
	char *p = t->blocks[t->nblocks - 1] + t->used;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	t->used += n + 1;
	return p;
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
		slot[i] = (h >> 32 << 32) | (id + 1);
	}
	free(t->slot);
	t->slot = slot;
	t->mask = size - 1;
	mem_hugepages(slot, size * sizeof *slot);
}

static size_t
probe(const struct strtab *t, const char *s, size_t n, uint64_t h)
{
	size_t i = h & t->mask;
	uint64_t tag = h >> 32 << 32;
	for (;;) {
		uint64_t v = t->slot[i];
		if (v == 0)
			return i;
		if ((v & 0xFFFFFFFF00000000ULL) == tag) {
			const struct entry *e = &t->ent[(uint32_t)v - 1];
			if (e->hash == h && e->n == n &&
			    memcmp(e->s, s, n) == 0)
				return i;
		}
		i = (i + 1) & t->mask;
	}
}

void
strtab_prefetch(const struct strtab *t, uint64_t h, int stage)
{
	size_t i = h & t->mask;
	if (stage == 0) {
		__builtin_prefetch(&t->slot[i]);
		return;
	}
	uint64_t v = t->slot[i];
	if (v == 0 || (v >> 32) != (h >> 32))
		return;
	const struct entry *e = &t->ent[(uint32_t)v - 1];
	if (stage == 1)
		__builtin_prefetch(e);
	else
		__builtin_prefetch(e->s);
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
	size_t i = probe(t, s, n, h);
	if (added)
		*added = 0;
	if (t->slot[i])
		return (uint32_t)t->slot[i] - 1;
	if (n > UINT32_MAX || t->nent == UINT32_MAX - 1)
		err_die("too many or too long strings");
	if (t->nent == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->ent = xreallocarray(t->ent, t->cap, sizeof *t->ent);
		mem_hugepages(t->ent, t->cap * sizeof *t->ent);
	}
	uint32_t id = t->nent++;
	t->ent[id].s = store(t, s, n);
	t->ent[id].n = (uint32_t)n;
	t->ent[id].hash = h;
	t->slot[i] = (h >> 32 << 32) | (id + 1);
	if ((size_t)t->nent * 2 > t->mask + 1)
		grow(t);
	if (added)
		*added = 1;
	return id;
}

uint32_t
strtab_find(const struct strtab *t, const char *s, size_t n)
{
	size_t i = probe(t, s, n, strtab_hash(s, n));
	return t->slot[i] ? (uint32_t)t->slot[i] - 1 : UINT32_MAX;
}

const char *
strtab_str(const struct strtab *t, uint32_t id, size_t *n)
{
	if (n)
		*n = t->ent[id].n;
	return t->ent[id].s;
}

uint32_t
strtab_count(const struct strtab *t)
{
	return t->nent;
}
