#!/bin/sh
# Benchmark of jt-plot.  The timeline is the one chart whose input is big:
# PLOT_BENCH_PERSONS (default 250000, about 5 million events) canonical
# events of jt-gen, read and counted per day and channel (--script: no
# gnuplot), then drawn as a PNG.  The report charts read small tables;
# their figure is the wall time of a PNG (mostly gnuplot's), best of five,
# and a path table of PLOT_BENCH_PATHS (default 200000) distinct paths
# for the sort.  Events (rows) per second, wall, peak memory.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. scripts/bench/lib.inc # settle
make -s "$BUILD/bin/jt-plot" "$BUILD/bin/jt-gen"
PERSONS=${PLOT_BENCH_PERSONS:-250000}
NPATHS=${PLOT_BENCH_PATHS:-200000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
PL="$BUILD/bin/jt-plot"

"$BUILD/bin/jt-gen" -q --events --persons "$PERSONS" -o "$tmp/events.csv"
# distinct paths of two to six channels, with made-up counts
awk -v n="$NPATHS" 'BEGIN {
	split("direct organic_search paid_search display paid_social email app call_center store affiliate", c, " ")
	print "path,total_conversions,total_conversion_value,total_null"
	srand(7)
	for (i = 0; i < n; i++) {
		k = 2 + int(rand() * 5); p = c[1 + int(rand() * 10)]
		for (j = 1; j < k; j++) p = p " > " c[1 + int(rand() * 10)]
		printf "%s #%d,%d,%.2f,%d\n", p, i, int(rand() * 5), rand() * 300, int(rand() * 40)
	}
}' >"$tmp/paths.csv"
settle

# run LABEL ROWS ARGS...: one run, wall and peak RSS
run() {
	label=$1
	rows=$2
	shift 2
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$PL" -q "$@" >"$tmp/out" 2>"$tmp/err"
		read -r secs kb <"$tmp/time"
	else
		s=$(date +%s.%N)
		"$PL" -q "$@" >"$tmp/out" 2>"$tmp/err"
		secs=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2-$1}')
		kb=0
	fi
	printf '%-34s %9d rows %7.2f s %11.0f rows/s %6d MB RSS %8d bytes out\n' \
		"$label" "$rows" "$secs" "$(echo "$rows $secs" | awk '{print ($2 > 0 ? $1/$2 : 0)}')" \
		$((kb / 1024)) "$(wc -c <"$tmp/out")"
}

ev=$(($(wc -l <"$tmp/events.csv") - 1))
mb=$(du -m "$tmp/events.csv" | cut -f1)
echo "timeline input: $ev events, $mb MB"
run "timeline --script" "$ev" timeline --script "$tmp/events.csv"
run "timeline PNG" "$ev" timeline "$tmp/events.csv"
run "paths --script ($NPATHS paths)" "$NPATHS" paths --script "$tmp/paths.csv"
run "paths PNG ($NPATHS paths)" "$NPATHS" paths "$tmp/paths.csv"

# the report charts on the fixtures: best wall of five, PNG
for c in attribution:attribution.csv paths:variants.csv funnel:funnel.csv \
	friction:friction.csv transitions:transitions.csv transitions:dfg.csv; do
	chart=${c%%:*}
	file=testdata/plot/${c#*:}
	t=999
	for i in 0 1 2 3 4 5; do # a warm-up, then five
		s=$(date +%s.%N)
		"$PL" -q "$chart" -o "$tmp/c.png" "$file"
		e=$(echo "$s $(date +%s.%N)" | awk '{print $2-$1}')
		[ $i -eq 0 ] || t=$(echo "$e $t" | awk '{print ($1<$2)?$1:$2}')
	done
	printf '%-34s %9d rows %7.3f s (best of 5, PNG)\n' "$chart ${c#*:}" \
		$(($(wc -l <"$file") - 1)) "$t"
done

# instructions per event of the timeline (the CSV reader dominates)
if [ -x "$(command -v valgrind)" ]; then
	head -200001 "$tmp/events.csv" >"$tmp/ev200k.csv"
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$PL" -q timeline \
		--script "$tmp/ev200k.csv" >"$tmp/out" 2>"$tmp/vg"
	ir=$(callgrind_annotate "$tmp/cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	echo "timeline: $((ir / 200000)) instructions per event (callgrind, 200000 events)"
	callgrind_annotate "$tmp/cg" 2>/dev/null | awk '/file:function/ { on = 1; next } on && NF && !/^-/ { print "    " $0 }' | head -5
fi
