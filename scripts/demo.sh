#!/bin/sh
# scripts/demo.sh BINDIR: runs the pipeline on the bundled world
# (testdata/world, made by jt-gen with a fixed seed: six silo exports and
# the truth behind them) and writes the results into demo-out/.  Steps
# whose tool is not built yet are skipped with a note, so the demo grows
# with the suite.
set -eu
BIN=$(cd "${1:-build/bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORLD="$ROOT/testdata/world"
OUT="$ROOT/demo-out"
PATH="$BIN:$PATH"
export PATH
mkdir -p "$OUT"
note() { echo "demo: $*"; }
have() { [ -x "$BIN/$1" ]; }

note "tools built: $(cd "$BIN" && ls | tr '\n' ' ')"
note "0. the world: $(sed -n 4p "$WORLD/README") (testdata/world/README)"
note "1. jt-ingest: every silo's export to events (demo-out/events/*.csv)"
JT_INGEST="$BIN/jt-ingest" sh "$WORLD/ingest.sh" "$OUT/events"
for f in "$OUT"/events/*.csv; do
	printf '  %-12s %6s events\n' "$(basename "$f")" "$(($(wc -l <"$f") - 1))"
done
# One stream over the union of the silos' columns (jt-events(5)); count
# events per channel (empty = internal navigation, resolved by jt-journey).
# The account table (crm.csv) holds identity links for jt-stitch, not events.
jt-ingest -q --keep '' -o "$OUT/all.events.csv" $(ls "$OUT"/events/*.csv | grep -v /crm.csv)
note "events by channel, all silos (demo-out/all.events.csv):"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "channel") c = i; next }
	{ n[$c == "" ? "(internal)" : $c]++ }
	END { for (k in n) printf "  %-18s %d\n", k, n[k] }' "$OUT/all.events.csv" | sort
if have jt-stitch; then
	note "2. jt-stitch: who is who (demo-out/events.csv, ids.csv, audit.csv)"
	jt-stitch --links "$OUT/events/crm.csv" --audit "$OUT/audit.csv" \
		--map-out "$OUT/ids.csv" -o "$OUT/events.csv" \
		$(ls "$OUT"/events/*.csv | grep -v /crm.csv)
	mkdir -p "$OUT/truth"
	cp "$WORLD"/truth/*.csv "$OUT/truth/"
	gzip -dc "$WORLD/truth/records.csv.gz" >"$OUT/truth/records.csv"
	note "persons found, judged against the world's truth:"
	awk -F, -f "$ROOT/scripts/stitch-quality.awk" "$OUT/truth/records.csv" \
		"$OUT/truth/persons.csv" "$OUT/truth/identifiers.csv" \
		"$OUT/events.csv" | sed 's/^/  /'
fi
note "the true credit of each channel (testdata/world/truth/channels.csv):"
awk -F, 'NR > 1 { printf "  %-18s removal effect %.3f, %7.1f conversions\n", $1, $6, $7 }' \
	"$WORLD/truth/channels.csv"
for step in journey attribute friction plot; do
	have "jt-$step" || note "jt-$step: not built yet (a later step of the plan)"
done
note "done: results in demo-out/"
