/*
 * channel: the built-in web channel grouping, lower_snake_case names, and
 * user rules files.  The grouping's rules are tried in the order of the
 * table in channel.h (and jt-ingest(1)); the first that applies decides.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "channel.h"
#include "err.h"
#include "re.h"
#include "weblog.h"

static const char *const search_hosts[] = { "google", "bing", "yahoo",
	"duckduckgo", "baidu", "yandex", "ecosia", "ask", "naver", "seznam",
	"qwant", "startpage", "aol", "brave", "sogou", "so", "daum", "coccoc",
	"search", NULL };
static const char *const social_hosts[] = { "facebook", "fb", "instagram",
	"twitter", "t", "x", "linkedin", "lnkd", "pinterest", "reddit",
	"tiktok", "youtube", "snapchat", "whatsapp", "tumblr", "vk", "weibo",
	"quora", "threads", "mastodon", "discord", "telegram", NULL };
/* full host names that the label rule above would not catch */
static const char *const social_full[] = { "t.co", "x.com", "lnkd.in",
	"youtu.be", "wa.me", "m.me", NULL };

static const char *const m_paid_search[] = { "cpc", "ppc", "paidsearch",
	"paid_search", "paid-search", "sem", "paid search", NULL };
static const char *const m_display[] = { "display", "banner", "cpm",
	"expandable", "interstitial", NULL };
static const char *const m_paid_social[] = { "paid_social", "paidsocial",
	"social_paid", "paid-social", "social-paid", "paid social", NULL };
static const char *const m_social[] = { "social", "social-network",
	"social-media", "sm", "social network", "social media",
	"social_network", "social_media", NULL };
static const char *const m_email[] = { "email", "e-mail", "e_mail", "e mail",
	"newsletter", NULL };
static const char *const m_affiliate[] = { "affiliate", "affiliates", "partner",
	NULL };
static const char *const m_referral[] = { "referral", "app", "link", NULL };
static const char *const m_organic[] = { "organic", NULL };

