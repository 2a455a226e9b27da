/*
 * ingest: the plan (where each output column comes from) and the per-row
 * shaping of jt-ingest.  Order of precedence for a column name produced
 * twice: --set, then --source, then --map, then pass-through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "events.h"
#include "ident.h"
#include "ingest.h"

enum kind { K_SRC, K_SET, K_EMPTY };

struct ocol {
	char *name;
	enum kind kind;
	long src;             /* K_SRC: source column */
	const char *cval;     /* K_SET: the constant (borrowed from conf) */
	const char *src_name; /* for messages: the source column's name */
	enum ident_kind idk;
	int is_id;
	struct buf b; /* normalised value */
};

enum { W_SOURCE, W_MEDIUM, W_CAMPAIGN, W_REFERRER, W_URL, W_N };
static const char *const web_cols[W_N] = { "utm_source", "utm_medium",
	"utm_campaign", "referrer", "url" };

struct ingest_plan {
	const struct ingest_conf *c;
	struct ocol *col;
	size_t n;
	long ts, channel, value, event;
	long web[W_N];     /* output column, or -1 */
	long web_src[W_N]; /* else the input column not passed, or -1 */
	long *rule_col;    /* per rules column: output index or -1 */
	long *rule_src;    /* else the input column, or -1 */
	const char **rule_val;
	size_t *rule_len;
	long *where_col;
	char *base;
	size_t *ids; /* the id_* output columns */
	size_t nids;
	struct buf fixed_channel; /* a --set channel, snake-cased once */
	int channel_fixed;
};

static long
find_col(const struct ingest_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->col[i].name, name) == 0)
			return (long)i;
	return -1;
}

static struct ocol *
add_col(struct ingest_plan *p, const char *name)
{
	long i = find_col(p, name);
	if (i >= 0)
		return &p->col[i];
	p->col = xreallocarray(p->col, p->n + 1, sizeof *p->col);
	struct ocol *o = &p->col[p->n++];
	memset(o, 0, sizeof *o);
	o->name = xstrdup(name);
	o->kind = K_EMPTY;
	o->src = -1;
	return o;
}

static long
find_src(char *const *src, size_t nsrc, const char *name)
{
	for (size_t i = 0; i < nsrc; i++)
		if (strcmp(src[i], name) == 0)
			return (long)i;
	return -1;
}

void
ingest_base_name(const char *path, struct buf *out)
{
	buf_clear(out);
	if (path == NULL || strcmp(path, "-") == 0 ||
	    strcmp(path, "<stdin>") == 0) {
		buf_adds(out, "stdin");
		return;
	}
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	/* web.jsonl.gz -> web; a leading dot is part of the name */
	const char *dot = strchr(b + 1, '.');
	buf_add(out, b, dot ? (size_t)(dot - b) : strlen(b));
}

