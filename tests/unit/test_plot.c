/*
 * Unit tests of lib/plot.c: colours, quoting, labels, and the data blocks
 * and layout of each chart, against values worked out by hand.
 */
#include <math.h>

#include "unit.h"
#include "buf.h"
#include "plot.h"

/* The script of p with options o (static buffer, reused per call). */
static const char *
script(const struct plot *p, const struct plot_opts *o)
{
	static struct buf b;
	buf_free(&b);
	plot_script(p, o, &b);
	return buf_str(&b);
}

/* The line of text s that starts with prefix, copied (static), or NULL. */
static const char *
line_of(const char *s, const char *prefix)
{
	static char out[4096];
	size_t n = strlen(prefix);
	for (const char *l = s; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		if (len >= n && memcmp(l, prefix, n) == 0 && len < sizeof out) {
			memcpy(out, l, len);
			out[len] = '\0';
			return out;
		}
		l = e ? e + 1 : NULL;
	}
	return NULL;
}

/* The data block "$name << EOD" of s, without its first and last lines. */
static const char *
block(const char *s, const char *name)
{
	static char out[8192];
	char head[64];
	snprintf(head, sizeof head, "%s << EOD\n", name);
	const char *b = strstr(s, head);
	assert_non_null(b);
	b += strlen(head);
	const char *e = strstr(b, "\nEOD\n");
	assert_non_null(e);
	size_t n = (size_t)(e - b) + 1;
	assert_true(n < sizeof out);
	memcpy(out, b, n);
	out[n] = '\0';
	return out;
}

static void
test_chart_names(void **state)
{
	(void)state;
	enum plot_chart c;
	assert_int_equal(plot_chart_parse("funnel", &c), 0);
	assert_int_equal(c, PLOT_FUNNEL);
	assert_int_equal(plot_chart_parse("timeline", &c), 0);
	assert_string_equal(plot_chart_name(c), "timeline");
	assert_int_equal(plot_chart_parse("Funnel", &c), -1);
	assert_int_equal(plot_chart_parse("", &c), -1);
	assert_int_equal(plot_default_top(PLOT_PATHS), 20);
	assert_int_equal(plot_default_top(PLOT_FRICTION), 15);
	assert_int_equal(plot_default_top(PLOT_TIMELINE), 12);
	assert_int_equal(plot_default_top(PLOT_ATTRIBUTION), 0);
}

static void
test_colours(void **state)
{
	(void)state;
	assert_int_equal(plot_channel_rgb("paid_search", 11), 0x1f77b4);
	assert_int_equal(plot_channel_rgb("email", 5), 0xff7f0e);
	assert_int_equal(plot_channel_rgb("call_center", 11), 0xd62728);
	assert_int_equal(plot_model_rgb("markov", 6), 0x4e79a7);
	/* a prefix is another name */
	assert_int_not_equal(plot_channel_rgb("email", 4), 0xff7f0e);
	/* an unknown name: always the same, none of the fixed colours */
	uint32_t c = plot_channel_rgb("partner_x", 9);
	assert_int_equal(c, plot_channel_rgb("partner_x", 9));
	static const char *const fixed[] = { "paid_search", "organic_search",
		"direct", "email", "display", "paid_social", "organic_social",
		"affiliate", "referral", "app", "call_center", "chat", "store",
		"web" };
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		assert_int_not_equal(
		    c, plot_channel_rgb(fixed[i], strlen(fixed[i])));
	/* FNV-1a of "partner_x" is 14 modulo 16: pinned, colours never move */
	assert_int_equal(c, 0x31a354);
}

static void
test_quoting(void **state)
{
	(void)state;
	struct buf b = { 0 };
	plot_quote(&b, "Bob's\nchart", 11);
	assert_string_equal(b.data, "'Bob''s chart'");
	buf_clear(&b);
	plot_datum(&b, "say \"hi\"\t", 9);
	assert_string_equal(b.data, "\"say 'hi' \"");
	buf_clear(&b);
	plot_datum(&b, "", 0);
	assert_string_equal(b.data, "\"\"");
	buf_free(&b);
}

