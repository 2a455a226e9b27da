/*
 * extsort: bounded-memory stable sort by (key, time) (extsort.h).
 *
 * In memory a run is a table of the run's distinct keys (ktab) with a
 * count of records per key, and an arena of records.  Sorting ranks the
 * distinct keys bytewise, deals the records into per-key ranges in the
 * order they were added, then sorts each range by time with a stable sort;
 * across runs the merge breaks ties by run, earlier runs first.
 *
 * A run on disk is a spool of blocks of compactly encoded records (see
 * runw_put).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "extsort.h"
#include "radix.h"
#include "spool.h"
#include "strtab.h"
#include "varint.h"
#include "vmem.h"

/*
 * Bytes the budget charges per record besides its payload and key: the
 * record header and the two item arrays of the radix sort.
 */
#define PER_RECORD (16 + 7 + sizeof(struct radix_item))

#define ARENA_MAX ((uint64_t)UINT32_MAX * 8)

/*
 * The records' arena (lib/vmem): the sort deals and reads records in
 * random order, so it is on huge pages; it never moves, where realloc
 * would copy a gigabyte.
 */
struct arena {
	struct vmem v;
	char *data; /* v.data */
	size_t len;
};

/*
 * A memory run: records in the arena, each 8-byte aligned as "i64 time,
 * u32 key id, u32 payload length, payload", so that reading a record in
 * sorted order costs one or two cache lines; a radix item's idx is the
 * record's offset / 8.
 */
struct memrun {
	struct ktab *keys;
	size_t keybytes;
	size_t n;
	struct arena data;
	uint32_t *count; /* while sorting: records, then range, per key id */
	struct radix_item *order; /* the sorted items */
	struct radix_item *items;
	size_t itemcap;
};

/* One input of a merge: the memory run or a run on disk. */
struct cursor {
	struct memrun *m; /* or NULL */
	struct spool *sp;
	size_t pos;     /* in the memory run, or in the block */
	struct buf rec; /* the block being read */
	struct buf key; /* the key of the last record read */
	int64_t ts;     /* its time */
	int ended;
	struct extsort_rec cur;
	uint64_t pfx; /* key_prefix of cur.key: most comparisons end there */
};

struct merge {
	struct cursor *c; /* in the order of the runs: ties go to the first */
	size_t n;
	size_t *heap;
	size_t nheap;
	int started;
};

#define PENDING 256

struct extsort {
	size_t memory;
	struct {
		size_t roff, koff, klen;
		uint32_t hash;
	} pend[PENDING];
	size_t npend;
	struct buf pendkeys;
	char *tmpdir;
	struct memrun m;
	struct spool **runs;
	size_t nruns, runcap, runs_written;
	uint64_t nrec, spilled;
	int sorted, finished;
	int only_memory; /* no run was spilled: no merge */
	size_t opos;     /* then: the next record of the memory run */
	struct buf prevkey;
	int64_t prevts;
	struct merge mg;
};

static int
cmp_key(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return (an > bn) - (an < bn);
}

static int
cmp_rec(const struct extsort_rec *a, const struct extsort_rec *b)
{
	int c = cmp_key(a->key, a->keylen, b->key, b->keylen);
	if (c)
		return c;
	return (a->ts > b->ts) - (a->ts < b->ts);
}

/* ---- the key table ---- */

/*
 * The distinct keys of a memory run.  Unlike a general strtab, a slot
 * holds the key itself when it has at most 16 bytes (person keys do), so a
 * lookup costs one cache miss, not three (slot, entry, string): the keys
 * of a run in random order miss the caches nearly every time.  Slots are at
 * most half full; the bytes of every key are also kept in an append-only
 * arena for ktab_str.
 */
#define KT_INLINE 16
#define KT_BLOCK (1 << 20)

struct kslot {
	uint32_t hash; /* the top half of the key's strtab_hash */
	uint32_t id1;  /* id + 1; 0: empty */
	uint32_t len;
	uint32_t count; /* records with the key */
	char inl[KT_INLINE];
};

