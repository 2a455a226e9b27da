/*
 * jt-attribute: who gets the credit.  Reads journeys (jt-journey --output
 * journeys) or a path table (path,total_conversions,...), detected from
 * the header, and writes the conversions and value each channel earns
 * under each model, in long form: model,channel,conversions,value,share
 * (with --ci, lo,hi from a journey-level bootstrap).  Or, instead of that
 * table: --per-journey (each journey's credit per channel),
 * --removal-effects (the Markov removal effects), --transitions (the
 * Markov transition matrix).
 *
 * The whole input is held as interned paths (lib/pathtab); the models
 * are lib/attrib (rules), lib/markov (exact removal effects) and
 * lib/shapley.  Deterministic: the same input and options give the same
 * bytes; row order changes nothing but the last bits of sums.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "buf.h"
#include "cli.h"
#include "csvin.h"
#include "csvout.h"
#include "err.h"
#include "evin.h"
#include "io.h"
#include "markov.h"
#include "pathtab.h"
#include "reject.h"
#include "resample.h"
#include "rng.h"
#include "shapley.h"
#include "ts.h"

enum {
	KEY_MODEL = 'm',
	KEY_DIRECT = CLI_KEY_TOOL_BASE,
	KEY_LINEAR,
	KEY_POSITION,
	KEY_HALF_LIFE,
	KEY_ORDER,
	KEY_CI,
	KEY_BOOTSTRAP,
	KEY_SEED,
	KEY_PERMUTATIONS,
	KEY_PER_JOURNEY,
	KEY_REMOVAL,
	KEY_TRANSITIONS,
};

static const struct cli_opt opts[] = {
	{ "model", 'm', CLI_ARG, "LIST",
	    "models, comma separated, or all (the default): first,last,"
	    "last_non_direct,linear,participation,position,j,inverse_j,"
	    "time_decay,markov,shapley" },
	{ "direct", KEY_DIRECT, CLI_ARG, "NAME",
	    "the channel last_non_direct passes over (default direct)" },
	{ "linear", KEY_LINEAR, CLI_ARG, "HOW",
	    "linear per touch (the default, repeats counted) or unique "
	    "(per distinct channel)" },
	{ "position", KEY_POSITION, CLI_ARG, "F,L",
	    "position: shares of the first and last touch (default 0.4,0.4)" },
	{ "half-life", KEY_HALF_LIFE, CLI_ARG, "TIME",
	    "time_decay: a touch TIME older weighs half (default 7d)" },
	{ "order", KEY_ORDER, CLI_ARG, "N",
	    "markov: states of N consecutive channels, 1 to 4 (default 1)" },
	{ "ci", KEY_CI, CLI_ARG, "LEVEL",
	    "add lo,hi: a bootstrap interval at LEVEL (e.g. 0.95)" },
	{ "bootstrap", KEY_BOOTSTRAP, CLI_ARG, "N",
	    "bootstrap replicates for --ci (default 200)" },
	{ "seed", KEY_SEED, CLI_ARG, "S",
	    "seed of the bootstrap and of sampled Shapley values (default 1)" },
	{ "permutations", KEY_PERMUTATIONS, CLI_ARG, "N",
	    "shapley: random orders per channel set above 16 channels "
	    "(default 2000)" },
	{ "per-journey", KEY_PER_JOURNEY, CLI_NOARG, NULL,
	    "write each journey's credit instead: journey,model,channel,"
	    "credit,value" },
	{ "removal-effects", KEY_REMOVAL, CLI_NOARG, NULL,
	    "write the markov removal effects instead: channel,"
	    "removal_effect,removal_effect_value" },
	{ "transitions", KEY_TRANSITIONS, CLI_NOARG, NULL,
	    "write the markov transition matrix instead: from,to,"
	    "probability,count" },
	CLI_COMMON_OUT,
	CLI_COMMON_QUIET,
	CLI_COMMON_REJECTS,
	CLI_COMMON_MAX_REJECTS,
	CLI_COMMON_MAX_FIELD,
	{ 0 },
};

static const struct cli_tool tool = {
	"jt-attribute",
	"credit conversions to channels: rules, exact Markov, Shapley",
	"[-m LIST] [--order N] [--ci LEVEL] [--per-journey | "
	"--removal-effects | --transitions] [-o FILE] [file ...]",
	opts,
};

enum out_kind { OUT_TABLE, OUT_PER_JOURNEY, OUT_REMOVAL, OUT_TRANSITIONS };

struct conf {
	int want[ATTRIB_NMODELS]; /* requested, in canonical order */
	int all;                  /* --model all (skip what the input lacks) */
	const char *direct;
	struct attrib_conf ac;
	int order;
	double ci;
	long bootstrap;
	uint64_t seed;
	long perms;
	enum out_kind out;
};

