/*
 * gen_render: what the silos of a jt-gen world record, as text.
 *
 * Each realised touch of gen_simulate (and each e-mail event of gen_mail)
 * becomes records of one silo, in that silo's native format (JSON lines
 * from the web tag, the app gateway's access log, CSV and TSV exports),
 * or, in events mode, rows of jt-events(5) exactly as jt-ingest would
 * write them from the native files with the world's ingest.sh.
 *
 * Records are appended to per-silo buffers with an export-order key; the
 * caller sorts and writes them a block of persons at a time.
 */
#ifndef JT_GEN_RENDER_H
#define JT_GEN_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "gen.h"
#include "ts.h"

enum gen_silo {
	SILO_WEB,
	SILO_APP,
	SILO_ESP,
	SILO_CALLS,
	SILO_CHAT,
	SILO_POS,
	SILO_CRM, /* the account database: identity links, not events */
	SILO_N
};

struct gen_silo_info {
	const char *file;   /* file name in the world's folder */
	const char *source; /* the source name ingest.sh gives it */
	const char *header; /* first line(s), or NULL */
};
extern const struct gen_silo_info gen_silos[SILO_N];

/* The header of events mode (jt-events(5)). */
extern const char gen_events_header[];

/* One record: its text in the silo's buffer and its export order. */
struct gen_rec {
	int64_t k1,
	    k2;     /* sort keys: batch (agent, campaign, store day), time */
	size_t off; /* text offset (also the tie-break: emission order) */
	uint32_t len;
	uint32_t person;
	uint64_t id; /* record id (formatted by gen_record_id) */
};

struct gen_recs {
	struct buf text;
	struct gen_rec *v;
	size_t n, cap;
};

struct gen_render {
	const struct gen_world *w;
	int events; /* events mode: everything in recs[0] */
	struct gen_recs recs[SILO_N];
	struct ts_zone *eastern; /* call center */
	struct ts_zone *central; /* stores and the app gateway */
	struct buf scratch;
};

/* Loads the zones; dies when tzdata is missing. */
void gen_render_init(
    struct gen_render *r, const struct gen_world *w, int events);
void gen_render_free(struct gen_render *r);
/* Empties the buffers for the next block (keeps memory). */
void gen_render_clear(struct gen_render *r);

/* A gen_step_fn: ctx is a struct gen_render. */
void gen_render_step(
    void *ctx, const struct gen_person *p, const struct gen_step *s);
/* A gen_mail_fn: ctx is a struct gen_render. */
void gen_render_mail(void *ctx, const struct gen_person *p, uint16_t campaign,
    enum gen_mail_kind kind, int64_t t);

/*
 * The person's row of the account database (persons with an account;
 * nothing in events mode, where the table has no place).
 */
void gen_render_account(struct gen_render *r, const struct gen_person *p);

/* The record id of a silo's record as written in the export. */
size_t gen_record_id(enum gen_silo silo, uint64_t id, char out[48]);
/* The person key: P and the 1-based index, 8 digits. */
size_t gen_person_key(uint32_t index, char out[16]);

/*
 * The person's identifiers as jt-ingest writes them (normalised), for the
 * truth files: fn(ctx, id_type, value, kind) for each; kind is "own" or
 * "household".  scratch is working memory the caller keeps between
 * calls (no allocation per person).
 */
typedef void (*gen_ident_fn)(
    void *ctx, const char *type, const char *value, const char *kind);
void gen_person_idents(const struct gen_person *p, struct buf *scratch,
    gen_ident_fn fn, void *ctx);

/* Placeholder identifiers written by the silos (truth: junk). */
struct gen_junk {
	const char *type, *written, *silo, *why;
};
extern const struct gen_junk gen_junk_ids[];
extern const size_t gen_njunk;

#endif
