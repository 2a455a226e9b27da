/*
 * Unit tests of lib/stitch.c (the identity graph: merges in time order,
 * limits, hubs, shared identifiers, keys and aliases) and lib/spool.c.
 */
#include "unit.h"
#include "spool.h"
#include "stitch.h"

enum { T_USER, T_EMAIL, T_COOKIE, NT };
static const char *const types[NT] = { "id_user", "id_email", "id_cookie" };
static const int anon[NT] = { 0, 0, 1 };

static struct stitch *
graph(long user_limit, long max_degree, int first)
{
	static long limit[NT];
	limit[T_USER] = user_limit;
	limit[T_EMAIL] = 0;
	limit[T_COOKIE] = 0;
	struct stitch_conf c = { NT, types, anon, limit, max_degree, 0, first };
	return stitch_new(&c);
}

/* One row: user, email, cookie (NULL for none) at time t. */
static void
row(struct stitch *s, const char *u, const char *e, const char *c, int64_t t,
    uint64_t seq, uint32_t out[NT])
{
	const char *v[NT] = { u, e, c };
	for (int i = 0; i < NT; i++)
		out[i] = v[i]
		    ? stitch_node(s, (size_t)i, v[i], strlen(v[i]), NULL)
		    : STITCH_NONE;
	stitch_row(s, out, NT, t, seq);
}

static const char *
person(struct stitch *s, const char *u, const char *e, const char *c, int64_t t)
{
	uint32_t n[NT];
	const char *v[NT] = { u, e, c };
	for (int i = 0; i < NT; i++)
		n[i] = v[i] ? stitch_node(s, (size_t)i, v[i], strlen(v[i]), NULL)
			    : STITCH_NONE;
	return stitch_person(s, n, NT, t, NULL);
}

static void
test_merge_and_keys(void **state)
{
	(void)state;
	uint32_t n[NT];
	char k1[32], k2[32];
	/* the same rows in two orders give the same keys */
	for (int order = 0; order < 2; order++) {
		struct stitch *s = graph(1, 50, 0);
		if (order == 0) {
			row(s, NULL, NULL, "c1", 100, 0, n);
			row(s, "u1", NULL, "c1", 200, 1, n);
			row(s, "u1", "a@x", NULL, 300, 2, n);
		} else {
			row(s, "u1", "a@x", NULL, 300, 0, n);
			row(s, "u1", NULL, "c1", 200, 1, n);
			row(s, NULL, NULL, "c1", 100, 2, n);
		}
		stitch_resolve(s);
		const char *p = person(s, NULL, NULL, "c1", 100);
		assert_non_null(p);
		assert_string_equal(p, person(s, NULL, "a@x", NULL, 0));
		assert_int_equal(strlen(p), 17);
		assert_true(p[0] == 'p');
		strcpy(order ? k2 : k1, p);
		struct stitch_stats st;
		stitch_stats(s, &st);
		assert_int_equal(st.persons, 1);
		assert_int_equal(st.merges, 2);
		stitch_free(s);
	}
	assert_string_equal(k1, k2);
}

static void
test_limit_and_shared(void **state)
{
	(void)state;
	uint32_t n[NT];
	struct stitch *s = graph(1, 50, 0);
	row(s, "u1", NULL, "c1", 1000, 0, n);
	row(s, "u2", NULL, "c1", 5000, 1, n);
	row(s, "u2", NULL, "c1", 6000, 2, n);
	row(s, NULL, NULL, "c1", 2000, 3, n);
	stitch_resolve(s);
	const char *p1 = person(s, "u1", NULL, NULL, 0);
	const char *p2 = person(s, "u2", NULL, NULL, 0);
	assert_string_not_equal(p1, p2);
	assert_int_equal(stitch_nrefused(s), 1);
	const struct stitch_refusal *r = stitch_refused(s, 0);
	assert_int_equal(r->type, T_USER);
	assert_int_equal(r->rows, 2);
	struct stitch_node_info in;
	stitch_node_info(s, r->node, &in);
	assert_int_equal(in.type, T_COOKIE); /* the lower-priority side */
	assert_int_equal(stitch_nshared(s), 1);
	/* anonymous events: the interval containing them, else the nearest */
	assert_string_equal(person(s, NULL, NULL, "c1", 1000), p1);
	assert_string_equal(person(s, NULL, NULL, "c1", 2900), p1);
	assert_string_equal(person(s, NULL, NULL, "c1", 3100), p2);
	assert_string_equal(person(s, NULL, NULL, "c1", 5500), p2);
	assert_string_equal(person(s, NULL, NULL, "c1", 99999), p2);
	/* an event with the account belongs to the account */
	assert_string_equal(person(s, "u2", NULL, "c1", 1000), p2);
	stitch_free(s);

	s = graph(1, 50, 1); /* --shared first */
	row(s, "u1", NULL, "c1", 1000, 0, n);
	row(s, "u2", NULL, "c1", 5000, 1, n);
	stitch_resolve(s);
	p1 = person(s, "u1", NULL, NULL, 0);
	assert_string_equal(person(s, NULL, NULL, "c1", 99999), p1);
	stitch_free(s);

	s = graph(0, 50, 0); /* no limit: one person */
	row(s, "u1", NULL, "c1", 1000, 0, n);
	row(s, "u2", NULL, "c1", 5000, 1, n);
	stitch_resolve(s);
	assert_string_equal(
	    person(s, "u1", NULL, NULL, 0), person(s, "u2", NULL, NULL, 0));
	assert_int_equal(stitch_nshared(s), 0);
	stitch_free(s);
}

