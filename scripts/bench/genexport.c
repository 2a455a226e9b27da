/*
 * genexport: silo exports of a given size for the jt-ingest benchmark.
 *
 *   genexport csv BYTES [SEED]    an e-mail platform CSV export
 *   genexport jsonl BYTES [SEED]  web-analytics JSON lines (nested context)
 *
 * Deterministic for a seed (splitmix64).  Not installed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
pick(unsigned n)
{
	return (unsigned)(next() % n);
}

static const char *const events[] = { "page_view", "page_view", "page_view",
	"product_view", "add_to_cart", "checkout", "purchase", "login" };
static const char *const mediums[] = { "cpc", "email", "social", "organic",
	"referral", "display", "" };
static const char *const sources[] = { "google", "newsletter", "facebook",
	"bing", "partner.example", "" };
static const char *const names[] = { "Alice", "Bob", "Chen", "Dana", "Émile",
	"Fatima", "Gregor", "Hana" };

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: genexport csv|jsonl BYTES [SEED]\n");
		return 2;
	}
	int json = strcmp(argv[1], "jsonl") == 0;
	unsigned long long want = strtoull(argv[2], NULL, 10), done = 0;
	rng = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	uint64_t t = 1767225600; /* 2026-01-01T00:00:00Z */
	char line[2048];
	int n;

	if (!json)
		done += (unsigned long long)printf(
		    "sent_at,Email Address,customer_id,campaign,event,"
		    "revenue,subject\n");
	while (done < want) {
		t += pick(30);
		unsigned id = pick(1000000);
		const char *ev = events[pick(8)];
		char user[32] = "null";
		if (pick(3))
			snprintf(user, sizeof user, "\"u%u\"", id);
		if (json)
			n = snprintf(line, sizeof line,
			    "{\"type\":\"track\",\"event\":\"%s\","
			    "\"anonymous_id\":\"a%08x-%04x\",\"user_id\":%s,"
			    "\"timestamp\":\"2026-%02u-%02uT%02u:%02u:%02u.%"
			    "03u+0%u:00\","
			    "\"context\":{\"campaign\":{\"medium\":\"%s\","
			    "\"source\":\"%s\"},\"page\":{\"url\":"
			    "\"https://shop.example.com/p/%u?ref=x\","
			    "\"referrer\":\"https://www.google.com/\"},"
			    "\"userAgent\":\"Mozilla/5.0 (X11; Linux "
			    "x86_64)\"},"
			    "\"properties\":{\"revenue\":%u.%02u,\"sku\":\"S%"
			    "u\"}}\n",
			    ev, id, pick(65536), user, 1 + pick(12),
			    1 + pick(28), pick(24), pick(60), pick(60),
			    pick(1000), pick(3), mediums[pick(7)],
			    sources[pick(6)], pick(5000), pick(500), pick(100),
			    pick(10000));
		else
			n = snprintf(line, sizeof line,
			    "%llu,%s.%u@Example.COM,%u,spring_%u,%s,%u.%02u,"
			    "\"Hello %s, %u new offers\"\n",
			    (unsigned long long)t, names[pick(8)], id, id,
			    pick(20), ev, pick(500), pick(100), names[pick(8)],
			    pick(9));
		if (n < 0)
			return 1;
		fwrite(line, 1, (size_t)n, stdout);
		done += (unsigned long long)n;
	}
	return ferror(stdout) ? 1 : 0;
}
