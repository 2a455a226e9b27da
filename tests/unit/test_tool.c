/* Unit tests of the tool plumbing: cli, reject, io (atomic output, gzip
 * input), err.  Paths that exit run in a forked child. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zlib.h>

#include "unit.h"
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "io.h"
#include "reject.h"

/* Runs fn in a child with stderr to /dev/null; returns its exit status. */
static int
child_status(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		fn(arg);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
do_size(void *arg)
{
	cli_size("--max-field", arg);
}

static void
do_int(void *arg)
{
	cli_int("--n", arg, -1, 10);
}

static void
test_cli_numbers(void **state)
{
	(void)state;
	assert_int_equal(cli_size("x", "1M"), 1048576);
	assert_int_equal(cli_size("x", "64k"), 65536);
	assert_int_equal(cli_size("x", "2GB"), 2147483648ULL);
	assert_int_equal(cli_size("x", "100"), 100);
	assert_int_equal(cli_int("x", "-1", -1, 10), -1);
	assert_int_equal(child_status(do_size, "-5"), 2);
	assert_int_equal(child_status(do_size, "1X"), 2);
	assert_int_equal(child_status(do_size, ""), 2);
	assert_int_equal(child_status(do_int, "11"), 2);
	assert_int_equal(child_status(do_int, "abc"), 2);
	assert_int_equal(child_status(do_int, "3"), 0);
}

static const struct cli_opt opts[] = {
	{ "out", 'o', CLI_ARG, "FILE", "output" },
	{ "flag", 300, CLI_NOARG, NULL, "a flag" },
	{ 0 },
};
static const struct cli_tool tool = { "jt-test", "test tool", "[FILE]...",
	opts };

static void
do_parse(void *arg)
{
	char **argv = arg;
	int argc = 0;
	while (argv[argc])
		argc++;
	struct cli c;
	cli_init(&c, &tool, argc, argv);
	while (cli_next(&c) != -1)
		;
	cli_done(&c);
}

static void
test_cli_parse(void **state)
{
	(void)state;
	char *argv[] = { "jt-test", "in.csv", "-o", "x", "--flag", "more",
		NULL };
	struct cli c;
	cli_init(&c, &tool, 6, argv);
	assert_int_equal(cli_next(&c), 'o');
	assert_string_equal(c.arg, "x");
	assert_int_equal(cli_next(&c), 300);
	assert_int_equal(cli_next(&c), -1);
	/* options after operands are parsed (GNU order) */
	assert_int_equal(6 - c.optind, 2);
	cli_done(&c);
	char *bad[] = { "jt-test", "--nope", NULL };
	assert_int_equal(child_status(do_parse, bad), 2);
	char *missing[] = { "jt-test", "-o", NULL };
	assert_int_equal(child_status(do_parse, missing), 2);
	char *help[] = { "jt-test", "--help", NULL };
	assert_int_equal(child_status(do_parse, help), 0);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[4096];
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static void
do_reject_many(void *arg)
{
	struct reject_log l;
	reject_init(&l, arg, 2);
	for (int i = 1; i <= 3; i++)
		reject_add(&l, "f.csv", i, "bad", "x", 1);
	reject_close(&l);
}

static void
test_reject(void **state)
{
	(void)state;
	char dir[] = "/tmp/jt-unit-rej.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/rej.csv", dir);
	struct reject_log l;
	reject_init(&l, path, -1);
	l.quiet = 1;
	reject_add(&l, "a.csv", 3, "expected 2 fields, found 1", "1", 1);
	reject_add(&l, "a.csv", 9, "invalid", "q\"x", 3);
	reject_add(&l, "b.csv", 2, "invalid", NULL, 0);
	struct buf b = { 0 };
	reject_describe(&l, &b);
	assert_string_equal(
	    buf_str(&b), "2 invalid, 1 expected 2 fields, found 1");
	buf_free(&b);
	reject_tally(&l, &b);
	assert_string_equal(buf_str(&b),
	    "3 rejected (2 invalid, 1 expected 2 fields, found 1)");
	buf_free(&b);
	assert_int_equal(l.count, 3);
	reject_close(&l);
	assert_string_equal(slurp(path),
	    "file,line,reason,raw\n"
	    "a.csv,3,\"expected 2 fields, found 1\",1\n"
	    "a.csv,9,invalid,\"q\"\"x\"\n"
	    "b.csv,2,invalid,\n");
	/* past the maximum: status 1, the rejects file still complete */
	assert_int_equal(child_status(do_reject_many, path), 1);
	assert_string_equal(slurp(path),
	    "file,line,reason,raw\nf.csv,1,bad,x\n"
	    "f.csv,2,bad,x\nf.csv,3,bad,x\n");
	unlink(path);
	rmdir(dir);
}

static void
test_io_out(void **state)
{
	(void)state;
	char dir[] = "/tmp/jt-unit-io.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/out.csv", dir);
	/* the target appears only at close, whole */
	struct io_out *o = io_out_open(path);
	io_puts(o, "hello\n");
	assert_int_equal(access(path, F_OK), -1);
	io_out_close(o);
	assert_string_equal(slurp(path), "hello\n");
	struct stat st;
	mode_t um = umask(022);
	umask(um);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666 & ~um);
	/* an abandoned output leaves the target as it was, and no temp */
	o = io_out_open(path);
	io_puts(o, "half");
	io_out_abort(o);
	assert_string_equal(slurp(path), "hello\n");
	char cmd[256];
	snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	/* a large write goes through; 80 MB is sent to the disk in parts
	 * as it is written (lib/io's writeback), every byte in place */
	o = io_out_open(path);
	char *big = malloc(1 << 20);
	memset(big, 'x', 1 << 20);
	io_write(o, big, 1 << 20);
	io_out_close(o);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 1 << 20);
	o = io_out_open(path);
	for (int k = 0; k < 80; k++) {
		memset(big, 'a' + k % 26, 1 << 20);
		io_write(o, big, 1 << 20);
		io_puts(o, "\n");
	}
	io_out_close(o);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 80 * ((1 << 20) + 1));
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	for (int k = 0; k < 80; k++) {
		assert_int_equal(fread(big, 1, 1 << 20, f), 1 << 20);
		assert_int_equal(big[0], 'a' + k % 26);
		assert_int_equal(big[(1 << 20) - 1], 'a' + k % 26);
		assert_int_equal(fgetc(f), '\n');
	}
	fclose(f);
	free(big);
	unlink(path);
	rmdir(dir);
}

