/*
 * jt-plot: a report to a picture.  Reads one of jt's reports (or events,
 * for a timeline), builds a gnuplot script with the data inline
 * (lib/plot), and either prints it (--script) or pipes it into gnuplot
 * (lib/proc) and writes the image gnuplot prints on its standard output to
 * -o FILE (atomically) or to standard output.  No temporary file is made;
 * the image is held in memory until gnuplot has succeeded, so a failed run
 * leaves no half picture.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "csvin.h"
#include "err.h"
#include "evin.h"
#include "io.h"
#include "plot.h"
#include "proc.h"
#include "reject.h"
#include "spec.h"
#include "ts.h"

enum {
	KEY_PNG = CLI_KEY_TOOL_BASE,
	KEY_SVG,
	KEY_PDF,
	KEY_SCRIPT,
	KEY_TITLE,
	KEY_WIDTH,
	KEY_HEIGHT,
	KEY_TOP,
	KEY_MEASURE,
	KEY_MODELS,
	KEY_ALL_SIGNALS,
};

static const struct cli_opt opts[] = {
	{ "png", KEY_PNG, CLI_NOARG, NULL, "draw a PNG image (the default)" },
	{ "svg", KEY_SVG, CLI_NOARG, NULL, "draw an SVG image" },
	{ "pdf", KEY_PDF, CLI_NOARG, NULL, "draw a PDF page" },
	{ "script", KEY_SCRIPT, CLI_NOARG, NULL,
	    "print the gnuplot script (data inline) instead of running it" },
	{ "title", KEY_TITLE, CLI_ARG, "TEXT", "the chart's title" },
	{ "width", KEY_WIDTH, CLI_ARG, "PIXELS",
	    "image width (default 1000, more for wide heat maps)" },
	{ "height", KEY_HEIGHT, CLI_ARG, "PIXELS",
	    "image height (default 600, more for many bars)" },
	{ "top", KEY_TOP, CLI_ARG, "N",
	    "draw the N largest rows (paths 20, friction 15, timeline "
	    "channels 12; attribution channels and transition states: all)" },
	{ "measure", KEY_MEASURE, CLI_ARG, "WHAT",
	    "attribution bars: conversions (default), value or share" },
	{ "models", KEY_MODELS, CLI_ARG, "LIST",
	    "attribution: draw only these models (default: every model)" },
	{ "all-signals", KEY_ALL_SIGNALS, CLI_NOARG, NULL,
	    "friction: also draw dropoff and dead_end rows" },
	CLI_COMMON_OUT,
	CLI_COMMON_QUIET,
	CLI_COMMON_REJECTS,
	CLI_COMMON_MAX_REJECTS,
	CLI_COMMON_MAX_FIELD,
	{ 0 },
};

static const struct cli_tool tool = {
	"jt-plot",
	"draw a report as a chart with gnuplot (PNG, SVG, PDF)",
	"attribution|paths|funnel|friction|transitions|timeline "
	"[--png|--svg|--pdf] [-o FILE] [--script] [--title TEXT] [file ...]",
	opts,
};

#define GNUPLOT_PACKAGE "gnuplot-nox"

/* ---- reading ---- */

struct reader {
	struct evin *e;
	struct reject_log rl;
	const char *input; /* for messages about the whole input */
	char why[200];
};

static long
need_col(
    struct reader *r, const char *name, const char *chart, const char *expect)
{
	long c = evin_col(r->e, name);
	if (c < 0)
		err_die("%s: no '%s' column: %s reads %s", r->input, name,
		    chart, expect);
	return c;
}

/* The first column whose name contains (or starts with) pat, or -1. */
static long
find_col(const struct evin *e, const char *pat, int prefix)
{
	for (size_t i = 0; i < e->ncols; i++) {
		const char *s = e->col[i];
		if (prefix ? strncmp(s, pat, strlen(pat)) == 0
			   : strstr(s, pat) != NULL)
			return (long)i;
	}
	return -1;
}

/*
 * The number in column col: NaN when col is absent (< 0) or, unless
 * required, empty.  -1 with r->why set when it is not a finite number.
 */
static int
number(struct reader *r, long col, int required, double *out)
{
	*out = NAN;
	if (col < 0)
		return 0;
	const char *s = r->e->f[col];
	size_t n = r->e->len[col];
	if (n == 0) {
		if (!required)
			return 0;
		snprintf(r->why, sizeof r->why, "column '%s': empty",
		    r->e->col[col]);
		return -1;
	}
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end != s + n || errno || !isfinite(v) ||
	    isspace((unsigned char)s[0])) {
		snprintf(r->why, sizeof r->why,
		    "column '%s': invalid number '%.40s'", r->e->col[col], s);
		return -1;
	}
	*out = v;
	return 0;
}

