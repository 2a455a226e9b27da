/*
 * stitch: the identity graph of jt-stitch (stitch.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "radix.h"
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
 * A node's state.  While rows are read it is kept in the node's record of
 * ids (strtab's payload): the lookup that finds the node has compared that
 * record, so updating it costs no cache miss of its own (a separate array
 * cost one per identifier, a third of the interning thread's misses).
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
	void **bpay;   /* interned values' struct seen */
	uint8_t *badd; /* and whether new */

	/*
	 * per node: what resolving reads.  Until stitch_resolve (settled
	 * 0), st lives in the node's record of ids instead, and is copied
	 * here then (state() finds the one in use).
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
	const char **bkey; /* and their values */
	size_t *bklen, *bat;
	uint64_t *bkh;
	uint8_t *btype;
	uint32_t *bid;
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

struct stitch *
stitch_new(const struct stitch_conf *c)
{
	struct stitch *s = xcalloc(1, sizeof *s);
	if (c->ntypes == 0 || c->ntypes > MAX_TYPES)
		err_die("stitch: %zu identifier types (1 to %d)", c->ntypes,
		    MAX_TYPES);
	s->c = *c;
	for (size_t t = 0; t < c->ntypes; t++)
		if (c->limit[t] > 0)
			s->limited[s->nlimited++] = t;
	s->ids = strtab_new_payload(sizeof(struct seen));
	s->keys = strtab_new();
	/* room for any graph, reserved, not used: see lib/vmem */
	size_t big = sizeof(size_t) >= 8 ? (size_t)1 << 36 : (size_t)1 << 28;
	vmem_init(&s->ndv, big);
	vmem_init(&s->lkv, big);
	vmem_init(&s->cbv, big);
	return s;
}

void
stitch_free(struct stitch *s)
{
	if (!s)
		return;
	strtab_free(s->ids);
	strtab_free(s->keys);
	buf_free(&s->scratch);
	free(s->bpair);
	free(s->bph);
	free(s->dlk);
	vmem_free(&s->cbv);
	free(s->cslot);
	free(s->bmiss);
	free(s->brh);
	free(s->bkey);
	free(s->bklen);
	free(s->bat);
	free(s->bkh);
	free(s->btype);
	free(s->bid);
	free(s->bpay);
	free(s->badd);
	vmem_free(&s->ndv);
	free(s->shared);
	free(s->parent);
	free(s->size);
	free(s->degree);
	free(s->key);
	free(s->pkey);
	free(s->hub_type);
	free(s->hub_count);
	free(s->lim);
	vmem_free(&s->lkv);
	free(s->slot);
	free(s->key_first);
	free(s->alias_old);
	free(s->alias_cur);
	free(s->ref);
	free(s->cand_off);
	free(s->cand_n);
	free(s->cand);
	free(s->shared_nodes);
	free(s);
}

static void
grow_nodes(struct stitch *s)
{
	size_t cap = s->cap ? 2 * s->cap : 1024;
	vmem_need(&s->ndv, s->cap * sizeof *s->nd, cap * sizeof *s->nd);
	s->nd = (struct nrec *)(void *)s->ndv.data;
	s->cap = cap;
}

static struct seen *
seen_of(const struct stitch *s, uint32_t node)
{
	return strtab_payload(s->ids, node);
}

/* Copies the nodes' struct seen into nd[], for resolving. */
static void fold_combos(struct stitch *s);

static void
settle(struct stitch *s)
{
	if (s->settled)
		return;
	for (uint32_t i = 0; i < s->n; i++)
		s->nd[i].st = *seen_of(s, i);
	s->settled = 1;
	fold_combos(s);
}

/* The node's struct seen in use: in its record, or nd[] once settled. */
static struct seen *
state(const struct stitch *s, uint32_t node)
{
	return s->settled ? &s->nd[node].st : seen_of(s, node);
}

/*
 * A node just interned as id, its record's data at p: not seen yet, not
 * junk, no previous key.
 */
static void
node_new(struct stitch *s, uint32_t id, uint8_t type, struct seen *p)
{
	if (s->settled)
		err_die("internal error: a node added after resolving");
	if (id >= s->cap)
		grow_nodes(s);
	s->n = (size_t)id + 1;
	struct nrec *r = &s->nd[id];
	r->type = type;
	r->prior = NO_KEY;
	p->junk = JUNK_NO;
	p->first = INT64_MAX;
	p->last = INT64_MIN;
	p->rows = 0;
}

size_t
stitch_key(char *out, size_t t, const char *v, size_t n)
{
	out[0] = (char)(t + 1);
	if (n)
		memcpy(out + 1, v, n);
	return n + 1;
}

static uint64_t
load8(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/*
 * strtab_hash's mixing, with the last word read overlapping the one
 * before rather than copied out byte by byte (a third fewer instructions
 * for keys of a few dozen bytes), and over the value where it lies, the
 * type mixed into the seed: reading back the key just written stalls on
 * its stores (its 8-byte words straddle them), and hashing the value
 * instead took half the time (0.65 s against 0.29-0.41 s for 30 million
 * values).  Only the ids table uses it, and nothing depends on its
 * values; person keys come from strtab_hash, whose values must not
 * change.
 */
uint64_t
stitch_key_hash(size_t t, const char *v, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((n + 1) * 0xff51afd7ed558ccdULL) ^
	    (uint64_t)(t + 1),
		 w;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			h = (h ^ load8(v + i)) * 0xbf58476d1ce4e5b9ULL;
			h ^= h >> 29;
		}
		w = load8(v + n - 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, v, 4);
		memcpy(&b, v + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		w = n ? (uint64_t)(unsigned char)v[0] |
			(uint64_t)(unsigned char)v[n / 2] << 8 |
			(uint64_t)(unsigned char)v[n - 1] << 16
		      : 0;
	}
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	return h ^ (h >> 32);
}

uint32_t
stitch_node(
    struct stitch *s, size_t t, const char *v, size_t n, int *added_out)
{
	int added;
	void *p;
	buf_clear(&s->scratch);
	buf_reserve(&s->scratch, n + 1);
	s->scratch.len = stitch_key(s->scratch.data, t, v, n);
	uint32_t id = strtab_intern_payload(s->ids, s->scratch.data,
	    s->scratch.len, stitch_key_hash(t, v, n), &added, &p);
	if (added)
		node_new(s, id, (uint8_t)t, p);
	if (added_out)
		*added_out = added;
	return id;
}

void
stitch_mark_junk(struct stitch *s, uint32_t node, enum stitch_junk why)
{
	state(s, node)->junk = (uint8_t)why;
}

enum stitch_junk
stitch_junk(const struct stitch *s, uint32_t node)
{
	return (enum stitch_junk)state(s, node)->junk;
}

static uint64_t
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
 * A link's hash: its low bits place it in the table, its top 32 bits are
 * the tag its slot keeps, so that a probe passes other links' slots
 * without reading their links (at 3/4 full, a lookup passes several).
 */
static uint64_t
link_mix(uint32_t a, uint32_t b)
{
	return mix((uint64_t)a << 32 | b);
}

static uint64_t
slot_value(uint64_t hash, size_t index)
{
	return (hash >> 32 << 32) | ((uint64_t)index + 1);
}

/* Puts a record of hash x, at index or offset i, in a table of n slots. */
static void
slot_put(uint64_t *slot, size_t n, uint64_t x, size_t i)
{
	size_t h = x & (n - 1);
	while (slot[h])
		h = (h + 1) & (n - 1);
	slot[h] = slot_value(x, i);
}