/* Everything read, and the results of one computation. */
struct run {
	struct conf cf;
	struct pathtab *t;
	int is_table;      /* a path table, else journeys */
	struct buf labels; /* --per-journey: each row's journey, NUL-ended */
	size_t *label_off;
	uint64_t *mask; /* shapley: each row's channel set */
	uint32_t nch;
	int quiet;
};

struct result {
	double *conv[ATTRIB_NMODELS], *value[ATTRIB_NMODELS];
	double *re, *re_value; /* markov */
	int markov_failed;
};

/* ---- options ---- */

static void
parse_models(struct conf *cf, const char *s)
{
	memset(cf->want, 0, sizeof cf->want);
	cf->all = 0;
	const char *p = s;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int m = attrib_model_parse(p, n);
		if (n == 3 && memcmp(p, "all", 3) == 0) {
			cf->all = 1;
			for (int i = 0; i < ATTRIB_NMODELS; i++)
				cf->want[i] = 1;
		} else if (m < 0)
			err_usage("--model: unknown model '%.*s'", (int)n, p);
		else
			cf->want[m] = 1;
		if (!comma)
			break;
		p = comma + 1;
	}
}

static double
parse_fraction(const char *opt, const char *s, size_t n)
{
	double v;
	if (n == 0 || pathtab_number(s, n, &v) != 0 || v > 1)
		err_usage(
		    "%s: '%.*s' is not a number from 0 to 1", opt, (int)n, s);
	return v;
}

static void
parse_options(struct conf *cf, struct cli_common *cc, struct cli *c)
{
	int k;
	while ((k = cli_next(c)) != -1) {
		if (cli_common_opt(cc, k, c->arg))
			continue;
		switch (k) {
		case KEY_MODEL: parse_models(cf, c->arg); break;
		case KEY_DIRECT:
			if (!*c->arg)
				err_usage("--direct: empty channel name");
			cf->direct = c->arg;
			break;
		case KEY_LINEAR:
			if (strcmp(c->arg, "touch") == 0)
				cf->ac.linear_unique = 0;
			else if (strcmp(c->arg, "unique") == 0)
				cf->ac.linear_unique = 1;
			else
				err_usage("--linear takes touch or unique, not "
					  "'%s'",
				    c->arg);
			break;
		case KEY_POSITION: {
			const char *comma = strchr(c->arg, ',');
			if (!comma)
				err_usage("--position takes F,L (two shares), "
					  "not '%s'",
				    c->arg);
			double f = parse_fraction("--position", c->arg,
				   (size_t)(comma - c->arg)),
			       l = parse_fraction(
				   "--position", comma + 1, strlen(comma + 1));
			if (f + l > 1 + 1e-12)
				err_usage("--position: '%s' gives the first "
					  "and last touch more than 1",
				    c->arg);
			cf->ac.pos_first = f;
			cf->ac.pos_last = l;
			break;
		}
		case KEY_HALF_LIFE: {
			int64_t ms;
			if (ts_parse_duration(c->arg, &ms) != 0 || ms <= 0)
				err_usage("--half-life: '%s' is not a positive "
					  "duration (90s, 12h, 7d, ...)",
				    c->arg);
			cf->ac.half_life = (double)ms / 1000;
			break;
		}
		case KEY_ORDER:
			cf->order = (int)cli_int(
			    "--order", c->arg, 1, MARKOV_MAX_ORDER);
			break;
		case KEY_CI: {
			double v;
			if (pathtab_number(c->arg, strlen(c->arg), &v) != 0 ||
			    !(v > 0 && v < 1))
				err_usage("--ci: '%s' is not a level between 0 "
					  "and 1 (e.g. 0.95)",
				    c->arg);
			cf->ci = v;
			break;
		}
		case KEY_BOOTSTRAP:
			cf->bootstrap =
			    (long)cli_int("--bootstrap", c->arg, 2, 1000000);
			break;
		case KEY_SEED:
			cf->seed = (uint64_t)cli_int(
			    "--seed", c->arg, 0, (long long)1 << 62);
			break;
		case KEY_PERMUTATIONS:
			cf->perms = (long)cli_int(
			    "--permutations", c->arg, 1, 100000000);
			break;
		case KEY_PER_JOURNEY:
		case KEY_REMOVAL:
		case KEY_TRANSITIONS: {
			enum out_kind o = k == KEY_PER_JOURNEY ? OUT_PER_JOURNEY
			    : k == KEY_REMOVAL                 ? OUT_REMOVAL
					       : OUT_TRANSITIONS;
			if (cf->out != OUT_TABLE && cf->out != o)
				err_usage("--per-journey, --removal-effects "
					  "and --transitions exclude each "
					  "other");
			cf->out = o;
			break;
		}
		default: err_usage("unexpected option");
		}
	}
	if (cf->out != OUT_TABLE && cf->ci > 0)
		err_usage("--ci applies to the attribution table, not to "
			  "--per-journey, --removal-effects or --transitions");
	if (cf->bootstrap && cf->ci == 0)
		err_usage("--bootstrap needs --ci LEVEL");
	if (cf->out == OUT_REMOVAL || cf->out == OUT_TRANSITIONS) {
		memset(cf->want, 0, sizeof cf->want);
		cf->want[ATTRIB_MARKOV] = 1;
		cf->all = 0;
	}
}

