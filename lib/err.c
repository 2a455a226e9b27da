/*
 * err: diagnostics in the fixed shapes of jt(7), dying allocators, and the
 * cleanup hooks that remove temporary files on every exit path.
 *
 * Hooks live in a small fixed table so the signal handler can walk it
 * without allocating.  A hook runs at most once.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "err.h"

#define MAX_HOOKS 32

static const char *prog = "jt";

static struct hook {
	void (*fn)(void *);
	void *arg;
} hooks[MAX_HOOKS];
static volatile sig_atomic_t nhooks;

void
err_set_prog(const char *p)
{
	const char *slash = strrchr(p, '/');
	prog = slash ? slash + 1 : p;
}

const char *
err_prog(void)
{
	return prog;
}

static void
vmsg(const char *kind, const char *fmt, va_list ap)
{
	/* One fprintf per piece is fine: stderr is unbuffered but short. */
	fprintf(stderr, "%s: %s", prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
err_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	err_run_cleanups();
	exit(ERR_DATA);
}

void
err_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void
err_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void
err_data(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		fprintf(stderr, "%s: %s:%ld: ", prog, file, line);
	else
		fprintf(stderr, "%s: %s: ", prog, file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
err_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	err_run_cleanups();
	exit(ERR_USAGE);
}

int
err_cleanup_push(void (*fn)(void *), void *arg)
{
	for (int i = 0; i < MAX_HOOKS; i++) {
		if (hooks[i].fn == NULL) {
			hooks[i].arg = arg;
			hooks[i].fn = fn;
			if (i >= nhooks)
				nhooks = i + 1;
			return i;
		}
	}
	err_die("too many cleanup hooks");
}

void
err_cleanup_cancel(int h)
{
	if (h >= 0 && h < MAX_HOOKS)
		hooks[h].fn = NULL;
}

void
err_run_cleanups(void)
{
	for (int i = nhooks - 1; i >= 0; i--) {
		void (*fn)(void *) = hooks[i].fn;
		if (fn) {
			hooks[i].fn = NULL;
			fn(hooks[i].arg);
		}
	}
}

static void
on_signal(int sig)
{
	/* Hooks only unlink(2) files: async-signal-safe. */
	err_run_cleanups();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
err_install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	signal(SIGPIPE, SIG_DFL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		/* A job started with the signal ignored (nohup) keeps it so. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

static void
oom(void)
{
	err_die("out of memory");
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
mem_hugepages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = 2u << 20;
	if (!p || n < 4 * huge / 2)
		return;
	uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(huge - 1);
	if (e > a)
		madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}