struct kent {
	const char *s;
	size_t n;
};

struct ktab {
	struct kslot *slot;
	size_t mask;
	struct kent *ent;
	uint32_t n, cap;
	char **blocks;
	size_t nblocks, used, bsize;
};

static struct ktab *
ktab_new(void)
{
	struct ktab *t = xcalloc(1, sizeof *t);
	t->mask = 1023;
	t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
	return t;
}

static void
ktab_free(struct ktab *t)
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

static uint32_t
ktab_count(const struct ktab *t)
{
	return t->n;
}

/* count[id] = the records with key id, for every id. */
static void
ktab_counts(const struct ktab *t, uint32_t *count)
{
	for (size_t i = 0; i <= t->mask; i++)
		if (t->slot[i].id1)
			count[t->slot[i].id1 - 1] = t->slot[i].count;
}

static const char *
ktab_str(const struct ktab *t, uint32_t id, size_t *n)
{
	*n = t->ent[id].n;
	return t->ent[id].s;
}

static void
ktab_prefetch(const struct ktab *t, uint32_t h)
{
	__builtin_prefetch(&t->slot[h & t->mask]);
}

static size_t
ktab_probe(const struct ktab *t, const char *s, size_t n, uint32_t h)
{
	size_t i = h & t->mask;
	for (;;) {
		const struct kslot *k = &t->slot[i];
		if (!k->id1)
			return i;
		if (k->hash == h && k->len == n &&
		    memcmp(n <= KT_INLINE ? k->inl : t->ent[k->id1 - 1].s, s,
			n) == 0)
			return i;
		i = (i + 1) & t->mask;
	}
}

static void
ktab_grow(struct ktab *t)
{
	size_t size = (t->mask + 1) * 2;
	struct kslot *slot = xcalloc(size, sizeof *slot);
	for (size_t i = 0; i <= t->mask; i++) {
		if (!t->slot[i].id1)
			continue;
		size_t k = t->slot[i].hash & (size - 1);
		while (slot[k].id1)
			k = (k + 1) & (size - 1);
		slot[k] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->mask = size - 1;
	mem_hugepages(slot, size * sizeof *slot);
}

/*
 * The id of s[0..n) with hash h (the top half of strtab_hash), added when
 * new; counts one more record with the key.
 */
static uint32_t
ktab_intern(struct ktab *t, const char *s, size_t n, uint32_t h, int *added)
{
	size_t i = ktab_probe(t, s, n, h);
	*added = 0;
	if (t->slot[i].id1) {
		t->slot[i].count++;
		return t->slot[i].id1 - 1;
	}
	if (n > UINT32_MAX || t->n == UINT32_MAX - 1)
		err_die("too many or too long keys");
	if (t->nblocks == 0 || t->used + n + 1 > t->bsize) {
		size_t size = n + 1 > KT_BLOCK ? n + 1 : KT_BLOCK;
		t->blocks =
		    xreallocarray(t->blocks, t->nblocks + 1, sizeof *t->blocks);
		t->blocks[t->nblocks++] = xmalloc(size);
		t->bsize = size;
		t->used = 0;
	}
	char *p = t->blocks[t->nblocks - 1] + t->used;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	t->used += n + 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->ent = xreallocarray(t->ent, t->cap, sizeof *t->ent);
	}
	uint32_t id = t->n++;
	t->ent[id].s = p;
	t->ent[id].n = n;
	struct kslot *k = &t->slot[i];
	k->hash = h;
	k->id1 = id + 1;
	k->len = (uint32_t)n;
	k->count = 1;
	if (n <= KT_INLINE)
		memcpy(k->inl, s, n);
	*added = 1;
	if ((size_t)t->n * 2 > t->mask + 1)
		ktab_grow(t);
	return id;
}