/* ---- input ---- */

/* Rejects the current row with "column 'col': why 'value'". */
static void
reject_field(struct reject_log *rl, struct evin *e, const char *col,
    const char *why, long c)
{
	char msg[256];
	if (c >= 0)
		snprintf(msg, sizeof msg, "column '%s': %s '%.*s'", col, why,
		    e->len[c] > 64 ? 64 : (int)e->len[c], e->f[c]);
	else
		snprintf(msg, sizeof msg, "column '%s': %s", col, why);
	evin_reject(e, rl, msg);
}

static int
number_field(struct reject_log *rl, struct evin *e, long c, const char *name,
    double *out)
{
	if (c < 0) {
		*out = 0;
		return 0;
	}
	if (pathtab_number(e->f[c], e->len[c], out) == 0)
		return 0;
	reject_field(rl, e, name, "not a number >= 0", c);
	return -1;
}

static void
read_input(
    struct run *run, struct evin *e, struct reject_log *rl, const char *name)
{
	long cpath = evin_col(e, "path");
	long ctc = evin_col(e, "total_conversions");
	long ctv = evin_col(e, "total_conversion_value");
	long ctn = evin_col(e, "total_null");
	long cconv = evin_col(e, "conversions");
	long cconverted = evin_col(e, "converted");
	long cvalue = evin_col(e, "value");
	long cage = evin_col(e, "path_age_s");
	long cjourney = evin_col(e, "journey");
	int per_journey = run->cf.out == OUT_PER_JOURNEY;
	if (e->ncols && cpath < 0)
		err_die("%s: no 'path' column: jt-attribute reads journeys "
			"(jt-journey --output journeys) or a path table "
			"(path,total_conversions,total_conversion_value,"
			"total_null)",
		    name);
	run->is_table = ctc >= 0;
	if (e->ncols && !run->is_table && cconv < 0 && cconverted < 0)
		err_die("%s: neither a path table (no 'total_conversions' "
			"column) nor journeys (no 'converted' or "
			"'conversions' column)",
		    name);
	run->t = pathtab_new(!run->is_table && cage >= 0);
	size_t lcap = 1024, row = 0;
	if (per_journey)
		run->label_off = xmalloc(lcap * sizeof *run->label_off);
	while (e->ncols && evin_next_row(e, rl)) {
		row++;
		double conv, value, null;
		if (run->is_table) {
			if (e->len[ctc] == 0) {
				/* a journeys row read together with a table */
				reject_field(
				    rl, e, "total_conversions", "empty", -1);
				continue;
			}
			if (number_field(
				rl, e, ctc, "total_conversions", &conv) ||
			    number_field(
				rl, e, ctv, "total_conversion_value", &value) ||
			    number_field(rl, e, ctn, "total_null", &null))
				continue;
		} else {
			double converted = -1;
			if (number_field(rl, e, cconv, "conversions", &conv) ||
			    number_field(rl, e, cvalue, "value", &value))
				continue;
			if (cconverted >= 0) {
				const char *f = e->f[cconverted];
				if (e->len[cconverted] != 1 ||
				    (f[0] != '0' && f[0] != '1')) {
					reject_field(rl, e, "converted",
					    "not 0 or 1", cconverted);
					continue;
				}
				converted = f[0] - '0';
				if (cconv < 0 || e->len[cconv] == 0)
					conv = converted;
				else if ((conv > 0) != (converted > 0)) {
					reject_field(rl, e, "conversions",
					    "does not agree with converted",
					    cconv);
					continue;
				}
			}
			null = conv > 0 ? 0 : 1;
		}
		if (value > 0 && !(conv > 0)) {
			/* no model could credit it: the sums would not hold */
			long cv = run->is_table ? ctv : cvalue;
			reject_field(rl, e,
			    run->is_table ? "total_conversion_value" : "value",
			    "value without conversions", cv);
			continue;
		}
		const char *why;
		if (pathtab_add(run->t, e->f[cpath], e->len[cpath],
			cage >= 0 ? e->f[cage] : NULL,
			cage >= 0 ? e->len[cage] : 0, conv, value, null,
			&why) != 0) {
			int age = strncmp(why, "path_age_s", 10) == 0;
			reject_field(rl, e, age ? "path_age_s" : "path",
			    age ? why + 12 : why, -1);
			continue;
		}
		if (per_journey) {
			size_t r = run->t->n - 1;
			if (r == lcap) {
				lcap *= 2;
				run->label_off = xreallocarray(run->label_off,
				    lcap, sizeof *run->label_off);
			}
			run->label_off[r] = run->labels.len;
			if (run->is_table)
				buf_add(
				    &run->labels, e->f[cpath], e->len[cpath]);
			else if (cjourney >= 0)
				buf_add(&run->labels, e->f[cjourney],
				    e->len[cjourney]);
			else
				buf_printf(&run->labels, "%zu", row);
			buf_addc(&run->labels, '\0');
		}
		io_progress(row, evin_bytes(e));
	}
	io_progress_end();
	if (!run->t)
		run->t = pathtab_new(0);
	run->nch = pathtab_nchannels(run->t);
}

