/*
 * stitch: the identity graph of jt-stitch(1).
 *
 * Nodes are identifier values of a type (id_user=u1); a row's identifiers
 * co-occur, and each pair of them is a link.  Each distinct combination
 * of values that rows carry is kept once with the times it was first and
 * last seen and how many rows carried it, and each link once; a node's
 * and a link's times and rows are those of the combinations they are in.
 * The graph holds identifiers, their combinations and links, never
 * events, so memory grows with identities, not with traffic.
 *
 * stitch_resolve() then
 *   1. treats a node linked to more than max_degree distinct others, or
 *      to more than max_per_type values of one non-anonymous type, as
 *      junk (a hub: a placeholder value, a kiosk, a staff card);
 *   2. applies the links in the order they first occurred (time, then
 *      input order; within a row, in priority order of the types), with
 *      union-find (union by size, path compression), refusing a merge that
 *      would give a person more distinct values of a type than its limit;
 *   3. finds shared anonymous identifiers: an anonymous node (a cookie, a
 *      device) linked to non-anonymous identifiers of several persons;
 *   4. gives every person a key: a key of the previous map (the oldest
 *      when several persons of the previous map merged; the others become
 *      aliases), else "p" and 16 hex digits of a hash of the person's
 *      representative identifier (highest priority type, then earliest
 *      first seen, then smallest value).
 */
#ifndef JT_STITCH_H
#define JT_STITCH_H

#include <stddef.h>
#include <stdint.h>

#define STITCH_NONE UINT32_MAX

/* Why an identifier is junk. */
enum stitch_junk {
	JUNK_NO = 0,
	JUNK_LIST,       /* the built-in list */
	JUNK_REGEX,      /* --block */
	JUNK_FILE,       /* --block-file */
	JUNK_MAX_DEGREE, /* --max-degree */
	JUNK_PER_TYPE,   /* --max-per-type */
	JUNK_N
};

struct stitch_conf {
	size_t ntypes;
	const char *const *types; /* id column names, priority order */
	const int *anonymous;     /* per type: an anonymous identifier */
	const long *limit;        /* per type: max values per person, 0 none */
	long max_degree;          /* 0: no hub guard */
	long max_per_type; /* 0: off; else a node linked to more values of
			      one non-anonymous type than this is a hub */
	int shared_first;  /* shared rule: first person, not closest */
};

struct stitch;

struct stitch *stitch_new(const struct stitch_conf *c);
void stitch_free(struct stitch *s);

/*
 * The node of value v[0..n) of type t, created when new, and *added (when
 * not NULL) set to 1 then: the caller checks a new value against its
 * blocklists once, and marks it with stitch_mark_junk before stitch_row.
 */
uint32_t stitch_node(
    struct stitch *s, size_t t, const char *v, size_t n, int *added);
void stitch_mark_junk(struct stitch *s, uint32_t node, enum stitch_junk why);
/* Why node is junk, or JUNK_NO (as marked so far). */
enum stitch_junk stitch_junk(const struct stitch *s, uint32_t node);
/* Whether new value v[0..n) is junk (a block list, say): JUNK_NO if not. */
typedef enum stitch_junk (*stitch_classify_fn)(
    void *ctx, const char *v, size_t n);
/* Writes the key of value v[0..n) of type t at out (n + 1 bytes); returns
 * its length. */
size_t stitch_key(char *out, size_t t, const char *v, size_t n);
/* The hash of the key of value v[0..n) of type t, made from the value. */
uint64_t stitch_key_hash(size_t t, const char *v, size_t n);

/*
 * The identifiers of one row, in priority order of their types (at most
 * one per type), co-occurring at ts; seq is the row's input order.  A
 * junk node (as marked so far) is on the row but links nobody.
 */
void stitch_row(struct stitch *s, const uint32_t *nodes, size_t n, int64_t ts,
    uint64_t seq);
/* stitch_row for nrows rows of width nodes each (nodes[r * width + i]). */
void stitch_rows(struct stitch *s, size_t nrows, size_t width,
    const uint32_t *nodes, const int64_t *ts, const uint64_t *seq);

