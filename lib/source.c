/*
 * source: the formats jt-ingest reads, behind one row interface.
 *
 * Line formats (jsonl, clf, combined, regex) share one loop: read a line
 * (lines.c), check its UTF-8, keep a copy as the raw text for --rejects,
 * then parse it.  Discovery of columns (jsonl leaves, q_ query parameters)
 * is a first pass over the same input; stdin is spooled to a temporary
 * file first so it can be read twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "jsonrow.h"
#include "lines.h"
#include "source.h"
#include "ts.h"
#include "utf8.h"
#include "weblog.h"

struct src {
	enum source_format format;
	char *name;
	struct csvin *csv; /* csv, tsv */
	struct io_in *in;  /* line formats */
	struct lines *lines;
	size_t max_line;
	struct jsonrow *json;
	struct re *re;
	size_t *gstart, *glen; /* regex group spans */
	struct weblog_rec web;
	char tsbuf[TS_FORMAT_LEN + 1];
	int query;     /* q_ columns present */
	size_t nfixed; /* columns before the q_ columns */
	long url_col;
	struct buf *vals; /* per column, for jsonl and q_ */
	struct buf raw;
	struct buf reason;
	char *spool; /* temporary copy of stdin */
	int encoding;
	int spool_hook;
};

static const char *const format_names[] = { "csv", "tsv", "jsonl", "clf",
	"combined", "regex" };

int
source_format_parse(const char *name)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
		if (strcmp(name, format_names[i]) == 0)
			return (int)i;
	if (strcmp(name, "json") == 0 || strcmp(name, "ndjson") == 0)
		return SOURCE_JSONL;
	return -1;
}

static void
unlink_spool(void *arg)
{
	unlink((const char *)arg);
}

/* Copies stdin to a temporary file so a first pass can read it twice. */
static char *
spool_stdin(struct src *d, char *why, size_t whylen)
{
	const char *dir = getenv("TMPDIR");
	struct buf p = { 0 };
	char chunk[65536];

	buf_printf(&p, "%s/jt-stdin.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(p.data);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", buf_str(&p), strerror(errno));
		buf_free(&p);
		return NULL;
	}
	d->spool_hook = err_cleanup_push(unlink_spool, p.data);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "<stdin>: %s", strerror(errno));
			close(fd);
			return p.data;
		}
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, chunk + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				err_die("%s: %s", buf_str(&p), strerror(errno));
			off += w;
		}
	}
	close(fd);
	return p.data;
}

static void
add_col(struct source *s, const char *name)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (strcmp(s->col[i], name) == 0)
			return;
	s->col = xreallocarray(s->col, s->ncols + 1, sizeof *s->col);
	s->col[s->ncols++] = xstrdup(name);
}

static void
add_leaf(const char *path, void *arg)
{
	add_col(arg, path);
}

static void
add_query_name(const char *k, size_t kn, const char *v, size_t vn, void *arg)
{
	struct buf name = { 0 };
	(void)v;
	(void)vn;
	buf_adds(&name, "q_");
	buf_add(&name, k, kn);
	if (utf8_check(name.data, name.len) == name.len)
		add_col(arg, buf_str(&name));
	buf_free(&name);
}

/* The url of a parsed line-format row, or NULL. */
static const char *
row_url(struct src *d, struct source *s, size_t *n)
{
	if (d->format == SOURCE_CLF || d->format == SOURCE_COMBINED) {
		*n = d->web.len[WEBLOG_URL];
		return d->web.f[WEBLOG_URL];
	}
	if (d->format == SOURCE_REGEX && d->url_col >= 0) {
		*n = s->len[d->url_col];
		return s->val[d->url_col];
	}
	return NULL;
}

static enum csvin_status line_next(struct source *s, int discovering);

