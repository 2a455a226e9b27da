# Loaded by every bats file: where the tools and the sources are.
: "${JT_ROOT:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
: "${JT_BIN:=$JT_ROOT/build/bin}"
: "${JT_BENCH:=$JT_ROOT/build/bench}"
export JT_ROOT JT_BIN JT_BENCH
PATH="$JT_BIN:$PATH"
TD="$JT_ROOT/testdata"
# the real public data beside the project (never committed into it)
REAL="${JT_REALDATA:-$JT_ROOT/../shared/realdata}"
[ -d "$REAL" ] || REAL=/work/shared/realdata

# A fresh scratch folder per test.
setup() {
	SCRATCH=$(mktemp -d "${BATS_TMPDIR:-/tmp}/jt-test.XXXXXX")
	cd "$SCRATCH" || return 1
}
teardown() {
	cd / && rm -rf "$SCRATCH"
}