struct extsort *
extsort_new(size_t memory, const char *tmpdir)
{
	struct extsort *s = xcalloc(1, sizeof *s);
	s->memory = memory;
	s->tmpdir = tmpdir ? xstrdup(tmpdir) : NULL;
	s->m.keys = ktab_new();
	uint64_t reserve = (uint64_t)memory + (64u << 20);
	vmem_init(&s->m.data.v, reserve < ARENA_MAX ? (size_t)reserve
						    : (size_t)ARENA_MAX);
	s->sorted = 1;
	return s;
}

static size_t
mem_used(const struct extsort *s)
{
	const struct memrun *m = &s->m;
	const struct ktab *k = m->keys;
	/* the key table, and per key what ranking the keys takes */
	size_t keys = (k->mask + 1) * sizeof(struct kslot) +
	    k->cap * sizeof(struct kent) + m->keybytes + k->n * 64;
	return m->data.len + m->n * sizeof(struct radix_item) + keys;
}

/* ---- sorting a memory run ---- */

struct keyent {
	const char *s;
	size_t n;
	uint32_t id;
};

static int
cmp_keyent(const void *x, const void *y)
{
	const struct keyent *a = x, *b = y;
	return cmp_key(a->s, a->n, b->s, b->n);
}

/* The first 8 bytes of a key, big-endian, zero-padded: bytewise order. */
static uint64_t
key_prefix(const char *s, size_t n)
{
	unsigned char b[8] = { 0 };
	memcpy(b, s, n < 8 ? n : 8);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/*
 * Sorts the distinct keys bytewise: a radix sort on their first 8 bytes,
 * then a comparison sort of each group sharing them (most groups have one
 * key).
 */
static void
rank_keys(struct keyent *ke, uint32_t nk)
{
	if (nk < 2)
		return;
	struct radix_item *a = xreallocarray(NULL, nk, sizeof *a);
	struct radix_item *t = xreallocarray(NULL, nk, sizeof *t);
	for (uint32_t i = 0; i < nk; i++) {
		a[i].key = key_prefix(ke[i].s, ke[i].n);
		a[i].idx = i;
	}
	struct radix_item *r = radix_sort(a, t, nk);
	struct keyent *sorted = xreallocarray(NULL, nk, sizeof *sorted);
	for (uint32_t i = 0; i < nk; i++)
		sorted[i] = ke[r[i].idx];
	for (uint32_t i = 0; i < nk;) {
		uint32_t j = i + 1;
		while (j < nk && r[j].key == r[i].key)
			j++;
		if (j - i > 1)
			qsort(sorted + i, j - i, sizeof *sorted, cmp_keyent);
		i = j;
	}
	memcpy(ke, sorted, nk * sizeof *ke);
	free(sorted);
	free(a);
	free(t);
}

struct rechead {
	int64_t ts;
	uint32_t keyid, len;
};

static const struct rechead *
rec_at(const struct memrun *m, uint32_t idx)
{
	return (const struct rechead *)(void *)(m->data.data + (size_t)idx * 8);
}

/* Sorts a[0..n) by key (the time), stably. */
static void
sort_times(struct radix_item *a, size_t n, struct radix_item **scratch,
    size_t *scratchcap)
{
	if (n <= 48) {
		for (size_t i = 1; i < n; i++) {
			struct radix_item x = a[i];
			size_t k = i;
			while (k > 0 && a[k - 1].key > x.key) {
				a[k] = a[k - 1];
				k--;
			}
			a[k] = x;
		}
		return;
	}
	if (*scratchcap < n) {
		free(*scratch);
		*scratch = xreallocarray(NULL, n, sizeof **scratch);
		*scratchcap = n;
	}
	struct radix_item *r = radix_sort(a, *scratch, n);
	if (r != a)
		memcpy(a, r, n * sizeof *a);
}

/* Runs fn(a) on a second thread and fn(b) on this one; both on this one
 * when no thread can be had. */
static void
on_two_threads(void *(*fn)(void *), void *a, void *b)
{
	pthread_t tid;
	if (pthread_create(&tid, NULL, fn, a) != 0) {
		fn(a);
		fn(b);
		return;
	}
	fn(b);
	pthread_join(tid, NULL);
}

/* Deals n records from the one at byte off to their keys' ranges. */
struct deal {
	const struct memrun *m;
	size_t off, n;
	uint32_t *pos; /* per key id: where its next record goes */
};

static void *
deal_records(void *arg)
{
	struct deal *d = arg;
	struct radix_item *items = d->m->items;
	size_t off = d->off;
	for (size_t i = 0; i < d->n; i++) {
		const struct rechead *h = rec_at(d->m, (uint32_t)(off / 8));
		struct radix_item *it = &items[d->pos[h->keyid]++];
		it->key = (uint64_t)h->ts ^ (1ULL << 63);
		it->idx = (uint32_t)(off / 8);
		off += (sizeof *h + h->len + 7) & ~(size_t)7;
	}
	return NULL;
}

/* Sorts by time the ranges of ranks [r0, r1), the first starting at from. */
struct times {
	struct radix_item *items;
	const struct keyent *ke;
	const uint32_t *end; /* per key id: the end of its range */
	uint32_t r0, r1;
	size_t from;
};

static void *
sort_ranges(void *arg)
{
	struct times *t = arg;
	struct radix_item *scratch = NULL;
	size_t scratchcap = 0, from = t->from;
	for (uint32_t r = t->r0; r < t->r1; r++) {
		size_t to = t->end[t->ke[r].id];
		sort_times(t->items + from, to - from, &scratch, &scratchcap);
		from = to;
	}
	free(scratch);
	return NULL;
}

/*
 * A bucket sort by key, then a sort by time inside each key: the keys are
 * ranked bytewise (only the distinct keys are compared), each key's
 * records get a range of the item array in rank order, the records are
 * dealt to their ranges in the order they were added, and each range is
 * sorted by time, stably.  Two passes over the records, whatever the key.
 * A big run is dealt by two threads, the first half of the records in
 * front of the second in each range (so the deal stays stable), and its
 * ranges are sorted by two, half the keys each.
 */
static void
memrun_sort(struct memrun *m, int in_order)
{
	if (m->itemcap < m->n) {
		free(m->items);
		m->itemcap = m->n;
		m->items = xreallocarray(NULL, m->n, sizeof *m->items);
	}
	m->order = m->items;
	size_t off = 0;
	if (in_order || m->n < 2) {
		for (size_t i = 0; i < m->n; i++) {
			const struct rechead *h =
			    rec_at(m, (uint32_t)(off / 8));
			m->items[i].idx = (uint32_t)(off / 8);
			off += (sizeof *h + h->len + 7) & ~(size_t)7;
		}
		return;
	}
	uint32_t nk = ktab_count(m->keys);
	struct keyent *ke = xreallocarray(NULL, nk, sizeof *ke);
	for (uint32_t i = 0; i < nk; i++) {
		ke[i].s = ktab_str(m->keys, i, &ke[i].n);
		ke[i].id = i;
	}
	rank_keys(ke, nk);
	free(m->count);
	m->count = xreallocarray(NULL, nk ? nk : 1, sizeof *m->count);
	ktab_counts(m->keys, m->count);
	/* the first half's records per key, and where the second half
	 * starts */
	int two = m->n >= 65536;
	size_t half = two ? m->n / 2 : m->n, off2 = 0;
	uint32_t *pos2 = xcalloc(nk ? nk : 1, sizeof *pos2);
	if (two)
		for (size_t i = 0; i < half; i++) {
			const struct rechead *h =
			    rec_at(m, (uint32_t)(off2 / 8));
			pos2[h->keyid]++;
			off2 += (sizeof *h + h->len + 7) & ~(size_t)7;
		}
	/* count[id] becomes where the key's range starts (the first half's
	 * next record), pos2[id] where its second half starts */
	size_t acc = 0;
	for (uint32_t r = 0; r < nk; r++) {
		uint32_t id = ke[r].id, c = m->count[id];
		m->count[id] = (uint32_t)acc;
		pos2[id] += (uint32_t)acc;
		acc += c;
	}
	struct deal d[2] = { { m, 0, half, m->count },
		{ m, off2, m->n - half, pos2 } };
	if (two)
		on_two_threads(deal_records, &d[0], &d[1]);
	else
		deal_records(&d[0]);
	/* now pos2[id] (two) or count[id] is the end of the key's range */
	const uint32_t *end = two ? pos2 : m->count;
	uint32_t mid = two ? nk / 2 : nk;
	size_t from_mid = mid ? end[ke[mid - 1].id] : 0;
	struct times t[2] = { { m->items, ke, end, 0, mid, 0 },
		{ m->items, ke, end, mid, nk, from_mid } };
	if (two)
		on_two_threads(sort_ranges, &t[0], &t[1]);
	else
		sort_ranges(&t[0]);
	free(pos2);
	free(ke);
}

static void
arena_reserve(struct arena *a, size_t need)
{
	vmem_need(&a->v, a->len, a->len + need);
	a->data = a->v.data;
}

static void
arena_free(struct arena *a)
{
	vmem_free(&a->v);
	a->data = NULL;
	a->len = 0;
}

static void
memrun_get(const struct memrun *m, size_t pos, struct extsort_rec *r)
{
	if (pos + 32 < m->n)
		__builtin_prefetch(rec_at(m, m->order[pos + 32].idx));
	const struct rechead *h = rec_at(m, m->order[pos].idx);
	r->key = ktab_str(m->keys, h->keyid, &r->keylen);
	r->ts = h->ts;
	r->data = h + 1;
	r->len = h->len;
}

static void
memrun_reset(struct memrun *m)
{
	ktab_free(m->keys);
	m->keys = ktab_new();
	m->keybytes = 0;
	m->n = 0;
	m->data.len = 0;
}

/* ---- runs on disk ---- */

/*
 * A run on disk is written in blocks "u32 length, bytes" ended by a zero
 * length.  A block holds whole records, each "varint (payload length << 1
 * | new key)", then for a new key "varint key length, key", then the time
 * as a zigzag varint difference from the record before (from 0 at a new
 * key), then the payload.  Sorted records repeat keys and close times, so
 * this is a fraction of the bytes to compress.
 */
#define BLOCK_BYTES (64 * 1024)

struct runw {
	struct spool *sp;
	struct buf block, key;
	int64_t ts;
	int have;
};

static void
put_varint(struct buf *b, uint64_t v)
{
	unsigned char t[VARINT_MAX];
	buf_add(b, t, varint_put(t, v));
}

static void
runw_flush(struct runw *w)
{
	uint32_t n = (uint32_t)w->block.len;
	if (!n)
		return;
	spool_write(w->sp, &n, sizeof n);
	spool_write(w->sp, w->block.data, n);
	buf_clear(&w->block);
}

static void
runw_put(struct runw *w, const struct extsort_rec *r)
{
	int same = w->have && r->keylen == w->key.len &&
	    memcmp(r->key, w->key.data, r->keylen) == 0;
	put_varint(&w->block, (uint64_t)r->len << 1 | (uint64_t)!same);
	if (!same) {
		put_varint(&w->block, r->keylen);
		buf_add(&w->block, r->key, r->keylen);
		buf_clear(&w->key);
		buf_add(&w->key, r->key, r->keylen);
	}
	uint64_t d = (uint64_t)r->ts - (uint64_t)(same ? w->ts : 0);
	put_varint(&w->block, zigzag((int64_t)d));
	buf_add(&w->block, r->data, r->len);
	w->ts = r->ts;
	w->have = 1;
	if (w->block.len >= BLOCK_BYTES)
		runw_flush(w);
}

/* Ends the run and rewinds it for reading; frees the writer's buffers. */
static void
runw_end(struct runw *w)
{
	runw_flush(w);
	uint32_t zero = 0;
	spool_write(w->sp, &zero, sizeof zero);
	spool_rewind(w->sp);
	buf_free(&w->block);
	buf_free(&w->key);
}

static void
add_run(struct extsort *s, struct spool *sp)
{
	if (s->nruns == s->runcap) {
		s->runcap = s->runcap ? 2 * s->runcap : 8;
		s->runs = xreallocarray(s->runs, s->runcap, sizeof *s->runs);
	}
	s->runs[s->nruns++] = sp;
	s->runs_written++;
}

static void flush_pending(struct extsort *s);

static void
spill(struct extsort *s)
{
	struct memrun *m = &s->m;
	flush_pending(s);
	memrun_sort(m, s->sorted);
	struct runw w = { spool_open(s->tmpdir, 0, 2), { 0 }, { 0 }, 0, 0 };
	struct extsort_rec r;
	for (size_t p = 0; p < m->n; p++) {
		memrun_get(m, p, &r);
		runw_put(&w, &r);
	}
	runw_end(&w);
	s->spilled += spool_size(w.sp);
	add_run(s, w.sp);
	memrun_reset(m);
	/* the items are counted per record: not kept while the arena refills */
	free(m->items);
	m->items = NULL;
	m->itemcap = 0;
	free(m->count);
	m->count = NULL;
}

/*
 * Key ids are looked up a batch at a time: the hashes of the batch's keys
 * are computed, then each slot is prefetched 16 lookups ahead of its own,
 * so the cache misses of a big key table overlap instead of stalling one
 * by one.  Records are in the arena already; only their key id waits for
 * the batch.
 */
static void
flush_pending(struct extsort *s)
{
	struct memrun *m = &s->m;
	size_t n = s->npend;
	for (size_t i = 0; i < n; i++)
		s->pend[i].hash =
		    (uint32_t)(strtab_hash(s->pendkeys.data + s->pend[i].koff,
				   s->pend[i].klen) >>
			32);
	/* a few lookups ahead: enough misses in flight, not too many */
	for (size_t i = 0; i < n && i < 16; i++)
		ktab_prefetch(m->keys, s->pend[i].hash);
	for (size_t i = 0; i < n; i++) {
		if (i + 16 < n)
			ktab_prefetch(m->keys, s->pend[i + 16].hash);
		int added;
		struct rechead *h =
		    (struct rechead *)(void *)(m->data.data + s->pend[i].roff);
		h->keyid =
		    ktab_intern(m->keys, s->pendkeys.data + s->pend[i].koff,
			s->pend[i].klen, s->pend[i].hash, &added);
		if (added)
			m->keybytes += s->pend[i].klen + 1;
	}
	s->npend = 0;
	buf_clear(&s->pendkeys);
}

void
extsort_add(struct extsort *s, const char *key, size_t keylen, int64_t ts,
    const void *data, size_t len)
{
	struct memrun *m = &s->m;
	size_t need = (16 + len + 7) & ~(size_t)7;
	if (m->n &&
	    (mem_used(s) + need + keylen + PER_RECORD > s->memory ||
		m->data.len + need >= ARENA_MAX || m->n == UINT32_MAX))
		spill(s);
	if (s->sorted) {
		/* still in order? (once not, nothing to follow) */
		int c = s->nrec
		    ? cmp_key(key, keylen, s->prevkey.data, s->prevkey.len)
		    : 1;
		if (c < 0 || (c == 0 && ts < s->prevts))
			s->sorted = 0;
		else if (c > 0) {
			buf_clear(&s->prevkey);
			buf_add(&s->prevkey, key, keylen);
		}
		s->prevts = ts;
	}
	struct rechead h;
	h.ts = ts;
	h.keyid = 0;
	h.len = (uint32_t)len;
	arena_reserve(&m->data, need);
	char *p = m->data.data + m->data.len;
	memcpy(p, &h, sizeof h);
	if (len)
		memcpy(p + sizeof h, data, len);
	memset(p + sizeof h + len, 0, need - sizeof h - len);
	s->pend[s->npend].roff = m->data.len;
	s->pend[s->npend].koff = s->pendkeys.len;
	s->pend[s->npend].klen = keylen;
	s->npend++;
	buf_add(&s->pendkeys, key, keylen);
	m->data.len += need;
	m->n++;
	s->nrec++;
	if (s->npend == PENDING)
		flush_pending(s);
}

/* ---- merging ---- */

static uint64_t
get_varint(struct cursor *c)
{
	const unsigned char *p = (const unsigned char *)c->rec.data + c->pos,
			    *end = (const unsigned char *)c->rec.data +
	    c->rec.len;
	uint64_t v;
	if (!varint_get(&p, end, &v))
		err_die("internal error: damaged sort run");
	c->pos = (size_t)(p - (const unsigned char *)c->rec.data);
	return v;
}

/* Loads the cursor's next record: 1, or 0 at its end. */
static int
cursor_next(struct cursor *c)
{
	if (c->m) {
		if (c->pos == c->m->n)
			return 0;
		memrun_get(c->m, c->pos++, &c->cur);
		c->pfx = key_prefix(c->cur.key, c->cur.keylen);
		return 1;
	}
	if (c->pos == c->rec.len) {
		uint32_t n;
		if (c->ended || !spool_read(c->sp, &n, sizeof n) || n == 0) {
			c->ended = 1;
			return 0;
		}
		buf_clear(&c->rec);
		buf_reserve(&c->rec, n);
		if (!spool_read(c->sp, c->rec.data, n))
			err_die("internal error: truncated sort run");
		c->rec.len = n;
		c->pos = 0;
	}
	uint64_t h = get_varint(c);
	if (h & 1) {
		uint64_t kl = get_varint(c);
		if (kl > c->rec.len - c->pos)
			err_die("internal error: damaged sort run");
		buf_clear(&c->key);
		buf_add(&c->key, c->rec.data + c->pos, (size_t)kl);
		c->pos += (size_t)kl;
		c->ts = 0;
		c->pfx = key_prefix(c->key.data, c->key.len);
	}
	uint64_t z = get_varint(c);
	c->ts = (int64_t)((uint64_t)c->ts + (uint64_t)unzigzag(z));
	size_t len = (size_t)(h >> 1);
	if (len > c->rec.len - c->pos)
		err_die("internal error: damaged sort run");
	c->cur.key = c->key.data;
	c->cur.keylen = c->key.len;
	c->cur.ts = c->ts;
	c->cur.data = c->rec.data + c->pos;
	c->cur.len = len;
	c->pos += len;
	return 1;
}

static int
heap_less(const struct merge *g, size_t a, size_t b)
{
	if (g->c[a].pfx != g->c[b].pfx)
		return g->c[a].pfx < g->c[b].pfx;
	int c = cmp_rec(&g->c[a].cur, &g->c[b].cur);
	return c < 0 || (c == 0 && a < b);
}

static void
heap_down(struct merge *g, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, best = i;
		if (l < g->nheap && heap_less(g, g->heap[l], g->heap[best]))
			best = l;
		if (r < g->nheap && heap_less(g, g->heap[r], g->heap[best]))
			best = r;
		if (best == i)
			return;
		size_t t = g->heap[i];
		g->heap[i] = g->heap[best];
		g->heap[best] = t;
		i = best;
	}
}

