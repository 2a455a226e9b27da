#!/bin/sh
# Checks the build, test and run-time dependencies of jt.  When something is
# missing and we run as root, installs the Debian packages with apt-get;
# otherwise prints the exact apt-get line and fails.
set -u

CC=${CC:-cc}
missing=""
need() { missing="$missing $1"; }

# probe_lib PACKAGE INCLUDES LIB: compile and link an empty program.
probe_lib() {
	tmp=$(mktemp -d) || exit 1
	printf '%b\nint main(void){return 0;}\n' "$2" >"$tmp/p.c"
	if ! $CC -o "$tmp/p" "$tmp/p.c" $3 >/dev/null 2>&1; then
		need "$1"
	fi
	rm -rf "$tmp"
}
probe_cmd() { command -v "$2" >/dev/null 2>&1 || need "$1"; }

probe_cmd gcc "$CC"
probe_cmd make make
probe_lib libcsv-dev '#include <csv.h>' -lcsv
probe_lib zlib1g-dev '#include <zlib.h>' -lz
probe_lib libpcre2-dev '#define PCRE2_CODE_UNIT_WIDTH 8\n#include <pcre2.h>' -lpcre2-8
# jansson: the reference the JSON scanner is tested against (tests only)
probe_lib libjansson-dev '#include <jansson.h>' -ljansson
probe_lib libcmocka-dev '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <cmocka.h>' -lcmocka
probe_cmd bats bats
probe_cmd mandoc mandoc
probe_cmd gnuplot-nox gnuplot
# xmllint: the tests check jt-plot's SVG is well-formed XML
probe_cmd libxml2-utils xmllint
# flock: jt-nightly's lock
probe_cmd util-linux flock
probe_cmd man-db man
[ -d /usr/share/zoneinfo/America ] || need tzdata

[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2 && $line >&2 && exit 0
	echo "deps: apt-get failed" >&2
	exit 1
fi
echo "deps: missing:$missing" >&2
echo "deps: run as root: apt-get update && $line" >&2
exit 1