/*
 * The fast path for big inputs: the rows and their values at once, the
 * values not looked up yet.  Row r's values are first[r] to first[r + 1]
 * - 1, seen at ts[r] with input order seq[r]; value i, of type type[i],
 * comes laid out as a key by stitch_key, of klen[i] bytes, with hash[i]
 * its stitch_key_hash (a reader thread can make them, leaving the thread
 * that calls this only the lookups), and the keys of a row lie one after
 * another in memory.  A row that carries the same values as a row before
 * it costs one lookup: the graph keeps each distinct combination of
 * values once.  The others' values are looked up together, their cache
 * misses overlapped by prefetching; a value new to the graph is marked
 * junk as classify (when not NULL) says.  out[i] is value i's node,
 * junk[i] why it is junk (JUNK_NO: not).
 */
void stitch_rows_keyed(struct stitch *s, size_t nrows, const size_t *first,
    const int64_t *ts, const uint64_t *seq, const uint8_t *type,
    const char *const *key, const size_t *klen, const uint64_t *hash,
    stitch_classify_fn classify, void *ctx, uint32_t *out, uint8_t *junk);

/*
 * A line of a previous --map-out: node belonged to person key, seen from
 * first to last.  Call before stitch_resolve; nodes of one key are linked
 * before any link of this run.
 */
void stitch_prior(struct stitch *s, uint32_t node, const char *key,
    int64_t first, int64_t last);
/* An alias line of a previous map: key old now reads as key current. */
void stitch_prior_alias(struct stitch *s, const char *old, const char *cur);

/* Runs the guards and the merges, and assigns the keys. */
void stitch_resolve(struct stitch *s);

/*
 * The person of a row with these nodes (STITCH_NONE entries skipped) at
 * time ts: the person of its highest-priority identifier that is neither
 * junk nor shared; else, for a shared anonymous identifier, the person
 * identified on it closest in time (or first, with shared_first).
 * Returns NULL when the row has no usable identifier; *len (when not
 * NULL) gets the key's length.
 */
const char *stitch_person(
    struct stitch *s, const uint32_t *nodes, size_t n, int64_t ts, size_t *len);
/*
 * Hints before stitch_person of a row of n nodes: its answer will be
 * needed soon, then (once that line has come in) the key string itself.
 * Only the row's first identifier is fetched: it is the answer unless it
 * is junk or shared, so fetching the others too tripled the misses.
 */
void stitch_prefetch_person(
    const struct stitch *s, const uint32_t *nodes, size_t n);
void stitch_prefetch_key(
    const struct stitch *s, const uint32_t *nodes, size_t n);

/* ---- reports ---- */

struct stitch_stats {
	uint64_t nodes, junk, persons, links, merges, refused, shared;
	uint64_t junk_by[JUNK_N];
	uint64_t refused_by_type[16]; /* per type index (first 16 types) */
	uint64_t largest;             /* identifiers of the largest person */
};
void stitch_stats(const struct stitch *s, struct stitch_stats *st);

/* A node as reported: type index, value, person key (NULL for junk). */
struct stitch_node_info {
	size_t type;
	const char *value;
	size_t len;
	const char *person;
	int64_t first, last;
	uint32_t rows;
	enum stitch_junk junk;
	uint32_t degree;
	size_t hub_type;    /* JUNK_PER_TYPE: the type it had too many of */
	uint32_t hub_count; /* and how many */
};
size_t stitch_nnodes(const struct stitch *s);
void stitch_node_info(
    const struct stitch *s, uint32_t node, struct stitch_node_info *out);

/* A refused merge: a (lower priority) node, the other, rows, the type. */
struct stitch_refusal {
	uint32_t node, other;
	uint32_t rows;
	size_t type; /* whose limit refused it */
};
size_t stitch_nrefused(const struct stitch *s);
const struct stitch_refusal *stitch_refused(const struct stitch *s, size_t i);

/* Shared anonymous nodes and how many persons share each. */
size_t stitch_nshared(const struct stitch *s);
void stitch_shared(
    const struct stitch *s, size_t i, uint32_t *node, uint32_t *persons);

/* Aliases: keys of the previous map now read as another key. */
size_t stitch_naliases(const struct stitch *s);
void stitch_alias(
    const struct stitch *s, size_t i, const char **old, const char **cur);

/*
 * Persons and their sizes: calls fn for each person with its key and the
 * count of its identifiers per type (an array of ntypes).
 */
typedef void (*stitch_person_fn)(
    void *ctx, const char *key, const uint32_t *per_type, uint32_t total);
void stitch_persons(const struct stitch *s, stitch_person_fn fn, void *ctx);

#endif
