/*
 * io: inputs (plain or gzip, files or stdin) and atomic, checked outputs.
 *
 * Gzip is detected by its two magic bytes, read ahead into the input's own
 * buffer so detection works on pipes too.  Inflation is done with zlib's
 * inflate() in-process (measured as fast as an external zcat on two cores)
 * and accepts concatenated members, as gzip(1) does.  An input that ends
 * inside a member is an error ("truncated gzip input"), never a short read.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sync_file_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"
#include "io.h"

#define IN_BUF (256 * 1024)
#define OUT_BUF (256 * 1024)
/* A temporary output is sent to the disk every WRITEBACK bytes. */
#define WRITEBACK (32u << 20)

struct io_in {
	int fd;
	char *name;
	int gz;
	int regular;      /* a named regular file (io_plain_fd) */
	int eof;          /* the raw input has ended */
	int zdone;        /* gzip: last member complete, no more input */
	const char *zerr; /* gzip error met after some output: next read */
	uint64_t raw_bytes;
	unsigned char *raw; /* raw (compressed) bytes read ahead */
	size_t raw_pos, raw_len;
	z_stream z;
};

static long
raw_fill(struct io_in *in, const char **why)
{
	ssize_t n;

	if (in->raw_pos > 0 && in->raw_pos < in->raw_len)
		memmove(
		    in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
	in->raw_len -= in->raw_pos;
	in->raw_pos = 0;
	do
		n = read(in->fd, in->raw + in->raw_len, IN_BUF - in->raw_len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (n == 0)
		in->eof = 1;
	in->raw_len += (size_t)n;
	in->raw_bytes += (uint64_t)n;
	return n;
}

struct io_in *
io_open(const char *path)
{
	int fd, regular = 0;
	const char *why = NULL;

	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		path = "<stdin>";
	} else {
		do
			fd = open(path, O_RDONLY);
		while (fd < 0 && errno == EINTR);
		if (fd < 0)
			return NULL;
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			errno = EISDIR;
			return NULL;
		}
		regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	}
	struct io_in *in = xcalloc(1, sizeof *in);
	in->fd = fd;
	in->regular = regular;
	in->name = xstrdup(path);
	in->raw = xmalloc(IN_BUF);
	/* Read ahead until two bytes or EOF, to look for the gzip magic. */
	while (in->raw_len < 2 && !in->eof)
		if (raw_fill(in, &why) < 0) {
			int e = errno;
			io_close(in);
			errno = e;
			return NULL;
		}
	if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gz = 1;
		/* 15 + 16: gzip wrapper only, maximum window. */
		if (inflateInit2(&in->z, 15 + 16) != Z_OK)
			err_die("%s: cannot start zlib", in->name);
	}
	return in;
}

