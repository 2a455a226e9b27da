/*
 * Unit tests of lib/proc.c: finding a program on PATH, and running one as
 * a filter with input, output and errors of any size.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "unit.h"
#include "buf.h"
#include "proc.h"

static void
test_find(void **state)
{
	(void)state;
	char *sh = proc_find("sh");
	assert_non_null(sh);
	assert_true(strlen(sh) > 3);
	assert_string_equal(sh + strlen(sh) - 3, "/sh");
	free(sh);
	assert_null(proc_find("no-such-program-of-jt"));
	/* a folder of our own first on PATH, an empty entry as "." */
	char dir[] = "/tmp/jt-unit-proc.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char prog[64];
	snprintf(prog, sizeof prog, "%s/jt-fake", dir);
	FILE *f = fopen(prog, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	const char *old = getenv("PATH");
	char *saved = old ? strdup(old) : NULL;
	char path[128];
	snprintf(path, sizeof path, "/nonexistent:%s", dir);
	setenv("PATH", path, 1);
	/* not executable yet */
	assert_null(proc_find("jt-fake"));
	chmod(prog, 0755);
	char *r = proc_find("jt-fake");
	assert_non_null(r);
	assert_string_equal(r, prog);
	free(r);
	assert_int_equal(chdir(dir), 0);
	setenv("PATH", "/nonexistent:", 1);
	r = proc_find("jt-fake");
	assert_non_null(r);
	assert_string_equal(r, "./jt-fake");
	free(r);
	setenv("PATH", "", 1);
	assert_null(proc_find("jt-fake"));
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	assert_int_equal(chdir("/"), 0);
	unlink(prog);
	rmdir(dir);
}

static void
test_cat(void **state)
{
	(void)state;
	/* 4 MB each way: more than any pipe holds, so both sides must flow */
	size_t n = 4u << 20;
	char *in = malloc(n);
	for (size_t i = 0; i < n; i++)
		in[i] = (char)('a' + i % 26);
	struct buf out = { 0 }, err = { 0 };
	int status;
	const char *why;
	static char a0[] = "cat";
	char *argv[] = { a0, NULL };
	assert_int_equal(
	    proc_filter("/bin/cat", argv, in, n, &out, &err, &status, &why), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(out.len, n);
	assert_memory_equal(out.data, in, n);
	assert_string_equal(buf_str(&err), "");
	free(in);
	buf_free(&out);
	buf_free(&err);
}

static void
test_status_and_errors(void **state)
{
	(void)state;
	struct buf out = { 0 }, err = { 0 };
	int status;
	const char *why;
	static char a0[] = "sh", a1[] = "-c",
		    a2[] = "read line; echo one; "
			   "echo oops >&2; exit 3";
	char *argv[] = { a0, a1, a2, NULL };
	assert_int_equal(
	    proc_filter("/bin/sh", argv, "x\n", 2, &out, &err, &status, &why),
	    0);
	assert_int_equal(WEXITSTATUS(status), 3);
	assert_string_equal(out.data, "one\n");
	assert_string_equal(err.data, "oops\n");
	/* nothing written: both buffers are empty strings, not garbage */
	buf_free(&out);
	buf_free(&err);
	static char b2[] = "exit 0";
	char *argv2[] = { a0, a1, b2, NULL };
	assert_int_equal(
	    proc_filter("/bin/sh", argv2, "", 0, &out, &err, &status, &why), 0);
	assert_int_equal(status, 0);
	assert_string_equal(buf_str(&out), "");
	assert_non_null(out.data);
	assert_string_equal(err.data, "");
	buf_free(&out);
	buf_free(&err);
}

static void
test_child_stops_reading(void **state)
{
	(void)state;
	/* a child that exits at once: no SIGPIPE for us, its status back */
	size_t n = 8u << 20;
	char *in = calloc(n, 1);
	struct buf out = { 0 }, err = { 0 };
	int status;
	const char *why;
	static char a0[] = "sh", a1[] = "-c", a2[] = "exit 5";
	char *argv[] = { a0, a1, a2, NULL };
	assert_int_equal(
	    proc_filter("/bin/sh", argv, in, n, &out, &err, &status, &why), 0);
	assert_int_equal(WEXITSTATUS(status), 5);
	free(in);
	buf_free(&out);
	buf_free(&err);
}

static void
test_not_executable(void **state)
{
	(void)state;
	struct buf out = { 0 }, err = { 0 };
	int status;
	const char *why;
	static char a0[] = "nothing";
	char *argv[] = { a0, NULL };
	assert_int_equal(proc_filter("/nonexistent/nothing", argv, "abc", 3,
			     &out, &err, &status, &why),
	    0);
	assert_int_equal(WEXITSTATUS(status), 127);
	assert_string_equal(err.data, "cannot execute the program\n");
	buf_free(&out);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_cat),
		cmocka_unit_test(test_status_and_errors),
		cmocka_unit_test(test_child_stops_reading),
		cmocka_unit_test(test_not_executable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