static uint64_t *
slots_alloc(size_t n)
{
	uint64_t *slot = xcalloc(n, sizeof *slot);
	mem_hugepages(slot, n * sizeof *slot);
	return slot;
}

/* The size of a table with room for k records (at most 3/4 full). */
static size_t
slots_for(size_t have, size_t k)
{
	size_t n = have ? have : 4096;
	while (4 * (k + 1) > 3 * n)
		n *= 2;
	return n;
}

/* Room in the table for k more links. */
static void
link_room(struct stitch *s, size_t k)
{
	size_t n = slots_for(s->nslots, s->nlk + k);
	if (n == s->nslots)
		return;
	free(s->slot);
	s->slot = slots_alloc(n);
	s->nslots = n;
	for (size_t i = 0; i < s->nlk; i++)
		slot_put(s->slot, n, link_mix(s->lk[i].a, s->lk[i].b), i);
}

/* Link a < b, whose link_mix is x, unless it is there already. */
static void
link_add(struct stitch *s, uint32_t a, uint32_t b, uint64_t x)
{
	size_t mask = s->nslots - 1, h = x & mask;
	for (;;) {
		uint64_t v = s->slot[h];
		if (v == 0)
			break;
		const struct pair *l = &s->lk[(uint32_t)v - 1];
		if ((v ^ x) >> 32 == 0 && l->a == a && l->b == b)
			return;
		h = (h + 1) & mask;
	}
	if (s->nlk == UINT32_MAX - 1)
		err_die("more than 4 billion links between identifiers");
	if (s->nlk == s->lkcap) {
		s->lkcap = s->lkcap ? s->lkcap + s->lkcap / 2 : 4096;
		vmem_need(&s->lkv, s->nlk * sizeof *s->lk,
		    s->lkcap * sizeof *s->lk);
		s->lk = (struct pair *)(void *)s->lkv.data;
	}
	s->lk[s->nlk].a = a;
	s->lk[s->nlk].b = b;
	s->slot[h] = slot_value(x, s->nlk++);
}

/* ---- combinations of values (struct combo) ---- */

static struct combo *
combo_at(const struct stitch *s, size_t at)
{
	return (struct combo *)(void *)(s->cb + 8 * at);
}

static uint32_t *
combo_node(struct combo *c)
{
	return (uint32_t *)(void *)(c + 1);
}

static uint32_t *
combo_klen(struct combo *c)
{
	return combo_node(c) + c->n;
}

static uint8_t *
combo_junk(struct combo *c)
{
	return (uint8_t *)(combo_klen(c) + c->n);
}

static char *
combo_keys(struct combo *c)
{
	return (char *)(combo_junk(c) + c->n);
}

static size_t
combo_size(size_t n, size_t bytes)
{
	return (sizeof(struct combo) + 2 * n * sizeof(uint32_t) + n + bytes +
		   7) &
	    ~(size_t)7;
}

/* The next combination after the one at offset 8 * at. */
static size_t
combo_next(const struct stitch *s, size_t at)
{
	const struct combo *c = combo_at(s, at);
	return at + combo_size(c->n, c->bytes) / 8;
}

/* The hash of a combination of n values of hashes h[] (stitch_key_hash). */
static uint64_t
combo_mix(const uint64_t *h, size_t n)
{
	uint64_t x = mix(0x9e3779b97f4a7c15ULL ^ n);
	for (size_t i = 0; i < n; i++)
		x = mix(x ^ h[i]);
	return x;
}

/* Room in the table for k more combinations. */
static void
combo_room(struct stitch *s, size_t k)
{
	size_t n = slots_for(s->ncslots, s->ncb + k);
	if (n == s->ncslots)
		return;
	free(s->cslot);
	s->cslot = slots_alloc(n);
	s->ncslots = n;
	for (size_t at = 0; at < s->cblen / 8; at = combo_next(s, at))
		slot_put(s->cslot, n, combo_at(s, at)->hash, at);
}

/*
 * The combination of the n values whose keys (klen[i] bytes each) lie one
 * after another at keys, bytes in all, of hash x; or NULL, *slot then the
 * empty slot where it goes.
 */
static struct combo *
combo_find(const struct stitch *s, uint64_t x, size_t n, const size_t *klen,
    const char *keys, size_t bytes, size_t *slot)
{
	size_t mask = s->ncslots - 1, h = x & mask;
	for (;; h = (h + 1) & mask) {
		uint64_t v = s->cslot[h];
		if (v == 0) {
			*slot = h;
			return NULL;
		}
		if ((v ^ x) >> 32 != 0)
			continue;
		struct combo *c = combo_at(s, (uint32_t)v - 1);
		if (c->n != n || c->bytes != bytes)
			continue;
		const uint32_t *cl = combo_klen(c);
		size_t i = 0;
		while (i < n && cl[i] == klen[i])
			i++;
		if (i == n && memcmp(combo_keys(c), keys, bytes) == 0)
			return c;
	}
}

/* The combination is on one more row, seen at ts, row seq of the input. */
static void
combo_seen(struct combo *c, int64_t ts, uint32_t seq)
{
	if (ts < c->first || (ts == c->first && seq < c->seq)) {
		c->first = ts;
		c->seq = seq;
	}
	if (ts > c->last)
		c->last = ts;
	c->rows += c->rows < UINT32_MAX;
}

/* Queues the link a - b (a != b) for add_pairs. */
static void
queue_pair(struct stitch *s, size_t *np, uint32_t a, uint32_t b)
{
	if (*np == s->bpcap) {
		s->bpcap = s->bpcap ? 2 * s->bpcap : 256;
		s->bpair = xreallocarray(s->bpair, s->bpcap, sizeof *s->bpair);
		s->bph = xreallocarray(s->bph, s->bpcap, sizeof *s->bph);
	}
	struct pair *p = &s->bpair[(*np)++];
	p->a = a < b ? a : b;
	p->b = a < b ? b : a;
}

/*
 * A new combination at slot h of the n values whose nodes are node[],
 * seen at ts on row seq; the links between its nodes that are not junk
 * are queued (np of them).
 */
static void
combo_add(struct stitch *s, size_t h, uint64_t x, size_t n, const size_t *klen,
    const char *keys, size_t bytes, const uint32_t *node, const uint8_t *junk,
    int64_t ts, uint32_t seq, size_t *np)
{
	size_t size = combo_size(n, bytes);
	if ((s->cblen + size) / 8 >= UINT32_MAX - 1)
		err_die("more than 32 GB of combinations of identifiers");
	if (s->cblen + size > s->cbcap) {
		size_t cap = s->cbcap ? s->cbcap + s->cbcap / 2 : 1 << 16;
		while (cap < s->cblen + size)
			cap *= 2;
		vmem_need(&s->cbv, s->cblen, cap);
		s->cb = s->cbv.data;
		s->cbcap = cap;
	}
	size_t at = s->cblen / 8;
	struct combo *c = combo_at(s, at);
	c->first = c->last = ts;
	c->hash = x;
	c->seq = seq;
	c->rows = 1;
	c->n = (uint32_t)n;
	c->bytes = (uint32_t)bytes;
	memcpy(combo_node(c), node, n * sizeof *node);
	for (size_t i = 0; i < n; i++)
		combo_klen(c)[i] = (uint32_t)klen[i];
	memcpy(combo_junk(c), junk, n);
	memcpy(combo_keys(c), keys, bytes);
	s->cblen += size;
	s->ncb++;
	s->cslot[h] = slot_value(x, at);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!junk[i] && !junk[j] && node[i] != node[j])
				queue_pair(s, np, node[i], node[j]);
}

