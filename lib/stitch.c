/*
 * stitch: the identity graph of jt-stitch (stitch.h): its nodes,
 * resolving it into persons, and the answers.  Rows come in through
 * stitch_rows.c.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "radix.h"
#include "stitch.h"
#include "stitch_impl.h"
#include "strtab.h"
#include "vmem.h"

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
	s->ids = strtab_new_payload(1); /* the junk mark */
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

/* The junk mark in the node's record of ids (strtab's payload). */
static uint8_t *
junk_rec(const struct stitch *s, uint32_t node)
{
	return strtab_payload(s->ids, node);
}

/* The node's junk mark in use: in its record, or nd[] once settled. */
static uint8_t *
junk_at(const struct stitch *s, uint32_t node)
{
	return s->settled ? &s->nd[node].st.junk : junk_rec(s, node);
}

/* Brings the nodes' junk marks, times and rows into nd[], for resolving. */
static void
settle(struct stitch *s)
{
	if (s->settled)
		return;
	for (uint32_t i = 0; i < s->n; i++)
		s->nd[i].st.junk = *junk_rec(s, i);
	s->settled = 1;
	stitch_fold_combos(s);
}

void
stitch_node_new(struct stitch *s, uint32_t id, uint8_t type, uint8_t *junk)
{
	if (s->settled)
		err_die("internal error: a node added after resolving");
	if (id >= s->cap)
		grow_nodes(s);
	s->n = (size_t)id + 1;
	struct nrec *r = &s->nd[id];
	r->type = type;
	r->prior = NO_KEY;
	r->st.first = INT64_MAX;
	r->st.last = INT64_MIN;
	r->st.rows = 0;
	r->st.junk = JUNK_NO;
	*junk = JUNK_NO;
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
		stitch_node_new(s, id, (uint8_t)t, p);
	if (added_out)
		*added_out = added;
	return id;
}

void
stitch_mark_junk(struct stitch *s, uint32_t node, enum stitch_junk why)
{
	*junk_at(s, node) = (uint8_t)why;
}

enum stitch_junk
stitch_junk(const struct stitch *s, uint32_t node)
{
	return (enum stitch_junk)*junk_at(s, node);
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
	struct seen *st = &s->nd[node].st;
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
 * Merges the persons of a and b unless one is junk or they are one
 * already; when l (their link) is given, a merge over a limit is refused.
 */
static void
merge_ends(struct stitch *s, uint32_t a, uint32_t b, const struct link *l)
{
	if (s->nd[a].st.junk || s->nd[b].st.junk)
		return;
	uint32_t ra = find(s, a), rb = find(s, b);
	if (ra == rb)
		return;
	long t = l ? over_limit(s, ra, rb) : -1;
	if (t >= 0)
		refuse(s, l, t);
	else
		unite(s, ra, rb);
}

/*
 * Before merging along a link: the node records of the ends of a link
 * twice LINK_AHEAD further on (far), the parents of the ends of one
 * LINK_AHEAD on (near).
 */
static void
prefetch_merge(const struct stitch *s, uint32_t far_a, uint32_t far_b,
    uint32_t near_a, uint32_t near_b)
{
	__builtin_prefetch(&s->nd[far_a]);
	__builtin_prefetch(&s->nd[far_b]);
	__builtin_prefetch(&s->parent[near_a]);
	__builtin_prefetch(&s->parent[near_b]);
}

/* Merges the ends of every link, in the order made, unchecked. */
static void
merge_all(struct stitch *s)
{
	const struct pair *v = s->lk;
	size_t n = s->nlk;
	for (size_t i = 0; i < n; i++) {
		if (i + 2 * LINK_AHEAD < n)
			prefetch_merge(s, v[i + 2 * LINK_AHEAD].a,
			    v[i + 2 * LINK_AHEAD].b, v[i + LINK_AHEAD].a,
			    v[i + LINK_AHEAD].b);
		merge_ends(s, v[i].a, v[i].b, NULL);
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
		if (i + 2 * LINK_AHEAD < n)
			prefetch_merge(s, v[i + 2 * LINK_AHEAD].a,
			    v[i + 2 * LINK_AHEAD].b, v[i + LINK_AHEAD].a,
			    v[i + LINK_AHEAD].b);
		merge_ends(s, v[i].a, v[i].b, &v[i]);
	}
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
	s->dlk = stitch_links_of(s, redo, &s->ndlk);
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
	s->cblen = s->cbcap = 0;
	free(s->cslot);
	s->cslot = NULL;
	s->ncslots = 0;
	vmem_free(&s->lkv);
	s->lk = NULL;
	s->lkcap = 0;
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
	const struct seen *st = &s->nd[node].st;
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