/* ---- models ---- */

/* Decides which requested models run on this input; dies or warns. */
static void
check_models(struct run *run)
{
	struct conf *cf = &run->cf;
	struct pathtab *t = run->t;
	if (t->n == 0)
		return;
	double nulls = 0;
	for (size_t i = 0; i < t->n; i++)
		nulls += t->null[i];
	struct {
		int model, bad;
		const char *why;
	} need[] = {
		{ ATTRIB_TIME_DECAY, !t->age,
		    "needs journeys with a path_age_s column "
		    "(jt-journey --output journeys)" },
		{ ATTRIB_SHAPLEY, !(nulls > 0),
		    "needs non-converting journeys (its coalition values are "
		    "conversion rates)" },
		{ ATTRIB_SHAPLEY, run->nch > SHAPLEY_MAX_CHANNELS,
		    "works on up to 64 channels" },
		{ ATTRIB_MARKOV, run->nch > MARKOV_MAX_CHANNELS,
		    "works on up to 65534 channels" },
	};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		if (!cf->want[need[i].model] || !need[i].bad)
			continue;
		if (!cf->all)
			err_die("model %s %s",
			    attrib_model_name((enum attrib_model)need[i].model),
			    need[i].why);
		if (!run->quiet)
			err_warn("model %s left out: it %s",
			    attrib_model_name((enum attrib_model)need[i].model),
			    need[i].why);
		cf->want[need[i].model] = 0;
	}
}

static void
result_init(struct result *r, uint32_t nch)
{
	memset(r, 0, sizeof *r);
	size_t n = nch ? nch : 1;
	for (int m = 0; m < ATTRIB_NMODELS; m++) {
		r->conv[m] = xcalloc(n, sizeof(double));
		r->value[m] = xcalloc(n, sizeof(double));
	}
	r->re = xcalloc(n, sizeof(double));
	r->re_value = xcalloc(n, sizeof(double));
}

static void
result_clear(struct result *r, uint32_t nch)
{
	for (int m = 0; m < ATTRIB_NMODELS; m++) {
		memset(r->conv[m], 0, nch * sizeof(double));
		memset(r->value[m], 0, nch * sizeof(double));
	}
}

static void
result_free(struct result *r)
{
	for (int m = 0; m < ATTRIB_NMODELS; m++) {
		free(r->conv[m]);
		free(r->value[m]);
	}
	free(r->re);
	free(r->re_value);
}