/*
 * Adds the np queued links not there yet, their lookups prefetched a few
 * ahead (room for them all first, so the table does not move under the
 * prefetches).
 */
static void
add_pairs(struct stitch *s, size_t np)
{
	link_room(s, np);
	size_t mask = s->nslots - 1;
	for (size_t i = 0; i < np; i++)
		s->bph[i] = link_mix(s->bpair[i].a, s->bpair[i].b);
	enum { D = 8 };
	for (size_t i = 0; i < np + 2 * D; i++) {
		if (i < np)
			__builtin_prefetch(&s->slot[s->bph[i] & mask]);
		if (i >= D && i - D < np) {
			uint64_t h = s->bph[i - D], v = s->slot[h & mask];
			if (v && (v ^ h) >> 32 == 0)
				__builtin_prefetch(&s->lk[(uint32_t)v - 1]);
		}
		if (i >= 2 * D) {
			size_t j = i - 2 * D;
			link_add(s, s->bpair[j].a, s->bpair[j].b, s->bph[j]);
		}
	}
}

/*
 * Folds the combinations' times and rows into their nodes (settled), the
 * nodes of the combination a few ahead prefetched.
 */
static void
fold_combos(struct stitch *s)
{
	enum { AHEAD = 8 };
	size_t end = s->cblen / 8, ahead = 0;
	for (int k = 0; k < AHEAD && ahead < end; k++)
		ahead = combo_next(s, ahead);
	for (size_t at = 0; at < end; at = combo_next(s, at)) {
		if (ahead < end) {
			struct combo *f = combo_at(s, ahead);
			for (size_t i = 0; i < f->n; i++)
				__builtin_prefetch(&s->nd[combo_node(f)[i]], 1);
			ahead = combo_next(s, ahead);
		}
		struct combo *c = combo_at(s, at);
		const uint32_t *node = combo_node(c);
		for (size_t i = 0; i < c->n; i++) {
			struct seen *p = &s->nd[node[i]].st;
			if (c->first < p->first)
				p->first = c->first;
			if (c->last > p->last)
				p->last = c->last;
			p->rows = p->rows > UINT32_MAX - c->rows ? UINT32_MAX
								 : p->rows + c->rows;
		}
	}
}

static uint32_t
seq32(uint64_t seq)
{
	return seq > UINT32_MAX ? UINT32_MAX : (uint32_t)seq;
}

void
stitch_rows_keyed(struct stitch *s, size_t nrows, const size_t *first,
    const int64_t *ts, const uint64_t *seq, const uint8_t *type,
    const char *const *key, const size_t *klen, const uint64_t *hash,
    stitch_classify_fn classify, void *ctx, uint32_t *out, uint8_t *junk)
{
	if (s->settled)
		err_die("internal error: a row added after resolving");
	if (nrows > s->bmcap) {
		s->bmcap = nrows;
		s->bmiss = xreallocarray(s->bmiss, nrows, sizeof *s->bmiss);
		s->brh = xreallocarray(s->brh, nrows, sizeof *s->brh);
	}
	combo_room(s, nrows);
	uint64_t *rh = s->brh;
	for (size_t r = 0; r < nrows; r++)
		rh[r] = combo_mix(hash + first[r], first[r + 1] - first[r]);
	/* the rows whose combination is known: a lookup each, prefetched */
	size_t nm = 0, mask = s->ncslots - 1;
	enum { D = 8 };
	for (size_t i = 0; i < nrows + 2 * D; i++) {
		if (i < nrows)
			__builtin_prefetch(&s->cslot[rh[i] & mask]);
		if (i >= D && i - D < nrows) {
			uint64_t v = s->cslot[rh[i - D] & mask];
			if (v && (v ^ rh[i - D]) >> 32 == 0) {
				const char *c = (const char *)combo_at(
				    s, (uint32_t)v - 1);
				__builtin_prefetch(c, 1);
				__builtin_prefetch(c + 64);
			}
		}
		if (i < 2 * D || i - 2 * D >= nrows)
			continue;
		size_t r = i - 2 * D, f = first[r], n = first[r + 1] - f, h;
		if (n == 0)
			continue;
		size_t bytes = (size_t)(key[f + n - 1] - key[f]) + klen[f + n - 1];
		struct combo *c =
		    combo_find(s, rh[r], n, klen + f, key[f], bytes, &h);
		if (!c) {
			s->bmiss[nm++] = r;
			continue;
		}
		combo_seen(c, ts[r], seq32(seq[r]));
		memcpy(out + f, combo_node(c), n * sizeof *out);
		memcpy(junk + f, combo_junk(c), n);
	}
	/* the values of the others, looked up together */
	size_t nv = 0;
	for (size_t m = 0; m < nm; m++)
		nv += first[s->bmiss[m] + 1] - first[s->bmiss[m]];
	if (nv > s->bvcap) {
		s->bvcap = nv;
		s->bkey = xreallocarray(s->bkey, nv, sizeof *s->bkey);
		s->bklen = xreallocarray(s->bklen, nv, sizeof *s->bklen);
		s->bat = xreallocarray(s->bat, nv, sizeof *s->bat);
		s->bkh = xreallocarray(s->bkh, nv, sizeof *s->bkh);
		s->btype = xreallocarray(s->btype, nv, sizeof *s->btype);
		s->bid = xreallocarray(s->bid, nv, sizeof *s->bid);
		s->bpay = xreallocarray(s->bpay, nv, sizeof *s->bpay);
		s->badd = xreallocarray(s->badd, nv, sizeof *s->badd);
	}
	size_t x = 0;
	for (size_t m = 0; m < nm; m++)
		for (size_t j = first[s->bmiss[m]]; j < first[s->bmiss[m] + 1];
		     j++) {
			s->bkey[x] = key[j];
			s->bklen[x] = klen[j];
			s->bkh[x] = hash[j];
			s->btype[x] = type[j];
			s->bat[x++] = j;
		}
	strtab_intern_many(
	    s->ids, nv, s->bkey, s->bklen, s->bkh, s->bid, s->bpay, s->badd);
	for (size_t y = 0; y < nv; y++) {
		size_t j = s->bat[y];
		struct seen *sn = s->bpay[y];
		if (s->badd[y]) {
			node_new(s, s->bid[y], s->btype[y], sn);
			if (classify)
				sn->junk = (uint8_t)classify(
				    ctx, key[j] + 1, klen[j] - 1);
		}
		out[j] = s->bid[y];
		junk[j] = sn->junk;
	}
	/* their combinations, in order (a later row may repeat an earlier),
	 * and the new ones' links */
	size_t np = 0;
	for (size_t m = 0; m < nm; m++) {
		size_t r = s->bmiss[m], f = first[r], n = first[r + 1] - f, h;
		size_t bytes = (size_t)(key[f + n - 1] - key[f]) + klen[f + n - 1];
		struct combo *c =
		    combo_find(s, rh[r], n, klen + f, key[f], bytes, &h);
		if (c)
			combo_seen(c, ts[r], seq32(seq[r]));
		else
			combo_add(s, h, rh[r], n, klen + f, key[f], bytes,
			    out + f, junk + f, ts[r], seq32(seq[r]), &np);
	}
	add_pairs(s, np);
}

void
stitch_row(
    struct stitch *s, const uint32_t *nodes, size_t n, int64_t ts, uint64_t seq)
{
	stitch_rows(s, 1, n, nodes, &ts, &seq);
}