static long
read_plain(struct io_in *in, void *p, size_t n, const char **why)
{
	if (in->raw_pos < in->raw_len) {
		size_t k = in->raw_len - in->raw_pos;
		if (k > n)
			k = n;
		memcpy(p, in->raw + in->raw_pos, k);
		in->raw_pos += k;
		return (long)k;
	}
	if (in->eof)
		return 0;
	ssize_t r;
	do
		r = read(in->fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (r == 0)
		in->eof = 1;
	in->raw_bytes += (uint64_t)r;
	return (long)r;
}

/*
 * An error after some bytes were inflated in this call: those bytes are
 * returned now and the error on the next call, so nothing is lost.
 */
static long
gz_fail(struct io_in *in, void *p, const char *err, const char **why)
{
	long got = (long)((unsigned char *)in->z.next_out - (unsigned char *)p);
	if (got > 0) {
		in->zerr = err;
		return got;
	}
	*why = err;
	return -1;
}

static long
read_gz(struct io_in *in, void *p, size_t n, const char **why)
{
	if (in->zerr) {
		*why = in->zerr;
		return -1;
	}
	if (in->zdone)
		return 0;
	in->z.next_out = p;
	in->z.avail_out = n > (1u << 30) ? (1u << 30) : (unsigned)n;
	while (in->z.avail_out > 0) {
		if (in->raw_pos == in->raw_len && !in->eof)
			if (raw_fill(in, why) < 0)
				return -1;
		if (in->raw_pos == in->raw_len && in->eof)
			return gz_fail(in, p, "truncated gzip input", why);
		in->z.next_in = in->raw + in->raw_pos;
		in->z.avail_in = (unsigned)(in->raw_len - in->raw_pos);
		int rc = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->z.avail_in;
		if (rc == Z_STREAM_END) {
			/* Another member may follow (cat a.gz b.gz). */
			if (in->raw_pos == in->raw_len && !in->eof)
				if (raw_fill(in, why) < 0)
					return -1;
			if (in->raw_pos == in->raw_len) {
				in->zdone = 1;
				break;
			}
			if (in->raw[in->raw_pos] != 0x1f)
				return gz_fail(in, p,
				    "trailing garbage after gzip data", why);
			inflateReset(&in->z);
			if ((size_t)(in->z.next_out - (unsigned char *)p) > 0)
				break;
			continue;
		}
		if (rc == Z_BUF_ERROR && in->z.avail_in == 0)
			continue; /* needs more input */
		if (rc != Z_OK)
			return gz_fail(in, p, "corrupt gzip input", why);
	}
	return (long)((unsigned char *)in->z.next_out - (unsigned char *)p);
}

long
io_read(struct io_in *in, void *p, size_t n, const char **why)
{
	if (n == 0)
		return 0;
	return in->gz ? read_gz(in, p, n, why) : read_plain(in, p, n, why);
}

const char *
io_name(const struct io_in *in)
{
	return in->name;
}

int
io_is_gzip(const struct io_in *in)
{
	return in->gz;
}

int
io_plain_fd(const struct io_in *in)
{
	return in->regular && !in->gz ? in->fd : -1;
}

uint64_t
io_raw_bytes(const struct io_in *in)
{
	return in->raw_bytes;
}

void
io_close(struct io_in *in)
{
	if (!in)
		return;
	if (in->gz)
		inflateEnd(&in->z);
	if (in->fd != STDIN_FILENO)
		close(in->fd);
	free(in->name);
	free(in->raw);
	free(in);
}

/* ---- output ---- */

static void
unlink_tmp(void *arg)
{
	unlink((const char *)arg);
}

struct io_out *
io_out_open(const char *path)
{
	struct io_out *o = xcalloc(1, sizeof *o);

	o->buf = xmalloc(OUT_BUF);
	o->cap = OUT_BUF;
	o->hook = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		return o;
	}
	o->path = xstrdup(path);
	/*
	 * A device or a FIFO (-o /dev/null, -o /dev/stdout, a named pipe) is
	 * written in place: renaming a temporary file onto it would replace
	 * the device with a plain file.
	 */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			err_die("%s: %s", path, strerror(EISDIR));
		o->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (o->fd < 0)
			err_die("%s: %s", path, strerror(errno));
		return o;
	}
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	size_t need = strlen(path) + 16;
	o->tmp = xmalloc(need);
	/* A hidden name in the same folder: rename(2) is then atomic. */
	snprintf(
	    o->tmp, need, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0)
		err_die("%s: %s", path, strerror(errno));
	o->hook = err_cleanup_push(unlink_tmp, o->tmp);
	/* mkstemp makes 0600; give the file the mode a plain open would. */
	mode_t um = umask(0);
	umask(um);
	fchmod(o->fd, 0666 & ~um);
	return o;
}

static const char *
out_name(const struct io_out *o)
{
	return o->path ? o->path : "<stdout>";
}

/*
 * Starts the disk writes of a temporary output's last WRITEBACK bytes
 * without waiting for them: the fsync before the rename then finds little
 * left to write, where it would otherwise write the whole file at the end
 * (a second per gigabyte measured, all of it on the critical path).
 */
static void
writeback(struct io_out *o)
{
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
	if (o->tmp == NULL || o->written - o->synced < WRITEBACK)
		return;
	/* an error here is the fsync's to report */
	(void)sync_file_range(o->fd, (off_t)o->synced,
	    (off_t)(o->written - o->synced), SYNC_FILE_RANGE_WRITE);
	o->synced = o->written;
#else
	(void)o;
#endif
}

