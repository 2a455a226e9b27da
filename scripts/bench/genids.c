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
 * Deterministic for a seed (splitmix64).  Not installed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
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
	rng = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	uint64_t persons = n / 10 ? n / 10 : 1;
	const int64_t t0 = 1790812800; /* 2026-10-01T00:00:00Z */
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
		int64_t t = t0 + (int64_t)(next() % (30 * 86400));
		int64_t secs = t % 86400, days = t / 86400;
		/* civil date of days since 1970 (Hinnant) */
		int64_t z = days + 719468, era = z / 146097;
		int64_t doe = z - era * 146097;
		int64_t yoe =
		    (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		int64_t mp = (5 * doy + 2) / 153;
		int d = (int)(doy - (153 * mp + 2) / 5 + 1);
		int m = (int)(mp < 10 ? mp + 3 : mp - 9);
		int y = (int)(yoe + era * 400 + (m <= 2));
		const char *ev = events[next() % 6];
		int junk = next() % 1000 == 0;
		printf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ,u%08llu,", y, m, d,
		    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
		    (int)(next() % 1000), (unsigned long long)p);
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