void
stitch_rows(struct stitch *s, size_t nrows, size_t width, const uint32_t *nodes,
    const int64_t *ts, const uint64_t *seq)
{
	if (s->settled)
		err_die("internal error: a row added after resolving");
	combo_room(s, nrows);
	struct buf keys = { 0 };
	size_t np = 0;
	for (size_t r = 0; r < nrows; r++) {
		/* the row's values as stitch_rows_keyed has them */
		uint32_t node[MAX_TYPES];
		uint8_t junk[MAX_TYPES];
		size_t klen[MAX_TYPES], n = 0;
		uint64_t h[MAX_TYPES];
		buf_clear(&keys);
		for (size_t i = 0; i < width && n < MAX_TYPES; i++) {
			uint32_t x = nodes[r * width + i];
			if (x == STITCH_NONE)
				continue;
			size_t len;
			const char *k = strtab_str(s->ids, x, &len);
			buf_add(&keys, k, len);
			node[n] = x;
			junk[n] = (uint8_t)stitch_junk(s, x);
			klen[n] = len;
			h[n++] = stitch_key_hash(s->nd[x].type, k + 1, len - 1);
		}
		if (n == 0)
			continue;
		uint64_t x = combo_mix(h, n);
		size_t at;
		struct combo *c =
		    combo_find(s, x, n, klen, keys.data, keys.len, &at);
		if (c)
			combo_seen(c, ts[r], seq32(seq[r]));
		else
			combo_add(s, at, x, n, klen, keys.data, keys.len, node,
			    junk, ts[r], seq32(seq[r]), &np);
	}
	buf_free(&keys);
	add_pairs(s, np);
}

/* The pkey of a shared node (its events go by time). */
static const char shared_mark[] = "";

/* The id of key k[0..n), *added set when it is new. */
static uint32_t
key_add(struct stitch *s, const char *key, size_t n, int *added)
{
	uint32_t k = strtab_intern(s->keys, key, n, added);
	if (k >= s->key_cap) {
		size_t cap = s->key_cap ? 2 * s->key_cap : 1024;
		while (cap <= k)
			cap *= 2;
		s->key_first =
		    xreallocarray(s->key_first, cap, sizeof(int64_t));
		s->key_cap = cap;
	}
	if (*added)
		s->key_first[k] = INT64_MAX;
	return k;
}

static uint32_t
key_id(struct stitch *s, const char *key)
{
	int added;
	return key_add(s, key, strlen(key), &added);
}

void
stitch_prior(struct stitch *s, uint32_t node, const char *key, int64_t first,
    int64_t last)
{
	uint32_t k = key_id(s, key);
	s->nd[node].prior = k;
	s->has_prior = 1;
	struct seen *st = state(s, node);
	if (first < st->first)
		st->first = first;
	if (last > st->last)
		st->last = last;
	if (first < s->key_first[k])
		s->key_first[k] = first;
}

void
stitch_prior_alias(struct stitch *s, const char *old, const char *cur)
{
	if (s->naliases == s->alias_cap) {
		s->alias_cap = s->alias_cap ? 2 * s->alias_cap : 64;
		s->alias_old =
		    xreallocarray(s->alias_old, s->alias_cap, sizeof(uint32_t));
		s->alias_cur =
		    xreallocarray(s->alias_cur, s->alias_cap, sizeof(uint32_t));
	}
	s->alias_old[s->naliases] = key_id(s, old);
	s->alias_cur[s->naliases] = key_id(s, cur);
	s->naliases++;
}

/* ---- union-find ---- */

static uint32_t
find(struct stitch *s, uint32_t x)
{
	uint32_t r = x;
	while (s->parent[r] != r)
		r = s->parent[r];
	while (s->parent[x] != r) { /* path compression */
		uint32_t next = s->parent[x];
		s->parent[x] = r;
		x = next;
	}
	return r;
}

/* The limited type that merging ra and rb would exceed, or -1. */
static long
over_limit(const struct stitch *s, uint32_t ra, uint32_t rb)
{
	for (size_t i = 0; i < s->nlimited; i++) {
		size_t t = s->limited[i];
		uint32_t sum = s->lim[(size_t)ra * s->nlimited + i] +
		    s->lim[(size_t)rb * s->nlimited + i];
		if (sum > (uint64_t)s->c.limit[t])
			return (long)t;
	}
	return -1;
}

static void
unite(struct stitch *s, uint32_t ra, uint32_t rb)
{
	if (s->size[ra] < s->size[rb]) {
		uint32_t t = ra;
		ra = rb;
		rb = t;
	}
	s->parent[rb] = ra;
	s->size[ra] += s->size[rb];
	for (size_t i = 0; i < s->nlimited; i++)
		s->lim[(size_t)ra * s->nlimited + i] +=
		    s->lim[(size_t)rb * s->nlimited + i];
	s->merges++;
}

/* One half of the links to sort (sort_links). */
struct sort_half {
	const struct stitch *s;
	const struct link *v;
	size_t from, n;
	int64_t min;
	int packed;         /* the whole order fits one 64-bit key: */
	unsigned shift, tb; /* time << shift | seq << tb | types */
	uint64_t *tie;           /* per link: the tie key (not packed) */
	struct radix_item *k, *t; /* n each */
	struct radix_item *r;     /* the sorted half: k or t */
};

/* Sorts a half by (first seen, tie key), each link's tie key noted. */
static void *
sort_half(void *arg)
{
	struct sort_half *h = arg;
	const struct link *v = h->v;
	for (size_t x = 0; x < h->n; x++) {
		size_t i = h->from + x;
		uint8_t ta = h->s->nd[v[i].a].type, tb = h->s->nd[v[i].b].type;
		if (ta > tb) {
			uint8_t y = ta;
			ta = tb;
			tb = y;
		}
		h->k[x].idx = (uint32_t)i;
		if (h->packed) {
			h->tie[i] = 0;
			h->k[x].key = ((uint64_t)v[i].first - (uint64_t)h->min)
				<< h->shift |
			    (uint64_t)v[i].seq << h->tb |
			    (uint64_t)ta << (h->tb / 2) | tb;
			continue;
		}
		h->tie[i] = (uint64_t)v[i].seq << 16 | (uint64_t)ta << 8 | tb;
		h->k[x].key = h->tie[i];
	}
	struct radix_item *r = radix_sort(h->k, h->t, h->n);
	if (h->packed) {
		h->r = r;
		return NULL;
	}
	for (size_t x = 0; x < h->n; x++)
		r[x].key = (uint64_t)v[r[x].idx].first - (uint64_t)h->min;
	h->r = radix_sort(r, r == h->k ? h->t : h->k, h->n);
	return NULL;
}

/*
 * Sorts links into the order they happened: first seen, then the row's
 * input order, then the types of their ends (lower first).  Each half of
 * the links is sorted by two stable radix sorts, by the minor key then by
 * the major (linear, where qsort of millions of links was a fifth of the
 * run), or by one when the whole order fits 64 bits, the first half on a
 * second thread; then the halves are merged.
 * No two links share both keys (a row links a pair of types once).
 */