static void
test_hub_and_junk(void **state)
{
	(void)state;
	uint32_t n[NT];
	struct stitch *s = graph(1, 3, 0);
	char e[16];
	for (int i = 0; i < 4; i++) {
		snprintf(e, sizeof e, "p%d@x", i);
		row(s, NULL, e, "kiosk", 1000 + i, (uint64_t)i, n);
	}
	/* a junk value marked by the caller links nobody */
	int added;
	uint32_t j = stitch_node(s, T_EMAIL, "test@test.com", 13, &added);
	assert_int_equal(added, 1);
	stitch_mark_junk(s, j, JUNK_LIST);
	uint32_t r[NT] = { STITCH_NONE, j,
		stitch_node(s, T_COOKIE, "c9", 2, NULL) };
	stitch_row(s, r, NT, 10, 9);
	stitch_resolve(s);
	assert_string_not_equal(
	    person(s, NULL, "p0@x", NULL, 0), person(s, NULL, "p1@x", NULL, 0));
	assert_null(person(s, NULL, NULL, "kiosk", 0));
	assert_null(person(s, NULL, "test@test.com", NULL, 0));
	struct stitch_stats st;
	stitch_stats(s, &st);
	assert_int_equal(st.junk_by[JUNK_MAX_DEGREE], 1);
	assert_int_equal(st.junk_by[JUNK_LIST], 1);
	stitch_free(s);
}

static void
test_per_type_hub(void **state)
{
	(void)state;
	static const long limit[NT] = { 1, 0, 0 };
	struct stitch_conf c = { NT, types, anon, limit, 0, 10, 0 };
	struct stitch *s = stitch_new(&c);
	uint32_t n[NT];
	char v[32];
	/* a user with 30 cookies is a person; an address on 12 accounts'
	 * rows, each with its own e-mail... is a placeholder */
	for (int i = 0; i < 30; i++) {
		snprintf(v, sizeof v, "c%d", i);
		row(s, "u1", NULL, v, 100 + i, (uint64_t)i, n);
	}
	for (int i = 0; i < 12; i++) {
		snprintf(v, sizeof v, "v%d", i);
		row(s, v, "shop@x", NULL, 1000 + i, (uint64_t)(100 + i), n);
	}
	stitch_resolve(s);
	assert_non_null(person(s, "u1", NULL, NULL, 0));
	assert_string_equal(
	    person(s, "u1", NULL, NULL, 0), person(s, NULL, NULL, "c29", 0));
	assert_null(person(s, NULL, "shop@x", NULL, 0));
	struct stitch_stats st;
	stitch_stats(s, &st);
	assert_int_equal(st.junk_by[JUNK_PER_TYPE], 1);
	uint32_t node = stitch_node(s, T_EMAIL, "shop@x", 6, NULL);
	struct stitch_node_info in;
	stitch_node_info(s, node, &in);
	assert_int_equal(in.hub_type, T_USER);
	assert_int_equal(in.hub_count, 12);
	stitch_free(s);
}

