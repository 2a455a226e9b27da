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
/*
 * strtab_intern_payload of k strings, s[i] of n[i] bytes with hash h[i],
 * their cache misses overlapped: id[i], payload[i] (when payload is not
 * NULL) and added[i] are string i's.
 */
void strtab_intern_many(struct strtab *t, size_t k, const char *const *s,
    const size_t *n, const uint64_t *h, uint32_t *id, void **payload,
    uint8_t *added);
/* The data of an id (strtab_new_payload). */
void *strtab_payload(const struct strtab *t, uint32_t id);
/* The id of s[0..n), or UINT32_MAX when absent. */
uint32_t strtab_find(const struct strtab *t, const char *s, size_t n);
/* The string of an id (valid until strtab_free) and its length. */
const char *strtab_str(const struct strtab *t, uint32_t id, size_t *n);
/* How many distinct strings. */
uint32_t strtab_count(const struct strtab *t);
/* The 64-bit hash used (exposed for tests and partitioning). */
uint64_t strtab_hash(const char *s, size_t n);

#endif
