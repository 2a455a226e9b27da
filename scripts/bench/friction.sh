#!/bin/sh
# Benchmark of jt-friction: FRICTION_BENCH_PERSONS (default 500000, about
# 10 million events) persons of a jt-gen world, through jt-journey
# --output events when it is built (else build/bench/friction-journey,
# a stand-in, which the output says), then jt-friction with every signal
# on (a funnel, --slow-by app_version).  Events per second, wall time and
# peak memory of jt-friction alone; one run (a run takes seconds, the
# input minutes to make).
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-friction" "$BUILD/bin/jt-gen" "$BUILD/bench/friction-journey" >/dev/null
P=${FRICTION_BENCH_PERSONS:-500000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$BUILD/bin/jt-gen" -q --events --persons "$P" -o "$tmp/e.csv"
if [ -x "$BUILD/bin/jt-journey" ]; then
	echo "journeys: jt-journey --output events"
	"$BUILD/bin/jt-journey" --output events --tmpdir "$tmp" "$tmp/e.csv" >"$tmp/j.csv"
else
	echo "journeys: build/bench/friction-journey (jt-journey is not built)"
	{ head -1 "$tmp/e.csv"; tail -n +2 "$tmp/e.csv" |
		sort -S 512M -T "$tmp" -t, -k2,2 -k1,1; } |
		"$BUILD/bench/friction-journey" >"$tmp/j.csv"
fi
rm -f "$tmp/e.csv"
sync

rows=$(($(wc -l <"$tmp/j.csv") - 1))
mb=$(du -m "$tmp/j.csv" | cut -f1)
run() {
	label=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$BUILD/bin/jt-friction" "$@" \
			-o "$tmp/out.csv" "$tmp/j.csv" 2>"$tmp/err"
		read -r secs kb <"$tmp/time"
	else
		s=$(date +%s.%N)
		"$BUILD/bin/jt-friction" "$@" -o "$tmp/out.csv" "$tmp/j.csv" 2>"$tmp/err"
		secs=$(echo "$s $(date +%s.%N)" | awk '{printf "%.2f", $2-$1}')
		kb=0
	fi
	printf '%-28s %9d events %6d MB %7.2f s %9.0f events/s %6d MB RSS\n' \
		"$label" "$rows" "$mb" "$secs" "$(echo "$rows $secs" | awk '{print $1/$2}')" \
		$((kb / 1024))
	sed 's/^/    /' "$tmp/err"
}
run "defaults"
run "funnel, --slow-by" --channel-by source --slow-by app_version \
	--funnel 'cart=add_to_cart|^cart$,checkout=^checkout$,buy=^(purchase|order)$'
