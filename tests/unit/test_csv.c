/* Unit tests of lib/csvin.c, lib/csvout.c, lib/evin.c and lib/utf8.c. */
#include <zlib.h>

#include "unit.h"
#include "csvin.h"
#include "csvout.h"
#include "evin.h"
#include "utf8.h"
#include "buf.h"

static struct csvin *
open_str(const char *s, const struct csvin_opts *o)
{
	const char *why = NULL;
	const char *path = unit_file(s, strlen(s));
	struct csvin *r = csvin_open(path, o, &why);
	unlink(path); /* the open file stays readable */
	assert_non_null(r);
	return r;
}

static void
expect_row(struct csvin *r, long line, const char *joined)
{
	char buf[256] = "";
	assert_int_equal(csvin_next(r), CSVIN_ROW);
	assert_int_equal(r->line, line);
	for (size_t i = 0; i < r->nf; i++) {
		strcat(buf, i ? "|" : "");
		strcat(buf, r->f[i]);
	}
	assert_string_equal(buf, joined);
}

static void
expect_reject(struct csvin *r, long line, const char *reason)
{
	assert_int_equal(csvin_next(r), CSVIN_REJECT);
	assert_int_equal(r->line, line);
	assert_non_null(strstr(r->reason, reason));
}

static void
test_basic(void **state)
{
	(void)state;
	struct csvin *r = open_str("\xEF\xBB\xBF"
				   "a,b,c\r\n1, x ,\"q,\"\"u\"\"\"\r\n\r\n"
				   "\"multi\r\nline\",2,3\n4,5,6",
	    NULL);
	assert_int_equal(r->ncols, 3);
	assert_string_equal(r->col[0], "a");
	assert_int_equal(csvin_col(r, "c"), 2);
	assert_int_equal(csvin_col(r, "z"), -1);
	expect_row(r, 2, "1| x |q,\"u\"");
	expect_row(r, 4, "multi\nline|2|3");
	expect_row(r, 6, "4|5|6");
	assert_int_equal(csvin_next(r), CSVIN_EOF);
	csvin_close(r);
}

static void
test_errors(void **state)
{
	(void)state;
	struct csvin *r =
	    open_str("a,b\n1\n2,\"x\"y\n3,\"open\n4,5\n6,\xC0\x80\n"
		     "7,a\0b\n8,9\n",
		NULL);
	/* the NUL is inside the string literal: give the length by hand */
	csvin_close(r);
	const char data[] =
	    "a,b\n1\n2,\"x\"y\n3,\"open\n4,5\n6,\xC0\x80\n7,a\0b\n8,9\n";
	const char *why;
	const char *path = unit_file(data, sizeof data - 1);
	r = csvin_open(path, NULL, &why);
	unlink(path);
	assert_non_null(r);
	expect_reject(r, 2, "expected 2 fields, found 1");
	expect_reject(r, 3, "malformed quoted field");
	expect_reject(r, 4, "unterminated quoted field");
	size_t n;
	const char *raw = csvin_raw(r, &n);
	assert_true(n > 0 && memcmp(raw, "3,\"open", 7) == 0);
	/* the lines after the bad record's first line are read again */
	expect_row(r, 5, "4|5");
	expect_reject(r, 6, "column 'b': invalid UTF-8");
	expect_reject(r, 7, "column 'b': NUL byte");
	expect_row(r, 8, "8|9");
	assert_int_equal(csvin_next(r), CSVIN_EOF);
	csvin_close(r);
}

static void
test_replay_one_line(void **state)
{
	(void)state;
	/* the replayed queue holds a single line: it must survive intact */
	struct csvin *r = open_str("a,b\n\"x\n4,5\n", NULL);
	expect_reject(r, 2, "unterminated quoted field");
	expect_row(r, 3, "4|5");
	assert_int_equal(csvin_next(r), CSVIN_EOF);
	csvin_close(r);
}

static void
test_limits(void **state)
{
	(void)state;
	struct csvin_opts o = { .max_field = 16 };
	struct csvin *r = open_str("a,b\n1,0123456789abcdefXYZ\n2,\"0123456789"
				   "abcdefXYZ\"\n3,4\n",
	    &o);
	expect_reject(r, 2, "field longer than 16 bytes");
	expect_reject(r, 3, "field longer than 16 bytes");
	expect_row(r, 4, "3|4");
	csvin_close(r);
}