static int
in(const char *const *list, const char *s)
{
	if (!s)
		return 0;
	for (; *list; list++)
		if (strcasecmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Host of a URL into out (lower-case, without "www." and port). */
static void
host_of(const char *url, char *out, size_t cap)
{
	out[0] = '\0';
	if (!url)
		return;
	const char *p = strstr(url, "://");
	p = p ? p + 3 : (url[0] == '/' && url[1] == '/' ? url + 2 : NULL);
	if (!p)
		return;
	const char *at = NULL;
	for (const char *q = p; *q && *q != '/' && *q != '?' && *q != '#'; q++)
		if (*q == '@')
			at = q;
	if (at)
		p = at + 1;
	size_t n = 0;
	while (p[n] && p[n] != '/' && p[n] != ':' && p[n] != '?' &&
	    p[n] != '#' && n + 1 < cap) {
		out[n] = (char)tolower((unsigned char)p[n]);
		n++;
	}
	out[n] = '\0';
	if (strncmp(out, "www.", 4) == 0)
		memmove(out, out + 4, n - 3);
}

/* True when a dot-separated label of host (not the last) is in list. */
static int
host_in(const char *host, const char *const *labels, const char *const *full)
{
	if (!host || !*host)
		return 0;
	for (; full && *full; full++)
		if (strcmp(host, *full) == 0)
			return 1;
	const char *last = strrchr(host, '.');
	if (!last)
		return 0;
	for (const char *p = host; p < last;) {
		const char *dot = strchr(p, '.');
		size_t n = (size_t)(dot - p);
		for (const char *const *l = labels; *l; l++)
			if (strlen(*l) == n && strncmp(p, *l, n) == 0 &&
			    /* "t", "x", "so", "fb" only as the registered name
			     */
			    (n > 2 || dot == last))
				return 1;
		p = dot + 1;
	}
	return 0;
}

struct q {
	char source[256], medium[256], campaign[256];
	int click_paid, click_social;
};

static void
on_param(const char *k, size_t kn, const char *v, size_t vn, void *arg)
{
	struct q *q = arg;
	char *dst = NULL;
	if (kn == 10 && strncasecmp(k, "utm_source", kn) == 0)
		dst = q->source;
	else if (kn == 10 && strncasecmp(k, "utm_medium", kn) == 0)
		dst = q->medium;
	else if (kn == 12 && strncasecmp(k, "utm_campaign", kn) == 0)
		dst = q->campaign;
	else if ((kn == 5 && strncasecmp(k, "gclid", 5) == 0) ||
	    (kn == 7 && strncasecmp(k, "msclkid", 7) == 0) ||
	    (kn == 5 && strncasecmp(k, "dclid", 5) == 0) ||
	    (kn == 6 && strncasecmp(k, "gbraid", 6) == 0) ||
	    (kn == 6 && strncasecmp(k, "wbraid", 6) == 0))
		q->click_paid = 1;
	else if (kn == 6 && strncasecmp(k, "fbclid", 6) == 0)
		q->click_social = 1;
	if (dst && vn < 256) {
		memcpy(dst, v, vn);
		dst[vn] = '\0';
	}
}

static int
paid_medium(const char *m)
{
	/* ^(.*cp.*|ppc|retargeting|paid.*)$ */
	return m &&
	    (strstr(m, "cp") || strcasecmp(m, "ppc") == 0 ||
		strcasecmp(m, "retargeting") == 0 ||
		strncasecmp(m, "paid", 4) == 0);
}

const char *
channel_web(const struct channel_hit *h)
{
	struct q q = { .source = "", .medium = "", .campaign = "" };
	const char *src = h->utm_source, *med = h->utm_medium;
	char rhost[256], shost[256], lsrc[256];

	if (h->url)
		weblog_query(h->url, strlen(h->url), on_param, &q);
	if (empty(src) && q.source[0])
		src = q.source;
	if (empty(med) && q.medium[0])
		med = q.medium;
	/* a campaign name alone says nothing about where the visit came from */
	int utm = !empty(src) || !empty(med);
	host_of(h->referrer, rhost, sizeof rhost);
	if (h->site && *h->site) {
		char site[300];
		snprintf(site, sizeof site, "https://%s", h->site);
		host_of(site, shost, sizeof shost);
	} else
		host_of(h->url, shost, sizeof shost);
	lsrc[0] = '\0';
	if (!empty(src)) {
		size_t i;
		for (i = 0; src[i] && i + 1 < sizeof lsrc; i++)
			lsrc[i] = (char)tolower((unsigned char)src[i]);
		lsrc[i] = '\0';
	}
	/* a source may be a bare name ("google") or a host ("google.com") */
	char sh[300];
	snprintf(sh, sizeof sh, "%s%s", lsrc, strchr(lsrc, '.') ? "" : ".x");
	int src_search = lsrc[0] && host_in(sh, search_hosts, NULL);
	int src_social = lsrc[0] && host_in(sh, social_hosts, social_full);
	int ref_search = host_in(rhost, search_hosts, NULL);
	int ref_social = host_in(rhost, social_hosts, social_full);

	if (!utm && !q.click_paid && !q.click_social && rhost[0] && shost[0] &&
	    strcmp(rhost, shost) == 0)
		return "";
	if (in(m_paid_search, med) || q.click_paid ||
	    (src_search && paid_medium(med)))
		return "paid_search";
	if (in(m_display, med))
		return "display";
	if (in(m_paid_social, med) || (src_social && paid_medium(med)) ||
	    (q.click_social && paid_medium(med)))
		return "paid_social";
	if (in(m_social, med) ||
	    (empty(med) && (src_social || (!utm && ref_social))))
		return "organic_social";
	if (in(m_email, med) || in(m_email, lsrc))
		return "email";
	if (in(m_affiliate, med))
		return "affiliate";
	if (in(m_organic, med) ||
	    (empty(med) && (src_search || (!utm && ref_search))))
		return "organic_search";
	if (in(m_referral, med) || (!utm && rhost[0]))
		return "referral";
	if (!empty(med))
		return "other";
	if (q.click_social)
		return "organic_social";
	if (!empty(src))
		return "referral";
	return "direct";
}

size_t
channel_snake(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	int gap = 0;
	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c >= 0x80) {
			if (gap && o > 0 && o + 2 < outlen)
				out[o++] = '_';
			gap = 0;
			out[o++] = (char)(c < 0x80 ? tolower(c) : c);
		} else
			gap = 1;
	}
	out[o] = '\0';
	return o;
}

/* ---- user rules ---- */

struct cond {
	size_t col; /* index into columns */
	int negate;
	struct re *re;
};