static void
test_prior_keys(void **state)
{
	(void)state;
	uint32_t n[NT];
	struct stitch *s = graph(1, 50, 0);
	/* yesterday: two persons; today a row joins them */
	uint32_t a = stitch_node(s, T_EMAIL, "a@x", 3, NULL);
	uint32_t b = stitch_node(s, T_EMAIL, "b@x", 3, NULL);
	stitch_prior(s, a, "pold", 100, 200);
	stitch_prior(s, b, "pnew", 500, 600);
	stitch_prior_alias(s, "pancient", "pnew");
	row(s, NULL, "a@x", "c1", 1000, 0, n);
	row(s, NULL, "b@x", "c1", 1100, 1, n);
	stitch_resolve(s);
	assert_string_equal(person(s, NULL, "b@x", NULL, 0), "pold");
	assert_int_equal(stitch_naliases(s), 2);
	const char *old, *cur;
	int found = 0;
	for (size_t i = 0; i < stitch_naliases(s); i++) {
		stitch_alias(s, i, &old, &cur);
		assert_string_equal(
		    cur, "pold"); /* chains end at the survivor */
		found +=
		    strcmp(old, "pnew") == 0 || strcmp(old, "pancient") == 0;
	}
	assert_int_equal(found, 2);
	stitch_free(s);
}

static void
test_spool(void **state)
{
	(void)state;
	for (int mode = 0; mode < 3; mode++) {
		/* in memory; spilled plain; spilled compressed */
		struct spool *sp =
		    spool_open(NULL, mode ? 100 : 1 << 20, mode == 2);
		for (uint32_t i = 0; i < 5000; i++)
			spool_write(sp, &i, sizeof i);
		assert_int_equal(spool_on_disk(sp), mode != 0);
		assert_int_equal(spool_size(sp), 20000);
		spool_rewind(sp);
		uint32_t v, expect = 0;
		while (spool_read(sp, &v, sizeof v))
			assert_int_equal(v, expect++);
		assert_int_equal(expect, 5000);
		spool_close(sp);
	}
}

/*
 * Rows whose junk values the caller has left out make the persons, junk
 * and refusals that rows carrying them, marked junk, make.
 */
static void
test_links(void **state)
{
	(void)state;
	static const char *const rows[][NT] = {
		{ "u1", "a@x", "c1" },
		{ "u2", "junk@x", "c1" }, /* the address is junk */
		{ NULL, "junk@x", "c2" },
		{ "u2", NULL, "c2" },
		{ "u3", "a@x", NULL }, /* refused: u1 has a@x */
		{ NULL, NULL, "c3" },
	};
	const char *keys[2][4];
	for (int way = 0; way < 2; way++) {
		struct stitch *s = graph(1, 50, 0);
		for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
			uint32_t n[NT];
			int64_t ts = 1000 * (int64_t)r;
			uint64_t seq = r;
			for (int i = 0; i < NT; i++) {
				int added = 0;
				n[i] = rows[r][i]
				    ? stitch_node(s, (size_t)i, rows[r][i],
					  strlen(rows[r][i]), &added)
				    : STITCH_NONE;
				if (added && strcmp(rows[r][i], "junk@x") == 0)
					stitch_mark_junk(s, n[i], JUNK_LIST);
				if (n[i] != STITCH_NONE && rows[r][i][0] == 'j')
					assert_int_equal(
					    stitch_junk(s, n[i]), JUNK_LIST);
				else if (n[i] != STITCH_NONE)
					assert_int_equal(
					    stitch_junk(s, n[i]), JUNK_NO);
				if (way && n[i] != STITCH_NONE &&
				    stitch_junk(s, n[i]) != JUNK_NO)
					n[i] = STITCH_NONE;
			}
			if (way)
				stitch_rows(s, 1, NT, n, &ts, &seq);
			else
				stitch_rows(s, 1, NT, n, &ts, &seq);
		}
		stitch_resolve(s);
		struct stitch_stats st;
		stitch_stats(s, &st);
		/* nodes u1 a@x c1 u2 junk@x c2 u3 c3; links u1-a u1-c1
		 * a-c1 u2-c1 u2-c2 u3-a (none with the junk address);
		 * u2-c1 and u3-a refused (two accounts), so c1 is shared;
		 * persons {u1 a c1} {u2 c2} {u3} {c3} */
		assert_int_equal(st.nodes, 8);
		assert_int_equal(st.junk, 1);
		assert_int_equal(st.links, 6);
		assert_int_equal(st.refused, 2);
		assert_int_equal(st.shared, 1);
		assert_int_equal(st.persons, 4);
		assert_int_equal(st.merges, 3);
		keys[way][0] = person(s, "u1", NULL, NULL, 0);
		keys[way][1] = person(s, "u2", NULL, NULL, 0);
		keys[way][2] = person(s, "u3", NULL, NULL, 0);
		keys[way][3] = person(s, NULL, NULL, "c3", 0);
		static char copy[2][4][32];
		for (int k = 0; k < 4; k++) {
			assert_non_null(keys[way][k]);
			strcpy(copy[way][k], keys[way][k]);
			keys[way][k] = copy[way][k];
		}
		assert_string_equal(
		    person(s, NULL, NULL, "c2", 0), keys[way][1]);
		assert_null(person(s, NULL, "junk@x", NULL, 0));
		stitch_free(s);
	}
	for (int k = 0; k < 4; k++)
		assert_string_equal(keys[0][k], keys[1][k]);
	assert_string_not_equal(keys[0][0], keys[0][1]);
	assert_string_not_equal(keys[0][0], keys[0][2]);
}

