/* Shared includes and helpers of the cmocka unit tests. */
#ifndef JT_UNIT_H
#define JT_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Writes n bytes to a new temporary file; returns its path (static). */
static inline const char *
unit_file(const void *data, size_t n)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/jt-unit.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		abort();
	close(fd);
	return path;
}

#endif