static struct markov *
build_markov(const struct run *run, const double *conv, const double *value,
    const double *null)
{
	const struct pathtab *t = run->t;
	struct markov *mk = markov_new(run->cf.order);
	for (size_t i = 0; i < t->n; i++)
		markov_add(mk, t->tch + t->off[i], t->off[i + 1] - t->off[i],
		    conv[i], null[i], value[i]);
	return mk;
}

static struct shapley *
build_shapley(const struct run *run, const double *conv, const double *null)
{
	struct shapley *sh = shapley_new(run->cf.seed, (size_t)run->cf.perms);
	for (size_t i = 0; i < run->t->n; i++)
		if (conv[i] + null[i] > 0)
			shapley_add(sh, run->mask[i], conv[i], null[i]);
	return sh;
}

/* Splits total in proportion to w[0..n) into out; 0 when w sums to 0. */
static void
split(double total, const double *w, uint32_t n, double *out)
{
	double s = 0;
	for (uint32_t i = 0; i < n; i++)
		s += w[i];
	for (uint32_t i = 0; i < n; i++)
		out[i] = s > 0 ? total * w[i] / s : 0;
}

/* Every wanted model on the rows weighted as conv/value/null. */
static void
compute(struct run *run, const double *conv, const double *value,
    const double *null, struct result *r)
{
	const struct conf *cf = &run->cf;
	const struct pathtab *t = run->t;
	uint32_t nch = run->nch;
	result_clear(r, nch);
	for (int m = 0; m < ATTRIB_NMODELS; m++)
		if (cf->want[m] && attrib_is_heuristic((enum attrib_model)m))
			attrib_heuristic((enum attrib_model)m, &cf->ac, t, conv,
			    value, r->conv[m], r->value[m]);
	double tc = 0, tv = 0;
	for (size_t i = 0; i < t->n; i++) {
		tc += conv[i];
		tv += value[i];
	}
	if (cf->want[ATTRIB_MARKOV] && nch) {
		struct markov *mk = build_markov(run, conv, value, null);
		double p, ev;
		if (markov_solve(mk, nch, r->re, r->re_value, &p, &ev) != 0)
			r->markov_failed = 1;
		split(tc, r->re, nch, r->conv[ATTRIB_MARKOV]);
		split(tv, r->re_value, nch, r->value[ATTRIB_MARKOV]);
		markov_free(mk);
	}
	if (cf->want[ATTRIB_SHAPLEY] && nch) {
		struct shapley *sh = build_shapley(run, conv, null);
		double share[SHAPLEY_MAX_CHANNELS];
		for (size_t i = 0; i < t->n; i++) {
			if (!(conv[i] > 0) && value[i] == 0)
				continue;
			uint64_t mk = run->mask[i];
			shapley_shares(sh, mk, share);
			size_t j = 0;
			for (uint64_t m = mk; m; m &= m - 1, j++) {
				int b = __builtin_ctzll(m);
				r->conv[ATTRIB_SHAPLEY][b] +=
				    conv[i] * share[j];
				r->value[ATTRIB_SHAPLEY][b] +=
				    value[i] * share[j];
			}
		}
		shapley_free(sh);
	}
}

/* ---- bootstrap ---- */

/*
 * lo[m][c], hi[m][c]: the percentile interval of conversions over
 * bootstrap replicates.  Each journey is drawn Poisson(1) times: a
 * journey row's counts are multiplied by its draw; a path-table row's
 * conversions and nulls are drawn Poisson(total_conversions) and
 * Poisson(total_null), its value scaled with its conversions.
 */
