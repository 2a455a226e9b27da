/*
 * re: PCRE2 with JIT.  One match-data block per compiled pattern, so a
 * struct re is not to be shared between threads (jt is single-threaded).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "re.h"

struct re {
	pcre2_code *code;
	pcre2_match_data *md;
	size_t ngroups;
	char **names;      /* named groups, by group number */
	uint32_t *numbers; /* their group numbers */
	int jit;
};

struct re *
re_compile(const char *pattern, int flags, char *why, size_t whylen)
{
	int err;
	PCRE2_SIZE off;
	uint32_t opts = PCRE2_UTF;

	if (flags & RE_ICASE)
		opts |= PCRE2_CASELESS;
	pcre2_code *code = pcre2_compile(
	    (PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		snprintf(
		    why, whylen, "offset %zu: %s", (size_t)off, (char *)msg);
		return NULL;
	}
	struct re *r = xcalloc(1, sizeof *r);
	r->code = code;
	r->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	r->md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!r->md)
		err_die("out of memory");

	uint32_t count = 0, entry = 0;
	PCRE2_SPTR table;
	pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
	r->names = xcalloc(count ? count : 1, sizeof *r->names);
	r->numbers = xcalloc(count ? count : 1, sizeof *r->numbers);
	/* the table is sorted by name; we want pattern (number) order */
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *e = table + (size_t)i * entry;
		uint32_t num = (uint32_t)e[0] << 8 | e[1];
		size_t j = r->ngroups;
		while (j > 0 && r->numbers[j - 1] > num) {
			r->numbers[j] = r->numbers[j - 1];
			r->names[j] = r->names[j - 1];
			j--;
		}
		r->numbers[j] = num;
		r->names[j] = xstrdup((const char *)e + 2);
		r->ngroups++;
	}
	return r;
}

int
re_match(struct re *r, const char *s, size_t n)
{
	int rc = r->jit
	    ? pcre2_jit_match(r->code, (PCRE2_SPTR)s, n, 0, 0, r->md, NULL)
	    : pcre2_match(r->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK,
		  r->md, NULL);
	return rc >= 0;
}

size_t
re_ngroups(const struct re *r)
{
	return r->ngroups;
}

const char *
re_group_name(const struct re *r, size_t i)
{
	return r->names[i];
}

int
re_match_groups(
    struct re *r, const char *s, size_t n, size_t *start, size_t *len)
{
	if (!re_match(r, s, n))
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
	uint32_t pairs = pcre2_get_ovector_count(r->md);
	for (size_t i = 0; i < r->ngroups; i++) {
		uint32_t g = r->numbers[i];
		if (g < pairs && ov[2 * g] != PCRE2_UNSET) {
			start[i] = ov[2 * g];
			len[i] = ov[2 * g + 1] - ov[2 * g];
		} else {
			start[i] = 0;
			len[i] = 0;
		}
	}
	return 1;
}

void
re_free(struct re *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ngroups; i++)
		free(r->names[i]);
	free(r->names);
	free(r->numbers);
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->code);
	free(r);
}