static int
in_list(char **list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

struct ingest_plan *
ingest_plan_new(const struct ingest_conf *c, char *const *src, size_t nsrc,
    const char *base_name, int src_is_json, char *why, size_t whylen)
{
	struct ingest_plan *p = xcalloc(1, sizeof *p);
	char *used = xcalloc(nsrc ? nsrc : 1, 1);
	struct buf b = { 0 };

	p->c = c;
	ingest_base_name(base_name, &b);
	p->base = xstrdup(buf_str(&b));
	buf_free(&b);

	for (size_t i = 0; i < c->nmap; i++) {
		long s = find_src(src, nsrc, c->map[i].val);
		if (s < 0) {
			snprintf(why, whylen,
			    "--map %s=%s: no %s '%s' in the "
			    "input",
			    c->map[i].key, c->map[i].val,
			    src_is_json ? "path" : "column", c->map[i].val);
			goto fail;
		}
		struct ocol *o = add_col(p, c->map[i].key);
		o->kind = K_SRC;
		o->src = s;
		o->src_name = src[s];
		used[s] = 1;
	}
	for (size_t i = 0; i < c->nkeep; i++)
		if (find_src(src, nsrc, c->keep[i]) < 0) {
			snprintf(why, whylen, "--keep: no %s '%s' in the input",
			    src_is_json ? "path" : "column", c->keep[i]);
			goto fail;
		}
	for (size_t s = 0; s < nsrc; s++) {
		if (used[s] || find_col(p, src[s]) >= 0)
			continue;
		/* --keep chooses among attributes; reserved names always pass
		 */
		if (c->keep_given && events_rank(src[s]) == EVENTS_ATTR &&
		    !in_list(c->keep, c->nkeep, src[s]))
			continue;
		struct ocol *o = add_col(p, src[s]);
		o->kind = K_SRC;
		o->src = (long)s;
		o->src_name = src[s];
	}
	if (c->source) {
		struct ocol *o = add_col(p, "source");
		o->kind = K_SET;
		o->cval = c->source;
	} else if (find_col(p, "source") < 0) {
		struct ocol *o = add_col(p, "source");
		o->kind = K_SET;
		o->cval = p->base;
	}
	for (size_t i = 0; i < c->nset; i++) {
		struct ocol *o = add_col(p, c->set[i].key);
		o->kind = K_SET;
		o->cval = c->set[i].val;
	}
	if ((c->channels_web || c->rules) && find_col(p, "channel") < 0)
		add_col(p, "channel");

	p->ts = find_col(p, "ts");
	if (p->ts < 0) {
		snprintf(why, whylen,
		    "no 'ts' column in the output: name the "
		    "time column with --map ts=COLUMN");
		goto fail;
	}
	p->channel = find_col(p, "channel");
	p->value = find_col(p, "value");
	p->event = find_col(p, "event");
	/* channels read the hit's fields even when they are not output */
	for (int w = 0; w < W_N; w++) {
		p->web[w] = find_col(p, web_cols[w]);
		p->web_src[w] = find_src(src, nsrc, web_cols[w]);
	}
	p->ids = xcalloc(p->n ? p->n : 1, sizeof *p->ids);
	for (size_t i = 0; i < p->n; i++) {
		struct ocol *o = &p->col[i];
		o->is_id = events_is_id(o->name);
		o->idk = ident_kind(o->name);
		if (o->is_id)
			p->ids[p->nids++] = i;
		if (!o->src_name)
			o->src_name = o->name;
	}
	if (p->channel >= 0 && p->col[p->channel].kind == K_SET && !c->rules &&
	    !c->channels_web) {
		/* a constant channel: snake-case it once, not per row */
		const char *v = p->col[p->channel].cval;
		size_t n = strlen(v);
		buf_reserve(&p->fixed_channel, n + 1);
		p->fixed_channel.len =
		    channel_snake(v, n, p->fixed_channel.data, n + 1);
		p->channel_fixed = 1;
	}
	if (c->rules) {
		size_t nr = channel_rules_ncolumns(c->rules);
		p->rule_col = xcalloc(nr ? nr : 1, sizeof *p->rule_col);
		p->rule_val = xcalloc(nr ? nr : 1, sizeof *p->rule_val);
		p->rule_len = xcalloc(nr ? nr : 1, sizeof *p->rule_len);
		p->rule_src = xcalloc(nr ? nr : 1, sizeof *p->rule_src);
		for (size_t i = 0; i < nr; i++) {
			const char *name = channel_rules_column(c->rules, i);
			p->rule_col[i] = find_col(p, name);
			p->rule_src[i] = find_src(src, nsrc, name);
		}
	}
	p->where_col = xcalloc(c->nwhere ? c->nwhere : 1, sizeof *p->where_col);
	for (size_t i = 0; i < c->nwhere; i++) {
		p->where_col[i] = find_col(p, c->where[i].col);
		if (p->where_col[i] < 0) {
			snprintf(why, whylen,
			    "--where: no column '%s' in the "
			    "output",
			    c->where[i].col);
			goto fail;
		}
	}
	free(used);
	return p;
fail:
	free(used);
	ingest_plan_free(p);
	return NULL;
}

size_t
ingest_plan_ncols(const struct ingest_plan *p)
{
	return p->n;
}

const char *
ingest_plan_col(const struct ingest_plan *p, size_t i)
{
	return p->col[i].name;
}

int
ingest_plan_plain(const struct ingest_plan *p, size_t i)
{
	return (long)i == p->ts || (long)i == p->value ||
	    (long)i == p->channel || p->col[i].idk == IDENT_PHONE;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* A decimal number: [+-]digits[.digits][e[+-]digits], or .digits. */
static int
is_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, e++;
		if (!e)
			return 0;
	}
	return i == n;
}

/* Shortens a value for a message: at most 60 bytes, on a UTF-8 boundary. */
static int
clip(const char *s, size_t n)
{
	size_t k = n > 60 ? 60 : n;
	while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return (int)k;
}

static void
count_junk(struct ingest_stats *st, const char *col)
{
	for (size_t i = 0; i < st->nid; i++)
		if (strcmp(st->id[i].col, col) == 0) {
			st->id[i].junk++;
			return;
		}
	if (st->nid < INGEST_MAX_IDCOLS) {
		st->id[st->nid].col = xstrdup(col);
		st->id[st->nid++].junk = 1;
	}
}

static void
set_out(struct ocol *o, const char **out, size_t *outlen, size_t i)
{
	out[i] = buf_str(&o->b);
	outlen[i] = o->b.len;
}

/* A web field: the output value, else the unpassed input value. */
static const char *
web_field(const struct ingest_plan *p, int w, const char **out,
    const size_t *outlen, const char *const *src, const size_t *srclen)
{
	long i = p->web[w], k = p->web_src[w];
	if (i >= 0)
		return outlen[i] ? out[i] : NULL;
	if (k >= 0)
		return srclen[k] ? src[k] : NULL;
	return NULL;
}

