/*
 * jt-friction: where journeys hurt, ranked by the conversions it costs.
 *
 * Reads `jt-journey --output events` (events ordered by person and time,
 * with journey, session and step), buffers one person's events at a time
 * and hands them to lib/friction, which keeps counters only; at the end
 * writes the ranked signal table, or with --output funnel the funnel.
 * Event names are classified (conversion, error, funnel stages) once each,
 * through a cache, not once per row.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "csvin.h"
#include "csvout.h"
#include "err.h"
#include "evin.h"
#include "friction.h"
#include "io.h"
#include "re.h"
#include "reject.h"
#include "spec.h"
#include "strtab.h"
#include "ts.h"

enum {
	KEY_CONVERSION = CLI_KEY_TOOL_BASE,
	KEY_ERROR,
	KEY_FUNNEL,
	KEY_OUTPUT,
	KEY_LOOP_MIN,
	KEY_ASSISTED,
	KEY_REPEAT_WINDOW,
	KEY_SWITCH_WINDOW,
	KEY_SLOW_FACTOR,
	KEY_SLOW_BY,
	KEY_CHANNEL_BY,
	KEY_MIN_JOURNEYS,
	KEY_TOP,
};

#define DEFAULT_CONVERSION "^(purchase|conversion|order)$"
#define DEFAULT_ERROR "error|fail|exception|timeout"

static const struct cli_opt opts[] = {
	{ "conversion", KEY_CONVERSION, CLI_ARG, "REGEX",
	    "events that convert (default '" DEFAULT_CONVERSION "')" },
	{ "error", KEY_ERROR, CLI_ARG, "REGEX",
	    "events that are errors (default '" DEFAULT_ERROR "')" },
	{ "funnel", KEY_FUNNEL, CLI_ARG, "NAME=REGEX,...",
	    "ordered funnel stages matched on event (dropoff rows)" },
	{ "output", KEY_OUTPUT, CLI_ARG, "WHAT",
	    "friction (the ranked signals, default) or funnel" },
	{ "loop-min", KEY_LOOP_MIN, CLI_ARG, "N",
	    "a step seen N times in one visit is a loop (default 3)" },
	{ "assisted", KEY_ASSISTED, CLI_ARG, "LIST",
	    "assisted channels (default call_center,chat,store)" },
	{ "repeat-window", KEY_REPEAT_WINDOW, CLI_ARG, "DUR",
	    "a contact again within DUR is a repeat contact; a contact's "
	    "outcome is a conversion within DUR (default 7d)" },
	{ "switch-window", KEY_SWITCH_WINDOW, CLI_ARG, "DUR",
	    "a digital step then an assisted contact within DUR is a "
	    "channel switch (default 24h)" },
	{ "slow-factor", KEY_SLOW_FACTOR, CLI_ARG, "X",
	    "a transition X times its p90 is slow (default 3)" },
	{ "slow-by", KEY_SLOW_BY, CLI_ARG, "COLUMN",
	    "compare transition times between the groups of COLUMN" },
	{ "channel-by", KEY_CHANNEL_BY, CLI_ARG, "COLUMN",
	    "the column naming where an event happens (default channel)" },
	{ "min-journeys", KEY_MIN_JOURNEYS, CLI_ARG, "N",
	    "rank only rows with N journeys with and without (default 30)" },
	{ "top", KEY_TOP, CLI_ARG, "N", "write only the first N rows" },
	CLI_COMMON_OUT,
	CLI_COMMON_QUIET,
	CLI_COMMON_REJECTS,
	CLI_COMMON_MAX_REJECTS,
	CLI_COMMON_MAX_FIELD,
	{ 0 },
};

static const struct cli_tool tool = {
	"jt-friction",
	"find where journeys hurt, ranked by the conversions it costs",
	"[--funnel NAME=REGEX,...] [--output friction|funnel] "
	"[--slow-by COLUMN] [--top N] [-o FILE] [file ...]",
	opts,
};

struct conf {
	const char *conversion, *error, *slow_by, *channel_by;
	struct spec_pair *funnel;
	size_t nfunnel, funnelcap;
	char **assisted;
	size_t nassisted, assistedcap;
	int output_funnel;
	long long top;
	struct friction_conf fc;
};

/* The classification of one event name (cached by name). */
struct evclass {
	uint8_t conversion, error;
	uint64_t stages;
};

