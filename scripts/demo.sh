#!/bin/sh
# scripts/demo.sh BINDIR: the whole pipeline on the bundled world
# (testdata/world, made by jt-gen with a fixed seed: seven silo exports and
# the truth behind them), run the way a nightly cron job runs it
# (jt-nightly with the world's jt-nightly.conf).  Writes demo/: every CSV
# report, the identity audit, a PNG per chart and index.html; then prints
# a short summary, judged against the world's truth where it has one.
set -eu
BIN=$(cd "${1:-build/bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORLD="$ROOT/testdata/world"
OUT="${JT_DEMO_OUT:-$ROOT/demo}" # the tests write elsewhere
PATH="$BIN:$PATH"
export PATH
note() { echo "demo: $*"; }
started=$(date +%s)

note "the world: $(sed -n 4p "$WORLD/README") (testdata/world/README)"
note "running: jt-nightly --date 2026-10-31 testdata/world demo.run"
note "  (ingest 7 exports, stitch, journey, attribute with every model, friction, charts)"
rm -rf "$OUT.run"
jt-nightly -q --date 2026-10-31 "$WORLD" "$OUT.run"
rm -rf "$OUT"
mv "$OUT.run/2026-10-31" "$OUT"
mv "$OUT.run/jt-nightly.log" "$OUT/"
rm -rf "$OUT.run"

# column number of $2 in the header of CSV file $1
col() { head -1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }

note "1. events per silo (demo/silos/):"
for f in "$OUT"/silos/*.csv; do
	printf '  %-8s %6d rows\n' "$(basename "$f" .csv)" "$(($(wc -l <"$f") - 1))"
done
note "2. persons (demo/identity-map.csv, demo/identity-audit.csv):"
grep '^jt-stitch: ' "$OUT/jt-nightly.log" | tail -1 | sed 's/^jt-stitch: /  /' | fold -s -w 76 | sed '2,$s/^/  /'
mkdir -p "$OUT/truth"
cp "$WORLD"/truth/*.csv "$OUT/truth/"
gzip -dc "$WORLD/truth/records.csv.gz" >"$OUT/truth/records.csv"
note "   judged against the world's truth:"
awk -F, -f "$ROOT/scripts/stitch-quality.awk" "$OUT/truth/records.csv" \
	"$OUT/truth/persons.csv" "$OUT/truth/identifiers.csv" \
	"$OUT/events.csv" "$OUT/silos/crm.csv" | sed 's/^/  /'
rm -f "$OUT/truth/records.csv"
note "3. journeys (demo/journeys.csv):"
awk -F, -v cv="$(col "$OUT/journeys.csv" conversions)" \
	-v vv="$(col "$OUT/journeys.csv" value)" -v jv="$(col "$OUT/journeys.csv" converted)" '
	NR > 1 { n++; c += $cv; v += $vv; j += $jv }
	END { printf "  %d journeys, %d converted, %d conversions, revenue %.2f\n", n, j, c, v }' \
	"$OUT/journeys.csv"
note "4. top channels by Markov credit (demo/attribution.csv), next to the truth:"
awk -F, 'NR == FNR { if (FNR > 1) truth[$1] = $7; next }
	FNR > 1 && $1 == "markov" { printf "%s,%s,%s,%s\n", $2, $3, $5, ($2 in truth) ? truth[$2] : "?" }' \
	"$WORLD/truth/channels.csv" "$OUT/attribution.csv" | sort -t, -k2,2gr | head -5 |
	while IFS=, read -r ch conv share truth; do
		printf '  %-16s %7.1f conversions (%4.1f%%), true credit %s\n' \
			"$ch" "$conv" "$(echo "$share" | awk '{ print $1 * 100 }')" "$truth"
	done
note "5. top friction points (demo/friction.csv), next to the true cost:"
awk -F, 'NR > 1 && $11 == 1 { printf "  %-15s %-12s %-22s impact %7.1f  z %5.1f\n", $1, $2, $3, $9, $10; if (++n == 3) exit }' \
	"$OUT/friction.csv"
awk -F, 'NR > 1 { printf "  truth: %-15s %-12s %-22s %s conversions lost\n", $1, $2, $3, $7 }' \
	"$WORLD/truth/frictions.csv"
note "charts: $(cd "$OUT" && ls *.png | tr '\n' ' ')"
note "done in $(($(date +%s) - started)) s: open demo/index.html"
