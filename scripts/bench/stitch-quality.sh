#!/bin/sh
# Quality of jt-stitch on a jt-gen world (QUALITY_PERSONS, default 100,000):
# the world's exports are ingested with its ingest.sh, stitched with the
# account table as links, and judged against its truth by
# scripts/stitch-quality.awk (B-cubed and pairwise precision and recall,
# recall against what the identifiers make reachable, household pairs and
# junk values that merged persons).  Also the naive graph (no limit, no
# hub guard) for comparison.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
make -s "$BUILD/bin/jt-stitch" "$BUILD/bin/jt-gen" "$BUILD/bin/jt-ingest" >/dev/null
N=${QUALITY_PERSONS:-100000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$BUILD/bin/jt-gen" -q --persons "$N" --seed 42 --out "$tmp/w"
JT_INGEST="$BUILD/bin/jt-ingest" sh "$tmp/w/ingest.sh" "$tmp/ev" 2>/dev/null
ev="$tmp/ev/web.csv $tmp/ev/app.csv $tmp/ev/email.csv $tmp/ev/calls.csv $tmp/ev/chat.csv $tmp/ev/store.csv"
echo "world: $N persons, $(cat $ev | wc -l) event rows"
for mode in guarded naive; do
	if [ $mode = guarded ]; then
		opts=""
	else
		opts="--limit id_user=0 --max-degree 0 --max-per-type 0"
	fi
	# shellcheck disable=SC2086
	"$BUILD/bin/jt-stitch" $opts --links "$tmp/ev/crm.csv" -o "$tmp/out.csv" $ev 2>"$tmp/err"
	echo "== $mode: $(sed 's/^jt-stitch: //' "$tmp/err")"
	awk -F, -f scripts/stitch-quality.awk "$tmp/w/truth/records.csv" \
		"$tmp/w/truth/persons.csv" "$tmp/w/truth/identifiers.csv" "$tmp/out.csv" \
		"$tmp/ev/crm.csv" |
		sed 's/^/  /'
done