struct run {
	struct conf cf;
	struct re *conv_re, *err_re;
	struct re **stage_re;
	struct strtab *names;
	struct evclass *cls;
	size_t ncls, capcls;
	struct friction *fr;
	struct reject_log rl;
	/* the person being read */
	struct buf person, arena;
	struct friction_ev *ev;
	size_t nev, capev;
	struct {
		size_t journey, place, chan, event, group;
	} * off;
	size_t capoff;
	struct buf last_journey, last_session;
	int64_t last_ts;
	uint64_t visit;
	long last_line;
};

static const struct evclass *
classify(struct run *run, const char *s, size_t n)
{
	int added;
	uint32_t id = strtab_intern(run->names, s, n, &added);
	if (added) {
		if (run->ncls == run->capcls) {
			run->capcls = run->capcls ? 2 * run->capcls : 64;
			run->cls = xreallocarray(
			    run->cls, run->capcls, sizeof *run->cls);
		}
		struct evclass *c = &run->cls[run->ncls++];
		c->conversion = (uint8_t)re_match(run->conv_re, s, n);
		c->error = (uint8_t)re_match(run->err_re, s, n);
		c->stages = 0;
		for (size_t k = 0; k < run->cf.nfunnel; k++)
			if (re_match(run->stage_re[k], s, n))
				c->stages |= 1ULL << k;
	}
	return &run->cls[id];
}

/* Hands the buffered person to lib/friction. */
static void
flush_person(struct run *run)
{
	if (run->nev == 0)
		return;
	const char *base = run->arena.data;
	for (size_t i = 0; i < run->nev; i++) {
		struct friction_ev *e = &run->ev[i];
		e->journey = base + run->off[i].journey;
		e->place = base + run->off[i].place;
		e->chan = base + run->off[i].chan;
		e->event = base + run->off[i].event;
		e->group = base + run->off[i].group;
	}
	friction_person(run->fr, run->ev, run->nev);
	run->nev = 0;
	buf_clear(&run->arena);
}

static size_t
keep(struct run *run, const char *s, size_t n)
{
	size_t o = run->arena.len;
	buf_add(&run->arena, s, n);
	buf_addc(&run->arena, '\0');
	return o;
}

static int
same(const struct buf *b, const char *s, size_t n)
{
	return b->len == n && (n == 0 || memcmp(b->data, s, n) == 0);
}

static void
set(struct buf *b, const char *s, size_t n)
{
	buf_clear(b);
	buf_add(b, s, n);
}

static void
parse_options(struct conf *cf, struct cli_common *cc, struct cli *c)
{
	const char *why;
	int k;
	int64_t ms;
	while ((k = cli_next(c)) != -1) {
		if (cli_common_opt(cc, k, c->arg))
			continue;
		switch (k) {
		case KEY_CONVERSION: cf->conversion = c->arg; break;
		case KEY_ERROR: cf->error = c->arg; break;
		case KEY_FUNNEL:
			spec_pairs_free(cf->funnel, cf->nfunnel);
			cf->funnel = NULL;
			cf->nfunnel = cf->funnelcap = 0;
			if (spec_pairs(c->arg, &cf->funnel, &cf->nfunnel,
				&cf->funnelcap, &why) != 0)
				err_usage("--funnel: %s", why);
			if (cf->nfunnel > FRICTION_MAX_STAGES)
				err_usage("--funnel: more than %d stages",
				    FRICTION_MAX_STAGES);
			break;
		case KEY_OUTPUT:
			if (strcmp(c->arg, "friction") == 0)
				cf->output_funnel = 0;
			else if (strcmp(c->arg, "funnel") == 0)
				cf->output_funnel = 1;
			else
				err_usage("--output takes friction or funnel, "
					  "not '%s'",
				    c->arg);
			break;
		case KEY_LOOP_MIN:
			cf->fc.loop_min =
			    (unsigned)cli_int("--loop-min", c->arg, 2, 1000000);
			break;
		case KEY_ASSISTED:
			spec_list_free(cf->assisted, cf->nassisted);
			cf->assisted = NULL;
			cf->nassisted = cf->assistedcap = 0;
			if (spec_list(c->arg, &cf->assisted, &cf->nassisted,
				&cf->assistedcap, &why) != 0)
				err_usage("--assisted: %s", why);
			break;
		case KEY_REPEAT_WINDOW:
		case KEY_SWITCH_WINDOW:
			if (ts_parse_duration(c->arg, &ms) != 0 || ms <= 0)
				err_usage("--%s: invalid duration '%s'",
				    k == KEY_REPEAT_WINDOW ? "repeat-window"
							   : "switch-window",
				    c->arg);
			if (k == KEY_REPEAT_WINDOW)
				cf->fc.repeat_window_ms = ms;
			else
				cf->fc.switch_window_ms = ms;
			break;
		case KEY_SLOW_FACTOR: {
			char *end;
			errno = 0;
			double x = strtod(c->arg, &end);
			if (errno || end == c->arg || *end || !(x >= 1) ||
			    !isfinite(x))
				err_usage("--slow-factor: '%s' is not a number "
					  ">= 1",
				    c->arg);
			cf->fc.slow_factor = x;
			break;
		}
		case KEY_SLOW_BY: cf->slow_by = c->arg; break;
		case KEY_CHANNEL_BY: cf->channel_by = c->arg; break;
		case KEY_MIN_JOURNEYS:
			cf->fc.min_journeys = (long)cli_int(
			    "--min-journeys", c->arg, 0, 1000000000);
			break;
		case KEY_TOP:
			cf->top = cli_int("--top", c->arg, 0, 1000000000);
			break;
		default: err_usage("unexpected option");
		}
	}
	if (cf->output_funnel && cf->nfunnel == 0)
		err_usage("--output funnel needs --funnel");
}

