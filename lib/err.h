/*
 * err: diagnostics and allocation that never returns NULL.
 *
 * Every message goes to stderr in one of the fixed shapes of jt(7):
 *   prog: message                 (err_die, err_error)
 *   prog: warning: message        (err_warn)
 *   prog: file:line: message      (err_data)
 * err_die and err_usage run the cleanup hooks (temporary output files)
 * before exiting, so no half-written file survives a fatal error.
 */
#ifndef JT_ERR_H
#define JT_ERR_H

#include <stddef.h>

/* Exit statuses shared by every tool (jt(7)). */
enum { ERR_OK = 0, ERR_DATA = 1, ERR_USAGE = 2 };

/* Sets the program name used as message prefix; borrowed, must outlive us. */
void err_set_prog(const char *prog);
/* The program name set by err_set_prog ("jt" before that). */
const char *err_prog(void);

/* Prints "prog: message" and exits with status 1 after cleanup hooks. */
void err_die(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));
/* Prints "prog: message" and returns; the caller decides the status. */
void err_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "prog: warning: message". */
void err_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "prog: file:line: message" (line 0 prints "prog: file: message"). */
void err_data(const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Prints "prog: message", then "Try 'prog --help' for more information."
 * and exits with status 2 after cleanup hooks.
 */
void err_usage(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/*
 * Registers fn(arg) to run when the program dies (err_die, err_usage,
 * SIGINT/SIGTERM/SIGHUP) and at err_run_cleanups().  Hooks run once, last
 * registered first.  Used to remove temporary files.  Returns a handle for
 * err_cleanup_cancel.
 */
int err_cleanup_push(void (*fn)(void *), void *arg);
/* Forgets hook h (its work was done or is no longer needed). */
void err_cleanup_cancel(int h);
/* Runs every pending hook now. */
void err_run_cleanups(void);
/*
 * Installs handlers for SIGINT, SIGTERM and SIGHUP that run the cleanup
 * hooks and re-raise the signal, and resets SIGPIPE to its default action so
 * a closed stdout ends the program quietly (status 141 in the shell).
 */
void err_install_signals(void);

/* Allocation: each dies with "prog: out of memory" instead of returning NULL.
 */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray: p resized to n * size bytes, dying on overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/*
 * Asks for transparent huge pages on the big array p[0..n) (a hint, for
 * hash tables in the hundreds of megabytes whose random accesses would
 * otherwise miss the TLB; nothing happens below 4 MB or where the system
 * says no).
 */
void mem_hugepages(void *p, size_t n);
char *xstrndup(const char *s, size_t n);

#endif