/*
 * Enough links for the sort to run in two halves on two threads: merges
 * still go in time order.  Per i, rows given latest first: cookie c with
 * user v at 900, c with user u at 500, e-mail e with c at 100.  In time
 * order e and c merge, then u joins and v is refused; in the order given,
 * v would have taken c, and e with it.  With times a millisecond apart
 * the order fits one sort key; with times far apart it needs two.
 */
static void
many_links(int64_t scale)
{
	enum { N = 25000 };
	struct stitch *s = graph(1, 0, 0);
	char u[32], v[32], e[32], c[32];
	uint32_t out[NT];
	uint64_t seq = 0;
	for (int pass = 0; pass < 3; pass++)
		for (int i = 0; i < N; i++) {
			snprintf(u, sizeof u, "u%d", i);
			snprintf(v, sizeof v, "v%d", i);
			snprintf(e, sizeof e, "e%d@x", i);
			snprintf(c, sizeof c, "c%d", i);
			int64_t t = (int64_t)i * 1000;
			if (pass == 0)
				row(s, v, NULL, c, (t + 900) * scale, seq++, out);
			else if (pass == 1)
				row(s, u, NULL, c, (t + 500) * scale, seq++, out);
			else
				row(s, NULL, e, c, (t + 100) * scale, seq++, out);
		}
	stitch_resolve(s);
	for (int i = 0; i < N; i += 997) {
		snprintf(u, sizeof u, "u%d", i);
		snprintf(v, sizeof v, "v%d", i);
		snprintf(e, sizeof e, "e%d@x", i);
		const char *pu = person(s, u, NULL, NULL, 0);
		const char *pv = person(s, v, NULL, NULL, 0);
		const char *pe = person(s, NULL, e, NULL, 0);
		assert_non_null(pu);
		assert_non_null(pe);
		assert_string_equal(pu, pe);
		assert_string_not_equal(pu, pv);
	}
	stitch_free(s);
}

static void
test_many_links_in_time_order(void **state)
{
	(void)state;
	many_links(1);
	many_links((int64_t)1 << 30);
}

/*
 * Limits are checked only in components over a limit (merge_links): a
 * clean person and a household in one graph, with a previous key inside
 * the household, in two input orders: the same persons, merges and
 * refusals as merging every link in time order gives.
 */
static void
test_limits_where_needed(void **state)
{
	(void)state;
	uint32_t n[NT];
	for (int order = 0; order < 2; order++) {
		struct stitch *s = graph(1, 50, 0);
		uint32_t u3 = stitch_node(s, T_USER, "u3", 2, NULL);
		uint32_t e4 = stitch_node(s, T_EMAIL, "e4", 2, NULL);
		stitch_prior(s, u3, "pk", 1, 2);
		stitch_prior(s, e4, "pk", 1, 2);
		struct {
			const char *u, *e, *c;
			int64_t t;
		} r[] = {
			{ "u1", NULL, "c1", 10 },
			{ NULL, "e1", "c1", 20 },
			{ "u1", "e1", NULL, 30 },
			{ "u2", NULL, "c2", 100 },
			{ "u3", NULL, "c2", 200 }, /* refused: two accounts */
			{ NULL, "e2", "c2", 50 },
			{ NULL, "e4", "c2", 300 }, /* refused: u3's person */
		};
		size_t nr = sizeof r / sizeof *r;
		for (size_t i = 0; i < nr; i++) {
			size_t k = order ? nr - 1 - i : i;
			row(s, r[k].u, r[k].e, r[k].c, r[k].t, i, n);
		}
		stitch_resolve(s);
		struct stitch_stats st;
		stitch_stats(s, &st);
		assert_int_equal(st.merges, 4);
		assert_int_equal(stitch_nrefused(s), 2);
		const char *p1 = person(s, "u1", NULL, NULL, 0);
		assert_string_equal(p1, person(s, NULL, "e1", NULL, 0));
		assert_string_equal(p1, person(s, NULL, NULL, "c1", 0));
		const char *p2 = person(s, "u2", NULL, NULL, 0);
		assert_string_equal(p2, person(s, NULL, "e2", NULL, 0));
		assert_string_not_equal(p1, p2);
		assert_string_equal(person(s, "u3", NULL, NULL, 0), "pk");
		assert_string_equal(person(s, NULL, "e4", NULL, 0), "pk");
		stitch_free(s);
	}
}