static struct re *
compile(const char *opt, const char *pattern)
{
	char why[128];
	struct re *r = re_compile(pattern, 0, why, sizeof why);
	if (!r)
		err_usage("%s '%s': %s", opt, pattern, why);
	return r;
}

/* ---- output ---- */

static void
put_num(struct csvout *w, int prec, double v)
{
	char s[64];
	int n = snprintf(s, sizeof s, "%.*f", prec, v);
	/* -0.0 reads badly in a report */
	if (n > 1 && s[0] == '-' && strspn(s + 1, "0.") == (size_t)(n - 1))
		csvout_plain(w, s + 1, (size_t)(n - 1));
	else
		csvout_plain(w, s, (size_t)n);
}

static void
put_u64(struct csvout *w, uint64_t v)
{
	char s[32];
	int n = snprintf(s, sizeof s, "%llu", (unsigned long long)v);
	csvout_plain(w, s, (size_t)n);
}

static void
write_friction(struct run *run, struct io_out *o)
{
	struct csvout w;
	csvout_init(&w, o, ',');
	io_puts(o,
	    "signal,channel,step,group,journeys,share,conv_with,"
	    "conv_without,impact,z,ranked,example\n");
	size_t n = friction_nrows(run->fr);
	if (run->cf.top >= 0 && (size_t)run->cf.top < n)
		n = (size_t)run->cf.top;
	for (size_t i = 0; i < n; i++) {
		const struct friction_row *r = friction_row(run->fr, i);
		csvout_str(&w, friction_signal_name(r->signal));
		csvout_str(&w, r->channel);
		csvout_str(&w, r->step);
		csvout_str(&w, r->group);
		put_u64(&w, r->journeys);
		put_num(&w, 4, r->share);
		if (r->conv_with >= 0)
			put_num(&w, 4, r->conv_with);
		else
			csvout_plain(&w, "", 0);
		if (r->conv_without >= 0)
			put_num(&w, 4, r->conv_without);
		else
			csvout_plain(&w, "", 0);
		put_num(&w, 1, r->impact);
		if (isnan(r->z))
			csvout_plain(&w, "", 0);
		else
			put_num(&w, 2, r->z);
		csvout_plain(&w, r->ranked ? "1" : "0", 1);
		csvout_str(&w, r->example);
		csvout_end(&w);
	}
}

static void
write_funnel(struct run *run, struct io_out *o)
{
	struct csvout w;
	csvout_init(&w, o, ',');
	io_puts(o,
	    "stage,journeys,from_previous,from_first,"
	    "median_s_from_previous\n");
	for (size_t k = 0; k < run->cf.nfunnel; k++) {
		const struct friction_stage *s = friction_stage(run->fr, k);
		csvout_str(&w, s->name);
		put_u64(&w, s->journeys);
		put_num(&w, 4, s->from_previous);
		put_num(&w, 4, s->from_first);
		if (s->median_s >= 0)
			put_num(&w, 1, s->median_s);
		else
			csvout_plain(&w, "", 0);
		csvout_end(&w);
	}
}

