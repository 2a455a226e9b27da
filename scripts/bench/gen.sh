#!/bin/sh
# Benchmark of jt-gen: a world of GEN_BENCH_PERSONS persons (default one
# million) with its silos and truth, and events mode at the same size;
# seconds (one run each: a run takes tens of seconds), output size, peak
# memory (bounded by the block of 20,000 persons, whatever the size).
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-gen" >/dev/null
N=${GEN_BENCH_PERSONS:-1000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
GEN="$BUILD/bin/jt-gen"

# run LABEL CMD...: wall seconds and peak RSS of one run
run() {
	label=$1
	shift
	sync
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" 2>"$tmp/err"
		read -r secs kb <"$tmp/time"
	else
		s=$(date +%s.%N)
		"$@" 2>"$tmp/err"
		secs=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2-$1}')
		kb=0
	fi
	printf '%-34s %7.2f s %6d MB RSS  %s\n' "$label" "$secs" $((kb / 1024)) \
		"$(sed 's/^jt-gen: //' "$tmp/err")"
}

run "world, $N persons" "$GEN" --persons "$N" --out "$tmp/world"
printf '%-34s %s\n' "  output" "$(du -sh "$tmp/world" | cut -f1)"
rm -rf "$tmp/world"
run "world --gzip, $((N / 10)) persons" "$GEN" --persons $((N / 10)) --gzip --out "$tmp/worldz"
printf '%-34s %s\n' "  output" "$(du -sh "$tmp/worldz" | cut -f1)"
rm -rf "$tmp/worldz"
run "events, $N persons" "$GEN" --events --persons "$N" -o "$tmp/events.csv"
printf '%-34s %s, %s events\n' "  output" "$(du -sh "$tmp/events.csv" | cut -f1)" \
	"$(($(wc -l <"$tmp/events.csv") - 1))"
