/*
 * stitch_rows: rows coming into the identity graph (stitch.h): the keys of
 * values, the combinations of values that rows carry, and the links
 * between values.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "memeq.h"
#include "radix.h"
#include "stitch.h"
#include "stitch_impl.h"
#include "strtab.h"
#include "vmem.h"

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
		if (i == n && memeq(combo_keys(c), keys, bytes))
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
void
stitch_fold_combos(struct stitch *s)
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

/*
 * The combination of the n values (as combo_find has them) seen at ts on
 * row seq: one more row for it, or a new one (combo_add) of nodes node[].
 */
static void
combo_put(struct stitch *s, uint64_t x, size_t n, const size_t *klen,
    const char *keys, size_t bytes, const uint32_t *node, const uint8_t *junk,
    int64_t ts, uint32_t seq, size_t *np)
{
	size_t h;
	struct combo *c = combo_find(s, x, n, klen, keys, bytes, &h);
	if (c)
		combo_seen(c, ts, seq);
	else
		combo_add(s, h, x, n, klen, keys, bytes, node, junk, ts, seq, np);
}

/* The bytes of n keys that lie one after another from key[0]. */
static size_t
keys_bytes(const char *const *key, const size_t *klen, size_t n)
{
	return (size_t)(key[n - 1] - key[0]) + klen[n - 1];
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
		struct combo *c = combo_find(s, rh[r], n, klen + f, key[f],
		    keys_bytes(key + f, klen + f, n), &h);
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
		uint8_t *jk = s->bpay[y]; /* the junk mark in the record */
		if (s->badd[y]) {
			stitch_node_new(s, s->bid[y], s->btype[y], jk);
			if (classify)
				*jk = (uint8_t)classify(
				    ctx, key[j] + 1, klen[j] - 1);
		}
		out[j] = s->bid[y];
		junk[j] = *jk;
	}
	/* their combinations, in order (a later row may repeat an earlier),
	 * and the new ones' links */
	size_t np = 0;
	for (size_t m = 0; m < nm; m++) {
		size_t r = s->bmiss[m], f = first[r], n = first[r + 1] - f;
		combo_put(s, rh[r], n, klen + f, key[f],
		    keys_bytes(key + f, klen + f, n), out + f, junk + f, ts[r],
		    seq32(seq[r]), &np);
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
		if (n > 0)
			combo_put(s, combo_mix(h, n), n, klen, keys.data,
			    keys.len, node, junk, ts[r], seq32(seq[r]), &np);
	}
	buf_free(&keys);
	add_pairs(s, np);
}

/*
 * The links between nodes marked in redo, with their times and rows from
 * the combinations that hold them (the earliest first seen of them, and
 * so on), each once; *nout gets their count.
 */
struct link *
stitch_links_of(struct stitch *s, const uint8_t *redo, size_t *nout)
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

