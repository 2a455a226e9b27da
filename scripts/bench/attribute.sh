#!/bin/sh
# Benchmark of jt-attribute: a path table of ATTR_BENCH_PATHS (default one
# million) distinct paths over 15 channels (scripts/bench/attrgen.c; about
# 8 touches a path, 100 MB), read and attributed by every rule-based model
# together, by markov of order 1 to 4 and by shapley.  Each run: the best
# wall-clock seconds of three, paths per second, the largest peak RSS.
# Then instructions per path of the two targets measured with callgrind
# on a tenth of the table (wall time on a shared machine moves by up to a
# factor of two; instruction counts do not); ATTR_BENCH_CALLGRIND=0 skips.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-attribute" "$BUILD/bench/attrgen" >/dev/null
N=${ATTR_BENCH_PATHS:-1000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
AT="$BUILD/bin/jt-attribute"
HEUR=first,last,last_non_direct,linear,participation,position,j,inverse_j

"$BUILD/bench/attrgen" "$N" 1 15 >"$tmp/paths.csv"
sync
touches=$(awk -F, 'NR > 1 { n += gsub(/>/, ">", $1) + 1 } END { print n }' "$tmp/paths.csv")
printf '%d distinct paths, %d touches, %d MB\n' "$N" "$touches" \
	"$(du -m "$tmp/paths.csv" | cut -f1)"

# run LABEL ARGS...: best of three
run() {
	label=$1
	shift
	best=999999
	peak=0
	for i in 1 2 3; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%e %M' -o "$tmp/time" "$AT" -q "$@" \
				-o "$tmp/out.csv" "$tmp/paths.csv"
			read -r secs kb <"$tmp/time"
		else
			s=$(date +%s.%N)
			"$AT" -q "$@" -o "$tmp/out.csv" "$tmp/paths.csv"
			secs=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2-$1}')
			kb=0
		fi
		best=$(echo "$secs $best" | awk '{print ($1 < $2) ? $1 : $2}')
		peak=$(echo "$kb $peak" | awk '{print ($1 > $2) ? $1 : $2}')
	done
	printf '%-32s %6.2f s %10.0f paths/s %6d MB RSS\n' "$label" "$best" \
		"$(echo "$N $best" | awk '{print $1 / ($2 > 0 ? $2 : 0.01)}')" \
		$((peak / 1024))
}
run "heuristics (8 models)" -m "$HEUR"
run "markov order 1" -m markov --order 1
run "markov order 2" -m markov --order 2
run "markov order 3" -m markov --order 3
run "markov order 4" -m markov --order 4
run "shapley" -m shapley
run "all (markov order 1)" -m all

if [ "${ATTR_BENCH_CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
	m=$((N / 10))
	head -n $((m + 1)) "$tmp/paths.csv" >"$tmp/small.csv"
	for args in "-m $HEUR" "-m markov --order 1" "-m markov --order 3"; do
		# shellcheck disable=SC2086
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
			"$AT" -q $args -o "$tmp/out.csv" "$tmp/small.csv" 2>"$tmp/vg"
		ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$tmp/vg")
		printf '%-32s %6.0f instructions/path (callgrind, %d paths)\n' \
			"$args" "$(echo "$ir $m" | awk '{print $1 / $2}')" "$m"
	done
fi
