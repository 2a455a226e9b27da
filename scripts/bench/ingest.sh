#!/bin/sh
# Benchmark of jt-ingest: CSV and JSON lines to events, MB/s of input on one
# core, and peak memory (which must not grow with the input).
#   INGEST_BENCH_MB=200 (default) sets the input size.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-ingest" "$BUILD/bench/genexport" >/dev/null
MB=${INGEST_BENCH_MB:-200}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
bytes=$((MB * 1000000))
"$BUILD/bench/genexport" csv "$bytes" >"$tmp/email.csv"
"$BUILD/bench/genexport" jsonl "$bytes" >"$tmp/web.jsonl"
half=$((bytes / 2))
"$BUILD/bench/genexport" csv "$half" >"$tmp/half.csv"

# best of five wall-clock runs, seconds (the machines are noisy)
. "$ROOT/scripts/bench/lib.inc"
settle
rss() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
	else
		echo "?"
	fi
}

ING="$BUILD/bin/jt-ingest"
CSVMAP='ts=sent_at,id_email=Email Address,id_user=customer_id,value=revenue'
JSONMAP='ts=timestamp,id_cookie=anonymous_id,id_user=user_id,event=event,utm_medium=context.campaign.medium,utm_source=context.campaign.source,referrer=context.page.referrer,url=context.page.url,value=properties.revenue'

tc=$(best "$ING" -q --map "$CSVMAP" --set channel=email "$tmp/email.csv")
tj=$(best "$ING" -q -f jsonl --map "$JSONMAP" --keep '' --channels web "$tmp/web.jsonl")
rc=$(rss "$ING" -q --map 'ts=sent_at,id_email=Email Address' "$tmp/email.csv")
rh=$(rss "$ING" -q --map 'ts=sent_at,id_email=Email Address' "$tmp/half.csv")
csv_mbs=$(echo "$MB $tc" | awk '{printf "%.0f", $1/$2}')
json_mbs=$(echo "$MB $tj" | awk '{printf "%.0f", $1/$2}')
printf '%-28s %8s MB %8.2f s %6s MB/s\n' "csv (email export)" "$MB" "$tc" "$csv_mbs"
printf '%-28s %8s MB %8.2f s %6s MB/s\n' "jsonl (web, --channels web)" "$MB" "$tj" "$json_mbs"
printf 'max RSS: %s KB on %s MB, %s KB on %s MB (flat = streaming)\n' "$rc" "$MB" "$rh" "$((MB / 2))"
echo "ingest: csv $csv_mbs MB/s (target 150), jsonl $json_mbs MB/s (target 80), input $MB MB each"

# Wall-clock figures move with the machine's load; instruction counts do
# not.  Instructions per input byte on a 5 MB sample, when valgrind is here.
if command -v valgrind >/dev/null 2>&1; then
	head -c 5000000 "$tmp/email.csv" >"$tmp/s.csv"
	head -c 5000000 "$tmp/web.jsonl" >"$tmp/s.jsonl"
	ipb() {
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$@" \
			>/dev/null 2>"$tmp/cg.err" || true
		awk '/^summary:|^totals:/ { print $2; exit }' "$tmp/cg" |
			awk -v b="$(wc -c <"$tmp/$SAMPLE")" '{ printf "%.1f", $1 / b }'
	}
	SAMPLE=s.csv
	ic=$(ipb "$ING" -q --map "$CSVMAP" --set channel=email "$tmp/s.csv")
	SAMPLE=s.jsonl
	ij=$(ipb "$ING" -q -f jsonl --map "$JSONMAP" --keep '' --channels web "$tmp/s.jsonl")
	echo "instructions per input byte (callgrind): csv $ic, jsonl $ij"
fi
