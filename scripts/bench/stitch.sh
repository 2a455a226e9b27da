#!/bin/sh
# Benchmark of jt-stitch: STITCH_BENCH_EVENTS (default 10 million) canonical
# events with three identifiers each (scripts/bench/genids.c: a million
# persons, one to three cookies each, shared household cookies, a
# placeholder address), in no particular order; then the events of a
# jt-gen world of the same size.  Events per second end to end (read,
# two passes, write) and peak memory.  One run each: a run takes tens of
# seconds.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-stitch" "$BUILD/bin/jt-gen" "$BUILD/bench/genids" >/dev/null
N=${STITCH_BENCH_EVENTS:-10000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$BUILD/bench/genids" "$N" >"$tmp/ids.csv"
# a jt-gen world has about 21 events per person
"$BUILD/bin/jt-gen" -q --events --persons $((N / 21)) -o "$tmp/world.csv"
sync

run() {
	label=$1
	file=$2
	shift 2
	rows=$(($(wc -l <"$file") - 1))
	mb=$(du -m "$file" | cut -f1)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$BUILD/bin/jt-stitch" "$@" \
			--tmpdir "$tmp" -o "$tmp/out.csv" "$file" 2>"$tmp/err"
		read -r secs kb <"$tmp/time"
	else
		s=$(date +%s.%N)
		"$BUILD/bin/jt-stitch" "$@" --tmpdir "$tmp" -o "$tmp/out.csv" "$file" 2>"$tmp/err"
		secs=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2-$1}')
		kb=0
	fi
	printf '%-30s %9d events %6d MB %7.2f s %9.0f events/s %6d MB RSS\n' \
		"$label" "$rows" "$mb" "$secs" "$(echo "$rows $secs" | awk '{print $1/$2}')" \
		$((kb / 1024))
	sed 's/^/    /' "$tmp/err"
	rm -f "$tmp/out.csv"
}
run "3 ids each (genids)" "$tmp/ids.csv"
run "jt-gen events" "$tmp/world.csv"
