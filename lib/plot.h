/*
 * plot: gnuplot scripts for jt's reports, built as pure functions.
 *
 * A struct plot collects the rows of one report (attribution, paths,
 * funnel, friction, transitions) or the events of a timeline, then
 * plot_script writes a complete, self-contained gnuplot script: the
 * terminal, the data inline as a data block ($name << EOD ... EOD), the
 * styling and the plot command.  Nothing here runs gnuplot, reads a file or
 * exits: the same rows always give the same bytes, so the scripts are
 * compared with golden files.
 *
 * Every chart follows the same rules: bars sorted (largest first, at the
 * top), both axes labelled, labels written in full (the terminal is
 * noenhanced, so '_' is not a subscript) and a channel always drawn in the
 * same colour (plot_channel_rgb), whatever the chart.
 */
#ifndef JT_PLOT_H
#define JT_PLOT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum plot_chart {
	PLOT_ATTRIBUTION,
	PLOT_PATHS,
	PLOT_FUNNEL,
	PLOT_FRICTION,
	PLOT_TRANSITIONS,
	PLOT_TIMELINE
};

enum plot_format { PLOT_PNG, PLOT_SVG, PLOT_PDF };

/* What attribution bars measure. */
enum plot_measure { PLOT_CONVERSIONS, PLOT_VALUE, PLOT_SHARE };

/* Kinds of transition table. */
enum plot_trans { PLOT_MARKOV, PLOT_DFG };

struct plot_opts {
	enum plot_format format;
	int width, height;  /* pixels; 0: the chart's default size */
	const char *title;  /* NULL: the chart's default title */
	const char *output; /* file for "set output", NULL: gnuplot's stdout */
	size_t top;         /* 0: the chart's default (plot_default_top) */
	enum plot_measure measure; /* attribution only */
	int all_signals; /* friction: also dropoff and dead_end rows */
};

/* The chart named s ("attribution", ...): 0 and *out set, or -1. */
int plot_chart_parse(const char *s, enum plot_chart *out);
/* The chart's name (static). */
const char *plot_chart_name(enum plot_chart c);
/* The default of --top for chart c; 0 means every row is drawn. */
size_t plot_default_top(enum plot_chart c);

/*
 * The colour of a channel as 0xRRGGBB: a fixed colour for the channels of
 * jt-ingest's default grouping and the assisted channels (paid_search,
 * email, call_center, ...), and for any other name one of a second
 * palette chosen by a hash of the name, so it is the same in every chart
 * and every run.
 */
uint32_t plot_channel_rgb(const char *name, size_t n);
/* The colour of an attribution model (markov, shapley, first, ...). */
uint32_t plot_model_rgb(const char *name, size_t n);

/*
 * Appends s as a gnuplot single-quoted string: quotes doubled, control
 * characters (newlines included) written as spaces.
 */
void plot_quote(struct buf *b, const char *s, size_t n);
/*
 * Appends s as a double-quoted string of a data block: gnuplot has no
 * escape there, so a double quote becomes a single one, control
 * characters become spaces.
 */
void plot_datum(struct buf *b, const char *s, size_t n);
/*
 * Appends a path ("a > b > c") shortened to about max bytes: when longer,
 * the first and last steps are kept whole, as many as fit, with "..."
 * between them and the count of steps after: "a > b > ... > z (12 steps)".
 * A step (a channel name) is never cut.
 */
void plot_path_label(struct buf *b, const char *path, size_t n, size_t max);
/* Appends n with thousands separators ("12,345"), rounded to an integer. */
void plot_count(struct buf *b, double n);
/* Appends a duration in seconds as "45s", "12m 5s", "3h 20m", "2d 4h". */
void plot_duration(struct buf *b, double s);

struct plot;

/* A new empty chart of kind c.  Free with plot_free. */
struct plot *plot_new(enum plot_chart c);
void plot_free(struct plot *p);
/* Rows added so far (events for a timeline). */
uint64_t plot_rows(const struct plot *p);

/*
 * Adds one row of each report.  Strings are copied.  Rows with the same
 * key (model and channel, path, from and to) add up; the bootstrap
 * interval of an attribution key seen twice is dropped; an empty channel
 * is drawn as "(none)", as in a timeline.  lo and hi NULL:
 * no interval.  A NaN optional value means the column is absent.
 */
void plot_add_attribution(struct plot *p, const char *model,
    const char *channel, double conversions, double value, double share,
    const double *lo, const double *hi);
/* journeys and conversions of a path; median_s NaN when unknown. */
void plot_add_path(struct plot *p, const char *path, size_t n, double journeys,
    double conversions, double median_s);
/*
 * A funnel stage, in funnel order; from_previous and from_first are
 * fractions (0-1) or NaN to compute them from the journeys.
 */
void plot_add_stage(struct plot *p, const char *stage, double journeys,
    double from_previous, double from_first, double median_s);
/* A friction signal; journeys and z NaN when unknown; ranked 0 or 1. */
void plot_add_friction(struct plot *p, const char *signal, const char *channel,
    const char *step, const char *group, double journeys, double impact,
    double z, int ranked);
/*
 * A transition: kind PLOT_MARKOV gives its probability (and count, or
 * NaN), PLOT_DFG its count (probability NaN: computed per row).  The
 * kind of the first row holds for the table.
 */
void plot_add_transition(struct plot *p, enum plot_trans kind, const char *from,
    const char *to, double probability, double count);
/* One event of channel (n bytes, may be empty) on day (days since 1970). */
void plot_add_event(struct plot *p, int64_t day, const char *channel, size_t n);

/*
 * Appends the whole gnuplot script of the chart to out.  An empty chart
 * gives a valid script drawing "no data".
 */
void plot_script(
    const struct plot *p, const struct plot_opts *o, struct buf *out);

#endif