static void
merge_start(struct merge *g)
{
	g->heap = xreallocarray(NULL, g->n ? g->n : 1, sizeof *g->heap);
	g->nheap = 0;
	for (size_t i = 0; i < g->n; i++)
		if (cursor_next(&g->c[i]))
			g->heap[g->nheap++] = i;
	for (size_t i = g->nheap; i-- > 0;)
		heap_down(g, i);
	g->started = 0;
}

/*
 * The next record of the merge.  The record of the top cursor stays valid
 * until the following call, which only then advances that cursor.
 */
static int
merge_next(struct merge *g, struct extsort_rec *r)
{
	if (g->started && g->nheap) {
		size_t top = g->heap[0];
		if (cursor_next(&g->c[top]))
			heap_down(g, 0);
		else {
			g->heap[0] = g->heap[--g->nheap];
			heap_down(g, 0);
		}
	}
	g->started = 1;
	if (!g->nheap)
		return 0;
	*r = g->c[g->heap[0]].cur;
	return 1;
}

static void
merge_free(struct merge *g)
{
	for (size_t i = 0; i < g->n; i++) {
		spool_close(g->c[i].sp);
		buf_free(&g->c[i].rec);
		buf_free(&g->c[i].key);
	}
	free(g->c);
	free(g->heap);
	memset(g, 0, sizeof *g);
}