static void
bootstrap(struct run *run, double **lo, double **hi)
{
	const struct pathtab *t = run->t;
	uint32_t nch = run->nch;
	size_t nb = (size_t)run->cf.bootstrap;
	double *conv = xmalloc((t->n ? t->n : 1) * sizeof *conv);
	double *value = xmalloc((t->n ? t->n : 1) * sizeof *value);
	double *null = xmalloc((t->n ? t->n : 1) * sizeof *null);
	double *draws[ATTRIB_NMODELS];
	size_t cells = (size_t)nch * nb;
	for (int m = 0; m < ATTRIB_NMODELS; m++)
		draws[m] = run->cf.want[m]
		    ? xmalloc((cells ? cells : 1) * sizeof(double))
		    : NULL;
	struct result r;
	result_init(&r, nch);
	struct rng base;
	rng_seed(&base, run->cf.seed);
	for (size_t b = 0; b < nb; b++) {
		struct rng g;
		rng_fork(&base, b, &g);
		for (size_t i = 0; i < t->n; i++) {
			if (run->is_table) {
				double c = resample_poisson(&g, t->conv[i]);
				conv[i] = c;
				value[i] = t->conv[i] > 0
				    ? t->value[i] * c / t->conv[i]
				    : 0;
				null[i] = resample_poisson(&g, t->null[i]);
			} else {
				double w = resample_poisson(&g, 1);
				conv[i] = t->conv[i] * w;
				value[i] = t->value[i] * w;
				null[i] = t->null[i] * w;
			}
		}
		compute(run, conv, value, null, &r);
		for (int m = 0; m < ATTRIB_NMODELS; m++)
			if (draws[m])
				for (uint32_t c = 0; c < nch; c++)
					draws[m][(size_t)c * nb + b] =
					    r.conv[m][c];
	}
	double q = (1 - run->cf.ci) / 2;
	double *tmp = xmalloc(nb * sizeof *tmp);
	for (int m = 0; m < ATTRIB_NMODELS; m++) {
		if (!draws[m])
			continue;
		for (uint32_t c = 0; c < nch; c++) {
			memcpy(
			    tmp, draws[m] + (size_t)c * nb, nb * sizeof *tmp);
			lo[m][c] = resample_quantile(tmp, nb, q);
			hi[m][c] = resample_quantile(tmp, nb, 1 - q);
		}
		free(draws[m]);
	}
	free(tmp);
	result_free(&r);
	free(conv);
	free(value);
	free(null);
}

/* ---- output ---- */

/* A number as text: up to 12 significant digits, never "-0" or "nan". */
static void
put_num(struct csvout *w, double v)
{
	char s[40];
	if (!isfinite(v) || fabs(v) < 1e-300)
		v = 0;
	int n = snprintf(s, sizeof s, "%.12g", v);
	if (strcmp(s, "-0") == 0)
		n = snprintf(s, sizeof s, "0");
	csvout_plain(w, s, (size_t)n);
}

static void
write_table(struct run *run, struct result *r, struct io_out *out, double **lo,
    double **hi)
{
	struct csvout w;
	csvout_init(&w, out, ',');
	io_puts(out,
	    lo ? "model,channel,conversions,value,share,lo,hi\n"
	       : "model,channel,conversions,value,share\n");
	uint32_t *ids = pathtab_by_name(run->t);
	for (int m = 0; m < ATTRIB_NMODELS; m++) {
		if (!run->cf.want[m])
			continue;
		double total = 0;
		for (uint32_t c = 0; c < run->nch; c++)
			total += r->conv[m][c];
		for (uint32_t k = 0; k < run->nch; k++) {
			uint32_t c = ids[k];
			csvout_str(&w, attrib_model_name((enum attrib_model)m));
			csvout_str(&w, pathtab_channel(run->t, c));
			put_num(&w, r->conv[m][c]);
			put_num(&w, r->value[m][c]);
			put_num(&w, total != 0 ? r->conv[m][c] / total : 0);
			if (lo) {
				put_num(&w, lo[m][c]);
				put_num(&w, hi[m][c]);
			}
			csvout_end(&w);
		}
	}
	free(ids);
}

static void
write_removal(struct run *run, struct result *r, struct io_out *out)
{
	struct csvout w;
	csvout_init(&w, out, ',');
	io_puts(out, "channel,removal_effect,removal_effect_value\n");
	uint32_t *ids = pathtab_by_name(run->t);
	for (uint32_t k = 0; k < run->nch; k++) {
		csvout_str(&w, pathtab_channel(run->t, ids[k]));
		put_num(&w, r->re[ids[k]]);
		put_num(&w, r->re_value[ids[k]]);
		csvout_end(&w);
	}
	free(ids);
}

/* The name of a state: its channels joined with " > ". */
static void
state_name(
    const struct run *run, const struct markov *mk, uint32_t s, struct buf *b)
{
	static const char *const fixed[3] = { "(start)", "(conversion)",
		"(null)" };
	buf_clear(b);
	if (s < 3) {
		buf_adds(b, fixed[s]);
		return;
	}
	uint32_t ch[MARKOV_MAX_ORDER];
	size_t k = markov_state(mk, s, ch);
	for (size_t i = 0; i < k; i++) {
		if (i)
			buf_adds(b, " > ");
		buf_adds(b, pathtab_channel(run->t, ch[i]));
	}
}

struct edge_row {
	char *from, *to;
	double p, count;
};

