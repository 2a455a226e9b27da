/*
 * strtab: string interning.  Each distinct byte string gets a dense id
 * (0, 1, 2, ... in order of first appearance); the bytes are kept once,
 * NUL-terminated, in the table's own storage.  Open addressing with
 * linear probing, grown at half full; lookups cost one hash and, nearly
 * always, one comparison.  For identifiers in the millions (jt-stitch,
 * jt-gen).
 */
#ifndef JT_STRTAB_H
#define JT_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab;

struct strtab *strtab_new(void);
/*
 * A table whose strings each carry bytes of the caller's data (zeroed when
 * the string is added, 8-byte aligned), kept next to the string so that a
 * lookup that compares the string has the data in cache too.
 */
struct strtab *strtab_new_payload(size_t bytes);
void strtab_free(struct strtab *t);
/* The id of s[0..n), adding it when new (*added set to 1 then). */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t n, int *added);
/* strtab_intern with the hash already computed (strtab_hash). */
uint32_t strtab_intern_hashed(
    struct strtab *t, const char *s, size_t n, uint64_t h, int *added);
/* strtab_intern_hashed that also points *payload at the string's data. */
uint32_t strtab_intern_payload(struct strtab *t, const char *s, size_t n,
    uint64_t h, int *added, void **payload);
/* The data of an id (strtab_new_payload). */
void *strtab_payload(const struct strtab *t, uint32_t id);
/*
 * Hints for batches of lookups in a table too big for the caches: stage 0
 * prefetches the slot of hash h, stage 1 (once the slot is in) the string's
 * record (its id, length and bytes together); stage 2 is kept for callers
 * of the three-stage pipeline and does nothing.  Issuing each stage for a whole
 * batch before the next lets the memory system overlap the misses.  Only hints:
 * the table is not changed and a wrong guess costs nothing but bandwidth.
 */
void strtab_prefetch(const struct strtab *t, uint64_t h, int stage);
/* The id of s[0..n), or UINT32_MAX when absent. */
uint32_t strtab_find(const struct strtab *t, const char *s, size_t n);
/* The string of an id (valid until strtab_free) and its length. */
const char *strtab_str(const struct strtab *t, uint32_t id, size_t *n);
/* How many distinct strings. */
uint32_t strtab_count(const struct strtab *t);
/* The 64-bit hash used (exposed for tests and partitioning). */
uint64_t strtab_hash(const char *s, size_t n);

#endif
