/*
 * spool: a scratch stream of bytes written once, then read back once.
 *
 * What fits in the memory budget stays in memory; past it everything goes
 * to a temporary file in the chosen folder, optionally compressed with
 * zlib's fastest level.  The file is unlinked as soon as it is created, so
 * it disappears on every exit path, a crash or SIGKILL included.
 */
#ifndef JT_SPOOL_H
#define JT_SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct spool;

/*
 * tmpdir NULL means $TMPDIR or /tmp; memory is the budget in bytes before
 * spilling to the file; compress: 1 gzip level 1 on the file, 2 level 1
 * with Huffman coding only (zlib's fastest, for bytes already compact).
 */
struct spool *spool_open(const char *tmpdir, size_t memory, int compress);
/* Appends n bytes; dies on a write error, naming the folder. */
void spool_write(struct spool *s, const void *p, size_t n);
/* Ends writing; reading starts at the first byte. */
void spool_rewind(struct spool *s);
/*
 * Reads exactly n bytes into p: returns 1, or 0 at the end (no byte
 * left); dies on a short or corrupt read.
 */
int spool_read(struct spool *s, void *p, size_t n);
/* Bytes written, and whether they went to a file. */
uint64_t spool_size(const struct spool *s);
int spool_on_disk(const struct spool *s);
void spool_close(struct spool *s);

#endif