struct rule {
	char *channel;
	struct cond *cond;
	size_t ncond;
};

struct channel_rules {
	struct rule *rule;
	size_t nrule;
	char **col;
	size_t ncol;
};

static size_t
col_index(struct channel_rules *r, const char *name, size_t n)
{
	for (size_t i = 0; i < r->ncol; i++)
		if (strlen(r->col[i]) == n && strncmp(r->col[i], name, n) == 0)
			return i;
	r->col = xreallocarray(r->col, r->ncol + 1, sizeof *r->col);
	r->col[r->ncol] = xstrndup(name, n);
	return r->ncol++;
}

static char *
trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

struct channel_rules *
channel_rules_load(const char *path, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct channel_rules *r = xcalloc(1, sizeof *r);
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		char *l = trim(line);
		if (*l == '\0' || *l == '#')
			continue;
		char *tab = strchr(l, '\t');
		if (!tab) {
			snprintf(why, whylen,
			    "%s:%ld: expected CHANNEL<TAB>"
			    "COLUMN~REGEX (no tab)",
			    path, lineno);
			goto fail;
		}
		*tab = '\0';
		struct rule ru = { 0 };
		ru.channel = xstrdup(trim(l));
		r->rule = xreallocarray(r->rule, r->nrule + 1, sizeof *r->rule);
		r->rule[r->nrule++] = ru;
		struct rule *rp = &r->rule[r->nrule - 1];
		if (!*rp->channel) {
			snprintf(why, whylen, "%s:%ld: empty channel name",
			    path, lineno);
			goto fail;
		}
		char *save = NULL;
		for (char *c = strtok_r(tab + 1, "\t", &save); c;
		     c = strtok_r(NULL, "\t", &save)) {
			c = trim(c);
			if (!*c)
				continue;
			char *t = strchr(c, '~');
			if (!t || t == c || (t == c + 1 && c[0] == '!')) {
				snprintf(why, whylen,
				    "%s:%ld: condition '%s': "
				    "expected COLUMN~REGEX or COLUMN!~REGEX",
				    path, lineno, c);
				goto fail;
			}
			int neg = t[-1] == '!';
			char msg[256];
			struct re *re =
			    re_compile(t + 1, RE_ICASE, msg, sizeof msg);
			if (!re) {
				snprintf(why, whylen, "%s:%ld: regex '%s': %s",
				    path, lineno, t + 1, msg);
				goto fail;
			}
			rp->cond = xreallocarray(
			    rp->cond, rp->ncond + 1, sizeof *rp->cond);
			rp->cond[rp->ncond].col =
			    col_index(r, c, (size_t)(t - c) - (neg ? 1 : 0));
			rp->cond[rp->ncond].negate = neg;
			rp->cond[rp->ncond].re = re;
			rp->ncond++;
		}
		if (rp->ncond == 0) {
			snprintf(why, whylen,
			    "%s:%ld: rule '%s' has no "
			    "condition",
			    path, lineno, rp->channel);
			goto fail;
		}
	}
	free(line);
	fclose(f);
	return r;
fail:
	free(line);
	fclose(f);
	channel_rules_free(r);
	return NULL;
}

size_t
channel_rules_ncolumns(const struct channel_rules *r)
{
	return r->ncol;
}

const char *
channel_rules_column(const struct channel_rules *r, size_t i)
{
	return r->col[i];
}

const char *
channel_rules_apply(
    struct channel_rules *r, const char *const *val, const size_t *len)
{
	for (size_t i = 0; i < r->nrule; i++) {
		struct rule *ru = &r->rule[i];
		size_t k;
		for (k = 0; k < ru->ncond; k++) {
			struct cond *c = &ru->cond[k];
			const char *v = val[c->col];
			int m = v ? re_match(c->re, v, len[c->col]) : 0;
			if (m == c->negate)
				break;
		}
		if (k == ru->ncond)
			return ru->channel;
	}
	return NULL;
}

void
channel_rules_free(struct channel_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrule; i++) {
		free(r->rule[i].channel);
		for (size_t k = 0; k < r->rule[i].ncond; k++)
			re_free(r->rule[i].cond[k].re);
		free(r->rule[i].cond);
	}
	free(r->rule);
	for (size_t i = 0; i < r->ncol; i++)
		free(r->col[i]);
	free(r->col);
	free(r);
}