static void
test_modes(void **state)
{
	(void)state;
	struct csvin_opts o = { .delim = ';', .no_header = 1 };
	struct csvin *r = open_str("x;y\n1;2\n", &o);
	assert_string_equal(r->col[1], "c2");
	expect_row(r, 1, "x|y");
	expect_row(r, 2, "1|2");
	csvin_close(r);
	struct csvin_opts rg = { .delim = '\t', .ragged = 1 };
	r = open_str("a\tb\n1\n1\t2\t3\n", &rg);
	expect_row(r, 2, "1");
	expect_row(r, 3, "1|2|3");
	csvin_close(r);
	r = open_str("", NULL);
	assert_true(r->empty);
	assert_int_equal(csvin_next(r), CSVIN_EOF);
	csvin_close(r);
	const char *why = NULL;
	const char *dup = unit_file("a,a\n", 4);
	assert_null(csvin_open(dup, NULL, &why));
	unlink(dup);
	assert_non_null(strstr(why, "duplicate column 'a'"));
	assert_null(csvin_open("/nonexistent/x.csv", NULL, &why));
}

static void
test_gzip(void **state)
{
	(void)state;
	char path[] = "/tmp/jt-unit-gz.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	gzFile g = gzopen(path, "wb");
	gzputs(g, "a,b\n");
	for (int i = 0; i < 20000; i++)
		gzprintf(g, "%d,%d\n", i, i * 2);
	gzclose(g);
	struct csvin *r = csvin_open(path, NULL, NULL);
	assert_non_null(r);
	int rows = 0;
	while (csvin_next(r) == CSVIN_ROW)
		rows++;
	assert_int_equal(rows, 20000);
	csvin_close(r);
	/* truncate it: the rows before are kept, then one reject */
	assert_int_equal(truncate(path, 20000), 0);
	r = csvin_open(path, NULL, NULL);
	enum csvin_status st;
	rows = 0;
	while ((st = csvin_next(r)) == CSVIN_ROW)
		rows++;
	assert_int_equal(st, CSVIN_REJECT);
	assert_string_equal(r->reason, "truncated gzip input");
	assert_true(rows > 1000);
	assert_int_equal(csvin_next(r), CSVIN_EOF);
	csvin_close(r);
	unlink(path);
}

static void
test_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n, want;
	} t[] = {
		{ "abc", 3, 3 },
		{ "\x7F", 1, 1 },
		{ "\xC2\x80", 2, 2 },
		{ "\xDF\xBF", 2, 2 },
		{ "\xE0\xA0\x80", 3, 3 },
		{ "\xEF\xBF\xBF", 3, 3 },
		{ "\xF0\x90\x80\x80", 4, 4 },
		{ "\xF4\x8F\xBF\xBF", 4, 4 },
		{ "\xF4\x90\x80\x80", 4, 0 },
		{ "\xC0\x80", 2, 0 },
		{ "\xC1\xBF", 2, 0 },
		{ "\xED\xA0\x80", 3, 0 },
		{ "\xE0\x80\x80", 3, 0 },
		{ "ab\xE2\x82", 4, 2 },
		{ "a\0b", 3, 1 },
		{ "\x80", 1, 0 },
		{ "0123456789\xFF", 11, 10 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(utf8_check(t[i].s, t[i].n), t[i].want);

	struct buf b = { 0 };
	utf8_from_8bit("a\xe9\x80\x81\xff", 5, UTF8_ENC_LATIN1, &b);
	assert_string_equal(buf_str(&b), "a\xc3\xa9\xc2\x80\xc2\x81\xc3\xbf");
	buf_clear(&b);
	utf8_from_8bit("a\xe9\x80\x81\xff", 5, UTF8_ENC_CP1252, &b);
	assert_string_equal(
	    buf_str(&b), "a\xc3\xa9\xe2\x82\xac\xef\xbf\xbd\xc3\xbf");
	buf_free(&b);
	assert_int_equal(utf8_encoding_parse("ISO-8859-1"), UTF8_ENC_LATIN1);
	assert_int_equal(utf8_encoding_parse("Windows-1252"), UTF8_ENC_CP1252);
	assert_int_equal(utf8_encoding_parse("ebcdic"), -1);
}

static void
test_csvout(void **state)
{
	(void)state;
	char path[] = "/tmp/jt-unit-out.XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	struct io_out *o = io_out_open(path);
	struct csvout w;
	csvout_init(&w, o, ',');
	csvout_str(&w, "plain");
	csvout_str(&w, "a,b");
	csvout_str(&w, "say \"hi\"");
	csvout_str(&w, "two\nlines");
	csvout_str(&w, "");
	csvout_end(&w);
	csvout_str(&w, "");
	csvout_end(&w);
	csvout_init(&w, o, ';');
	csvout_str(&w, "a,b");
	csvout_str(&w, "c;d");
	csvout_end(&w);
	io_out_close(o);
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf,
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n"
	    "\"\"\na,b;\"c;d\"\n");
	unlink(path);
}