static void
reject_row(struct reader *r)
{
	evin_reject(r->e, &r->rl, r->why);
}

/* Next good row: 1, or 0 at the end; bad records are rejected. */
static int
next_row(struct reader *r)
{
	return evin_next_row(r->e, &r->rl);
}

static const char *
field(const struct reader *r, long col)
{
	return col < 0 ? "" : r->e->f[col];
}

#define ATTR_COLS "jt-attribute's model,channel,conversions,value,share[,lo,hi]"

/* --models: the models to draw, and how many rows each had. */
struct models {
	char **name;
	size_t n, cap;
	uint64_t *rows;
};

/* Whether model s is drawn (always without --models); counts its rows. */
static int
model_wanted(struct models *ms, const char *s)
{
	if (!ms->n)
		return 1;
	for (size_t i = 0; i < ms->n; i++)
		if (strcmp(ms->name[i], s) == 0) {
			ms->rows[i]++;
			return 1;
		}
	return 0;
}

static void
read_attribution(
    struct reader *r, struct plot *p, enum plot_measure m, struct models *ms)
{
	static const char *const mcol[] = { "conversions", "value", "share" };
	long cm = need_col(r, "model", "attribution", ATTR_COLS);
	long cc = need_col(r, "channel", "attribution", ATTR_COLS);
	long cv[3];
	for (int i = 0; i < 3; i++)
		cv[i] = i == (int)m
		    ? need_col(r, mcol[i], "attribution", ATTR_COLS)
		    : evin_col(r->e, mcol[i]);
	long clo = evin_col(r->e, "lo"), chi = evin_col(r->e, "hi");
	if ((clo < 0) != (chi < 0))
		err_die("%s: a '%s' column without '%s': the interval needs "
			"both lo and hi",
		    r->input, clo < 0 ? "hi" : "lo", clo < 0 ? "lo" : "hi");
	while (next_row(r)) {
		double v[3], lo, hi;
		int bad = 0;
		for (int i = 0; i < 3 && !bad; i++)
			bad = number(r, cv[i], i == (int)m, &v[i]) != 0;
		if (!bad)
			bad = number(r, clo, 0, &lo) || number(r, chi, 0, &hi);
		if (!bad && r->e->len[cm] == 0) {
			snprintf(
			    r->why, sizeof r->why, "column 'model': empty");
			bad = 1;
		}
		if (bad) {
			reject_row(r);
			continue;
		}
		if (!model_wanted(ms, r->e->f[cm]))
			continue;
		int ci = clo >= 0 && !isnan(lo) && !isnan(hi);
		plot_add_attribution(p, field(r, cm), field(r, cc),
		    isnan(v[0]) ? 0 : v[0], v[1], v[2], ci ? &lo : NULL,
		    ci ? &hi : NULL);
	}
}

#define PATHS_COLS                                                             \
	"jt-journey's path,total_conversions,total_conversion_value,"          \
	"total_null (--output paths) or path,count,conversions,"               \
	"conversion_rate,median_duration_s (--output variants)"

static void
read_paths(struct reader *r, struct plot *p)
{
	long cp = need_col(r, "path", "paths", PATHS_COLS);
	long ctc = evin_col(r->e, "total_conversions");
	long ctn = evin_col(r->e, "total_null");
	long ccount = evin_col(r->e, "count");
	long cconv = -1, crate = -1, cmed = -1;
	int table = ctc >= 0 && ctn >= 0;
	if (!table) {
		if (ccount < 0)
			err_die("%s: no 'total_conversions' and 'total_null' "
				"columns, nor 'count': paths reads %s",
			    r->input, PATHS_COLS);
		cconv = evin_col(r->e, "conversions");
		crate = evin_col(r->e, "conversion_rate");
		if (crate < 0)
			crate = find_col(r->e, "rate", 0);
		cmed = find_col(r->e, "median", 1);
		if (cconv < 0 && crate < 0)
			err_die("%s: no 'conversions' or conversion rate "
				"column beside 'count'",
			    r->input);
	}
	while (next_row(r)) {
		double j, c, null, rate = NAN, med = NAN;
		int bad;
		if (table) {
			bad = number(r, ctc, 1, &c) || number(r, ctn, 1, &null);
			j = c + null;
		} else {
			bad = number(r, ccount, 1, &j) ||
			    number(r, cconv, 0, &c) ||
			    number(r, crate, 0, &rate) ||
			    number(r, cmed, 0, &med);
			if (!bad && isnan(c))
				c = isnan(rate) ? 0 : rate * j;
		}
		if (!bad && (j < 0 || c < 0)) {
			snprintf(r->why, sizeof r->why,
			    "negative journeys or conversions");
			bad = 1;
		}
		if (bad) {
			reject_row(r);
			continue;
		}
		plot_add_path(p, r->e->f[cp], r->e->len[cp], j, c, med);
	}
}

