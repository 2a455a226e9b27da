/*
 * jt-ingest: a silo's export (CSV, TSV, JSON lines, access logs, any line
 * format through --regex) to events of jt-events(5).
 *
 * All inputs are opened first, so the output header (the union of their
 * columns in the order of jt-events(5)) is known before the first row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "channel.h"
#include "cli.h"
#include "csvout.h"
#include "err.h"
#include "events.h"
#include "ingest.h"
#include "io.h"
#include "re.h"
#include "reject.h"
#include "source.h"
#include "spec.h"
#include "ts.h"
#include "utf8.h"

enum {
	KEY_FORMAT = 'f',
	KEY_DELIM = 'd',
	KEY_MAP = 'm',
	KEY_WHERE = 'w',
	KEY_REGEX = CLI_KEY_TOOL_BASE,
	KEY_SET,
	KEY_SOURCE,
	KEY_KEEP,
	KEY_TS_FORMAT,
	KEY_TZ,
	KEY_PHONE_COUNTRY,
	KEY_CHANNELS,
	KEY_CHANNEL_RULES,
	KEY_SITE,
	KEY_QUERY_COLUMNS,
	KEY_ENCODING,
	KEY_NO_HEADER,
};

static const struct cli_opt opts[] = {
	{ "format", 'f', CLI_ARG, "FMT",
	    "csv, tsv, jsonl, clf, combined or regex (default csv)" },
	{ "delimiter", 'd', CLI_ARG, "C", "csv field separator (default ',')" },
	{ "regex", KEY_REGEX, CLI_ARG, "PCRE2",
	    "with --format regex: named groups become columns" },
	{ "map", 'm', CLI_ARG, "DST=SRC,...",
	    "output column DST from input column (or JSON path) SRC" },
	{ "set", KEY_SET, CLI_ARG, "COL=VALUE,...", "constant column" },
	{ "where", 'w', CLI_ARG, "COL~RE|COL!~RE",
	    "keep rows whose output COL matches (or not) RE; may repeat" },
	{ "keep", KEY_KEEP, CLI_ARG, "COLS",
	    "unmapped attributes to pass through (default all; '' for none)" },
	{ "source", KEY_SOURCE, CLI_ARG, "NAME",
	    "the source column (default: the file's base name)" },
	{ "ts-format", KEY_TS_FORMAT, CLI_ARG, "FMT",
	    "strptime-style time format (default: ISO 8601 or epoch)" },
	{ "tz", KEY_TZ, CLI_ARG, "ZONE",
	    "IANA zone of times without offset (default UTC)" },
	{ "phone-country", KEY_PHONE_COUNTRY, CLI_ARG, "CODE",
	    "calling code added to national phone numbers (e.g. 1, 44)" },
	{ "channels", KEY_CHANNELS, CLI_ARG, "web",
	    "derive channel with the built-in web grouping" },
	{ "site", KEY_SITE, CLI_ARG, "HOST",
	    "the site's own host, for internal referrers (default: url host)" },
	{ "channel-rules", KEY_CHANNEL_RULES, CLI_ARG, "FILE",
	    "ordered channel rules, first match wins" },
	{ "query-columns", KEY_QUERY_COLUMNS, CLI_NOARG, NULL,
	    "each url query parameter becomes a column q_NAME" },
	{ "no-header", KEY_NO_HEADER, CLI_NOARG, NULL,
	    "csv, tsv: no header row; the columns are c1, c2, ..." },
	{ "encoding", KEY_ENCODING, CLI_ARG, "ENC",
	    "input encoding: utf-8 (default), latin1 or cp1252" },
	CLI_COMMON_OUT, CLI_COMMON_QUIET, CLI_COMMON_REJECTS,
	CLI_COMMON_MAX_REJECTS, CLI_COMMON_MAX_FIELD, { 0 }
};

static const struct cli_tool tool = {
	"jt-ingest",
	"turn a silo's export (CSV, TSV, JSON lines, web logs) into events",
	"[-f FORMAT] [-m DST=SRC,...] [-o FILE] [OPTION]... [FILE]...",
	opts,
};

struct input {
	struct source *src;
	struct ingest_plan *plan;
	long *from_plan; /* union column -> plan column, or -1 */
	char *plain;     /* union column needs no quoting check */
};