static int
by_states(const void *x, const void *y)
{
	const struct edge_row *a = x, *b = y;
	int c = strcmp(a->from, b->from);
	return c ? c : strcmp(a->to, b->to);
}

static void
write_transitions(struct run *run, struct io_out *out)
{
	const struct pathtab *t = run->t;
	struct markov *mk = build_markov(run, t->conv, t->value, t->null);
	size_t ne = markov_nedges(mk);
	struct edge_row *e = xmalloc((ne ? ne : 1) * sizeof *e);
	struct buf b = { 0 };
	for (size_t i = 0; i < ne; i++) {
		uint32_t f, to;
		markov_edge(mk, i, &f, &to, &e[i].p, &e[i].count);
		state_name(run, mk, f, &b);
		e[i].from = xstrdup(buf_str(&b));
		state_name(run, mk, to, &b);
		e[i].to = xstrdup(buf_str(&b));
	}
	qsort(e, ne, sizeof *e, by_states);
	struct csvout w;
	csvout_init(&w, out, ',');
	io_puts(out, "from,to,probability,count\n");
	for (size_t i = 0; i < ne; i++) {
		csvout_str(&w, e[i].from);
		csvout_str(&w, e[i].to);
		put_num(&w, e[i].p);
		put_num(&w, e[i].count);
		csvout_end(&w);
		free(e[i].from);
		free(e[i].to);
	}
	free(e);
	buf_free(&b);
	markov_free(mk);
}

/*
 * --per-journey: each converting row's conversions (credit) and value
 * split over its channels, per model, channels in order of first touch.
 * markov splits a journey by the removal effects of its own channels.
 */
static void
write_per_journey(struct run *run, struct result *r, struct io_out *out)
{
	const struct pathtab *t = run->t;
	const struct conf *cf = &run->cf;
	struct csvout w;
	csvout_init(&w, out, ',');
	io_puts(out, "journey,model,channel,credit,value\n");
	struct shapley *sh = cf->want[ATTRIB_SHAPLEY]
	    ? build_shapley(run, t->conv, t->null)
	    : NULL;
	size_t wcap = 16;
	double *wt = xmalloc(wcap * sizeof *wt);
	double *credit = xcalloc(run->nch ? run->nch : 1, sizeof *credit);
	uint32_t *uniq = xmalloc(wcap * sizeof *uniq);
	for (size_t i = 0; i < t->n; i++) {
		if (!(t->conv[i] > 0) && t->value[i] == 0)
			continue;
		const uint32_t *ch = t->tch + t->off[i];
		size_t n = t->off[i + 1] - t->off[i], nu = 0;
		if (n > wcap) {
			wcap = 2 * n;
			wt = xreallocarray(wt, wcap, sizeof *wt);
			uniq = xreallocarray(uniq, wcap, sizeof *uniq);
		}
		for (size_t j = 0; j < n; j++) {
			size_t u = 0;
			while (u < nu && uniq[u] != ch[j])
				u++;
			if (u == nu)
				uniq[nu++] = ch[j];
		}
		const char *label = run->labels.data + run->label_off[i];
		for (int m = 0; m < ATTRIB_NMODELS; m++) {
			if (!cf->want[m])
				continue;
			for (size_t u = 0; u < nu; u++)
				credit[uniq[u]] = 0;
			if (attrib_is_heuristic((enum attrib_model)m)) {
				attrib_weights((enum attrib_model)m, &cf->ac,
				    ch, t->age ? t->age + t->off[i] : NULL, n,
				    wt);
				for (size_t j = 0; j < n; j++)
					credit[ch[j]] += wt[j];
			} else if (m == ATTRIB_MARKOV) {
				double s = 0;
				for (size_t u = 0; u < nu; u++)
					s += r->re[uniq[u]];
				for (size_t u = 0; u < nu; u++)
					credit[uniq[u]] =
					    s > 0 ? r->re[uniq[u]] / s : 0;
			} else {
				double share[SHAPLEY_MAX_CHANNELS];
				uint64_t mk = run->mask[i];
				shapley_shares(sh, mk, share);
				size_t j = 0;
				for (uint64_t b = mk; b; b &= b - 1)
					credit[__builtin_ctzll(b)] = share[j++];
			}
			for (size_t u = 0; u < nu; u++) {
				double c = credit[uniq[u]];
				if (c == 0)
					continue;
				csvout_str(&w, label);
				csvout_str(&w,
				    attrib_model_name((enum attrib_model)m));
				csvout_str(&w, pathtab_channel(t, uniq[u]));
				put_num(&w, t->conv[i] * c);
				put_num(&w, t->value[i] * c);
				csvout_end(&w);
			}
		}
	}
	free(wt);
	free(uniq);
	free(credit);
	shapley_free(sh);
}

