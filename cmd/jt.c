/*
 * jt: the front door.  "jt TOOL ARGS" runs jt-TOOL from the folder jt
 * itself lives in (so a build tree or an install prefix stays
 * self-contained), else from PATH; "jt --help" lists the tools found;
 * "jt help TOOL" opens the tool's man page.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"

#ifndef JT_VERSION
#define JT_VERSION "0"
#endif

static const char usage[] = "Usage: jt TOOL [ARG]...\n"
			    "       jt help [TOOL]\n"
			    "       jt --help | --version\n";

/* The folder holding this executable, or NULL when it cannot be told. */
static char *
self_dir(const char *argv0)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);

	if (n > 0)
		path[n] = '\0';
	else if (strchr(argv0, '/') && strlen(argv0) < sizeof path)
		strcpy(path, argv0);
	else
		return NULL;
	char *slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(path[0] ? path : "/");
}

static int
is_exec(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* Tool names (without "jt-") found in dir, appended to names. */
static void
scan_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		if (strncmp(name, "jt-", 3) != 0 || name[3] == '\0' ||
		    strchr(name, '.'))
			continue;
		struct buf p = { 0 };
		buf_printf(&p, "%s/%s", dir, name);
		int ok = is_exec(buf_str(&p));
		buf_free(&p);
		if (!ok)
			continue;
		size_t i;
		for (i = 0; i < *n; i++)
			if (strcmp((*names)[i], name + 3) == 0)
				break;
		if (i < *n)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup(name + 3);
	}
	closedir(d);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every tool found next to jt and on PATH, sorted. */
static char **
find_tools(const char *dir, size_t *n)
{
	char **names = NULL;
	*n = 0;
	if (dir)
		scan_dir(dir, &names, n);
	const char *path = getenv("PATH");
	if (path) {
		char *copy = xstrdup(path), *save = NULL;
		for (char *p = strtok_r(copy, ":", &save); p;
		     p = strtok_r(NULL, ":", &save))
			scan_dir(p, &names, n);
		free(copy);
	}
	qsort(names, *n, sizeof *names, cmp_str);
	return names;
}

/* The path to run for tool: next to jt if there, else the bare name. */
static char *
tool_path(const char *dir, const char *tool)
{
	struct buf p = { 0 };
	if (dir) {
		buf_printf(&p, "%s/jt-%s", dir, tool);
		if (is_exec(buf_str(&p)))
			return p.data;
		buf_clear(&p);
	}
	buf_printf(&p, "jt-%s", tool);
	return p.data;
}

/*
 * The tool's one-line summary: the first line of "jt-TOOL --help" after
 * the usage (whose continuation lines start with blanks).
 */
static void
print_summary(const char *dir, const char *tool)
{
	char *path = tool_path(dir, tool);
	struct buf cmd = { 0 };
	char line[512] = "";

	buf_adds(&cmd, "'");
	for (const char *s = path; *s; s++)
		if (*s == '\'')
			buf_adds(&cmd, "'\\''");
		else
			buf_addc(&cmd, *s);
	buf_adds(&cmd, "' --help 2>/dev/null");
	FILE *f = popen(buf_str(&cmd), "r");
	if (f) {
		int found = 0;
		if (fgets(line, sizeof line, f))
			while (fgets(line, sizeof line, f))
				if (line[0] != ' ' && line[0] != '\t') {
					found = 1;
					break;
				}
		if (found)
			line[strcspn(line, "\n")] = '\0';
		else
			line[0] = '\0';
		pclose(f);
	}
	printf("  %-12s %s\n", tool, line);
	buf_free(&cmd);
	free(path);
}

static void
list_tools(FILE *to, const char *dir, int with_summary)
{
	size_t n;
	char **names = find_tools(dir, &n);

	if (n == 0)
		fprintf(to, "No jt tools found next to jt or on PATH.\n");
	for (size_t i = 0; i < n; i++) {
		if (with_summary)
			print_summary(dir, names[i]);
		else
			fprintf(to, "%s%s", i ? ", " : "Tools: ", names[i]);
		free(names[i]);
	}
	if (!with_summary && n)
		fputc('\n', to);
	free(names);
}

static int
valid_tool_name(const char *s)
{
	if (!*s || *s == '-')
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == '.')
			return 0;
	return 1;
}

/* Opens the man page: the source tree's copy when jt runs from build/bin. */
static int
help(const char *dir, const char *tool)
{
	const char *page = tool ? tool : "jt";
	char name[256];
	snprintf(name, sizeof name, "%s%s", tool ? "jt-" : "", page);
	if (tool && !valid_tool_name(tool))
		err_usage("unknown tool '%s'", tool);
	/* build/bin or build/san/bin of a source tree: its man/ folder */
	static const char *const ups[] = { "/../../man", "/../../../man" };
	static const char *const sects[] = { "1", "5", "7" };
	for (size_t u = 0; dir && u < 2; u++)
		for (size_t i = 0; i < 3; i++) {
			struct buf p = { 0 };
			buf_printf(
			    &p, "%s%s/%s.%s", dir, ups[u], name, sects[i]);
			if (access(buf_str(&p), R_OK) == 0) {
				execlp("man", "man", "-l", buf_str(&p),
				    (char *)NULL);
				err_die("man: %s", strerror(errno));
			}
			buf_free(&p);
		}
	execlp("man", "man", name, (char *)NULL);
	err_die("man: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	err_set_prog("jt");
	char *dir = self_dir(argv[0]);

	if (argc < 2) {
		fputs(usage, stderr);
		list_tools(stderr, dir, 0);
		free(dir);
		return ERR_USAGE;
	}
	const char *a = argv[1];
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		printf("%sRun a jt tool: 'jt ingest ...' runs jt-ingest.\n\n"
		       "Tools:\n",
		    usage);
		list_tools(stdout, dir, 1);
		printf("\nSee jt(1) and jt(7), or 'jt help TOOL'.\n");
		free(dir);
		return ERR_OK;
	}
	if (strcmp(a, "--version") == 0) {
		printf("jt %s\n", JT_VERSION);
		free(dir);
		return ERR_OK;
	}
	if (strcmp(a, "help") == 0)
		return help(dir, argc > 2 ? argv[2] : NULL);
	if (a[0] == '-')
		err_usage("unknown option '%s'", a);
	if (!valid_tool_name(a))
		err_usage("unknown tool '%s'", a);

	char *path = tool_path(dir, a);
	argv[1] = path;
	execvp(path, argv + 1);
	if (errno == ENOENT) {
		err_error("unknown tool '%s'", a);
		list_tools(stderr, dir, 0);
		fprintf(stderr, "Try 'jt --help' for more information.\n");
		free(path);
		free(dir);
		return ERR_USAGE;
	}
	err_die("%s: %s", path, strerror(errno));
}