#define FUNNEL_COLS                                                            \
	"jt-friction --output funnel's stage,journeys,from_previous,"          \
	"from_first,median_s_from_previous"

static int
fraction(struct reader *r, long col, double *out)
{
	if (number(r, col, 0, out))
		return -1;
	if (!isnan(*out) && (*out < 0 || *out > 1)) {
		snprintf(r->why, sizeof r->why,
		    "column '%s': '%s' is not a fraction between 0 and 1",
		    r->e->col[col], r->e->f[col]);
		return -1;
	}
	return 0;
}

static void
read_funnel(struct reader *r, struct plot *p)
{
	long cs = need_col(r, "stage", "funnel", FUNNEL_COLS);
	long cj = need_col(r, "journeys", "funnel", FUNNEL_COLS);
	long cfp = evin_col(r->e, "from_previous");
	long cff = evin_col(r->e, "from_first");
	long cmed = evin_col(r->e, "median_s_from_previous");
	if (cmed < 0)
		cmed = find_col(r->e, "median", 1);
	while (next_row(r)) {
		double j, fp, ff, med;
		if (number(r, cj, 1, &j) || fraction(r, cfp, &fp) ||
		    fraction(r, cff, &ff) || number(r, cmed, 0, &med)) {
			reject_row(r);
			continue;
		}
		plot_add_stage(p, field(r, cs), j, fp, ff, med);
	}
}

#define FRICTION_COLS                                                          \
	"jt-friction's signal,channel,step,group,journeys,share,conv_with,"    \
	"conv_without,impact,z,ranked,example"

static void
read_friction(struct reader *r, struct plot *p)
{
	long csig = need_col(r, "signal", "friction", FRICTION_COLS);
	long cimp = need_col(r, "impact", "friction", FRICTION_COLS);
	long cch = evin_col(r->e, "channel"), cst = evin_col(r->e, "step");
	long cgr = evin_col(r->e, "group"), cj = evin_col(r->e, "journeys");
	long cz = evin_col(r->e, "z"), crk = evin_col(r->e, "ranked");
	while (next_row(r)) {
		double imp, j, z;
		int ranked = 1;
		int bad = number(r, cimp, 1, &imp) || number(r, cj, 0, &j) ||
		    number(r, cz, 0, &z);
		if (!bad && crk >= 0) {
			const char *s = r->e->f[crk];
			if (!strcmp(s, "1") || !strcmp(s, "true") ||
			    !strcmp(s, "yes"))
				ranked = 1;
			else if (!strcmp(s, "0") || !strcmp(s, "false") ||
			    !strcmp(s, "no"))
				ranked = 0;
			else {
				snprintf(r->why, sizeof r->why,
				    "column 'ranked': '%.40s' is not 0 or 1",
				    s);
				bad = 1;
			}
		}
		if (bad) {
			reject_row(r);
			continue;
		}
		plot_add_friction(p, field(r, csig), field(r, cch),
		    field(r, cst), field(r, cgr), j, imp, z, ranked);
	}
}

#define TRANS_COLS                                                             \
	"jt-attribute --transitions' from,to,probability,count or "            \
	"jt-journey --output dfg's from,to,count,median_s,p90_s"

static void
read_transitions(struct reader *r, struct plot *p)
{
	long cf = need_col(r, "from", "transitions", TRANS_COLS);
	long ct = need_col(r, "to", "transitions", TRANS_COLS);
	long cp = evin_col(r->e, "probability");
	long cc = evin_col(r->e, "count");
	if (cp < 0 && cc < 0)
		err_die("%s: no 'probability' or 'count' column: transitions "
			"reads %s",
		    r->input, TRANS_COLS);
	enum plot_trans kind = cp >= 0 ? PLOT_MARKOV : PLOT_DFG;
	while (next_row(r)) {
		double prob, count;
		int bad =
		    number(r, cp, 1, &prob) || number(r, cc, cp < 0, &count);
		if (!bad &&
		    ((!isnan(prob) && (prob < 0 || prob > 1)) ||
			(!isnan(count) && count < 0))) {
			snprintf(r->why, sizeof r->why, "%s out of range",
			    !isnan(prob) && (prob < 0 || prob > 1)
				? "column 'probability': value"
				: "column 'count': value");
			bad = 1;
		}
		if (bad) {
			reject_row(r);
			continue;
		}
		plot_add_transition(
		    p, kind, field(r, cf), field(r, ct), prob, count);
	}
}

