/*
 * jt-gen: a synthetic company's silo exports with the truth behind them.
 *
 * Persons are generated a block at a time.  Each person's touches are
 * simulated once for real (rendering the silos' records) and, for the
 * truth files, replayed without each channel and without each friction.
 * A block's records are sorted into each silo's export order and written;
 * memory is bounded by the block, whatever the number of persons.
 *
 * Two threads: while a writer thread sorts and writes block k, the main
 * thread simulates and renders block k+1 into the other of two render
 * buffers.  Blocks are written in order, so the output does not depend on
 * the timing.  The writer touches only the silo files, truth/records.csv
 * and the sort buffers; the main thread everything else (the time
 * zones' caches included).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "err.h"
#include "gen.h"
#include "gen_doc.h"
#include "gen_render.h"
#include "io.h"
#include "radix.h"
#include "ts.h"

enum {
	KEY_PERSONS = CLI_KEY_TOOL_BASE,
	KEY_SEED,
	KEY_DAYS,
	KEY_START,
	KEY_EVENTS,
	KEY_FORCE,
	KEY_GZIP,
};

static const struct cli_opt opts[] = {
	{ "persons", KEY_PERSONS, CLI_ARG, "N",
	    "persons in the world (default 2000)" },
	{ "seed", KEY_SEED, CLI_ARG, "S", "random seed (default 1)" },
	{ "days", KEY_DAYS, CLI_ARG, "D", "days of activity (default 30)" },
	{ "start", KEY_START, CLI_ARG, "DATE",
	    "first day, YYYY-MM-DD (default 2026-10-01)" },
	{ "events", KEY_EVENTS, CLI_NOARG, NULL,
	    "write jt-events(5) rows instead of the silos (to -o FILE or "
	    "stdout)" },
	{ "out", 'o', CLI_ARG, "DIR",
	    "the world's folder, written atomically (with --events: a file)" },
	{ "force", KEY_FORCE, CLI_NOARG, NULL, "replace an existing DIR" },
	{ "gzip", KEY_GZIP, CLI_NOARG, NULL,
	    "gzip the exports and truth/records.csv (or the --events file)" },
	CLI_COMMON_QUIET,
	{ 0 },
};

static const struct cli_tool tool = {
	"jt-gen",
	"generate a synthetic world of silo exports with known truth",
	"--out DIR [--persons N] [--seed S] [--days D] [--start DATE] "
	"[--gzip]\n"
	"       jt-gen --events [-o FILE] [--persons N] [--seed S] [--days D]",
	opts,
};

/* zlib's fastest level: compressing is most of the time of --gzip. */
#define GZ_LEVEL 1

/* Persons per block: their records are sorted in memory together. */
#define BLOCK 20000

/* ---- the world's folder ---- */

