/*
 * attrgen N [SEED] [CHANNELS]: a path table of N distinct paths over
 * CHANNELS (default 15, at most 15) channels on stdout, for the
 * jt-attribute benchmark: path,total_conversions,total_conversion_value,
 * total_null.  Path lengths 1 to 24 (mostly 2 to 8), channels drawn with
 * uneven popularity, a conversion rate that rises with some channels and
 * with length; duplicates are drawn again (a hash set of the paths).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static const char *const names[15] = { "paid_search", "organic_search", "email",
	"display", "paid_social", "organic_social", "affiliate", "referral",
	"direct", "video", "sms", "push", "app", "call_center", "store" };

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: attrgen N [SEED] [CHANNELS]\n");
		return 2;
	}
	size_t n = strtoull(argv[1], NULL, 10);
	struct rng r;
	rng_seed(&r, argc > 2 ? strtoull(argv[2], NULL, 10) : 1);
	int nch = argc > 3 ? atoi(argv[3]) : 15;
	if (nch < 1 || nch > 15)
		nch = 15;
	double pop[15], lift[15];
	for (int c = 0; c < nch; c++) {
		pop[c] = 1.0 / (1 + c * 0.4);
		lift[c] = 0.02 + 0.03 * (double)((c * 7) % 5);
	}
	size_t cap = 1;
	while (cap < n * 2 + 16)
		cap <<= 1;
	uint64_t *set = calloc(cap, sizeof *set);
	if (!set)
		return 1;
	printf("path,total_conversions,total_conversion_value,total_null\n");
	int ch[24];
	char line[1024];
	for (size_t done = 0; done < n;) {
		int len = 1;
		while (len < 24 && rng_chance(&r, len < 2 ? 0.8 : 0.75))
			len++;
		uint64_t h = 1469598103934665603ULL;
		double p = 0.01;
		for (int i = 0; i < len; i++) {
			ch[i] = (int)rng_weighted(&r, pop, (size_t)nch);
			h = (h ^ (uint64_t)(ch[i] + 1)) * 1099511628211ULL;
			p += lift[ch[i]] / (1 + i);
		}
		h |= 1;
		size_t j = h & (cap - 1);
		while (set[j] && set[j] != h)
			j = (j + 1) & (cap - 1);
		if (set[j] == h)
			continue;
		set[j] = h;
		done++;
		if (p > 0.9)
			p = 0.9;
		int journeys = 1 + (int)rng_exp(&r, 6);
		int conv = 0;
		for (int k = 0; k < journeys; k++)
			conv += rng_chance(&r, p);
		double value = 0;
		for (int k = 0; k < conv; k++)
			value += 20 + rng_exp(&r, 40);
		size_t o = 0;
		for (int i = 0; i < len; i++)
			o += (size_t)snprintf(line + o, sizeof line - o, "%s%s",
			    i ? " > " : "", names[ch[i]]);
		printf("%s,%d,%.2f,%d\n", line, conv, value, journeys - conv);
	}
	free(set);
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}
