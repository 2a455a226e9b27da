/*
 * cli: getopt_long driven by the tool's option table, plus --help and
 * --version which every tool answers the same way.
 *
 * Invariant: the table is the only description of the options, so --help,
 * parsing and the man-page check (tests/common.bats) cannot drift apart.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "err.h"
#include "reject.h"

#ifndef JT_VERSION
#define JT_VERSION "0"
#endif

enum { KEY_HELP = 'h', KEY_VERSION = 1000 };

struct tables {
	struct option *lopts;
	char *shorts;
};

static size_t
count_opts(const struct cli_opt *o)
{
	size_t n = 0;
	while (o[n].name)
		n++;
	return n;
}

void
cli_init(struct cli *c, const struct cli_tool *tool, int argc, char **argv)
{
	size_t n = count_opts(tool->opts);
	struct tables *t = xmalloc(sizeof *t);
	struct buf sh = { 0 };

	err_set_prog(tool->name);
	err_install_signals();
	t->lopts = xcalloc(n + 3, sizeof *t->lopts);
	/* ':' first: missing arguments come back as ':' for our message. */
	buf_adds(&sh, ":h");
	for (size_t i = 0; i < n; i++) {
		const struct cli_opt *o = &tool->opts[i];
		t->lopts[i].name = o->name;
		t->lopts[i].has_arg =
		    o->arg == CLI_ARG ? required_argument : no_argument;
		t->lopts[i].val = o->key;
		if (o->key > 0 && o->key < 128) {
			buf_addc(&sh, (char)o->key);
			if (o->arg == CLI_ARG)
				buf_addc(&sh, ':');
		}
	}
	t->lopts[n].name = "help";
	t->lopts[n].val = KEY_HELP;
	t->lopts[n + 1].name = "version";
	t->lopts[n + 1].val = KEY_VERSION;
	t->shorts = xstrdup(buf_str(&sh));
	buf_free(&sh);

	c->tool = tool;
	c->argc = argc;
	c->argv = argv;
	c->arg = NULL;
	c->optind = 1;
	c->priv = t;
	optind = 1;
	opterr = 0;
}

static const char *
opt_text(const struct cli *c, int key)
{
	static char text[64];
	const struct cli_opt *o = c->tool->opts;

	for (; o->name; o++)
		if (o->key == key) {
			snprintf(text, sizeof text, "--%s", o->name);
			return text;
		}
	snprintf(text, sizeof text, "-%c", key);
	return text;
}

int
cli_next(struct cli *c)
{
	struct tables *t = c->priv;
	int k = getopt_long(c->argc, c->argv, t->shorts, t->lopts, NULL);

	c->arg = optarg;
	switch (k) {
	case -1: c->optind = optind; return -1;
	case KEY_HELP: cli_help(c->tool); exit(ERR_OK);
	case KEY_VERSION:
		printf("%s (jt) %s\n", c->tool->name, JT_VERSION);
		exit(ERR_OK);
	case '?':
		if (optopt)
			err_usage("unknown option '-%c'", optopt);
		/* getopt has stepped past it: it is the last element read */
		err_usage("unknown option '%s'", c->argv[optind - 1]);
	case ':':
		err_usage("option '%s' needs an argument",
		    optopt ? opt_text(c, optopt) : c->argv[optind - 1]);
	default: return k;
	}
}

void
cli_done(struct cli *c)
{
	struct tables *t = c->priv;

	if (t) {
		free(t->lopts);
		free(t->shorts);
		free(t);
	}
	c->priv = NULL;
}

void
cli_help(const struct cli_tool *tool)
{
	const struct cli_opt *o;

	printf("Usage: %s %s\n%s\n\nOptions:\n", tool->name, tool->synopsis,
	    tool->summary);
	for (o = tool->opts; o->name; o++) {
		char left[64];
		int shortopt = o->key > 0 && o->key < 128;
		snprintf(left, sizeof left, "%c%c%c --%s%s%s",
		    shortopt ? '-' : ' ', shortopt ? o->key : ' ',
		    shortopt ? ',' : ' ', o->name, o->argname ? " " : "",
		    o->argname ? o->argname : "");
		if (strlen(left) > 26)
			printf("  %s\n  %-26s  %s\n", left, "", o->help);
		else
			printf("  %-26s  %s\n", left, o->help);
	}
	printf("  %-26s  %s\n", "-h, --help", "show this help and exit");
	printf("  %-26s  %s\n", "    --version", "show the version and exit");
	printf("\nSee %s(1) for details.\n", tool->name);
}

void
cli_refuse_tty_stdin(const struct cli_tool *tool, int noperands)
{
	if (noperands == 0 && isatty(STDIN_FILENO)) {
		fprintf(stderr, "Usage: %s %s\n", tool->name, tool->synopsis);
		fprintf(stderr, "Try '%s --help' for more information.\n",
		    tool->name);
		exit(ERR_USAGE);
	}
}

uint64_t
cli_size(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		err_usage("option '%s': invalid size '%s'", opt, s);
	unsigned long long v = strtoull(s, &end, 10);
	uint64_t mult = 1;
	switch (*end) {
	case 'k':
	case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	case 't':
	case 'T':
		mult = 1ULL << 40;
		end++;
		break;
	}
	if (mult > 1 && (*end == 'b' || *end == 'B'))
		end++;
	else if (mult == 1 && (*end == 'b' || *end == 'B'))
		end++;
	if (errno || end == s || *end || (v && mult > UINT64_MAX / v))
		err_usage("option '%s': invalid size '%s'", opt, s);
	return v * mult;
}

long long
cli_int(const char *opt, const char *s, long long min, long long max)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		err_usage("option '%s': invalid number '%s'", opt, s);
	if (v < min || v > max)
		err_usage("option '%s': '%s' is out of range %lld..%lld", opt,
		    s, min, max);
	return v;
}

void
cli_common_init(struct cli_common *cc)
{
	cc->out = NULL;
	cc->quiet = 0;
	cc->rejects = NULL;
	cc->max_rejects = REJECT_MAX_DEFAULT;
	cc->max_field = 0;
}

int
cli_common_opt(struct cli_common *cc, int key, const char *arg)
{
	switch (key) {
	case CLI_KEY_OUT: cc->out = arg; return 1;
	case CLI_KEY_QUIET: cc->quiet = 1; return 1;
	case CLI_KEY_REJECTS: cc->rejects = arg; return 1;
	case CLI_KEY_MAX_REJECTS:
		cc->max_rejects =
		    cli_int("--max-rejects", arg, -1, (long long)1 << 62);
		return 1;
	case CLI_KEY_MAX_FIELD:
		cc->max_field = (size_t)cli_size("--max-field", arg);
		if (cc->max_field == 0)
			err_usage("option '--max-field' must be positive");
		return 1;
	}
	return 0;
}