static void
summary(struct run *run)
{
	struct friction_totals t;
	struct buf b = { 0 };
	friction_totals(run->fr, &t);
	buf_printf(&b, "%llu events, ", (unsigned long long)t.events);
	reject_tally(&run->rl, &b);
	buf_printf(&b, "; %llu journeys, %llu converted (%.1f%%)",
	    (unsigned long long)t.journeys, (unsigned long long)t.converted,
	    t.journeys ? 100.0 * (double)t.converted / (double)t.journeys : 0);
	buf_printf(&b,
	    "; repeat-contact rate %.1f%% (%llu of %llu service contacts "
	    "followed by another within the window)",
	    t.contacts
		? 100.0 * (double)t.repeated_contacts / (double)t.contacts
		: 0,
	    (unsigned long long)t.repeated_contacts,
	    (unsigned long long)t.contacts);
	buf_printf(&b, "; %zu rows", friction_nrows(run->fr));
	fprintf(stderr, "%s: %s\n", err_prog(), b.data);
	buf_free(&b);
}

/* ---- main ---- */

static void
reject_row(struct run *run, struct evin *e, const char *why)
{
	evin_reject(e, &run->rl, why);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_common cc;
	struct run run;
	const char *why;

	memset(&run, 0, sizeof run);
	struct conf *cf = &run.cf;
	cf->conversion = DEFAULT_CONVERSION;
	cf->error = DEFAULT_ERROR;
	cf->channel_by = "channel";
	cf->top = -1;
	cf->fc.loop_min = 3;
	cf->fc.repeat_window_ms = 7LL * 86400000;
	cf->fc.switch_window_ms = 86400000;
	cf->fc.slow_factor = 3;
	cf->fc.min_journeys = 30;
	if (spec_list("call_center,chat,store", &cf->assisted, &cf->nassisted,
		&cf->assistedcap, &why) != 0)
		err_die("internal error: %s", why);
	cli_common_init(&cc);
	cli_init(&c, &tool, argc, argv);
	parse_options(cf, &cc, &c);
	int nop = argc - c.optind;
	cli_refuse_tty_stdin(&tool, nop);

	run.conv_re = compile("--conversion", cf->conversion);
	run.err_re = compile("--error", cf->error);
	const char **stage_names = NULL;
	if (cf->nfunnel) {
		run.stage_re = xcalloc(cf->nfunnel, sizeof *run.stage_re);
		stage_names = xcalloc(cf->nfunnel, sizeof *stage_names);
		for (size_t k = 0; k < cf->nfunnel; k++) {
			run.stage_re[k] =
			    compile("--funnel", cf->funnel[k].val);
			stage_names[k] = cf->funnel[k].key;
		}
	}
	cf->fc.assisted = (const char *const *)cf->assisted;
	cf->fc.nassisted = cf->nassisted;
	cf->fc.slow_by = cf->slow_by != NULL;
	cf->fc.slow_by_name = cf->slow_by;
	cf->fc.nstages = cf->nfunnel;
	cf->fc.stage = stage_names;

	struct csvin_opts copts = { 0 };
	copts.max_field = cc.max_field;
	struct evin *e =
	    evin_open(argv + c.optind, (size_t)nop, &copts, cc.quiet);
	const char *file = nop == 1 ? argv[c.optind] : "<stdin>";
	if (nop > 1)
		file = "input";
	long cts = -1, cj = -1, cs = -1, cev = -1, cplace = -1, cchan = -1,
	     csrc = -1, cgrp = -1, cperson = -1;
	if (e->ncols) {
		const char *needj = ": the input must be jt-journey --output "
				    "events";
		cts = evin_need(e, "ts", file, needj);
		cj = evin_need(e, "journey", file, needj);
		cs = evin_need(e, "session", file, needj);
		evin_need(e, "step", file, needj);
		cev = evin_need(e, "event", file, needj);
		cplace = evin_need(e, cf->channel_by, file,
		    strcmp(cf->channel_by, "channel") == 0
			? needj
			: ": named by --channel-by");
		cchan = evin_col(e, "channel");
		csrc = evin_col(e, "source");
		cperson = evin_col(e, "person");
		if (cf->slow_by)
			cgrp = evin_need(
			    e, cf->slow_by, file, ": named by --slow-by");
	}

	run.names = strtab_new();
	run.fr = friction_new(&cf->fc);
	reject_init(&run.rl, cc.rejects, cc.max_rejects);
	uint64_t rows = 0;
	while (e->ncols && evin_next_row(e, &run.rl)) {
		rows++;
		io_progress(rows, evin_bytes(e));
		int64_t ts;
		const char *tv = e->f[cts];
		size_t tn = e->len[cts];
		if (tn == 0 ||
		    (ts_parse_canonical(tv, tn, &ts) != 0 &&
			ts_parse_auto(tv, tn, NULL, &ts) != 0)) {
			reject_row(&run, e,
			    tn ? "column 'ts': invalid time"
			       : "column 'ts': empty time");
			continue;
		}
		if (e->len[cj] == 0) {
			reject_row(&run, e, "column 'journey': empty");
			continue;
		}
		if (e->len[cev] == 0) {
			reject_row(&run, e, "column 'event': empty");
			continue;
		}
		/* a new person (or, without person, a new journey) */
		const char *pk = e->f[cj];
		size_t pn = e->len[cj];
		if (cperson >= 0 && e->len[cperson]) {
			pk = e->f[cperson];
			pn = e->len[cperson];
		}
		int newj = !same(&run.last_journey, e->f[cj], e->len[cj]);
		if (!same(&run.person, pk, pn) || run.nev == 0) {
			flush_person(&run);
			set(&run.person, pk, pn);
		} else if (ts < run.last_ts) {
			err_die(
			    "%s:%ld: time '%.*s' before the previous row's: "
			    "the input must be ordered by person and time "
			    "(jt-journey --output events)",
			    e->file, e->line, (int)tn, tv);
		}
		if (newj || !same(&run.last_session, e->f[cs], e->len[cs])) {
			run.visit++;
			set(&run.last_session, e->f[cs], e->len[cs]);
		}
		if (newj)
			set(&run.last_journey, e->f[cj], e->len[cj]);
		run.last_ts = ts;

		if (run.nev == run.capev) {
			run.capev = run.capev ? 2 * run.capev : 256;
			run.ev =
			    xreallocarray(run.ev, run.capev, sizeof *run.ev);
			run.off =
			    xreallocarray(run.off, run.capev, sizeof *run.off);
		}
		struct friction_ev *x = &run.ev[run.nev];
		memset(x, 0, sizeof *x);
		const char *pl = e->f[cplace];
		size_t pln = e->len[cplace];
		if (pln == 0 && csrc >= 0) {
			pl = e->f[csrc];
			pln = e->len[csrc];
		}
		run.off[run.nev].journey = keep(&run, e->f[cj], e->len[cj]);
		x->journey_len = e->len[cj];
		run.off[run.nev].place = keep(&run, pl, pln);
		x->place_len = pln;
		size_t chn = cchan >= 0 ? e->len[cchan] : 0;
		run.off[run.nev].chan = keep(&run, chn ? e->f[cchan] : "", chn);
		x->chan_len = chn;
		run.off[run.nev].event = keep(&run, e->f[cev], e->len[cev]);
		x->event_len = e->len[cev];
		size_t gn = cgrp >= 0 ? e->len[cgrp] : 0;
		run.off[run.nev].group = keep(&run, gn ? e->f[cgrp] : "", gn);
		x->group_len = gn;
		x->ts = ts;
		x->visit = run.visit;
		const struct evclass *k =
		    classify(&run, e->f[cev], e->len[cev]);
		x->conversion = k->conversion;
		x->error = k->error;
		x->stages = k->stages;
		run.nev++;
	}
	flush_person(&run);
	io_progress_end();
	friction_finish(run.fr);

	struct io_out *o = io_out_open(cc.out);
	if (cf->output_funnel)
		write_funnel(&run, o);
	else
		write_friction(&run, o);
	io_out_close(o);
	if (!cc.quiet)
		summary(&run);
	reject_close(&run.rl);

	friction_free(run.fr);
	strtab_free(run.names);
	free(run.cls);
	free(run.ev);
	free(run.off);
	buf_free(&run.person);
	buf_free(&run.arena);
	buf_free(&run.last_journey);
	buf_free(&run.last_session);
	re_free(run.conv_re);
	re_free(run.err_re);
	for (size_t k = 0; k < cf->nfunnel; k++)
		re_free(run.stage_re[k]);
	free(run.stage_re);
	free(stage_names);
	spec_pairs_free(cf->funnel, cf->nfunnel);
	spec_list_free(cf->assisted, cf->nassisted);
	evin_close(e);
	cli_done(&c);
	return 0;
}
