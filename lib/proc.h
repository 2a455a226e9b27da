/*
 * proc: running another program as a filter, without a shell and without
 * temporary files.
 *
 * proc_filter feeds a buffer to a program's standard input and collects
 * its standard output and standard error in memory, all three at once
 * (poll), so neither side can block the other whatever the sizes.  While
 * it runs SIGPIPE is ignored, so a program that exits before reading all
 * its input does not kill the caller.  Nothing here exits or prints.
 */
#ifndef JT_PROC_H
#define JT_PROC_H

#include <stddef.h>

struct buf;

/*
 * The path of an executable named name in the folders of $PATH (an empty
 * entry is the current folder), or NULL.  The caller frees the result.
 */
char *proc_find(const char *name);

/*
 * Runs path with argv (argv[0] the program's name, NULL-terminated), its
 * standard input the n bytes at in, its standard output appended to out
 * and its standard error to err (both NUL-terminated, even when empty).
 * Returns 0 with *status set as by waitpid, or -1 when the program could
 * not be started or waited for, with a static reason in *why ("fork:
 * ...").  A program that cannot be executed exits with status 127.
 */
int proc_filter(const char *path, char *const argv[], const void *in, size_t n,
    struct buf *out, struct buf *err, int *status, const char **why);

#endif
