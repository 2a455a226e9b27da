#!/bin/sh
# scripts/check.sh BUILD SANBUILD: the whole suite twice, first on the
# optimised build (LC_ALL=C.UTF-8), then on the ASan+UBSan build (LC_ALL=C).
# A sanitizer finding fails the run even where a test expected an error
# status: reports are written to files and any report file is a failure.
# Ends with "N passed, N failed" over both passes.
set -u
BUILD=$1
SAN=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp) || exit 2
sandir=$(mktemp -d) || exit 2
trap 'rm -rf "$log" "$sandir"' EXIT

echo "# pass 1: -O2 build, LC_ALL=C.UTF-8"
LC_ALL=C.UTF-8 "$ROOT"/tests/run "$BUILD" "" | tee "$log"
echo "# pass 2: ASan+UBSan build, LC_ALL=C"
ASAN_OPTIONS="log_path=$sandir/asan:detect_leaks=1:exitcode=86" \
UBSAN_OPTIONS="log_path=$sandir/ubsan:print_stacktrace=1:halt_on_error=1" \
LC_ALL=C "$ROOT"/tests/run "$SAN" " (sanitizers)" | tee -a "$log"

pass=$(grep '^ok ' "$log" | grep -vc '# skip')
skip=$(grep '^ok ' "$log" | grep -c '# skip')
[ "$skip" -gt 0 ] && echo "# $skip skipped (data not present)"
fail=$(grep -c '^not ok ' "$log")
for f in "$sandir"/*; do
	[ -e "$f" ] || continue
	echo "not ok sanitizer report ${f##*/}"
	sed 's/^/# /' "$f" | head -40
	fail=$((fail + 1))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