enum ingest_result
ingest_row(struct ingest_plan *p, const char *const *src, const size_t *srclen,
    struct ingest_stats *st, const char **out, size_t *outlen, char *why,
    size_t whylen)
{
	const struct ingest_conf *c = p->c;
	int any_id = 0;

	for (size_t i = 0; i < p->n; i++) {
		struct ocol *o = &p->col[i];
		switch (o->kind) {
		case K_SRC:
			out[i] = src[o->src];
			outlen[i] = srclen[o->src];
			break;
		case K_SET:
			out[i] = o->cval;
			outlen[i] = strlen(o->cval);
			break;
		case K_EMPTY:
			out[i] = "";
			outlen[i] = 0;
			break;
		}
	}

	/* time */
	{
		struct ocol *o = &p->col[p->ts];
		const char *s = out[p->ts];
		size_t n = outlen[p->ts];
		int64_t t;
		trim(&s, &n);
		if (n == 0) {
			snprintf(why, whylen, "column '%s': empty time",
			    o->src_name);
			return INGEST_REJECT;
		}
		int rc = c->ts_fmt ? ts_fmt_parse(c->ts_fmt, s, n, c->tz, &t)
				   : ts_parse_auto(s, n, c->tz, &t);
		o->b.len = 0;
		buf_reserve(&o->b, TS_FORMAT_LEN + 1);
		if (rc < 0 || ts_format(t, o->b.data) < 0) {
			snprintf(why, whylen,
			    "column '%s': invalid time '%.*s'", o->src_name,
			    clip(s, n), s);
			return INGEST_REJECT;
		}
		o->b.len = TS_FORMAT_LEN;
		set_out(o, out, outlen, (size_t)p->ts);
	}

	/* identifiers */
	for (size_t k = 0; k < p->nids; k++) {
		size_t i = p->ids[k];
		struct ocol *o = &p->col[i];
		const char *s = out[i];
		size_t n = outlen[i];
		trim(&s, &n);
		int junk =
		    ident_normalise(o->idk, s, n, c->phone_country, &o->b);
		if (junk && n > 0)
			count_junk(st, o->name);
		if (o->b.len)
			any_id = 1;
		set_out(o, out, outlen, i);
	}

	/* value */
	if (p->value >= 0 && outlen[p->value]) {
		const char *s = out[p->value];
		size_t n = outlen[p->value];
		trim(&s, &n);
		if (n && !is_number(s, n)) {
			snprintf(why, whylen,
			    "column '%s': invalid number '%.*s'",
			    p->col[p->value].src_name, clip(s, n), s);
			return INGEST_REJECT;
		}
		out[p->value] = s;
		outlen[p->value] = n;
	}
	if (p->event >= 0) {
		const char *s = out[p->event];
		size_t n = outlen[p->event];
		trim(&s, &n);
		out[p->event] = s;
		outlen[p->event] = n;
	}

	/* channel: user rules, else the web grouping, else as given */
	if (p->channel_fixed) {
		out[p->channel] = buf_str(&p->fixed_channel);
		outlen[p->channel] = p->fixed_channel.len;
	} else if (p->channel >= 0) {
		struct ocol *o = &p->col[p->channel];
		const char *ch = NULL;
		if (c->rules) {
			size_t nr = channel_rules_ncolumns(c->rules);
			for (size_t i = 0; i < nr; i++) {
				long k = p->rule_col[i], sk = p->rule_src[i];
				p->rule_val[i] = k >= 0 ? out[k]
				    : sk >= 0           ? src[sk]
							: NULL;
				p->rule_len[i] = k >= 0 ? outlen[k]
				    : sk >= 0           ? srclen[sk]
							: 0;
			}
			ch = channel_rules_apply(
			    c->rules, p->rule_val, p->rule_len);
		}
		if (!ch && c->channels_web) {
			struct channel_hit h;
			h.utm_source =
			    web_field(p, W_SOURCE, out, outlen, src, srclen);
			h.utm_medium =
			    web_field(p, W_MEDIUM, out, outlen, src, srclen);
			h.utm_campaign =
			    web_field(p, W_CAMPAIGN, out, outlen, src, srclen);
			h.referrer =
			    web_field(p, W_REFERRER, out, outlen, src, srclen);
			h.url = web_field(p, W_URL, out, outlen, src, srclen);
			h.site = c->site;
			ch = channel_web(&h);
		}
		const char *s = ch ? ch : out[p->channel];
		size_t n = ch ? strlen(ch) : outlen[p->channel];
		o->b.len = 0;
		buf_reserve(&o->b, n + 1);
		o->b.len = channel_snake(s, n, o->b.data, n + 1);
		set_out(o, out, outlen, (size_t)p->channel);
	}

	for (size_t i = 0; i < c->nwhere; i++) {
		long k = p->where_col[i];
		int m = re_match(c->where[i].re, out[k], outlen[k]);
		if (m == c->where[i].negate) {
			st->filtered++;
			return INGEST_FILTERED;
		}
	}
	if (!any_id)
		st->no_id++;
	return INGEST_KEEP;
}

void
ingest_plan_free(struct ingest_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->col[i].name);
		buf_free(&p->col[i].b);
	}
	free(p->col);
	free(p->rule_col);
	free(p->rule_val);
	free(p->rule_len);
	free(p->rule_src);
	free(p->where_col);
	free(p->base);
	free(p->ids);
	buf_free(&p->fixed_channel);
	free(p);
}

void
ingest_stats_free(struct ingest_stats *st)
{
	for (size_t i = 0; i < st->nid; i++)
		free(st->id[i].col);
	st->nid = 0;
}
