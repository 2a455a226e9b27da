/*
 * channel: deriving the channel of a touch.
 *
 * The built-in web grouping (ingest --channels web) looks at utm_medium,
 * utm_source, the referrer and, when the utm columns are absent or empty,
 * the utm_* parameters of the url's query string.  It is modelled on the
 * published default channel groupings of web analytics; the table is in
 * jt-ingest(1) and in channel.c, in the order rules are tried:
 *   internal    referrer host = the hit's own host (url host, or --site)
 *               and no utm: empty channel (the visit's landing hit decides)
 *   paid_search medium cpc|ppc|paidsearch|paid_search|sem, or source is a
 *               search engine with a paid medium, or gclid/msclkid in url
 *   display     medium display|banner|cpm|expandable|interstitial
 *   paid_social medium matches ^(.*cp.*|ppc|paid.*)$ and source social,
 *               or medium paid_social|paidsocial|social_paid, fbclid+paid
 *   organic_social medium social|social-network|social-media|sm|
 *               social network|social media, or referrer/source a social site
 *   email       medium email|e-mail|e_mail|e mail|newsletter, or source
 *               email|e-mail|newsletter
 *   affiliate   medium affiliate|affiliates|partner
 *   organic_search medium organic, or referrer/source a search engine
 *   referral    medium referral|app|link, or any other external referrer
 *   other       a utm_medium that nothing above matches
 *   direct      no utm, no referrer
 *
 * User rules (--channel-rules FILE): lines "channel<TAB>column~regex
 * [<TAB>column~regex...]" (all conditions must match; column!~regex
 * negates), first matching line wins; '#' starts a comment line; blank
 * lines are ignored.  Regexes are case-insensitive.
 */
#ifndef JT_CHANNEL_H
#define JT_CHANNEL_H

#include <stddef.h>

/* The web hit's fields the built-in grouping reads (NULL or "" = absent). */
struct channel_hit {
	const char *utm_source, *utm_medium, *utm_campaign;
	const char *referrer;
	const char *url;
	const char *site; /* the site's own host, or NULL: url's host */
};

/*
 * The built-in grouping: returns a static channel name, or "" for internal
 * navigation.
 */
const char *channel_web(const struct channel_hit *h);

/* Normalises a free-form channel name to lower_snake_case into out
 * (size outlen): "Online Display" -> "online_display", "E-mail" -> "e_mail".
 * Returns the length. */
size_t channel_snake(const char *s, size_t n, char *out, size_t outlen);

struct channel_rules;

/*
 * Loads a rules file.  Returns NULL with a message "FILE:LINE: reason" in
 * why (size whylen) on a bad rule or unreadable file.
 */
struct channel_rules *channel_rules_load(
    const char *path, char *why, size_t whylen);
/* Column names the rules use (for the caller to look them up): count and
 * i-th name, borrowed. */
size_t channel_rules_ncolumns(const struct channel_rules *r);
const char *channel_rules_column(const struct channel_rules *r, size_t i);
/*
 * Tries the rules on a row: val[i]/len[i] is the value of column i of
 * channel_rules_column (NULL = column absent, never matches a ~, always
 * matches a !~).  Returns the channel of the first matching rule, or NULL.
 */
const char *channel_rules_apply(
    struct channel_rules *r, const char *const *val, const size_t *len);
void channel_rules_free(struct channel_rules *r);

#endif