/* Paths a jsonl input must read: --map sources and --keep names. */
static void
json_paths(const struct ingest_conf *c, char ***paths, size_t *n)
{
	*paths = NULL;
	*n = 0;
	if (!c->keep_given)
		return; /* discover every leaf */
	*paths = xcalloc(c->nmap + c->nkeep + 1, sizeof **paths);
	for (size_t i = 0; i < c->nmap; i++)
		(*paths)[(*n)++] = c->map[i].val;
	for (size_t i = 0; i < c->nkeep; i++)
		(*paths)[(*n)++] = c->keep[i];
}

static void
parse_where(struct ingest_conf *c, const char *arg)
{
	const char *t = strstr(arg, "~");
	if (!t || t == arg || (t == arg + 1 && arg[0] == '!'))
		err_usage(
		    "--where '%s': expected COL~REGEX or COL!~REGEX", arg);
	int neg = t[-1] == '!';
	size_t collen = (size_t)(t - arg) - (neg ? 1 : 0);
	char why[256];
	struct re *re = re_compile(t + 1, 0, why, sizeof why);
	if (!re)
		err_usage("--where '%s': %s", arg, why);
	c->where = xreallocarray(c->where, c->nwhere + 1, sizeof *c->where);
	c->where[c->nwhere].col = xstrndup(arg, collen);
	c->where[c->nwhere].negate = neg;
	c->where[c->nwhere].re = re;
	c->nwhere++;
}

