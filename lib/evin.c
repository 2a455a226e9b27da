/*
 * evin: the union-of-columns reader.  For each input, src[u] is the input's
 * column for union column u, or -1; a row is published by pointing f[u] at
 * the input's field or at "".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "events.h"
#include "evin.h"

struct input {
	struct csvin *r;
	long *src;
	int same; /* its columns are the union's, in the same order */
};

struct ev {
	const char **f; /* the union row, for inputs laid out otherwise */
	size_t *len;
	struct input *in;
	size_t nin, cur;
	uint64_t bytes_done; /* bytes of inputs already finished */
};

static long
find(const char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

struct evin *
evin_open(
    char *const *paths, size_t npaths, const struct csvin_opts *opts, int quiet)
{
	static char *const stdin_path[] = { "-" };
	struct evin *e = xcalloc(1, sizeof *e);
	struct ev *v = xcalloc(1, sizeof *v);
	size_t cap = 16, n = 0;
	const char **names = xmalloc(cap * sizeof *names);

	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	e->priv = v;
	v->in = xcalloc(npaths, sizeof *v->in);
	v->nin = npaths;
	for (size_t i = 0; i < npaths; i++) {
		const char *why = NULL;
		struct csvin *r = csvin_open(paths[i], opts, &why);
		if (!r) {
			if (why)
				err_die("%s", why);
			err_die("%s: %s", paths[i], strerror(errno));
		}
		if (r->empty && !quiet)
			err_warn("%s: empty input", csvin_name(r));
		v->in[i].r = r;
		for (size_t c = 0; c < r->ncols; c++) {
			if (find(names, n, r->col[c]) >= 0)
				continue;
			if (n == cap) {
				cap *= 2;
				names =
				    xreallocarray(names, cap, sizeof *names);
			}
			names[n++] = r->col[c];
		}
	}
	events_order(names, n);
	e->ncols = n;
	e->col = xcalloc(n ? n : 1, sizeof *e->col);
	for (size_t u = 0; u < n; u++)
		e->col[u] = xstrdup(names[u]);
	free(names);
	for (size_t i = 0; i < npaths; i++) {
		struct csvin *r = v->in[i].r;
		v->in[i].src = xcalloc(n ? n : 1, sizeof *v->in[i].src);
		v->in[i].same = r->ncols == n;
		for (size_t u = 0; u < n; u++) {
			v->in[i].src[u] = csvin_col(r, e->col[u]);
			if (v->in[i].src[u] != (long)u)
				v->in[i].same = 0;
		}
	}
	v->f = xcalloc(n ? n : 1, sizeof *v->f);
	v->len = xcalloc(n ? n : 1, sizeof *v->len);
	e->f = v->f;
	e->len = v->len;
	return e;
}

enum csvin_status
evin_next(struct evin *e)
{
	struct ev *v = e->priv;

	while (v->cur < v->nin) {
		struct input *in = &v->in[v->cur];
		enum csvin_status st = csvin_next(in->r);
		e->file = csvin_name(in->r);
		e->line = in->r->line;
		if (st == CSVIN_EOF) {
			v->bytes_done += csvin_bytes(in->r);
			v->cur++;
			continue;
		}
		if (st != CSVIN_ROW) {
			e->reason = in->r->reason;
			return st;
		}
		if (in->same) { /* the input's own row is the union row */
			e->f = (const char **)in->r->f;
			e->len = in->r->len;
			return CSVIN_ROW;
		}
		e->f = v->f;
		e->len = v->len;
		for (size_t u = 0; u < e->ncols; u++) {
			long s = in->src[u];
			if (s >= 0) {
				e->f[u] = in->r->f[s];
				e->len[u] = in->r->len[s];
			} else {
				e->f[u] = "";
				e->len[u] = 0;
			}
		}
		return CSVIN_ROW;
	}
	return CSVIN_EOF;
}

long
evin_col(const struct evin *e, const char *name)
{
	return find(e->col, e->ncols, name);
}

long
evin_need(const struct evin *e, const char *name, const char *label,
    const char *why)
{
	long i = evin_col(e, name);
	if (i < 0)
		err_die("%s: no '%s' column%s", label, name, why);
	return i;
}

int
evin_same_layout(const struct evin *e)
{
	const struct ev *v = e->priv;
	return v->cur < v->nin && v->in[v->cur].same;
}

const char *
evin_raw(const struct evin *e, size_t *n)
{
	const struct ev *v = e->priv;
	size_t i = v->cur < v->nin ? v->cur : v->nin - 1;
	return csvin_raw(v->in[i].r, n);
}

int
evin_span(const struct evin *e, int *fd, uint64_t *off, size_t *n)
{
	const struct ev *v = e->priv;
	return v->cur < v->nin && csvin_span(v->in[v->cur].r, fd, off, n);
}

uint64_t
evin_bytes(const struct evin *e)
{
	const struct ev *v = e->priv;
	uint64_t b = v->bytes_done;
	if (v->cur < v->nin)
		b += csvin_bytes(v->in[v->cur].r);
	return b;
}

void
evin_close(struct evin *e)
{
	struct ev *v = e->priv;

	for (size_t i = 0; i < v->nin; i++) {
		csvin_close(v->in[i].r);
		free(v->in[i].src);
	}
	free(v->in);
	free(v->f);
	free(v->len);
	free(v);
	for (size_t u = 0; u < e->ncols; u++)
		free((char *)e->col[u]);
	free(e->col);
	free(e);
}

int
evin_next_row(struct evin *e, struct reject_log *rl)
{
	enum csvin_status st;
	while ((st = evin_next(e)) != CSVIN_EOF) {
		if (st == CSVIN_FAIL)
			err_die("%s: %s", e->file, e->reason);
		if (st == CSVIN_ROW)
			return 1;
		evin_reject(e, rl, e->reason);
	}
	return 0;
}

void
evin_reject(struct evin *e, struct reject_log *rl, const char *reason)
{
	size_t rawlen;
	const char *raw = evin_raw(e, &rawlen);
	reject_add(rl, e->file, e->line, reason, raw, rawlen);
}