static void
test_path_label(void **state)
{
	(void)state;
	struct buf b = { 0 };
	const char *p = "aaaa > bbbb > cccc > dddd > eeee > ffff"; /* 39 */
	plot_path_label(&b, p, strlen(p), 39);
	assert_string_equal(b.data, p);
	/* first and last (4 + 9 + 4) and " (6 steps)" (10): 27 <= 30 */
	buf_clear(&b);
	plot_path_label(&b, p, strlen(p), 30);
	assert_string_equal(b.data, "aaaa > ... > ffff (6 steps)");
	/* one more step from the front fits in 34 exactly */
	buf_clear(&b);
	plot_path_label(&b, p, strlen(p), 34);
	assert_string_equal(b.data, "aaaa > bbbb > ... > ffff (6 steps)");
	assert_int_equal(b.len, 34);
	/* seven steps (46 bytes): the next from the back needs 41 */
	const char *p7 = "aaaa > bbbb > cccc > dddd > eeee > ffff > gggg";
	buf_clear(&b);
	plot_path_label(&b, p7, strlen(p7), 40);
	assert_string_equal(b.data, "aaaa > bbbb > ... > gggg (7 steps)");
	buf_clear(&b);
	plot_path_label(&b, p7, strlen(p7), 41);
	assert_string_equal(
	    b.data, "aaaa > bbbb > ... > ffff > gggg (7 steps)");
	assert_int_equal(b.len, 41);
	/* a single step too long is kept whole */
	buf_clear(&b);
	plot_path_label(&b, "a_very_long_channel_name", 24, 10);
	assert_string_equal(b.data, "a_very_long_channel_name");
	buf_free(&b);
}

static void
test_numbers(void **state)
{
	(void)state;
	struct buf b = { 0 };
	plot_count(&b, 1234567);
	assert_string_equal(b.data, "1,234,567");
	buf_clear(&b);
	plot_count(&b, 999.4);
	assert_string_equal(b.data, "999");
	buf_clear(&b);
	plot_count(&b, -1500);
	assert_string_equal(b.data, "-1,500");
	buf_clear(&b);
	plot_count(&b, -0.2);
	assert_string_equal(b.data, "0");
	buf_clear(&b);
	plot_duration(&b, 45);
	assert_string_equal(b.data, "45s");
	buf_clear(&b);
	plot_duration(&b, 125);
	assert_string_equal(b.data, "2m 5s");
	buf_clear(&b);
	plot_duration(&b, 7260);
	assert_string_equal(b.data, "2h 1m");
	buf_clear(&b);
	plot_duration(&b, 183600);
	assert_string_equal(b.data, "2d 3h");
	buf_clear(&b);
	plot_duration(&b, NAN);
	assert_string_equal(b.data, "?");
	buf_free(&b);
}

static void
test_terminal(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_FUNNEL);
	plot_add_stage(p, "view", 10, NAN, NAN, NAN);
	struct plot_opts o = { 0 };
	const char *s = script(p, &o);
	assert_string_equal(line_of(s, "set terminal"),
	    "set terminal pngcairo size 1000,500 noenhanced font 'Sans,10' "
	    "background '#ffffff'");
	assert_null(line_of(s, "set output"));
	o.format = PLOT_SVG;
	o.width = 640;
	o.height = 480;
	o.output = "it's.svg";
	o.title = "T";
	s = script(p, &o);
	assert_string_equal(line_of(s, "set terminal"),
	    "set terminal svg size 640,480 noenhanced font 'Sans,10' "
	    "background '#ffffff'");
	assert_string_equal(line_of(s, "set output"), "set output 'it''s.svg'");
	assert_string_equal(
	    line_of(s, "set title"), "set title 'T' font ',13'");
	/* PDF: 96 pixels to the inch */
	o.format = PLOT_PDF;
	o.width = 960;
	o.height = 480;
	s = script(p, &o);
	assert_string_equal(line_of(s, "set terminal"),
	    "set terminal pdfcairo size 10.00in,5.00in noenhanced font "
	    "'Sans,10'");
	plot_free(p);
}