static void
test_io_in(void **state)
{
	(void)state;
	char path[] = "/tmp/jt-unit-in.XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	gzFile g = gzopen(path, "wb");
	for (int i = 0; i < 1000; i++)
		gzprintf(g, "line %d\n", i);
	gzclose(g);
	struct io_in *in = io_open(path);
	assert_non_null(in);
	assert_true(io_is_gzip(in));
	char buf[7];
	size_t total = 0;
	long n;
	const char *why;
	while ((n = io_read(in, buf, sizeof buf, &why)) > 0)
		total += (size_t)n;
	assert_int_equal(n, 0);
	assert_int_equal(total, 8890);
	io_close(in);
	/* corrupt the middle: an error, never a silent short read */
	fd = open(path, O_WRONLY);
	assert_int_equal(pwrite(fd, "\xff\xff\xff\xff\xff\xff", 6, 40), 6);
	close(fd);
	in = io_open(path);
	char big[65536];
	while ((n = io_read(in, big, sizeof big, &why)) > 0)
		;
	assert_int_equal(n, -1);
	assert_non_null(strstr(why, "gzip"));
	io_close(in);
	unlink(path);
	errno = 0;
	assert_null(io_open("/nonexistent/file"));
	assert_int_equal(errno, ENOENT);
	assert_null(io_open("/tmp"));
	assert_int_equal(errno, EISDIR);
}

static int cleaned;
static void
mark(void *arg)
{
	(void)arg;
	cleaned++;
}

/* Gzip output reads back through io_open, the same bytes every time. */
static void
test_io_out_gzip(void **state)
{
	(void)state;
	char path[] = "/tmp/jt-unit-gz.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unsigned char first[4] = { 0 };
	for (int round = 0; round < 2; round++) {
		struct io_out *o = io_out_open(path);
		io_out_gzip(o, 6);
		for (int i = 0; i < 100000; i++) {
			char line[32];
			int n = snprintf(line, sizeof line, "line %d\n", i);
			io_write(o, line, (size_t)n);
		}
		static char big[300000]; /* the large-block path too */
		memset(big, 'x', sizeof big);
		io_write(o, big, sizeof big);
		io_out_close(o);

		struct io_in *in = io_open(path);
		assert_non_null(in);
		assert_true(io_is_gzip(in));
		const char *why;
		char buf[65536];
		long n, total = 0, lines = 0, xs = 0;
		while ((n = io_read(in, buf, sizeof buf, &why)) > 0) {
			for (long i = 0; i < n; i++) {
				lines += buf[i] == '\n';
				xs += buf[i] == 'x';
			}
			total += n;
		}
		assert_int_equal(n, 0);
		assert_int_equal(lines, 100000);
		assert_int_equal(xs, 300000);
		assert_true(total > 1000000);
		io_close(in);
		/* the stream has no time stamp: byte 4-7 are zero */
		FILE *f = fopen(path, "rb");
		unsigned char h[8];
		assert_int_equal(fread(h, 1, 8, f), 8);
		fclose(f);
		assert_true(h[0] == 0x1f && h[1] == 0x8b);
		assert_true(h[4] == 0 && h[5] == 0 && h[6] == 0 && h[7] == 0);
		if (round == 0)
			memcpy(first, h, 4);
		else
			assert_memory_equal(first, h, 4);
	}
	unlink(path);
}

static void
test_err_cleanup(void **state)
{
	(void)state;
	int h = err_cleanup_push(mark, NULL);
	err_cleanup_push(mark, NULL);
	err_cleanup_cancel(h);
	err_run_cleanups();
	assert_int_equal(cleaned, 1);
	err_run_cleanups(); /* each hook runs once */
	assert_int_equal(cleaned, 1);
	char *p = xstrndup("abcdef", 3);
	assert_string_equal(p, "abc");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_numbers),
		cmocka_unit_test(test_cli_parse),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_io_out),
		cmocka_unit_test(test_io_in),
		cmocka_unit_test(test_io_out_gzip),
		cmocka_unit_test(test_err_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