static void
write_all(struct io_out *o, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* SIGPIPE was blocked or ignored: end as if
				 * not. */
				err_run_cleanups();
				signal(SIGPIPE, SIG_DFL);
				raise(SIGPIPE);
			}
			err_die("%s: %s", out_name(o), strerror(errno));
		}
		p += w;
		n -= (size_t)w;
		o->written += (uint64_t)w;
	}
	writeback(o);
}

void
io_out_gzip(struct io_out *o, int level)
{
	z_stream *z = xcalloc(1, sizeof *z);
	/* 15 + 16: a gzip wrapper with a zero time and no name */
	if (deflateInit2(
		z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		err_die("%s: cannot start zlib", out_name(o));
	o->gz = z;
}

/* Compresses n bytes of p (flush: Z_NO_FLUSH or Z_FINISH) and writes. */
static void
deflate_out(struct io_out *o, const char *p, size_t n, int flush)
{
	z_stream *z = o->gz;
	char chunk[65536];
	z->next_in = (Bytef *)(uintptr_t)p;
	z->avail_in = (uInt)n;
	int rc;
	do {
		z->next_out = (Bytef *)chunk;
		z->avail_out = sizeof chunk;
		rc = deflate(z, flush);
		if (rc == Z_STREAM_ERROR)
			err_die("%s: zlib error", out_name(o));
		write_all(o, chunk, sizeof chunk - z->avail_out);
	} while (
	    z->avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

static void
out_bytes(struct io_out *o, const char *p, size_t n)
{
	if (o->gz)
		deflate_out(o, p, n, Z_NO_FLUSH);
	else
		write_all(o, p, n);
}

void
io_flush(struct io_out *o)
{
	out_bytes(o, o->buf, o->len);
	o->len = 0;
}

void
io_write_slow(struct io_out *o, const void *p, size_t n)
{
	io_flush(o);
	if (n >= OUT_BUF / 2)
		out_bytes(o, p, n);
	else {
		memcpy(o->buf, p, n);
		o->len = n;
	}
}

void
io_puts(struct io_out *o, const char *s)
{
	io_write(o, s, strlen(s));
}

static void
out_free(struct io_out *o)
{
	if (o->gz) {
		deflateEnd(o->gz);
		free(o->gz);
	}
	free(o->buf);
	free(o->path);
	free(o->tmp);
	free(o);
}

void
io_out_close(struct io_out *o)
{
	io_flush(o);
	if (o->gz)
		deflate_out(o, "", 0, Z_FINISH);
	if (o->path == NULL) {
		out_free(o);
		return;
	}
	if (o->tmp == NULL) { /* a device or FIFO, written in place */
		if (close(o->fd) < 0)
			err_die("%s: %s", o->path, strerror(errno));
		out_free(o);
		return;
	}
	if (fsync(o->fd) < 0 && errno != EINVAL)
		err_die("%s: %s", o->path, strerror(errno));
	if (close(o->fd) < 0)
		err_die("%s: %s", o->path, strerror(errno));
	if (rename(o->tmp, o->path) < 0)
		err_die("%s: %s", o->path, strerror(errno));
	err_cleanup_cancel(o->hook);
	out_free(o);
}

void
io_out_abort(struct io_out *o)
{
	if (o->path == NULL) {
		/* Whatever was produced is still worth having on stdout. */
		io_flush(o);
		out_free(o);
		return;
	}
	close(o->fd);
	if (o->tmp) {
		unlink(o->tmp);
		err_cleanup_cancel(o->hook);
	}
	out_free(o);
}

/* ---- progress ---- */

static int progress_tty = -1;
static int progress_shown;
static time_t progress_last;

void
io_progress(uint64_t rows, uint64_t bytes)
{
	if ((rows & 0xffff) != 0)
		return;
	if (progress_tty < 0) {
		progress_tty = isatty(STDERR_FILENO);
		progress_last = time(NULL);
	}
	if (!progress_tty)
		return;
	time_t now = time(NULL);
	if (now == progress_last)
		return;
	progress_last = now;
	progress_shown = 1;
	fprintf(stderr, "\r%s: %llu rows, %.1f MB\033[K", err_prog(),
	    (unsigned long long)rows, (double)bytes / 1e6);
}

void
io_progress_end(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = 0;
}