static void
summary(const struct run *run, const struct reject_log *rl)
{
	const struct pathtab *t = run->t;
	double conv = 0, value = 0, null = 0;
	for (size_t i = 0; i < t->n; i++) {
		conv += t->conv[i];
		value += t->value[i];
		null += t->null[i];
	}
	struct buf b = { 0 };
	if (run->is_table)
		buf_printf(&b, "%zu paths, %.12g journeys", t->n, conv + null);
	else
		buf_printf(&b, "%zu journeys", t->n);
	buf_printf(&b, ", %.12g conversions, value %.12g, %u channels, ", conv,
	    value, run->nch);
	reject_tally(rl, &b);
	fprintf(stderr, "%s: %s\n", err_prog(), b.data);
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_common cc;
	struct run run;
	memset(&run, 0, sizeof run);
	struct conf *cf = &run.cf;
	for (int m = 0; m < ATTRIB_NMODELS; m++)
		cf->want[m] = 1;
	cf->all = 1;
	cf->direct = "direct";
	attrib_conf_init(&cf->ac);
	cf->order = 1;
	cf->seed = 1;
	cf->perms = 2000;
	cli_common_init(&cc);
	cli_init(&c, &tool, argc, argv);
	parse_options(cf, &cc, &c);
	if (cf->ci > 0 && cf->bootstrap == 0)
		cf->bootstrap = 200;
	int nop = argc - c.optind;
	cli_refuse_tty_stdin(&tool, nop);
	run.quiet = cc.quiet;

	struct csvin_opts copts = { 0 };
	copts.max_field = cc.max_field;
	struct evin *ev =
	    evin_open(argv + c.optind, (size_t)nop, &copts, cc.quiet);
	struct reject_log rl;
	reject_init(&rl, cc.rejects, cc.max_rejects);
	rl.quiet = cc.quiet;
	read_input(&run, ev, &rl, nop ? argv[c.optind] : "<stdin>");
	evin_close(ev);
	check_models(&run);
	uint32_t d = pathtab_find(run.t, cf->direct);
	cf->ac.direct = d;
	if (cf->want[ATTRIB_SHAPLEY]) {
		const struct pathtab *t = run.t;
		run.mask = xmalloc((t->n ? t->n : 1) * sizeof *run.mask);
		for (size_t i = 0; i < t->n; i++)
			run.mask[i] = shapley_mask(
			    t->tch + t->off[i], t->off[i + 1] - t->off[i]);
	}

	struct result r;
	result_init(&r, run.nch);
	if (cf->out != OUT_TRANSITIONS)
		compute(&run, run.t->conv, run.t->value, run.t->null, &r);
	if (r.markov_failed)
		err_warn("markov: the removal effects did not converge to "
			 "1e-13 in the sweep limit (they are approximate)");
	double *lo[ATTRIB_NMODELS] = { 0 }, *hi[ATTRIB_NMODELS] = { 0 };
	if (cf->ci > 0) {
		for (int m = 0; m < ATTRIB_NMODELS; m++) {
			lo[m] = xcalloc(run.nch ? run.nch : 1, sizeof(double));
			hi[m] = xcalloc(run.nch ? run.nch : 1, sizeof(double));
		}
		if (run.t->n)
			bootstrap(&run, lo, hi);
	}

	struct io_out *out = io_out_open(cc.out);
	switch (cf->out) {
	case OUT_TABLE:
		write_table(&run, &r, out, cf->ci > 0 ? lo : NULL, hi);
		break;
	case OUT_PER_JOURNEY: write_per_journey(&run, &r, out); break;
	case OUT_REMOVAL: write_removal(&run, &r, out); break;
	case OUT_TRANSITIONS: write_transitions(&run, out); break;
	}
	io_out_close(out);
	if (!cc.quiet)
		summary(&run, &rl);
	reject_close(&rl);
	for (int m = 0; m < ATTRIB_NMODELS; m++) {
		free(lo[m]);
		free(hi[m]);
	}
	result_free(&r);
	free(run.mask);
	free(run.label_off);
	buf_free(&run.labels);
	pathtab_free(run.t);
	cli_done(&c);
	return 0;
}