/* Cursors over runs[from..to) and, with mem, the memory run. */
static void
merge_over(struct extsort *s, struct merge *g, size_t from, size_t to, int mem)
{
	memset(g, 0, sizeof *g);
	g->c = xcalloc(to - from + 1, sizeof *g->c);
	for (size_t i = from; i < to; i++)
		g->c[g->n++].sp = s->runs[i];
	if (mem)
		g->c[g->n++].m = &s->m;
	merge_start(g);
}

void
extsort_finish(struct extsort *s)
{
	s->finished = 1;
	flush_pending(s);
	/* too many runs for one merge: merge them in groups first */
	while (s->nruns > EXTSORT_FANIN) {
		struct spool **old = s->runs;
		size_t nold = s->nruns;
		s->runs = NULL;
		s->nruns = s->runcap = 0;
		for (size_t i = 0; i < nold; i += EXTSORT_FANIN) {
			size_t to =
			    i + EXTSORT_FANIN < nold ? i + EXTSORT_FANIN : nold;
			struct spool **keep = s->runs;
			s->runs = old;
			struct merge g;
			merge_over(s, &g, i, to, 0);
			s->runs = keep;
			struct runw w = { spool_open(s->tmpdir, 0, 2), { 0 },
				{ 0 }, 0, 0 };
			struct extsort_rec r;
			while (merge_next(&g, &r))
				runw_put(&w, &r);
			runw_end(&w);
			s->spilled += spool_size(w.sp);
			merge_free(&g);
			add_run(s, w.sp);
		}
		free(old);
	}
	memrun_sort(&s->m, s->sorted);
	s->only_memory = s->nruns == 0;
	if (!s->only_memory)
		merge_over(s, &s->mg, 0, s->nruns, 1);
	s->nruns = 0; /* the merge owns them now */
}

int
extsort_next(struct extsort *s, struct extsort_rec *r)
{
	if (!s->finished)
		err_die("internal error: extsort_next before extsort_finish");
	if (s->only_memory) {
		if (s->opos == s->m.n)
			return 0;
		memrun_get(&s->m, s->opos++, r);
		return 1;
	}
	return merge_next(&s->mg, r);
}

size_t
extsort_runs(const struct extsort *s)
{
	return s->runs_written;
}

int
extsort_was_sorted(const struct extsort *s)
{
	return s->sorted;
}

uint64_t
extsort_spilled(const struct extsort *s)
{
	return s->spilled;
}

void
extsort_free(struct extsort *s)
{
	if (!s)
		return;
	merge_free(&s->mg);
	for (size_t i = 0; i < s->nruns; i++)
		spool_close(s->runs[i]);
	free(s->runs);
	struct memrun *m = &s->m;
	ktab_free(m->keys);
	free(m->items);
	free(m->count);
	arena_free(&m->data);
	buf_free(&s->prevkey);
	buf_free(&s->pendkeys);
	free(s->tmpdir);
	free(s);
}
