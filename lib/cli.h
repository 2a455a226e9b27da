/*
 * cli: one option table drives getopt_long, --help and --version.
 *
 * A tool describes itself with a struct cli_tool: name, one-line summary,
 * the SYNOPSIS line of its man page and a table of options ending with a
 * zeroed entry.  cli_next() returns each option's key (its short letter, or
 * a value >= 256 for long-only options) with its argument, and handles
 * -h/--help and --version itself.  Unknown options and missing arguments are
 * usage errors (status 2).
 */
#ifndef JT_CLI_H
#define JT_CLI_H

#include <stdint.h>

enum cli_arg { CLI_NOARG = 0, CLI_ARG = 1 };

struct cli_opt {
	const char *name; /* long name without "--" */
	int key;          /* short letter, or >= 256 for long-only */
	enum cli_arg arg;
	const char *argname; /* e.g. "FILE"; NULL when arg is CLI_NOARG */
	const char *help;    /* one line for --help */
};

struct cli_tool {
	const char *name;     /* "jt-ingest" */
	const char *summary;  /* one line, shown by --help and jt --help */
	const char *synopsis; /* usage line(s), without the program name */
	const struct cli_opt *opts;
};

/*
 * Keys of the options every data tool shares; a tool lists the ones it takes
 * in its table with these keys and the CLI_COMMON_* initialisers.
 */
enum {
	CLI_KEY_OUT = 'o',
	CLI_KEY_QUIET = 'q',
	CLI_KEY_REJECTS = 200,
	CLI_KEY_MAX_REJECTS,
	CLI_KEY_MAX_FIELD,
	CLI_KEY_TOOL_BASE = 256 /* first key free for a tool's own options */
};
#define CLI_COMMON_OUT                                                         \
	{                                                                      \
		"out", 'o', CLI_ARG, "FILE",                                   \
		    "write to FILE atomically (temporary file, then rename)"   \
	}
#define CLI_COMMON_QUIET                                                       \
	{                                                                      \
		"quiet", 'q', CLI_NOARG, NULL, "no summary on stderr"          \
	}
#define CLI_COMMON_REJECTS                                                     \
	{                                                                      \
		"rejects", CLI_KEY_REJECTS, CLI_ARG, "FILE",                   \
		    "write rejected rows to FILE as file,line,reason,raw"      \
	}
#define CLI_COMMON_MAX_REJECTS                                                 \
	{                                                                      \
		"max-rejects", CLI_KEY_MAX_REJECTS, CLI_ARG, "N",              \
		    "fail once more than N rows are rejected (default 1000, "  \
		    "-1: no limit)"                                            \
	}
#define CLI_COMMON_MAX_FIELD                                                   \
	{                                                                      \
		"max-field", CLI_KEY_MAX_FIELD, CLI_ARG, "SIZE",               \
		    "reject fields longer than SIZE bytes (default 1M)"        \
	}

/* The values of the common options, with their defaults. */
struct cli_common {
	const char *out;       /* -o FILE, or NULL for stdout */
	int quiet;             /* -q */
	const char *rejects;   /* --rejects FILE, or NULL */
	long long max_rejects; /* --max-rejects, default 1000, -1 no limit */
	size_t max_field;      /* --max-field, 0 = the reader's default */
};

/* Sets the defaults. */
void cli_common_init(struct cli_common *cc);
/*
 * Takes option key with argument arg if it is a common option: returns 1
 * (and dies with a usage error on a bad value), else 0.
 */
int cli_common_opt(struct cli_common *cc, int key, const char *arg);

struct cli {
	const struct cli_tool *tool;
	int argc;
	char **argv;
	const char *arg; /* argument of the option just returned */
	int optind;      /* after cli_next returns -1: first operand */
	void *priv;      /* getopt_long tables, owned */
};

/*
 * Starts parsing argv for tool; sets the err module's program name.
 * Also installs the signal handlers of err_install_signals().
 */
void cli_init(
    struct cli *c, const struct cli_tool *tool, int argc, char **argv);
/* Returns the next option's key with c->arg set, or -1 at the operands. */
int cli_next(struct cli *c);
/* Releases the tables. */
void cli_done(struct cli *c);
/* Prints --help text for tool to stdout. */
void cli_help(const struct cli_tool *tool);
/*
 * When there are no operands and stdin is a terminal, prints the short usage
 * to stderr and exits 2 (a tool waiting on a terminal looks hung).
 */
void cli_refuse_tty_stdin(const struct cli_tool *tool, int noperands);

/*
 * Parses a size with optional K, M, G suffix (powers of 1024, optional 'B').
 * Dies with a usage error naming opt on bad input.
 */
uint64_t cli_size(const char *opt, const char *s);
/* Parses a decimal integer in [min, max]; usage error otherwise. */
long long cli_int(const char *opt, const char *s, long long min, long long max);

#endif
