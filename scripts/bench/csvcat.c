/*
 * csvcat: reads CSV inputs through the library (csvin/evin: libcsv, gzip,
 * line numbers, UTF-8 checks, union of headers) and writes them back
 * (csvout).  It is the loop measured by scripts/bench/csv.sh and the tool
 * the test suite uses to exercise the library's plumbing end to end.  It is
 * built with the benchmarks and not installed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "cli.h"
#include "csvin.h"
#include "csvout.h"
#include "err.h"
#include "evin.h"
#include "io.h"
#include "reject.h"

enum { KEY_DELIM = CLI_KEY_TOOL_BASE };

static const struct cli_opt opts[] = { CLI_COMMON_OUT, CLI_COMMON_QUIET,
	CLI_COMMON_REJECTS, CLI_COMMON_MAX_REJECTS, CLI_COMMON_MAX_FIELD,
	{ "delimiter", 'd', CLI_ARG, "C",
	    "input field separator (default ',')" },
	{ 0 } };

static const struct cli_tool tool = {
	"csvcat",
	"copy CSV inputs to one CSV stream over the union of their columns",
	"[-o FILE] [OPTION]... [FILE]...",
	opts,
};

int
main(int argc, char **argv)
{
	struct cli c;
	struct csvin_opts copts = { 0 };
	struct cli_common cc;
	int k;

	cli_common_init(&cc);
	cli_init(&c, &tool, argc, argv);
	while ((k = cli_next(&c)) != -1) {
		if (cli_common_opt(&cc, k, c.arg))
			continue;
		switch (k) {
		case 'd':
			if (c.arg[0] == '\0' || c.arg[1] != '\0')
				err_usage("option '--delimiter' takes one "
					  "character, not '%s'",
				    c.arg);
			copts.delim = c.arg[0];
			break;
		}
	}
	const char *out_path = cc.out, *rejects = cc.rejects;
	long long max_rejects = cc.max_rejects;
	int quiet = cc.quiet;
	copts.max_field = cc.max_field;
	int nop = argc - c.optind;
	cli_refuse_tty_stdin(&tool, nop);

	struct reject_log rl;
	reject_init(&rl, rejects, max_rejects);
	struct evin *in =
	    evin_open(argv + c.optind, (size_t)nop, &copts, quiet);
	struct io_out *out = io_out_open(out_path);
	struct csvout w;
	uint64_t rows = 0;
	int status = ERR_OK;

	csvout_init(&w, out, ',');
	if (in->ncols) {
		for (size_t i = 0; i < in->ncols; i++)
			csvout_str(&w, in->col[i]);
		csvout_end(&w);
	}
	enum csvin_status st;
	while ((st = evin_next(in)) != CSVIN_EOF) {
		if (st == CSVIN_ROW) {
			csvout_row(
			    &w, (char *const *)in->f, in->len, in->ncols);
			io_progress(++rows, evin_bytes(in));
			continue;
		}
		if (st == CSVIN_FAIL) {
			err_data(in->file, 0, "%s", in->reason);
			status = ERR_DATA;
			continue;
		}
		size_t rawlen;
		const char *raw = evin_raw(in, &rawlen);
		reject_add(&rl, in->file, in->line, in->reason, raw, rawlen);
	}
	io_progress_end();
	if (status != ERR_OK)
		io_out_abort(out);
	else
		io_out_close(out);
	if (!quiet) {
		struct buf b = { 0 };
		buf_printf(&b, "%llu rows written, %llu rejected",
		    (unsigned long long)rows, (unsigned long long)rl.count);
		if (rl.count) {
			buf_adds(&b, " (");
			reject_describe(&rl, &b);
			buf_adds(&b, ")");
		}
		fprintf(stderr, "%s: %s\n", err_prog(), buf_str(&b));
		buf_free(&b);
	}
	reject_close(&rl);
	evin_close(in);
	cli_done(&c);
	return status;
}
