/*
 * spool: scratch bytes in memory or in an unlinked temporary file
 * (spool.h).
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "err.h"
#include "spool.h"

struct spool {
	struct buf mem; /* the bytes, while they fit */
	size_t memory;
	int compress;
	char *dir;
	int fd;    /* -1 while in memory */
	gzFile gz; /* writing, then reading, the file */
	uint64_t size;
	size_t pos; /* reading from memory */
	int reading;
};

struct spool *
spool_open(const char *tmpdir, size_t memory, int compress)
{
	struct spool *s = xcalloc(1, sizeof *s);
	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	s->dir = xstrdup(tmpdir);
	s->memory = memory;
	s->compress = compress;
	s->fd = -1;
	return s;
}

static void
spill(struct spool *s)
{
	/*
	 * A file without a name where the system can (O_TMPFILE): a signal
	 * between making a named file and unlinking it would leave it
	 * behind, and the signal may reach another thread than this one.
	 */
	s->fd = -1;
#ifdef O_TMPFILE
	s->fd = open(s->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (s->fd < 0) {
		struct buf path = { 0 };
		buf_printf(&path, "%s/jt-spool.XXXXXX", s->dir);
		s->fd = mkstemp(path.data);
		if (s->fd < 0)
			err_die("%s: cannot make a temporary file: %s", s->dir,
			    strerror(errno));
		unlink(path.data); /* gone on every exit path */
		buf_free(&path);
	}
	int fd = dup(s->fd);
	const char *mode = s->compress == 2 ? "wb1h"
	    : s->compress                   ? "wb1"
					    : "wT";
	s->gz = fd < 0 ? NULL : gzdopen(fd, mode);
	if (!s->gz)
		err_die("%s: cannot write a temporary file", s->dir);
	gzbuffer(s->gz, 1 << 18);
	if (s->mem.len &&
	    gzwrite(s->gz, s->mem.data, (unsigned)s->mem.len) !=
		(int)s->mem.len)
		err_die(
		    "%s: cannot write a temporary file (disk full?)", s->dir);
	buf_free(&s->mem);
}

void
spool_write(struct spool *s, const void *p, size_t n)
{
	s->size += n;
	if (s->fd < 0) {
		if (s->mem.len + n <= s->memory) {
			buf_add(&s->mem, p, n);
			return;
		}
		spill(s);
	}
	const char *c = p;
	while (n > 0) {
		unsigned k = n > (1u << 30) ? 1u << 30 : (unsigned)n;
		if (gzwrite(s->gz, c, k) != (int)k)
			err_die(
			    "%s: cannot write a temporary file (disk full?)",
			    s->dir);
		c += k;
		n -= k;
	}
}

void
spool_rewind(struct spool *s)
{
	s->reading = 1;
	s->pos = 0;
	if (s->fd < 0)
		return;
	if (gzclose(s->gz) != Z_OK)
		err_die(
		    "%s: cannot write a temporary file (disk full?)", s->dir);
	if (lseek(s->fd, 0, SEEK_SET) != 0)
		err_die("%s: %s", s->dir, strerror(errno));
	int fd = dup(s->fd);
	s->gz = fd < 0 ? NULL : gzdopen(fd, "rb");
	if (!s->gz)
		err_die("%s: cannot read a temporary file", s->dir);
	gzbuffer(s->gz, 1 << 18);
}

int
spool_read(struct spool *s, void *p, size_t n)
{
	if (s->fd < 0) {
		if (s->pos == s->mem.len)
			return 0;
		if (s->mem.len - s->pos < n)
			err_die("internal error: short spool record");
		memcpy(p, s->mem.data + s->pos, n);
		s->pos += n;
		return 1;
	}
	int got = gzread(s->gz, p, (unsigned)n);
	if (got == 0 && n > 0)
		return 0;
	if (got != (int)n)
		err_die(
		    "%s: a temporary file came back short or corrupt", s->dir);
	return 1;
}

uint64_t
spool_size(const struct spool *s)
{
	return s->size;
}

int
spool_on_disk(const struct spool *s)
{
	return s->fd >= 0;
}

void
spool_close(struct spool *s)
{
	if (!s)
		return;
	if (s->gz)
		gzclose(s->gz);
	if (s->fd >= 0)
		close(s->fd);
	buf_free(&s->mem);
	free(s->dir);
	free(s);
}