/* First pass: collects jsonl leaves or q_ names; then rewinds. */
static int
discover(struct source *s, const char *path, char *why, size_t whylen)
{
	struct src *d = s->priv;
	enum csvin_status st;

	s->empty = 1;
	while ((st = line_next(s, 1)) != CSVIN_EOF) {
		s->empty = 0;
		if (st != CSVIN_ROW)
			continue; /* reported on the real pass */
		if (d->format == SOURCE_JSONL) {
			jsonrow_leaves(d->json, add_leaf, s);
			continue;
		}
		size_t n;
		const char *url = row_url(d, s, &n);
		if (url)
			weblog_query(url, n, add_query_name, s);
	}
	lines_free(d->lines);
	io_close(d->in);
	d->in = io_open(path);
	if (!d->in) {
		snprintf(why, whylen, "%s: %s", d->name, strerror(errno));
		return -1;
	}
	d->lines = lines_new(d->in, d->max_line);
	lines_set_encoding(d->lines, d->encoding);
	return 0;
}

static void
alloc_row(struct source *s)
{
	struct src *d = s->priv;
	size_t n = s->ncols ? s->ncols : 1;

	s->val = xcalloc(n, sizeof *s->val);
	s->len = xcalloc(n, sizeof *s->len);
	d->vals = xcalloc(n, sizeof *d->vals);
}

struct source *
source_open(
    const char *path, const struct source_opts *o, char *why, size_t whylen)
{
	struct source *s = xcalloc(1, sizeof *s);
	struct src *d = xcalloc(1, sizeof *d);
	int stdin_input = path == NULL || strcmp(path, "-") == 0;

	s->priv = d;
	d->format = o->format;
	d->spool_hook = -1;
	d->url_col = -1;
	d->name = xstrdup(stdin_input ? "<stdin>" : path);
	d->max_line = o->max_field ? o->max_field : CSVIN_MAX_FIELD_DEFAULT;
	why[0] = '\0';

	if (o->format == SOURCE_CSV || o->format == SOURCE_TSV) {
		struct csvin_opts co = { 0 };
		const char *msg = NULL;
		co.delim = o->format == SOURCE_TSV ? '\t' : o->delim;
		co.max_field = o->max_field;
		co.encoding = o->encoding;
		co.no_header = o->no_header;
		d->csv = csvin_open(path, &co, &msg);
		if (!d->csv) {
			if (msg)
				snprintf(why, whylen, "%s", msg);
			else
				snprintf(why, whylen, "%s: %s", d->name,
				    strerror(errno));
			goto fail;
		}
		s->empty = d->csv->empty;
		for (size_t i = 0; i < d->csv->ncols; i++)
			add_col(s, d->csv->col[i]);
		s->val = xcalloc(s->ncols ? s->ncols : 1, sizeof *s->val);
		s->len = NULL;
		return s;
	}

	int discovery = (o->format == SOURCE_JSONL && o->paths == NULL) ||
	    (o->query_columns && o->format != SOURCE_JSONL);
	const char *real_path = path;
	if (stdin_input && discovery) {
		d->spool = spool_stdin(d, why, whylen);
		if (!d->spool || why[0])
			goto fail;
		real_path = d->spool;
	}
	d->in = io_open(stdin_input && !d->spool ? "-" : real_path);
	if (!d->in) {
		snprintf(why, whylen, "%s: %s", d->name, strerror(errno));
		goto fail;
	}
	d->lines = lines_new(d->in, d->max_line);
	lines_set_encoding(d->lines, o->encoding);
	d->encoding = o->encoding;

	switch (o->format) {
	case SOURCE_JSONL:
		d->json = jsonrow_new();
		for (size_t i = 0; i < o->npaths; i++)
			add_col(s, o->paths[i]);
		break;
	case SOURCE_CLF:
	case SOURCE_COMBINED: {
		size_t n =
		    o->format == SOURCE_CLF ? WEBLOG_REFERRER : WEBLOG_NFIELDS;
		for (size_t i = 0; i < n; i++)
			add_col(s, weblog_columns[i]);
		break;
	}
	case SOURCE_REGEX: {
		char msg[256];
		d->re =
		    re_compile(o->regex ? o->regex : "", 0, msg, sizeof msg);
		if (!d->re) {
			snprintf(why, whylen, "--regex: %s", msg);
			goto fail;
		}
		if (re_ngroups(d->re) == 0) {
			snprintf(why, whylen,
			    "--regex: the pattern has no "
			    "named groups (?<name>...)");
			goto fail;
		}
		for (size_t i = 0; i < re_ngroups(d->re); i++)
			add_col(s, re_group_name(d->re, i));
		d->gstart = xcalloc(re_ngroups(d->re), sizeof *d->gstart);
		d->glen = xcalloc(re_ngroups(d->re), sizeof *d->glen);
		d->url_col = source_col(s, "url");
		break;
	}
	default: break;
	}
	d->nfixed = s->ncols;
	if (discovery) {
		/* the first pass fills rows, so it needs row storage */
		alloc_row(s);
		size_t before = s->ncols;
		int rc = discover(s, real_path, why, whylen);
		free(s->val);
		free(s->len);
		for (size_t i = 0; i < before; i++)
			buf_free(&d->vals[i]);
		free(d->vals);
		s->val = NULL;
		s->len = NULL;
		d->vals = NULL;
		if (rc < 0)
			goto fail;
		d->query = o->query_columns && o->format != SOURCE_JSONL;
	}
	alloc_row(s);
	return s;
fail:
	source_close(s);
	return NULL;
}

