/*
 * genids: canonical events with three identifiers each, for the
 * jt-stitch benchmark.
 *
 *   genids EVENTS [SEED]
 *
 * Writes jt-events(5) rows ts,id_user,id_email,id_cookie,channel,event,
 * value,source to stdout, in no particular order.  A person (one per ten
 * events) has an account, an address and one to three cookies; one
 * household in fifty shares a cookie between two accounts, and a few
 * rows carry a placeholder address, so the guards have work to do.
 * Deterministic for a seed (lib/rng).  Not installed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"
#include "ts.h"

static struct rng gen;

/* 64 random bits (lib/rng, as jt-gen draws them). */
static uint64_t
next(void)
{
	return rng_next(&gen);
}

static const char *const channels[] = { "direct", "organic_search",
	"paid_search", "email", "paid_social", "referral" };
static const char *const events[] = { "page_view", "page_view", "page_view",
	"add_to_cart", "checkout", "purchase" };

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: genids EVENTS [SEED]\n");
		return 2;
	}
	uint64_t n = strtoull(argv[1], NULL, 10);
	rng_seed(&gen, argc > 2 ? strtoull(argv[2], NULL, 10) : 1);
	uint64_t persons = n / 10 ? n / 10 : 1;
	const int64_t t0 = 1790812800000LL; /* 2026-10-01T00:00:00Z */
	static char out[1 << 16];
	setvbuf(stdout, out, _IOFBF, sizeof out);
	puts("ts,id_user,id_email,id_cookie,channel,event,value,source");
	for (uint64_t i = 0; i < n; i++) {
		/* heavy-tailed: low person numbers are the busy ones */
		uint64_t r = next();
		uint64_t p = (r % persons) * (r % persons) / persons;
		uint64_t cookie = p * 4 + (next() % 3);
		/* households: the pair shares the first cookie */
		if (p % 50 == 1 && cookie % 4 == 0)
			cookie = (p - 1) * 4;
		int64_t t = t0 + (int64_t)(next() % (30 * 86400000LL));
		char ts[TS_FORMAT_LEN + 1];
		ts_format(t, ts);
		const char *ev = events[next() % 6];
		int junk = next() % 1000 == 0;
		printf("%s,u%08llu,", ts, (unsigned long long)p);
		if (junk)
			fputs("noreply@shop.example,", stdout);
		else
			printf(
			    "person%llu@mail.example,", (unsigned long long)p);
		printf("c%016llx,%s,%s,",
		    (unsigned long long)(cookie * 0x9E3779B97F4A7C15ULL),
		    channels[next() % 6], ev);
		if (ev[1] == 'u') /* purchase */
			printf("%llu.%02llu",
			    (unsigned long long)(next() % 200),
			    (unsigned long long)(next() % 100));
		puts(",web");
	}
	return 0;
}