static void
sort_links(struct stitch *s, struct link *v, size_t n)
{
	if (n < 2)
		return;
	int64_t min = INT64_MAX, max = INT64_MIN;
	uint32_t maxseq = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].first < min)
			min = v[i].first;
		if (v[i].first > max)
			max = v[i].first;
		if (v[i].seq > maxseq)
			maxseq = v[i].seq;
	}
	/* a month in milliseconds, ten million rows and a few types fit
	 * one key: one radix sort, not two */
	uint64_t span = (uint64_t)max - (uint64_t)min;
	unsigned timebits = span ? 64 - (unsigned)__builtin_clzll(span) : 0;
	unsigned seqbits = maxseq ? 32 - (unsigned)__builtin_clz(maxseq) : 0;
	unsigned tb = s->c.ntypes <= 16 ? 8 : 16;
	int packed = timebits + seqbits + tb <= 64;
	struct radix_item *k = xmalloc(n * sizeof *k),
			  *t = xmalloc(n * sizeof *t);
	uint64_t *tie = xmalloc(n * sizeof *tie);
	size_t half = n < 65536 ? 0 : n / 2;
	struct sort_half h[2] = {
		{ s, v, 0, half, min, packed, seqbits + tb, tb, tie, k, t,
		    NULL },
		{ s, v, half, n - half, min, packed, seqbits + tb, tb, tie,
		    k + half, t + half, NULL },
	};
	pthread_t tid;
	int threaded = half && pthread_create(&tid, NULL, sort_half, &h[0]) == 0;
	if (half && !threaded)
		sort_half(&h[0]);
	sort_half(&h[1]);
	if (threaded)
		pthread_join(tid, NULL);
	/* merge the halves into the order of the links, in a copy */
	struct link *copy = xmalloc(n * sizeof *copy);
	memcpy(copy, v, n * sizeof *v);
	size_t a = 0, b = 0;
	for (size_t i = 0; i < n; i++) {
		if (a + 16 < h[0].n)
			__builtin_prefetch(&copy[h[0].r[a + 16].idx]);
		if (b + 16 < h[1].n)
			__builtin_prefetch(&copy[h[1].r[b + 16].idx]);
		const struct radix_item *x = a < h[0].n ? &h[0].r[a] : NULL,
					*y = b < h[1].n ? &h[1].r[b] : NULL;
		int first = !y ||
		    (x &&
			(x->key < y->key ||
			    (x->key == y->key && tie[x->idx] < tie[y->idx])));
		uint32_t idx = first ? h[0].r[a++].idx : h[1].r[b++].idx;
		v[i] = copy[idx];
	}
	free(copy);
	free(tie);
	free(k);
	free(t);
}

static void
refuse(struct stitch *s, const struct link *l, long type)
{
	if (s->nref == s->refcap) {
		s->refcap = s->refcap ? 2 * s->refcap : 64;
		s->ref = xreallocarray(s->ref, s->refcap, sizeof *s->ref);
	}
	/* name the lower-priority side: the cookie, not the account */
	uint32_t lo = l->a, hi = l->b;
	if (s->nd[lo].type < s->nd[hi].type) {
		lo = l->b;
		hi = l->a;
	}
	struct stitch_refusal *r = &s->ref[s->nref++];
	r->node = lo;
	r->other = hi;
	r->rows = l->rows;
	r->type = (size_t)type;
}

/* Nodes better as a person's representative: priority, age, value. */
static int
better(struct stitch *s, uint32_t x, uint32_t y)
{
	if (s->nd[x].type != s->nd[y].type)
		return s->nd[x].type < s->nd[y].type;
	if (s->nd[x].st.first != s->nd[y].st.first)
		return s->nd[x].st.first < s->nd[y].st.first;
	size_t nx, ny;
	const char *vx = strtab_str(s->ids, x, &nx);
	const char *vy = strtab_str(s->ids, y, &ny);
	int c = memcmp(vx, vy, nx < ny ? nx : ny);
	return c < 0 || (c == 0 && nx < ny);
}

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	return (a->root > b->root) - (a->root < b->root);
}

/* Finds the shared anonymous nodes and their candidate persons. */
static void
find_shared(struct stitch *s)
{
	const int *anon = s->c.anonymous;
	s->cand_off = xmalloc(s->n * sizeof *s->cand_off);
	s->cand_n = xcalloc(s->n, sizeof *s->cand_n);
	for (size_t i = 0; i < s->n; i++)
		s->cand_off[i] = STITCH_NONE;
	/* candidates: anonymous nodes with a refused link to an identifier */
	uint8_t *want = xcalloc(s->n, 1);
	for (size_t i = 0; i < s->nref; i++) {
		const struct stitch_refusal *r = &s->ref[i];
		if (anon[s->nd[r->node].type] && !anon[s->nd[r->other].type])
			want[r->node] = 1;
	}
	/* gather (node, root of the identifier, interval) */
	struct {
		uint32_t node;
		struct cand c;
	} *g = NULL;
	size_t ng = 0, gcap = 0;
	for (size_t i = 0; i < s->ndlk; i++) {
		const struct link *l = &s->dlk[i];
		if (s->nd[l->a].st.junk || s->nd[l->b].st.junk)
			continue;
		for (int side = 0; side < 2; side++) {
			uint32_t x = side ? l->b : l->a, y = side ? l->a : l->b;
			if (!want[x] || anon[s->nd[y].type])
				continue;
			if (ng == gcap) {
				gcap = gcap ? 2 * gcap : 256;
				g = xreallocarray(g, gcap, sizeof *g);
			}
			g[ng].node = x;
			g[ng].c.root = find(s, y);
			g[ng].c.first = l->first;
			g[ng].c.last = l->last;
			ng++;
		}
	}
	free(want);
	/* per node: candidates by root, intervals merged */
	for (size_t i = 0; i < ng; i++)
		s->cand_n[g[i].node]++;
	size_t off = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->cand_n[i]) {
			s->cand_off[i] = (uint32_t)off;
			off += s->cand_n[i];
			s->cand_n[i] = 0;
		}
	s->cand = xmalloc((off ? off : 1) * sizeof *s->cand);
	for (size_t i = 0; i < ng; i++) {
		uint32_t x = g[i].node;
		s->cand[s->cand_off[x] + s->cand_n[x]++] = g[i].c;
	}
	free(g);
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->cand_off[i] == STITCH_NONE)
			continue;
		struct cand *c = s->cand + s->cand_off[i];
		size_t n = s->cand_n[i], k = 0;
		qsort(c, n, sizeof *c, cand_cmp);
		for (size_t j = 0; j < n; j++) {
			if (k > 0 && c[k - 1].root == c[j].root) {
				if (c[j].first < c[k - 1].first)
					c[k - 1].first = c[j].first;
				if (c[j].last > c[k - 1].last)
					c[k - 1].last = c[j].last;
				continue;
			}
			c[k++] = c[j];
		}
		/* compact into place (offsets only grow smaller or equal) */
		memmove(s->cand + w, c, k * sizeof *c);
		s->cand_off[i] = (uint32_t)w;
		s->cand_n[i] = (uint32_t)k;
		w += k;
		if (k >= 2) {
			s->shared[i] = 1;
			s->shared_nodes = xreallocarray(s->shared_nodes,
			    s->nshared + 1, sizeof *s->shared_nodes);
			s->shared_nodes[s->nshared++] = (uint32_t)i;
		}
	}
	s->ncand = w;
}