/*
 * A link's rows and first time come from every combination of values it
 * is in; a combination whose first value is junk still links the others.
 */
static void
test_links_from_combinations(void **state)
{
	(void)state;
	uint32_t n[NT];
	struct stitch *s = graph(1, 50, 0);
	row(s, "u1", NULL, "c1", 1000, 0, n);
	row(s, "u2", NULL, "c1", 5000, 1, n);
	row(s, "u2", "e2", "c1", 6000, 2, n); /* another combination, same link */
	row(s, "u2", NULL, "c1", 7000, 3, n);
	stitch_resolve(s);
	assert_int_equal(stitch_nrefused(s), 2);
	int seen = 0;
	for (size_t i = 0; i < stitch_nrefused(s); i++) {
		const struct stitch_refusal *r = stitch_refused(s, i);
		struct stitch_node_info in;
		stitch_node_info(s, r->other, &in);
		if (in.type == T_USER) { /* c1 - u2: three rows, two combinations */
			assert_int_equal(r->rows, 3);
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	assert_string_equal(
	    person(s, "u2", NULL, NULL, 0), person(s, NULL, "e2", NULL, 0));
	stitch_free(s);

	s = graph(1, 4, 0);
	const char *many[] = { "ea", "eb", "ec", "ed" };
	for (int i = 0; i < 4; i++)
		row(s, "u0", many[i], NULL, 10 + i, (uint64_t)i, n);
	row(s, "u0", "e5", "c5", 100, 4, n); /* u0 is a hub: junk */
	row(s, "u6", NULL, "c5", 200, 5, n);
	row(s, "u7", NULL, "c5", 300, 6, n); /* refused */
	stitch_resolve(s);
	assert_int_equal(stitch_junk(s, stitch_node(s, T_USER, "u0", 2, NULL)),
	    JUNK_MAX_DEGREE);
	const char *p6 = person(s, "u6", NULL, NULL, 0);
	assert_string_equal(p6, person(s, NULL, "e5", NULL, 0));
	assert_string_equal(p6, person(s, NULL, NULL, "c5", 200));
	assert_string_not_equal(p6, person(s, "u7", NULL, NULL, 0));
	stitch_free(s);
}

/* Junk for the keyed path: the value "junk". */
static enum stitch_junk
junk_word(void *ctx, const char *v, size_t n)
{
	(void)ctx;
	return n == 4 && memcmp(v, "junk", 4) == 0 ? JUNK_LIST : JUNK_NO;
}

/*
 * stitch_rows_keyed (the fast path: rows of values, a combination of
 * values looked up once) makes the graph that stitch_node and stitch_row
 * make: nodes numbered alike, the same times and rows, persons, merges
 * and refusals; with combinations repeated in and across batches, a junk
 * value, a row without values and rows out of time order.
 */
static void
test_rows_keyed(void **state)
{
	(void)state;
	static const char *const rows[][NT] = {
		{ "u1", "a@x", "c1" },
		{ NULL, NULL, NULL },
		{ "u1", "a@x", "c1" },   /* repeated in the batch */
		{ "u2", "junk", "c1" },  /* junk: links nobody */
		{ NULL, "junk", "c2" },
		{ "u2", NULL, "c2" },
		{ "u3", "a@x", NULL },   /* refused: u1 has a@x */
		{ "u1", "a@x", "c1" },   /* next batch: known */
		{ NULL, NULL, "c3" },
		{ "u2", NULL, "c2" },
	};
	enum { NR = sizeof rows / sizeof rows[0], CUT = 7 };
	static const int64_t when[NR] = { 500, 100, 400, 300, 900, 200, 50,
		10, 700, 800 };
	struct stitch *g[2];
	for (int way = 0; way < 2; way++) {
		struct stitch *s = g[way] = graph(1, 50, 0);
		size_t from = 0;
		for (size_t to = CUT; from < NR; to = NR) {
			/* rows from..to as one batch */
			const char *key[NR * NT];
			size_t klen[NR * NT], first[NR + 1], k = 0;
			uint64_t hash[NR * NT], seq[NR];
			uint8_t type[NR * NT], junk[NR * NT];
			uint32_t out[NR * NT];
			int64_t ts[NR];
			char buf[NR * NT * 16];
			size_t used = 0;
			for (size_t r = from; r < to; r++) {
				first[r - from] = k;
				ts[r - from] = when[r];
				seq[r - from] = r;
				for (size_t t = 0; t < NT; t++) {
					const char *v = rows[r][t];
					if (!v)
						continue;
					size_t n = strlen(v);
					key[k] = buf + used;
					klen[k] = stitch_key(buf + used, t, v, n);
					used += klen[k];
					hash[k] = stitch_key_hash(t, v, n);
					type[k] = (uint8_t)t;
					k++;
				}
			}
			first[to - from] = k;
			if (way == 0) {
				stitch_rows_keyed(s, to - from, first, ts, seq,
				    type, key, klen, hash, junk_word, NULL, out,
				    junk);
				for (size_t i = 0; i < k; i++)
					assert_int_equal(junk[i],
					    klen[i] == 5 &&
						memcmp(key[i] + 1, "junk", 4) ==
						    0
						? JUNK_LIST
						: JUNK_NO);
			} else {
				for (size_t r = from; r < to; r++) {
					uint32_t n[NT];
					for (size_t t = 0; t < NT; t++) {
						const char *v = rows[r][t];
						int added = 0;
						n[t] = v ? stitch_node(s, t, v,
							       strlen(v), &added)
							 : STITCH_NONE;
						if (added &&
						    junk_word(NULL, v, strlen(v)))
							stitch_mark_junk(
							    s, n[t], JUNK_LIST);
					}
					stitch_row(s, n, NT, when[r], r);
				}
			}
			from = to;
		}
		stitch_resolve(s);
	}
	assert_int_equal(stitch_nnodes(g[0]), stitch_nnodes(g[1]));
	for (uint32_t i = 0; i < stitch_nnodes(g[0]); i++) {
		struct stitch_node_info a, b;
		stitch_node_info(g[0], i, &a);
		stitch_node_info(g[1], i, &b);
		assert_int_equal(a.type, b.type);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.value, b.value, a.len);
		assert_int_equal(a.first, b.first);
		assert_int_equal(a.last, b.last);
		assert_int_equal(a.rows, b.rows);
		assert_int_equal(a.junk, b.junk);
		if (a.person)
			assert_string_equal(a.person, b.person);
		else
			assert_null(b.person);
	}
	struct stitch_node_info c1;
	stitch_node_info(g[0], 2, &c1); /* u1 a@x c1: c1 is node 2 */
	assert_int_equal(c1.rows, 4);
	assert_int_equal(c1.first, 10);
	assert_int_equal(c1.last, 500);
	struct stitch_stats x, y;
	stitch_stats(g[0], &x);
	stitch_stats(g[1], &y);
	assert_int_equal(x.merges, y.merges);
	assert_int_equal(x.links, y.links);
	assert_int_equal(x.persons, y.persons);
	assert_int_equal(stitch_nrefused(g[0]), stitch_nrefused(g[1]));
	assert_true(stitch_nrefused(g[0]) >= 1);
	for (size_t i = 0; i < stitch_nrefused(g[0]); i++) {
		const struct stitch_refusal *a = stitch_refused(g[0], i),
					    *b = stitch_refused(g[1], i);
		assert_int_equal(a->node, b->node);
		assert_int_equal(a->other, b->other);
		assert_int_equal(a->rows, b->rows);
	}
	stitch_free(g[0]);
	stitch_free(g[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_and_keys),
		cmocka_unit_test(test_limit_and_shared),
		cmocka_unit_test(test_hub_and_junk),
		cmocka_unit_test(test_per_type_hub),
		cmocka_unit_test(test_prior_keys),
		cmocka_unit_test(test_spool),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_many_links_in_time_order),
		cmocka_unit_test(test_limits_where_needed),
		cmocka_unit_test(test_links_from_combinations),
		cmocka_unit_test(test_rows_keyed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
