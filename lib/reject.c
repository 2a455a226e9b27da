/*
 * reject: counting, reporting and saving rejected rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "reject.h"

void
reject_init(struct reject_log *l, const char *path, long long max)
{
	memset(l, 0, sizeof *l);
	l->max = max;
	if (path) {
		l->out = io_out_open(path);
		csvout_init(&l->w, l->out, ',');
		csvout_str(&l->w, "file");
		csvout_str(&l->w, "line");
		csvout_str(&l->w, "reason");
		csvout_str(&l->w, "raw");
		csvout_end(&l->w);
	}
}

/* Reasons are grouped by their exact text; the table is small. */
static void
count_reason(struct reject_log *l, const char *reason)
{
	for (size_t i = 0; i < l->nreasons; i++)
		if (strcmp(l->reasons[i].reason, reason) == 0) {
			l->reasons[i].count++;
			return;
		}
	if (l->nreasons == REJECT_REASONS) {
		l->other++;
		return;
	}
	l->reasons[l->nreasons].reason = xstrdup(reason);
	l->reasons[l->nreasons++].count = 1;
}

void
reject_add(struct reject_log *l, const char *file, long line,
    const char *reason, const char *raw, size_t rawlen)
{
	l->count++;
	count_reason(l, reason);
	if (!l->quiet) {
		if (l->count <= REJECT_SHOW_MAX)
			err_data(file, line, "%s", reason);
		else if (l->count == REJECT_SHOW_MAX + 1)
			err_warn("more rejected rows not shown%s",
			    l->out ? " (all are in the rejects file)" : "");
	}
	if (l->out) {
		char num[32];
		snprintf(num, sizeof num, "%ld", line);
		csvout_str(&l->w, file);
		csvout_str(&l->w, num);
		csvout_str(&l->w, reason);
		csvout_field(&l->w, raw ? raw : "", raw ? rawlen : 0);
		csvout_end(&l->w);
	}
	if (l->max >= 0 && l->count > (unsigned long long)l->max) {
		long long max = l->max;
		reject_close(l);
		err_die("more than %lld rejected rows; stopping "
			"(raise --max-rejects, or -1 for no limit)",
		    max);
	}
}

void
reject_describe(const struct reject_log *l, struct buf *out)
{
	int done[REJECT_REASONS] = { 0 };

	for (size_t k = 0; k < l->nreasons; k++) {
		size_t best = 0;
		uint64_t bc = 0;
		for (size_t i = 0; i < l->nreasons; i++)
			if (!done[i] && l->reasons[i].count > bc) {
				best = i;
				bc = l->reasons[i].count;
			}
		done[best] = 1;
		buf_printf(out, "%s%llu %s", k ? ", " : "",
		    (unsigned long long)bc, l->reasons[best].reason);
	}
	if (l->other)
		buf_printf(out, "%s%llu other", l->nreasons ? ", " : "",
		    (unsigned long long)l->other);
}

void
reject_tally(const struct reject_log *l, struct buf *out)
{
	buf_printf(out, "%llu rejected", (unsigned long long)l->count);
	if (l->count) {
		buf_adds(out, " (");
		reject_describe(l, out);
		buf_adds(out, ")");
	}
}

void
reject_close(struct reject_log *l)
{
	if (l->out) {
		io_out_close(l->out);
		l->out = NULL;
	}
	for (size_t i = 0; i < l->nreasons; i++)
		free(l->reasons[i].reason);
	l->nreasons = 0;
}