static int
u64_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* Keys: previous keys where there are some, else a hash of the rep. */
static void
assign_keys(struct stitch *s)
{
	uint32_t *rep = xmalloc(s->n * sizeof *rep);
	for (size_t i = 0; i < s->n; i++)
		rep[i] = STITCH_NONE;
	for (uint32_t i = 0; i < s->n; i++) {
		if (s->nd[i].st.junk)
			continue;
		uint32_t r = find(s, i);
		if (rep[r] == STITCH_NONE || better(s, i, rep[r]))
			rep[r] = i;
	}
	/* (root, previous key) pairs, each once */
	uint64_t *pk = NULL;
	size_t npk = 0;
	if (s->has_prior) {
		pk = xmalloc(s->n * sizeof *pk);
		for (uint32_t i = 0; i < s->n; i++)
			if (!s->nd[i].st.junk && s->nd[i].prior != NO_KEY)
				pk[npk++] =
				    (uint64_t)find(s, i) << 32 | s->nd[i].prior;
		qsort(pk, npk, sizeof *pk, u64_cmp);
	}
	s->key = xmalloc(s->n * sizeof *s->key);
	for (size_t i = 0; i < s->n; i++)
		s->key[i] = NO_KEY;
	for (size_t i = 0; i < npk;) {
		uint32_t r = (uint32_t)(pk[i] >> 32);
		size_t j = i;
		uint32_t oldest = (uint32_t)pk[i];
		for (; j < npk && (uint32_t)(pk[j] >> 32) == r; j++) {
			uint32_t k = (uint32_t)pk[j];
			if (j > i && k == (uint32_t)pk[j - 1])
				continue;
			if (s->key_first[k] < s->key_first[oldest])
				oldest = k;
		}
		s->key[r] = oldest;
		for (size_t m = i; m < j; m++) {
			uint32_t k = (uint32_t)pk[m];
			if (k != oldest && (m == i || k != (uint32_t)pk[m - 1]))
				stitch_prior_alias(s,
				    strtab_str(s->keys, k, NULL),
				    strtab_str(s->keys, oldest, NULL));
		}
		i = j;
	}
	free(pk);
	/* new persons: "p" and 16 hex digits of their representative */
	struct buf b = { 0 };
	for (uint32_t i = 0; i < s->n; i++) {
		if (rep[i] == STITCH_NONE || s->key[i] != NO_KEY)
			continue;
		size_t n;
		const char *v = strtab_str(s->ids, rep[i], &n);
		buf_clear(&b);
		buf_adds(&b, s->c.types[s->nd[rep[i]].type]);
		buf_add(&b, "=", 1);
		buf_add(&b, v + 1, n - 1);
		uint64_t h = strtab_hash(b.data, b.len);
		for (;;) {
			char key[17];
			key[0] = 'p';
			for (int d = 0; d < 16; d++)
				key[1 + d] =
				    "0123456789abcdef"[h >> (60 - 4 * d) & 15];
			int added;
			uint32_t k = key_add(s, key, 17, &added);
			if (added) {
				s->key[i] = k;
				break;
			}
			h = mix(h + 1); /* taken (practically never) */
		}
	}
	buf_free(&b);
	free(rep);
	/* every alias points at the key that is current now (chains of
	 * nightly runs: a -> b, then b -> c, make a -> c) */
	size_t nk = strtab_count(s->keys);
	uint32_t *to = xmalloc((nk ? nk : 1) * sizeof *to);
	for (size_t k = 0; k < nk; k++)
		to[k] = NO_KEY;
	for (size_t i = 0; i < s->naliases; i++)
		to[s->alias_old[i]] = s->alias_cur[i];
	for (size_t i = 0; i < s->naliases; i++) {
		uint32_t cur = s->alias_cur[i];
		for (size_t guard = 0; guard < s->naliases &&
		     to[cur] != NO_KEY && to[cur] != s->alias_old[i];
		     guard++)
			cur = to[cur];
		s->alias_cur[i] = cur;
	}
	free(to);
}

#define LINK_AHEAD 16

/* The node records of the ends of link i, if there is one. */
static void
prefetch_ends(const struct stitch *s, size_t i)
{
	if (i < s->nlk) {
		__builtin_prefetch(&s->nd[s->lk[i].a]);
		__builtin_prefetch(&s->nd[s->lk[i].b]);
	}
}

/*
 * Merges the nodes that share a key of the previous map, as they were
 * (no limit is checked); only the nodes marked in only, if only.
 */
static void
merge_priors(struct stitch *s, const uint8_t *only)
{
	uint32_t *head = xmalloc((s->key_cap ? s->key_cap : 1) * sizeof *head);
	for (size_t k = 0; k < s->key_cap; k++)
		head[k] = STITCH_NONE;
	for (uint32_t i = 0; i < s->n; i++) {
		uint32_t k = s->nd[i].prior;
		if (k == NO_KEY || s->nd[i].st.junk || (only && !only[i]))
			continue;
		if (head[k] == STITCH_NONE) {
			head[k] = i;
			continue;
		}
		uint32_t ra = find(s, head[k]), rb = find(s, i);
		if (ra != rb)
			unite(s, ra, rb);
	}
	free(head);
}

/*
 * Before merging the ends of a link LINK_AHEAD further on: the node
 * records of the ends of the link twice as far, then the parents of the
 * ends of the next.
 */
static void
prefetch_merge(const struct stitch *s, const struct pair *far,
    const struct pair *near)
{
	if (far) {
		__builtin_prefetch(&s->nd[far->a]);
		__builtin_prefetch(&s->nd[far->b]);
	}
	if (near) {
		__builtin_prefetch(&s->parent[near->a]);
		__builtin_prefetch(&s->parent[near->b]);
	}
}

/* The roots of a and b, when neither is junk and they are apart. */
static int
apart(struct stitch *s, uint32_t a, uint32_t b, uint32_t *ra, uint32_t *rb)
{
	if (s->nd[a].st.junk || s->nd[b].st.junk)
		return 0;
	*ra = find(s, a);
	*rb = find(s, b);
	return *ra != *rb;
}

/* Merges the ends of every link, in the order made, unchecked. */
static void
merge_all(struct stitch *s)
{
	const struct pair *v = s->lk;
	size_t n = s->nlk;
	for (size_t i = 0; i < n; i++) {
		prefetch_merge(s, i + 2 * LINK_AHEAD < n ? &v[i + 2 * LINK_AHEAD] : NULL,
		    i + LINK_AHEAD < n ? &v[i + LINK_AHEAD] : NULL);
		uint32_t ra, rb;
		if (apart(s, v[i].a, v[i].b, &ra, &rb))
			unite(s, ra, rb);
	}
}

/*
 * Merges along the n links v, in their order, refusing each merge that
 * would exceed a limit.
 */
static void
merge_checked(struct stitch *s, const struct link *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct link *f = i + 2 * LINK_AHEAD < n
		    ? &v[i + 2 * LINK_AHEAD]
		    : NULL,
				  *g = i + LINK_AHEAD < n ? &v[i + LINK_AHEAD] : NULL;
		struct pair pf = { f ? f->a : 0, f ? f->b : 0 },
			    pg = { g ? g->a : 0, g ? g->b : 0 };
		prefetch_merge(s, f ? &pf : NULL, g ? &pg : NULL);
		uint32_t ra, rb;
		if (!apart(s, v[i].a, v[i].b, &ra, &rb))
			continue;
		long t = over_limit(s, ra, rb);
		if (t >= 0)
			refuse(s, &v[i], t);
		else
			unite(s, ra, rb);
	}
}

/*
 * The links between nodes marked in redo, with their times and rows from
 * the combinations that hold them (the earliest first seen of them, and
 * so on), each once; *nout gets their count.
 */