static void
test_attribution(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_ATTRIBUTION);
	plot_add_attribution(p, "m1", "a", 1, 10, 0.1, NULL, NULL);
	plot_add_attribution(p, "m1", "b", 2, 20, 0.2, NULL, NULL);
	plot_add_attribution(p, "m2", "a", 1, 5, 0.1, NULL, NULL);
	plot_add_attribution(p, "m2", "b", 2, 5, 0.2, NULL, NULL);
	/* the same cell again adds up */
	plot_add_attribution(p, "m1", "b", 1, 1, 0.1, NULL, NULL);
	assert_int_equal(plot_rows(p), 5);
	struct plot_opts o = { 0 };
	const char *s = script(p, &o);
	/* b: 3 + 2 = 5 before a: 1 + 1 = 2 */
	char want[256];
	snprintf(want, sizeof want,
	    "# channel m1 m2 colour\n\"b\" 3 2 %u\n"
	    "\"a\" 1 1 %u\n",
	    (unsigned)plot_channel_rgb("b", 1),
	    (unsigned)plot_channel_rgb("a", 1));
	assert_string_equal(block(s, "$attribution"), want);
	assert_string_equal(
	    line_of(s, "set ytics ("), "set ytics ('b' 0, 'a' 1)");
	assert_string_equal(line_of(s, "set yrange"), "set yrange [1.5:-0.5]");
	assert_string_equal(line_of(s, "set xrange"), "set xrange [0:*]");
	assert_non_null(line_of(s, "K = 2"));
	assert_non_null(strstr(s, "title 'm1', \\\n"));
	assert_non_null(strstr(s, "title 'm2'\n"));
	assert_string_equal(line_of(s, "set title"),
	    "set title 'Conversions credited by channel and model' font ',13'");
	/* value, and top 1: b, then the other channel added up */
	o.measure = PLOT_VALUE;
	o.top = 1;
	s = script(p, &o);
	snprintf(want, sizeof want,
	    "# channel m1 m2 colour\n\"b\" 21 5 %u\n"
	    "\"(other 1 channels)\" 10 5 %u\n",
	    (unsigned)plot_channel_rgb("b", 1),
	    (unsigned)plot_channel_rgb("(other)", 7));
	assert_string_equal(block(s, "$attribution"), want);
	plot_free(p);
}

static void
test_attribution_ci(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_ATTRIBUTION);
	double lo = 1, hi = 4, lo2 = -1, hi2 = 2;
	plot_add_attribution(p, "markov", "email", 2.5, 10, 0.5, &lo, &hi);
	plot_add_attribution(p, "markov", "web", 0.5, 10, 0.5, &lo2, &hi2);
	struct plot_opts o = { 0 };
	const char *s = script(p, &o);
	char want[256];
	snprintf(want, sizeof want,
	    "# channel markov markov_lo markov_hi colour\n"
	    "\"email\" 2.5 1 4 %u\n\"web\" 0.5 -1 2 %u\n",
	    0xff7f0eu, (unsigned)plot_channel_rgb("web", 3));
	assert_string_equal(block(s, "$attribution"), want);
	assert_non_null(strstr(s, "with xerrorbars"));
	assert_string_equal(line_of(s, "set title"),
	    "set title 'Conversions credited by channel (markov)' font ',13'");
	/* an empty channel is "(none)" */
	plot_add_attribution(p, "markov", "", 0.1, 0, 0, NULL, NULL);
	s = script(p, &o);
	assert_non_null(strstr(s, "'web' 1, '(none)' 2)"));
	/* a cell seen twice loses its interval */
	plot_add_attribution(p, "markov", "web", 0.5, 0, 0, &lo2, &hi2);
	s = script(p, &o);
	assert_non_null(strstr(block(s, "$attribution"), "\"web\" 1 NaN NaN "));
	/* share: a percentage, no interval */
	o.measure = PLOT_SHARE;
	s = script(p, &o);
	assert_non_null(strstr(block(s, "$attribution"), "\"email\" 50 "));
	assert_null(strstr(s, "xerrorbars"));
	plot_free(p);
}

static void
test_paths(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_PATHS);
	plot_add_path(p, "a > b", 5, 10, 2, NAN);
	plot_add_path(p, "c", 1, 30, 3, 60);
	plot_add_path(p, "a > b", 5, 10, 3, NAN);
	plot_add_path(p, "d", 1, 20, 0, 7200);
	struct plot_opts o = { 0 };
	const char *s = script(p, &o);
	assert_string_equal(block(s, "$paths"),
	    "\"c\" 30 3 10.0000 \"  30 journeys, 10.0% converted, median 1m "
	    "0s\"\n"
	    "\"a > b\" 20 5 25.0000 \"  20 journeys, 25.0% converted\"\n"
	    "\"d\" 20 0 0.0000 \"  20 journeys, 0.0% converted, median 2h "
	    "0m\"\n");
	/* the colour scale goes up to the best rate, the axis past the bars */
	assert_string_equal(line_of(s, "set cbrange"), "set cbrange [0:25]");
	assert_string_equal(line_of(s, "set xrange"), "set xrange [0:51]");
	o.top = 1;
	s = script(p, &o);
	assert_string_equal(line_of(s, "set title"),
	    "set title 'Top 1 paths by journeys' font ',13'");
	assert_string_equal(block(s, "$paths"),
	    "\"c\" 30 3 10.0000 \"  30 journeys, 10.0% converted, median 1m "
	    "0s\"\n");
	plot_free(p);
}

