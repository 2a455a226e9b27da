/*
 * io: reading inputs and writing outputs the way every tool must.
 *
 * Input: a file name or "-" (stdin), gzip detected by its magic bytes and
 * inflated with zlib in-process; a truncated or corrupt gzip stream is an
 * error, never a short read.  Reads are buffered by the caller.
 *
 * Output: stdout, or with -o FILE a temporary file in FILE's folder
 * renamed onto FILE only when io_out_close succeeds, removed otherwise (also
 * when the program dies or is killed by SIGINT/SIGTERM/SIGHUP).  Writes are
 * buffered; a write error dies with "prog: FILE: reason".  With SIGPIPE at
 * its default action (err_install_signals) a closed pipe ends the program
 * quietly.
 */
#ifndef JT_IO_H
#define JT_IO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct io_in;

/*
 * Opens path ("-" or NULL = stdin).  Returns NULL and sets errno on failure.
 * The name used in messages is "<stdin>" for stdin, else path (copied).
 */
struct io_in *io_open(const char *path);
/*
 * Reads up to n bytes into p.  Returns the count (0 at end of input) or -1
 * on error with a static reason in *why ("truncated gzip input", strerror).
 */
long io_read(struct io_in *in, void *p, size_t n, const char **why);
/* The name for messages ("<stdin>" or the path). */
const char *io_name(const struct io_in *in);
/* Nonzero when the input is gzip-compressed. */
int io_is_gzip(const struct io_in *in);
/*
 * The descriptor of a named regular file read uncompressed, whose byte k
 * is byte k of what io_read returns (for a caller that reads a part of it
 * again with pread); -1 for stdin, a pipe or device, or gzip input.  Owned
 * by the input: valid until io_close.
 */
int io_plain_fd(const struct io_in *in);
/* Compressed bytes consumed so far (file bytes, for progress and rates). */
uint64_t io_raw_bytes(const struct io_in *in);
void io_close(struct io_in *in);

/* The fields are private to io.c; they are here for the inline io_putc. */
struct io_out {
	int fd;
	char *path; /* target, NULL for stdout */
	char *tmp;  /* temporary file next to the target */
	int hook;
	void *gz; /* z_stream when gzip-compressing, else NULL */
	char *buf;
	size_t len;
	size_t cap;
	uint64_t written; /* bytes written to fd */
	uint64_t synced;  /* of them, sent to the disk ahead of the fsync */
};

/*
 * Opens the output: path NULL or "-" is stdout; a path naming a device or
 * FIFO is written in place; otherwise a temporary file next to path,
 * renamed onto it by io_out_close.  Dies on error.
 */
struct io_out *io_out_open(const char *path);
/*
 * Compresses everything written from now on with gzip at level (1 fast -
 * 9 small); call before the first write.  The stream carries no file
 * name or time, so the same data gives the same bytes.
 */
void io_out_gzip(struct io_out *o, int level);
/* The slow path of io_write: flushes, or writes large blocks directly. */
void io_write_slow(struct io_out *o, const void *p, size_t n);
/* Buffered write; dies on error. */
static inline void
io_write(struct io_out *o, const void *p, size_t n)
{
	if (o->len + n <= o->cap) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		return;
	}
	io_write_slow(o, p, n);
}
/* Writes out the buffer (the slow path of io_putc). */
void io_flush(struct io_out *o);
static inline void
io_putc(struct io_out *o, char c)
{
	if (o->len == o->cap)
		io_flush(o);
	o->buf[o->len++] = c;
}
void io_puts(struct io_out *o, const char *s);
/* Flushes, checks, closes; for a file, renames the temporary onto it. */
void io_out_close(struct io_out *o);
/*
 * Abandons the output: for a file the temporary is removed and the target
 * left untouched; stdout is flushed as far as possible.
 */
void io_out_abort(struct io_out *o);

/*
 * Progress on stderr, only when stderr is a terminal: io_progress(rows,
 * bytes) may be called per row; it prints at most about once a second a
 * line "prog: N rows, N MB" overwritten in place.  io_progress_end clears it.
 */
void io_progress(uint64_t rows, uint64_t bytes);
void io_progress_end(void);

#endif