static void
test_evin(void **state)
{
	(void)state;
	char p1[64], p2[64];
	strcpy(p1, unit_file("page,ts,id_z\n/a,1,z1\n", 21));
	strcpy(p2, unit_file("value,id_a,ts,agent\n5,a1,2,A\n", 29));
	char *paths[] = { p1, p2 };
	struct evin *e = evin_open(paths, 2, NULL, 1);
	const char *want[] = { "ts", "id_z", "id_a", "value", "page", "agent" };
	assert_int_equal(e->ncols, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(e->col[i], want[i]);
	assert_int_equal(evin_next(e), CSVIN_ROW);
	assert_string_equal(e->f[1], "z1");
	assert_string_equal(e->f[2], "");
	assert_int_equal(evin_next(e), CSVIN_ROW);
	assert_string_equal(e->f[2], "a1");
	assert_string_equal(e->f[5], "A");
	assert_int_equal(evin_next(e), CSVIN_EOF);
	evin_close(e);
	unlink(p1);
	unlink(p2);
}

/* The next record is a row; its span, or -1 for none. */
static long
next_span(struct csvin *r, size_t *n)
{
	int fd;
	uint64_t off;
	assert_int_equal(csvin_next(r), CSVIN_ROW);
	if (!csvin_span(r, &fd, &off, n))
		return -1;
	/* the bytes there are the record's raw text */
	char buf[64];
	size_t rn;
	const char *raw = csvin_raw(r, &rn);
	assert_int_equal(rn, *n);
	assert_int_equal(pread(fd, buf, *n, (off_t)off), (ssize_t)*n);
	assert_memory_equal(buf, raw, *n);
	return (long)off;
}

static void
test_span(void **state)
{
	(void)state;
	/* offsets by hand: header 0-3, "1,x" 4, quoted 8, CRLF 14, "3,w" 19,
	 * two-line record 23, CR inside 31, "5,e" 37, open quote 41, "6,f"
	 * 49 (replayed after the reject), "7,g" 53 without a final LF */
	static const char text[] = "a,b\n1,x\n\"q\",y\n2,z\r\n3,w\n\"m\nl\",v\n"
				   "4,a\rb\n5,e\n\"open,1\n6,f\n7,g";
	char path[64];
	strcpy(path, unit_file(text, sizeof text - 1));
	struct csvin *r = csvin_open(path, NULL, NULL);
	assert_non_null(r);
	size_t n = 0;
	assert_int_equal(next_span(r, &n), 4);
	assert_int_equal(n, 3);
	assert_int_equal(next_span(r, &n), -1); /* a quote */
	assert_int_equal(next_span(r, &n), -1); /* CR dropped */
	assert_int_equal(next_span(r, &n), 19);
	assert_int_equal(next_span(r, &n), -1); /* two lines */
	assert_int_equal(next_span(r, &n), -1); /* a CR in a field */
	assert_int_equal(next_span(r, &n), 37);
	assert_int_equal(csvin_next(r), CSVIN_REJECT);
	assert_int_equal(next_span(r, &n), -1); /* read again */
	assert_int_equal(next_span(r, &n), -1);
	assert_int_equal(csvin_next(r), CSVIN_EOF);
	csvin_close(r);
	/* without the open quote the last lines are spans, the last one
	 * without its LF */
	static const char text2[] = "\xEF\xBB\xBF"
				    "a,b\n6,f\n7,g";
	const char *path2 = unit_file(text2, sizeof text2 - 1);
	char p2[64];
	strcpy(p2, path2);
	char *paths[] = { p2 };
	struct evin *e = evin_open(paths, 1, NULL, 1);
	int fd;
	uint64_t off;
	assert_int_equal(evin_next(e), CSVIN_ROW);
	assert_int_equal(evin_span(e, &fd, &off, &n), 1);
	assert_int_equal(off, 7);
	assert_int_equal(n, 3);
	assert_int_equal(evin_next(e), CSVIN_ROW);
	assert_int_equal(evin_span(e, &fd, &off, &n), 1);
	assert_int_equal(off, 11);
	assert_int_equal(n, 3);
	assert_int_equal(evin_next(e), CSVIN_EOF);
	evin_close(e);
	unlink(p2);
	/* gzip: no span */
	char gz[] = "/tmp/jt-unit-gz.XXXXXX";
	int gfd = mkstemp(gz);
	assert_true(gfd >= 0);
	close(gfd);
	gzFile g = gzopen(gz, "wb");
	gzputs(g, "a,b\n1,2\n");
	gzclose(g);
	r = csvin_open(gz, NULL, NULL);
	assert_int_equal(next_span(r, &n), -1);
	csvin_close(r);
	unlink(gz);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_replay_one_line),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_csvout),
		cmocka_unit_test(test_evin),
		cmocka_unit_test(test_span),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
