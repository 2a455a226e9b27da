/*
 * gen_doc: the README and ingest.sh that jt-gen writes into a world's
 * folder, so the world explains itself and jt-gen and jt-ingest document
 * each other.
 */
#ifndef JT_GEN_DOC_H
#define JT_GEN_DOC_H

#include <stdint.h>

#include "gen.h"
#include "gen_render.h"
#include "io.h"

/* What a world came to: the figures quoted in its README. */
struct gen_totals {
	uint64_t persons, households, touches, conversions, revenue_cents;
	uint64_t records[SILO_N];
	uint64_t touches_by[CH_N], conv_by_last[CH_N];
	uint64_t conv_without[CH_N], revenue_without[CH_N];
	uint64_t friction_hits[FR_N], friction_aborted[FR_N];
	uint64_t conv_no_friction[FR_N], revenue_no_friction[FR_N];
	uint64_t recovered, extra_contacts[FR_N];
};

/* gz: the exports were written gzip-compressed (--gzip). */
void gen_write_readme(struct io_out *o, const struct gen_world *w,
    const struct gen_totals *t, int gz);
void gen_write_ingest_sh(struct io_out *o, int gz);
/* The jt-nightly(1) configuration reading the world's exports. */
void gen_write_nightly_conf(struct io_out *o, int gz);

#endif