static void
test_funnel(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_FUNNEL);
	plot_add_stage(p, "view", 200, NAN, NAN, NAN);
	plot_add_stage(p, "cart", 50, NAN, NAN, 90);
	plot_add_stage(p, "buy", 10, 0.5, 0.25, NAN);
	struct plot_opts o = { 0 };
	const char *s = script(p, &o);
	/* computed 50/200, 50/200; given 0.5 and 0.25 win over 10/50, 10/200 */
	assert_string_equal(block(s, "$funnel"),
	    "\"view\" 200 200 100.0000 100.0000 \"  200 journeys\"\n"
	    "\"cart\" 50 200 25.0000 25.0000 \"  50: 25.0% of previous, 25.0% "
	    "of first; median 1m 30s\"\n"
	    "\"buy\" 10 50 50.0000 25.0000 \"  10: 50.0% of previous, 25.0% "
	    "of first\"\n");
	assert_string_equal(line_of(s, "set yrange"), "set yrange [2.5:-0.5]");
	plot_free(p);
}

static void
test_friction(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_FRICTION);
	plot_add_friction(p, "dropoff", "web", "cart", "", 300, 300, NAN, 0);
	plot_add_friction(p, "loop", "web", "login", "", 40, 2, 1.04, 1);
	plot_add_friction(p, "error", "app", "pay", "v=5", 20, 6, 2.5, 1);
	plot_add_friction(p, "loop", "web", "cart", "", 10, -1, -0.3, 1);
	struct plot_opts o = { 0 };
	o.top = 3;
	const char *s = script(p, &o);
	/* ranked by impact (6, 2, -1), the unranked after: cut at 3 */
	char want[512];
	snprintf(want, sizeof want,
	    "\"error: pay (app) [v=5]\" 6 20 2.5 1 %u \"  6.0 (20 journeys, "
	    "z 2.5)\"\n"
	    "\"loop: login (web)\" 2 40 1.04 1 %u \"  2.0 (40 journeys, z "
	    "1.0)\"\n"
	    "\"loop: cart (web)\" -1 10 -0.3 1 %u \"  -1.0 (10 journeys, z "
	    "-0.3)\"\n",
	    0x8c564bu, (unsigned)plot_channel_rgb("web", 3),
	    (unsigned)plot_channel_rgb("web", 3));
	assert_string_equal(block(s, "$friction"), want);
	/* span 7: from -1 - 1.05 to 6 + 4.2 */
	assert_string_equal(
	    line_of(s, "set xrange"), "set xrange [-2.05:10.2]");
	assert_null(strstr(s, "'not ranked'"));
	/* every row: the drop-off is left out while there are causes */
	o.top = 0;
	s = script(p, &o);
	assert_null(strstr(block(s, "$friction"), "dropoff"));
	assert_null(strstr(s, "'not ranked'"));
	/* unless asked for, then after them, hatched */
	o.all_signals = 1;
	s = script(p, &o);
	assert_non_null(strstr(
	    block(s, "$friction"), "\"dropoff: cart (web)\" 300 300 NaN 0 "));
	assert_non_null(strstr(s, "title 'not ranked'"));
	o.all_signals = 0;
	plot_free(p);

	/* without journeys or z, the label says only what is known */
	p = plot_new(PLOT_FRICTION);
	plot_add_friction(p, "error", "", "", "", NAN, 2, NAN, 1);
	plot_add_friction(p, "dead_end", "", "x", "", NAN, 1, NAN, 0);
	o.all_signals = 1;
	s = script(p, &o);
	snprintf(want, sizeof want,
	    "\"error\" 2 NaN NaN 1 %u \"  2.0\"\n"
	    "\"dead_end: x\" 1 NaN NaN 0 %u \"  1.0 (not ranked)\"\n",
	    0xc7c7c7u, 0xc7c7c7u);
	assert_string_equal(block(s, "$friction"), want);
	assert_non_null(strstr(s, "title '(none)'"));
	plot_free(p);
}

