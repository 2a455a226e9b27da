#!/bin/sh
# Benchmark of jt-journey: JOURNEY_BENCH_PERSONS (default 500,000) persons
# of canonical events from jt-gen --events (about 21 each: ten million),
# shuffled into random order, to journeys: with --memory 512M, with
# --memory 128M (the sort spills compressed runs and merges them), fully
# in memory with --memory 8G, and the same events already in order with
# --sorted, and without it at --memory 512M (the file is larger: checked
# for order by a first reading, then streamed).  Events per second end to end (read, sort, write), wall and
# CPU seconds, peak memory.  One run each: a run takes seconds, and on a
# shared machine the wall clock moves with the neighbours' load (CPU
# seconds move less).
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-journey" "$BUILD/bin/jt-gen" >/dev/null
N=${JOURNEY_BENCH_PERSONS:-500000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
JJ="$BUILD/bin/jt-journey"

"$BUILD/bin/jt-gen" -q --events --persons "$N" -o "$tmp/ordered.csv"
# random order: shuffled with a fixed seed, the header kept first
{
	head -1 "$tmp/ordered.csv"
	tail -n +2 "$tmp/ordered.csv" |
		awk 'BEGIN { srand(1) } { printf "%.9f\t%s\n", rand(), $0 }' |
		sort -S 25% -t "$(printf '\t')" -k1,1 | cut -f2-
} >"$tmp/random.csv"
rm "$tmp/ordered.csv"
"$JJ" -q --output events --memory 8G -o "$tmp/sorted.csv" "$tmp/random.csv"
sync

rows=$(($(wc -l <"$tmp/random.csv") - 1))
mb=$(du -m "$tmp/random.csv" | cut -f1)
echo "input: $rows events, $mb MB, $N persons"

run() {
	label=$1
	file=$2
	shift 2
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$JJ" "$@" \
			--tmpdir "$tmp" -o "$tmp/out.csv" "$file" 2>"$tmp/err"
		read -r secs user sys kb <"$tmp/time"
	else
		s=$(date +%s.%N)
		"$JJ" "$@" --tmpdir "$tmp" -o "$tmp/out.csv" "$file" 2>"$tmp/err"
		secs=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2-$1}')
		user=0 sys=0 kb=0
	fi
	printf '%-28s %6.2f s wall %6.2f s cpu %9.0f events/s %6d MB RSS\n' \
		"$label" "$secs" "$(echo "$user $sys" | awk '{print $1+$2}')" \
		"$(echo "$rows $secs" | awk '{print $1/$2}')" $((kb / 1024))
	sed 's/^/    /' "$tmp/err"
	rm -f "$tmp/out.csv"
}
run "random, --memory 512M" "$tmp/random.csv" --memory 512M
run "random, --memory 128M" "$tmp/random.csv" --memory 128M
run "random, --memory 8G" "$tmp/random.csv" --memory 8G
run "random, --output paths" "$tmp/random.csv" --memory 8G --output paths
run "in order, --sorted" "$tmp/sorted.csv" --sorted
run "in order, detected" "$tmp/sorted.csv" --memory 512M