static void
read_timeline(struct reader *r, struct plot *p)
{
	const char *expect = "events (jt-events(5)) with ts and channel";
	long cts = need_col(r, "ts", "timeline", expect);
	long cch = need_col(r, "channel", "timeline", expect);
	uint64_t rows = 0;
	while (next_row(r)) {
		const char *s = r->e->f[cts];
		size_t n = r->e->len[cts];
		int64_t ms;
		if (ts_parse_canonical(s, n, &ms) != 0 &&
		    (n == 0 || ts_parse_auto(s, n, NULL, &ms) != 0)) {
			snprintf(r->why, sizeof r->why,
			    n ? "column 'ts': invalid time '%.40s'"
			      : "column 'ts': empty%.0s",
			    s);
			reject_row(r);
			continue;
		}
		int64_t day = ms >= 0 ? ms / 86400000
				      : -((-ms + 86400000 - 1) / 86400000);
		plot_add_event(p, day, r->e->f[cch], r->e->len[cch]);
		io_progress(++rows, evin_bytes(r->e));
	}
	io_progress_end();
}

/* ---- gnuplot ---- */

/* Prints gnuplot's messages, one "jt-plot: gnuplot: ..." line each. */
static void
relay(const struct buf *err, int warn)
{
	const char *s = buf_str(err);
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n) {
			if (warn)
				err_warn("gnuplot: %.*s", (int)(n - k), s + k);
			else
				err_error("gnuplot: %.*s", (int)(n - k), s + k);
		}
		s += n + (e != NULL);
	}
}

/*
 * Runs gnuplot on script; its standard output (the image) is collected in
 * img.  Dies with gnuplot's messages when it fails.
 */
static void
run_gnuplot(const struct buf *script, struct buf *img)
{
	char *gp = proc_find("gnuplot");
	if (!gp)
		err_die(
		    "gnuplot not found on PATH: install the Debian "
		    "package " GNUPLOT_PACKAGE
		    " (apt-get install " GNUPLOT_PACKAGE "), or use --script");
	/* -d: no init file can restyle the chart behind our back */
	static char name[] = "gnuplot", defaults[] = "-d";
	char *argv[] = { name, defaults, NULL };
	struct buf err = { 0 };
	int status;
	const char *why;
	if (proc_filter(gp, argv, script->data, script->len, img, &err, &status,
		&why) != 0)
		err_die("cannot run gnuplot: %s (%s)", why, strerror(errno));
	free(gp);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		relay(&err, 0);
		buf_free(&err);
		if (WIFSIGNALED(status))
			err_die("gnuplot was killed by signal %d",
			    WTERMSIG(status));
		err_die("gnuplot failed (exit status %d)", WEXITSTATUS(status));
	}
	relay(&err, 1);
	buf_free(&err);
	if (img->len == 0)
		err_die("gnuplot wrote no image");
}

/* ---- main ---- */

static const char *const format_names[] = { "png", "svg", "pdf" };