static void
test_transitions(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_TRANSITIONS);
	plot_add_transition(p, PLOT_MARKOV, "(start)", "a", 0.25, 1);
	plot_add_transition(p, PLOT_MARKOV, "(start)", "b", 0.75, 3);
	plot_add_transition(p, PLOT_MARKOV, "a", "(null)", 1, 1);
	plot_add_transition(p, PLOT_MARKOV, "b", "(conversion)", 0.004, 1);
	plot_add_transition(p, PLOT_MARKOV, "b", "(null)", 0.996, 2);
	struct plot_opts o = { 0 };
	const char *s = script(p, &o);
	/* flow: b 3 + 1 + 2 = 6, a 1 + 1 = 2; sinks by name */
	assert_string_equal(line_of(s, "set ytics ("),
	    "set ytics ('(start)' 0, 'b' 1, 'a' 2) scale 0");
	assert_string_equal(line_of(s, "set xtics ("),
	    "set xtics ('b' 0, 'a' 1, '(conversion)' 2, '(null)' 3) rotate "
	    "by 40 right scale 0");
	const char *d = block(s, "$transitions");
	assert_non_null(strstr(d, "0 0 0.75 16777215 \"0.75\"\n"));
	assert_non_null(strstr(d, "1 0 0.25 2105376 \"0.25\"\n"));
	assert_non_null(strstr(d, "2 1 0.004 2105376 \"<0.01\"\n"));
	assert_non_null(strstr(d, "3 2 1 16777215 \"1.00\"\n"));
	assert_non_null(strstr(d, "0 2 0 2105376 \"\"\n"));
	/* 3 rows x 4 columns */
	size_t lines = 0;
	for (const char *c = d; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 12);
	/* --top 1: only b between start and the end */
	o.top = 1;
	s = script(p, &o);
	assert_string_equal(line_of(s, "set ytics ("),
	    "set ytics ('(start)' 0, 'b' 1) scale 0");
	assert_non_null(line_of(s, "# --top 1: 1 other states left out"));
	plot_free(p);

	/* a dfg: each row's share of its counts */
	p = plot_new(PLOT_TRANSITIONS);
	plot_add_transition(p, PLOT_DFG, "x", "y", NAN, 3);
	plot_add_transition(p, PLOT_DFG, "x", "x", NAN, 1);
	o.top = 0;
	s = script(p, &o);
	d = block(s, "$transitions");
	assert_string_equal(d,
	    "0 0 0.25 2105376 \"1\"\n"
	    "1 0 0.75 16777215 \"3\"\n");
	assert_non_null(strstr(s, "share of the transitions"));
	plot_free(p);
}

static void
test_timeline(void **state)
{
	(void)state;
	struct plot *p = plot_new(PLOT_TIMELINE);
	int64_t d0 = 20362; /* 2025-10-01 */
	plot_add_event(p, d0 + 2, "web", 3);
	plot_add_event(p, d0, "web", 3);
	plot_add_event(p, d0, "", 0);
	plot_add_event(p, d0, "email", 5);
	plot_add_event(p, d0 + 2, "email", 5);
	plot_add_event(p, d0 + 2, "email", 5);
	plot_add_event(p, d0 + 2, "app", 3);
	assert_int_equal(plot_rows(p), 7);
	struct plot_opts o = { 0 };
	const char *s = script(p, &o);
	/* email 3, web 2, then (none) 1 and app 1 by name; the gap day 0s */
	assert_string_equal(block(s, "$timeline"),
	    "# day seconds email web (none) app\n"
	    "2025-10-01 1759276800 1 1 1 0\n"
	    "2025-10-02 1759363200 0 0 0 0\n"
	    "2025-10-03 1759449600 2 1 0 1\n");
	assert_string_equal(
	    line_of(s, "set xrange"), "set xrange [1759233600:1759492800]");
	o.top = 2;
	s = script(p, &o);
	assert_string_equal(block(s, "$timeline"),
	    "# day seconds email web (other)\n"
	    "2025-10-01 1759276800 1 1 1\n"
	    "2025-10-02 1759363200 0 0 0\n"
	    "2025-10-03 1759449600 2 1 1\n");
	assert_non_null(
	    strstr(s, "lc rgb '#a0a0a0' dt 2 title '(other 2 channels)'"));
	plot_free(p);

	/* days far apart are not filled */
	p = plot_new(PLOT_TIMELINE);
	plot_add_event(p, 0, "web", 3);
	plot_add_event(p, 5000, "web", 3);
	s = script(p, &o);
	assert_string_equal(block(s, "$timeline"),
	    "# day seconds web\n1970-01-01 0 1\n1983-09-10 432000000 1\n");
	assert_non_null(strstr(s, "format '%b %Y'"));
	plot_free(p);
}

static void
test_empty(void **state)
{
	(void)state;
	for (int c = PLOT_ATTRIBUTION; c <= PLOT_TIMELINE; c++) {
		struct plot *p = plot_new((enum plot_chart)c);
		struct plot_opts o = { 0 };
		const char *s = script(p, &o);
		assert_non_null(line_of(s, "set label 1 'no data'"));
		assert_non_null(line_of(s, "plot 2 notitle"));
		assert_null(strstr(s, "EOD"));
		plot_free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chart_names),
		cmocka_unit_test(test_colours),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_path_label),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_attribution),
		cmocka_unit_test(test_attribution_ci),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_funnel),
		cmocka_unit_test(test_friction),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