/* Sets q_ columns from the url of the current row. */
static void
set_query_value(const char *k, size_t kn, const char *v, size_t vn, void *arg)
{
	struct source *s = arg;
	struct src *d = s->priv;

	for (size_t i = d->nfixed; i < s->ncols; i++) {
		const char *c = s->col[i] + 2;
		if (strlen(c) == kn && memcmp(c, k, kn) == 0) {
			buf_clear(&d->vals[i]);
			buf_add(&d->vals[i], v, vn);
			s->val[i] = buf_str(&d->vals[i]);
			s->len[i] = d->vals[i].len;
			return;
		}
	}
}

static enum csvin_status reject(struct source *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum csvin_status
reject(struct source *s, const char *fmt, ...)
{
	struct src *d = s->priv;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_clear(&d->reason);
	buf_adds(&d->reason, msg);
	s->reason = buf_str(&d->reason);
	return CSVIN_REJECT;
}

static enum csvin_status
line_next(struct source *s, int discovering)
{
	struct src *d = s->priv;
	char *line;
	size_t n;
	char why[512];

	for (;;) {
		enum lines_status ls =
		    lines_next(d->lines, &line, &n, &s->line);
		if (ls == LINES_EOF)
			return CSVIN_EOF;
		buf_clear(&d->raw);
		if (ls == LINES_FAIL) {
			const char *e = lines_error(d->lines);
			buf_add(&d->raw, line, n);
			/* after a damaged gzip stream nothing more can be read
			 */
			reject(s, "%s", e);
			return io_is_gzip(d->in) ? CSVIN_REJECT : CSVIN_FAIL;
		}
		buf_add(&d->raw, line, n);
		if (ls == LINES_LONG) {
			snprintf(why, sizeof why, "line longer than %zu bytes",
			    d->max_line);
			return reject(s, "%s", why);
		}
		if (n == 0 ||
		    (d->format == SOURCE_JSONL && strspn(line, " \t") == n))
			continue; /* blank lines carry no record */
		if (utf8_check(line, n) != n)
			return reject(s, "%s",
			    memchr(line, 0, n) ? "NUL byte" : "invalid UTF-8");
		break;
	}
	switch (d->format) {
	case SOURCE_JSONL:
		if (jsonrow_parse(d->json, line, n, why, sizeof why) < 0)
			return reject(s, "%s", why);
		if (discovering)
			return CSVIN_ROW;
		for (size_t i = 0; i < s->ncols; i++) {
			jsonrow_get(d->json, s->col[i], &d->vals[i]);
			s->val[i] = buf_str(&d->vals[i]);
			s->len[i] = d->vals[i].len;
		}
		return CSVIN_ROW;
	case SOURCE_CLF:
	case SOURCE_COMBINED:
		if (weblog_parse(line, n, d->format == SOURCE_COMBINED, &d->web,
			why, sizeof why) < 0)
			return reject(s, "%s", why);
		for (size_t i = 0; i < d->nfixed; i++) {
			s->val[i] = d->web.f[i];
			s->len[i] = d->web.len[i];
		}
		if (ts_format(d->web.ts_ms, d->tsbuf) < 0)
			return reject(s, "%s", "time out of range");
		s->val[WEBLOG_TS] = d->tsbuf;
		s->len[WEBLOG_TS] = TS_FORMAT_LEN;
		break;
	case SOURCE_REGEX:
		if (!re_match_groups(d->re, line, n, d->gstart, d->glen))
			return reject(s, "%s", "line does not match --regex");
		/* copies: adjacent groups leave no room to cut in place */
		for (size_t i = 0; i < d->nfixed; i++) {
			buf_clear(&d->vals[i]);
			buf_add(&d->vals[i], line + d->gstart[i], d->glen[i]);
			s->val[i] = buf_str(&d->vals[i]);
			s->len[i] = d->glen[i];
		}
		break;
	default: break;
	}
	if (d->query && !discovering) {
		for (size_t i = d->nfixed; i < s->ncols; i++) {
			s->val[i] = "";
			s->len[i] = 0;
		}
		size_t un;
		const char *url = row_url(d, s, &un);
		if (url)
			weblog_query(url, un, set_query_value, s);
		for (size_t i = d->nfixed; i < s->ncols; i++)
			if (utf8_check(s->val[i], s->len[i]) != s->len[i])
				return reject(s,
				    "column '%s': invalid UTF-8 "
				    "after URL decoding",
				    s->col[i]);
	}
	return CSVIN_ROW;
}

enum csvin_status
source_next(struct source *s)
{
	struct src *d = s->priv;

	if (!d->csv)
		return line_next(s, 0);
	enum csvin_status st = csvin_next(d->csv);
	s->line = d->csv->line;
	if (st == CSVIN_ROW) {
		for (size_t i = 0; i < s->ncols; i++)
			s->val[i] = d->csv->f[i];
		s->len = d->csv->len;
	} else
		s->reason = d->csv->reason;
	return st;
}

const char *
source_raw(const struct source *s, size_t *n)
{
	const struct src *d = s->priv;
	if (d->csv)
		return csvin_raw(d->csv, n);
	*n = d->raw.len;
	return buf_str(&d->raw);
}

const char *
source_name(const struct source *s)
{
	return ((const struct src *)s->priv)->name;
}

uint64_t
source_bytes(const struct source *s)
{
	const struct src *d = s->priv;
	return d->csv ? csvin_bytes(d->csv) : io_raw_bytes(d->in);
}

long
source_col(const struct source *s, const char *name)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (strcmp(s->col[i], name) == 0)
			return (long)i;
	return -1;
}

void
source_close(struct source *s)
{
	if (!s)
		return;
	struct src *d = s->priv;
	if (!d->csv)
		free(s->len); /* csv rows borrow len from csvin */
	csvin_close(d->csv);
	if (d->lines)
		lines_free(d->lines);
	io_close(d->in);
	if (d->json)
		jsonrow_free(d->json);
	if (d->re)
		re_free(d->re);
	free(d->gstart);
	free(d->glen);
	if (d->vals)
		for (size_t i = 0; i < s->ncols; i++)
			buf_free(&d->vals[i]);
	free(d->vals);
	buf_free(&d->raw);
	buf_free(&d->reason);
	if (d->spool) {
		unlink(d->spool);
		err_cleanup_cancel(d->spool_hook);
		free(d->spool);
	}
	free(d->name);
	free(d);
	for (size_t i = 0; i < s->ncols; i++)
		free(s->col[i]);
	free(s->col);
	free(s->val);
	free(s);
}
