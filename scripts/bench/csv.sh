#!/bin/sh
# Benchmark of the CSV library: read every field and write it back
# (build/bench/csvcat) against cat >/dev/null on the same file.
#   CSV_BENCH_MB=500 (default) sets the input size.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bench/csvcat" "$BUILD/bench/genexport" >/dev/null
MB=${CSV_BENCH_MB:-500}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# 7 columns, one quoted field with a comma on every row, some multi-line
"$BUILD/bench/genexport" csv "$((MB * 1000000))" |
	awk 'NR % 50 == 7 { sub(/offers"$/, "offers\nsee you soon\""); } { print }' \
	>"$tmp/in.csv"

. "$ROOT/scripts/bench/lib.inc"
settle
tc=$(best cat "$tmp/in.csv")
tr=$(best "$BUILD/bench/csvcat" -q "$tmp/in.csv")
rss="?"
[ -x /usr/bin/time ] &&
	rss=$(/usr/bin/time -f %M "$BUILD/bench/csvcat" -q "$tmp/in.csv" 2>&1 >/dev/null | tail -1)
# the loop must give back exactly what it read (after moving 'event' first)
"$BUILD/bench/csvcat" -q "$tmp/in.csv" >"$tmp/out.csv"
rows_in=$("$BUILD/bench/csvcat" -q "$tmp/out.csv" | wc -l)
rows_out=$(wc -l <"$tmp/out.csv")
[ "$rows_in" = "$rows_out" ] || { echo "csv: round trip differs" >&2; exit 1; }
bytes=$(wc -c <"$tmp/in.csv")
mbs() { echo "$bytes $1" | awk '{ if ($2 > 0) printf "%.0f", $1/1e6/$2; else printf ">%.0f", $1/1e6/0.01 }'; }
printf '%-22s %8.2f s %7s MB/s\n' "cat >/dev/null" "$tc" "$(mbs "$tc")"
printf '%-22s %8.2f s %7s MB/s\n' "csvcat (read+write)" "$tr" "$(mbs "$tr")"
echo "csv: read+write $(mbs "$tr") MB/s (target 250), cat $(mbs "$tc") MB/s, max RSS ${rss} KB, input $((bytes / 1000000)) MB"

# Wall-clock figures move with the machine's load; instruction counts do
# not.  Instructions per input byte on a 5 MB sample, when valgrind is here.
if command -v valgrind >/dev/null 2>&1; then
	head -c 5000000 "$tmp/in.csv" | sed '$d' >"$tmp/s.csv"
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
		"$BUILD/bench/csvcat" -q "$tmp/s.csv" >/dev/null 2>&1 || true
	awk '/^summary:|^totals:/ { print $2; exit }' "$tmp/cg" |
		awk -v b="$(wc -c <"$tmp/s.csv")" \
		'{ printf "instructions per input byte (callgrind): %.1f\n", $1 / b }'
fi
