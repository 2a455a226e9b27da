/*
 * jt-stitch: who is who.  Gives every event the person its identifiers
 * belong to, without the over-merging of naive connected components.
 *
 * Two passes.  The first reads every row, interns its identifiers into
 * the identity graph (lib/stitch) and spools the row (its time, its
 * identifiers' node numbers and its text) to memory or an unlinked
 * temporary file.  The graph is resolved (guards, merges in time order,
 * keys).  The second pass reads the spool back and writes each row with
 * its person.  Memory holds identifiers and links, not events.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "csvin.h"
#include "csvout.h"
#include "err.h"
#include "events.h"
#include "evin.h"
#include "handoff.h"
#include "varint.h"
#include "ident.h"
#include "io.h"
#include "lines.h"
#include "re.h"
#include "reject.h"
#include "spec.h"
#include "spool.h"
#include "stitch.h"
#include "strtab.h"
#include "ts.h"

enum {
	KEY_IDS = CLI_KEY_TOOL_BASE,
	KEY_LINKS,
	KEY_LIMIT,
	KEY_MAX_DEGREE,
	KEY_MAX_PER_TYPE,
	KEY_SHARED,
	KEY_ANONYMOUS,
	KEY_BLOCK,
	KEY_BLOCK_FILE,
	KEY_MAP_IN,
	KEY_MAP_OUT,
	KEY_AUDIT,
	KEY_STATS,
	KEY_MEMORY,
	KEY_TMPDIR,
};

static const struct cli_opt opts[] = {
	{ "ids", KEY_IDS, CLI_ARG, "LIST",
	    "identifier columns in priority order (default: every id_*)" },
	{ "links", KEY_LINKS, CLI_ARG, "FILE",
	    "rows that only link identifiers (an account table), not output" },
	{ "limit", KEY_LIMIT, CLI_ARG, "TYPE=N,...",
	    "refuse merges giving a person more than N values of TYPE "
	    "(default id_user=1)" },
	{ "max-degree", KEY_MAX_DEGREE, CLI_ARG, "N",
	    "an identifier linked to more than N others is junk (default 50, "
	    "0: off)" },
	{ "max-per-type", KEY_MAX_PER_TYPE, CLI_ARG, "N",
	    "an identifier linked to more than N e-mails, phones, ... (any "
	    "one type but cookies and devices) is junk (default 4, 0: off)" },
	{ "shared", KEY_SHARED, CLI_ARG, "RULE",
	    "events of a shared cookie or device: split (closest in time, "
	    "the default) or first" },
	{ "anonymous", KEY_ANONYMOUS, CLI_ARG, "LIST",
	    "identifier columns that may be shared (default "
	    "id_cookie,id_device)" },
	{ "block", KEY_BLOCK, CLI_ARG, "REGEX",
	    "treat matching identifier values as junk (repeatable)" },
	{ "block-file", KEY_BLOCK_FILE, CLI_ARG, "FILE",
	    "treat the values listed in FILE as junk" },
	{ "map-in", KEY_MAP_IN, CLI_ARG, "FILE",
	    "keep the person keys of a previous --map-out" },
	{ "map-out", KEY_MAP_OUT, CLI_ARG, "FILE",
	    "write the identity map: id_type,id_value,person,first_seen,"
	    "last_seen" },
	{ "audit", KEY_AUDIT, CLI_ARG, "FILE",
	    "write junk identifiers, refused merges and shared identifiers" },
	{ "stats", KEY_STATS, CLI_NOARG, NULL,
	    "print person sizes and the ten largest persons on stderr" },
	{ "memory", KEY_MEMORY, CLI_ARG, "SIZE",
	    "keep up to SIZE of events in memory before spooling them to "
	    "disk (default 256M)" },
	{ "tmpdir", KEY_TMPDIR, CLI_ARG, "DIR",
	    "folder of the spool file (default $TMPDIR or /tmp)" },
	CLI_COMMON_OUT,
	CLI_COMMON_QUIET,
	CLI_COMMON_REJECTS,
	CLI_COMMON_MAX_REJECTS,
	CLI_COMMON_MAX_FIELD,
	{ 0 },
};

static const struct cli_tool tool = {
	"jt-stitch",
	"resolve identifiers into persons, without over-merging",
	"[--ids LIST] [--links FILE] [--map-in FILE] [--map-out FILE] "
	"[--audit FILE] [-o FILE] [file ...]",
	opts,
};

/* The default priority of the usual identifier types. */
static const char *const default_order[] = { "id_user", "id_email", "id_phone",
	"id_loyalty", "id_device", "id_cookie" };

struct conf {
	char **ids; /* --ids, or NULL for every id_* column */
	size_t nids, idscap;
	char **links;
	size_t nlinks, linkscap;
	struct spec_pair *limits;
	size_t nlimits, limitscap;
	long max_degree, max_per_type;
	int shared_first;
	char **anon;
	size_t nanon, anoncap;
	struct re **blocks;
	size_t nblocks;
	const char *block_file, *map_in, *map_out, *audit, *tmpdir;
	int stats;
	size_t memory;
};

/* The previous map, read before the identifier columns are chosen. */
struct map_line {
	char *type, *value, *key; /* type "person": an alias value -> key */
	int64_t first, last;
};

struct map_in {
	struct map_line *v;
	size_t n, cap;
};

/* ---- junk ---- */

struct junk_check {
	struct re **blocks;
	size_t nblocks;
	struct strtab *listed; /* --block-file values, lower-cased */
	struct buf low;
};

/* out = s[0..n) with ASCII letters lower-cased. */
static void
lower(struct buf *out, const char *s, size_t n)
{
	buf_clear(out);
	for (size_t i = 0; i < n; i++)
		buf_addc(
		    out, s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i]);
}

/* Why value v is junk (JUNK_NO when it is not); v is already trimmed. */
static enum stitch_junk
junk_of(struct junk_check *j, const char *v, size_t n)
{
	if (ident_is_junk(v, n))
		return JUNK_LIST;
	if (!j->nblocks && !j->listed)
		return JUNK_NO;
	lower(&j->low, v, n);
	for (size_t i = 0; i < j->nblocks; i++)
		if (re_match(j->blocks[i], j->low.data, j->low.len))
			return JUNK_REGEX;
	if (j->listed &&
	    strtab_find(j->listed, j->low.data, j->low.len) != UINT32_MAX)
		return JUNK_FILE;
	return JUNK_NO;
}

static void
trim(const char **v, size_t *n)
{
	while (*n && (**v == ' ' || **v == '\t')) {
		(*v)++;
		(*n)--;
	}
	while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t'))
		(*n)--;
}