static char *tmpdir; /* being written, removed on failure */

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static int
rm_tree(const char *path)
{
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Every path the world's folder can hold, made before writing starts: the
 * cleanup may run in a signal handler, where only unlink and rmdir are
 * safe (no malloc, no directory listing).  The temporary files of the
 * outputs being written are removed by their own hooks, which run first.
 */
static char **made;
static size_t nmade;

static void
will_make(const char *dir, const char *name)
{
	struct buf b = { 0 };
	buf_printf(&b, "%s/%s", dir, name);
	made = xreallocarray(made, nmade + 1, sizeof *made);
	made[nmade++] = b.data;
}

static void
cleanup_tmpdir(void *arg)
{
	(void)arg;
	if (!tmpdir)
		return;
	for (size_t i = 0; i < nmade; i++) /* files, then truth/, then */
		if (unlink(made[i]) != 0)
			rmdir(made[i]);
	rmdir(tmpdir);
}

static void
free_made(void)
{
	for (size_t i = 0; i < nmade; i++)
		free(made[i]);
	free(made);
	made = NULL;
	nmade = 0;
}

static char *
path_in(const char *dir, const char *name)
{
	struct buf b = { 0 };
	buf_printf(&b, "%s/%s", dir, name);
	return b.data;
}

/* ---- records, truth ---- */

struct run {
	struct gen_world w;
	struct gen_render rr[2]; /* rendered by main, written by the writer */
	struct buf scratch;      /* the person key, for identifiers.csv */
	struct buf row, ids_scratch; /* working memory of write_person */
	struct gen_totals t;
	int events;
	struct io_out *silo[SILO_N]; /* world mode */
	uint64_t line[SILO_N];       /* last line written per silo */
	struct io_out *records, *persons, *idents;
	struct io_out *events_out; /* events mode */
	struct radix_item *sort_a, *sort_tmp;
	size_t sort_cap;
};

/*
 * Export order: batch k1, then time k2, then emission order.  Both keys
 * pack into one 64-bit integer (k1 in the top 22 bits, k2 - origin in the
 * low 42: 139 years of milliseconds); the stable radix sort keeps
 * records of equal keys in emission order.  Returns the sorted items.
 */
static struct radix_item *
sort_recs(const struct gen_recs *rs, int64_t origin, struct radix_item **a,
    struct radix_item **tmp, size_t *cap)
{
	size_t n = rs->n;
	if (n > *cap) {
		*cap = n;
		*a = xreallocarray(*a, n, sizeof **a);
		*tmp = xreallocarray(*tmp, n, sizeof **tmp);
	}
	for (size_t i = 0; i < n; i++) {
		const struct gen_rec *x = &rs->v[i];
		(*a)[i].key = (uint64_t)x->k1 << 42 |
		    ((uint64_t)(x->k2 - origin) & ((1ULL << 42) - 1));
		(*a)[i].idx = (uint32_t)i;
	}
	return radix_sort(*a, *tmp, n);
}

static void
put_u64(struct io_out *o, uint64_t v)
{
	char s[24];
	int i = 24;
	do {
		s[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	io_write(o, s + i, (size_t)(24 - i));
}

/* Sorts each silo's records of the block into export order, writes them. */
static void
flush_block(struct run *run, struct gen_render *r)
{
	for (int s = 0; s < SILO_N; s++) {
		struct gen_recs *rs = &r->recs[s];
		if (rs->n == 0)
			continue;
		const struct radix_item *sorted =
		    sort_recs(rs, run->w.p.start_ms, &run->sort_a,
			&run->sort_tmp, &run->sort_cap);
		struct io_out *o = run->events ? run->events_out : run->silo[s];
		for (size_t i = 0; i < rs->n; i++) {
			const struct gen_rec *x = &rs->v[sorted[i].idx];
			io_write(o, rs->text.data + x->off, x->len);
			run->t.records[s]++;
			if (run->events)
				continue;
			char id[48], key[16];
			io_puts(run->records, gen_silos[s].source);
			io_putc(run->records, ',');
			io_write(run->records, id,
			    gen_record_id((enum gen_silo)s, x->id, id));
			io_putc(run->records, ',');
			put_u64(run->records, ++run->line[s]);
			io_putc(run->records, ',');
			io_write(
			    run->records, key, gen_person_key(x->person, key));
			io_putc(run->records, '\n');
		}
	}
	gen_render_clear(r);
}

struct writer {
	struct run *run;
	struct gen_render *r;
	pthread_t tid;
	int running;
};

static void *
writer_main(void *arg)
{
	struct writer *wr = arg;
	flush_block(wr->run, wr->r);
	return NULL;
}

/* Waits for the block being written, if any. */
static void
writer_wait(struct writer *wr)
{
	if (wr->running && pthread_join(wr->tid, NULL) != 0)
		err_die("cannot join the writer thread");
	wr->running = 0;
}

/* Hands the rendered block r to the writer thread (after the last one). */
static void
writer_start(struct writer *wr, struct gen_render *r)
{
	writer_wait(wr);
	wr->r = r;
	int e = pthread_create(&wr->tid, NULL, writer_main, wr);
	if (e != 0) { /* no thread: write it here */
		flush_block(wr->run, r);
		return;
	}
	wr->running = 1;
}

static void
write_ident(void *ctx, const char *type, const char *value, const char *kind)
{
	struct run *run = ctx;
	io_puts(run->idents, type);
	io_putc(run->idents, ',');
	io_puts(run->idents, value);
	io_putc(run->idents, ',');
	io_write(run->idents, run->scratch.data, run->scratch.len);
	io_putc(run->idents, ',');
	io_puts(run->idents, kind);
	io_putc(run->idents, '\n');
}

static void
write_person(
    struct run *run, const struct gen_person *p, const struct gen_result *res)
{
	struct io_out *o = run->persons;
	char key[16];
	struct buf *b = &run->row; /* kept: no allocation a person */

	buf_clear(b);
	buf_add(b, key, gen_person_key(p->index, key));
	buf_addc(b, ',');
	if (p->partner >= 0)
		buf_add(b, key, gen_person_key((uint32_t)p->partner, key));
	buf_printf(b, ",%.4f,%.5f,%d,%d,%d,%s,S%02u,%u,%u,%llu.%02llu\n",
	    p->activity, p->intent, p->has_account, p->has_email, p->subscribed,
	    p->has_app ? gen_app_versions[p->app_version] : "", p->store + 1u,
	    res->touches, res->conversions,
	    (unsigned long long)(res->revenue_cents / 100),
	    (unsigned long long)(res->revenue_cents % 100));
	io_write(o, b->data, b->len);

	buf_clear(&run->scratch);
	buf_add(&run->scratch, key, gen_person_key(p->index, key));
	gen_person_idents(p, &run->ids_scratch, write_ident, run);
}

static void
person(struct run *run, struct gen_render *r, uint32_t index,
    struct gen_touches *touches)
{
	struct gen_person p;
	struct gen_result res, alt;
	struct gen_totals *t = &run->t;

	gen_person_make(&run->w, index, &p);
	gen_touches_make(&run->w, &p, touches);
	gen_simulate(&run->w, &p, touches, CH_NONE, GEN_ALL_FRICTIONS,
	    gen_render_step, r, &res);
	gen_mail(&run->w, &p, gen_render_mail, r);
	gen_render_account(r, &p);

	t->persons++;
	t->households += p.partner > (int64_t)index; /* count each pair once */
	t->touches += res.touches;
	t->conversions += res.conversions;
	t->revenue_cents += res.revenue_cents;
	t->recovered += res.recovered;
	for (int c = 0; c < CH_N; c++) {
		t->touches_by[c] += res.touches_by[c];
		t->conv_by_last[c] += res.conv_by_last[c];
	}
	for (int f = 0; f < FR_N; f++) {
		t->friction_hits[f] += res.friction_hits[f];
		t->friction_aborted[f] += res.friction_aborted[f];
		t->extra_contacts[f] += res.extra_contacts[f];
	}
	if (run->events)
		return;
	/* counterfactual replays, same draws */
	for (int c = 0; c < CH_N; c++) {
		if (res.touches_by[c] == 0) {
			t->conv_without[c] += res.conversions;
			t->revenue_without[c] += res.revenue_cents;
			continue;
		}
		gen_simulate(&run->w, &p, touches, (unsigned)c,
		    GEN_ALL_FRICTIONS, NULL, NULL, &alt);
		t->conv_without[c] += alt.conversions;
		t->revenue_without[c] += alt.revenue_cents;
	}
	for (int f = 0; f < FR_N; f++) {
		if (res.friction_hits[f] == 0) {
			t->conv_no_friction[f] += res.conversions;
			t->revenue_no_friction[f] += res.revenue_cents;
			continue;
		}
		gen_simulate(&run->w, &p, touches, CH_NONE,
		    GEN_ALL_FRICTIONS & ~(1u << f), NULL, NULL, &alt);
		t->conv_no_friction[f] += alt.conversions;
		t->revenue_no_friction[f] += alt.revenue_cents;
	}
	write_person(run, &p, &res);
}

/* ---- truth summaries ---- */

static double
ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

static void
put_money(struct buf *b, int64_t cents)
{
	if (cents < 0) {
		buf_addc(b, '-');
		cents = -cents;
	}
	buf_printf(b, "%lld.%02lld", (long long)(cents / 100),
	    (long long)(cents % 100));
}

/* Writes b to path atomically and frees it. */
static void
write_whole(const char *path, struct buf *b)
{
	struct io_out *o = io_out_open(path);
	io_write(o, b->data, b->len);
	io_out_close(o);
	buf_free(b);
}

static void
write_channels(const struct run *run, const char *path)
{
	const struct gen_totals *t = &run->t;
	double sum = 0, removal[CH_N];
	struct buf b = { 0 };

	for (int c = 0; c < CH_N; c++) {
		removal[c] = 1 - ratio(t->conv_without[c], t->conversions);
		if (removal[c] > 0)
			sum += removal[c];
	}
	buf_adds(&b,
	    "channel,effect,touches,last_touch_conversions,"
	    "conversions_without,removal_effect,attributed_conversions,"
	    "revenue_without,attributed_revenue\n");
	for (int c = 0; c < CH_N; c++) {
		double share = sum > 0 && removal[c] > 0 ? removal[c] / sum : 0;
		buf_printf(&b, "%s,%.3f,%llu,%llu,%llu,%.6f,%.2f,",
		    gen_channels[c].name, gen_channels[c].effect,
		    (unsigned long long)t->touches_by[c],
		    (unsigned long long)t->conv_by_last[c],
		    (unsigned long long)t->conv_without[c], removal[c],
		    share * (double)t->conversions);
		put_money(&b, (int64_t)t->revenue_without[c]);
		buf_printf(
		    &b, ",%.2f\n", share * (double)t->revenue_cents / 100.0);
	}
	write_whole(path, &b);
}

static void
write_frictions(const struct run *run, const char *path)
{
	const struct gen_totals *t = &run->t;
	struct buf b = { 0 };

	buf_adds(&b,
	    "friction,channel,step,occurrences,sales_aborted,"
	    "recovered_by_phone,conversions_lost,revenue_lost,"
	    "extra_contacts,description\n");
	for (int f = 0; f < FR_N; f++) {
		const struct gen_friction_info *fi = &gen_frictions[f];
		buf_printf(&b, "%s,%s,%s,%llu,%llu,%llu,%lld,", fi->name,
		    fi->channel, fi->step,
		    (unsigned long long)t->friction_hits[f],
		    (unsigned long long)t->friction_aborted[f],
		    (unsigned long long)(f == FR_CHECKOUT_ERROR ? t->recovered
								: 0),
		    (long long)(t->conv_no_friction[f] - t->conversions));
		put_money(&b,
		    (int64_t)t->revenue_no_friction[f] -
			(int64_t)t->revenue_cents);
		buf_printf(&b, ",%llu,\"%s\"\n",
		    (unsigned long long)t->extra_contacts[f], fi->what);
	}
	write_whole(path, &b);
}

static void
write_summary(const struct run *run, const char *path)
{
	const struct gen_totals *t = &run->t;
	const struct gen_params *p = &run->w.p;
	struct buf b = { 0 };
	char start[TS_FORMAT_LEN + 1];

	ts_format(p->start_ms, start);
	start[10] = '\0';
	buf_printf(&b,
	    "metric,value\nseed,%llu\npersons,%u\ndays,%u\nstart,%s\n"
	    "households,%llu\ncampaigns,%zu\ntouches,%llu\nconversions,%llu\n"
	    "revenue,",
	    (unsigned long long)p->seed, p->persons, p->days, start,
	    (unsigned long long)t->households, run->w.ncampaigns,
	    (unsigned long long)t->touches, (unsigned long long)t->conversions);
	put_money(&b, (int64_t)t->revenue_cents);
	buf_addc(&b, '\n');
	for (int s = 0; s < SILO_N; s++)
		buf_printf(&b, "records_%s,%llu\n", gen_silos[s].source,
		    (unsigned long long)t->records[s]);
	write_whole(path, &b);
}

static void
write_junk(struct io_out *o)
{
	for (size_t i = 0; i < gen_njunk; i++) {
		io_puts(o, gen_junk_ids[i].type);
		io_putc(o, ',');
		io_puts(o, gen_junk_ids[i].written);
		io_puts(o, ",,junk\n");
	}
}

/* ---- main ---- */

static int64_t
parse_start(const char *s)
{
	int64_t t;
	const struct ts_zone *utc = NULL;
	if (strlen(s) != 10 || ts_parse_iso(s, 10, utc, &t) != 0)
		err_usage(
		    "option '--start' takes a date YYYY-MM-DD, not '%s'", s);
	return t;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct gen_params p = { 1, 2000, 30, 0 };
	const char *out = NULL;
	int k, quiet = 0, events = 0, force = 0, gz = 0;

	p.start_ms = ts_days_from_civil(2026, 10, 1) * 86400000;
	cli_init(&c, &tool, argc, argv);
	while ((k = cli_next(&c)) != -1) {
		switch (k) {
		case KEY_PERSONS:
			p.persons =
			    (uint32_t)cli_int("--persons", c.arg, 1, 99999999);
			break;
		case KEY_SEED:
			p.seed =
			    (uint64_t)cli_int("--seed", c.arg, 0, LLONG_MAX);
			break;
		case KEY_DAYS:
			p.days = (uint32_t)cli_int("--days", c.arg, 1, 3650);
			break;
		case KEY_START: p.start_ms = parse_start(c.arg); break;
		case KEY_EVENTS: events = 1; break;
		case KEY_FORCE: force = 1; break;
		case KEY_GZIP: gz = 1; break;
		case 'o': out = c.arg; break;
		case 'q': quiet = 1; break;
		default: err_usage("unexpected option");
		}
	}
	if (c.optind < argc)
		err_usage("unexpected operand '%s'", argv[c.optind]);
	cli_done(&c);
	if (!events && !out)
		err_usage(
		    "give the world's folder with --out DIR (or --events)");

	struct run run;
	memset(&run, 0, sizeof run);
	run.events = events;
	gen_world_init(&run.w, &p);
	gen_render_init(&run.rr[0], &run.w, events);
	gen_render_init(&run.rr[1], &run.w, events);

	char *dir = NULL, *truth = NULL;
	if (events) {
		run.events_out = io_out_open(out);
		if (gz)
			io_out_gzip(run.events_out, GZ_LEVEL);
		io_puts(run.events_out, gen_events_header);
	} else {
		struct stat st;
		if (stat(out, &st) == 0 && !force)
			err_die("%s: exists (--force replaces it)", out);
		struct buf b = { 0 };
		buf_printf(&b, "%s.tmp-XXXXXX", out);
		tmpdir = b.data;
		if (!mkdtemp(tmpdir))
			err_die("%s: %s", tmpdir, strerror(errno));
		dir = tmpdir;
		for (int si = 0; si < SILO_N; si++) {
			struct buf nb = { 0 };
			buf_printf(
			    &nb, "%s%s", gen_silos[si].file, gz ? ".gz" : "");
			will_make(dir, nb.data);
			buf_free(&nb);
		}
		static const char *const files[] = { "truth/records.csv",
			"truth/records.csv.gz", "truth/persons.csv",
			"truth/identifiers.csv", "truth/channels.csv",
			"truth/frictions.csv", "truth/summary.csv", "README",
			"ingest.sh", "jt-nightly.conf", "truth" };
		for (size_t fi = 0; fi < sizeof files / sizeof files[0]; fi++)
			will_make(dir, files[fi]);
		err_cleanup_push(cleanup_tmpdir, NULL);
		truth = path_in(dir, "truth");
		if (mkdir(truth, 0777) != 0)
			err_die("%s: %s", truth, strerror(errno));
		for (int s = 0; s < SILO_N; s++) {
			struct buf name = { 0 };
			buf_printf(
			    &name, "%s%s", gen_silos[s].file, gz ? ".gz" : "");
			char *f = path_in(dir, name.data);
			run.silo[s] = io_out_open(f);
			if (gz)
				io_out_gzip(run.silo[s], GZ_LEVEL);
			free(f);
			buf_free(&name);
			if (gen_silos[s].header) {
				io_puts(run.silo[s], gen_silos[s].header);
				run.line[s] = 1;
			}
		}
		char *f = path_in(truth, gz ? "records.csv.gz" : "records.csv");
		run.records = io_out_open(f);
		if (gz)
			io_out_gzip(run.records, GZ_LEVEL);
		io_puts(run.records, "source,record,line,person\n");
		free(f);
		f = path_in(truth, "persons.csv");
		run.persons = io_out_open(f);
		io_puts(run.persons,
		    "person,partner,activity,intent,has_account,has_email,"
		    "subscribed,app_version,home_store,touches,conversions,"
		    "revenue\n");
		free(f);
		f = path_in(truth, "identifiers.csv");
		run.idents = io_out_open(f);
		io_puts(run.idents, "id_type,id_value,person,kind\n");
		free(f);
	}

	struct gen_touches touches = { 0 };
	struct writer wr = { &run, NULL, 0, 0 };
	int cur = 0;
	for (uint32_t i = 0; i < p.persons; i++) {
		person(&run, &run.rr[cur], i, &touches);
		if ((i + 1) % BLOCK == 0) {
			writer_start(&wr, &run.rr[cur]);
			cur ^= 1;
		}
	}
	writer_start(&wr, &run.rr[cur]);
	writer_wait(&wr);
	gen_touches_free(&touches);

	if (events) {
		io_out_close(run.events_out);
	} else {
		for (int s = 0; s < SILO_N; s++)
			io_out_close(run.silo[s]);
		io_out_close(run.records);
		io_out_close(run.persons);
		write_junk(run.idents);
		io_out_close(run.idents);
		char *f = path_in(truth, "channels.csv");
		write_channels(&run, f);
		free(f);
		f = path_in(truth, "frictions.csv");
		write_frictions(&run, f);
		free(f);
		f = path_in(truth, "summary.csv");
		write_summary(&run, f);
		free(f);
		f = path_in(dir, "README");
		struct io_out *o = io_out_open(f);
		gen_write_readme(o, &run.w, &run.t, gz);
		io_out_close(o);
		free(f);
		f = path_in(dir, "ingest.sh");
		o = io_out_open(f);
		gen_write_ingest_sh(o, gz);
		io_out_close(o);
		if (chmod(f, 0755) != 0)
			err_die("%s: %s", f, strerror(errno));
		free(f);
		f = path_in(dir, "jt-nightly.conf");
		o = io_out_open(f);
		gen_write_nightly_conf(o, gz);
		io_out_close(o);
		free(f);
		/* publish: the new folder replaces the old in one rename */
		struct stat st;
		char *old = NULL;
		if (stat(out, &st) == 0) {
			struct buf b = { 0 };
			buf_printf(&b, "%s.old-XXXXXX", out);
			old = b.data;
			if (!mkdtemp(old) || rmdir(old) != 0 ||
			    rename(out, old) != 0)
				err_die("%s: cannot move aside: %s", out,
				    strerror(errno));
		}
		if (rename(dir, out) != 0)
			err_die("%s: %s", out, strerror(errno));
		free(tmpdir);
		tmpdir = NULL;
		free_made();
		if (old) {
			rm_tree(old);
			free(old);
		}
		free(truth);
	}
	if (!quiet) {
		const struct gen_totals *t = &run.t;
		uint64_t recs = 0;
		for (int s = 0; s < SILO_N; s++)
			recs += t->records[s];
		fprintf(stderr,
		    "jt-gen: %llu persons, %llu touches, %llu conversions "
		    "(%.1f%% of persons' touches), %llu records\n",
		    (unsigned long long)t->persons,
		    (unsigned long long)t->touches,
		    (unsigned long long)t->conversions,
		    100 * ratio(t->conversions, t->touches),
		    (unsigned long long)recs);
	}
	free(run.sort_a);
	free(run.sort_tmp);
	gen_render_free(&run.rr[0]);
	gen_render_free(&run.rr[1]);
	buf_free(&run.scratch);
	buf_free(&run.row);
	buf_free(&run.ids_scratch);
	gen_world_free(&run.w);
	return 0;
}