static void
summary(uint64_t read, uint64_t written, const struct reject_log *rl,
    const struct ingest_stats *st)
{
	struct buf b = { 0 };

	buf_printf(&b, "%llu rows read, %llu written", (unsigned long long)read,
	    (unsigned long long)written);
	if (st->filtered)
		buf_printf(&b, ", %llu filtered by --where",
		    (unsigned long long)st->filtered);
	buf_adds(&b, ", ");
	reject_tally(rl, &b);
	for (size_t i = 0; i < st->nid; i++)
		buf_printf(&b, "%s%llu junk %s", i ? ", " : "; ",
		    (unsigned long long)st->id[i].junk, st->id[i].col);
	if (st->no_id)
		buf_printf(&b, "; rows without identifier: %llu",
		    (unsigned long long)st->no_id);
	fprintf(stderr, "%s: %s\n", err_prog(), buf_str(&b));
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct ingest_conf conf = { 0 };
	struct source_opts so = { 0 };
	struct cli_common cc;
	const char *tz = NULL;
	size_t mapcap = 0, setcap = 0, keepcap = 0;
	int k, format_given = 0;
	const char *why;

	so.format = SOURCE_CSV;
	cli_common_init(&cc);
	cli_init(&c, &tool, argc, argv);
	while ((k = cli_next(&c)) != -1) {
		if (cli_common_opt(&cc, k, c.arg))
			continue;
		switch (k) {
		case 'f': {
			int f = source_format_parse(c.arg);
			if (f < 0)
				err_usage(
				    "unknown format '%s' (csv, tsv, jsonl, "
				    "clf, combined, regex)",
				    c.arg);
			so.format = (enum source_format)f;
			format_given = 1;
			break;
		}
		case 'd':
			if (strcmp(c.arg, "\\t") == 0 ||
			    strcmp(c.arg, "tab") == 0)
				so.delim = '\t';
			else if (strlen(c.arg) != 1 || c.arg[0] == '"' ||
			    c.arg[0] == '\n' || c.arg[0] == '\r')
				err_usage("option '--delimiter' takes one "
					  "character (or 'tab'), not '%s'",
				    c.arg);
			else
				so.delim = c.arg[0];
			break;
		case KEY_REGEX: so.regex = c.arg; break;
		case 'm':
			if (spec_pairs(c.arg, &conf.map, &conf.nmap, &mapcap,
				&why) < 0)
				err_usage("--map '%s': %s", c.arg, why);
			break;
		case KEY_SET:
			if (spec_pairs(c.arg, &conf.set, &conf.nset, &setcap,
				&why) < 0)
				err_usage("--set '%s': %s", c.arg, why);
			break;
		case 'w': parse_where(&conf, c.arg); break;
		case KEY_KEEP:
			conf.keep_given = 1;
			if (spec_list(c.arg, &conf.keep, &conf.nkeep, &keepcap,
				&why) < 0)
				err_usage("--keep '%s': %s", c.arg, why);
			break;
		case KEY_SOURCE: conf.source = c.arg; break;
		case KEY_TS_FORMAT:
			ts_fmt_free(conf.ts_fmt);
			conf.ts_fmt = ts_fmt_compile(c.arg, &why);
			if (!conf.ts_fmt)
				err_usage("--ts-format '%s': %s", c.arg, why);
			break;
		case KEY_TZ: tz = c.arg; break;
		case KEY_PHONE_COUNTRY:
			if (!*c.arg ||
			    strspn(c.arg, "0123456789") != strlen(c.arg) ||
			    strlen(c.arg) > 3)
				err_usage("--phone-country '%s': expected a "
					  "calling code of 1 to 3 digits",
				    c.arg);
			conf.phone_country = c.arg;
			break;
		case KEY_CHANNELS:
			if (strcmp(c.arg, "web") != 0)
				err_usage("--channels '%s': the only built-in "
					  "grouping is 'web'",
				    c.arg);
			conf.channels_web = 1;
			break;
		case KEY_SITE: conf.site = c.arg; break;
		case KEY_CHANNEL_RULES: {
			char msg[512];
			channel_rules_free(conf.rules);
			conf.rules = channel_rules_load(c.arg, msg, sizeof msg);
			if (!conf.rules)
				err_usage("--channel-rules: %s", msg);
			break;
		}
		case KEY_QUERY_COLUMNS: so.query_columns = 1; break;
		case KEY_NO_HEADER: so.no_header = 1; break;
		case KEY_ENCODING: {
			int e = utf8_encoding_parse(c.arg);
			if (e < 0)
				err_usage("--encoding '%s': expected utf-8, "
					  "latin1 or cp1252",
				    c.arg);
			so.encoding = e;
			break;
		}
		}
	}
	so.max_field = cc.max_field;
	if (so.format == SOURCE_REGEX && !so.regex)
		err_usage("--format regex needs --regex PATTERN");
	if (so.regex) {
		char msg[256];
		struct re *re = re_compile(so.regex, 0, msg, sizeof msg);
		if (!re)
			err_usage("--regex: %s", msg);
		re_free(re);
	}
	if (so.regex && so.format != SOURCE_REGEX) {
		if (format_given)
			err_usage("--regex needs --format regex");
		so.format = SOURCE_REGEX;
	}
	if (so.no_header && so.format != SOURCE_CSV && so.format != SOURCE_TSV)
		err_usage("--no-header applies to csv and tsv");
	if (so.delim && so.format != SOURCE_CSV)
		err_usage("--delimiter applies to --format csv only");
	if (so.query_columns &&
	    (so.format == SOURCE_CSV || so.format == SOURCE_TSV ||
		so.format == SOURCE_JSONL))
		err_usage("--query-columns applies to clf, combined and regex");
	if (tz && !(conf.tz = ts_zone_load(tz, &why)))
		err_usage("--tz '%s': %s", tz, why);
	if (so.format == SOURCE_JSONL)
		json_paths(&conf, &so.paths, &so.npaths);

	int nop = argc - c.optind;
	cli_refuse_tty_stdin(&tool, nop);
	char *stdin_only[] = { "-" };
	char **paths = nop ? argv + c.optind : stdin_only;
	size_t npaths = nop ? (size_t)nop : 1;

	/* Open every input and plan it; the union header follows. */
	struct input *in = xcalloc(npaths, sizeof *in);
	const char **names = NULL;
	size_t nnames = 0;
	for (size_t i = 0; i < npaths; i++) {
		char msg[1024];
		in[i].src = source_open(paths[i], &so, msg, sizeof msg);
		if (!in[i].src)
			err_die("%s", msg);
		if (in[i].src->empty) {
			/* no header to plan with: today's export had nothing */
			if (!cc.quiet)
				err_warn(
				    "%s: empty input", source_name(in[i].src));
			continue;
		}
		in[i].plan =
		    ingest_plan_new(&conf, in[i].src->col, in[i].src->ncols,
			paths[i], so.format == SOURCE_JSONL, msg, sizeof msg);
		if (!in[i].plan)
			err_die("%s: %s", source_name(in[i].src), msg);
		for (size_t j = 0; j < ingest_plan_ncols(in[i].plan); j++) {
			const char *n = ingest_plan_col(in[i].plan, j);
			size_t u;
			for (u = 0; u < nnames; u++)
				if (strcmp(names[u], n) == 0)
					break;
			if (u == nnames) {
				names = xreallocarray(
				    names, nnames + 1, sizeof *names);
				names[nnames++] = n;
			}
		}
	}
	events_order(names, nnames);
	for (size_t i = 0; i < npaths; i++) {
		if (!in[i].plan)
			continue; /* an empty input */
		size_t np = ingest_plan_ncols(in[i].plan);
		in[i].from_plan =
		    xcalloc(nnames ? nnames : 1, sizeof *in[i].from_plan);
		in[i].plain = xcalloc(nnames ? nnames : 1, 1);
		for (size_t u = 0; u < nnames; u++) {
			in[i].from_plan[u] = -1;
			for (size_t j = 0; j < np; j++)
				if (strcmp(names[u],
					ingest_plan_col(in[i].plan, j)) == 0) {
					in[i].from_plan[u] = (long)j;
					in[i].plain[u] =
					    (char)ingest_plan_plain(
						in[i].plan, j);
				}
		}
	}

	struct reject_log rl;
	reject_init(&rl, cc.rejects, cc.max_rejects);
	struct io_out *out = io_out_open(cc.out);
	struct csvout w;
	csvout_init(&w, out, ',');
	/* all inputs empty: no columns, so no header either */
	for (size_t u = 0; u < nnames; u++)
		csvout_str(&w, names[u]);
	if (nnames)
		csvout_end(&w);

	struct ingest_stats st = { 0 };
	const char **pv = NULL;
	size_t *pl = NULL;
	uint64_t nread = 0, nwritten = 0, bytes_done = 0;
	int status = ERR_OK;

	for (size_t i = 0; i < npaths; i++) {
		struct source *s = in[i].src;
		if (!in[i].plan)
			continue;
		size_t np = ingest_plan_ncols(in[i].plan);
		pv = xreallocarray(pv, np + 1, sizeof *pv);
		pl = xreallocarray(pl, np + 1, sizeof *pl);
		enum csvin_status cs;
		while ((cs = source_next(s)) != CSVIN_EOF) {
			char msg[1024];
			size_t rawlen;
			const char *raw;
			if (cs == CSVIN_FAIL) {
				err_data(source_name(s), 0, "%s", s->reason);
				status = ERR_DATA;
				break;
			}
			nread++;
			if (cs == CSVIN_REJECT) {
				raw = source_raw(s, &rawlen);
				reject_add(&rl, source_name(s), s->line,
				    s->reason, raw, rawlen);
				continue;
			}
			enum ingest_result r = ingest_row(in[i].plan, s->val,
			    s->len, &st, pv, pl, msg, sizeof msg);
			if (r == INGEST_REJECT) {
				raw = source_raw(s, &rawlen);
				reject_add(&rl, source_name(s), s->line, msg,
				    raw, rawlen);
				continue;
			}
			if (r == INGEST_FILTERED)
				continue;
			for (size_t u = 0; u < nnames; u++) {
				long j = in[i].from_plan[u];
				if (j < 0)
					csvout_plain(&w, "", 0);
				else if (in[i].plain[u])
					csvout_plain(&w, pv[j], pl[j]);
				else
					csvout_field(&w, pv[j], pl[j]);
			}
			csvout_end(&w);
			nwritten++;
			io_progress(nread, bytes_done + source_bytes(s));
		}
		bytes_done += source_bytes(s);
	}
	io_progress_end();
	if (status == ERR_OK)
		io_out_close(out);
	else
		io_out_abort(out);
	if (!cc.quiet)
		summary(nread, nwritten, &rl, &st);
	reject_close(&rl);
	ingest_stats_free(&st);

	for (size_t i = 0; i < npaths; i++) {
		ingest_plan_free(in[i].plan);
		source_close(in[i].src);
		free(in[i].from_plan);
		free(in[i].plain);
	}
	free(in);
	free(names);
	free(pv);
	free(pl);
	free(so.paths);
	spec_pairs_free(conf.map, conf.nmap);
	spec_pairs_free(conf.set, conf.nset);
	spec_list_free(conf.keep, conf.nkeep);
	for (size_t i = 0; i < conf.nwhere; i++) {
		free(conf.where[i].col);
		re_free(conf.where[i].re);
	}
	free(conf.where);
	ts_fmt_free(conf.ts_fmt);
	ts_zone_free(conf.tz);
	channel_rules_free(conf.rules);
	cli_done(&c);
	return status;
}