static struct link *
links_of(struct stitch *s, const uint8_t *redo, size_t *nout)
{
	size_t n = 0, cap = 0;
	struct link *v = NULL;
	for (size_t at = 0; at < s->cblen / 8; at = combo_next(s, at)) {
		struct combo *t = combo_at(s, at);
		const uint32_t *node = combo_node(t);
		const uint8_t *junk = combo_junk(t);
		for (size_t i = 0; i < t->n; i++) {
			uint32_t a = node[i];
			if (junk[i] || !redo[a])
				continue;
			for (size_t j = i + 1; j < t->n; j++) {
				uint32_t b = node[j];
				if (junk[j] || b == a)
					continue;
				if (n == cap) {
					cap = cap ? 2 * cap : 1024;
					v = xreallocarray(v, cap, sizeof *v);
				}
				struct link *l = &v[n++];
				l->a = a < b ? a : b;
				l->b = a < b ? b : a;
				l->first = t->first;
				l->last = t->last;
				l->seq = t->seq;
				l->rows = t->rows;
			}
		}
	}
	/* each link once: sorted by its ends, the copies of one folded */
	struct radix_item *k = xmalloc((n ? n : 1) * sizeof *k),
			  *tmp = xmalloc((n ? n : 1) * sizeof *tmp);
	for (size_t i = 0; i < n; i++) {
		k[i].key = (uint64_t)v[i].a << 32 | v[i].b;
		k[i].idx = (uint32_t)i;
	}
	struct radix_item *r = radix_sort(k, tmp, n);
	struct link *w = xmalloc((n ? n : 1) * sizeof *w);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const struct link *l = &v[r[i].idx];
		struct link *o = m ? &w[m - 1] : NULL;
		if (!o || o->a != l->a || o->b != l->b) {
			w[m++] = *l;
			continue;
		}
		if (l->first < o->first ||
		    (l->first == o->first && l->seq < o->seq)) {
			o->first = l->first;
			o->seq = l->seq;
		}
		if (l->last > o->last)
			o->last = l->last;
		o->rows = o->rows > UINT32_MAX - l->rows ? UINT32_MAX
							   : o->rows + l->rows;
	}
	free(k);
	free(tmp);
	free(v);
	*nout = m;
	return w;
}

/* Whether root r holds more values of a limited type than allowed. */
static int
over_a_limit(const struct stitch *s, uint32_t r)
{
	for (size_t i = 0; i < s->nlimited; i++)
		if (s->lim[(size_t)r * s->nlimited + i] >
		    (uint64_t)s->c.limit[s->limited[i]])
			return 1;
	return 0;
}

/* Node i as it was before any merge. */
static void
node_alone(struct stitch *s, uint32_t i)
{
	s->parent[i] = i;
	s->size[i] = 1;
	for (size_t k = 0; k < s->nlimited; k++)
		s->lim[(size_t)i * s->nlimited + k] =
		    s->nd[i].type == s->limited[k];
}

/*
 * This run's links, as if merged one by one in the order they happened
 * (first seen, then input order), each merge that would exceed a limit
 * refused.  The order matters only inside a component that holds more
 * values of a limited type than its limit: elsewhere no merge can be
 * refused (a part never holds more than the whole), so every link
 * merges, in any order, into the same persons.  So every link is merged
 * first, unchecked and in the order the links were made; then the
 * components over a limit are undone and merged again, their links
 * sorted into the order they happened, with the limits checked.  Only
 * those links are sorted: a few percent of them, where sorting them
 * all was a third of resolving.  The merges counted are the same.
 */
static void
merge_links(struct stitch *s)
{
	size_t n = s->n;
	merge_all(s);
	if (s->nlimited == 0)
		return;
	uint8_t *over = xcalloc(n ? n : 1, 1);
	uint64_t undone = 0;
	size_t nover = 0;
	for (uint32_t i = 0; i < n; i++)
		if (s->parent[i] == i && over_a_limit(s, i)) {
			over[i] = 1;
			undone += s->size[i] - 1;
			nover++;
		}
	if (nover == 0) {
		free(over);
		return;
	}
	/* every node of such a component, then each alone again */
	uint8_t *redo = xmalloc(n);
	for (uint32_t i = 0; i < n; i++)
		redo[i] = over[find(s, i)];
	free(over);
	for (uint32_t i = 0; i < n; i++)
		if (redo[i])
			node_alone(s, i);
	s->merges -= undone;
	if (s->has_prior)
		merge_priors(s, redo);
	s->dlk = links_of(s, redo, &s->ndlk);
	free(redo);
	sort_links(s, s->dlk, s->ndlk);
	merge_checked(s, s->dlk, s->ndlk);
}

void
stitch_resolve(struct stitch *s)
{
	size_t n = s->n;
	settle(s);
	s->parent = xmalloc((n ? n : 1) * sizeof *s->parent);
	s->size = xmalloc((n ? n : 1) * sizeof *s->size);
	s->degree = xcalloc(n ? n : 1, sizeof *s->degree);
	s->shared = xcalloc(n ? n : 1, 1);
	s->lim = xcalloc(
	    (n ? n : 1) * (s->nlimited ? s->nlimited : 1), sizeof *s->lim);
	for (uint32_t i = 0; i < n; i++) {
		s->parent[i] = i;
		s->size[i] = 1;
		for (size_t k = 0; k < s->nlimited; k++)
			s->lim[(size_t)i * s->nlimited + k] =
			    s->nd[i].type == s->limited[k];
	}
	/*
	 * 1. hubs.  The loops over links reach nodes in no order: each
	 * prefetches what a link LINK_AHEAD further on will touch.
	 */
	for (size_t i = 0; i < s->nlk; i++) {
		if (i + LINK_AHEAD < s->nlk) {
			__builtin_prefetch(&s->degree[s->lk[i + LINK_AHEAD].a], 1);
			__builtin_prefetch(&s->degree[s->lk[i + LINK_AHEAD].b], 1);
		}
		s->degree[s->lk[i].a]++;
		s->degree[s->lk[i].b]++;
	}
	if (s->c.max_degree > 0)
		for (size_t i = 0; i < n; i++)
			if (!s->nd[i].st.junk && s->degree[i] > s->c.max_degree)
				s->nd[i].st.junk = JUNK_MAX_DEGREE;
	/*
	 * A person has a handful of e-mails, phones or cards, but may have
	 * dozens of cookies: a value linked to many values of one
	 * non-anonymous type (a shop's address on hundreds of loyalty
	 * cards, a staff card on hundreds of e-mails) is a hub long before
	 * its total degree says so.
	 */
	if (s->c.max_per_type > 0 && n) {
		size_t nt = s->c.ntypes;
		uint16_t *cnt = xcalloc(n * nt, sizeof *cnt);
		for (size_t i = 0; i < s->nlk; i++) {
			const struct pair *l = &s->lk[i];
			prefetch_ends(s, i + 2 * LINK_AHEAD);
			if (i + LINK_AHEAD < s->nlk) {
				const struct pair *f = l + LINK_AHEAD;
				__builtin_prefetch(
				    &cnt[(size_t)f->a * nt + s->nd[f->b].type],
				    1);
				__builtin_prefetch(
				    &cnt[(size_t)f->b * nt + s->nd[f->a].type],
				    1);
			}
			uint16_t *ca =
			    &cnt[(size_t)l->a * nt + s->nd[l->b].type];
			uint16_t *cb =
			    &cnt[(size_t)l->b * nt + s->nd[l->a].type];
			*ca += *ca < UINT16_MAX;
			*cb += *cb < UINT16_MAX;
		}
		s->hub_type = xcalloc(n, 1);
		s->hub_count = xcalloc(n, sizeof *s->hub_count);
		for (size_t i = 0; i < n; i++) {
			if (s->nd[i].st.junk)
				continue;
			for (size_t t = 0; t < nt; t++)
				if (!s->c.anonymous[t] &&
				    cnt[i * nt + t] > s->c.max_per_type) {
					s->nd[i].st.junk = JUNK_PER_TYPE;
					s->hub_type[i] = (uint8_t)t;
					s->hub_count[i] = cnt[i * nt + t];
					break;
				}
		}
		free(cnt);
	}
	/* 2a. the previous map's persons, as they were */
	if (s->has_prior) {
		merge_priors(s, NULL);
		s->merges = 0; /* only this run's merges are counted */
	}
	/* 2b. this run's links; the lookup table is not needed any more */
	free(s->slot);
	s->slot = NULL;
	s->nslots = 0;
	merge_links(s);
	/* the combinations and links are done with (their count is kept) */
	vmem_free(&s->cbv);
	s->cb = NULL;
	free(s->cslot);
	s->cslot = NULL;
	vmem_free(&s->lkv);
	s->lk = NULL;
	/* 3, 4 */
	find_shared(s);
	free(s->dlk);
	s->dlk = NULL;
	assign_keys(s);
	/* each node's answer, ready for the second pass (one lookup a row) */
	s->pkey = xmalloc((n ? n : 1) * sizeof *s->pkey);
	mem_hugepages(s->pkey, (n ? n : 1) * sizeof *s->pkey);
	for (uint32_t i = 0; i < n; i++)
		s->pkey[i] = s->nd[i].st.junk ? NULL
		    : s->shared[i]
		    ? shared_mark
		    : strtab_str(s->keys, s->key[find(s, i)], NULL);
	s->resolved = 1;
}