/* The format named by the extension of path, or -1. */
static int
format_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return -1;
	for (int i = 0; i < 3; i++)
		if (strcasecmp(dot + 1, format_names[i]) == 0)
			return i;
	return -1;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_common cc;
	struct plot_opts po;
	int format = -1, script = 0;
	struct models models = { 0 };
	memset(&po, 0, sizeof po);
	cli_common_init(&cc);
	cli_init(&c, &tool, argc, argv);
	int k;
	while ((k = cli_next(&c)) != -1) {
		if (cli_common_opt(&cc, k, c.arg))
			continue;
		switch (k) {
		case KEY_PNG:
		case KEY_SVG:
		case KEY_PDF:
			if (format >= 0 && format != k - KEY_PNG)
				err_usage("--%s and --%s: choose one format",
				    format_names[format],
				    format_names[k - KEY_PNG]);
			format = k - KEY_PNG;
			break;
		case KEY_SCRIPT: script = 1; break;
		case KEY_TITLE: po.title = c.arg; break;
		case KEY_WIDTH:
			po.width = (int)cli_int("--width", c.arg, 100, 10000);
			break;
		case KEY_HEIGHT:
			po.height = (int)cli_int("--height", c.arg, 100, 10000);
			break;
		case KEY_ALL_SIGNALS: po.all_signals = 1; break;
		case KEY_TOP:
			po.top = (size_t)cli_int("--top", c.arg, 1, 100000);
			break;
		case KEY_MEASURE:
			if (strcmp(c.arg, "conversions") == 0)
				po.measure = PLOT_CONVERSIONS;
			else if (strcmp(c.arg, "value") == 0)
				po.measure = PLOT_VALUE;
			else if (strcmp(c.arg, "share") == 0)
				po.measure = PLOT_SHARE;
			else
				err_usage("--measure takes conversions, value "
					  "or share, not '%s'",
				    c.arg);
			break;
		case KEY_MODELS: {
			const char *why;
			if (spec_list(c.arg, &models.name, &models.n,
				&models.cap, &why) != 0)
				err_usage("--models: %s", why);
			break;
		}
		default: err_usage("unexpected option");
		}
	}
	models.rows = xcalloc(models.n + 1, sizeof *models.rows);
	if (c.optind >= argc)
		err_usage("which chart? attribution, paths, funnel, friction, "
			  "transitions or timeline");
	enum plot_chart chart;
	if (plot_chart_parse(argv[c.optind], &chart) != 0)
		err_usage("unknown chart '%s' (attribution, paths, funnel, "
			  "friction, transitions or timeline)",
		    argv[c.optind]);
	if (po.measure != PLOT_CONVERSIONS && chart != PLOT_ATTRIBUTION)
		err_usage("--measure is for the attribution chart");
	if (models.n && chart != PLOT_ATTRIBUTION)
		err_usage("--models is for the attribution chart");
	if (cc.out && strcmp(cc.out, "-") == 0)
		cc.out = NULL;
	if (format < 0 && cc.out) {
		format = format_of(cc.out);
		if (format < 0)
			err_usage("cannot tell the format of '%s' from its "
				  "extension: use --png, --svg or --pdf",
			    cc.out);
	}
	po.format = format < 0 ? PLOT_PNG : (enum plot_format)format;
	if (script)
		po.output = cc.out;
	else if (!cc.out && isatty(STDOUT_FILENO))
		err_usage("not writing a %s image to a terminal: use -o FILE, "
			  "or --script",
		    format_names[po.format]);
	int nop = argc - c.optind - 1;
	cli_refuse_tty_stdin(&tool, nop);

	struct reader r;
	memset(&r, 0, sizeof r);
	struct csvin_opts copts = { 0 };
	copts.max_field = cc.max_field;
	r.e = evin_open(argv + c.optind + 1, (size_t)nop, &copts, cc.quiet);
	r.input = nop == 0 ? "<stdin>"
	    : nop == 1     ? argv[c.optind + 1]
			   : "the inputs";
	if (r.e->ncols == 0)
		err_die("%s: empty input: no report to plot", r.input);
	reject_init(&r.rl, cc.rejects, cc.max_rejects);
	struct plot *p = plot_new(chart);
	switch (chart) {
	case PLOT_ATTRIBUTION:
		read_attribution(&r, p, po.measure, &models);
		break;
	case PLOT_PATHS: read_paths(&r, p); break;
	case PLOT_FUNNEL: read_funnel(&r, p); break;
	case PLOT_FRICTION: read_friction(&r, p); break;
	case PLOT_TRANSITIONS: read_transitions(&r, p); break;
	case PLOT_TIMELINE: read_timeline(&r, p); break;
	}
	uint64_t rows = plot_rows(p), rejected = r.rl.count;
	reject_close(&r.rl);
	evin_close(r.e);
	for (size_t i = 0; i < models.n; i++)
		if (!models.rows[i] && !cc.quiet)
			err_warn("%s: no row of model '%s'", r.input,
			    models.name[i]);
	spec_list_free(models.name, models.n);
	free(models.rows);
	if (rows == 0 && !cc.quiet)
		err_warn("%s: no rows: the chart says 'no data'", r.input);

	struct buf sc = { 0 };
	plot_script(p, &po, &sc);
	plot_free(p);
	if (script) {
		struct io_out *o = io_out_open(NULL);
		io_write(o, sc.data, sc.len);
		io_out_close(o);
	} else {
		struct buf img = { 0 };
		run_gnuplot(&sc, &img);
		struct io_out *o = io_out_open(cc.out);
		io_write(o, img.data, img.len);
		io_out_close(o);
		buf_free(&img);
	}
	if (!cc.quiet)
		fprintf(stderr, "%s: %s: %llu %s, %llu rejected%s%s\n",
		    err_prog(), plot_chart_name(chart),
		    (unsigned long long)rows,
		    chart == PLOT_TIMELINE ? "events" : "rows",
		    (unsigned long long)rejected,
		    script ? "; script written" : "; wrote ",
		    script       ? ""
			: cc.out ? cc.out
				 : "<stdout>");
	buf_free(&sc);
	cli_done(&c);
	return 0;
}
