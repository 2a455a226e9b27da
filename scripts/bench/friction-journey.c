/*
 * friction-journey: a stand-in for `jt-journey --output events`, for the
 * jt-friction benchmarks while jt-journey is not built (the benchmarks use
 * jt-journey itself when it is).
 *
 * Reads jt-events(5) rows already ordered by person, then time (sort the
 * canonical events of `jt-gen --events` with `sort -t, -k2,2 -k1,1`) and
 * writes them with journey,session,step added: a visit is a run of one
 * channel's events with gaps under 30 minutes (an event without a channel
 * belongs to the visit in progress); a journey ends with a conversion
 * (event purchase, conversion or order) and is numbered <person>:<n>;
 * step is the event's position in its journey.  No lookback cut (a jt-gen
 * world lasts 30 days).  Usage: friction-journey < sorted.csv > out.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvout.h"
#include "err.h"
#include "evin.h"
#include "io.h"
#include "ts.h"

#define GAP_MS (30LL * 60 * 1000)

static int
is_conversion(const char *s, size_t n)
{
	return (n == 8 && memcmp(s, "purchase", 8) == 0) ||
	    (n == 5 && memcmp(s, "order", 5) == 0) ||
	    (n == 10 && memcmp(s, "conversion", 10) == 0);
}

int
main(void)
{
	err_set_prog("friction-journey");
	err_install_signals();
	struct csvin_opts o = { 0 };
	struct evin *e = evin_open(NULL, 0, &o, 1);
	long cts = evin_col(e, "ts"), cp = evin_col(e, "person"),
	     cc = evin_col(e, "channel"), ce = evin_col(e, "event");
	if (cts < 0 || cp < 0 || cc < 0 || ce < 0)
		err_die("need ts, person, channel and event columns");
	struct io_out *out = io_out_open(NULL);
	struct csvout w;
	csvout_init(&w, out, ',');
	for (size_t i = 0; i < e->ncols; i++)
		csvout_str(&w, e->col[i]);
	csvout_str(&w, "journey");
	csvout_str(&w, "session");
	csvout_str(&w, "step");
	csvout_end(&w);

	struct buf person = { 0 }, chan = { 0 }, num = { 0 };
	long journey = 0, session = 0, step = 0;
	int64_t last = 0;
	int closed = 0;
	enum csvin_status st;
	while ((st = evin_next(e)) != CSVIN_EOF) {
		if (st != CSVIN_ROW)
			err_die("%s:%ld: %s", e->file, e->line, e->reason);
		int64_t t;
		if (ts_parse_auto(e->f[cts], e->len[cts], NULL, &t) != 0)
			err_die("%s:%ld: bad ts", e->file, e->line);
		const char *c = e->f[cc];
		size_t cn = e->len[cc];
		if (person.len != e->len[cp] ||
		    memcmp(person.data ? person.data : "", e->f[cp],
			e->len[cp]) != 0) {
			buf_clear(&person);
			buf_add(&person, e->f[cp], e->len[cp]);
			journey = 1;
			session = 0;
			step = 0;
			closed = 0;
			buf_clear(&chan);
			last = INT64_MIN / 2;
		}
		if (closed) {
			journey++;
			step = 0;
			closed = 0;
		}
		int newvisit = t - last >= GAP_MS || session == 0 ||
		    (cn && (chan.len != cn || memcmp(chan.data, c, cn) != 0));
		if (newvisit) {
			session++;
			buf_clear(&chan);
			buf_add(&chan, cn ? c : "direct", cn ? cn : 6);
		}
		last = t;
		step++;
		for (size_t i = 0; i < e->ncols; i++)
			csvout_field(&w, e->f[i], e->len[i]);
		buf_clear(&num);
		buf_printf(&num, "%s:%ld", person.data, journey);
		csvout_field(&w, num.data, num.len);
		buf_clear(&num);
		buf_printf(&num, "%ld", session);
		csvout_plain(&w, num.data, num.len);
		buf_clear(&num);
		buf_printf(&num, "%ld", step);
		csvout_plain(&w, num.data, num.len);
		csvout_end(&w);
		if (is_conversion(e->f[ce], e->len[ce]))
			closed = 1;
	}
	io_out_close(out);
	evin_close(e);
	buf_free(&person);
	buf_free(&chan);
	buf_free(&num);
	return 0;
}