/* The first identifier of a row, or STITCH_NONE. */
static uint32_t
first_node(const uint32_t *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nodes[i] != STITCH_NONE)
			return nodes[i];
	return STITCH_NONE;
}

void
stitch_prefetch_person(const struct stitch *s, const uint32_t *nodes, size_t n)
{
	uint32_t x = first_node(nodes, n);
	if (x != STITCH_NONE)
		__builtin_prefetch(&s->pkey[x]);
}

void
stitch_prefetch_key(const struct stitch *s, const uint32_t *nodes, size_t n)
{
	uint32_t x = first_node(nodes, n);
	if (x != STITCH_NONE && s->pkey[x])
		__builtin_prefetch(s->pkey[x]);
}

const char *
stitch_person(
    struct stitch *s, const uint32_t *nodes, size_t n, int64_t ts, size_t *len)
{
	uint32_t shared = STITCH_NONE;
	for (size_t i = 0; i < n; i++) {
		uint32_t x = nodes[i];
		if (x == STITCH_NONE || s->pkey[x] == NULL)
			continue;
		if (s->pkey[x] == shared_mark) {
			if (shared == STITCH_NONE)
				shared = x;
			continue;
		}
		if (len)
			*len = strlen(s->pkey[x]);
		return s->pkey[x];
	}
	if (shared == STITCH_NONE)
		return NULL;
	const struct cand *c = s->cand + s->cand_off[shared];
	size_t nc = s->cand_n[shared], best = 0;
	int64_t bestd = INT64_MAX;
	for (size_t i = 0; i < nc; i++) {
		int64_t d;
		if (s->c.shared_first)
			d = c[i].first;
		else
			d = ts < c[i].first  ? c[i].first - ts
			    : ts > c[i].last ? ts - c[i].last
					     : 0;
		const char *ki = strtab_str(s->keys, s->key[c[i].root], NULL);
		const char *kb =
		    strtab_str(s->keys, s->key[c[best].root], NULL);
		if (d < bestd ||
		    (d == bestd &&
			(c[i].first < c[best].first ||
			    (c[i].first == c[best].first &&
				strcmp(ki, kb) < 0)))) {
			best = i;
			bestd = d;
		}
	}
	return strtab_str(s->keys, s->key[c[best].root], len);
}

/* ---- reports ---- */

void
stitch_stats(const struct stitch *s, struct stitch_stats *st)
{
	memset(st, 0, sizeof *st);
	st->nodes = s->n;
	st->links = s->nlk;
	st->merges = s->merges;
	st->refused = s->nref;
	st->shared = s->nshared;
	for (size_t i = 0; i < s->n; i++) {
		if (s->nd[i].st.junk) {
			st->junk++;
			st->junk_by[s->nd[i].st.junk]++;
		} else if (s->parent[i] == i) {
			st->persons++;
			if (s->size[i] > st->largest)
				st->largest = s->size[i];
		}
	}
	for (size_t i = 0; i < s->nref; i++)
		if (s->ref[i].type < 16)
			st->refused_by_type[s->ref[i].type]++;
}

size_t
stitch_nnodes(const struct stitch *s)
{
	return s->n;
}

void
stitch_node_info(
    const struct stitch *s, uint32_t node, struct stitch_node_info *out)
{
	size_t n;
	const char *v = strtab_str(s->ids, node, &n);
	out->type = s->nd[node].type;
	out->value = v + 1;
	out->len = n - 1;
	out->junk = stitch_junk(s, node);
	out->person = NULL;
	if (!out->junk && s->resolved)
		out->person = strtab_str(
		    s->keys, s->key[find((struct stitch *)s, node)], NULL);
	const struct seen *st = state(s, node);
	out->first = st->first;
	out->last = st->last;
	out->rows = st->rows;
	out->degree = s->degree ? s->degree[node] : 0;
	out->hub_type = s->hub_type ? s->hub_type[node] : 0;
	out->hub_count = s->hub_count ? s->hub_count[node] : 0;
}

size_t
stitch_nrefused(const struct stitch *s)
{
	return s->nref;
}

const struct stitch_refusal *
stitch_refused(const struct stitch *s, size_t i)
{
	return &s->ref[i];
}

size_t
stitch_nshared(const struct stitch *s)
{
	return s->nshared;
}

void
stitch_shared(
    const struct stitch *s, size_t i, uint32_t *node, uint32_t *persons)
{
	*node = s->shared_nodes[i];
	*persons = s->cand_n[*node];
}

size_t
stitch_naliases(const struct stitch *s)
{
	return s->naliases;
}

void
stitch_alias(
    const struct stitch *s, size_t i, const char **old, const char **cur)
{
	*old = strtab_str(s->keys, s->alias_old[i], NULL);
	*cur = strtab_str(s->keys, s->alias_cur[i], NULL);
}

void
stitch_persons(const struct stitch *s, stitch_person_fn fn, void *ctx)
{
	size_t nt = s->c.ntypes;
	uint32_t *slot = xmalloc((s->n ? s->n : 1) * sizeof *slot);
	size_t nroots = 0;
	for (size_t i = 0; i < s->n; i++)
		slot[i] = !s->nd[i].st.junk && s->parent[i] == i
		    ? (uint32_t)nroots++
		    : STITCH_NONE;
	uint32_t *count = xcalloc((nroots ? nroots : 1) * nt, sizeof *count);
	for (uint32_t i = 0; i < s->n; i++)
		if (!s->nd[i].st.junk)
			count[(size_t)slot[find((struct stitch *)s, i)] * nt +
			    s->nd[i].type]++;
	for (uint32_t i = 0; i < s->n; i++) {
		if (slot[i] == STITCH_NONE)
			continue;
		fn(ctx, strtab_str(s->keys, s->key[i], NULL),
		    count + (size_t)slot[i] * nt, s->size[i]);
	}
	free(count);
	free(slot);
}
