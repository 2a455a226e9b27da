/*
 * The identity graph's insides, shared by stitch.c (nodes, resolving and
 * the answers) and stitch_rows.c (rows coming in: the combinations of
 * values, the links).  Not for use elsewhere: stitch.h is the interface.
 */
#ifndef JT_STITCH_IMPL_H
#define JT_STITCH_IMPL_H

#include <stdint.h>

#include "buf.h"
#include "stitch.h"
#include "strtab.h"
#include "vmem.h"

#define MAX_TYPES 255
#define NO_KEY UINT32_MAX

/*
 * A link between two nodes a < b, with the times it was first and last
 * seen, the input order of the row it was first seen on and its rows.
 * Within one row, links are ordered by the types of their ends (a row has
 * one value per type), so the row's input order seq is all the tie-break
 * needs.
 */
struct link {
	uint32_t a, b;
	int64_t first, last;
	uint32_t seq;
	uint32_t rows;
};

struct pair {
	uint32_t a, b;
};

/*
 * A distinct combination of values that rows carry (a person's account,
 * e-mail and cookie, say), kept once with the times it was first and last
 * seen, the input order of the row first seen on and its rows, and found
 * by the values' keys before any of them is looked up.  Most rows repeat
 * a combination (ten million rows of three identifiers hold 2.2 million),
 * and such a row costs one lookup, where it cost one per value and one
 * per pair of values.  The values are looked up, and the links between
 * them (bare pairs of nodes) added, when a combination is new; the nodes'
 * times and rows are folded in from the combinations when resolving
 * (settle), and the links' where limits make the order of merges matter
 * (merge_links).  After the header: uint32_t node[n], uint32_t klen[n]
 * (of each value's key), uint8_t junk[n] (junk when first seen: such a
 * node links nobody), then the keys, one after another.
 */
struct combo {
	int64_t first, last;
	uint64_t hash; /* combo_mix */
	uint32_t seq, rows;
	uint32_t n;
	uint32_t bytes; /* of the keys */
};

/*
 * A node's state in nd[]: its first and last times and rows, folded in
 * from the combinations of values when resolving (settle), and why it is
 * junk.  While rows are read the junk mark is kept in the node's record of
 * ids instead (strtab's payload, a byte): the lookup of a new value has
 * that record at hand.
 */
struct seen {
	int64_t first, last;
	uint32_t rows;
	uint8_t junk;
};

struct cand { /* a person identified on a shared node */
	uint32_t root;
	int64_t first, last;
};

struct stitch {
	struct stitch_conf c;
	size_t nlimited;
	size_t limited[MAX_TYPES]; /* types with a limit */
	struct strtab *ids;        /* type byte + value -> node */
	struct buf scratch;
	/* batches: new combinations' pairs */
	struct pair *bpair;
	uint64_t *bph; /* their link_mix */
	size_t bpcap;

	/*
	 * per node: what resolving reads.  Until stitch_resolve (settled
	 * 0), the junk mark lives in the node's record of ids instead and
	 * the times and rows in the combinations; settle brings them here.
	 */
	size_t n, cap;
	int settled;
	struct nrec {
		struct seen st;
		uint32_t prior; /* key in the previous map, or NO_KEY */
		uint8_t type;
	} * nd;          /* ndv's bytes */
	struct vmem ndv;
	uint8_t *shared;
	uint32_t *parent, *size, *degree, *key;
	uint8_t *hub_type; /* JUNK_PER_TYPE nodes: the type, and how many */
	uint32_t *hub_count;
	const char **pkey; /* per node after resolve: its person's key (a
			      string of keys), or NULL (junk) or
			      shared_mark: one lookup, no strtab_str */
	uint32_t *lim;     /* n * nlimited distinct-value counts (roots) */

	/* combinations of values: one after another in cb, found through
	 * cslot (tag << 32 | offset / 8 + 1, 0 for empty) */
	char *cb;
	struct vmem cbv;
	size_t ncb, cblen, cbcap;
	uint64_t *cslot;
	size_t ncslots;
	uint64_t *brh; /* a batch's rows' combo_mix */
	size_t *bmiss; /* the rows whose combination is new, */
	size_t bmcap;
	const char **bkey; /* and their values: key, length, index in */
	size_t *bklen, *bat; /* the batch, hash, type, */
	uint64_t *bkh;
	uint8_t *btype;
	uint32_t *bid;  /* node, */
	void **bpay;    /* junk mark in the record */
	uint8_t *badd;  /* and whether new */
	size_t bvcap;

	/* links: a dense array, found through an open-addressing table of
	 * indexes and tags (8 bytes a slot rather than a whole record) */
	struct pair *lk; /* lkv's bytes */
	struct vmem lkv;
	size_t nlk, lkcap;
	uint64_t *slot;
	size_t nslots;
	/* after resolving: the links of components over a limit, with their
	 * times, in time order (merge_links) */
	struct link *dlk;
	size_t ndlk;

	/* previous map */
	struct strtab *keys; /* key strings */
	int64_t *key_first;  /* per key: earliest first seen */
	size_t key_cap;
	uint32_t *alias_old, *alias_cur;
	size_t naliases, alias_cap;
	int has_prior;

	/* results */
	struct stitch_refusal *ref;
	size_t nref, refcap;
	uint32_t *cand_off; /* per node: first candidate, or NONE */
	uint32_t *cand_n;
	struct cand *cand;
	size_t ncand;
	uint32_t *shared_nodes;
	size_t nshared;
	uint64_t merges;
	int resolved;
};

static inline uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xFF51AFD7ED558CCDULL;
	x ^= x >> 33;
	x *= 0xC4CEB9FE1A85EC53ULL;
	x ^= x >> 33;
	return x;
}

/*
 * A node just interned as id (stitch.c), its record's junk mark at junk:
 * not seen yet, not junk, no previous key.
 */
void stitch_node_new(
    struct stitch *s, uint32_t id, uint8_t type, uint8_t *junk);
/* Folds the combinations' times and rows into the settled nodes. */
void stitch_fold_combos(struct stitch *s);
/*
 * The links between nodes marked in redo, with their times and rows from
 * the combinations that hold them, each once; *nout gets their count.
 */
struct link *stitch_links_of(
    struct stitch *s, const uint8_t *redo, size_t *nout);

#endif