static void
load_block_file(struct junk_check *j, const char *path)
{
	struct io_in *in = io_open(path);
	if (!in)
		err_die("%s: %s", path, strerror(errno));
	struct lines *l = lines_new(in, 0);
	j->listed = strtab_new();
	char *v;
	size_t n;
	long line;
	enum lines_status st;
	while ((st = lines_next(l, &v, &n, &line)) != LINES_EOF) {
		if (st == LINES_FAIL)
			err_die("%s: %s", path, lines_error(l));
		if (st == LINES_LONG)
			err_die("%s:%ld: line too long", path, line);
		const char *t = v;
		trim(&t, &n);
		if (n == 0 || t[0] == '#')
			continue;
		lower(&j->low, t, n);
		int added;
		strtab_intern(j->listed, j->low.data, j->low.len, &added);
	}
	lines_free(l);
	io_close(in);
}

/* ---- the identifier columns ---- */

struct idcols {
	size_t n;
	const char **name; /* priority order */
	long *col;         /* in the events' union, -1 when absent */
	long *lcol;        /* in the links' union */
	int *anon;
	long *limit;
};

static int
listed(char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

static void
add_type(struct idcols *ic, const char *name)
{
	for (size_t i = 0; i < ic->n; i++)
		if (strcmp(ic->name[i], name) == 0)
			return;
	ic->name = xreallocarray(ic->name, ic->n + 1, sizeof *ic->name);
	ic->name[ic->n++] = name;
}

/* The id columns: --ids, or every id_* column in default priority. */
static void
choose_ids(struct idcols *ic, const struct conf *cf, struct evin *ev,
    struct evin *lk, const struct map_in *mi)
{
	memset(ic, 0, sizeof *ic);
	if (cf->ids) {
		for (size_t i = 0; i < cf->nids; i++) {
			if (!events_is_id(cf->ids[i]))
				err_usage("--ids: '%s' is not an identifier "
					  "column (id_TYPE)",
				    cf->ids[i]);
			add_type(ic, cf->ids[i]);
		}
	} else {
		for (size_t d = 0; d < 6; d++) {
			int seen = evin_col(ev, default_order[d]) >= 0 ||
			    (lk && evin_col(lk, default_order[d]) >= 0);
			for (size_t i = 0; !seen && i < mi->n; i++)
				seen = strcmp(mi->v[i].type,
					   default_order[d]) == 0;
			if (seen)
				add_type(ic, default_order[d]);
		}
		for (int pass = 0; pass < 2; pass++) {
			struct evin *e = pass ? lk : ev;
			for (size_t i = 0; e && i < e->ncols; i++)
				if (events_is_id(e->col[i]))
					add_type(ic, e->col[i]);
		}
		for (size_t i = 0; i < mi->n; i++)
			if (events_is_id(mi->v[i].type))
				add_type(ic, mi->v[i].type);
	}
	ic->col = xmalloc((ic->n + 1) * sizeof *ic->col);
	ic->lcol = xmalloc((ic->n + 1) * sizeof *ic->lcol);
	ic->anon = xcalloc(ic->n + 1, sizeof *ic->anon);
	ic->limit = xcalloc(ic->n + 1, sizeof *ic->limit);
	size_t present = 0;
	for (size_t i = 0; i < ic->n; i++) {
		ic->col[i] = evin_col(ev, ic->name[i]);
		ic->lcol[i] = lk ? evin_col(lk, ic->name[i]) : -1;
		present += ic->col[i] >= 0 || ic->lcol[i] >= 0;
		ic->anon[i] = cf->anon
		    ? listed(cf->anon, cf->nanon, ic->name[i])
		    : strcmp(ic->name[i], "id_cookie") == 0 ||
			strcmp(ic->name[i], "id_device") == 0;
		for (size_t k = 0; k < cf->nlimits; k++)
			if (strcmp(cf->limits[k].key, ic->name[i]) == 0)
				ic->limit[i] =
				    strtol(cf->limits[k].val, NULL, 10);
	}
	if (ic->n == 0 || present == 0)
		err_die("no identifier column (id_TYPE) in the input%s",
		    cf->ids ? " among --ids" : "");
	if (ic->n > 255)
		err_die("too many identifier columns (%zu)", ic->n);
}

/* ---- pass 1 ---- */

/*
 * Spool record: u32 text length, u32 ts field length, i64 ts, nodes, then
 * the text.  A row whose text is a line of a regular input file as it
 * stands (csvin_span) is not copied: ROW_SPAN is set in tslen, len is the
 * line's length, and a struct rowspan says where the line is and how
 * much of it (the ts field and a person field, skip bytes) pass 2 leaves
 * out.  Pass 2 reads such lines back from the file (pread): a quarter of
 * the spool's bytes, and no copy of the text through it.
 */
/*
 * An event in the spool: a u16 length, then that many bytes of varints:
 * the text's length; its first part's length (tslen) << 1 | 1 when the
 * text is spanned (read back from its file, else it follows in the
 * spool); the time as a zigzag difference from the row before; each
 * identifier's node + 1 (0: none); for a spanned row its file, the zigzag
 * difference of its offset from the end of the spanned row before, and
 * skip.  Rows come in input order, so the differences are small: about
 * 20 bytes a row where fixed fields took 44, which keeps the spool of ten
 * million rows in memory.
 */
struct rowspan {
	uint64_t off;
	uint32_t skip; /* text = line[0, tslen) + line[skip, len) */
	int32_t file;  /* index in run->files */
};

/* What each spooled row is a difference from (both passes keep one). */
struct spool_state {
	int64_t ts;
	uint64_t end; /* of the last spanned row */
	unsigned char *hdr; /* room for one header */
};

/* An input file of the spanned rows. */
struct span_file {
	int fd;
	const char *name; /* valid until evin_close */
};

/*
 * Rows are handled a batch at a time: the identifiers of thousands of rows
 * are looked up together, so the cache misses of the big hash tables
 * overlap (stitch_rows_keyed) instead of stalling one by one.  Batches of
 * 8192 rows took a tenth less time than batches of 512 on 10 million
 * rows: fewer hand-offs between the pipelines' threads, each a wake-up
 * (measured: 512, 2048, 4096, 8192, 16384).
 */
#define BATCH 8192

/* A run of consecutive lines of a file that pass 2 reads at once. */
struct range {
	int32_t file;
	uint64_t lo, hi;
	size_t at; /* in the batch's lines */
};

struct batch {
	size_t nrows, nvals;
	size_t vfirst[BATCH + 1]; /* row r's values: vfirst[r] .. [r + 1] */
	int64_t ts[BATCH];
	uint64_t seq[BATCH];
	uint8_t event[BATCH];
	uint32_t tslen[BATCH];
	size_t toff[BATCH + 1]; /* row texts in text */
	uint8_t spanned[BATCH]; /* the row's text is a file's line: */
	struct rowspan span[BATCH];
	struct buf text;
	/* values: type, row, and in vals their key (stitch_key: the type,
	 * then the value's vklen - 1 bytes) and its hash, made by the
	 * reader */
	uint8_t *vtype;
	size_t *vrow, *voff, *vklen;
	uint64_t *vhash;
	const char **vkey;
	uint32_t *vnode;
	uint8_t *vjunk;
	struct buf vals;
	uint32_t *nodes; /* BATCH * nt */
	/* a row's length (pass 1: of a spanned row's line); pass 2: each
	 * row's text is text[toff, toff + len): its first tslen bytes, the
	 * person, then the bytes from skip */
	uint32_t len[BATCH], skip[BATCH];
	const char *row[BATCH]; /* the row's text */
	struct buf lines;       /* the spanned rows' lines, read from files */
	struct range rg[BATCH];
	struct buf out; /* pass 2: the rows as written, persons filled */
};

/* Pass 1's batches: one per stage of its pipeline, and one more. */
#define PIPE_BATCHES 4

struct run {
	struct conf cf;
	struct idcols ic;
	struct stitch *g;
	struct junk_check jc;
	struct reject_log rl;
	struct spool *sp;
	struct spool_state spw, spr; /* writing, reading */
	uint64_t seq, events, link_rows, no_id;
	struct batch *pipe_batch; /* PIPE_BATCHES (big: not on the stack) */
	struct span_file *files;
	size_t nfiles;
	int quiet;
};

static void
batch_init(struct batch *b, size_t nt)
{
	memset(b, 0, sizeof *b);
	size_t k = BATCH * nt;
	b->vtype = xmalloc(k);
	b->vrow = xmalloc(k * sizeof *b->vrow);
	b->voff = xmalloc(k * sizeof *b->voff);
	b->vklen = xmalloc(k * sizeof *b->vklen);
	b->vhash = xmalloc(k * sizeof *b->vhash);
	b->vkey = xmalloc(k * sizeof *b->vkey);
	b->vnode = xmalloc(k * sizeof *b->vnode);
	b->vjunk = xmalloc(k);
	b->nodes = xmalloc(k * sizeof *b->nodes);
}

static void
batch_free(struct batch *b)
{
	free(b->vtype);
	free(b->vrow);
	free(b->voff);
	free(b->vklen);
	free(b->vhash);
	free(b->vkey);
	free(b->vnode);
	free(b->vjunk);
	free(b->nodes);
	buf_free(&b->text);
	buf_free(&b->lines);
	buf_free(&b->vals);
	buf_free(&b->out);
}

static enum stitch_junk
classify_new(void *jc, const char *v, size_t n)
{
	return junk_of(jc, v, n);
}

/*
 * Interns the batch's identifiers and lays out its rows' nodes, junk
 * ones left out (STITCH_NONE: no link, and no person in pass 2, as for
 * a junk node).
 */
static void
batch_intern(struct run *run, struct batch *b)
{
	size_t nt = run->ic.n;
	for (size_t i = 0; i < b->nvals; i++)
		b->vkey[i] = b->vals.data + b->voff[i];
	b->vfirst[b->nrows] = b->nvals;
	stitch_rows_keyed(run->g, b->nrows, b->vfirst, b->ts, b->seq, b->vtype,
	    b->vkey, b->vklen, b->vhash, classify_new, &run->jc, b->vnode,
	    b->vjunk);
	for (size_t i = 0; i < b->nrows * nt; i++)
		b->nodes[i] = STITCH_NONE;
	for (size_t i = 0; i < b->nvals; i++)
		if (b->vjunk[i] == JUNK_NO)
			b->nodes[b->vrow[i] * nt + b->vtype[i]] = b->vnode[i];
}

/* Room for a spooled row's header of nt identifiers. */
static size_t
header_room(size_t nt)
{
	return 2 + VARINT_MAX * (nt + 6);
}

/* Spools row r of b (see struct rowspan). */
static void
spool_row(struct run *run, const struct batch *b, size_t r)
{
	size_t nt = run->ic.n;
	struct spool_state *st = &run->spw;
	unsigned char *p = st->hdr + 2;
	int spanned = b->spanned[r];
	size_t len = spanned ? b->len[r] : b->toff[r + 1] - b->toff[r];
	p += varint_put(p, len);
	p += varint_put(p, (uint64_t)b->tslen[r] << 1 | (uint64_t)spanned);
	p += varint_put(p,
	    zigzag((int64_t)((uint64_t)b->ts[r] - (uint64_t)st->ts)));
	st->ts = b->ts[r];
	for (size_t t = 0; t < nt; t++)
		p += varint_put(p, (uint64_t)b->nodes[r * nt + t] + 1);
	if (spanned) {
		const struct rowspan *sp = &b->span[r];
		p += varint_put(p, (uint64_t)sp->file);
		p += varint_put(
		    p, zigzag((int64_t)(sp->off - st->end)));
		p += varint_put(p, sp->skip);
		st->end = sp->off + len;
	}
	size_t n = (size_t)(p - st->hdr) - 2;
	st->hdr[0] = (unsigned char)(n & 0xff);
	st->hdr[1] = (unsigned char)(n >> 8);
	spool_write(run->sp, st->hdr, n + 2);
	if (!spanned)
		spool_write(run->sp, b->text.data + b->toff[r], len);
}

/* Spools the batch's events. */
static void
batch_flush(struct run *run, struct batch *b)
{
	for (size_t r = 0; r < b->nrows; r++)
		if (b->event[r])
			spool_row(run, b, r);
	b->nrows = b->nvals = 0;
	buf_clear(&b->text);
	buf_clear(&b->vals);
}

/* One input stream of pass 1: events, or --links rows. */
struct reader {
	struct run *run;
	struct evin *e;
	const long *col;
	int events;
	long tscol, personcol;
};

/* The index of input file fd (name for messages) in run->files. */
static int32_t
span_file(struct run *run, int fd, const char *name)
{
	if (run->nfiles && run->files[run->nfiles - 1].fd == fd)
		return (int32_t)(run->nfiles - 1);
	for (size_t i = 0; i < run->nfiles; i++)
		if (run->files[i].fd == fd)
			return (int32_t)i;
	run->files =
	    xreallocarray(run->files, run->nfiles + 1, sizeof *run->files);
	run->files[run->nfiles].fd = fd;
	run->files[run->nfiles].name = name;
	return (int32_t)run->nfiles++;
}

/*
 * Fills b with up to BATCH rows of the reader's input: their identifier
 * values, times and (for events) texts.  Returns 0 at the end of the
 * input.
 */
static int
fill_batch(struct reader *rd, struct batch *b)
{
	struct run *run = rd->run;
	struct evin *e = rd->e;
	const long *col = rd->col;
	int events = rd->events;
	long tscol = rd->tscol, personcol = rd->personcol;
	size_t nt = run->ic.n;
	while (b->nrows < BATCH && evin_next_row(e, &run->rl)) {
		int64_t ts;
		const char *tv = e->f[tscol];
		size_t tn = e->len[tscol];
		if (tn == 0 || ts_parse_auto(tv, tn, NULL, &ts) != 0) {
			char msg[80];
			snprintf(msg, sizeof msg, "column 'ts': %s time",
			    tn ? "invalid" : "empty");
			evin_reject(e, &run->rl, msg);
			continue;
		}
		size_t r = b->nrows++;
		b->vfirst[r] = b->nvals;
		b->ts[r] = ts;
		b->seq[r] = run->seq++;
		b->event[r] = (uint8_t)events;
		for (size_t t = 0; t < nt; t++) {
			if (col[t] < 0)
				continue;
			const char *v = e->f[col[t]];
			size_t n = e->len[col[t]];
			trim(&v, &n);
			if (n == 0)
				continue;
			size_t k = b->nvals++;
			b->vtype[k] = (uint8_t)t;
			b->vrow[k] = r;
			b->voff[k] = b->vals.len;
			buf_reserve(&b->vals, n + 1);
			char *key = b->vals.data + b->vals.len;
			b->vklen[k] = stitch_key(key, t, v, n);
			b->vhash[k] = stitch_key_hash(t, v, n);
			b->vals.len += b->vklen[k];
		}
		io_progress(run->seq, evin_bytes(e));
		if (!events) {
			run->link_rows++;
		} else {
			run->events++;
			/*
			 * The row's text: ts, then every column but ts and
			 * person.  A row already laid out so (one input, ts
			 * first, person second or absent, one line, those two
			 * fields unquoted) is copied raw, not re-encoded.
			 */
			struct buf *tx = &b->text;
			size_t rawlen, pn = personcol == 1 ? e->len[1] : 0;
			const char *raw;
			int fd;
			uint64_t off;
			b->toff[r] = tx->len;
			b->spanned[r] = 0;
			if (tscol == 0 && (personcol < 0 || personcol == 1) &&
			    evin_same_layout(e) &&
			    evin_span(e, &fd, &off, &rawlen) &&
			    rawlen > tn + (personcol < 0 ? 0 : 1 + pn) &&
			    rawlen < UINT32_MAX) {
				/*
				 * Quote-free, so the fields are the line's
				 * bytes between commas: nothing to check but
				 * that there is more than ts and person.
				 */
				b->spanned[r] = 1;
				b->tslen[r] = (uint32_t)tn;
				b->len[r] = (uint32_t)rawlen;
				b->span[r].off = off;
				b->span[r].skip =
				    (uint32_t)(personcol < 0 ? tn
							     : tn + 1 + pn);
				b->span[r].file = span_file(run, fd, e->file);
			} else if (tscol == 0 &&
			    (personcol < 0 || personcol == 1) &&
			    evin_same_layout(e) &&
			    (raw = evin_raw(e, &rawlen)) != NULL &&
			    rawlen > tn && raw[0] != '"' && raw[tn] == ',' &&
			    (personcol < 0 ||
				(rawlen > tn + 1 + pn && raw[tn + 1] != '"' &&
				    raw[tn + 1 + pn] == ',')) &&
			    memchr(raw, '\r', rawlen) == NULL) {
				b->tslen[r] = (uint32_t)tn;
				buf_add(tx, raw, tn);
				size_t skip = personcol < 0 ? tn : tn + 1 + pn;
				buf_add(tx, raw + skip, rawlen - skip);
			} else {
				csvout_field_buf(tx, tv, tn, ',');
				b->tslen[r] = (uint32_t)(tx->len - b->toff[r]);
				for (size_t i = 0; i < e->ncols; i++) {
					if ((long)i == tscol ||
					    (long)i == personcol)
						continue;
					buf_addc(tx, ',');
					csvout_field_buf(
					    tx, e->f[i], e->len[i], ',');
				}
			}
			b->toff[r + 1] = tx->len;
		}
	}
	return b->nrows == BATCH;
}

/*
 * Pass 1 is a pipeline of three threads (lib/handoff): one parses a batch
 * of rows, the next looks up the batch before in the graph (which is its
 * alone), the main thread spools the one before that.  The looking up
 * waits on memory, the parsing does not: two cores overlap them well.
 */
static int
fill_one(void *rd, void *b)
{
	return fill_batch(rd, b);
}

static void
intern_one(void *run, void *b)
{
	batch_intern(run, b);
}

static void
flush_one(void *run, void *b)
{
	batch_flush(run, b);
}

static void
read_rows(struct run *run, struct evin *e, const long *col, int events,
    long tscol, long personcol)
{
	struct reader rd = { run, e, col, events, tscol, personcol };
	void *batch[PIPE_BATCHES];
	for (int k = 0; k < PIPE_BATCHES; k++)
		batch[k] = &run->pipe_batch[k];
	const struct handoff_stage stage[2] = { { intern_one, run },
		{ flush_one, run } };
	handoff_pipeline(batch, PIPE_BATCHES, 1, fill_one, &rd, stage, 2);
}

/* ---- the previous map ---- */

static int64_t
parse_time(const char *s, size_t n, int64_t dflt)
{
	int64_t t;
	if (n == 0 || ts_parse_auto(s, n, NULL, &t) != 0)
		return dflt;
	return t;
}

static void
load_map_in(struct map_in *mi, const char *path)
{
	char *paths[1] = { (char *)path };
	struct evin *m = evin_open(paths, 1, NULL, 1);
	long ct = evin_col(m, "id_type"), cv = evin_col(m, "id_value"),
	     cp = evin_col(m, "person"), cf = evin_col(m, "first_seen"),
	     cl = evin_col(m, "last_seen");
	if (ct < 0 || cv < 0 || cp < 0)
		err_die("%s: not an identity map (needs the columns "
			"id_type,id_value,person)",
		    path);
	enum csvin_status st;
	while ((st = evin_next(m)) != CSVIN_EOF) {
		if (st != CSVIN_ROW) {
			err_data(m->file, m->line, "%s", m->reason);
			continue;
		}
		const char *v = m->f[cv];
		size_t n = m->len[cv];
		trim(&v, &n);
		if (m->len[cp] == 0 || n == 0)
			continue;
		if (mi->n == mi->cap) {
			mi->cap = mi->cap ? 2 * mi->cap : 1024;
			mi->v = xreallocarray(mi->v, mi->cap, sizeof *mi->v);
		}
		struct map_line *l = &mi->v[mi->n++];
		l->type = xstrdup(m->f[ct]);
		l->value = xstrndup(v, n);
		l->key = xstrdup(m->f[cp]);
		l->first = cf >= 0 ? parse_time(m->f[cf], m->len[cf], INT64_MAX)
				   : INT64_MAX;
		l->last = cl >= 0 ? parse_time(m->f[cl], m->len[cl], INT64_MIN)
				  : INT64_MIN;
	}
	evin_close(m);
}

/* Gives the previous map's persons to the graph. */
static void
apply_map_in(struct run *run, const struct map_in *mi)
{
	for (size_t i = 0; i < mi->n; i++) {
		const struct map_line *l = &mi->v[i];
		if (strcmp(l->type, "person") == 0) {
			stitch_prior_alias(run->g, l->value, l->key);
			continue;
		}
		size_t t;
		for (t = 0; t < run->ic.n; t++)
			if (strcmp(run->ic.name[t], l->type) == 0)
				break;
		if (t == run->ic.n)
			continue; /* a type --ids leaves out */
		size_t n = strlen(l->value);
		int added;
		uint32_t node =
		    stitch_node(run->g, t, l->value, n, &added);
		enum stitch_junk j = junk_of(&run->jc, l->value, n);
		if (j != JUNK_NO) {
			stitch_mark_junk(run->g, node, j);
			continue;
		}
		stitch_prior(run->g, node, l->key, l->first, l->last);
	}
}

static void
free_map_in(struct map_in *mi)
{
	for (size_t i = 0; i < mi->n; i++) {
		free(mi->v[i].type);
		free(mi->v[i].value);
		free(mi->v[i].key);
	}
	free(mi->v);
}

/* ---- reports ---- */

/* A time field (empty when unknown). */
static void
put_time(struct csvout *w, int64_t t)
{
	char s[TS_FORMAT_LEN + 1];
	if (t == INT64_MAX || t == INT64_MIN || ts_format(t, s) != 0)
		csvout_plain(w, "", 0);
	else
		csvout_plain(w, s, TS_FORMAT_LEN);
}

struct map_row {
	uint32_t node;
	const char *person;
	size_t type;
	const char *value;
	size_t len;
};

static int
map_row_cmp(const void *x, const void *y)
{
	const struct map_row *a = x, *b = y;
	int c = strcmp(a->person, b->person);
	if (c)
		return c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	c = memcmp(a->value, b->value, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static void
write_map(struct run *run, const char *path)
{
	struct io_out *o = io_out_open(path);
	struct csvout w;
	csvout_init(&w, o, ',');
	io_puts(o, "id_type,id_value,person,first_seen,last_seen\n");
	size_t n = stitch_nnodes(run->g), k = 0;
	struct map_row *rows = xmalloc((n ? n : 1) * sizeof *rows);
	for (uint32_t i = 0; i < n; i++) {
		struct stitch_node_info in;
		stitch_node_info(run->g, i, &in);
		if (!in.person)
			continue;
		rows[k++] =
		    (struct map_row){ i, in.person, in.type, in.value, in.len };
	}
	qsort(rows, k, sizeof *rows, map_row_cmp);
	for (size_t i = 0; i < k; i++) {
		struct stitch_node_info in;
		stitch_node_info(run->g, rows[i].node, &in);
		csvout_str(&w, run->ic.name[in.type]);
		csvout_field(&w, in.value, in.len);
		csvout_str(&w, in.person);
		put_time(&w, in.first);
		put_time(&w, in.last);
		csvout_end(&w);
	}
	free(rows);
	for (size_t i = 0; i < stitch_naliases(run->g); i++) {
		const char *old, *cur;
		stitch_alias(run->g, i, &old, &cur);
		csvout_str(&w, "person");
		csvout_str(&w, old);
		csvout_str(&w, cur);
		csvout_plain(&w, "", 0);
		csvout_plain(&w, "", 0);
		csvout_end(&w);
	}
	io_out_close(o);
}

static const char *
junk_reason(enum stitch_junk j)
{
	switch (j) {
	case JUNK_LIST: return "built-in junk list";
	case JUNK_REGEX: return "--block";
	case JUNK_FILE: return "--block-file";
	case JUNK_MAX_DEGREE: return "--max-degree";
	case JUNK_PER_TYPE: return "--max-per-type";
	default: return "";
	}
}

static void
write_audit(struct run *run, const char *path)
{
	struct io_out *o = io_out_open(path);
	struct csvout w;
	struct buf b = { 0 };
	csvout_init(&w, o, ',');
	io_puts(o, "kind,id_type,id_value,other,count,reason\n");
	for (uint32_t i = 0; i < stitch_nnodes(run->g); i++) {
		struct stitch_node_info in;
		stitch_node_info(run->g, i, &in);
		if (in.junk == JUNK_NO)
			continue;
		csvout_str(&w, "junk");
		csvout_str(&w, run->ic.name[in.type]);
		csvout_field(&w, in.value, in.len);
		buf_clear(&b);
		buf_printf(&b, "%u", in.degree);
		if (in.junk == JUNK_PER_TYPE) {
			buf_clear(&b);
			buf_printf(&b, "%u", in.hub_count);
		}
		csvout_str(&w,
		    in.junk == JUNK_MAX_DEGREE || in.junk == JUNK_PER_TYPE
			? b.data
			: "");
		buf_clear(&b);
		buf_printf(&b, "%u", in.rows);
		csvout_str(&w, b.data);
		buf_clear(&b);
		if (in.junk == JUNK_MAX_DEGREE)
			buf_printf(&b,
			    "linked to %u identifiers (--max-degree "
			    "%ld)",
			    in.degree, run->cf.max_degree);
		else if (in.junk == JUNK_PER_TYPE)
			buf_printf(&b,
			    "linked to %u %s values (--max-per-type %ld)",
			    in.hub_count, run->ic.name[in.hub_type],
			    run->cf.max_per_type);
		else
			buf_adds(&b, junk_reason(in.junk));
		csvout_str(&w, b.data);
		csvout_end(&w);
	}
	for (size_t i = 0; i < stitch_nrefused(run->g); i++) {
		const struct stitch_refusal *r = stitch_refused(run->g, i);
		struct stitch_node_info a, other;
		stitch_node_info(run->g, r->node, &a);
		stitch_node_info(run->g, r->other, &other);
		csvout_str(&w, "refused");
		csvout_str(&w, run->ic.name[a.type]);
		csvout_field(&w, a.value, a.len);
		buf_clear(&b);
		buf_printf(&b, "%s=%.*s", run->ic.name[other.type],
		    (int)other.len, other.value);
		csvout_str(&w, b.data);
		buf_clear(&b);
		buf_printf(&b, "%u", r->rows);
		csvout_str(&w, b.data);
		buf_clear(&b);
		buf_printf(&b, "limit %s=%ld", run->ic.name[r->type],
		    run->ic.limit[r->type]);
		csvout_str(&w, b.data);
		csvout_end(&w);
	}
	for (size_t i = 0; i < stitch_nshared(run->g); i++) {
		uint32_t node, persons;
		stitch_shared(run->g, i, &node, &persons);
		struct stitch_node_info in;
		stitch_node_info(run->g, node, &in);
		csvout_str(&w, "shared");
		csvout_str(&w, run->ic.name[in.type]);
		csvout_field(&w, in.value, in.len);
		buf_clear(&b);
		buf_printf(&b, "%u", persons);
		csvout_str(&w, b.data);
		buf_clear(&b);
		buf_printf(&b, "%u", in.rows);
		csvout_str(&w, b.data);
		csvout_str(&w,
		    run->cf.shared_first
			? "events given to the first person identified on it"
			: "events split by the person identified on it closest "
			  "in time");
		csvout_end(&w);
	}
	for (size_t i = 0; i < stitch_naliases(run->g); i++) {
		const char *old, *cur;
		stitch_alias(run->g, i, &old, &cur);
		csvout_str(&w, "alias");
		csvout_str(&w, "person");
		csvout_str(&w, old);
		csvout_str(&w, cur);
		csvout_str(&w, "");
		csvout_str(&w,
		    "persons of the previous map merged; the older "
		    "key survives");
		csvout_end(&w);
	}
	buf_free(&b);
	io_out_close(o);
}

/* --stats: person sizes and the largest persons. */
struct top {
	const struct idcols *ic;
	uint64_t hist[8]; /* 1, 2, 3-4, 5-8, 9-16, 17-32, 33-64, 65+ */
	struct {
		char key[40];
		uint32_t total;
		uint32_t *per;
	} best[10];
	size_t nbest;
};

static void
top_person(void *ctx, const char *key, const uint32_t *per, uint32_t total)
{
	struct top *tp = ctx;
	int b = 0;
	while (b < 7 && total > (1u << b))
		b++;
	tp->hist[b]++;
	size_t i = tp->nbest;
	if (i == 10 && total <= tp->best[9].total)
		return;
	if (i == 10)
		i = 9;
	else
		tp->best[tp->nbest++].per =
		    xcalloc(tp->ic->n, sizeof(uint32_t));
	uint32_t *keep = tp->best[i].per;
	while (i > 0 && tp->best[i - 1].total < total) {
		tp->best[i] = tp->best[i - 1];
		i--;
	}
	tp->best[i].per = keep;
	snprintf(tp->best[i].key, sizeof tp->best[i].key, "%s", key);
	tp->best[i].total = total;
	memcpy(tp->best[i].per, per, tp->ic->n * sizeof(uint32_t));
}

static void
print_stats(struct run *run)
{
	struct top tp;
	memset(&tp, 0, sizeof tp);
	tp.ic = &run->ic;
	stitch_persons(run->g, top_person, &tp);
	static const char *const label[8] = { "1", "2", "3-4", "5-8", "9-16",
		"17-32", "33-64", "65+" };
	fprintf(stderr, "%s: persons by count of identifiers:", err_prog());
	for (int b = 0; b < 8; b++)
		fprintf(stderr, "%s %s: %llu", b ? "," : "", label[b],
		    (unsigned long long)tp.hist[b]);
	fprintf(stderr, "\n%s: largest persons:\n", err_prog());
	for (size_t i = 0; i < tp.nbest; i++) {
		fprintf(stderr, "  %s %u identifiers:", tp.best[i].key,
		    tp.best[i].total);
		int first = 1;
		for (size_t t = 0; t < run->ic.n; t++)
			if (tp.best[i].per[t]) {
				fprintf(stderr, "%s %s %u", first ? "" : ",",
				    run->ic.name[t], tp.best[i].per[t]);
				first = 0;
			}
		fprintf(stderr, "\n");
		free(tp.best[i].per);
	}
}

static void
summary(struct run *run, uint64_t events_out)
{
	struct stitch_stats st;
	struct buf b = { 0 };
	stitch_stats(run->g, &st);
	buf_printf(&b, "%llu events", (unsigned long long)events_out);
	if (run->link_rows)
		buf_printf(&b, " (and %llu link rows)",
		    (unsigned long long)run->link_rows);
	buf_adds(&b, ", ");
	reject_tally(&run->rl, &b);
	buf_printf(&b,
	    "; %llu identifiers, %llu persons, %llu merges, "
	    "%llu merges refused",
	    (unsigned long long)st.nodes, (unsigned long long)st.persons,
	    (unsigned long long)st.merges, (unsigned long long)st.refused);
	if (st.refused) {
		const char *sep = " (";
		for (size_t t = 0; t < run->ic.n && t < 16; t++)
			if (st.refused_by_type[t]) {
				buf_printf(&b, "%slimit %s=%ld: %llu", sep,
				    run->ic.name[t], run->ic.limit[t],
				    (unsigned long long)st.refused_by_type[t]);
				sep = ", ";
			}
		buf_adds(&b, ")");
	}
	buf_printf(&b, ", %llu junk identifiers", (unsigned long long)st.junk);
	if (st.junk)
		buf_printf(&b,
		    " (list %llu, --block %llu, --block-file %llu, "
		    "--max-degree %llu, --max-per-type %llu)",
		    (unsigned long long)st.junk_by[JUNK_LIST],
		    (unsigned long long)st.junk_by[JUNK_REGEX],
		    (unsigned long long)st.junk_by[JUNK_FILE],
		    (unsigned long long)st.junk_by[JUNK_MAX_DEGREE],
		    (unsigned long long)st.junk_by[JUNK_PER_TYPE]);
	buf_printf(&b, ", %llu shared; largest person: %llu identifiers",
	    (unsigned long long)st.shared, (unsigned long long)st.largest);
	if (run->no_id)
		buf_printf(&b, "; %llu events without identifier",
		    (unsigned long long)run->no_id);
	fprintf(stderr, "%s: %s\n", err_prog(), b.data);
	buf_free(&b);
}

/* ---- pass 2 ---- */

/*
 * Reads bytes [off, off + n) of input file f to p; dies if the file is
 * shorter now than when pass 1 read it.
 */
static void
read_span(struct run *run, int32_t f, uint64_t off, size_t n, char *p)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(
		    run->files[f].fd, p + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			err_die("%s: %s", run->files[f].name, strerror(errno));
		if (k == 0)
			err_die("%s: the file changed while being read",
			    run->files[f].name);
		got += (size_t)k;
	}
}

/*
 * Pass 2 is a pipeline too: one thread reads rows back from the spool
 * (and the spanned ones from their files), the next finds each row's
 * person and lays the rows out, the main thread writes them.  The person lookups are prefetched:
 * 32 rows ahead the answer of the row's first identifier, 16 rows ahead
 * its key.
 */
struct pass2 {
	struct run *run;
	struct io_out *out;
	uint64_t written;
};

static int
read_back(void *ctx, void *bp)
{
	struct run *run = ((struct pass2 *)ctx)->run;
	struct batch *b = bp;
	struct spool_state *st = &run->spr;
	size_t nt = run->ic.n, n = 0;
	unsigned char *hdr = st->hdr;
	/*
	 * The spanned rows' lines are read a file range at a time, one pread
	 * for a run of consecutive lines (straight into the batch, not
	 * through a window); toff is then an offset in lines, not text.
	 */
	struct range *rg = b->rg;
	size_t nrg = 0, lines = 0;
	buf_clear(&b->text);
	buf_clear(&b->lines);
	while (n < BATCH && lines < (16u << 20) &&
	    spool_read(run->sp, hdr, 2)) {
		size_t hn = (size_t)hdr[0] | (size_t)hdr[1] << 8;
		if (hn > header_room(nt) - 2 || !spool_read(run->sp, hdr + 2, hn))
			err_die("internal error: damaged spool");
		const unsigned char *p = hdr + 2, *end = p + hn;
		uint64_t len = 0, tslen = 0, dts = 0, v = 0, file = 0, doff = 0,
			 skip = 0;
		int ok = varint_get(&p, end, &len) &&
		    varint_get(&p, end, &tslen) && varint_get(&p, end, &dts);
		for (size_t t = 0; ok && t < nt; t++) {
			ok = varint_get(&p, end, &v);
			b->nodes[n * nt + t] = (uint32_t)(v - 1);
		}
		int spanned = (int)(tslen & 1);
		if (ok && spanned)
			ok = varint_get(&p, end, &file) &&
			    varint_get(&p, end, &doff) &&
			    varint_get(&p, end, &skip);
		if (!ok || p != end || len > UINT32_MAX)
			err_die("internal error: damaged spool");
		st->ts = (int64_t)((uint64_t)st->ts + (uint64_t)unzigzag(dts));
		b->ts[n] = st->ts;
		b->len[n] = (uint32_t)len;
		b->tslen[n] = (uint32_t)(tslen >> 1);
		b->spanned[n] = (uint8_t)spanned;
		if (spanned) {
			uint64_t off = st->end + (uint64_t)unzigzag(doff);
			st->end = off + len;
			b->skip[n] = (uint32_t)skip;
			if (file >= run->nfiles)
				err_die("internal error: damaged spool");
			struct range *g = nrg ? &rg[nrg - 1] : NULL;
			if (!g || g->file != (int32_t)file || off < g->hi ||
			    off - g->hi > 4096) {
				g = &rg[nrg++];
				g->file = (int32_t)file;
				g->lo = g->hi = off;
				g->at = lines;
			}
			b->toff[n] = g->at + (size_t)(off - g->lo);
			lines += (size_t)(off + len - g->hi);
			g->hi = off + len;
		} else {
			b->skip[n] = b->tslen[n];
			b->toff[n] = b->text.len;
			buf_reserve(&b->text, len);
			if (len &&
			    !spool_read(run->sp, b->text.data + b->text.len, len))
				err_die("internal error: truncated spool");
			b->text.len += len;
		}
		n++;
	}
	buf_reserve(&b->lines, lines);
	for (size_t k = 0; k < nrg; k++)
		read_span(run, rg[k].file, rg[k].lo, (size_t)(rg[k].hi - rg[k].lo),
		    b->lines.data + rg[k].at);
	b->lines.len = lines;
	for (size_t r = 0; r < n; r++)
		b->row[r] = (b->spanned[r] ? b->lines.data : b->text.data) +
		    b->toff[r];
	b->nrows = n;
	return n == BATCH || lines >= (16u << 20);
}

/*
 * Finds each row's person and lays the rows out as they are written, so
 * that the writing thread only writes.
 */
static void
find_persons(void *ctx, void *bp)
{
	struct run *run = ((struct pass2 *)ctx)->run;
	struct batch *b = bp;
	size_t nt = run->ic.n, n = b->nrows;
	enum { AHEAD = 16 };
	for (size_t r = 0; r < n && r < 2 * AHEAD; r++)
		stitch_prefetch_person(run->g, b->nodes + r * nt, nt);
	for (size_t r = 0; r < n && r < AHEAD; r++)
		stitch_prefetch_key(run->g, b->nodes + r * nt, nt);
	struct buf *o = &b->out;
	buf_clear(o);
	for (size_t r = 0; r < n; r++) {
		if (r + 2 * AHEAD < n)
			stitch_prefetch_person(
			    run->g, b->nodes + (r + 2 * AHEAD) * nt, nt);
		if (r + AHEAD < n)
			stitch_prefetch_key(run->g, b->nodes + (r + AHEAD) * nt, nt);
		size_t plen = 0;
		const char *person = stitch_person(
		    run->g, b->nodes + r * nt, nt, b->ts[r], &plen);
		if (!person) {
			run->no_id++;
			plen = 0;
		}
		const char *text = b->row[r];
		size_t head = b->tslen[r], tail = b->len[r] - b->skip[r];
		buf_reserve(o, head + plen + tail + 2);
		char *p = o->data + o->len;
		memcpy(p, text, head);
		p += head;
		*p++ = ',';
		if (plen)
			memcpy(p, person, plen); /* (person is not NULL) */
		p += plen;
		memcpy(p, text + b->skip[r], tail);
		p += tail;
		*p++ = '\n';
		o->len = (size_t)(p - o->data);
	}
}

static void
write_rows(void *ctx, void *bp)
{
	struct pass2 *p = ctx;
	struct batch *b = bp;
	io_write(p->out, b->out.data, b->out.len);
	p->written += b->nrows;
}

/* Writes every spooled event with its person; returns the events written. */
static uint64_t
write_events(struct run *run, struct io_out *out)
{
	struct pass2 p = { run, out, 0 };
	void *batch[PIPE_BATCHES];
	for (int k = 0; k < PIPE_BATCHES; k++)
		batch[k] = &run->pipe_batch[k];
	const struct handoff_stage stage[2] = { { find_persons, &p },
		{ write_rows, &p } };
	handoff_pipeline(batch, PIPE_BATCHES, 1, read_back, &p, stage, 2);
	return p.written;
}

/* ---- main ---- */

static void
free_run(struct run *run)
{
	struct conf *cf = &run->cf;
	spec_list_free(cf->ids, cf->nids);
	for (size_t i = 0; i < cf->nlinks; i++)
		free(cf->links[i]);
	free(cf->links);
	spec_pairs_free(cf->limits, cf->nlimits);
	spec_list_free(cf->anon, cf->nanon);
	for (size_t i = 0; i < cf->nblocks; i++)
		re_free(cf->blocks[i]);
	free(cf->blocks);
	free(run->ic.name);
	free(run->ic.col);
	free(run->ic.lcol);
	free(run->ic.anon);
	free(run->ic.limit);
	strtab_free(run->jc.listed);
	buf_free(&run->jc.low);
	for (int k = 0; run->pipe_batch && k < PIPE_BATCHES; k++)
		batch_free(&run->pipe_batch[k]);
	free(run->pipe_batch);
	free(run->files);
	free(run->spw.hdr);
	free(run->spr.hdr);
}

static void
parse_options(struct conf *cf, struct cli_common *cc, struct cli *c)
{
	const char *why;
	int k;
	char ebuf[128];
	while ((k = cli_next(c)) != -1) {
		if (cli_common_opt(cc, k, c->arg))
			continue;
		switch (k) {
		case KEY_IDS:
			if (spec_list(c->arg, &cf->ids, &cf->nids, &cf->idscap,
				&why) != 0)
				err_usage("--ids: %s", why);
			break;
		case KEY_LINKS:
			cf->links = xreallocarray(
			    cf->links, cf->nlinks + 1, sizeof *cf->links);
			cf->links[cf->nlinks++] = xstrdup(c->arg);
			break;
		case KEY_LIMIT:
			/* a new --limit replaces the default */
			spec_pairs_free(cf->limits, cf->nlimits);
			cf->limits = NULL;
			cf->nlimits = cf->limitscap = 0;
			if (spec_pairs(c->arg, &cf->limits, &cf->nlimits,
				&cf->limitscap, &why) != 0)
				err_usage("--limit: %s", why);
			for (size_t i = 0; i < cf->nlimits; i++) {
				if (!events_is_id(cf->limits[i].key))
					err_usage("--limit: '%s' is not an "
						  "identifier column",
					    cf->limits[i].key);
				cli_int("--limit", cf->limits[i].val, 0,
				    1000000000);
			}
			break;
		case KEY_MAX_DEGREE:
			cf->max_degree = (long)cli_int(
			    "--max-degree", c->arg, 0, 1000000000);
			break;
		case KEY_MAX_PER_TYPE:
			cf->max_per_type =
			    (long)cli_int("--max-per-type", c->arg, 0, 60000);
			break;
		case KEY_SHARED:
			if (strcmp(c->arg, "split") == 0)
				cf->shared_first = 0;
			else if (strcmp(c->arg, "first") == 0)
				cf->shared_first = 1;
			else
				err_usage("--shared takes split or first, not "
					  "'%s'",
				    c->arg);
			break;
		case KEY_ANONYMOUS:
			if (spec_list(c->arg, &cf->anon, &cf->nanon,
				&cf->anoncap, &why) != 0)
				err_usage("--anonymous: %s", why);
			break;
		case KEY_BLOCK: {
			struct re *r = re_compile(c->arg, 0, ebuf, sizeof ebuf);
			if (!r)
				err_usage("--block '%s': %s", c->arg, ebuf);
			cf->blocks = xreallocarray(
			    cf->blocks, cf->nblocks + 1, sizeof *cf->blocks);
			cf->blocks[cf->nblocks++] = r;
			break;
		}
		case KEY_BLOCK_FILE: cf->block_file = c->arg; break;
		case KEY_MAP_IN: cf->map_in = c->arg; break;
		case KEY_MAP_OUT: cf->map_out = c->arg; break;
		case KEY_AUDIT: cf->audit = c->arg; break;
		case KEY_STATS: cf->stats = 1; break;
		case KEY_MEMORY:
			cf->memory = (size_t)cli_size("--memory", c->arg);
			break;
		case KEY_TMPDIR: cf->tmpdir = c->arg; break;
		default: err_usage("unexpected option");
		}
	}
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_common cc;
	struct run run;
	const char *why;

	memset(&run, 0, sizeof run);
	struct conf *cf = &run.cf;
	cf->max_degree = 50;
	cf->max_per_type = 4;
	cf->memory = 256u << 20;
	if (spec_pairs("id_user=1", &cf->limits, &cf->nlimits, &cf->limitscap,
		&why) != 0)
		err_die("internal error: %s", why);
	cli_common_init(&cc);
	cli_init(&c, &tool, argc, argv);
	parse_options(cf, &cc, &c);
	int nop = argc - c.optind;
	cli_refuse_tty_stdin(&tool, nop);
	run.quiet = cc.quiet;

	struct csvin_opts copts = { 0 };
	copts.max_field = cc.max_field;
	struct evin *ev =
	    evin_open(argv + c.optind, (size_t)nop, &copts, cc.quiet);
	struct evin *lk = cf->nlinks
	    ? evin_open(cf->links, cf->nlinks, &copts, cc.quiet)
	    : NULL;
	long tscol = evin_col(ev, "ts"), personcol = evin_col(ev, "person");
	if (ev->ncols && tscol < 0)
		err_die("%s: no 'ts' column: jt-stitch orders merges by time",
		    nop ? argv[c.optind] : "<stdin>");
	long ltscol = lk ? evin_col(lk, "ts") : -1;
	if (lk && lk->ncols && ltscol < 0)
		err_die("%s: no 'ts' column in the --links rows", cf->links[0]);
	struct map_in mi = { 0 };
	if (cf->map_in)
		load_map_in(&mi, cf->map_in);
	if (ev->ncols == 0 && (!lk || lk->ncols == 0) && mi.n == 0) {
		/* nothing at all: an empty output, as jt-ingest does */
		io_out_close(io_out_open(cc.out));
		evin_close(ev);
		if (lk)
			evin_close(lk);
		free_run(&run);
		cli_done(&c);
		return 0;
	}
	choose_ids(&run.ic, cf, ev, lk, &mi);

	struct stitch_conf sc = { run.ic.n, run.ic.name, run.ic.anon,
		run.ic.limit, cf->max_degree, cf->max_per_type,
		cf->shared_first };
	run.g = stitch_new(&sc);
	run.jc.blocks = cf->blocks;
	run.jc.nblocks = cf->nblocks;
	if (cf->block_file)
		load_block_file(&run.jc, cf->block_file);
	run.pipe_batch = xcalloc(PIPE_BATCHES, sizeof *run.pipe_batch);
	for (int k = 0; k < PIPE_BATCHES; k++)
		batch_init(&run.pipe_batch[k], run.ic.n);
	reject_init(&run.rl, cc.rejects, cc.max_rejects);
	run.sp = spool_open(cf->tmpdir, cf->memory, 0);
	run.spw.hdr = xmalloc(header_room(run.ic.n));
	run.spr.hdr = xmalloc(header_room(run.ic.n));

	/* pass 1: links, then events */
	if (lk && lk->ncols)
		read_rows(&run, lk, run.ic.lcol, 0, ltscol, -1);
	if (ev->ncols)
		read_rows(&run, ev, run.ic.col, 1, tscol, personcol);
	io_progress_end();
	apply_map_in(&run, &mi);
	free_map_in(&mi);
	stitch_resolve(run.g);

	/* pass 2: every event with its person */
	struct io_out *out = io_out_open(cc.out);
	if (ev->ncols) {
		io_puts(out, "ts,person");
		for (size_t i = 0; i < ev->ncols; i++) {
			if ((long)i == tscol || (long)i == personcol)
				continue;
			struct buf h = { 0 };
			csvout_field_buf(
			    &h, ev->col[i], strlen(ev->col[i]), ',');
			io_putc(out, ',');
			io_write(out, h.data, h.len);
			buf_free(&h);
		}
		io_putc(out, '\n');
	}
	spool_rewind(run.sp);
	uint64_t written = write_events(&run, out);
	io_out_close(out);
	if (cf->map_out)
		write_map(&run, cf->map_out);
	if (cf->audit)
		write_audit(&run, cf->audit);
	if (!cc.quiet)
		summary(&run, written);
	if (cf->stats)
		print_stats(&run);
	reject_close(&run.rl);
	spool_close(run.sp);
	stitch_free(run.g);
	evin_close(ev);
	if (lk)
		evin_close(lk);
	free_run(&run);
	cli_done(&c);
	return 0;
}
